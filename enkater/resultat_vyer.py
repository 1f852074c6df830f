"""The survey results page (/enkater/resultat/) and its charts as SVG.

The kansli and the styrelse see everything of their förbund; an insatsansvarig sees only the
rounds of their own insatser, and every total on their page is computed from those rounds alone
(`permissions.enkatresultat_insatser` → `Urval.insatser`). Below the minimum n the selector has
already removed the figures; the page only says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from enkater import diagram as d
from enkater.selectors import (
    Enkatdel,
    Enkatresultat,
    Fragaserie,
    Indelning,
    Indikatorgrupp,
    Urval,
    enkatresultat,
)
from rapporter.views import DIAGRAM_TIMEOUT, svg_policy
from registrering import permissions
from registrering.kalender import MINSTA_AR, STORSTA_AR
from registrering.models import Enkat, Forbund, Insats, Respondentgrupp

ALLA = "alla"  # the URL's name for a question's series without a respondent group


class UrvalForm(forms.Form):
    """The page's filters (GET). Choices are the förbund's enkäter and the insatser the user
    may see; anything else is refused."""

    enkat = forms.TypedChoiceField(label="Enkät", required=False, coerce=int, empty_value=None)
    grupp = forms.ChoiceField(
        label="Respondentgrupp",
        required=False,
        choices=[("", "Alla grupper"), *Respondentgrupp.choices],
    )
    insats = forms.TypedChoiceField(label="Insats", required=False, coerce=int, empty_value=None)
    fran_ar = forms.IntegerField(
        label="Från år", required=False, min_value=MINSTA_AR, max_value=STORSTA_AR
    )
    till_ar = forms.IntegerField(
        label="Till år", required=False, min_value=MINSTA_AR, max_value=STORSTA_AR
    )
    visa = forms.ChoiceField(
        label="En stapel per",
        required=False,
        choices=[(Indelning.AR, "år"), (Indelning.TILLFALLE, "tillfälle")],
        help_text="Indikatorerna (NNS) räknas per insamlingsår, 1/11–31/10; övriga enkäter "
        "per kalenderår.",
    )

    def __init__(
        self, data: object, *, enkater: list[Enkat], insatser: list[Insats], alla_insatser: bool
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        enkat_falt = self.fields["enkat"]
        insats_falt = self.fields["insats"]
        assert isinstance(enkat_falt, forms.ChoiceField)
        assert isinstance(insats_falt, forms.ChoiceField)
        enkat_falt.choices = [("", "Alla enkäter"), *((e.pk, e.namn) for e in enkater)]
        alla = "Alla insatser" if alla_insatser else "Alla mina insatser"
        insats_falt.choices = [("", alla), *((i.pk, i.namn) for i in insatser)]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        fran, till = data.get("fran_ar"), data.get("till_ar")
        if isinstance(fran, int) and isinstance(till, int) and fran > till:
            self.add_error("till_ar", "Till-året kan inte vara före från-året.")
        return data


def _formular(request: HttpRequest, forbund: Forbund) -> tuple[UrvalForm, frozenset[int] | None]:
    """The filter form for the user, and whose rounds they may see (None: all)."""
    egna = permissions.enkatresultat_insatser(request.user, forbund)
    insatser = list(
        permissions.insatser_for_user(request.user, forbund).only("pk", "namn").order_by("namn")
    )
    form = UrvalForm(
        request.GET or None,
        enkater=list(Enkat.objects.filter(forbund=forbund).only("pk", "namn")),
        insatser=insatser,
        alla_insatser=egna is None,
    )
    return form, egna


def _urval(form: UrvalForm, egna: frozenset[int] | None) -> tuple[Urval, Indelning]:
    data = form.cleaned_data if form.is_bound else {}
    insatser = egna
    if vald := data.get("insats"):
        insatser = frozenset({vald})
    urval = Urval(
        fran_ar=data.get("fran_ar"),
        till_ar=data.get("till_ar"),
        enkat_id=data.get("enkat"),
        respondentgrupp=data.get("grupp") or "",
        insatser=insatser,
        omfang=egna,
    )
    return urval, Indelning(data.get("visa") or Indelning.AR)


@require_GET
@permissions.ser_enkatresultat
def resultat(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """Per question the bars per year or round, n and the share of positive answers."""
    form, egna = _formular(request, forbund)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "enkater/resultat.html",
            {"form": form, "forbund": forbund, "egna": egna is not None, "min_n": _min_n()},
            status=400,
        )
    urval, indelning = _urval(form, egna)
    data = enkatresultat(forbund=forbund, urval=urval, indelning=indelning)
    return render(
        request,
        "enkater/resultat.html",
        {
            "form": form,
            "forbund": forbund,
            "egna": egna is not None,
            "min_n": data.min_n,
            "r": data,
            "figurer": _figurer(data, _fraga(request)),
        },
    )


def _min_n() -> int:
    return int(settings.FINSAM_ENKAT_MIN_N)


def _fraga(request: HttpRequest) -> str:
    """The filters as a query string, without the chart's version."""
    return urlencode([(k, v) for k, v in request.GET.items() if k != "v" and v])


@dataclass(frozen=True)
class Figur:
    """A series as the page shows it: its chart (None when no bar has figures) and the chart's
    address with the data version."""

    serie: Fragaserie
    diagram: d.Enkatdiagram | None = None
    adress: str = ""


def _figurer(
    data: Enkatresultat, fraga: str
) -> list[tuple[Enkatdel, list[tuple[Indikatorgrupp, list[Figur]]]]]:
    """The results per enkät and group, each series with its chart."""
    return [
        (
            del_,
            [(grupp, [_figur(serie, fraga) for serie in grupp.serier]) for grupp in del_.grupper],
        )
        for del_ in data.delar
    ]


def _figur(serie: Fragaserie, fraga: str) -> Figur:
    dg = d.diagram_for_serie(serie) if serie.visade else None
    if dg is None:
        return Figur(serie)
    adress = reverse(
        "enkater:resultat_diagram", args=[serie.fraga_id, serie.respondentgrupp or ALLA]
    )
    return Figur(serie, dg, f"{adress}?{fraga}{'&' if fraga else ''}v={dg.version}")


@require_GET
@permissions.ser_enkatresultat
@svg_policy
def diagram_svg(request: HttpRequest, forbund: Forbund, fraga_id: int, grupp: str) -> HttpResponse:
    """One question's chart as SVG for the same filters as the page. Cached under its data
    version and the user's scope (whose rounds count), so a chart drawn for the kansli is never
    served to an insatsansvarig who could not see its data."""
    form, egna = _formular(request, forbund)
    if form.is_bound and not form.is_valid():
        raise Http404("Okänt urval.")
    urval, indelning = _urval(form, egna)
    grupp = "" if grupp == ALLA else grupp
    version = request.GET.get("v", "")
    svg = None
    if version:
        svg = cache.get(_nyckel(forbund, urval, indelning, fraga_id, grupp, version))
    if svg is None:
        data = enkatresultat(forbund=forbund, urval=urval, indelning=indelning)
        serie = _serie(data, fraga_id, grupp)
        dg = d.diagram_for_serie(serie) if serie and serie.visade else None
        if dg is None:
            raise Http404("Diagrammet finns inte.")
        svg = d.rendera(dg, "svg")
        nyckel = _nyckel(forbund, urval, indelning, fraga_id, grupp, dg.version)
        cache.set(nyckel, svg, DIAGRAM_TIMEOUT)
        version = version if version == dg.version else ""
    response = HttpResponse(svg, content_type="image/svg+xml")
    if version:
        response["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response


def _serie(data: Enkatresultat, fraga_id: int, grupp: str) -> Fragaserie | None:
    return next(
        (s for s in data.serier if s.fraga_id == fraga_id and s.respondentgrupp == grupp), None
    )


def _nyckel(
    forbund: Forbund, urval: Urval, indelning: Indelning, fraga_id: int, grupp: str, version: str
) -> str:
    insatser = sorted(urval.insatser) if urval.insatser is not None else None
    scope = sorted(urval.omfang) if urval.omfang is not None else None
    delar = (
        urval.enkat_id,
        urval.respondentgrupp,
        insatser,
        scope,
        urval.fran_ar,
        urval.till_ar,
        indelning,
    )
    omfang = hashlib.sha256(repr(delar).encode()).hexdigest()[:16]
    return f"finsam:enkatdiagram:{forbund.pk}:{omfang}:{fraga_id}:{grupp}:{version}"
