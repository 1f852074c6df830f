"""Benchmark: write 100 000 new months and their 100 000 audit rows by `bulk_create` and by
`registrering.masskrivning.skapa_manga` (COPY), on PostgreSQL, one after the other in the same
process (median of 3, each in a transaction that is rolled back). Only the writes are timed:
the instances are built before the clock starts.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/masskrivning.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
os.environ["DJANGO_SETTINGS_MODULE"] = "finsam.settings"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from registrering.masskrivning import skapa_manga  # noqa: E402
from registrering.models import AuditEntry, Forbund, Insats, Manadsrapport, User  # noqa: E402

RADER = int(os.environ.get("BENCH_RADER", "100000"))
INSATSER = RADER // 100


def manader(insatser: list[Insats], user: User) -> list[Manadsrapport]:
    nu = timezone.now()
    return [
        Manadsrapport(
            insats=insats,
            ar=2015 + i // 12,
            manad=i % 12 + 1,
            nya_kvinnor=i % 7,
            nya_man=i % 5,
            status=Manadsrapport.Status.INSKICKAD,
            inskickad_av=user,
            inskickad_tid=nu,
        )
        for insats in insatser
        for i in range(100)
    ]


def handelser(rapporter: list[Manadsrapport], forbund: Forbund, user: User) -> list[AuditEntry]:
    typ = ContentType.objects.get_for_model(Manadsrapport)
    nu = timezone.now()
    return [
        AuditEntry(
            forbund_id=forbund.pk,
            user=user,
            action=AuditEntry.Action.IMPORTERAD,
            content_type=typ,
            object_id=str(r.pk),
            object_repr=f"Insats, månad {r.manad} {r.ar}",
            changes={"nya_kvinnor": [None, r.nya_kvinnor], "status": [None, "inskickad"]},
            kommentar="Importerad från manader.csv",
            tid=nu,
        )
        for r in rapporter
    ]


def mat(namn: str, skriv: Callable[[type, list], None], insatser: list[Insats], user: User) -> None:
    tider: dict[str, list[float]] = {"månader": [], "ändringsrader": []}
    for _ in range(3):
        with transaction.atomic():
            rapporter = manader(insatser, user)
            start = time.perf_counter()
            skriv(Manadsrapport, rapporter)
            tider["månader"].append(time.perf_counter() - start)
            rader = handelser(rapporter, insatser[0].forbund, user)
            start = time.perf_counter()
            skriv(AuditEntry, rader)
            tider["ändringsrader"].append(time.perf_counter() - start)
            transaction.set_rollback(True)
    print(
        f"{namn}: "
        + ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in tider.items())
        + f" (median av 3; {RADER:_} rader var)".replace("_", " ")
    )


def main() -> None:
    settings.DEBUG = False
    forbund = Forbund.objects.create(namn="Samordningsförbundet Benchmark", kortnamn="SFB")
    user = User.objects.create(username="vu", forbund=forbund)
    insatser = Insats.objects.bulk_create(
        Insats(forbund=forbund, namn=f"Insats {n:04d}", startdatum=dt.date(2015, 1, 1))
        for n in range(INSATSER)
    )
    for insats in insatser:
        insats.forbund = forbund
    mat("bulk_create", lambda m, o: m.objects.bulk_create(o, batch_size=1000), insatser, user)
    mat("COPY (skapa_manga)", lambda m, o: skapa_manga(m, o), insatser, user)
    print(f"uptime: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    namn = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"bench_masskrivning_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(namn, verbosity=0)
        connection.close()
