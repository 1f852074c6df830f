"""How `rapporter.diagram`'s charts are drawn: matplotlib `Figure()` objects (never pyplot) with
a fixed layout, and their bytes as SVG (screen; text stays text) or PNG (PDF).

The layout is computed, not searched for: the margins come from the measured width of the
longest category label and the number of legend rows, so no `constrained_layout` or
`tight_layout` runs (they measured every text of the figure several times, and were most of a
chart's cost). Value labels are plain texts, not `bar_label` annotations, for the same reason.
Nothing mutable is shared between threads: each call makes its own figure; matplotlib keeps
its font objects per thread.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import offset_copy
from PIL import Image

Serier = tuple[tuple[str, tuple[int | None, ...]], ...]

# Calm blues that stay apart in greyscale (dark, light, mid), with hatches as a second cue.
FARGER = ["#0b4f6c", "#9cc3d5", "#4f8fad", "#1b1f23", "#d7e6ee", "#6b7680"]
MONSTER = ["", "///", "", "...", "xx", "\\\\\\"]
LINJER = ["-", "--", "-.", ":"]
MARKORER = ["o", "s", "^", "D"]
TYPSNITT = "DejaVu Sans"
RC: dict[str, Any] = {
    "font.family": TYPSNITT,
    "font.size": 9,
    "axes.edgecolor": "#4a5159",
    "axes.labelcolor": "#1b1f23",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": "#1b1f23",
    "ytick.color": "#1b1f23",
    "hatch.color": "#ffffff",
    "hatch.linewidth": 0.8,
    "legend.frameon": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "finsam",
    "figure.dpi": 100,
}
# Set once for the process (rc_context is not thread-safe, and charts are drawn in threads).
matplotlib.rcParams.update(cast(Any, RC))

BREDD = 7.2  # inches; the PDF prints it 100 % of the text width (168 mm)
# PNG for the PDF: 138 dots per inch of the figure are 150 per printed inch (7.2 in on 6.6 in).
PDF_DPI = 138
LEGENDRAD = 0.2  # inches per row of the legend (8 pt type)
MARGINAL = 0.08  # inches of white around the figure


def tal(value: int) -> str:
    """1873 -> '1 873' (narrow no-break space), the Swedish way."""
    return f"{value:,}".replace(",", "\u202f")


@lru_cache(maxsize=4096)
def textbredd(text: str, punkter: float = 9.0) -> float:
    """The width in inches of `text` in the charts' type (measured, not guessed)."""
    font = get_font(findfont(FontProperties(family=TYPSNITT)))
    font.set_size(punkter, 72)
    font.set_text(text, 0.0)
    bredd, _hojd = font.get_width_height()
    return float(bredd) / 64 / 72


def storlek(typ: str, kategorier: int, serier: int) -> tuple[float, float]:
    """Width and height in inches; lying bars grow with their number (a caller keeps that
    number bounded). Known before drawing, so that a page can reserve the chart's place."""
    if typ == "linje":
        return (BREDD, 3.2)
    if typ == "tid":
        return (BREDD, 3.4)
    staplar = kategorier * serier
    return (BREDD, min(max(0.8 + 0.22 * staplar, 1.8), 9.0))


def _legendrader(serier: Serier, kolumner: int) -> int:
    return math.ceil(len(serier) / kolumner) if len(serier) > 1 else 0


def _axlar(fig: Figure, vanster: float, topp: float, botten: float = 0.32) -> Any:
    """Axes at fixed margins, given in inches."""
    bredd, hojd = fig.get_size_inches()
    hoger = 0.25
    return fig.add_axes(
        (
            vanster / bredd,
            botten / hojd,
            max(bredd - vanster - hoger, 0.5) / bredd,
            max(hojd - topp - botten, 0.3) / hojd,
        )
    )


def _legend(fig: Figure, ax: Any, kolumner: int) -> None:
    """The legend centred at the top of the figure, in the room the axes left for it."""
    fig.legend(
        *ax.get_legend_handles_labels(),
        loc="upper center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=kolumner,
        fontsize=8,
        borderaxespad=0.2,
        handlelength=1.8,
    )


def _kort(text: str, bredd: float) -> str:
    """The label shortened with an ellipsis to `bredd` inches (the table has it in full)."""
    if textbredd(text) <= bredd:
        return text
    while len(text) > 1 and textbredd(text + "…") > bredd:
        text = text[:-1]
    return text.rstrip() + "…"


def _varden_pa_staplar(
    ax: Any,
    horisontell: bool,
    pos: Sequence[float],
    varden: Sequence[int | None],
    etiketter: Sequence[str] | None,
) -> None:
    """Each bar's value at its end; none on an empty or unknown bar unless labels are given."""
    fram = offset_copy(ax.transData, fig=ax.figure, x=2, y=0, units="points")
    bak = offset_copy(ax.transData, fig=ax.figure, x=-2, y=0, units="points")
    upp = offset_copy(ax.transData, fig=ax.figure, x=0, y=2, units="points")
    ned = offset_copy(ax.transData, fig=ax.figure, x=0, y=-2, units="points")
    for i, (p, v) in enumerate(zip(pos, varden, strict=True)):
        text = etiketter[i] if etiketter else (tal(v) if v else "")
        if not text:
            continue
        varde = v or 0
        negativ = varde < 0
        if horisontell:
            ax.text(
                varde, p, text, transform=bak if negativ else fram, fontsize=8,
                ha="right" if negativ else "left", va="center", color="#1b1f23",
            )  # fmt: skip
        else:
            ax.text(
                p, varde, text, transform=ned if negativ else upp, fontsize=8,
                ha="center", va="top" if negativ else "bottom", color="#1b1f23",
            )  # fmt: skip


def _stapel(
    ax: Any,
    horisontell: bool,
    pos: Sequence[float],
    varden: Sequence[int | None],
    bredd: float,
    i: int,
    namn: str,
) -> None:
    stil = {
        "label": namn,
        "color": FARGER[i % len(FARGER)],
        "hatch": MONSTER[i % len(MONSTER)],
        "edgecolor": "#1b1f23",
        "linewidth": 0.4,
    }
    # An unknown value (None) is no bar at all, not a bar of 0.
    hojder = [float("nan") if v is None else v for v in varden]
    if horisontell:
        ax.barh(pos, hojder, bredd, **stil)
    else:
        ax.bar(pos, hojder, bredd, **stil)


def _heltalsaxel(axel: Any) -> None:
    """Whole numbers in Swedish on a value axis."""
    axel.set_major_locator(MaxNLocator(integer=True))
    axel.set_major_formatter(FuncFormatter(lambda v, _p: tal(int(v))))


def _ryms(serier: Serier, stapelbredd: float) -> bool:
    """Whether the widest value fits over a bar `stapelbredd` inches wide (8 pt type)."""
    varden = [abs(v) for _n, vs in serier for v in vs if v is not None]
    return textbredd(tal(max(varden, default=0)), 8.0) <= stapelbredd * 1.1


def _vardebredd(serier: Serier) -> float:
    """Room in inches for the value axis' labels of upright bars and lines."""
    storsta = max((abs(v) for _n, varden in serier for v in varden if v is not None), default=0)
    return max(textbredd("−" + tal(storsta * 2 + 10)) + 0.15, 0.45)


def rita_linjer(kategorier: Sequence[str], serier: Serier) -> Figure:
    """Lines over the months; a line with one value is a marker (a yearly total)."""
    fig = Figure(figsize=storlek("linje", len(kategorier), len(serier)))
    # Long names (a yearly total says so in its name) fit two to a row.
    kolumner = min(len(serier), 4 if max(len(namn) for namn, _v in serier) <= 16 else 2)
    topp = MARGINAL + LEGENDRAD * _legendrader(serier, kolumner) + 0.1
    ax = _axlar(fig, _vardebredd(serier), topp)
    for i, (namn, varden) in enumerate(serier):
        punkter = [(x, v) for x, v in enumerate(varden) if v is not None]
        if not punkter:
            continue
        ensam = len(punkter) == 1
        ax.plot(
            [x for x, _v in punkter],
            [v for _x, v in punkter],
            label=namn,
            color=FARGER[(i // 2) * 2 % len(FARGER)],
            linestyle="none" if ensam else LINJER[i % len(LINJER)],
            marker=MARKORER[i % len(MARKORER)],
            markersize=7 if ensam else 4,
            linewidth=1.6,
        )
    ax.set_xticks(range(len(kategorier)), kategorier)
    _heltalsaxel(ax.yaxis)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#e3e6ea", linewidth=0.6)
    if len(serier) > 1:
        _legend(fig, ax, kolumner)
    return fig


def rita_staplar(
    typ: str, kategorier: Sequence[str], serier: Serier, etiketter: Sequence[Sequence[str]] | None
) -> Figure:
    """Grouped bars: upright for years ("tid"), lying for insatser and survey answers, with the
    first category at the top. `etiketter`: each series' labels instead of its values."""
    n_kat, n_serier = len(kategorier), len(serier)
    horisontell = typ != "tid"
    fig = Figure(figsize=storlek(typ, n_kat, n_serier))
    kolumner = min(n_serier, 3)
    topp = MARGINAL + LEGENDRAD * _legendrader(serier, kolumner) + 0.05
    if horisontell:
        utrymme = 0.4 * BREDD
        namn = [_kort(k, utrymme) for k in kategorier]
        vanster = max((textbredd(n) for n in namn), default=0.3) + 0.15 + MARGINAL
    else:
        namn = list(kategorier)
        vanster = _vardebredd(serier)
    ax = _axlar(fig, vanster, topp)
    bredd = 0.8 / max(n_serier, 1)
    bas = list(range(n_kat))[::-1] if horisontell else list(range(n_kat))
    riktning = -1 if horisontell else 1
    # Upright bars too narrow for their numbers go without them (the table has them).
    varden_ryms = horisontell or _ryms(serier, (BREDD - vanster - 0.25) / max(n_kat, 1) * bredd)
    for i, (serienamn, varden) in enumerate(serier):
        pos = [k + riktning * (i - (n_serier - 1) / 2) * bredd for k in bas]
        _stapel(ax, horisontell, pos, varden, bredd, i, serienamn)
        if varden_ryms:
            _varden_pa_staplar(ax, horisontell, pos, varden, etiketter[i] if etiketter else None)
    if horisontell:
        _heltalsaxel(ax.xaxis)
        ax.set_yticks(bas, namn)
        ax.margins(x=0.15)
    else:
        _heltalsaxel(ax.yaxis)
        ax.set_xticks(bas, namn)
        ax.margins(y=0.12)
    if n_serier > 1:
        _legend(fig, ax, kolumner)
    return fig


def rita(
    typ: str,
    kategorier: Sequence[str],
    serier: Serier,
    etiketter: Sequence[Sequence[str]] | None = None,
) -> Figure:
    """The figure of a chart of type `typ`: lines ("linje") or bars (the other types)."""
    if typ == "linje":
        return rita_linjer(kategorier, serier)
    return rita_staplar(typ, kategorier, serier, etiketter)


def till_bytes(fig: Figure, fmt: str, dpi: int) -> bytes:
    """SVG without a date, or an opaque 8-bit RGB PNG without metadata (PDF/A needs no alpha
    channel, and `rapporter.pdfa` puts such a PNG's rows into the PDF as they are). The figure
    may be drawn again in the other format."""
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    bild = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    bild.convert("RGB").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
