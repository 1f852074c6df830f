"""Benchmark: the pages at 3, 30 and 300 insatser over five years (issue 15, point 6).

Standalone: a temporary SQLite file database, DEBUG=1, migrated quietly; with
`BENCH_DATABASE_URL` (or a `DATABASE_URL`) naming PostgreSQL, a database
`bench_skala_<pid>` on that server, created and dropped (the named database is never written),
and vacuumed and analysed (`VACUUM ANALYZE`) once each size's data is in, as autovacuum would.
One förbund per size, with its members, huvudmän and avslutsanledningar (the demo's fixtures),
a verksamhetsplan and budgeted volumes each year, and insatser (a quarter of them volyminsatser,
a third in the grupp Försteg) that ran the five years up to this one: every month of the earlier
years approved, with nya per huvudman and avslutade per avslutsanledning, and January–October
of this year in every state (as `bench/manadsoversikt.py`).

Per size and page: the median time through Django's test client (middleware, view, template)
of the first request after a write (a month's figures change and the year's data version is
bumped, untimed; after 2 warm-ups of the process), and the SQL queries of one more request:

- the månadsöversikt `/registrering/<this year>/` as the verksamhetsutvecklare;
- Mina insatser `/registrering/mina-insatser/` as an insatsansvarig of every insats;
- the month form `/registrering/insats/<pk>/<this year>/3/`;
- the insats list of the admin `/admin/registrering/insats/` (the kansli has `is_staff`);
- the data page `/data/`;
- the goal page `/mal/<this year>/` as the styrelse;
- the report page `/rapporter/<last year>/` (no PDF prepared in the background);
- the underlag page `/rapporter/<last year>/underlag/`;
- the joint report `/samverkan/<grupp>/<last year>/` of a group that holds only this förbund;
- the report's chart SVGs, first view after a change: the page and then each of its charts;
- the PDF `/rapporter/<last year>/pdf/` as the förbundschef, cold (built in the request after
  a change) and downloaded again as stored ("PDF nedladdning (lagrad)").

The chart and PDF rows are set up in their own functions (`mat_diagram`, `mat_pdf_kall`,
`mat_pdf_lagrad`). The table gives per page and size "median · queries", and whether the
queries are as many at every size; the load average is printed with it. A second table gives
the median CPU time of the process for the same requests (a busy machine makes the clock's
figures wait for a core; the CPU time much less).

`SKALA_STORLEKAR=3,30` chooses the sizes (default 3,30,300) and `SKALA_SIDOR=målsidan,PDF` the
rows (those whose name contains one of the words; default every row). More page repetitions
and one cold PDF at 300, as the output says. With `--profil`, the månadsöversikt at the largest
size is profiled with cProfile (as `bench/manadsoversikt.py --profil`). Always exits 0.

    .venv/bin/python bench/skala.py [--profil]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
_tmp = tempfile.TemporaryDirectory(prefix="bench-skala-")
_POSTGRES = next(
    (
        url
        for url in (os.environ.get("BENCH_DATABASE_URL", ""), os.environ.get("DATABASE_URL", ""))
        if url.startswith(("postgres://", "postgresql://"))
    ),
    "",
)
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = _POSTGRES or f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host
os.environ["FINSAM_TVASTEG_KRAVS"] = ""  # logged in by the test client, no second step
os.environ["FINSAM_BILAGOR_DIR"] = f"{_tmp.name}/bilagor"
for _namn in ("CACHE_DIR", "REDIS_URL", "FINSAM_S3_BUCKET"):
    os.environ.pop(_namn, None)  # the in-process cache and a storage of our own
os.environ["DJANGO_SETTINGS_MODULE"] = "finsam.settings"

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import html  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from functools import partial  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapporter import diagram  # noqa: E402
from registrering import models as m  # noqa: E402
from registrering.demodata import fixtures  # noqa: E402
from registrering.permissions import Roll  # noqa: E402
from registrering.signaler import meddela_andring  # noqa: E402

# The månadsöversikt bench's helpers (its import sets the environment for its own run: keep ours).
_miljo = dict(os.environ)
from manadsoversikt import matt, profilera, status_for  # noqa: E402

os.environ.clear()
os.environ.update(_miljo)

STORLEKAR = tuple(int(s) for s in os.environ.get("SKALA_STORLEKAR", "3,30,300").split(",") if s)
# `SKALA_SIDOR=målsidan,PDF` measures only the rows whose name contains one of the words.
SIDOR = tuple(s.strip() for s in os.environ.get("SKALA_SIDOR", "").split(",") if s.strip())
AR_ANTAL = 5
Status = m.Manadsrapport.Status


def upprepningar(antal: int) -> tuple[int, int]:
    """(pages, cold builds) measured per size: one cold PDF at 300 to stay within a few
    minutes, and 15 of each page there (with 5 a busy phase of the machine hid a tenth)."""
    return (15, 1) if antal >= 300 else (10, 3)


def _insatser(forbund: m.Forbund, antal: int, forsta_ar: int) -> list[m.Insats]:
    forsteg = m.Insatsgrupp.objects.create(forbund=forbund, namn="Försteg")
    insatser = []
    for nr in range(1, antal + 1):
        volym = nr % 4 == 0
        insatser.append(
            m.Insats(
                forbund=forbund,
                namn=f"Försteg {nr:03d}" if nr % 3 == 1 else f"Insats {nr:03d}",
                grupp=forsteg if nr % 3 == 1 else None,
                inriktning=m.Insats.Inriktning.STRUKTUR if volym else m.Insats.Inriktning.INDIVID,
                uppfoljning=(
                    m.Insats.Uppfoljning.VOLYM if volym else m.Insats.Uppfoljning.DELTAGARFLODE
                ),
                volymenhet=m.Insats.Volymenhet.TILLFALLEN if volym else "",
                startdatum=dt.date(forsta_ar, 1, 1),
                ordning=nr,
            )
        )
    return m.Insats.objects.bulk_create(insatser)


def _manad(insats: m.Insats, nr: int, ar: int, manad: int, status: str) -> m.Manadsrapport:
    flode = not insats.ar_volyminsats
    nya_k, nya_m = (1 + (nr + manad) % 4, 1 + (nr * manad) % 3) if flode else (0, 0)
    return m.Manadsrapport(
        insats=insats,
        ar=ar,
        manad=manad,
        status=status,
        nya_kvinnor=nya_k,
        nya_man=nya_m,
        avslutade_kvinnor=nya_k - 1 if flode else 0,
        avslutade_man=nya_m - 1 if flode else 0,
        volym=None if flode else 10 + (nr + manad) % 20,
    )


def _manader(insatser: list[m.Insats], ar: int, forsta_ar: int) -> list[m.Manadsrapport]:
    """Every month of the earlier years approved; January–October of `ar` in every state."""
    rapporter = []
    for nr, insats in enumerate(insatser, start=1):
        for year in range(forsta_ar, ar + 1):
            for manad in range(1, 13 if year < ar else 11):
                status = Status.GODKAND if year < ar else status_for(nr, manad)
                if status is not None:
                    rapporter.append(_manad(insats, nr, year, manad, status))
    return m.Manadsrapport.objects.bulk_create(rapporter, batch_size=2000)


def _fordelningar(forbund: m.Forbund, rapporter: list[m.Manadsrapport]) -> None:
    """The nya per huvudman and the avslutade per avslutsanledning of each flow month."""
    huvudman = list(m.Huvudman.objects.filter(forbund=forbund))
    anledningar = list(m.Avslutsanledning.objects.filter(forbund=forbund, uppsattning="Allmän"))
    nya, avslut = [], []
    for i, r in enumerate(rapporter):
        if r.nya:
            nya.append(m.NyaPerHuvudman(rapport=r, huvudman=huvudman[i % 3], antal=r.nya))
        if r.avslutade:
            anledning = anledningar[i % len(anledningar)]
            avslut.append(
                m.AvslutadePerAnledning(rapport=r, anledning=anledning, antal=r.avslutade)
            )
    m.NyaPerHuvudman.objects.bulk_create(nya, batch_size=2000)
    m.AvslutadePerAnledning.objects.bulk_create(avslut, batch_size=2000)


@dataclass(frozen=True)
class Forbundet:
    forbund: m.Forbund
    vu: Client
    chef: Client
    styrelse: Client
    ansvarig: Client  # an insatsansvarig of every insats (Mina insatser at full size)
    forsta_insats: int


def skapa(antal: int, ar: int) -> Forbundet:
    """A förbund with `antal` insatser over the five years up to `ar`, and its four users (the
    verksamhetsutvecklare with `is_staff`, as the kansli has it for the admin's lists)."""
    forsta_ar = ar - AR_ANTAL + 1
    forbund = m.Forbund.objects.create(
        namn=f"Samordningsförbundet Skala {antal}", kortnamn=f"SKALA{antal}"
    )
    fixtures.medlemmar(forbund)
    fixtures.huvudman(forbund)
    insatser = _insatser(forbund, antal, forsta_ar)
    fixtures.avslutsanledningar(forbund, {i.namn: i for i in insatser})
    klienter = []
    for roll in (Roll.VERKSAMHETSUTVECKLARE, Roll.FORBUNDSCHEF, Roll.STYRELSE, Roll.INSATSANSVARIG):
        user = m.User.objects.create(
            username=f"{roll.name.lower()}{antal}",
            forbund=forbund,
            is_staff=roll == Roll.VERKSAMHETSUTVECKLARE,
        )
        user.groups.add(Group.objects.get(name=str(roll)))
        if roll == Roll.INSATSANSVARIG:
            m.Insats.insatsansvariga.through.objects.bulk_create(
                m.Insats.insatsansvariga.through(insats_id=i.pk, user_id=user.pk) for i in insatser
            )
        klient = Client()
        klient.force_login(user)
        klienter.append(klient)
    rapporter = _manader(insatser, ar, forsta_ar)
    _fordelningar(forbund, [r for r in rapporter if not r.insats.ar_volyminsats])
    flode = [i for i in insatser if not i.ar_volyminsats]
    m.IngaendeBalans.objects.bulk_create(
        m.IngaendeBalans(insats=i, ar=forsta_ar, kvinnor=3, man=2) for i in flode
    )
    for year in range(forsta_ar, ar + 1):
        m.Verksamhetsplan.objects.create(
            forbund=forbund,
            ar=year,
            tilldelning=40_000 * antal,
            enkatmal_procent=75,
            kapitaltak_procent=15,
            eget_kapital_ingaende=5_000 * antal,
        )
        m.BudgeteradVolym.objects.bulk_create(
            m.BudgeteradVolym(insats=i, ar=year, volym=150 if i.ar_volyminsats else 40)
            for i in insatser
        )
    # The joint report of a group that holds only this förbund: its cost follows the insatser.
    m.Forbundsgrupp.objects.create(
        namn=f"Skalagruppen {antal}", kortnamn=f"skala-{antal}"
    ).forbund.add(forbund)
    vu, chef, styrelse, ansvarig = klienter
    if connection.vendor == "postgresql":
        # As autovacuum leaves the new rows within a minute of such a load in production: the
        # planner's statistics (without them it plans for one row per table: a sequential
        # scan per insats for the månadsöversikt's checklist, 41–42 ms, not 26–31) and the
        # visibility map (index-only scans; the report's breakdowns 4.6 → 3.0 ms each).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Forbundet(forbund, vu, chef, styrelse, ansvarig, forsta_insats=flode[0].pk)


def fragor(anrop: Callable[[], object]) -> int:
    """SQL queries of one call (the log emptied first: under DEBUG it keeps only 9 000)."""
    reset_queries()
    with CaptureQueriesContext(connection) as fangade:
        anrop()
    return len(fangade)


def hamta(klient: Client, url: str, typ: str = "text/html") -> bytes:
    response = klient.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith(typ), (url, response["Content-Type"])
    return response.content


def andra_siffror(forbund: m.Forbund, ar: int) -> None:
    """A write, as when a month is approved: a month of `ar` changes and the year's data
    version is bumped (`meddela_andring`, as every audited write does). The chart cache is
    emptied too, as in a process that has not drawn them. Not timed."""
    rad = m.Manadsrapport.objects.filter(insats__forbund=forbund, ar=ar, nya_kvinnor__gt=0)
    rad.filter(pk=rad.order_by("pk")[0].pk).update(nya_kvinnor=F("nya_kvinnor") + 1)
    meddela_andring(forbund_id=forbund.pk, ar=ar)
    diagram.tom_cache()


def kall(
    forbund: m.Forbund, ar: int, anrop: Callable[[], object]
) -> Callable[[], tuple[float, float]]:
    """`anrop` timed as the first request after a write (the write itself not timed): ms of
    the clock and of the process's CPU (the second is less disturbed by a busy machine)."""

    def matning() -> tuple[float, float]:
        andra_siffror(forbund, ar)
        start, cpu = time.perf_counter(), time.process_time()
        anrop()
        return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000

    return matning


@dataclass(frozen=True)
class Rad:
    sida: str
    tider: dict[int, float]  # ms per size
    fragor: dict[int, int | None]
    cpu: dict[int, float | None]  # CPU ms per size
    varm: dict[int, float | None]  # ms per size with the data unchanged since the last request


# (median ms, SQL queries of one more request, median CPU ms of the process, median ms of a
# request with the data unchanged since the last one)
Matning = tuple[float, int | None, float | None, float | None]


def medianer(matningar: list[tuple[float, float]]) -> tuple[float, float]:
    return (
        statistics.median(t for t, _cpu in matningar),
        statistics.median(cpu for _t, cpu in matningar),
    )


def sidorna(f: Forbundet, antal: int, ar: int) -> dict[str, tuple[Client, str, int]]:
    """The pages a kansli, a styrelse and an insatsansvarig use: (client, address, the year a
    write before each cold request changes)."""
    rapportar = ar - 1
    return {
        "månadsöversikt": (f.vu, f"/registrering/{ar}/", ar),
        "mina insatser (ansvarig för alla)": (f.ansvarig, "/registrering/mina-insatser/", ar),
        "månadsformuläret": (f.vu, f"/registrering/insats/{f.forsta_insats}/{ar}/3/", ar),
        "insatslistan (admin)": (f.vu, "/admin/registrering/insats/", ar),
        "datasidan": (f.vu, "/data/", ar),
        "målsidan": (f.styrelse, f"/mal/{ar}/", ar),
        "rapportsidan": (f.vu, f"/rapporter/{rapportar}/", rapportar),
        "underlag": (f.vu, f"/rapporter/{rapportar}/underlag/", rapportar),
        "gemensam rapport (grupp med förbundet)": (
            f.vu,
            f"/samverkan/skala-{antal}/{rapportar}/",
            rapportar,
        ),
    }


def mat_sida(f: Forbundet, klient: Client, url: str, ar: int, antal: int) -> Matning:
    """A page's median as the first request after a write (after 2 warm-ups of the process)."""
    sidor, _kalla = upprepningar(antal)
    sidan = partial(hamta, klient, url)
    matt(sidan, 2)  # the process warm (imports, templates), not the data
    tid, cpu = medianer([kall(f.forbund, ar, sidan)() for _ in range(sidor)])
    varm = statistics.median(matt(sidan, sidor))
    andra_siffror(f.forbund, ar)  # the queries of a request after a write, too
    return tid, fragor(sidan), cpu, varm


# The chart and PDF rows: each set up in its own function, so that a build by a background job
# looked up by data version changes one function.


def mat_diagram(f: Forbundet, antal: int, rapportar: int) -> Matning:
    """The report page and then each of its chart SVGs, first view after a change."""
    _sidor, kalla = upprepningar(antal)

    def diagrammen() -> None:
        sida = hamta(f.vu, f"/rapporter/{rapportar}/").decode()
        bilder = re.findall(r'<img src="(/rapporter/\d+/diagram/[^"]+\.svg[^"]*)"', sida)
        assert bilder, "inga diagram på sidan"
        for src in bilder:
            hamta(f.vu, html.unescape(src), "image/svg+xml")

    tid, cpu = medianer([kall(f.forbund, rapportar, diagrammen)() for _ in range(kalla)])
    return tid, None, cpu, statistics.median(matt(diagrammen, kalla))


def mat_pdf_kall(f: Forbundet, antal: int, rapportar: int) -> Matning:
    """The PDF as the förbundschef, built in the request after a change."""
    _sidor, kalla = upprepningar(antal)
    pdf = partial(hamta, f.chef, f"/rapporter/{rapportar}/pdf/", "application/pdf")
    tid, cpu = medianer([kall(f.forbund, rapportar, pdf)() for _ in range(kalla)])
    return tid, None, cpu, None


def mat_pdf_lagrad(f: Forbundet, antal: int, rapportar: int) -> Matning:
    """The stored PDF downloaded again, the data unchanged."""
    sidor, _kalla = upprepningar(antal)
    pdf = partial(hamta, f.chef, f"/rapporter/{rapportar}/pdf/", "application/pdf")
    pdf()
    return statistics.median(matt(pdf, sidor)), fragor(pdf), None, None


def valda(namn: str) -> bool:
    """Whether `SKALA_SIDOR` (empty: every row) asks for the row."""
    return not SIDOR or any(ord in namn for ord in SIDOR)


def mat_sidor(f: Forbundet, antal: int, ar: int) -> dict[str, Matning]:
    """(median ms, SQL queries) per page for one förbund."""
    resultat = {
        namn: mat_sida(f, klient, url, year, antal)
        for namn, (klient, url, year) in sidorna(f, antal, ar).items()
        if valda(namn)
    }
    ovriga: dict[str, Callable[[Forbundet, int, int], Matning]] = {
        "diagram (sidan + SVG), första efter ändring": mat_diagram,
        "PDF kall": mat_pdf_kall,
        "PDF nedladdning (lagrad)": mat_pdf_lagrad,
    }
    for namn, mat in ovriga.items():
        if valda(namn):
            resultat[namn] = mat(f, antal, ar - 1)
    return resultat


def skriv(rader: list[Rad]) -> None:
    """The table: per page and size the median and the SQL queries, and whether the queries
    are as many at every size."""

    def tid(ms: float) -> str:
        return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"

    def cell(rad: Rad, n: int) -> str:
        antal = rad.fragor[n]
        return tid(rad.tider[n]) + ("" if antal is None else f" · {antal}")

    huvud = " | ".join(f"{n} insatser" if i == 0 else str(n) for i, n in enumerate(STORLEKAR))
    print(f"| sida (median · SQL-frågor) | {huvud} | frågorna |")
    print("|---|" + "---|" * len(STORLEKAR) + "---|")
    for rad in rader:
        antal = {v for v in rad.fragor.values() if v is not None}
        lika = "–" if not antal else "lika" if len(antal) == 1 else "OLIKA"
        celler = " | ".join(cell(rad, n) for n in STORLEKAR)
        print(f"| {rad.sida} | {celler} | {lika} |")
    # The process's CPU time of the same requests: on a shared, busy machine the clock also
    # counts the time the process waited for a core, the CPU time does not.
    print(f"\n| sida (median CPU-tid i processen) | {huvud} |")
    print("|---|" + "---|" * len(STORLEKAR))
    for rad in rader:
        if all(rad.cpu[n] is not None for n in STORLEKAR):
            celler = " | ".join(tid(rad.cpu[n] or 0) for n in STORLEKAR)
            print(f"| {rad.sida} | {celler} |")
    # The same pages asked again with nothing written in between: what kept content gives (the
    # report's and the goal page's are kept by data version, `rapporter.sidcache`).
    print(f"\n| sida (median, oförändrade data) | {huvud} |")
    print("|---|" + "---|" * len(STORLEKAR))
    for rad in rader:
        if all(rad.varm[n] is not None for n in STORLEKAR):
            celler = " | ".join(tid(rad.varm[n] or 0) for n in STORLEKAR)
            print(f"| {rad.sida} | {celler} |")


def main(profil: bool) -> int:
    settings.FINSAM_FORBERED_PDF = False  # the report page starts no build in the background
    settings.FINSAM_BYGG_I_BAKGRUNDEN = False  # a cold PDF is built in its request
    ar = timezone.localdate().year
    matningar: dict[int, dict[str, Matning]] = {}
    for antal in STORLEKAR:
        start = time.perf_counter()
        forbundet = skapa(antal, ar)
        byggd = time.perf_counter() - start
        cache.clear()
        matningar[antal] = mat_sidor(forbundet, antal, ar)
        if profil and antal == max(STORLEKAR):
            print(f"Månadsöversikten vid {antal} insatser:")
            profilera(partial(hamta, forbundet.vu, f"/registrering/{ar}/"))
        sidor, kalla = upprepningar(antal)
        print(
            f"{antal} insatser: data {AR_ANTAL} år ({ar - AR_ANTAL + 1}–{ar}) byggd på "
            f"{byggd:.1f} s, mätt på {time.perf_counter() - start - byggd:.1f} s "
            f"(median av {sidor} per sida, var och en första begäran efter en skrivning, efter "
            f"2 uppvärmningar; {kalla} kalla bygg)",
            flush=True,
        )
    print(
        f"\ndatabas: {connection.vendor}; sidor för {ar} och rapporten för {ar - 1}; "
        f"load average {os.getloadavg()[0]:.2f} (1 min)\n"
    )
    namn = list(matningar[STORLEKAR[0]])
    skriv(
        [
            Rad(
                sida,
                {n: matningar[n][sida][0] for n in STORLEKAR},
                {n: matningar[n][sida][1] for n in STORLEKAR},
                {n: matningar[n][sida][2] for n in STORLEKAR},
                {n: matningar[n][sida][3] for n in STORLEKAR},
            )
            for sida in namn
        ]
    )
    return 0


if __name__ == "__main__":
    namn = connection.settings_dict["NAME"]
    testdatabas = False
    try:
        if _POSTGRES:
            connection.settings_dict["TEST"]["NAME"] = f"bench_skala_{os.getpid()}"
            testdatabas = True
            connection.creation.create_test_db(verbosity=0, serialize=False)
        else:
            call_command("migrate", verbosity=0)
        main(profil="--profil" in sys.argv[1:])
    finally:
        if testdatabas:
            connection.creation.destroy_test_db(namn, verbosity=0)
        connection.close()
        _tmp.cleanup()
    sys.exit(0)
