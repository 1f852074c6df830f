"""Benchmark: saving the month form at 300 insatser (issue 15, points 3 and 5).

The load test (`bench/locustfile.py`) resubmits a month form, most often unchanged. This bench
builds a förbund as `bench/skala.py` does (`skapa`; a SQLite file, or with `BENCH_DATABASE_URL`
naming PostgreSQL a database of its own there) and, as the insatsansvarig of every insats,
POSTs the form of a draft month through Django's test client:

- "oförändrad": the figures as the form shows them (a resubmit: no audit row, no new version);
- "ändrad": nya kvinnor one more or one less each time (an audit row and a new data version).

Per kind it prints the median CPU time of the process and of the clock over the posts, and
the SQL queries of one post. With `--profil`, cProfile of each kind (functions with the most
cumulative time). Always exits 0.

    .venv/bin/python bench/manad_spara.py [--profil] [antal insatser, default 300]
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import skala  # the environment and the database, as its own run sets them up
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from registrering import manadssida
from registrering import models as m

POSTER = 30


def formularet(rapport: m.Manadsrapport) -> dict[str, str]:
    """The form's fields as the month page shows them (what a browser posts unchanged)."""
    varden = manadssida.initial(rapport)
    return {namn: "" if v is None else str(v) for namn, v in varden.items()}


def data_for(rapport: m.Manadsrapport, andra: bool) -> dict[str, str]:
    """The form as the month page shows it now; `andra`: with nya kvinnor one more or less."""
    rapport.refresh_from_db()
    data = formularet(rapport)
    if andra:
        data["nya_kvinnor"] = str(rapport.nya_kvinnor + (1 if rapport.nya_kvinnor < 3 else -1))
    return data


def posta(klient: Client, url: str, data: dict[str, str]) -> None:
    svar = klient.post(url, data)
    assert svar.status_code == 302, (svar.status_code, svar.content[:2000])


def main(profil: bool, antal: int) -> None:
    # The save is measured, not the bilaga it has rebuilt 15 s after the last change (in a
    # thread of this process, whose CPU time would count): the change's receiver, which sets a
    # cache flag and queues that rebuild, is left out with it (as in skala.py).
    settings.FINSAM_FORBERED_PDF = False
    ar = timezone.localdate().year
    f = skala.skapa(antal, ar)
    rapport = (
        m.Manadsrapport.objects.filter(
            insats__forbund=f.forbund,
            ar=ar,
            status=m.Manadsrapport.Status.UTKAST,
            insats__uppfoljning=m.Insats.Uppfoljning.DELTAGARFLODE,
        )
        .order_by("-manad", "insats__ordning")
        .first()
    )
    assert rapport is not None
    url = f"/registrering/insats/{rapport.insats_id}/{ar}/{rapport.manad}/"
    print(f"{antal} insatser, {url} ({rapport.get_status_display()}), {POSTER} poster per sort")
    for _ in range(3):  # the process warm (imports, templates)
        posta(f.ansvarig, url, data_for(rapport, andra=False))
        posta(f.ansvarig, url, data_for(rapport, andra=True))
    for sort, andra in (("oförändrad", False), ("ändrad", True)):
        tider, cpu = [], []
        for _ in range(POSTER):
            data = data_for(rapport, andra)
            start, cpu_start = time.perf_counter(), time.process_time()
            posta(f.ansvarig, url, data)
            tider.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
        data = data_for(rapport, andra)
        fragor = skala.fragor(lambda: posta(f.ansvarig, url, data))  # noqa: B023
        print(
            f"  {sort:<11} CPU {statistics.median(cpu):6.1f} ms, klocka "
            f"{statistics.median(tider):6.1f} ms, {fragor} frågor"
        )
        if profil:
            profilen = cProfile.Profile()
            for _ in range(POSTER):
                data = data_for(rapport, andra)
                profilen.enable()
                posta(f.ansvarig, url, data)
                profilen.disable()
            ut = io.StringIO()
            pstats.Stats(profilen, stream=ut).sort_stats("cumulative").print_stats(45)
            print(ut.getvalue())


if __name__ == "__main__":
    namn = connection.settings_dict["NAME"]
    try:
        if skala._POSTGRES:  # a database of its own on that server, as skala.py makes
            connection.settings_dict["TEST"]["NAME"] = f"bench_manad_{os.getpid()}"
            connection.creation.create_test_db(verbosity=0, serialize=False)
        else:
            call_command("migrate", verbosity=0)
        argument = [a for a in sys.argv[1:] if not a.startswith("--")]
        main(profil="--profil" in sys.argv[1:], antal=int(argument[0]) if argument else 300)
    finally:
        if skala._POSTGRES:
            connection.creation.destroy_test_db(namn, verbosity=0)
        connection.close()
        skala._tmp.cleanup()
    sys.exit(0)
