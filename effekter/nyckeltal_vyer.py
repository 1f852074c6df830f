"""The year's key figures: the simple model, the benefits and the income side of the transition
model, with their sources. The kansli edits them (each part its own form, saved through the
services, which check the rules and write the audit rows); the styrelse reads them. A year
without key figures gets them with one button: last year's, or the catalogue's."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from effekter import berakning, modell
from effekter.formular import EnkelForm, ErsattningForm, InkomstForm
from effekter.nyckeltal import BASAR
from registrering import permissions, services
from registrering.forms import service_fel_pa_falt
from registrering.models import Ersattningsnyckeltal, Forbund, Inkomstnyckeltal

BARA_KANSLIET = "Nyckeltalen ändras av verksamhetsutvecklaren eller förbundschefen."


def procenttext(varde: Decimal) -> str:
    """20.67 → "20,67"; 3.00 → "3" (as a person would type it again)."""
    text = format(Decimal(varde).normalize(), "f")
    return text.replace(".", ",")


@dataclass
class Formular:
    """The page's forms: unbound with the stored values, except the one just posted."""

    enkel: EnkelForm | None
    inkomst: InkomstForm | None
    ersattningar: dict[str, ErsattningForm] = field(default_factory=dict)
    ny: ErsattningForm | None = None
    postat: forms.Form | None = None  # the form with errors, for the summary at the top


def _ersattningsvarden(rad: Ersattningsnyckeltal) -> dict[str, Any]:
    return {
        "namn": rad.namn,
        "betalare": rad.betalare,
        "arsbelopp": str(rad.arsbelopp),
        "okning": procenttext(rad.okning),
        "skattepliktig": rad.skattepliktig,
        "kalla": rad.kalla,
    }


def _inkomstvarden(rad: Inkomstnyckeltal) -> dict[str, Any]:
    varden: dict[str, Any] = {"arslon": str(rad.arslon), "kalla": rad.kalla}
    varden["jobbskatteavdrag"] = str(rad.jobbskatteavdrag)
    for namn in ("loneokning", "kommunalskatt", "regionskatt", "arbetsgivaravgift"):
        varden[namn] = procenttext(getattr(rad, namn))
    return varden


def _formular(rader: berakning.Nyckeltalsrader) -> Formular:
    enkel = rader.enkel
    return Formular(
        enkel=EnkelForm(
            initial={
                "kostnad_per_manad": str(enkel.kostnad_per_manad),
                "skatt_per_manad": str(enkel.skatt_per_manad),
                "kalla": enkel.kalla,
                "kalla_datum": enkel.kalla_datum,
            },
            prefix="enkel",
        )
        if enkel
        else None,
        inkomst=InkomstForm(initial=_inkomstvarden(rader.inkomst), prefix="inkomst")
        if rader.inkomst
        else None,
        ersattningar={
            e.kod: ErsattningForm(initial=_ersattningsvarden(e), prefix=f"e-{e.kod}")
            for e in rader.ersattningar
        },
        ny=ErsattningForm(ny=True, prefix="ny", initial={"okning": "0"})
        if rader.ersattningar
        else None,
    )


def _spara_formular(
    request: HttpRequest, form: forms.Form, spara: Any, ankare: str
) -> HttpResponse | None:
    """Validate, save through the service, and go back to the part saved; None: errors."""
    if form.is_valid():
        try:
            spara(form.cleaned_data)
        except ValidationError as exc:
            service_fel_pa_falt(form, exc)
        else:
            messages.success(request, "Nyckeltalen är sparade.")
            return redirect(f"{request.path}#{ankare}")
    return None


def _post(
    request: HttpRequest, forbund: Forbund, ar: int, formular: Formular
) -> HttpResponse | None:
    user = permissions.inloggad(request)
    del_ = request.POST.get("del", "")
    data = request.POST
    if del_ == "hamta":
        services.nyckeltal_for_aret(user=user, forbund=forbund, ar=ar)
        messages.success(request, f"Nyckeltalen för {ar} är hämtade.")
        return redirect(request.path)
    if del_ == "enkel" and formular.enkel is not None:
        formular.enkel = formular.postat = EnkelForm(data, prefix="enkel")
        return _spara_formular(
            request,
            formular.enkel,
            lambda d: services.effektnyckeltal_spara(user=user, forbund=forbund, ar=ar, **d),
            "enkla-modellen",
        )
    if del_ == "inkomst" and formular.inkomst is not None:
        formular.inkomst = formular.postat = InkomstForm(data, prefix="inkomst")
        return _spara_formular(
            request,
            formular.inkomst,
            lambda d: services.inkomstnyckeltal_spara(user=user, forbund=forbund, ar=ar, varden=d),
            "inkomstsidan",
        )
    if del_ == "ny" and formular.ny is not None:
        formular.ny = formular.postat = ErsattningForm(data, ny=True, prefix="ny")
        return _spara_formular(
            request,
            formular.ny,
            lambda d: services.ersattningsnyckeltal_spara(user=user, forbund=forbund, ar=ar, **d),
            "ersattningar",
        )
    kod = del_.removeprefix("e:")
    if del_.startswith("e:") and kod in formular.ersattningar:
        form = ErsattningForm(data, prefix=f"e-{kod}")
        formular.ersattningar[kod] = formular.postat = form
        return _spara_formular(
            request,
            form,
            lambda d: services.ersattningsnyckeltal_spara(
                user=user, forbund=forbund, ar=ar, kod=kod, **d
            ),
            f"ersattning-{kod}",
        )
    return HttpResponseBadRequest("Okänd del av nyckeltalssidan.")


@require_http_methods(["GET", "POST"])
@permissions.ser_rapporter
def nyckeltal(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    """The year's key figures; the kansli's forms post back here, one part at a time."""
    redigera = permissions.kan_administrera(request.user, forbund)
    rader = berakning.nyckeltalsrader(forbund=forbund, ar=ar)
    formular = _formular(rader)
    status = 200
    if request.method == "POST":
        if not redigera:
            raise PermissionDenied(BARA_KANSLIET)
        svar = _post(request, forbund, ar, formular)
        if svar is not None:
            return svar
        status = 400
    forra = (
        None if rader.kompletta else berakning.senaste_ar_med_nyckeltal(forbund=forbund, fore=ar)
    )
    return render(
        request,
        "effekter/nyckeltal.html",
        {
            "forbund": forbund,
            "ar": ar,
            "rader": rader,
            "f": formular,
            "ersattningar": [
                (e, procenttext(e.okning), formular.ersattningar[e.kod]) for e in rader.ersattningar
            ],
            "enkel_per_person": modell.enkel_effekt(
                1,
                kostnad_per_manad=rader.enkel.kostnad_per_manad,
                skatt_per_manad=rader.enkel.skatt_per_manad,
            ).berakning_per_person
            if rader.enkel
            else "",
            "inkomst_procent": _inkomstvarden(rader.inkomst) if rader.inkomst else {},
            "redigera": redigera,
            "forra_ar": forra,
            "katalogens_ar": BASAR,
            "forflyttningar_url": reverse("effekter:forflyttningar", args=[ar]),
        },
        status=status,
    )
