"""The systemadministratör's pages (/system/): the installation's förbund, a new förbund with its
members and their population, logo and deadline, and the invitation of its first
verksamhetsutvecklare.

The pages show names, members and accounts, never a förbund's figures (insatser, months,
reports): those stay behind `permissions.forbund_for_user`, which refuses an account without a
förbund. Every write goes through a service of `registrering.services`.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registrering import inbjudan, permissions
from registrering.forms import service_fel_pa_falt
from registrering.models import Befolkning, Forbund, Medlem, User
from registrering.permissions import Roll, systemadministrator_kravs
from registrering.services.anvandare import (
    forsta_verksamhetsutvecklare_bjud_in,
    inbjudan_skicka_igen,
)
from registrering.services.forbund import forbund_spara
from registrering.services.medlemmar import medlemmar_spara
from registrering.systemformular import (
    BaseMedlemFormSet,
    BefolkningsarForm,
    ForbundForm,
    InbjudanForm,
    medlemmar_formset,
)

VU = str(Roll.VERKSAMHETSUTVECKLARE)


def _vu(forbund_ref: Any) -> Any:
    return User.objects.filter(forbund=forbund_ref, groups__name=VU, is_active=True)


@require_GET
@systemadministrator_kravs
def forbund_lista(request: HttpRequest) -> HttpResponse:
    """Every förbund of the installation: names, how many active accounts, and whether its
    verksamhetsutvecklare has been invited and has accepted. A constant number of queries."""
    lista = Forbund.objects.annotate(
        antal_anvandare=Count("anvandare", filter=Q(anvandare__is_active=True), distinct=True),
        vu_inbjuden=Exists(_vu(OuterRef("pk"))),
        vu_borjat=Exists(_vu(OuterRef("pk")).filter(inbjudan.HAR_BORJAT)),
    ).order_by("namn")
    return render(request, "system/forbund_lista.html", {"forbundlista": lista})


def _standardar(forbund: Forbund | None) -> int:
    """The population's year shown: the latest the förbund has, else last year."""
    if forbund is not None:
        senaste = (
            Befolkning.objects.filter(medlem__forbund=forbund)
            .order_by("-ar")
            .values_list("ar", flat=True)
            .first()
        )
        if senaste is not None:
            return senaste
    return timezone.localdate().year - 1


def _medlemmar_initial(forbund: Forbund | None, ar: int) -> list[dict[str, Any]]:
    if forbund is None:
        return []
    befolkning = dict(
        Befolkning.objects.filter(medlem__forbund=forbund, ar=ar).values_list(
            "medlem_id", "invanare"
        )
    )
    return [
        {"medlem": m, "namn": m.namn, "typ": m.typ, "invanare": befolkning.get(m.pk)}
        for m in Medlem.objects.filter(forbund=forbund).order_by("ordning", "namn")
    ]


def _ar_fran(request: HttpRequest, forbund: Forbund | None) -> tuple[BefolkningsarForm, int]:
    kalla = request.POST if request.method == "POST" else request.GET
    standard = _standardar(forbund)
    form = BefolkningsarForm(kalla if "ar" in kalla else None, initial={"ar": standard})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["ar"]
    return form, standard


def _spara(
    request: HttpRequest,
    forbund: Forbund | None,
    form: ForbundForm,
    medlemmar: BaseMedlemFormSet,
    ar: int,
) -> Forbund | None:
    """The förbund and its members in one transaction; the services' messages at the fields."""
    user = permissions.inloggad(request)
    try:
        with transaction.atomic():
            sparat = forbund_spara(user=user, forbund=forbund, varden=form.varden())
            try:
                medlemmar_spara(user=user, forbund=sparat, rader=medlemmar.medlemsrader(), ar=ar)
            except ValidationError as fel:  # the formset asked the same rules: a rare race
                raise ValidationError([f"Medlemmarna: {m}" for m in fel.messages]) from fel
    except ValidationError as fel:
        service_fel_pa_falt(cast(forms.Form, form), fel)
        return None
    return sparat


def _forbundssida(request: HttpRequest, forbund: Forbund | None) -> HttpResponse:
    arform, ar = _ar_fran(request, forbund)
    if request.method == "POST":
        form = ForbundForm(request.POST, request.FILES, instance=forbund or Forbund())
        medlemmar = medlemmar_formset(forbund=forbund, ar=ar, data=request.POST)
        giltiga = arform.is_valid() and form.is_valid() and medlemmar.is_valid()
        if giltiga and (sparat := _spara(request, forbund, form, medlemmar, ar)) is not None:
            messages.success(
                request,
                f"{sparat.namn} är sparat."
                + ("" if forbund else " Bjud nu in förbundets verksamhetsutvecklare."),
            )
            return redirect("system:forbund", pk=sparat.pk)
    else:
        form = ForbundForm(instance=forbund or Forbund())
        medlemmar = medlemmar_formset(
            forbund=forbund, ar=ar, initial=_medlemmar_initial(forbund, ar)
        )
    konton = (
        list(_vu(forbund).order_by("last_name", "first_name", "username"))
        if forbund is not None
        else []
    )
    return render(
        request,
        "system/forbund_form.html",
        {
            "forbund": forbund,
            "form": form,
            "arform": arform,
            "ar": ar,
            "medlemmar": medlemmar,
            "konton": [(k, inbjudan.har_borjat(k)) for k in konton],
            "fel": form.errors
            or arform.errors
            or any(medlemmar.errors)
            or medlemmar.non_form_errors(),
        },
    )


@require_http_methods(["GET", "POST"])
@systemadministrator_kravs
def forbund_ny(request: HttpRequest) -> HttpResponse:
    return _forbundssida(request, None)


@require_http_methods(["GET", "POST"])
@systemadministrator_kravs
def forbund_andra(request: HttpRequest, pk: int) -> HttpResponse:
    return _forbundssida(request, get_object_or_404(Forbund, pk=pk))


@require_http_methods(["GET", "POST"])
@systemadministrator_kravs
def bjud_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the förbund's verksamhetsutvecklare: an account and a mail with the link."""
    forbund = get_object_or_404(Forbund, pk=pk)
    form = InbjudanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            konto = forsta_verksamhetsutvecklare_bjud_in(
                user=permissions.inloggad(request),
                forbund=forbund,
                fornamn=form.cleaned_data["fornamn"],
                efternamn=form.cleaned_data["efternamn"],
                epost=form.cleaned_data["epost"],
            )
        except ValidationError as fel:
            form.fel_fran_tjansten(fel)
        except OSError:  # the mail server did not take it: nothing was saved
            form.add_error(None, "Brevet kunde inte skickas. Försök igen om en stund.")
        else:
            messages.success(request, f"Inbjudan är skickad till {konto.email}.")
            return redirect("system:forbund", pk=forbund.pk)
    return render(
        request,
        "system/bjud_in.html",
        {
            "forbund": forbund,
            "form": form,
            "sso": inbjudan.via_sso(),
            "dagar": inbjudan.giltig_dagar(),
        },
    )


@require_POST
@systemadministrator_kravs
def skicka_igen(request: HttpRequest, pk: int, konto_pk: int) -> HttpResponse:
    """Send a verksamhetsutvecklare's invitation again, with a new link."""
    forbund = get_object_or_404(Forbund, pk=pk)
    konto = get_object_or_404(_vu(forbund), pk=konto_pk)
    try:
        inbjudan_skicka_igen(user=permissions.inloggad(request), konto=konto)
    except ValidationError as fel:
        messages.error(request, " ".join(fel.messages))
    except OSError:
        messages.error(request, "Brevet kunde inte skickas. Försök igen om en stund.")
    else:
        messages.success(request, f"En ny inbjudan är skickad till {konto.email}.")
    return redirect("system:forbund", pk=forbund.pk)
