"""The joint report's chart: each förbund's eget kapital at 31/12 per year, in tkr, as a
`rapporter.diagram.Diagram` (drawn, cached and described as the bilaga's are). Never queries."""

from __future__ import annotations

from decimal import Decimal

from effekter.modell import tusental_kronor
from rapporter.diagram import Diagram, Tabell
from registrering.talformat import tal
from samverkan.selectors import Samverkansrapport


def _tkr(belopp: Decimal | None) -> int | None:
    return None if belopp is None else tusental_kronor(belopp)


def diagram_for(rapport: Samverkansrapport) -> list[Diagram]:
    """Chart 1, eget kapital per förbund and year (none when no förbund has any)."""
    serier = tuple(
        (serie.namn, tuple(_tkr(a.utgaende) for a in serie.ar)) for serie in rapport.kapital
    )
    if not any(v is not None for _namn, varden in serier for v in varden):
        return []
    kategorier = tuple(str(ar) for ar in rapport.kapital_ar)
    tak = {serie.namn: tuple(_tkr(a.tak) for a in serie.ar) for serie in rapport.kapital}

    def text(v: int | None) -> str:
        return "uppgift saknas" if v is None else f"{tal(v)} tkr"

    delar = "; ".join(
        f"{namn}: "
        + ", ".join(
            f"{ar} {text(v)} (tak {text(t)})"
            for ar, v, t in zip(kategorier, varden, tak[namn], strict=True)
        )
        for namn, varden in serier
    )
    return [
        Diagram(
            nummer=1,
            rubrik="Eget kapital 31/12 per förbund, tkr",
            alt=f"Stapeldiagram över förbundens eget kapital vid årets slut i tusental kronor. "
            f"{delar}.",
            tabell=Tabell(
                ("År", *(f"{namn}, tkr" for namn, _v in serier)),
                tuple((ar, *(text(v[i]) for _n, v in serier)) for i, ar in enumerate(kategorier)),
            ),
            typ="tid",
            kategorier=kategorier,
            serier=serier,
        )
    ]
