"""The bilaga's diagrams, drawn by matplotlib from an `Arsrapport` (never from the database).

Each `Diagram` carries its caption, an alternative text and its data as a table, and is drawn on
demand as SVG (screen; text stays text) or PNG (PDF; much cheaper for WeasyPrint to lay out).
Drawing is cached by the data a chart shows, so the same chart is never drawn twice, and the
output is deterministic: the same data gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from rapporter import ritning, ritprocess
from rapporter.ritning import PDF_DPI as PDF_DPI
from rapporter.ritning import tal as tal
from rapporter.selectors import Arsrapport, EnkatResultat, Tidsserie
from registrering.ledger import Kon

if TYPE_CHECKING:
    from rapporter.mal import Arsforlopp, Malsida

# Part of every chart's version: bump it when the drawing changes (2: fixed layout, grouped).
STIL_VERSION = "2"
# A chart per insats shows at most this many insatser; the rest are one bar "Övriga …".
MAX_INSATSER = 15
# A chart over time shows at most this many insatser as series (six colours and hatches).
MAX_SERIER = 6


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


def storlek(diagram: Diagram) -> tuple[float, float]:
    """Width and height in inches; lying bars grow with their number. Known before drawing, so
    that a page can reserve the chart's place while it is drawn."""
    return ritning.storlek(diagram.typ, len(diagram.kategorier), len(diagram.serier))


def bildstorlek(diagram: Diagram) -> tuple[int, int]:
    """Width and height in CSS pixels (96 per inch) of the chart as SVG."""
    bredd, hojd = storlek(diagram)
    return round(bredd * 96), round(hojd * 96)


def _rita(diagram: Diagram) -> Figure:
    return ritning.rita(diagram.typ, diagram.kategorier, diagram.serier, etiketter(diagram))


def etiketter(diagram: Diagram) -> tuple[tuple[str, ...], ...] | None:
    """The labels of a survey's bars (count and share); other charts show their values."""
    if diagram.typ != "enkat":
        return None
    return tuple(tuple(_stapeletiketter(varden)) for _namn, varden in diagram.serier)


def _stapeletiketter(varden: Sequence[int | None]) -> list[str]:
    """A survey's bars say count and share ("14 (70 %)")."""
    antal = [v or 0 for v in varden]
    helhet = sum(antal) or 1
    return [f"{tal(v)} ({round(100 * v / helhet)}\u00a0%)" for v in antal]


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
    return ritning.till_bytes(fig, fmt, dpi)


def rendera(diagram: Diagram, fmt: str = "svg", dpi: int = PDF_DPI) -> bytes:
    """The chart as SVG or PNG bytes (PNG at the resolution the PDF prints it); the same data
    gives the same bytes, drawn once."""
    return _rendera_cachad(diagram.typ, diagram.kategorier, diagram.serier, fmt, dpi)


#: How a chart's PNG is named beside its SVG in a build's store (`rapporter.bygge.diagramnamn`):
#: the resolution is part of it.
PNG_FORMAT = f"{PDF_DPI}.png"


def rita_i_bakgrunden(
    uppdrag: Sequence[tuple[Diagram, tuple[str, ...]]], dpi: int = PDF_DPI
) -> list[ritprocess.Ritning]:
    """Start drawing each chart in its formats ("svg", "png") in the chart process
    (`rapporter.ritprocess`; in this process when `FINSAM_RITPROCESS` is off) and return at
    once: their bytes are waited for when they are asked for."""
    from django.conf import settings

    return ritprocess.rita_alla(
        [
            ritprocess.Uppdrag(dg.typ, dg.kategorier, dg.serier, etiketter(dg), format, dpi)
            for dg, format in uppdrag
        ],
        egen_process=settings.FINSAM_RITPROCESS,
    )


def pngstorlek(diagram: Diagram, dpi: int = PDF_DPI) -> tuple[int, int]:
    """Width and height in pixels of the chart's PNG, known before it is drawn (as matplotlib
    sizes its canvas: the figure's inches times the resolution, truncated)."""
    bredd, hojd = storlek(diagram)
    return int(bredd * dpi), int(hojd * dpi)


def tom_cache() -> None:
    """Forget every chart drawn (in this process and asked of the chart process)."""
    _rendera_cachad.cache_clear()
    ritprocess.tom()


def data_uri(diagram: Diagram, fmt: str = "svg", innehall: bytes | None = None) -> str:
    """The chart as a data URI; `innehall`: its bytes in `fmt` when drawn already."""
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    if innehall is None:
        innehall = rendera(diagram, fmt)
    return f"data:{mime};base64,{base64.b64encode(innehall).decode()}"


def rendera_alla(
    diagram: Sequence[Diagram], fmt: str, ritade: Mapping[str, bytes] | None = None
) -> dict[int, str]:
    """Data URIs for all charts, drawn side by side (matplotlib releases the GIL in Agg).
    `ritade`: charts drawn already in `fmt`, by their version (hash), are not drawn again."""
    ritade = ritade or {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        uris = list(pool.map(lambda d: data_uri(d, fmt, ritade.get(d.version)), diagram))
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


def _storsta(varden: Sequence[int], antal: int) -> list[int] | None:
    """The indexes of the `antal` largest values, in their own order; None when all fit (one
    more than `antal`: a bar "Övriga 1 insatser" would be no shorter)."""
    if len(varden) <= antal + 1:
        return None
    storsta = sorted(range(len(varden)), key=lambda i: (-varden[i], i))[:antal]
    return sorted(storsta)


def _summa(varden: Sequence[int | None]) -> int | None:
    """The sum of the known values; None when none is known."""
    kanda = [v for v in varden if v is not None]
    return sum(kanda) if kanda else None


def _ovriga(antal: int) -> str:
    return f"Övriga {tal(antal)} insatser"


def _tid(nummer: int, rubrik: str, serie: Tidsserie, alt_intro: str) -> Diagram:
    """Upright bars per year; with more than `MAX_SERIER` series (insatser) the largest over the
    years are drawn and the rest summed as one, and the table turns (a row per insats) so that
    it still holds every value."""
    kategorier = tuple(str(a) for a in serie.ar)
    alla = tuple((s.namn, s.varden) for s in serie.serier)
    urval = _storsta([_summa(v) or 0 for _n, v in alla], MAX_SERIER - 1)
    serier = alla
    if urval is not None:
        rest = [alla[i][1] for i in range(len(alla)) if i not in urval]
        ovriga = (_ovriga(len(rest)), tuple(_summa(ar) for ar in zip(*rest, strict=True)))
        serier = (*(alla[i] for i in urval), ovriga)
        rubrik += f" – de {len(urval)} största insatserna, övriga {len(rest)} sammanslagna"
    delar = "; ".join(
        f"{namn}: "
        + ", ".join(
            f"{a} {_tal_eller_saknas(v, SAKNAS)}" for a, v in zip(serie.ar, varden, strict=True)
        )
        for namn, varden in serier
    )
    if urval is None:
        tabell = _tabell("År", [n for n, _v in alla], kategorier, [v for _n, v in alla])
    else:
        tabell = _tabell(
            "Insats",
            kategorier,
            [n for n, _v in alla],
            list(zip(*(v for _n, v in alla), strict=True)),
        )
    return Diagram(
        nummer=nummer,
        rubrik=rubrik,
        alt=f"{alt_intro} {delar}.",
        tabell=tabell,
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
    """Diagrams 3–5: deltagare, nya and avslutade of the year per insats, kvinnor and män. With
    more than `MAX_INSATSER` insatser all three show the same largest ones (by deltagare) and the
    rest summed as one bar; their tables hold every insats."""
    kort, ar, insatser = rapport.data.kortnamn, rapport.ar, rapport.data.insatser
    namn = tuple(i.namn for i in insatser)
    urval = _storsta([i.deltagare_totalt.totalt for i in insatser], MAX_INSATSER - 1)
    return [
        _konsdiagram(
            3,
            f"Deltagare i individinsatser för {kort} {ar} uppdelade i kön",
            namn,
            [i.deltagare_totalt for i in insatser],
            urval,
        ),
        _konsdiagram(
            4,
            f"Nya deltagare i individinsatser för {kort} {ar}",
            namn,
            [i.nya for i in insatser],
            urval,
        ),
        _konsdiagram(
            5,
            f"Avslutade deltagare i individinsatser för {kort} {ar}",
            namn,
            [i.avslutade for i in insatser],
            urval,
        ),
    ]


def _konsdiagram(
    nummer: int,
    rubrik: str,
    namn: tuple[str, ...],
    varden: Sequence[Kon],
    urval: Sequence[int] | None,
) -> Diagram:
    """Lying bars per insats, kvinnor and män; the table adds their total. An insats whose year
    is a total without the gender split gets a bar of its total ("Totalt, kön saknas") instead
    of a false split. `urval`: the insatser drawn, the rest one bar "Övriga …" (their sum)."""
    tabell = _tabell(
        "Insats",
        ["Kvinnor", "Män", "Totalt"],
        namn,
        [
            tuple(v.kvinnor if v.uppdelad else None for v in varden),
            tuple(v.man if v.uppdelad else None for v in varden),
            tuple(v.totalt for v in varden),
        ],
    )
    if urval is not None:
        rest = [v for i, v in enumerate(varden) if i not in set(urval)]
        namn = (*(namn[i] for i in urval), _ovriga(len(rest)))
        varden = [*(varden[i] for i in urval), sum(rest, start=Kon())]
        rubrik += f" – de {len(urval)} största insatserna, övriga {len(rest)} sammanslagna"
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
        tabell=tabell,
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
