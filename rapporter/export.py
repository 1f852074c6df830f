"""Exporters beside the PDF: "Underlag till Uppföljning Finsam" as an Excel file.

Same contract as `rapporter.pdf`: an exporter returns an `Export` (file name, content type,
bytes). The figures come from `rapporter.underlag` (the bilaga's numbers for the participants,
the goal page's for the money); this module only arranges them in sheets, in the order
Försäkringskassan's Uppföljning Finsam asks for them, so that the verksamhetsutvecklare can
copy them column by column. The underlag page shows the same rows (`underlag_blad`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import tablib
from django.utils.text import slugify

from rapporter.pdf import Export
from rapporter.underlag import Underlag, UnderlagForbund, UnderlagInsats, underlag
from registrering.formats import XLSX
from registrering.models import Forbund

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | None

UNDERLAG_KOLUMNER = (
    "Insats",
    "Inriktning",
    "Preciserad inriktning",
    "Målgrupper",
    "ESF-finansierad",
    "Uppföljningsmetod",
    "Volymenhet",
    "Budgeterat antal deltagare",
    "Budgeterad kostnad (kr)",
    "Faktisk kostnad (kr)",
    "Antal deltagare kvinnor",
    "Antal deltagare män",
    "Antal deltagare totalt",
    "Volym",
    "Saknas",
)
FORBUND_KOLUMNER = ("Uppgift", "Belopp (kr)", "Kommentar")
#: Written where kvinnor and män are unknown (a yearly total without the gender split).
KON_SAKNAS = "uppgift saknas"


@dataclass(frozen=True)
class Blad:
    """One sheet: its name, its headers and its rows."""

    titel: str
    rubriker: tuple[str, ...]
    rader: tuple[tuple[Cell, ...], ...]

    def dataset(self) -> tablib.Dataset:
        return tablib.Dataset(*self.rader, headers=self.rubriker, title=self.titel)


def _kr(belopp: Decimal | None) -> int | None:
    return None if belopp is None else int(belopp)


def _andel(procent: Decimal | None) -> str:
    """A kommun's share of the kommuner's population, "20,7 % av kommunernas invånare"."""
    if procent is None:
        return ""
    return f"{procent}\u00a0% av kommunernas invånare".replace(".", ",")


def _insatsrad(rad: UnderlagInsats) -> tuple[Cell, ...]:
    kon_saknas = KON_SAKNAS if rad.kon_saknas else None
    return (
        rad.namn,
        rad.inriktning,
        rad.preciserad_inriktning,
        rad.malgrupper,
        "Ja" if rad.esf else "Nej",
        rad.uppfoljning,
        rad.volymenhet,
        rad.budgeterat,
        _kr(rad.budget),
        _kr(rad.utfall),
        rad.deltagare_kvinnor if not rad.kon_saknas else kon_saknas,
        rad.deltagare_man if not rad.kon_saknas else kon_saknas,
        rad.deltagare_totalt,
        rad.volym,
        ", ".join(rad.saknas_text),
    )


def _forbundsrader(f: UnderlagForbund, ar: int) -> tuple[tuple[Cell, ...], ...]:
    """The förbund's sheet: the members' contributions, then budget and utfall for insatser
    and administration, the result and the eget kapital."""
    utfall_till = (
        f"utfall bokat till och med månad {f.utfall_till_manad}"
        if f.utfall_till_manad < 12
        else "helår"
    )
    rader: list[tuple[Cell, ...]] = [
        (
            f"Medlemsbidrag: {m.namn}",
            _kr(m.belopp),
            _andel(m.procent),
        )
        for m in f.medlemmar
    ]
    rader += [
        ("Tilldelade medel totalt", _kr(f.tilldelning), ""),
        ("Budget insatser", _kr(f.budget_insatser) if f.har_budget else None, ""),
        ("Budget administration", _kr(f.budget_administration) if f.har_budget else None, ""),
        ("Budget totalt", _kr(f.budget_totalt) if f.har_budget else None, ""),
        ("Utfall insatser", _kr(f.utfall_insatser) if f.har_budget else None, utfall_till),
        (
            "Utfall administration",
            _kr(f.utfall_administration) if f.har_budget else None,
            utfall_till,
        ),
        ("Utfall totalt", _kr(f.utfall_totalt) if f.har_budget else None, utfall_till),
        (f"Årets resultat {ar}", _kr(f.resultat), "tilldelade medel − utfall"),
        (f"Eget kapital 1/1 {ar}", _kr(f.eget_kapital_ingaende), ""),
        (f"Eget kapital 31/12 {ar}", _kr(f.eget_kapital_utgaende), "1/1 + årets resultat"),
    ]
    return tuple(rader)


def underlag_blad(data: Underlag) -> tuple[Blad, Blad]:
    """The two sheets: Insatser (one row per insats) and Förbundet (the money)."""
    return (
        Blad("Insatser", UNDERLAG_KOLUMNER, tuple(_insatsrad(r) for r in data.insatser)),
        Blad("Förbundet", FORBUND_KOLUMNER, _forbundsrader(data.forbund, data.ar)),
    )


def underlag_filnamn(data: Underlag) -> str:
    return f"underlag-uppfoljning-finsam-{slugify(data.kortnamn) or 'forbund'}-{data.ar}.xlsx"


def underlag_uppfoljning_finsam(*, forbund: Forbund, ar: int) -> Export:
    """The year's figures per insats and for the förbund, as an Excel file with the sheets
    Insatser and Förbundet to copy into Uppföljning Finsam."""
    data = underlag(forbund=forbund, ar=ar)
    # The import/export XLSX writer: bold headers, and text is never read as a formula.
    innehall = XLSX().export_bok([blad.dataset() for blad in underlag_blad(data)])
    return Export(filnamn=underlag_filnamn(data), content_type=XLSX_CONTENT_TYPE, innehall=innehall)
