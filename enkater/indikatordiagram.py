"""The Indikatorer report's charts: per question one 100 % stacked bar per collection year with
n, drawn by the results' charts (`enkater.diagram`, seed 003's look) from a report's `Fraga`
(never from the database): SVG for the page, PNG for the PDF. A year whose figures may not be
shown has its label and "För få svar för att redovisas" in its row, no bar.
"""

from __future__ import annotations

import base64

from enkater.diagram import Enkatdiagram, rendera
from enkater.indikatorer import FOR_FA, Fraga
from rapporter.diagram import Tabell


def diagram(fraga: Fraga) -> Enkatdiagram:
    """The question's chart (its figures as a table are the report's own, beside it)."""
    return Enkatdiagram(
        rubrik=f"{fraga.text} ({fraga.grupp_namn})",
        alt=alt_text(fraga),
        tabell=Tabell((), ()),
        rader=tuple(s.etikett if s.visas else str(s.ar) for s in fraga.staplar),
        alternativ=fraga.alternativ,
        andelar=tuple(
            tuple(100 * a / s.n for a in s.antal) if s.antal is not None and s.n else None
            for s in fraga.staplar
        ),
    )


def rita(fraga: Fraga, format_: str = "svg") -> bytes:
    """The question's chart as SVG or PNG."""
    return rendera(diagram(fraga), format_)


def version(fraga: Fraga) -> str:
    """A short hash of what the chart shows: part of its address, so browsers may keep it."""
    return diagram(fraga).version


def data_uri(fraga: Fraga, format_: str = "svg") -> str:
    """The chart as a `data:` URI (the PDF's fetcher allows those and nothing else outside)."""
    mime = "image/svg+xml" if format_ == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(rita(fraga, format_)).decode()}"


def alt_text(fraga: Fraga) -> str:
    """What the chart shows, in words, for screen readers and the PDF's figure."""
    delar = []
    for s in fraga.staplar:
        if not s.visas:
            delar.append(f"{s.ar}: {FOR_FA.lower()}")
            continue
        andelar = ", ".join(
            f"{namn} {a}\u00a0%" for namn, a in zip(fraga.alternativ, s.andelar, strict=True)
        )
        delar.append(f"{s.ar} (n={s.n}): {andelar}")
    return f"{fraga.text} ({fraga.grupp_namn}). " + "; ".join(delar) + "."
