"""The bilaga's diagrams, drawn by matplotlib from an `Arsrapport` (never from the database).

Each `Diagram` carries its caption, an alternative text and its data as a table, and is drawn on
demand as SVG (screen; text stays text) or PNG (PDF; much cheaper for WeasyPrint to lay out).
Drawing is cached by the data a chart shows, so the same chart is never drawn twice, and the
output is deterministic: the same data gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from rapporter.selectors import Arsrapport, EnkatResultat, Tidsserie

if TYPE_CHECKING:
    from rapporter.mal import Arsforlopp, Malsida
    from registrering.ledger import Kon

STIL_VERSION = "1"
# Calm blues that stay apart in greyscale (dark, light, mid), with hatches as a second cue.
FARGER = ["#0b4f6c", "#9cc3d5", "#4f8fad", "#1b1f23", "#d7e6ee", "#6b7680"]
MONSTER = ["", "///", "", "...", "xx", "\\\\\\"]
RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
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


def tal(value: int) -> str:
    """1873 -> '1 873' (narrow no-break space), the Swedish way."""
    return f"{value:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class Tabell:
    rubriker: tuple[str, ...]
    rader: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Diagram:
    nummer: int
    rubrik: str
    alt: str
    tabell: Tabell
    typ: str  # "kon", "tid", "enkat" or "linje"
    kategorier: tuple[str, ...]
    # A line may lack values (None): this year's months not reported yet, or a yearly total
    # that only has December.
    serier: tuple[tuple[str, tuple[int | None, ...]], ...]

    @property
    def bildtext(self) -> str:
        return f"Diagram {self.nummer}. {self.rubrik}"

    @property
    def bredd_px(self) -> int:
        return bildstorlek(self)[0]

    @property
    def hojd_px(self) -> int:
        return bildstorlek(self)[1]

    @property
    def version(self) -> str:
        """A short hash of what the chart shows: part of its URL, so browsers may cache it."""
        payload = json.dumps([STIL_VERSION, self.typ, self.kategorier, self.serier])
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _varden_pa_staplar(ax: Any, bars: Any, etiketter: Sequence[str] | None = None) -> None:
    ax.bar_label(
        bars,
        # No label on an empty bar, nor where the value is unknown (NaN).
        labels=etiketter or [tal(int(v)) if v and v == v else "" for v in bars.datavalues],
        padding=2,
        fontsize=8,
        color="#1b1f23",
    )


def _stapel(
    ax: Any,
    horisontell: bool,
    pos: Sequence[float],
    varden: Sequence[int | None],
    bredd: float,
    i: int,
    namn: str,
) -> Any:
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
        return ax.barh(pos, hojder, bredd, **stil)
    return ax.bar(pos, hojder, bredd, **stil)


LINJER = ["-", "--", "-.", ":"]
MARKORER = ["o", "s", "^", "D"]


def _rita_linjer(diagram: Diagram) -> Figure:
    fig = Figure(figsize=storlek(diagram), layout="constrained")
    ax = fig.add_subplot()
    for i, (namn, varden) in enumerate(diagram.serier):
        punkter = [(x, v) for x, v in enumerate(varden) if v is not None]
        if not punkter:
            continue
        ensam = len(punkter) == 1  # e.g. a yearly total: a marker, not a line
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
    ax.set_xticks(range(len(diagram.kategorier)), diagram.kategorier)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: tal(int(v))))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#e3e6ea", linewidth=0.6)
    # Long names (a yearly total says so in its name) fit two to a row.
    ncol = 4 if max(len(namn) for namn, _v in diagram.serier) <= 16 else 2
    fig.legend(loc="outside upper center", ncol=min(len(diagram.serier), ncol), fontsize=8)
    return fig


def storlek(diagram: Diagram) -> tuple[float, float]:
    """Width and height in inches; lying bars grow with their number. Known before drawing, so
    that a page can reserve the chart's place while it is drawn."""
    if diagram.typ == "linje":
        return (7.2, 3.2)
    if diagram.typ == "tid":
        return (7.2, 3.4)
    staplar = len(diagram.kategorier) * len(diagram.serier)
    return (7.2, min(max(0.8 + 0.22 * staplar, 1.8), 9.0))


def bildstorlek(diagram: Diagram) -> tuple[int, int]:
    """Width and height in CSS pixels (96 per inch) of the chart as SVG."""
    bredd, hojd = storlek(diagram)
    return round(bredd * 96), round(hojd * 96)


def _rita(diagram: Diagram) -> Figure:
    if diagram.typ == "linje":
        return _rita_linjer(diagram)
    return _rita_staplar(diagram)


def _rita_staplar(diagram: Diagram) -> Figure:
    """Grouped bars: upright for years ("tid"), lying for insatser and survey answers, with the
    first category at the top."""
    n_kat, n_serier = len(diagram.kategorier), len(diagram.serier)
    horisontell = diagram.typ != "tid"
    fig = Figure(figsize=storlek(diagram), layout="constrained")
    ax = fig.add_subplot()
    bredd = 0.8 / max(n_serier, 1)
    bas = list(range(n_kat))[::-1] if horisontell else list(range(n_kat))
    riktning = -1 if horisontell else 1
    for i, (namn, varden) in enumerate(diagram.serier):
        pos = [k + riktning * (i - (n_serier - 1) / 2) * bredd for k in bas]
        bars = _stapel(ax, horisontell, pos, varden, bredd, i, namn)
        _varden_pa_staplar(ax, bars, _stapeletiketter(diagram.typ, varden))
    _stapelaxlar(ax, horisontell, bas, diagram.kategorier)
    if n_serier > 1:
        fig.legend(loc="outside upper center", ncol=min(n_serier, 3), fontsize=8)
    return fig


def _stapeletiketter(typ: str, varden: Sequence[int | None]) -> list[str] | None:
    """A survey's bars say count and share ("14 (70 %)"); other bars just their value (None)."""
    if typ != "enkat":
        return None
    antal = [v or 0 for v in varden]
    helhet = sum(antal) or 1
    return [f"{tal(v)} ({round(100 * v / helhet)}\u00a0%)" for v in antal]


def _stapelaxlar(ax: Any, horisontell: bool, bas: Sequence[int], kategorier: Sequence[str]) -> None:
    """Whole numbers in Swedish on the value axis, the categories on the other."""
    axel = ax.xaxis if horisontell else ax.yaxis
    axel.set_major_locator(MaxNLocator(integer=True))
    axel.set_major_formatter(FuncFormatter(lambda v, _p: tal(int(v))))
    if horisontell:
        ax.set_yticks(bas, kategorier)
        ax.margins(x=0.15)
    else:
        ax.set_xticks(bas, kategorier)
        ax.margins(y=0.12)


# Set once for the process (rc_context is not thread-safe, and charts are drawn in threads).
matplotlib.rcParams.update(cast(Any, RC))


@lru_cache(maxsize=256)
def _rendera_cachad(
    typ: str,
    kategorier: tuple[str, ...],
    serier: tuple[tuple[str, tuple[int | None, ...]], ...],
    fmt: str,
    dpi: int,
) -> bytes:
    """Keyed on what the chart shows, not on its number or caption: drawn once per data."""
    fig = _rita(Diagram(0, "", "", Tabell((), ()), typ, kategorier, serier))
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def rendera(diagram: Diagram, fmt: str = "svg", dpi: int = 200) -> bytes:
    """The chart as SVG or PNG bytes; the same data gives the same bytes, drawn once."""
    return _rendera_cachad(diagram.typ, diagram.kategorier, diagram.serier, fmt, dpi)


def data_uri(diagram: Diagram, fmt: str = "svg") -> str:
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(rendera(diagram, fmt)).decode()}"


def rendera_alla(diagram: Sequence[Diagram], fmt: str) -> dict[int, str]:
    """Data URIs for all charts, drawn side by side (matplotlib releases the GIL in Agg)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        uris = list(pool.map(lambda d: data_uri(d, fmt), diagram))
    return {d.nummer: uri for d, uri in zip(diagram, uris, strict=True)}


SAKNAS = "uppgift saknas"  # a value that is not known: kvinnor and män of a total without them


def _tal_eller_saknas(value: int | None, saknas: str = "–") -> str:
    return saknas if value is None else tal(value)


def _tabell(
    rubrik: str,
    kolumner: Sequence[str],
    kategorier: Sequence[str],
    serier: Sequence[Sequence[int | None]],
) -> Tabell:
    """One row per category; "–" where a value is unknown."""
    return Tabell(
        (rubrik, *kolumner),
        tuple(
            (kategori, *(_tal_eller_saknas(s[i]) for s in serier))
            for i, kategori in enumerate(kategorier)
        ),
    )


def _tid(nummer: int, rubrik: str, serie: Tidsserie, alt_intro: str) -> Diagram:
    kategorier = tuple(str(a) for a in serie.ar)
    serier = tuple((s.namn, s.varden) for s in serie.serier)
    delar = "; ".join(
        f"{s.namn}: "
        + ", ".join(
            f"{a} {_tal_eller_saknas(v, SAKNAS)}" for a, v in zip(serie.ar, s.varden, strict=True)
        )
        for s in serie.serier
    )
    return Diagram(
        nummer=nummer,
        rubrik=rubrik,
        alt=f"{alt_intro} {delar}.",
        tabell=_tabell(
            "År", [s.namn for s in serie.serier], kategorier, [s.varden for s in serie.serier]
        ),
        typ="tid",
        kategorier=kategorier,
        serier=serier,
    )


def diagram_for(rapport: Arsrapport) -> list[Diagram]:
    """Diagrams 1–n of the bilaga, numbered as in seed 000 (1–2 over time, 3–5 by gender, then
    one per survey question) and consecutively when a chart is missing."""
    result = [
        *_diagram_over_tid(rapport),
        *_diagram_per_kon(rapport),
        *(
            _enkatdiagram(nummer, enkat)
            for nummer, enkat in enumerate((e for e in rapport.enkater if not e.for_fa), start=6)
        ),
    ]
    # Numbered in reading order: without an insatsgrupp there is no chart of the group, and
    # the document does not skip a number for it.
    return [replace(dg, nummer=n) for n, dg in enumerate(result, start=1)]


def _diagram_over_tid(rapport: Arsrapport) -> list[Diagram]:
    """Diagram 1, deltagare per year by gender, and diagram 2, per insats of the insatsgrupp
    (only when there is a group); none without years."""
    if not rapport.over_tid.ar:
        return []
    under_aren = rapport.over_tid.under_aren
    result = [
        _tid(
            1,
            f"Deltagarutveckling i individinriktade insatser för {rapport.data.kortnamn} "
            f"{under_aren} uppdelat på kön samt totalt.",
            rapport.over_tid,
            "Stapeldiagram över deltagare per år.",
        )
    ]
    if rapport.grupp_over_tid and rapport.grupp_namn:
        namn = rapport.grupp_namn
        grupp = f"{namn.lower()}sinsatser" if namn.istitle() else f"{namn}-insatser"
        result.append(
            _tid(
                2,
                f"Deltagarutveckling i {grupp} {under_aren}",
                rapport.grupp_over_tid,
                f"Stapeldiagram över deltagare per år i varje insats i gruppen {namn}.",
            )
        )
    return result


def _diagram_per_kon(rapport: Arsrapport) -> list[Diagram]:
    """Diagrams 3–5: deltagare, nya and avslutade of the year per insats, kvinnor and män."""
    kort, ar, insatser = rapport.data.kortnamn, rapport.ar, rapport.data.insatser
    namn = tuple(i.namn for i in insatser)
    return [
        _konsdiagram(
            3,
            f"Deltagare i individinsatser för {kort} {ar} uppdelade i kön",
            namn,
            [i.deltagare_totalt for i in insatser],
        ),
        _konsdiagram(
            4, f"Nya deltagare i individinsatser för {kort} {ar}", namn, [i.nya for i in insatser]
        ),
        _konsdiagram(
            5,
            f"Avslutade deltagare i individinsatser för {kort} {ar}",
            namn,
            [i.avslutade for i in insatser],
        ),
    ]


def _konsdiagram(nummer: int, rubrik: str, namn: tuple[str, ...], varden: Sequence[Kon]) -> Diagram:
    """Lying bars per insats, kvinnor and män; the table adds their total. An insats whose year
    is a total without the gender split gets a bar of its total ("Totalt, kön saknas") instead
    of a false split."""
    kvinnor = tuple(v.kvinnor if v.uppdelad else None for v in varden)
    man = tuple(v.man if v.uppdelad else None for v in varden)
    utan_kon = tuple(None if v.uppdelad else v.totalt for v in varden)
    serier: tuple[tuple[str, tuple[int | None, ...]], ...] = (("Kvinnor", kvinnor), ("Män", man))
    if any(u is not None for u in utan_kon):
        serier += ((UTAN_KON, utan_kon),)
    return Diagram(
        nummer=nummer,
        rubrik=rubrik,
        alt="Liggande stapeldiagram per insats, kvinnor och män. "
        + "; ".join(
            f"{n}: {tal(v.kvinnor)} kvinnor, {tal(v.man)} män"
            if v.uppdelad
            else f"{n}: {tal(v.totalt)} totalt, kvinnor och män {SAKNAS}"
            for n, v in zip(namn, varden, strict=True)
        )
        + ".",
        tabell=_tabell(
            "Insats",
            ["Kvinnor", "Män", "Totalt"],
            namn,
            [kvinnor, man, tuple(v.totalt for v in varden)],
        ),
        typ="kon",
        kategorier=namn,
        serier=serier,
    )


UTAN_KON = "Totalt, kön saknas"


def _enkatdiagram(nummer: int, enkat: EnkatResultat) -> Diagram:
    """Lying bars of one survey question's answers, with count and share."""
    return Diagram(
        nummer=nummer,
        rubrik=f"{enkat.fraga} ({tal(enkat.antal_svar)} svar)",
        alt=f"Liggande stapeldiagram över svaren, {tal(enkat.antal_svar)} svar: "
        + "; ".join(f"{a.namn} {tal(a.antal)} ({a.procent} %)" for a in enkat.svar)
        + ".",
        tabell=Tabell(
            ("Svar", "Antal", "Andel"),
            tuple((a.namn, tal(a.antal), f"{a.procent}\u00a0%") for a in enkat.svar),
        ),
        typ="enkat",
        kategorier=tuple(a.namn for a in enkat.svar),
        serier=(("Antal svar", tuple(a.antal for a in enkat.svar)),),
    )


def _serier_for_mal(forlopp: Arsforlopp) -> tuple[tuple[str, tuple[int | None, ...]], ...]:
    """Kvinnor and män of one year, January–December; a year kept as yearly totals has only
    December (pågående 31/12) and says so in its name."""
    etikett = f"{forlopp.ar}, årstotal 31/12" if forlopp.som_arstotal else str(forlopp.ar)
    per_manad = forlopp.pagaende_per_manad
    return tuple(
        (
            f"{kon} {etikett}",
            # A total without the gender split has no kvinnor or män to draw.
            tuple(None if p is None or not p.uppdelad else getattr(p, falt) for p in per_manad),
        )
        for kon, falt in (("Kvinnor", "kvinnor"), ("Män", "man"))
    )


def diagram_for_mal(sida: Malsida) -> list[Diagram]:
    """The goal page's trend: pågående per month for kvinnor and män, this year and last; a
    year kept only as yearly totals is one point, December."""
    from registrering.kalender import MANADER_KORT

    if not sida.forlopp.har_data:
        return []
    kategorier = tuple(MANADER_KORT[m] for m in range(1, 13))
    serier = _serier_for_mal(sida.forlopp) + _serier_for_mal(sida.forlopp_foregaende)
    return [
        Diagram(
            nummer=1,
            rubrik=_rubrik_for_mal(sida),
            alt="Linjediagram över pågående deltagare per månad. "
            + "; ".join(
                f"{namn}: " + ", ".join(tal(v) for v in varden if v is not None)
                for namn, varden in serier
            )
            + ".",
            tabell=_linjetabell(kategorier, serier),
            typ="linje",
            kategorier=kategorier,
            serier=serier,
        )
    ]


def _rubrik_for_mal(sida: Malsida) -> str:
    """The trend's caption, naming the years that are only a yearly total."""
    rubrik = (
        f"Pågående deltagare i individinriktade insatser vid varje månads slut, "
        f"{sida.ar} jämfört med {sida.ar - 1}"
    )
    arstotaler = [f.ar for f in (sida.forlopp, sida.forlopp_foregaende) if f.som_arstotal]
    if arstotaler:
        ar_text = " och ".join(str(a) for a in sorted(arstotaler))
        rubrik += f" ({ar_text} som årstotal: pågående 31/12)"
    return rubrik


def _linjetabell(
    kategorier: Sequence[str], serier: Sequence[tuple[str, Sequence[int | None]]]
) -> Tabell:
    """One row per category, one column per line; "–" where a line has no value."""
    return Tabell(
        ("Månad", *(namn for namn, _v in serier)),
        tuple(
            (kategori, *(tal(x) if (x := v[i]) is not None else "–" for _n, v in serier))
            for i, kategori in enumerate(kategorier)
        ),
    )
