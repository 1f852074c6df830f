"""Benchmark: import 10 000 monthly rows (100 insatser × 100 months) from a CSV file.

Standalone: a temporary SQLite database, DEBUG=1, migrated quietly. The file is made as Swedish
Excel writes it (semicolons, UTF-8 with BOM) and imported through `ManadsdataResource` by a
verksamhetsutvecklare. Goal: the import at most 10 s. The admin's preview (a dry run) and a
second import of the same file (every row unchanged) are timed too, for information.

    .venv/bin/python bench/import_manadsdata.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

MAL_SEKUNDER = 10.0
INSATSER = 100
MANADER = 100  # January 2015 – April 2023: every month is over

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory()
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from registrering.formats import CSV  # noqa: E402
from registrering.models import AuditEntry, Forbund, Insats, Manadsrapport, User  # noqa: E402
from registrering.permissions import Roll  # noqa: E402
from registrering.resources import ManadsdataResource  # noqa: E402


def skapa_data() -> tuple[User, bytes]:
    forbund = Forbund.objects.create(namn="Samordningsförbundet Benchmark", kortnamn="SFB")
    user = User.objects.create(username="vu", forbund=forbund, is_staff=True)
    user.groups.add(Group.objects.get(name=str(Roll.VERKSAMHETSUTVECKLARE)))
    Insats.objects.bulk_create(
        Insats(
            forbund=forbund,
            namn=f"Insats {n:03d}",
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
            rader.append(f"Insats {n:03d};{ar};{manad};{nk};{nm};{ak};{am}")
    return user, ("\r\n".join(rader) + "\r\n").encode("utf-8-sig")


def main() -> int:
    call_command("migrate", verbosity=0)
    user, data = skapa_data()
    antal = data.count(b"\r\n") - 1

    # The admin's preview first (a dry run: every row with its before/after values).
    start = time.perf_counter()
    forhand = ManadsdataResource(user=user).import_data(CSV().create_dataset(data), dry_run=True)
    tid_forhand = time.perf_counter() - start
    assert forhand.totals["new"] == antal and not Manadsrapport.objects.exists()

    start = time.perf_counter()
    dataset = CSV().create_dataset(data)
    result = ManadsdataResource(user=user).import_data(dataset, dry_run=False)
    tid = time.perf_counter() - start

    if result.has_errors() or result.has_validation_errors():
        print("Importen misslyckades:", [str(e.error) for e in result.base_errors][:3])
        return 1
    assert Manadsrapport.objects.count() == antal, Manadsrapport.objects.count()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTERAD).count() == antal

    # The same file again: nothing changes, every row is reported unchanged.
    start = time.perf_counter()
    igen = ManadsdataResource(user=user).import_data(CSV().create_dataset(data), dry_run=False)
    tid_igen = time.perf_counter() - start
    assert igen.totals["skip"] == antal, igen.totals

    over = " ÖVER MÅLET" if tid > MAL_SEKUNDER else ""
    print(
        f"import {antal:,} månadsrader: {tid:.1f} s (mål ≤ {MAL_SEKUNDER:.0f} s){over}".replace(
            ",", " "
        )
    )
    print(f"förhandsgranskning av samma fil: {tid_forhand:.1f} s")
    print(f"samma fil igen (oförändrad): {tid_igen:.1f} s")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
