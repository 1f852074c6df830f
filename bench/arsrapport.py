"""Benchmark: the 2025 bilaga "Uppföljning FINSAM" of the demo data, as PDF and as a page.

Standalone: a temporary SQLite database, DEBUG=1, migrated quietly, the demo data loaded as of
23 November 2026. Measures

  (a) the PDF cold: `pdf.rendera(arsrapport(...))` with the PDF cache and the chart cache emptied
      before each of 3 runs (median), and what it is made of: the selector, the charts as PNG,
      the template and WeasyPrint;
  (b) a repeated download with unchanged data (a cache hit) through the test client,
      GET /rapporter/2025/pdf/ as the förbundschef, median of 20;
  (c) that a change to the year's data (a KOMMENTAR saved through the service) gives a new cache
      key, so the next download is built again and gives other bytes;
  (d) the report page GET /rapporter/2025/ as the verksamhetsutvecklare, median of 10, with the
      background PDF warm-up off so that it does not disturb the timing.

Goals: PDF cold ≤ 3 s, from the cache ≤ 100 ms, the page ≤ 500 ms. Always exits 0.

    .venv/bin/python bench/arsrapport.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

AR = 2025
MAL_KALL_S = 3.0
MAL_CACHE_MS = 100.0
MAL_SIDA_MS = 500.0

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory()
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host
os.environ.pop("CACHE_DIR", None)  # the in-process cache, emptied between the cold runs
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from rapporter import diagram, pdf  # noqa: E402
from rapporter.selectors import Arsrapport, arsrapport  # noqa: E402
from registrering import demodata, services  # noqa: E402
from registrering.models import User  # noqa: E402

T = TypeVar("T")
IDAG = dt.date(2026, 11, 23)


def tid(funktion: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    resultat = funktion()
    return time.perf_counter() - start, resultat


def fragor(funktion: Callable[[], object]) -> int:
    """SQL queries of one call. The log is emptied first: under DEBUG it keeps only the last
    9000 queries, and loading the demo data fills it, so a full log would count nothing."""
    reset_queries()
    with CaptureQueriesContext(connection) as fangade:
        funktion()
    return len(fangade)


def tom_cache() -> None:
    cache.clear()
    diagram._rendera_cachad.cache_clear()


def mal(varde: float, grans: float) -> str:
    return " – ÖVER MÅLET" if varde > grans else ""


def delmatning(rapporten: Callable[[], Arsrapport]) -> dict[str, float]:
    """Seconds for each step of a cold PDF: selector, charts as PNG, template, WeasyPrint."""
    tom_cache()
    selektor, rapport = tid(rapporten)
    diagrammen, _ = tid(lambda: diagram.rendera_alla(diagram.diagram_for(rapport), "png"))
    mallen, _ = tid(lambda: pdf.html(rapport, pdf=True))  # the charts are cached now
    bygget, _ = tid(lambda: pdf._bygg(rapport))  # the template again, then WeasyPrint
    return {
        "selektor": selektor,
        "diagram": diagrammen,
        "mall": mallen,
        "weasyprint": bygget - mallen,
    }


def main() -> int:
    call_command("migrate", verbosity=0)
    forbund = demodata.ladda(idag=IDAG)
    settings.FINSAM_FORBERED_PDF = False  # no background warm-up: it would disturb (b)–(d)

    def rapporten() -> Arsrapport:
        return arsrapport(forbund=forbund, ar=AR, idag=IDAG)

    # (a) Cold, three times, and its parts.
    kalla: list[float] = []
    delar: dict[str, list[float]] = {"selektor": [], "diagram": [], "mall": [], "weasyprint": []}
    export = None
    for _ in range(3):
        tom_cache()
        sekunder, export = tid(lambda: pdf.rendera(rapporten()))
        kalla.append(sekunder)

        for namn, sekunder in delmatning(rapporten).items():
            delar[namn].append(sekunder)
    valjarfragor = fragor(rapporten)
    antal_diagram = len(diagram.diagram_for(rapporten()))
    assert export is not None
    kall = statistics.median(kalla)

    # (b) A repeated download through the view, as the förbundschef.
    chef = Client()
    chef.force_login(User.objects.get(username="forbundschef"))
    url_pdf = f"/rapporter/{AR}/pdf/"

    def ladda_ned() -> bytes:
        response = chef.get(url_pdf)
        assert response.status_code == 200, response.status_code
        assert response["Content-Type"] == "application/pdf"
        return response.content

    tom_cache()
    forsta_tid, forsta = tid(ladda_ned)
    fran_cache = [tid(ladda_ned)[0] for _ in range(20)]
    cache_ms = statistics.median(fran_cache) * 1000

    # (c) A new KOMMENTAR changes the year's data: new key, built again, other bytes.
    nyckel_fore = pdf._nyckel(rapporten())
    services.kommentar_spara(
        user=User.objects.get(username="verksamhetsutvecklare"),
        forbund=forbund,
        ar=AR,
        avsnitt="volym",
        text=f"Ändrad av benchmarken {time.time():.0f}.",
    )
    nyckel_efter = pdf._nyckel(rapporten())
    efter_tid, efter = tid(ladda_ned)
    igen_tid, igen = tid(ladda_ned)

    # (d) The report page as the verksamhetsutvecklare.
    vu = Client()
    vu.force_login(User.objects.get(username="verksamhetsutvecklare"))
    url_sida = f"/rapporter/{AR}/"

    def sidan() -> None:
        response = vu.get(url_sida)
        assert response.status_code == 200, response.status_code

    diagram._rendera_cachad.cache_clear()
    sida_forsta, _ = tid(sidan)
    sidtider = [tid(sidan)[0] * 1000 for _ in range(10)]
    sidfragor = fragor(sidan)
    sida_ms = statistics.median(sidtider)

    def ms(varden: list[float]) -> str:
        return f"{statistics.median(varden) * 1000:.0f} ms"

    print(
        f"Bilagan {AR} för {forbund.namn} ({len(export.innehall) / 1024:.0f} kB, "
        f"{antal_diagram} diagram, arsrapport() {valjarfragor} SQL-frågor)"
    )
    print(f"  kalla körningar: {', '.join(f'{s:.2f} s' for s in kalla)}")
    print(
        f"  varav: selektor {ms(delar['selektor'])}, diagram som PNG {ms(delar['diagram'])}, "
        f"mall {ms(delar['mall'])}, WeasyPrint {ms(delar['weasyprint'])}"
    )
    print(f"PDF kall: median {kall:.2f} s (mål ≤ {MAL_KALL_S:.0f} s){mal(kall, MAL_KALL_S)}")
    print(
        f"  första nedladdningen via vyn (tom cache): {forsta_tid:.2f} s; "
        f"därefter 20 gånger: min {min(fran_cache) * 1000:.0f} ms, "
        f"max {max(fran_cache) * 1000:.0f} ms"
    )
    print(
        f"PDF från cache: median {cache_ms:.0f} ms (mål ≤ {MAL_CACHE_MS:.0f} ms)"
        f"{mal(cache_ms, MAL_CACHE_MS)}"
    )
    byggd_igen = efter_tid > 10 * statistics.median(fran_cache)
    print(
        f"Efter ändrad kommentar: ny cachenyckel {'ja' if nyckel_efter != nyckel_fore else 'NEJ'}"
        f", nedladdningen {efter_tid:.2f} s ({'byggd igen' if byggd_igen else 'INTE BYGGD IGEN'})"
        f", andra bytes {'ja' if efter != forsta else 'NEJ'}"
        f"; nästa {igen_tid * 1000:.0f} ms (från cache: {'ja' if igen == efter else 'NEJ'})"
    )
    print(
        f"  sidan {url_sida}: första (tom diagramcache) {sida_forsta * 1000:.0f} ms, "
        f"{sidfragor} SQL-frågor"
    )
    print(
        f"HTML-sidan: median {sida_ms:.0f} ms (mål ≤ {MAL_SIDA_MS:.0f} ms)"
        f"{mal(sida_ms, MAL_SIDA_MS)}"
    )
    return 0


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        _tmp.cleanup()
    sys.exit(0)
