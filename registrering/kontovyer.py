"""The login pages of our own: the lockout answer, the kansli's page about the förbund's
accounts (/konton/), and its list of locked-out accounts with a button that lifts the lockout."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from registrering import tvasteg
from registrering.forms import InloggningForm
from registrering.inloggning import adress_sparrad, sparr_hav, sparrade_konton
from registrering.models import Forbund, User
from registrering.permissions import administrerar, inloggad, kan_oppna_admin


def sparrad(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
    *,
    adress: bool = False,
) -> HttpResponse:
    """django-axes' answer to a login that is locked out (AXES_LOCKOUT_CALLABLE), and ours to an
    address with too many wrong passwords (`adress`): 429 with a Swedish page that says how long
    the lockout lasts and who can lift it."""
    cool_off = get_cool_off(request)
    minuter = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {
        "anvandarnamn": "" if adress else get_client_username(request, credentials) or "",
        "forsok": settings.AXES_FAILURE_LIMIT,
        "minuter": minuter,
        "adress": adress,
    }
    return render(
        request, "registration/sparrad.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


class Inloggning(LoginView):
    """The login page. A POST from an address that has had too many wrong passwords on any
    accounts is answered like a locked account (429), before any password is tried."""

    redirect_authenticated_user = True
    authentication_form = InloggningForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if adress_sparrad(request):
            return sparrad(request, adress=True)
        return super().post(request, *args, **kwargs)


@require_GET
@administrerar
def konton(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """Where the kansli finds what it can do about the förbund's accounts: lockouts, two-factor
    login, and (in the administration) users and roles."""
    status = tvasteg.konton_i_forbundet(forbund=forbund)
    return render(
        request,
        "registration/konton.html",
        {
            "forbund": forbund,
            "sparrade": len(sparrade_konton(forbund=forbund)),
            "konton": len(status),
            "med_tvasteg": sum(1 for k in status if k.aktiverad),
            "saknar_tvasteg": sum(1 for k in status if k.kravs and not k.aktiverad),
            "admin": kan_oppna_admin(inloggad(request)),
        },
    )


@require_GET
@administrerar
def sparrade(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    return render(
        request,
        "registration/sparrade_konton.html",
        {"forbund": forbund, "sparrar": sparrade_konton(forbund=forbund)},
    )


@require_POST
@administrerar
def hav_sparr(request: HttpRequest, forbund: Forbund, pk: int) -> HttpResponse:
    # Only the förbund's own accounts: another förbund's account is "not found".
    konto = get_object_or_404(User, pk=pk, forbund=forbund)
    sparr_hav(konto=konto, user=inloggad(request))
    messages.success(request, f"Spärren för {konto.get_username()} är hävd. Kontot kan logga in.")
    return redirect("sparrade_konton")
