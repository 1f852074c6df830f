"""The transition model's charts: the effect per payer and year, and the cumulative effect, as
`rapporter.diagram.Diagram`s, so that they are drawn (matplotlib, SVG), cached and described
(alternative text, the same numbers as a table) exactly as the bilaga's are. In tKr: whole
kronor do not fit as labels on ten years of bars. Never queries: it takes a computed result."""

from __future__ import annotations

from collections.abc import Sequence

from effekter import modell
from effekter.berakning import Forflyttningsresultat
from rapporter.diagram import Diagram, Tabell
from registrering.talformat import tal

BETALARNAS_NAMN = {"kommun": "Kommun", "region": "Region", "stat": "Staten"}


def _serier(
    arseffekter: Sequence[modell.Arseffekt], *, totalt: bool
) -> tuple[tuple[str, tuple[int | None, ...]], ...]:
    serier: list[tuple[str, tuple[int | None, ...]]] = [
        (
            BETALARNAS_NAMN[b],
            tuple(modell.tusental_kronor(a.for_betalare(b)) for a in arseffekter),
        )
        for b in modell.BETALARE
    ]
    if totalt:
        serier.append(("Totalt", tuple(modell.tusental_kronor(a.totalt) for a in arseffekter)))
    return tuple(serier)


def _diagram(
    nummer: int,
    rubrik: str,
    alt_intro: str,
    arseffekter: Sequence[modell.Arseffekt],
    *,
    totalt: bool,
) -> Diagram:
    kategorier = tuple(str(a.ar) for a in arseffekter)
    serier = _serier(arseffekter, totalt=totalt)
    delar = "; ".join(
        f"{namn}: "
        + ", ".join(f"{ar} {tal(v or 0)} tkr" for ar, v in zip(kategorier, v_, strict=True))
        for namn, v_ in serier
    )
    return Diagram(
        nummer=nummer,
        rubrik=rubrik,
        alt=f"{alt_intro} {delar}.",
        tabell=Tabell(
            ("År", *(f"{namn}, tkr" for namn, _v in serier)),
            tuple((ar, *(tal(v[i] or 0) for _n, v in serier)) for i, ar in enumerate(kategorier)),
        ),
        typ="tid",
        kategorier=kategorier,
        serier=serier,
    )


def diagram_for(resultat: Forflyttningsresultat) -> list[Diagram]:
    """Chart 1, the förbund's effect per payer and year; chart 2, the same summed year by year
    (with the total). None when the model could not compute the year."""
    effekt = resultat.effekt
    if effekt is None or not effekt.per_ar:
        return []
    return [
        _diagram(
            1,
            "Effekt per betalare och år mot status quo, tkr",
            "Stapeldiagram över förflyttningarnas effekt per betalare och år i tusental kronor.",
            effekt.per_ar,
            totalt=False,
        ),
        _diagram(
            2,
            "Kumulativ effekt per betalare, tkr",
            "Stapeldiagram över den sammanlagda effekten till och med varje år i tusental kronor.",
            effekt.kumulativt,
            totalt=True,
        ),
    ]
