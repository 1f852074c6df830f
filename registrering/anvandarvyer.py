"""The förbund's users in the product (/konton/anvandare/): the verksamhetsutvecklare or
förbundschef lists them with roles and insatser, invites a new one, changes roles and insatser,
switches an account off and on, and sends an invitation again. Only the förbund's own accounts
(`permissions.konto_for_user`: another förbund's are "not found"); every write goes through
`registrering.services.anvandare`, which writes the audit row."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registrering import inbjudan, permissions
from registrering.anvandarformular import NyAnvandareForm, RollerForm
from registrering.forms import service_fel_pa_falt
from registrering.models import Forbund, Insats, User
from registrering.permissions import FORBUNDETS_ROLLER, administrerar
from registrering.services.anvandare import (
    anvandare_aktivera,
    anvandare_andra,
    anvandare_bjud_in,
    inbjudan_skicka_igen,
)

OSKICKAT = "Brevet kunde inte skickas. Försök igen om en stund."


def _roller(konto: User) -> list[str]:
    forbundets = {str(r) for r in FORBUNDETS_ROLLER}
    return sorted(g.name for g in konto.groups.all() if g.name in forbundets)


@require_GET
@administrerar
def lista(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """The förbund's accounts with their roles, insatser and state, in a constant number of
    queries."""
    konton = (
        permissions.forbundets_konton(forbund)
        .prefetch_related(
            "groups",
            Prefetch(
                "ansvar_for_insatser",
                queryset=Insats.objects.filter(forbund=forbund).order_by("namn"),
            ),
        )
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    rader = [
        {
            "konto": k,
            "roller": _roller(k),
            "insatser": [i.namn for i in k.ansvar_for_insatser.all()],
            "borjat": inbjudan.har_borjat(k),
        }
        for k in konton
    ]
    return render(request, "registration/anvandare.html", {"forbund": forbund, "rader": rader})


@require_http_methods(["GET", "POST"])
@administrerar
def ny(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """Invite a user: an account without a password and a mail with the one-time link."""
    form = NyAnvandareForm(request.POST or None, forbund=forbund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            konto = anvandare_bjud_in(
                user=permissions.inloggad(request),
                forbund=forbund,
                fornamn=data["fornamn"],
                efternamn=data["efternamn"],
                epost=data["epost"],
                roller=data["roller"],
                insatser=list(data["insatser"]),
            )
        except ValidationError as fel:
            service_fel_pa_falt(form, fel)
        except OSError:  # the mail server did not take it: nothing was saved
            form.add_error(None, OSKICKAT)
        else:
            messages.success(request, f"Inbjudan är skickad till {konto.email}.")
            return redirect("anvandare:lista")
    return render(
        request,
        "registration/anvandare_ny.html",
        {"forbund": forbund, "form": form, "sso": inbjudan.via_sso()},
    )


@require_http_methods(["GET", "POST"])
@administrerar
def andra(request: HttpRequest, forbund: Forbund, pk: int) -> HttpResponse:
    """A user's roles and insatser."""
    konto = permissions.konto_for_user(request.user, forbund, pk)
    initial = {
        "roller": _roller(konto),
        "insatser": list(konto.ansvar_for_insatser.filter(forbund=forbund)),
    }
    form = RollerForm(request.POST or None, forbund=forbund, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            anvandare_andra(
                user=permissions.inloggad(request),
                konto=konto,
                roller=form.cleaned_data["roller"],
                insatser=list(form.cleaned_data["insatser"]),
            )
        except ValidationError as fel:
            service_fel_pa_falt(form, fel)
        else:
            messages.success(request, f"{konto.get_full_name() or konto.username} är sparad.")
            return redirect("anvandare:lista")
    return render(
        request,
        "registration/anvandare_andra.html",
        {
            "forbund": forbund,
            "konto": konto,
            "form": form,
            "borjat": inbjudan.har_borjat(konto),
            "sig_sjalv": konto.pk == request.user.pk,
        },
    )


@require_POST
@administrerar
def aktiv(request: HttpRequest, forbund: Forbund, pk: int) -> HttpResponse:
    """Switch the account off (`aktiv=0`) or on again (`aktiv=1`)."""
    konto = permissions.konto_for_user(request.user, forbund, pk)
    pa = request.POST.get("aktiv") == "1"
    try:
        anvandare_aktivera(user=permissions.inloggad(request), konto=konto, aktiv=pa)
    except ValidationError as fel:
        messages.error(request, " ".join(fel.messages))
    else:
        namn = konto.get_full_name() or konto.username
        messages.success(
            request,
            f"{namn} kan logga in igen." if pa else f"{namn} är avstängd och kan inte logga in.",
        )
    return redirect("anvandare:andra", pk=konto.pk)


@require_POST
@administrerar
def skicka_igen(request: HttpRequest, forbund: Forbund, pk: int) -> HttpResponse:
    konto = permissions.konto_for_user(request.user, forbund, pk)
    try:
        inbjudan_skicka_igen(user=permissions.inloggad(request), konto=konto)
    except ValidationError as fel:
        messages.error(request, " ".join(fel.messages))
    except OSError:
        messages.error(request, OSKICKAT)
    else:
        messages.success(request, f"En ny inbjudan är skickad till {konto.email}.")
    return redirect("anvandare:andra", pk=konto.pk)
