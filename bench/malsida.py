"""Benchmark: the styrelse's goal page for 2026 (`/mal/2026/`) on the demo data.

Standalone: a temporary SQLite database, DEBUG=1, migrated quietly, the demo data loaded as of
23 November 2026. The page is fetched as the demo styrelse through Django's test client: 5
warm-up requests, then 30 timed. The selector (`malsida`) and the chart rendering are also timed
alone; the chart cache is cleared once to show what the first drawing costs. Goal: the page's
median at most 300 ms.

    .venv/bin/python bench/malsida.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MAL_MS = 300.0
AR = 2026
VARMA, MATNINGAR = 5, 30

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory()
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from rapporter import diagram  # noqa: E402
from rapporter.mal import malsida  # noqa: E402
from registrering import demodata  # noqa: E402
from registrering.models import User  # noqa: E402


def matt(funktion: Callable[[], object], varma: int = VARMA, antal: int = MATNINGAR) -> list[float]:
    """Milliseconds per call, after `varma` calls that are not counted."""
    for _ in range(varma):
        funktion()
    tider = []
    for _ in range(antal):
        start = time.perf_counter()
        funktion()
        tider.append((time.perf_counter() - start) * 1000)
    return tider


def median_p90(tider: list[float]) -> str:
    p90 = statistics.quantiles(tider, n=10, method="inclusive")[-1]
    return f"median {statistics.median(tider):.1f} ms, p90 {p90:.1f} ms"


def main() -> int:
    call_command("migrate", verbosity=0)
    forbund = demodata.ladda(idag=dt.date(2026, 11, 23))
    client = Client()
    client.force_login(User.objects.get(username="styrelse"))
    url = f"/mal/{AR}/"

    def sida() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    sidtider = matt(sida)
    with CaptureQueriesContext(connection) as fragor:
        sida()

    valjartider = matt(lambda: malsida(forbund=forbund, ar=AR))
    with CaptureQueriesContext(connection) as valjarfragor:
        data = malsida(forbund=forbund, ar=AR)

    def diagrammen() -> None:
        diagram.rendera_alla(diagram.diagram_for_mal(data), "svg")

    diagram.tom_cache()
    kall = matt(diagrammen, varma=0, antal=1)[0]
    varma = matt(diagrammen)

    print(f"GET {url} som styrelse: {median_p90(sidtider)}, {len(fragor)} SQL-frågor")
    print(f"  malsida() ensam: {median_p90(valjartider)}, {len(valjarfragor)} SQL-frågor")
    print(f"  diagrammen ensamma: tom cache {kall:.1f} ms, cachade {median_p90(varma)}")
    median = statistics.median(sidtider)
    over = " – ÖVER MÅLET" if median > MAL_MS else ""
    print(f"malsida {AR}: median {median:.0f} ms (mål ≤ {MAL_MS:.0f} ms){over}")
    return 0


if __name__ == "__main__":
    status = 1
    try:
        status = main()
    finally:
        connection.close()
        _tmp.cleanup()
    sys.exit(status)
