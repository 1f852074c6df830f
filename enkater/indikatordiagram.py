"""The Indikatorer report's charts: per question one 100 % stacked bar per collection year with n,
drawn by matplotlib from a `Fraga` (never from the database), as SVG for the page and PNG for
the PDF. The same data gives the same bytes; a drawing is cached on the data it shows.

A year whose figures may not be shown gets no bar, only its label ("2020 (för få svar …)").
"""

from __future__ import annotations

import base64
import hashlib
import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from enkater.indikatorer import Fraga

# Importing the bilaga's charts sets the shared matplotlib style (fonts, colours) once.
from rapporter import diagram as _bilagans_diagram  # noqa: F401

#: An ordinal scale from light to dark; a two-step scale (Nej/Ja) takes the ends.
SKALA = ["#e4eef3", "#b5d2df", "#80b0c6", "#4f8fad", "#1f6a8a", "#0b4f6c"]
STIL = "1"  # bump when the drawing changes
MORKA = {"#4f8fad", "#1f6a8a", "#0b4f6c"}


def _farger(antal: int) -> list[str]:
    if antal <= 1:
        return SKALA[-1:]
    steg = (len(SKALA) - 1) / (antal - 1)
    return [SKALA[round(i * steg)] for i in range(antal)]


@lru_cache(maxsize=256)
def _rita(
    alternativ: tuple[str, ...],
    etiketter: tuple[str, ...],
    andelar: tuple[tuple[int, ...], ...],
    format_: str,
) -> bytes:
    hojd = 0.9 + 0.42 * len(etiketter)
    fig = Figure(figsize=(7.2, hojd), dpi=200 if format_ == "png" else 100)
    ax = fig.add_axes((0.2, 0.42 / hojd + 0.28, 0.77, 1 - (0.42 / hojd + 0.28) - 0.04))
    farger = _farger(len(alternativ))
    # The earliest year on top, as seed 003 reads.
    pos = list(range(len(etiketter)))[::-1]
    vanster = [0] * len(etiketter)
    for i, namn in enumerate(alternativ):
        varden = [rad[i] if rad else 0 for rad in andelar]
        bars = ax.barh(
            pos,
            varden,
            left=vanster,
            height=0.6,
            color=farger[i],
            label=namn,
            edgecolor="#ffffff",
            linewidth=0.6,
        )
        ax.bar_label(
            bars,
            labels=[f"{v}\u00a0%" if v >= 8 else "" for v in varden],
            label_type="center",
            fontsize=7.5,
            color="#ffffff" if farger[i] in MORKA else "#1b1f23",
        )
        vanster = [v + w for v, w in zip(vanster, varden, strict=True)]
    for p, rad in zip(pos, andelar, strict=True):
        if not rad:
            ax.text(
                50,
                p,
                "För få svar för att redovisas",
                ha="center",
                va="center",
                fontsize=8,
                fontstyle="italic",
                color="#4a5159",
            )
    ax.set_yticks(pos, labels=list(etiketter))
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_locator(MultipleLocator(10))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{int(v)}\u00a0%"))
    ax.tick_params(axis="both", labelsize=8)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.4, -0.12 - 0.5 / len(etiketter)),
        ncol=min(len(alternativ), 6),
        fontsize=7.5,
    )
    buf = io.BytesIO()
    metadata = {"Date": None} if format_ == "svg" else {"Software": None}
    fig.savefig(buf, format=format_, metadata=metadata, bbox_inches="tight", pad_inches=0.05)
    return buf.getvalue()


def rita(fraga: Fraga, format_: str = "svg") -> bytes:
    """The question's chart as SVG or PNG."""
    return _rita(
        fraga.alternativ,
        tuple(s.etikett if s.visas else f"{s.ar} (för få svar)" for s in fraga.staplar),
        tuple(s.andelar for s in fraga.staplar),
        format_,
    )


def version(fraga: Fraga) -> str:
    """A short hash of what the chart shows: part of its address, so browsers may keep it."""
    data = repr((STIL, fraga.alternativ, [(s.etikett, s.andelar) for s in fraga.staplar]))
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def data_uri(fraga: Fraga, format_: str = "svg") -> str:
    """The chart as a `data:` URI (the page's CSP and the PDF's fetcher both allow those)."""
    mime = "image/svg+xml" if format_ == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(rita(fraga, format_)).decode()}"


def alt_text(fraga: Fraga) -> str:
    """What the chart shows, in words, for screen readers and the PDF's figure."""
    delar = []
    for s in fraga.staplar:
        if not s.visas:
            delar.append(f"{s.ar}: för få svar för att redovisas")
            continue
        andelar = ", ".join(
            f"{namn} {a}\u00a0%" for namn, a in zip(fraga.alternativ, s.andelar, strict=True)
        )
        delar.append(f"{s.ar} (n={s.n}): {andelar}")
    return f"{fraga.text} ({fraga.grupp_namn}). " + "; ".join(delar) + "."
