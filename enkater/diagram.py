"""The survey results' charts, drawn by matplotlib from a `Fragaserie` (never from the database).

Per question a 100 % stacked horizontal bar per year or round, labelled "2024 (n=86)", the
options in the scale's order with a legend, as seed 003 draws them. The scale runs from light to
dark in one hue with hatches on every other step and the share written in each segment wide
enough, so it reads without colour vision and in greyscale. A bar below the minimum n has no
figures (`ForFaSvar`), so the chart writes "För få svar för att redovisas" in its row.

Like `rapporter.diagram`: each chart carries an alternative text and its data as a table (for
screen readers and for the PDF), is drawn on demand as SVG or PNG, cached by the data it shows
(`version`), and deterministic.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from enkater.selectors import FOR_FA_SVAR, Fragaserie, Stapel
from rapporter.diagram import STIL_VERSION, Tabell, tal

# Sequential blues, light to dark, distinct in lightness (they stay ordered in greyscale and
# for every kind of colour blindness); hatches on alternate steps as a second cue.
SKALA = ["#e3eef4", "#b9d4e2", "#86b3cb", "#4f8fad", "#1f6a8c", "#0b3f57"]
MONSTER = ["", "///", "", "...", "", "xx"]
MORK = "#1b1f23"
# A segment narrower than this (percent) has no share written in it: it would not fit.
MINSTA_ETIKETT = 6
RADHOJD = 0.42  # inches per bar


@dataclass(frozen=True)
class Enkatdiagram:
    """One question's chart: bar labels top to bottom, the options, and per bar the exact
    shares in percent (None: too few answers to be shown)."""

    rubrik: str
    alt: str
    tabell: Tabell
    rader: tuple[str, ...]
    alternativ: tuple[str, ...]
    andelar: tuple[tuple[float, ...] | None, ...]

    @property
    def version(self) -> str:
        """A short hash of what the chart shows: part of its URL, so browsers may cache it."""
        payload = json.dumps([STIL_VERSION, "enkat100", self.rader, self.alternativ, self.andelar])
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    @property
    def bredd_px(self) -> int:
        return round(storlek(self)[0] * 96)

    @property
    def hojd_px(self) -> int:
        return round(storlek(self)[1] * 96)


def storlek(diagram: Enkatdiagram) -> tuple[float, float]:
    """Width and height in inches: room for the bars, the axis and the legend above them."""
    legendrader = 1 if len(diagram.alternativ) <= 6 else 2
    return (7.2, 0.75 + 0.3 * legendrader + RADHOJD * max(len(diagram.rader), 1))


def diagram_for_serie(serie: Fragaserie) -> Enkatdiagram | None:
    """The chart of one question's series; None when it has no bars (no answers)."""
    if not serie.staplar:
        return None
    return Enkatdiagram(
        rubrik=f"{serie.text} ({serie.respondentgrupp_namn})",
        alt=_alt(serie),
        tabell=tabell(serie),
        rader=tuple(s.rubrik for s in serie.staplar),
        alternativ=serie.alternativ,
        andelar=tuple(
            tuple(100 * a.antal / s.n for a in s.svar) if isinstance(s, Stapel) else None
            for s in serie.staplar
        ),
    )


def tabell(serie: Fragaserie) -> Tabell:
    """The chart's figures as a table: per bar the share of each option and of the positive
    ones; a bar with too few answers says so and has no figure."""
    positiva = bool(serie.positiva_alternativ)
    rubriker = ("Svar", *serie.alternativ, *(("Positiva",) if positiva else ()))
    rader = []
    for s in serie.staplar:
        if isinstance(s, Stapel):
            rader.append(
                (
                    s.rubrik,
                    *(f"{a.procent}\u00a0% ({tal(a.antal)})" for a in s.svar),
                    *((f"{s.andel_positiva}\u00a0%",) if positiva else ()),
                )
            )
        else:
            rader.append((s.rubrik, FOR_FA_SVAR, *("–" for _ in rubriker[2:])))
    return Tabell(rubriker, tuple(rader))


def _alt(serie: Fragaserie) -> str:
    delar = []
    for s in serie.staplar:
        if isinstance(s, Stapel):
            andelar = ", ".join(f"{a.text} {a.procent}\u00a0%" for a in s.svar)
            delar.append(f"{s.rubrik}: {andelar}")
        else:
            delar.append(f"{s.rubrik}: {FOR_FA_SVAR.lower()}")
    return f"Staplar som visar hur svaren fördelar sig, 100 % per stapel. {'; '.join(delar)}."


def _rita(
    rader: Sequence[str],
    alternativ: Sequence[str],
    andelar: Sequence[tuple[float, ...] | None],
) -> Figure:
    diagram = Enkatdiagram("", "", Tabell((), ()), tuple(rader), tuple(alternativ), tuple(andelar))
    fig = Figure(figsize=storlek(diagram), layout="constrained")
    ax = fig.add_subplot()
    y = list(range(len(rader)))[::-1]  # the first bar at the top
    farger = _farger(len(alternativ))
    for i, namn in enumerate(alternativ):
        vanster = [sum(a[:i]) if a else 0.0 for a in andelar]
        bredd = [a[i] if a else 0.0 for a in andelar]
        bars = ax.barh(
            y,
            bredd,
            0.62,
            left=vanster,
            label=namn,
            color=farger[i],
            hatch=MONSTER[i % len(MONSTER)],
            edgecolor=MORK,
            linewidth=0.4,
        )
        textfarg = "#ffffff" if i >= len(alternativ) / 2 else MORK
        etiketter = [f"{round(b)}\u00a0%" if b >= MINSTA_ETIKETT else "" for b in bredd]
        ax.bar_label(bars, labels=etiketter, label_type="center", fontsize=7, color=textfarg)
    for rad, a in zip(y, andelar, strict=True):
        if a is None:
            ax.text(1, rad, FOR_FA_SVAR, va="center", ha="left", fontsize=8, color=MORK)
    _axlar(ax, y, rader)
    fig.legend(
        loc="outside upper center", ncol=min(len(alternativ), 6), fontsize=8, handlelength=1.6
    )
    return fig


def _farger(antal: int) -> list[str]:
    """`antal` steps spread over the scale (Nej/Ja gets the lightest and the darkest)."""
    if antal <= 1:
        return SKALA[-1:]
    return [SKALA[round(i * (len(SKALA) - 1) / (antal - 1))] for i in range(antal)]


def _axlar(ax: Any, y: Sequence[int], rader: Sequence[str]) -> None:
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_locator(MultipleLocator(10))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{int(v)}\u00a0%"))
    ax.set_yticks(y, rader)
    ax.grid(axis="x", color="#e3e6ea", linewidth=0.6)
    ax.set_axisbelow(True)


@lru_cache(maxsize=256)
def _rendera_cachad(
    rader: tuple[str, ...],
    alternativ: tuple[str, ...],
    andelar: tuple[tuple[float, ...] | None, ...],
    fmt: str,
    dpi: int,
) -> bytes:
    fig = _rita(rader, alternativ, andelar)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def rendera(diagram: Enkatdiagram, fmt: str = "svg", dpi: int = 200) -> bytes:
    """The chart as SVG or PNG bytes; the same data gives the same bytes, drawn once."""
    return _rendera_cachad(diagram.rader, diagram.alternativ, diagram.andelar, fmt, dpi)
