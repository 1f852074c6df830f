"""The page "Resultat och effekter": outcomes per insats against the outcome goals and the
simple socio-economic effect, for the kansli and the styrelse (read only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from effekter.selectors import resultat
from registrering import permissions
from registrering.models import Forbund

#: The year links: this many years before the one shown, and one after it unless that is
#: still to come.
AR_FORE = 3


@require_GET
@permissions.ser_rapporter
def index(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """This year's page."""
    return redirect("effekter:resultat", ar=timezone.localdate().year)


@require_GET
@permissions.ser_rapporter
def resultat_sida(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    return render(
        request,
        "effekter/resultat.html",
        {
            "forbund": forbund,
            "ar": ar,
            "r": resultat(forbund=forbund, ar=ar),
            "ar_lista": range(ar - AR_FORE, max(ar, min(ar + 1, timezone.localdate().year)) + 1),
            "redigera": permissions.kan_administrera(request.user, forbund),
        },
    )
