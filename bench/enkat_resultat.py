"""Benchmark: the survey results page (`/enkater/resultat/`) for 1 000 and 10 000 answers.

Standalone: a temporary SQLite database (or, with `BENCH_DATABASE_URL`, e.g. PostgreSQL, a
database `bench_enkat_resultat_<pid>` on that server, created and dropped), DEBUG=1, migrated
quietly. Two förbund, each with an NNS enkät of 14 questions (six-step scale) for two respondent
groups and rounds spread over the collection years 2020–2026 and three insatser: one förbund with
1 000 answers, the other with 10 000 (an answer is one respondent's answer to one question, so
10 000 answers are counts in about 5 000 `Enkatsvar` rows). The page is fetched as a member of
the förbund's styrelse (who sees all of its results) through Django's test client (middleware,
view, template), one bar per collection year and one per round: 5 warm-up requests, then 30
timed; the SQL queries are counted in one more request. Goal: a median of at most 100 ms for
10 000 answers per year, and as many queries for 1 000 as for 10 000 answers.

    .venv/bin/python bench/enkat_resultat.py
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
VARMA, MATNINGAR = 5, 30
STORLEKAR = (1_000, 10_000)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory(prefix="bench-enkat-resultat-")
_BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = _BENCH_DATABASE_URL or f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host
os.environ["DJANGO_SETTINGS_MODULE"] = "finsam.settings"

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from registrering.models import (  # noqa: E402
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Insats,
    Respondentgrupp,
    Svarsalternativ,
    User,
)
from registrering.permissions import Roll  # noqa: E402

SKALA = ("Aldrig", "Sällan", "Ibland", "Ofta", "För det mesta", "Alltid")
GRUPPER = (Respondentgrupp.DELTAGARE_PAGAENDE, Respondentgrupp.DELTAGARE_AVSLUTADE)
FRAGOR_PER_GRUPP = 7
# One round's answers to one question: 12 respondents over the six options.
FORDELNING = (1, 2, 3, 3, 2, 1)


def skapa_forbund(antal_svar: int) -> User:
    """A förbund with its NNS enkät and rounds holding `antal_svar` answers in all."""
    forbund = Forbund.objects.create(
        namn=f"Samordningsförbundet Bench {antal_svar}", kortnamn=f"SFB{antal_svar}"
    )
    # The styrelse: it sees everything of the förbund and logs in without a second step.
    user = User.objects.create(username=f"styrelse{antal_svar}", forbund=forbund)
    user.groups.add(Group.objects.get(name=str(Roll.STYRELSE)))
    insatser = [
        Insats.objects.create(forbund=forbund, namn=f"Insats {nr}", startdatum=dt.date(2019, 1, 1))
        for nr in range(1, 4)
    ]
    enkat = Enkat.objects.create(forbund=forbund, namn="Indikatorer", slag=Enkat.Slag.NNS)
    fragor: dict[str, list[list[Svarsalternativ]]] = {}
    for grupp in GRUPPER:
        fragor[grupp] = []
        for nr in range(FRAGOR_PER_GRUPP):
            fraga = Enkatfraga.objects.create(
                forbund=forbund,
                enkat=enkat,
                respondentgrupp=grupp,
                indikator=nr + 1,
                text=f"Fråga {nr + 1} ({grupp})",
                ordning=nr,
            )
            fragor[grupp].append(
                Svarsalternativ.objects.bulk_create(
                    Svarsalternativ(fraga=fraga, text=t, ordning=i, positivt=i >= 3)
                    for i, t in enumerate(SKALA)
                )
            )
    per_runda = FRAGOR_PER_GRUPP * sum(FORDELNING)
    svar: list[Enkatsvar] = []
    for nr in range(antal_svar // per_runda):
        grupp = GRUPPER[nr % len(GRUPPER)]
        runda = Enkattillfalle.objects.create(
            forbund=forbund,
            enkat=enkat,
            insats=insatser[nr % len(insatser)],
            namn=f"Runda {nr + 1}",
            # Spread over 2020–2026, some in November–December (next collection year).
            datum=dt.date(2020 + nr % 7, 1 + (nr * 5) % 12, 1 + nr % 28),
            respondentgrupp=grupp,
            kalla=Enkattillfalle.Kalla.IMPORT,
            antal_svar=sum(FORDELNING),
        )
        for alternativ in fragor[grupp]:
            svar += [
                Enkatsvar(tillfalle=runda, alternativ=a, antal=n)
                for a, n in zip(alternativ, FORDELNING, strict=True)
            ]
    Enkatsvar.objects.bulk_create(svar)
    return user


def matt(anrop: Callable[[], object], antal: int) -> list[float]:
    """Milliseconds per call."""
    tider = []
    for _ in range(antal):
        start = time.perf_counter()
        anrop()
        tider.append((time.perf_counter() - start) * 1000)
    return tider


def main() -> int:
    url = "/enkater/resultat/"
    rader: list[tuple[int, str, float, float, int, int]] = []
    fragor_per_visning: dict[str, set[int]] = {"ar": set(), "tillfalle": set()}
    for antal in STORLEKAR:
        user = skapa_forbund(antal)
        summa = sum(
            Enkatsvar.objects.filter(tillfalle__forbund=user.forbund).values_list(
                "antal", flat=True
            )
        )
        client = Client()
        client.force_login(user)
        for visa in ("ar", "tillfalle"):

            def hamta(client: Client = client, visa: str = visa) -> bytes:
                response = client.get(url, {"visa": visa})
                assert response.status_code == 200, response.status_code
                return response.content

            matt(hamta, VARMA)
            tider = matt(hamta, MATNINGAR)
            reset_queries()
            with CaptureQueriesContext(connection) as fragor:
                storlek = len(hamta())
            fragor_per_visning[visa].add(len(fragor))
            p90 = statistics.quantiles(tider, n=10, method="inclusive")[-1]
            rader.append((summa, visa, statistics.median(tider), p90, len(fragor), storlek))

    print(f"GET {url} som styrelseledamot, {VARMA} uppvärmningar + {MATNINGAR} mätningar")
    print(f"databas: {connection.vendor}")
    for summa, visa, median, p90, fragor, storlek in rader:
        per = "insamlingsår" if visa == "ar" else "tillfälle"
        print(
            f"  {summa:>6} svar, en stapel per {per:<12}: median {median:.1f} ms, "
            f"p90 {p90:.1f} ms, {fragor} SQL-frågor, {storlek / 1024:.1f} kB"
        )
    for visa, antal in fragor_per_visning.items():
        konstant = "ja" if len(antal) == 1 else "NEJ"
        print(f"  lika många SQL-frågor för 1 000 och 10 000 svar (visa={visa}): {konstant}")
    median = next(r[2] for r in rader if r[0] >= max(STORLEKAR) * 0.95 and r[1] == "ar")
    over = " – ÖVER MÅLET" if median > MAL_MS else ""
    print(f"enkat_resultat 10 000 svar: median {median:.1f} ms (mål ≤ {MAL_MS:.0f} ms){over}")
    return 0


if __name__ == "__main__":
    status = 1
    namn = connection.settings_dict["NAME"]
    testdatabas = False
    try:
        if _BENCH_DATABASE_URL:
            # A database of our own, dropped afterwards: never the one the URL names.
            connection.settings_dict["TEST"]["NAME"] = f"bench_enkat_resultat_{os.getpid()}"
            testdatabas = True
            connection.creation.create_test_db(verbosity=0, serialize=False)
        else:
            call_command("migrate", verbosity=0)
        status = main()
    finally:
        if testdatabas:
            connection.creation.destroy_test_db(namn, verbosity=0)
        connection.close()
        _tmp.cleanup()
    sys.exit(status)
