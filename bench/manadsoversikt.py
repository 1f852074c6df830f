"""Benchmark: the månadsöversikt (`/registrering/<år>/`) for 3 and 30 insatser.

Standalone: a temporary SQLite database (or, with `BENCH_DATABASE_URL`, e.g. PostgreSQL, a
database `bench_manadsoversikt_<pid>` on that server, created and dropped), DEBUG=1, migrated
quietly. Two förbund, one with 30 insatser and one with 3 (deltagarflöde and volym, some in the
grupp Försteg), each with monthly reports January–October of the current year in every state,
and a verksamhetsutvecklare of its own. The page is fetched through Django's test client
(middleware, view, template): 5 warm-up requests, then 50 timed; the SQL queries are counted in
one more request so that counting does not slow the timed ones. Goal: a median under 100 ms for
30 insatser. Over the goal, or with `--profil`, the page is profiled with cProfile.

    .venv/bin/python bench/manadsoversikt.py [--profil]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MAL_MS = 100.0
VARMA, MATNINGAR = 5, 50
STORLEKAR = (3, 30)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory(prefix="bench-manadsoversikt-")
_BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = _BENCH_DATABASE_URL or f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host
os.environ["FINSAM_TVASTEG_KRAVS"] = ""  # logged in by the test client, no second step
os.environ["DJANGO_SETTINGS_MODULE"] = "finsam.settings"

import django  # noqa: E402

django.setup()

import cProfile  # noqa: E402
import datetime as dt  # noqa: E402
import io  # noqa: E402
import pstats  # noqa: E402

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from registrering.models import (  # noqa: E402
    Forbund,
    IngaendeBalans,
    Insats,
    Insatsgrupp,
    Justering,
    Manadsrapport,
    User,
)
from registrering.permissions import Roll  # noqa: E402
from registrering.selectors import manadsoversikt  # noqa: E402

Status = Manadsrapport.Status


def status_for(nr: int, manad: int) -> str | None:
    """A plausible spread: old months approved or registered, recent ones still in the
    workflow; None leaves the month unreported (saknas)."""
    if manad <= 6:
        return Status.GODKAND if (nr + manad) % 5 == 0 else Status.REGISTRERAD
    if manad <= 8:
        if (nr + manad) % 7 == 0:
            return None
        return Status.INSKICKAD if (nr + manad) % 3 == 0 else Status.GODKAND
    cykel = (Status.INSKICKAD, Status.RETURNERAD, Status.UTKAST, None, Status.GODKAND)
    return cykel[(nr + manad) % len(cykel)]


def skapa_forbund(antal: int, ar: int) -> User:
    """A förbund with `antal` insatser and their reports for January–October of `ar`."""
    forbund = Forbund.objects.create(
        namn=f"Samordningsförbundet Bench {antal}", kortnamn=f"SFB{antal}"
    )
    user = User.objects.create(username=f"vu{antal}", forbund=forbund)
    user.groups.add(Group.objects.get(name=str(Roll.VERKSAMHETSUTVECKLARE)))
    forsteg = Insatsgrupp.objects.create(forbund=forbund, namn="Försteg")
    insatser = []
    for nr in range(1, antal + 1):
        volym = nr % 4 == 0
        insatser.append(
            Insats(
                forbund=forbund,
                namn=f"Försteg {nr:02d}" if nr % 3 == 1 else f"Insats {nr:02d}",
                grupp=forsteg if nr % 3 == 1 else None,
                inriktning=Insats.Inriktning.STRUKTUR if volym else Insats.Inriktning.INDIVID,
                uppfoljning=Insats.Uppfoljning.VOLYM if volym else Insats.Uppfoljning.DELTAGARFLODE,
                volymenhet=Insats.Volymenhet.DELTAGARE if volym else "",
                # Some start during the year and one ends, so that some cells are "ej aktuell".
                startdatum=dt.date(ar, 4, 1) if nr % 10 == 5 else dt.date(ar - 3, 1, 1),
                slutdatum=dt.date(ar, 8, 31) if nr % 10 == 7 else None,
                ordning=nr,
            )
        )
    insatser = Insats.objects.bulk_create(insatser)
    rapporter = []
    for nr, insats in enumerate(insatser, start=1):
        for manad in range(1, 11):
            status = status_for(nr, manad)
            if status is None or not insats.aktiv_manad(ar, manad):
                continue
            rapporter.append(
                Manadsrapport(
                    insats=insats,
                    ar=ar,
                    manad=manad,
                    status=status,
                    nya_kvinnor=0 if insats.ar_volyminsats else (nr + manad) % 4,
                    nya_man=0 if insats.ar_volyminsats else (nr * manad) % 3,
                    avslutade_kvinnor=0 if insats.ar_volyminsats else manad % 2,
                    volym=10 + nr + manad if insats.ar_volyminsats else None,
                )
            )
    Manadsrapport.objects.bulk_create(rapporter)
    # The datakvalitet section: half of the deltagarflöde insatser have a confirmed balance and
    # a few have corrections.
    flode = [i for i in insatser if not i.ar_volyminsats]
    IngaendeBalans.objects.bulk_create(
        IngaendeBalans(insats=i, ar=ar, kvinnor=3, man=2, bekraftad_av=user) for i in flode[::2]
    )
    Justering.objects.bulk_create(
        Justering(insats=i, ar=ar, manad=6, kvinnor=-1, anledning="Inventering", skapad_av=user)
        for i in flode[::5]
    )
    return user


def matt(anrop: Callable[[], object], antal: int) -> list[float]:
    """Milliseconds per call."""
    tider = []
    for _ in range(antal):
        start = time.perf_counter()
        anrop()
        tider.append((time.perf_counter() - start) * 1000)
    return tider


# The breakdown's lines: (file name ending, function name) → label, in the order printed.
DELAR = {
    ("registrering/views.py", "oversikt"): "vyn oversikt()",
    ("registrering/selectors.py", "manadsoversikt"): "  selectors.manadsoversikt()",
    ("registrering/selectors.py", "_statuser"): "    radernas statusar",
    ("django/template/loader.py", "render_to_string"): "  mallen (render)",
    ("registrering/manadsceller.py", "rader_html"): "    rutnätets HTML",
    ("django/urls/base.py", "reverse"): "reverse() i hela anropet",
}


def profilera(hamta: Callable[[], object], antal: int = 20) -> None:
    """Where the time goes, from cProfile over `antal` requests: a breakdown of the request and
    the functions with the most time of their own."""
    profil = cProfile.Profile()
    profil.enable()
    for _ in range(antal):
        hamta()
    profil.disable()
    stats = pstats.Stats(profil)
    totalt = stats.total_tt  # type: ignore[attr-defined]
    kumulativ = {
        (slut, namn): post[3]
        for (fil, _, namn), post in stats.stats.items()  # type: ignore[attr-defined]
        for slut, del_namn in DELAR
        if namn == del_namn and fil.endswith(slut)
    }
    print(f"\ncProfile, {antal} anrop ({totalt / antal * 1000:.1f} ms per anrop med profilering),")
    print("andel av anropets tid:")
    for nyckel, etikett in DELAR.items():
        print(f"  {etikett:<30} {kumulativ.get(nyckel, 0) / totalt:>4.0%}")
    ut = io.StringIO()
    stats.stream = ut  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats("tottime").print_stats(15)
    print("\nMest egen tid:")
    print(ut.getvalue().split("\n", 4)[-1].strip("\n"))


def main(profil: bool) -> int:
    ar = timezone.localdate().year
    url = f"/registrering/{ar}/"
    resultat: dict[int, tuple[list[float], int, int]] = {}
    hamtningar: dict[int, Callable[[], bytes]] = {}
    celler: dict[int, dict[str, int]] = {}
    for antal in STORLEKAR:
        client = Client()
        user = skapa_forbund(antal, ar)
        client.force_login(user)

        def hamta(client: Client = client) -> bytes:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response.content

        matt(hamta, VARMA)
        tider = matt(hamta, MATNINGAR)
        with CaptureQueriesContext(connection) as fragor:
            storlek = len(hamta())
        resultat[antal] = (tider, len(fragor), storlek)
        hamtningar[antal] = hamta
        celler[antal] = manadsoversikt(
            user=user, forbund=user.forbund, ar=ar, idag=timezone.localdate()
        ).antal_per_status

    print(f"GET {url} som verksamhetsutvecklare, {VARMA} uppvärmningar + {MATNINGAR} mätningar")
    print(f"databas: {connection.vendor}")
    for antal, (tider, fragor, storlek) in resultat.items():
        p90 = statistics.quantiles(tider, n=10, method="inclusive")[-1]
        print(
            f"  {antal:>2} insatser: median {statistics.median(tider):.1f} ms, p90 {p90:.1f} ms, "
            f"min {min(tider):.1f} ms, max {max(tider):.1f} ms, {fragor} SQL-frågor, "
            f"{storlek / 1024:.1f} kB"
        )
        print("     celler: " + ", ".join(f"{s} {n}" for s, n in sorted(celler[antal].items())))
    fragor_per_storlek = {r[1] for r in resultat.values()}
    konstant = "ja" if len(fragor_per_storlek) == 1 else "NEJ"
    print(f"  lika många SQL-frågor för {' och '.join(map(str, STORLEKAR))} insatser: {konstant}")

    storst = max(STORLEKAR)
    median = statistics.median(resultat[storst][0])
    over = " – ÖVER MÅLET" if median > MAL_MS else ""
    if over or profil:
        profilera(hamtningar[storst])
    print(f"manadsoversikt {storst} insatser: median {median:.1f} ms (mål < {MAL_MS:.0f} ms){over}")
    return 0


if __name__ == "__main__":
    status = 1
    namn = connection.settings_dict["NAME"]
    testdatabas = False
    try:
        if _BENCH_DATABASE_URL:
            # Never write into the database the URL names, nor into a test database someone
            # else's test run may be using: a database of our own, dropped afterwards.
            connection.settings_dict["TEST"]["NAME"] = f"bench_manadsoversikt_{os.getpid()}"
            testdatabas = True
            connection.creation.create_test_db(verbosity=0, serialize=False)
        else:
            call_command("migrate", verbosity=0)
        status = main(profil="--profil" in sys.argv[1:])
    finally:
        if testdatabas:
            connection.creation.destroy_test_db(namn, verbosity=0)
        connection.close()
        _tmp.cleanup()
    sys.exit(status)
