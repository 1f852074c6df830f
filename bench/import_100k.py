"""Benchmark: import 100 000 month rows (1 000 insatser × 100 months) as the /data/ page does.

Standalone: a temporary SQLite database, or with `BENCH_DATABASE_URL=postgresql://…` (or a
`DATABASE_URL` naming PostgreSQL) a database `bench_import_<pid>` of its own on that server,
created and dropped. The file is made as Swedish Excel writes it (semicolons, UTF-8 with BOM) and
goes the /data/ page's way as a verksamhetsutvecklare: the preview (`importflode.forhandsgranska`,
a dry run) and the confirm step (`importflode.bekrafta`, which queues a file this large; the task
runs here, in the same process, as `FINSAM_BYGG_I_BAKGRUNDEN = False` makes it). Then the same
file again (every row unchanged).

Each step runs in a child process of its own, so that the peak of one does not hide the next:
the time, the growth of the process's peak resident size (ru_maxrss, Django loaded and the file
read) and, in a second child whose transaction is rolled back, the peak of Python's allocations
(tracemalloc, which slows Python down several times). `DEBUG` is off while measuring (Django
would otherwise keep every SQL statement). Goal for the import: ≤ 10 s and ≤ 250 MB; "ÖVER
MÅLET" and exit code 1 otherwise.

    .venv/bin/python bench/import_100k.py
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/import_100k.py
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

MAL_SEKUNDER = 10.0
MAL_MB = 250.0
INSATSER = int(os.environ.get("BENCH_INSATSER", "1000"))
MANADER = 100  # January 2015 – April 2023: every month is over

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory(prefix="bench-import-")
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
os.environ["FINSAM_IMPORT_TMP_DIR"] = f"{_tmp.name}/importer"
for _namn in ("CACHE_DIR", "REDIS_URL", "CELERY_BROKER_URL", "FINSAM_S3_BUCKET"):
    os.environ.pop(_namn, None)  # the in-process cache; the task runs here
os.environ["DJANGO_SETTINGS_MODULE"] = "finsam.settings"

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.cache import SessionStore  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from registrering import importflode, importuppgifter  # noqa: E402
from registrering.formats import CSV  # noqa: E402
from registrering.models import AuditEntry, Forbund, Insats, Manadsrapport, User  # noqa: E402
from registrering.permissions import Roll  # noqa: E402
from registrering.resources import ManadsdataResource  # noqa: E402

SIDAN = "data"


def skapa_data() -> tuple[User, bytes]:
    forbund = Forbund.objects.create(namn="Samordningsförbundet Benchmark", kortnamn="SFB")
    user = User.objects.create(username="vu", forbund=forbund, is_staff=True)
    user.groups.add(Group.objects.get(name=str(Roll.VERKSAMHETSUTVECKLARE)))
    Insats.objects.bulk_create(
        Insats(
            forbund=forbund,
            namn=f"Insats {n:04d}",
            inriktning=Insats.Inriktning.INDIVID,
            startdatum=dt.date(2015, 1, 1),
        )
        for n in range(1, INSATSER + 1)
    )
    rader = ["Insats;År;Månad;Nya kvinnor;Nya män;Avslutade kvinnor;Avslutade män"]
    for n in range(1, INSATSER + 1):
        kvinnor = man = 0  # enrolled: nobody ends more participants than the insats has
        for i in range(MANADER):
            ar, manad = 2015 + i // 12, i % 12 + 1
            nk, nm = (n + i) % 7, (n * i) % 5
            ak, am = min(i % 3, kvinnor + nk), min(n % 2, man + nm)
            kvinnor, man = kvinnor + nk - ak, man + nm - am
            rader.append(f"Insats {n:04d};{ar};{manad};{nk};{nm};{ak};{am}")
    return user, ("\r\n".join(rader) + "\r\n").encode("utf-8-sig")


def forhandsgranska(user: User, data: bytes) -> object:
    """The /data/ page's preview: the file stored, a dry run, the file kept for confirming."""
    return importflode.forhandsgranska(
        session=SessionStore(),
        user=user,
        resurs=ManadsdataResource,
        format_=CSV,
        fil=SimpleUploadedFile("manader.csv", data, content_type="text/csv"),
        godkand=False,
    )


def bekrafta(user: User, data: bytes) -> object:
    """The /data/ page's confirm step for a file as its preview left it in the session."""
    session = SessionStore()
    lagring = importflode._lagra(SimpleUploadedFile("manader.csv", data), CSV)
    namn = str(lagring.name)
    antal = data.count(b"\r\n") - 1
    importflode.minns(
        session, namn, antal, importflode.Val(ManadsdataResource, CSV, "manader.csv", False)
    )
    utfall = importflode.bekrafta(session=session, user=user, namn=namn, modell=SIDAN)
    assert utfall.jobb_id, "en så stor fil ska köas"
    jobb = importuppgifter.jobb_for(utfall.jobb_id, user, SIDAN)
    assert jobb is not None and jobb["status"] == "klar", jobb and jobb["resultat"]
    return jobb["resultat"]


def mb(byte: float) -> float:
    return byte / (1024 * 1024)


def i_barn(steg: Callable[[], object], *, sparas: bool, tracemalloc_pa: bool) -> dict[str, float]:
    """Run `steg` in a child process and return its figures (time, MB). Without `sparas` the
    child's transaction is rolled back."""
    connection.close()  # the child opens its own
    las, skriv = os.pipe()
    barn = os.fork()
    if barn:
        os.close(skriv)
        with os.fdopen(las) as fil:
            text = fil.read()
        os.waitpid(barn, 0)
        return {k: float(v) for k, v in (p.split("=") for p in text.split())} if text else {}
    os.close(las)
    try:
        fore = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if tracemalloc_pa:
            tracemalloc.start()
        start = time.perf_counter()
        with transaction.atomic():
            steg()
            transaction.set_rollback(not sparas)
        sekunder = time.perf_counter() - start
        topp = mb(tracemalloc.get_traced_memory()[1]) if tracemalloc_pa else 0.0
        efter = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with os.fdopen(skriv, "w") as fil:
            fil.write(f"s={sekunder} rss={efter - fore} fore={fore} topp={topp}")
        connection.close()
        os._exit(0)
    except BaseException:
        import traceback

        traceback.print_exc()
        os._exit(1)


def mat(namn: str, steg: Callable[[], object], *, sparas: bool, mal: bool) -> bool:
    spar = i_barn(steg, sparas=False, tracemalloc_pa=True)
    tid = i_barn(steg, sparas=sparas, tracemalloc_pa=False)
    if not spar or not tid:
        print(f"{namn}: misslyckades")
        return False
    over = mal and (tid["s"] > MAL_SEKUNDER or max(tid["rss"], spar["topp"]) > MAL_MB)
    malet = f" (mål ≤ {MAL_SEKUNDER:.0f} s och ≤ {MAL_MB:.0f} MB)" if mal else ""
    print(
        f"{namn}: {tid['s']:.1f} s, minne +{tid['rss']:.0f} MB (ru_maxrss {tid['fore']:.0f} → "
        f"{tid['fore'] + tid['rss']:.0f} MB), topp {spar['topp']:.0f} MB i Python "
        f"(tracemalloc){malet}{' ÖVER MÅLET' if over else ''}"
    )
    sys.stdout.flush()
    return not over


def main() -> int:
    settings.FINSAM_BYGG_I_BAKGRUNDEN = False  # the queued task runs here, in the child
    settings.FINSAM_FORBERED_PDF = False  # the import is measured, not the bilaga it starts
    user, data = skapa_data()
    antal = data.count(b"\r\n") - 1
    databas = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(
        f"{antal:,} månadsrader ({INSATSER} insatser × {MANADER} månader), {databas}".replace(
            ",", " "
        )
    )
    settings.DEBUG = False  # Django keeps no log of the SQL while measuring
    ok = mat("förhandsgranskning", lambda: forhandsgranska(user, data), sparas=False, mal=False)
    ok = mat("import", lambda: bekrafta(user, data), sparas=True, mal=True) and ok
    assert Manadsrapport.objects.count() == antal, Manadsrapport.objects.count()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTERAD).count() == antal
    ok = (
        mat("samma fil igen (oförändrad)", lambda: bekrafta(user, data), sparas=True, mal=True)
        and ok
    )
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTERAD).count() == antal
    print(f"uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    namn = connection.settings_dict["NAME"]
    testdatabas = False
    kod = 1
    try:
        if _POSTGRES:
            connection.settings_dict["TEST"]["NAME"] = f"bench_import_{os.getpid()}"
            testdatabas = True
            connection.creation.create_test_db(verbosity=0, serialize=False)
        else:
            call_command("migrate", verbosity=0)
        kod = main()
    finally:
        if testdatabas:
            connection.creation.destroy_test_db(namn, verbosity=0)
        connection.close()
        _tmp.cleanup()
    sys.exit(kod)
