"""The pages of two-factor login (registrering.tvasteg): the code after the password, setting
up a device, the account's own page, and the kansli's reset of an account's device.

Mounted under /konton/tvasteg/ by finsam/urls.py.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registrering import tvasteg
from registrering.models import Forbund, User
from registrering.permissions import administrerar, forbundets_konton, inloggad, kan_administrera


class KodForm(forms.Form):
    """The six digits of the app; spaces are allowed ("123 456")."""

    kod = forms.CharField(
        label="Kod från appen",
        help_text="Sex siffror. Appen visar en ny kod var 30:e sekund.",
        max_length=20,
        error_messages={"required": "Skriv koden som appen visar."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "spellcheck": "false",
            }
        ),
    )

    def clean_kod(self) -> str:
        kod = "".join(str(self.cleaned_data["kod"]).split())
        if not re.fullmatch(r"[0-9]{6}", kod):
            raise ValidationError("Skriv de sex siffrorna som appen visar, t.ex. 123456.")
        return kod


def _nasta(request: HttpRequest) -> str:
    """Where to go after the step: the page first asked for, if it is one of ours."""
    nasta = request.POST.get("next") or request.GET.get("next") or ""
    if nasta and url_has_allowed_host_and_scheme(
        nasta, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nasta
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _till(namn: str, request: HttpRequest) -> HttpResponse:
    nasta = request.POST.get("next") or request.GET.get("next")
    adress = resolve_url(namn)
    return redirect(f"{adress}?{urlencode({'next': nasta})}" if nasta else adress)


@require_http_methods(["GET", "POST"])
@login_required
def verifiera(request: HttpRequest) -> HttpResponse:
    """The code after the password, for an account with a device."""
    user = inloggad(request)
    steg = tvasteg.steg_kvar(request)
    if steg == tvasteg.AKTIVERA:
        return _till("tvasteg_aktivera", request)
    if steg is None:
        return redirect(_nasta(request))
    form = KodForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        svar = tvasteg.tvasteg_verifiera(user=user, kod=form.cleaned_data["kod"])
        if svar.enhet is not None:
            tvasteg.steg_klart(request, svar.enhet)
            return redirect(_nasta(request))
        if svar.saknas:
            return _enhet_borta(request, user)
        if svar.vanta_till is not None:
            status = 429
            form.add_error(
                "kod",
                f"För många felaktiga koder i följd. Vänta {svar.vanta_sekunder} sekunder "
                "och skriv sedan koden som appen visar då.",
            )
        else:
            form.add_error(
                "kod",
                "Koden stämmer inte. Skriv koden som appen visar just nu; "
                "kontrollera att telefonens klocka går rätt.",
            )
    return render(
        request,
        "registration/tvasteg_verifiera.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )


def _enhet_borta(request: HttpRequest, user: User) -> HttpResponse:
    """The device was reset while this session waited for its code."""
    if tvasteg.kravs(user):
        request.session[tvasteg.STEG_SESSION] = tvasteg.AKTIVERA
        messages.info(request, "Din tvåstegsverifiering har återställts. Aktivera den igen.")
        return _till("tvasteg_aktivera", request)
    request.session.pop(tvasteg.STEG_SESSION, None)
    return redirect(_nasta(request))


@require_http_methods(["GET", "POST"])
@login_required
def aktivera(request: HttpRequest) -> HttpResponse:
    """Setting up a device: the QR code and the key to type, and its first code to confirm.
    Forced for a required role without a device, voluntary for everyone else."""
    user = inloggad(request)
    steg = tvasteg.steg_kvar(request)
    if steg == tvasteg.VERIFIERA:
        return _till("tvasteg_verifiera", request)
    if steg is None and tvasteg.enhet_for(user) is not None:
        messages.info(request, "Tvåstegsverifiering är redan på för ditt konto.")
        return redirect("tvasteg")
    nyckel = request.session.get(tvasteg.NYCKEL_SESSION) or tvasteg.ny_nyckel()
    request.session[tvasteg.NYCKEL_SESSION] = nyckel
    form = KodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enhet = tvasteg.tvasteg_aktivera(user=user, nyckel=nyckel, kod=form.cleaned_data["kod"])
        if enhet is not None:
            tvasteg.steg_klart(request, enhet)
            messages.success(
                request,
                "Tvåstegsverifiering är aktiverad. Nästa gång du loggar in frågar vi efter "
                "en kod från appen.",
            )
            return redirect(_nasta(request) if steg else "tvasteg")
        form.add_error(
            "kod",
            "Koden stämmer inte. Skriv koden som appen visar just nu för Finsam uppföljning; "
            "kontrollera att telefonens klocka går rätt.",
        )
    return render(
        request,
        "registration/tvasteg_aktivera.html",
        {
            "form": form,
            "tvingad": steg == tvasteg.AKTIVERA,
            "qr": tvasteg.qr_data_uri(user, nyckel),
            "hemlighet": tvasteg.hemlighet(nyckel),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@require_GET
@login_required
def egen(request: HttpRequest) -> HttpResponse:
    """The account's own page: is two-factor on, turn it on or off."""
    user = inloggad(request)
    return render(
        request,
        "registration/tvasteg.html",
        {
            "enhet": tvasteg.enhet_for(user),
            "kravs": tvasteg.kravs(user),
            "administrerar": user.forbund is not None and kan_administrera(user, user.forbund),
        },
    )


@require_POST
@login_required
def ta_bort(request: HttpRequest) -> HttpResponse:
    user = inloggad(request)
    try:
        tvasteg.tvasteg_ta_bort(konto=user, user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Tvåstegsverifiering är avstängd för ditt konto.")
    return redirect("tvasteg")


@require_GET
@administrerar
def forbundet(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """The kansli's list of the förbund's accounts and their two-factor state."""
    return render(
        request,
        "registration/tvasteg_forbundet.html",
        {"forbund": forbund, "konton": tvasteg.konton_i_forbundet(forbund=forbund)},
    )


@require_POST
@administrerar
def aterstall(request: HttpRequest, forbund: Forbund, pk: int) -> HttpResponse:
    """Reset an account's device (a lost phone): only the förbund's own accounts, never a
    superuser's or one that holds the installation's or a group's role
    (`permissions.forbundets_konton`)."""
    konto = get_object_or_404(forbundets_konton(forbund), pk=pk)
    try:
        tvasteg.tvasteg_ta_bort(konto=konto, user=inloggad(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tvasteg_forbundet")
    text = f"Tvåstegsverifieringen för {konto.get_username()} är återställd."
    if tvasteg.kravs(konto):
        text += " Vid nästa inloggning aktiverar kontot den igen med sin nya telefon."
    messages.success(request, text)
    return redirect("tvasteg_forbundet")


urlpatterns = [
    path("", egen, name="tvasteg"),
    path("verifiera/", verifiera, name="tvasteg_verifiera"),
    path("aktivera/", aktivera, name="tvasteg_aktivera"),
    path("ta-bort/", ta_bort, name="tvasteg_ta_bort"),
    path("forbundet/", forbundet, name="tvasteg_forbundet"),
    path("forbundet/<int:pk>/aterstall/", aterstall, name="tvasteg_aterstall"),
]
