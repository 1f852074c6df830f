"""Benchmark: 1 000 anonymous answers posted in parallel to one survey round's public link.

Standalone: a temporary SQLite file (or, with `BENCH_DATABASE_URL`, e.g. PostgreSQL, a database
`bench_enkat_parallellt_<pid>` on that server, created and dropped), migrated quietly. The app
runs in gunicorn on the loopback (2 workers × 4 threads, `DEBUG=1`, the rate limit raised with
FINSAM_ENKAT_SVAR_PER_MINUT). 20 threads play 1 000 respondents: each one a new cookie jar, GET
the form (the CSRF cookie and token), POST two answers. Prints how many were submitted (303 to
the thank-you page), how many the round counted (`antal_svar` and each option's sum), how many
were lost, and the time. Goal: none lost. Exits with 1 when any is lost or refused.

    .venv/bin/python bench/enkat_parallellt.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/finsam \
        .venv/bin/python bench/enkat_parallellt.py
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

SVAR, TRADAR = 1_000, 20
ROT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROT))
_tmp = tempfile.TemporaryDirectory(prefix="bench-enkat-parallellt-")
_BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
_SQLITE_URL = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = _BENCH_DATABASE_URL or _SQLITE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "finsam.settings"

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.utils import timezone  # noqa: E402

from registrering.models import (  # noqa: E402
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Respondentgrupp,
    Svarsalternativ,
)

LANK = "bench-parallellt"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def skapa_tillfalle() -> tuple[Enkattillfalle, list[tuple[int, list[int]]]]:
    """A round open today with two questions of three options: [(question, [options])]."""
    forbund = Forbund.objects.create(namn="Samordningsförbundet Bench", kortnamn="SFB")
    enkat = Enkat.objects.create(forbund=forbund, namn="Utvärdering", slag="utbildning")
    fragor = []
    for ordning, text in enumerate(("Motsvarade dagen dina förväntningar?", "Lärde du dig nytt?")):
        fraga = Enkatfraga.objects.create(
            forbund=forbund,
            enkat=enkat,
            respondentgrupp=Respondentgrupp.KURSDELTAGARE,
            text=text,
            ordning=ordning,
        )
        alternativ = [
            Svarsalternativ.objects.create(fraga=fraga, text=t, ordning=i).pk
            for i, t in enumerate(("Ja", "Delvis", "Nej"))
        ]
        fragor.append((fraga.pk, alternativ))
    tillfalle = Enkattillfalle.objects.create(
        forbund=forbund,
        namn="Bench",
        datum=timezone.localdate(),
        slutdatum=timezone.localdate() + dt.timedelta(days=1),
        enkat=enkat,
        respondentgrupp=Respondentgrupp.KURSDELTAGARE,
        kalla=Enkattillfalle.Kalla.LANK,
        lank=LANK,
    )
    return tillfalle, fragor


def ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def starta_gunicorn(databas_url: str, port: int) -> subprocess.Popen[bytes]:
    miljo = {
        **os.environ,
        "DATABASE_URL": databas_url,
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "FINSAM_ENKAT_SVAR_PER_MINUT": "1000000",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "finsam.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROT,
        env=miljo,
    )
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except requests.RequestException:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn startade inte")


def en_respondent(bas: str, nr: int, fragor: list[tuple[int, list[int]]]) -> int:
    """One respondent: a new cookie jar, the form, two answers. The POST's status."""
    with requests.Session() as s:
        sida = s.get(f"{bas}/e/{LANK}/", timeout=30)
        token = TOKEN.search(sida.text)
        if sida.status_code != 200 or token is None:
            return sida.status_code
        data = {"csrfmiddlewaretoken": token.group(1)}
        for fraga, alternativ in fragor:
            data[f"fraga_{fraga}"] = str(alternativ[nr % len(alternativ)])
        svar = s.post(
            f"{bas}/e/{LANK}/",
            data=data,
            headers={"Referer": f"{bas}/e/{LANK}/"},
            allow_redirects=False,
            timeout=30,
        )
        return svar.status_code


def main(databas_url: str) -> int:
    tillfalle, fragor = skapa_tillfalle()
    connection.close()  # the server writes; this process only reads at the end
    port = ledig_port()
    server = starta_gunicorn(databas_url, port)
    bas = f"http://127.0.0.1:{port}"
    try:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=TRADAR) as pool:
            statusar = list(pool.map(lambda nr: en_respondent(bas, nr, fragor), range(SVAR)))
        tid = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)

    tillfalle.refresh_from_db()
    per_fraga = {
        f: Enkatsvar.objects.filter(tillfalle=tillfalle, alternativ__fraga_id=f).aggregate(
            n=Sum("antal")
        )["n"]
        or 0
        for f, _ in fragor
    }
    inskickade = statusar.count(303)
    andra = sorted({s for s in statusar if s != 303})
    forlorade = inskickade - tillfalle.antal_svar
    print(f"databas: {connection.vendor}, {SVAR} svar i {TRADAR} trådar mot gunicorn (2×4)")
    print(f"inskickade (303): {inskickade}, andra svar: {andra or 'inga'}")
    print(f"räknade: antal_svar {tillfalle.antal_svar}, per fråga {sorted(per_fraga.values())}")
    print(f"förlorade: {forlorade}")
    print(f"tid: {tid:.1f} s ({SVAR / tid:.0f} svar/s, GET + POST per svar)")
    ok = forlorade == 0 and inskickade == SVAR and set(per_fraga.values()) == {SVAR}
    print("enkat_parallellt: " + ("inga förlorade svar" if ok else "SVAR FÖRLORADES ELLER NEKADES"))
    return 0 if ok else 1


if __name__ == "__main__":
    status = 1
    namn = connection.settings_dict["NAME"]
    testdatabas = False
    try:
        if _BENCH_DATABASE_URL:
            # A database of our own, dropped afterwards: never the one the URL names.
            connection.settings_dict["TEST"]["NAME"] = f"bench_enkat_parallellt_{os.getpid()}"
            testdatabas = True
            connection.creation.create_test_db(verbosity=0, serialize=False)
            delar = urlsplit(_BENCH_DATABASE_URL)
            url = urlunsplit(delar._replace(path="/" + connection.settings_dict["NAME"]))
        else:
            call_command("migrate", verbosity=0)
            url = _SQLITE_URL
        status = main(url)
    finally:
        if testdatabas:
            connection.close()
            connection.creation.destroy_test_db(namn, verbosity=0)
        connection.close()
        _tmp.cleanup()
    sys.exit(status)
