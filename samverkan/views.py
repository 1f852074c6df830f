"""The joint report's pages: the user's groups, a group's year, and its PDF. Every view asks
`registrering.permissions` (`grupper_for_user`, `grupp_for_user`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from registrering.permissions import grupp_for_user, grupper_for_user
from samverkan import pdf
from samverkan.selectors import samverkansrapport

#: The years offered on the page: this year and the five before it.
ANTAL_AR = 6


def idag() -> dt.date:
    return timezone.localdate()


def _ar_lista() -> list[int]:
    i_ar = idag().year
    return list(range(i_ar, i_ar - ANTAL_AR, -1))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The groups whose joint report the user reads; with one, straight to last year's."""
    grupper = list(grupper_for_user(request.user))
    if not grupper:
        raise PermissionDenied("Du samordnar ingen grupp av förbund.")
    if len(grupper) == 1:
        return redirect("samverkan:rapport", grupper[0].kortnamn, idag().year - 1)
    return render(
        request,
        "samverkan/index.html",
        {"grupper": grupper, "ar": idag().year - 1},
    )


@login_required
@require_GET
def rapport(request: HttpRequest, grupp: str, ar: int) -> HttpResponse:
    post = grupp_for_user(request.user, grupp)
    r = samverkansrapport(grupp=post, ar=ar)
    return render(
        request, "samverkan/rapport.html", {**pdf.kontext(r, pdf=False), "ar_lista": _ar_lista()}
    )


@login_required
@require_GET
def rapport_pdf(request: HttpRequest, grupp: str, ar: int) -> HttpResponse:
    post = grupp_for_user(request.user, grupp)
    export = pdf.rendera(samverkansrapport(grupp=post, ar=ar))
    svar = HttpResponse(export.innehall, content_type=export.content_type)
    svar["Content-Disposition"] = f'attachment; filename="{export.filnamn}"'
    return svar
