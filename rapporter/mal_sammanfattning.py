"""The goal page's summary in words, for the board: how many volume goals are met, the survey
goal and the economy, each in one line, and why the periods of the volumes and the costs differ.

`sammanfatta(sida)` reads nothing from the database: everything comes from the `Malsida` that
`rapporter.mal.malsida` built, so the words always agree with the tables under them. The status
words are the page's own (`NAR_MALET`, `RISK`, `NAR_INTE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rapporter.arsdata import lista
from rapporter.mal import NAR_INTE, NAR_MALET, RISK, Enkatmal, Malsida, Volymmal
from rapporter.mal_ekonomi import Ekonomi
from registrering.kalender import MANADER
from registrering.regler import tal

PROCENT = "\u00a0%"
UNDER_TAKET, OVER_TAKET = "Under taket", "Över taket"


@dataclass(frozen=True)
class Punkt:
    """One line of the summary: what it is about, the sentence, and a status word (with the
    page's css modifier) when the line has one."""

    rubrik: str
    text: str
    status: str = ""
    css: str = ""


@dataclass(frozen=True)
class Sammanfattning:
    punkter: tuple[Punkt, ...]
    # Why "t.o.m. oktober" for the volumes and "t.o.m. september" for the costs.
    volymperiod: str
    kostnadsperiod: str


def sammanfatta(sida: Malsida) -> Sammanfattning:
    """The summary of the goal page `sida`."""
    return Sammanfattning(
        punkter=(
            _volymmal(sida),
            _enkatmal(sida.enkatmal, sida.ar),
            _ekonomi(sida.ekonomi, sida.ar),
        ),
        volymperiod=_volymperiod(sida),
        kostnadsperiod=_kostnadsperiod(sida.ekonomi, sida.ar),
    )


def kronor(belopp: Decimal | int, *, tecken: bool = False) -> str:
    """'1 234 567 kr'; with `tecken` '+212 000 kr' or '−120 000 kr'."""
    varde = int(belopp)
    text = f"{tal(varde)}\u00a0kr"
    return f"+{text}" if tecken and varde > 0 else text


def _status_css(status: str) -> str:
    return {
        NAR_MALET: "nar-malet",
        RISK: "risk",
        NAR_INTE: "nar-inte-malet",
        UNDER_TAKET: "nar-malet",
        OVER_TAKET: "nar-inte-malet",
    }.get(status, "")


def _volymmal(sida: Malsida) -> Punkt:
    mal: Sequence[Volymmal] = sida.volymmal
    rubrik = "Volymmål"
    if sida.till_manad:
        rubrik = f"Volymmål, t.o.m. {MANADER[sida.till_manad]}"
    if not mal:
        return Punkt(rubrik, f"Inga budgeterade volymer finns för {sida.ar}.")
    if not sida.till_manad and not sida.forlopp.som_arstotal:
        return Punkt(
            rubrik,
            f"Inga månader är rapporterade för {sida.ar} än, så volymmålen kan inte bedömas.",
        )
    nas = [v for v in mal if v.status == NAR_MALET]
    text = f"{len(nas)} av {len(mal)} volymmål nås."
    for status in (RISK, NAR_INTE):
        if namn := [v.namn for v in mal if v.status == status]:
            text += f" {status}: {lista(namn)}."
    if len(nas) == len(mal):
        return Punkt(rubrik, text, NAR_MALET, _status_css(NAR_MALET))
    return Punkt(rubrik, text)


def _enkatmal(enkat: Enkatmal | None, ar: int) -> Punkt:
    rubrik = "Enkätmålet"
    if enkat is None:
        return Punkt(rubrik, "Ingen enkätfråga är markerad för uppföljning mot målet.")
    mal = f"målet är minst {enkat.mal_procent}{PROCENT}"
    if enkat.for_fa_svar:
        # No count at all, not even how few: the selector gave none.
        return Punkt(rubrik, f"{enkat.status} för {ar} på frågan ”{enkat.fraga}” ({mal}).")
    if not enkat.antal_svar:
        return Punkt(rubrik, f"Inga enkätsvar för {ar} än ({mal}).", enkat.status)
    text = (
        f"{enkat.andel}{PROCENT} av {tal(enkat.antal_svar)} svar var positiva på frågan "
        f"”{enkat.fraga}”; {mal}."
    )
    return Punkt(rubrik, text, enkat.status, _status_css(enkat.status))


def _ekonomi(ekonomi: Ekonomi | None, ar: int) -> Punkt:
    rubrik = "Ekonomi"
    if ekonomi is None:
        return Punkt(rubrik, f"Ingen verksamhetsplan med tilldelning är registrerad för {ar}.")
    if not ekonomi.har_budget or ekonomi.utfall_prognos is None:
        return Punkt(
            rubrik,
            f"Ingen budget är registrerad för {ar}, så resultat och eget kapital kan inte bedömas.",
        )
    if ekonomi.utfall_till_manad:
        rubrik = f"Ekonomi, utfall t.o.m. {MANADER[ekonomi.utfall_till_manad]}"
    text = _resultat(ekonomi)
    prognos, over = ekonomi.eget_kapital_prognos, ekonomi.over_tak
    if prognos is None or over is None:
        return Punkt(rubrik, f"{text} Eget kapital vid årets början är inte registrerat.")
    status = OVER_TAKET if over else UNDER_TAKET
    text += (
        f" Eget kapital 31/12 väntas bli {kronor(prognos)}, {'över' if over else 'under'} "
        f"taket på {kronor(ekonomi.kapitaltak)}."
    )
    return Punkt(rubrik, text, status, _status_css(status))


def _resultat(ekonomi: Ekonomi) -> str:
    """The year's costs against the budget, and the result they give."""
    kostnader, budget = ekonomi.utfall_prognos or Decimal(0), ekonomi.budget_totalt
    resultat = kronor(ekonomi.resultat_prognos or 0, tecken=True)
    if not ekonomi.utfall_till_manad:
        return (
            f"Inget utfall är bokfört än: med budgetens kostnader ({kronor(budget)}) blir "
            f"resultatet {resultat}."
        )
    skillnad = budget - kostnader
    if skillnad == 0:
        mot_budget = "som budgeterat"
    else:
        mot_budget = f"{kronor(abs(skillnad))} {'under' if skillnad > 0 else 'över'} budget"
    return (
        f"Kostnaderna väntas bli {kronor(kostnader)} för helåret, {mot_budget} "
        f"({kronor(budget)}); resultatet blir {resultat}."
    )


def _volymperiod(sida: Malsida) -> str:
    """What "t.o.m. <month>" of the volumes means (`Malsida.till_manad`)."""
    if not sida.till_manad:
        return ""
    ej_godkanda = sum(v.ej_godkanda for v in sida.volymmal)
    text = (
        f"Deltagare och volymer t.o.m. {MANADER[sida.till_manad]} {sida.ar}: den senaste månad "
        "som någon insats har rapporterat. Varje insats räknas till och med sin egen senaste "
        "rapporterade månad, också månader som inte är godkända än"
    )
    if ej_godkanda:
        rapporter = "månadsrapport" if ej_godkanda == 1 else "månadsrapporter"
        text += f" (i volymmålen {ej_godkanda} {rapporter}, markerade ”ej godkänd”)"
    return text + "."


def _kostnadsperiod(ekonomi: Ekonomi | None, ar: int) -> str:
    """What "t.o.m. <month>" of the costs means (`Ekonomi.utfall_till_manad`), and why it may
    be earlier than the volumes'."""
    if ekonomi is None or not ekonomi.utfall_till_manad:
        return ""
    return (
        f"Kostnader t.o.m. {MANADER[ekonomi.utfall_till_manad]} {ar}: den senaste månad med "
        "bokfört utfall. Utfallet förs in från bokföringen i efterhand, per månad eller per "
        "kvartal (ett kvartal räknas till sin sista månad), så kostnaderna ligger ofta en "
        "eller två månader efter deltagarna, som rapporteras varje månad."
    )
