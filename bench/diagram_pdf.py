"""Benchmark: the cold work of the bilaga (issue 15, point 2): its charts and its PDF.

Standalone: a temporary SQLite database, DEBUG=1, the demo data loaded as of 23 November 2026,
and the 2025 report of it. For the demo and for the same report grown to 30 and 300 insatser
(the insatser replaced by made-up ones, a third of them in the group Försteg; no database
needed for that), with the chart cache emptied before each run, median of 3 (1 at 300):

  - all the report's chart SVGs drawn one after another, as the report page's requests draw
    them after a change (goal ≤ 1 s at 300 insatser);
  - the cold PDF `pdf._bygg(rapport)` (charts as PNG and WeasyPrint), and of it the charts
    alone (goal ≤ 1.0 s for the demo and ≤ 2.5 s at 300 insatser).

`--profil` prints a cProfile of one cold PDF at the largest size. Always exits 0.

    .venv/bin/python bench/diagram_pdf.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory()
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.pop("CACHE_DIR", None)
os.environ["FINSAM_BILAGOR_DIR"] = f"{_tmp.name}/bilagor"
os.environ["MEDIA_ROOT"] = f"{_tmp.name}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

import django  # noqa: E402

django.setup()

import cProfile  # noqa: E402
import dataclasses  # noqa: E402
import datetime as dt  # noqa: E402
import pstats  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from rapporter import diagram, pdf  # noqa: E402
from rapporter.selectors import Arsrapport, Serie, Tidsserie, arsrapport  # noqa: E402
from registrering import demodata  # noqa: E402
from registrering.ledger import Kon  # noqa: E402

AR = 2025
MAL_SVG_300_S = 1.0
MAL_PDF_DEMO_S = 1.0
MAL_PDF_300_S = 2.5


def vuxen(rapport: Arsrapport, antal: int) -> Arsrapport:
    """The report with `antal` made-up insatser (each like one of the demo's, renamed and with
    its own figures), a third of them in the group, five years each."""
    forlagor = rapport.data.insatser
    insatser = tuple(
        dataclasses.replace(
            forlagor[i % len(forlagor)],
            insats_id=10_000 + i,
            namn=f"Insats {i + 1:03} {forlagor[i % len(forlagor)].namn}"[:60],
            nya=Kon(3 + i % 17, 2 + i % 11),
            avslutade=Kon(1 + i % 7, 2 + i % 5),
        )
        for i in range(antal)
    )
    ar = rapport.over_tid.ar
    grupp = Tidsserie(
        ar,
        tuple(
            Serie(f"Försteg {i + 1:03}", tuple(5 + (i * 7 + a) % 23 for a in range(len(ar))))
            for i in range(0, antal, 3)
        ),
    )
    data = dataclasses.replace(rapport.data, insatser=insatser)
    return dataclasses.replace(rapport, data=data, grupp_over_tid=grupp)


def median(funktion: Callable[[], object], ganger: int) -> tuple[float, float]:
    """Median seconds of wall-clock time and of CPU time (all threads of the process; on a
    shared, loaded machine the CPU time is the steadier figure)."""
    tider, cpu = [], []
    for _ in range(ganger):
        diagram.tom_cache()
        start, start_cpu = time.perf_counter(), time.process_time()
        funktion()
        tider.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(tider), statistics.median(cpu)


def text(matt: tuple[float, float]) -> str:
    return f"{matt[0]:.2f} s ({matt[1]:.2f} s CPU)"


def svg_alla(rapport: Arsrapport) -> None:
    for dg in diagram.diagram_for(rapport):
        diagram.rendera(dg, "svg")


def over(varde: float, mal: float) -> str:
    return " – ÖVER MÅLET" if varde > mal else ""


def main(profil: bool) -> int:
    # No background rebuild after the demo's writes: 15 s later it would build the bilaga in a
    # thread of this process, during (and inside) the timings.
    settings.FINSAM_FORBERED_PDF = False
    call_command("migrate", verbosity=0)
    forbund = demodata.ladda(idag=dt.date(2026, 11, 23))
    demo = arsrapport(forbund=forbund, ar=AR, idag=dt.date(2026, 11, 23))
    pdf._bygg(demo)  # imports and fonts warmed once, as in a running worker
    print(f"Bilagan {AR} för {demo.data.forbund_namn}; belastning {os.getloadavg()[0]:.1f}")
    print("| insatser | diagram | SVG, alla | PNG, alla | PDF kall |")
    print("|---|---|---|---|---|")
    storlekar: list[tuple[str, Arsrapport]] = [
        (f"{len(demo.data.insatser)} (demo)", demo),
        ("30", vuxen(demo, 30)),
        ("300", vuxen(demo, 300)),
    ]
    resultat: list[str] = []
    for namn, rapport in storlekar:
        ganger = 1 if namn == "300" else 3
        antal = len(diagram.diagram_for(rapport))
        svg = median(lambda r=rapport: svg_alla(r), ganger)
        png = median(lambda r=rapport: diagram.rendera_alla(diagram.diagram_for(r), "png"), ganger)
        kall = median(lambda r=rapport: pdf._bygg(r), ganger)
        print(f"| {namn} | {antal} | {text(svg)} | {text(png)} | {text(kall)} |")
        if namn == "300":
            resultat.append(f"SVG alla vid 300 insatser: {text(svg)} (mål ≤ 1 s)")
            resultat[-1] += over(svg[0], MAL_SVG_300_S)
            resultat.append(f"PDF kall vid 300 insatser: {text(kall)} (mål ≤ 2.5 s)")
            resultat[-1] += over(kall[0], MAL_PDF_300_S)
        elif rapport is demo:
            resultat.append(f"PDF kall, demo: {text(kall)} (mål ≤ 1 s)")
            resultat[-1] += over(kall[0], MAL_PDF_DEMO_S)
    print("\n".join(resultat))
    if profil:
        diagram.tom_cache()
        profilen = cProfile.Profile()
        profilen.runcall(pdf._bygg, storlekar[-1][1])
        pstats.Stats(profilen).sort_stats("cumulative").print_stats(30)
    print(f"belastning efteråt {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main("--profil" in sys.argv))
