"""The load test's figures (bench/last.py): builds counted per year, per-page percentiles and
the printed table."""

from __future__ import annotations

import re
import statistics
import threading
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from lasttest.data import SKUR_AR

MAL_P95_MS = 100.0
MAL_SKUR_P95_MS = 200.0


# --- Counting builds ---------------------------------------------------------------------------


class Byggraknare:
    """How many times each year's bilaga was built: every version of a PDF file seen in
    `FINSAM_BILAGOR_DIR/<förbund>/<år>/` (a build writes a new file and renames it into place,
    so the same name rebuilt shows as a new inode or time). Sampled every 0.1 s while it runs:
    it tells when every year is built, and counts builds when the worker logs no build lines
    (`byggen_i_logg`)."""

    def __init__(self, bilagor: Path, forbund_id: int) -> None:
        self.rot = bilagor / str(forbund_id)
        self.sett: dict[int, set[tuple[str, int, int]]] = defaultdict(set)
        self._stopp = threading.Event()
        self._trad = threading.Thread(target=self._kor, daemon=True)

    def las(self) -> None:
        for fil in self.rot.glob("*/*.pdf"):
            try:
                st = fil.stat()
            except FileNotFoundError:
                continue
            if fil.parent.name.isdigit():
                self.sett[int(fil.parent.name)].add((fil.name, st.st_ino, st.st_mtime_ns))

    def byggen(self, ar: int) -> int:
        return len(self.sett.get(ar, ()))

    def _kor(self) -> None:
        while not self._stopp.is_set():
            self.las()
            self._stopp.wait(0.1)

    def __enter__(self) -> Byggraknare:
        self._trad.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopp.set()
        self._trad.join()
        self.las()


UPPGIFT = re.compile(
    r"Task (rapporter\.(?:bygg_bilaga|varm_bilagor?))\[[^\]]+\] (received|succeeded|raised)"
)
# The line `rapporter.bygge` logs for every bilaga build: "ritad" when it rendered the PDF,
# "fanns" when the same content was stored already.
BYGGRAD = re.compile(r"Bilagebygge (\d+)/(\d+) (ritad|fanns) ")


def uppgifter_i_logg(logg: Path, fran: int = 0) -> dict[str, int]:
    """The worker's bilaga tasks in its log from byte `fran`: 'rapporter.bygg_bilaga received'
    → count."""
    text = logg.read_bytes()[fran:].decode(errors="replace")
    return dict(Counter(f"{namn} {vad}" for namn, vad in UPPGIFT.findall(text)))


def byggen_i_logg(logg: Path, fran: int, forbund_id: int) -> dict[str, Counter[int]]:
    """The build lines in the worker's log from byte `fran`, per outcome ("ritad", "fanns") and
    year: how many times each year's PDF was rendered."""
    text = logg.read_bytes()[fran:].decode(errors="replace")
    ut: dict[str, Counter[int]] = {"ritad": Counter(), "fanns": Counter()}
    for forbund, ar, utfall in BYGGRAD.findall(text):
        if int(forbund) == forbund_id:
            ut[utfall][int(ar)] += 1
    return ut


def byggen(raknare: Byggraknare, logg: dict[str, Counter[int]]) -> dict[str, Any]:
    """Builds per year of the burst: the worker's build lines ("ritad") when it logs them, else
    the versions of the files seen; both are kept in the JSON."""
    filer = {ar: raknare.byggen(ar) for ar in SKUR_AR}
    ritade = {ar: logg["ritad"][ar] for ar in SKUR_AR}
    har_logg = bool(logg["ritad"] or logg["fanns"])
    return {
        "byggen_per_ar": ritade if har_logg else filer,
        "byggen_kalla": "arbetarens loggrader (Bilagebygge … ritad)" if har_logg else "filerna",
        "filversioner_per_ar": filer,
        "fanns_redan_per_ar": {ar: logg["fanns"][ar] for ar in SKUR_AR},
    }


# --- Figures -----------------------------------------------------------------------------------


def percentil(varden: list[float], p: float) -> float:
    if not varden:
        return 0.0
    ordnade = sorted(varden)
    return ordnade[min(len(ordnade) - 1, max(0, round(p / 100 * len(ordnade) + 0.5) - 1))]


def sammanstall(matningar: list[dict[str, Any]], mal: float) -> dict[str, dict[str, Any]]:
    """Per page name: requests, p50, p95, max (ms), errors, and whether p95 and errors keep the
    goal."""
    per_sida: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in matningar:
        per_sida[m["namn"]].append(m)
    ut = {}
    for namn, rader in sorted(per_sida.items()):
        tider = [r["ms"] for r in rader]
        fel = sum(1 for r in rader if r["fel"])
        p95 = percentil(tider, 95)
        ut[namn] = {
            "antal": len(rader),
            "p50_ms": round(statistics.median(tider), 1),
            "p95_ms": round(p95, 1),
            "max_ms": round(max(tider), 1),
            "fel": fel,
            "exempel_fel": sorted({r["fel"] for r in rader if r["fel"]})[:3],
            "mal_p95_ms": mal,
            "inom_malet": p95 <= mal and fel == 0,
        }
    return ut


def over(ok: bool) -> str:
    return "" if ok else "  ÖVER MÅLET"


def skriv_tabell(resultat: dict[str, Any]) -> None:
    print(f"\n{'sida':<24}{'antal':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'fel':>6}")
    for rubrik, nyckel in (
        ("Inloggningen före lasten (lösenordshashning; räknas inte mot målet)", "inloggning"),
        (f"Last, {resultat['last_sek']} s (mål p95 ≤ {MAL_P95_MS:.0f} ms, 0 fel)", "last"),
        (f"Under skuren (mål p95 ≤ {MAL_SKUR_P95_MS:.0f} ms, 0 fel)", "under_skuren"),
    ):
        if not resultat[nyckel]:
            continue
        print(f"-- {rubrik}")
        for namn, s in resultat[nyckel].items():
            print(
                f"{namn:<24}{s['antal']:>7}{s['p50_ms']:>9.0f}{s['p95_ms']:>9.0f}"
                f"{s['max_ms']:>9.0f}{s['fel']:>6}"
                f"{over(s['inom_malet'] or nyckel == 'inloggning')}"
            )
            for fel in s["exempel_fel"]:
                print(f"{'':<6}fel: {fel}")
    s = resultat["skur"]
    print(
        f"\nSkur: {len(SKUR_AR)} kalla PDF:er {SKUR_AR[0]}–{SKUR_AR[-1]} på en gång; första svaren "
        f"{s['forsta']}, en andra gång efter 3 s {s['andra']}; alla byggda: "
        f"{'ja' if s['alla_byggda'] else 'NEJ'} efter {s['sekunder']:.1f} s{over(s['alla_byggda'])}"
    )
    dubbla = {ar: n for ar, n in s["byggen_per_ar"].items() if n > 1}
    ej = [ar for ar, n in s["byggen_per_ar"].items() if n == 0]
    print(
        f"Byggen per år enligt {s['byggen_kalla']} (mål: högst 1, ingen PDF byggd två gånger): "
        f"{dubbla or 'inget år byggt två gånger'}{over(not dubbla)}"
        f"{f'; ej byggda inom skuren: {ej}' if ej else ''}\n"
        f"Arbetarens bilageuppgifter under skuren: {s['uppgifter']}\n"
        f"PDF-svar i lasten: {resultat['pdf_svar']}"
    )
