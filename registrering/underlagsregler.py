"""Rules for history and for the transfer to Uppföljning Finsam: a yearly total with or without
the gender split, what a cost post may be the cost of, and what the national system needs of
an insats before its year can be copied there.

Plain functions returning `Fel`, like every rule in `registrering.regler` (which asks for these,
so every door calls them as `regler.<namn>`). They take values the caller has read; none of them
queries the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from registrering.models.bilaga import Kostnadspost
from registrering.models.insatser import Insats
from registrering.regelgrund import Fel

#: The split fields of an `Arstotal` and the totals used when the old system had no split.
ARSTOTAL_UPPDELNING = (
    "deltagare_kvinnor",
    "deltagare_man",
    "nya_kvinnor",
    "nya_man",
    "avslutade_kvinnor",
    "avslutade_man",
)
ARSTOTAL_TOTALER = ("deltagare", "nya", "avslutade")


def arstotal_uppdelning(varden: Mapping[str, object]) -> list[Fel]:
    """A yearly total has the gender split or the totals without it, never both. With the
    split, deltagare kvinnor and män are both given; with the totals, deltagare is. A row
    with neither is only a volume (a volyminsats's year)."""
    uppdelning = [f for f in ARSTOTAL_UPPDELNING if varden.get(f) is not None]
    totaler = [f for f in ARSTOTAL_TOTALER if varden.get(f) is not None]
    if uppdelning and totaler:
        return [
            Fel(
                totaler[0],
                "Ange antingen kvinnor och män eller totalen utan kön, inte båda. Lämna "
                "kvinnor och män tomma när det gamla systemet bara har totalen.",
            )
        ]
    if totaler:
        if varden.get("deltagare") is None:
            return [Fel("deltagare", "Ange deltagare totalt när nya eller avslutade saknar kön.")]
        return []
    if uppdelning:
        return [
            Fel(falt, f"Ange deltagare {ord} (0 om inga), eller bara totalen utan kön.")
            for falt, ord in (("deltagare_kvinnor", "kvinnor"), ("deltagare_man", "män"))
            if varden.get(falt) is None
        ]
    if varden.get("volym") is None:
        return [
            Fel(
                "deltagare_kvinnor",
                "Ange deltagare kvinnor och män, eller deltagare totalt om uppdelningen på kön "
                "saknas.",
            )
        ]
    return []


def arstotal_totaler(*, deltagare: int, nya: int, avslutade: int) -> list[Fel]:
    """A yearly total without the split: never more nya or avslutade than deltagare."""
    return [
        Fel(vad, f"Fler {vad} ({antal_}) än deltagare ({deltagare}).")
        for vad, antal_ in (("nya", nya), ("avslutade", avslutade))
        if antal_ > deltagare
    ]


def kostnadspost(
    *, typ: str, insats: Insats | None, forbund_id: int | None, ar: int | None
) -> list[Fel]:
    """A cost post names an insats only as a cost of insatser, and only one of its own
    förbund that runs during the post's year."""
    if insats is None:
        return []
    if typ != Kostnadspost.Typ.INSATS:
        return [Fel("insats", "En post för administration hör inte till någon insats.")]
    if forbund_id is not None and insats.forbund_id != forbund_id:
        return [Fel("insats", "Insatsen hör till ett annat förbund.")]
    if ar is not None and not insats.aktiv_under(ar):
        return [Fel("insats", f"{insats.namn} pågår inte under {ar}.")]
    return []


# --- What Uppföljning Finsam needs of an insats -----------------------------------------------


@dataclass(frozen=True)
class InsatsUppgifter:
    """What is known of one insats for a year, read by the caller: its fields, whether it has
    a budget or cost, and whether it has participants or a volume reported."""

    insats: Insats
    malgrupper: int
    har_budget: bool
    har_utfall: bool
    har_deltagare: bool
    har_budgeterat_antal: bool


#: The field names the list of missing information uses, in the national system's order.
SAKNAS_TEXT = {
    "preciserad_inriktning": "preciserad inriktning",
    "malgrupper": "målgrupp",
    "budgeterat_antal": "budgeterat antal deltagare",
    "budget": "budgeterad kostnad",
    "utfall": "faktisk kostnad (utfall)",
    "deltagare": "deltagare eller volym",
}


def underlag_saknas(uppgifter: InsatsUppgifter) -> tuple[str, ...]:
    """The fields Uppföljning Finsam needs for the insats's year that are missing, as keys of
    `SAKNAS_TEXT`: preciserad inriktning, at least one målgrupp ("ingen specifik målgrupp" is
    one), the budgeted number, a budgeted and an actual
    cost (a cost post of the insats), and participants or a volume reported."""
    insats = uppgifter.insats
    saknas = []
    if not insats.preciserad_inriktning:
        saknas.append("preciserad_inriktning")
    if not uppgifter.malgrupper:
        saknas.append("malgrupper")
    if not uppgifter.har_budgeterat_antal:
        saknas.append("budgeterat_antal")
    if not uppgifter.har_budget:
        saknas.append("budget")
    if not uppgifter.har_utfall:
        saknas.append("utfall")
    if not uppgifter.har_deltagare:
        saknas.append("deltagare")
    return tuple(saknas)


#: What the förbund's part of the underlag may lack, in the national system's order.
FORBUND_SAKNAS_TEXT = {
    "verksamhetsplan": "verksamhetsplan med årets tilldelning",
    "befolkning": "kommunernas befolkning (för medlemsbidragen per kommun)",
    "eget_kapital": "eget kapital 1/1",
    "kostnadsposter": "kostnadsposter med budget",
    "administration": "en kostnadspost för administration",
    "utfall": "utfall för hela året",
}


def underlag_forbund_saknas(
    *,
    har_plan: bool,
    har_eget_kapital: bool,
    har_befolkning: bool,
    har_kostnadsposter: bool,
    har_administration: bool,
    utfall_till_manad: int,
) -> tuple[str, ...]:
    """What the förbund's year lacks for Uppföljning Finsam, as keys of `FORBUND_SAKNAS_TEXT`:
    the members' contributions need the verksamhetsplan's tilldelning (and the population for
    the kommuner's shares), the eget kapital its value on 1 January, and budget and utfall split
    between insatser and administration need cost posts of both kinds booked through December."""
    saknas = []
    if not har_plan:
        saknas.append("verksamhetsplan")
    else:
        if not har_befolkning:
            saknas.append("befolkning")
        if not har_eget_kapital:
            saknas.append("eget_kapital")
    if not har_kostnadsposter:
        saknas.append("kostnadsposter")
    else:
        if not har_administration:
            saknas.append("administration")
        if utfall_till_manad < 12:
            saknas.append("utfall")
    return tuple(saknas)
