"""The underlag to Uppföljning Finsam: a page with the sheets' contents and what is missing
(with links to where each is fixed), and the Excel file with the same sheets.

For the kansli (verksamhetsutvecklare, förbundschef), as before: the styrelse reads the bilaga.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from rapporter.export import (
    XLSX_CONTENT_TYPE,
    underlag_blad,
    underlag_filnamn,
    underlag_uppfoljning_finsam,
)
from rapporter.underlag import Underlag, UnderlagInsats, underlag
from rapporter.views import ladda_ned
from registrering import permissions
from registrering.models import Forbund
from registrering.underlagsregler import FORBUND_SAKNAS_TEXT, SAKNAS_TEXT


@dataclass(frozen=True)
class Atgard:
    """One missing field and where it is filled in."""

    text: str
    adress: str


def _admin(sida: str, *args: object, **initial: object) -> str:
    """An admin page of registrering, with initial values for an add form."""
    adress = reverse(f"admin:registrering_{sida}", args=args)
    return f"{adress}?{urlencode(initial)}" if initial else adress


def _insatsens_atgarder(rad: UnderlagInsats, ar: int) -> tuple[Atgard, ...]:
    adresser = {
        "preciserad_inriktning": _admin("insats_change", rad.insats_id),
        "malgrupper": _admin("insats_change", rad.insats_id),
        "budgeterat_antal": _admin("budgeteradvolym_add", insats=rad.insats_id, ar=ar),
        "budget": _admin(
            "kostnadspost_add", ar=ar, typ="insats", insats=rad.insats_id, namn=rad.namn
        ),
        "utfall": reverse("rapporter:utfall", args=[ar]),
        "deltagare": reverse("registrering:oversikt_ar", args=[ar]),
    }
    return tuple(Atgard(SAKNAS_TEXT[s], adresser[s]) for s in rad.saknas)


def _forbundets_atgarder(data: Underlag) -> tuple[Atgard, ...]:
    ar = data.ar
    adresser = {
        "verksamhetsplan": _admin("verksamhetsplan_add", ar=ar),
        "befolkning": _admin("befolkning_changelist"),
        "eget_kapital": _admin("verksamhetsplan_changelist"),
        "kostnadsposter": _admin("kostnadspost_add", ar=ar),
        "administration": _admin("kostnadspost_add", ar=ar, typ="administration"),
        "utfall": reverse("rapporter:utfall", args=[ar]),
    }
    return tuple(Atgard(FORBUND_SAKNAS_TEXT[s], adresser[s]) for s in data.forbund.saknas)


@require_GET
@permissions.administrerar
def underlag_sida(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    """The year's underlag as a page: what is missing first, then the two sheets."""
    data = underlag(forbund=forbund, ar=ar)
    return render(
        request,
        "rapporter/underlag.html",
        {
            "u": data,
            "ar": ar,
            "blad": [
                # Numbers right-aligned and in Swedish format: each cell with whether it is one.
                (b.titel, b.rubriker, [[(c, isinstance(c, int)) for c in rad] for rad in b.rader])
                for b in underlag_blad(data)
            ],
            "brister": [(rad, _insatsens_atgarder(rad, ar)) for rad in data.brister],
            "forbundets_brister": _forbundets_atgarder(data),
            "filnamn": underlag_filnamn(data),
            "innehallstyp": XLSX_CONTENT_TYPE,
        },
    )


@require_GET
@permissions.administrerar
def underlag_xlsx(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    """The same sheets as an Excel file, for the transfer to Uppföljning Finsam."""
    return ladda_ned(underlag_uppfoljning_finsam(forbund=forbund, ar=ar))
