"""Load test (issue 15, point 5): 50 logged-in users on gunicorn, a Celery worker, PostgreSQL
and Redis, then a burst of 20 cold bilaga PDFs for 20 different years. See bench/README.md.

Everything runs on this machine on loopback: a PostgreSQL database `bench_last_<pid>` (created
and dropped), Redis database 7 (emptied before and after) as cache and broker, the bilagor in a
temporary folder. The demo is loaded, the 2025 months are copied to 2006–2024 (bulk writes: the
old years' figures need not be realistic) and 50 accounts of mixed roles are cloned from the
demo's. Then `bench/locustfile.py` runs headless for 60 s of load; after it, while the same users
keep going, 20 requests for the PDFs of 2006–2025 go out at once (and once more a few seconds
later, as impatient users click again), until the worker has built them all. Prints a table and
writes it as JSON to `bench/out/last-<date>.json`. Exits 0 (the figures are the result).

    .venv/bin/python bench/last.py [--arbetsmodell sync|gthread] [--arbetare N] [--tradar N]
                                   [--last-sek 60] [--skur-sek 90]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lasttest.data import KONTON, LOSENORD, SKUR_AR, forbered_data
from lasttest.siffror import (
    MAL_P95_MS,
    MAL_SKUR_P95_MS,
    Byggraknare,
    byggen,
    byggen_i_logg,
    sammanstall,
    skriv_tabell,
    uppgifter_i_logg,
)

ROT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG = "postgresql://postgres@127.0.0.1:5432"
REDIS_BAS = "redis://127.0.0.1:6379"
REDIS_DB = 7
ANVANDARE, TAKT = 50, 10  # locust -u, -r


# --- Processes, database and Redis -------------------------------------------------------------


class Processer:
    """Every process the driver starts, each in a process group of its own so that its
    children (gunicorn's and Celery's workers) stop with it."""

    def __init__(self) -> None:
        self.lista: list[tuple[str, subprocess.Popen[bytes]]] = []

    def starta(self, namn: str, args: list[str], logg: Path, env: dict[str, str]) -> None:
        with logg.open("wb") as ut:
            p = subprocess.Popen(
                args, cwd=ROT, env=env, stdout=ut, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.lista.append((namn, p))

    def signalera(self, namn: str, sig: signal.Signals) -> None:
        for n, p in self.lista:
            if n == namn:
                _signalera(p, sig)

    def lever(self, namn: str) -> bool:
        return any(n == namn and p.poll() is None for n, p in self.lista)

    def stoppa_alla(self) -> None:
        for _, p in self.lista:
            _signalera(p, signal.SIGTERM)
        slut = time.monotonic() + 15
        for _, p in self.lista:
            try:
                p.wait(max(0.1, slut - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signalera(p, signal.SIGKILL)
                p.wait()
        for _, p in self.lista:  # children left behind by a parent that has gone
            _signalera(p, signal.SIGKILL)


def _signalera(p: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(p.pid, sig)


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as anslutning:
        anslutning.execute(sql.encode())


def _redis_toem() -> None:
    import redis

    try:
        redis.Redis.from_url(f"{REDIS_BAS}/{REDIS_DB}").flushdb()
    except redis.ConnectionError as fel:
        raise RuntimeError(f"Redis svarar inte på {REDIS_BAS}: {fel}") from fel


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def miljo(tmp: Path, db: str, port: int) -> dict[str, str]:
    """The production-like environment of every process (as .ci/smoke sets it)."""
    return {
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "finsam.settings",
        "SECRET_KEY": "bench-last-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{PG}/{db}",
        "REDIS_URL": f"{REDIS_BAS}/{REDIS_DB}",
        "CACHE_PREFIX": f"bench-last-{os.getpid()}",
        "MEDIA_ROOT": str(tmp / "media"),
        "FINSAM_BILAGOR_DIR": str(tmp / "bilagor"),
        "FINSAM_IMPORT_TMP_DIR": str(tmp / "importer"),
        "FINSAM_TVASTEG_KRAVS": "",  # the load users type no code from an app
        "FINSAM_BAS_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(ROT),
    }


def vanta(villkor: Callable[[], bool], sekunder: float, vad: str) -> None:
    slut = time.monotonic() + sekunder
    while time.monotonic() < slut:
        if villkor():
            return
        time.sleep(0.25)
    raise RuntimeError(f"{vad} svarade inte inom {sekunder:.0f} s")


def _svarar(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as svar:
            return int(svar.status) == 200
    except OSError:
        return False


# --- The burst ---------------------------------------------------------------------------------


class LokalPolicy(http.cookiejar.DefaultCookiePolicy):
    """The app's cookies are Secure (DEBUG off); the driver sends them over plain loopback."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


def inloggad(bas: str, anvandare: str) -> urllib.request.OpenerDirector:
    burk = http.cookiejar.CookieJar(policy=LokalPolicy())
    oppnare = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(burk))
    with oppnare.open(f"{bas}/logga-in/", timeout=30) as svar:
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', svar.read())
    assert token, "ingen CSRF-token på inloggningssidan"
    data = {"csrfmiddlewaretoken": token.group(1).decode(), "username": anvandare}
    data["password"] = LOSENORD
    with oppnare.open(f"{bas}/logga-in/", urllib.parse.urlencode(data).encode(), 30) as svar:
        assert "/logga-in/" not in svar.url, f"{anvandare} kom inte in"
    return oppnare


def sidor_per_roll(bas: str, plan: dict[str, Any]) -> dict[str, list[str]]:
    """The pages each role may open, asked of the running app as the demo's account of the
    role (the PDF as the report page: both are `ser_rapporter`)."""
    ar = plan["ar"]
    sidor = {}
    for roll in KONTON:
        oppnare = inloggad(bas, roll)
        manad = next(k["manad"] for k in plan["konton"] if k["roll"] == roll)
        adresser = {
            "månadsöversikt": f"/registrering/{ar}/",
            "månadsformulär": manad,
            "rapport": f"/rapporter/{ar}/",
            "mål": f"/mal/{ar}/",
        }
        sidor[roll] = [namn for namn, adress in adresser.items() if _far(oppnare, bas + adress)]
        if "rapport" in sidor[roll]:
            sidor[roll].append("pdf")
    return sidor


def _far(oppnare: urllib.request.OpenerDirector, url: str) -> bool:
    try:
        with oppnare.open(url, timeout=60) as svar:
            return int(svar.status) == 200 and "/logga-in/" not in svar.url
    except urllib.error.HTTPError as fel:
        if fel.code == 403:
            return False
        raise


@dataclass
class Svar:
    ar: int
    status: int
    slag: str  # "pdf", "väntesida" or "fel"
    ms: float


@dataclass
class Skur:
    start: float = 0.0
    slut: float = 0.0
    forsta: list[Svar] = field(default_factory=list)
    andra: list[Svar] = field(default_factory=list)
    alla_byggda: bool = False


def hamta_pdf(oppnare: urllib.request.OpenerDirector, bas: str, ar: int) -> Svar:
    borjan = time.perf_counter()
    try:
        with oppnare.open(f"{bas}/rapporter/{ar}/pdf/", timeout=60) as svar:
            typ, status = svar.headers.get("Content-Type", ""), int(svar.status)
            svar.read()
    except urllib.error.HTTPError as fel:
        typ, status = "", fel.code
    except OSError:
        typ, status = "", 0
    ms = (time.perf_counter() - borjan) * 1000
    slag = "fel" if status != 200 else "pdf" if typ.startswith("application/pdf") else "väntesida"
    return Svar(ar, status, slag, ms)


def samtidigt(oppnare: urllib.request.OpenerDirector, bas: str) -> list[Svar]:
    """One request per year of SKUR_AR, all let go at the same moment."""
    start = threading.Barrier(len(SKUR_AR))
    svar: list[Svar] = []

    def en(ar: int) -> None:
        start.wait()
        svar.append(hamta_pdf(oppnare, bas, ar))

    tradar = [threading.Thread(target=en, args=(ar,)) for ar in SKUR_AR]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join()
    return sorted(svar, key=lambda s: s.ar)


def skur(bas: str, raknare: Byggraknare, sekunder: float) -> Skur:
    """The burst: 20 cold PDFs at once, the same 20 again 3 s later, then wait (at most
    `sekunder` in all) until every year's PDF is built, and 2 s more to see a late rebuild."""
    oppnare = inloggad(bas, "forbundschef")
    resultat = Skur(start=time.time())
    slut = time.monotonic() + sekunder
    resultat.forsta = samtidigt(oppnare, bas)
    time.sleep(3)
    resultat.andra = samtidigt(oppnare, bas)
    while time.monotonic() < slut:
        raknare.las()
        if all(raknare.byggen(ar) for ar in SKUR_AR):
            resultat.alla_byggda = True
            time.sleep(2)
            break
        time.sleep(0.25)
    resultat.slut = time.time()
    return resultat


# --- The run ----------------------------------------------------------------------------------


@contextmanager
def miljon(tmp: Path) -> Iterator[tuple[dict[str, str], Processer, str]]:
    """Database, Redis and the process list; all cleaned up whatever happens."""
    db = f"bench_last_{os.getpid()}"
    processer = Processer()
    _redis_toem()
    _psql(f'CREATE DATABASE "{db}"')
    try:
        env = {**os.environ, **miljo(tmp, db, _ledig_port())}
        yield env, processer, db
    finally:
        processer.stoppa_alla()
        _psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        _redis_toem()


def starta_tjanster(args: argparse.Namespace, env: dict[str, str], p: Processer, tmp: Path) -> str:
    port = env["FINSAM_BAS_URL"].rsplit(":", 1)[1]
    gunicorn = [str(BIN / "gunicorn"), "finsam.wsgi", "--bind", f"127.0.0.1:{port}"]
    gunicorn += ["--workers", str(args.arbetare), "--worker-class", args.arbetsmodell]
    if args.arbetsmodell == "gthread":
        gunicorn += ["--threads", str(args.tradar)]
    p.starta("gunicorn", [*gunicorn, "--timeout", "120"], tmp / "gunicorn.log", env)
    celery = ["nice", "-n", str(args.celery_nice)] if args.celery_nice else []
    celery += [str(BIN / "celery"), "-A", "finsam", "worker", "--loglevel", "INFO"]
    celery += ["--hostname", f"bench-last-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
    if args.celery_samtidigt:
        celery += ["--concurrency", str(args.celery_samtidigt)]
    p.starta("celery", celery, tmp / "worker.log", env)
    bas = env["FINSAM_BAS_URL"]
    vanta(lambda: _svarar(f"{bas}/readyz"), 60, "gunicorn")
    vanta(lambda: b" ready." in (tmp / "worker.log").read_bytes(), 60, "Celery-arbetaren")
    return bas


def starta_locust(args: argparse.Namespace, env: dict[str, str], p: Processer, tmp: Path) -> float:
    """Start the users; once all have logged in (50 password hashes: tens of seconds on a
    busy machine), the load phase runs for `--last-sek`. Returns when it ends (Unix time)."""
    inloggade = tmp / "inloggade"
    locust_env = {**env, "BENCH_LAST_PLAN": str(tmp / "plan.json")}
    locust_env |= {"BENCH_LAST_MATNINGAR": str(tmp / "matningar.json")}
    locust_env |= {"BENCH_LAST_RAKNARE": str(tmp / "raknare.json")}
    locust_env |= {"BENCH_LAST_INLOGGADE": str(inloggade)}
    tid = 120 + args.last_sek + args.skur_sek + 30  # stopped once the burst is over
    locust = [str(BIN / "locust"), "-f", str(ROT / "bench" / "locustfile.py"), "--headless"]
    locust += ["-u", str(ANVANDARE), "-r", str(TAKT), "-t", f"{tid}s"]
    locust += ["--host", env["FINSAM_BAS_URL"], "--only-summary", "--stop-timeout", "5"]
    p.starta("locust", locust, tmp / "locust.log", locust_env)
    start = time.time()
    vanta(lambda: inloggade.exists() or not p.lever("locust"), 120, "inloggningen")
    if not p.lever("locust"):
        raise RuntimeError(f"locust slutade: se {tmp / 'locust.log'}")
    print(f"{ANVANDARE} användare inloggade på {time.time() - start:.0f} s; lasten mäts nu")
    lastslut = float(inloggade.read_text()) + args.last_sek
    time.sleep(max(0.0, lastslut - time.time()))
    return lastslut


def kor(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    ar = dt.date.today().year
    belastning = os.getloadavg()
    with miljon(tmp) as (env, processer, db):
        os.environ.update(env)
        t0 = time.monotonic()
        plan = forbered_data(ar, formular=args.inloggningsformular)
        sparar = sum(1 for k in plan["konton"] if k["spara"])
        print(f"Data klar på {time.monotonic() - t0:.0f} s ({db}); {sparar} konton sparar en månad")
        bas = starta_tjanster(args, env, processer, tmp)
        print(f"gunicorn ({args.arbetsmodell}) och Celery-arbetaren svarar på {bas}")
        sidor = sidor_per_roll(bas, plan)
        for konto in plan["konton"]:
            konto["sidor"] = sidor[konto["roll"]]
        (tmp / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        lastslut = starta_locust(args, env, processer, tmp)
        raknare = Byggraknare(tmp / "bilagor", plan["forbund"])
        loggstart = (tmp / "worker.log").stat().st_size
        s = Skur(start=time.time(), slut=time.time())
        if args.skur_sek:
            with raknare:
                s = skur(bas, raknare, args.skur_sek)
        processer.signalera("locust", signal.SIGTERM)  # it writes its figures and ends
        vanta(lambda: not processer.lever("locust"), 30, "locust")
        matfil, raknefil = tmp / "matningar.json", tmp / "raknare.json"
        if not matfil.exists():
            raise RuntimeError(f"locust skrev inga mätningar: se {tmp / 'locust.log'}")
        matningar = json.loads(matfil.read_text(encoding="utf-8"))
        return {
            "datum": dt.datetime.now().isoformat(timespec="seconds"),
            "belastning_fore": belastning,
            "gunicorn": {
                "arbetsmodell": args.arbetsmodell,
                "arbetare": args.arbetare,
                "tradar": args.tradar if args.arbetsmodell == "gthread" else 1,
            },
            "celery": {
                "samtidigt": args.celery_samtidigt or "inställningen",
                "nice": args.celery_nice,
            },
            "anvandare": ANVANDARE,
            "last_sek": args.last_sek,
            "inloggning": sammanstall(
                [m for m in matningar if m["namn"].startswith("inloggning")], MAL_P95_MS
            ),
            "last": sammanstall(
                [m for m in matningar if lastslut - args.last_sek <= m["start"] < lastslut],
                MAL_P95_MS,
            ),
            "last_mal_ms": MAL_P95_MS,
            "under_skuren": sammanstall(
                [m for m in matningar if s.start <= m["start"] <= s.slut], MAL_SKUR_P95_MS
            ),
            "under_skuren_mal_ms": MAL_SKUR_P95_MS,
            "skur": {
                "forsta": dict(Counter(x.slag for x in s.forsta)),
                "andra": dict(Counter(x.slag for x in s.andra)),
                "forsta_max_ms": round(max((x.ms for x in s.forsta), default=0), 1),
                "alla_byggda": s.alla_byggda,
                "sekunder": s.slut - s.start,
                **byggen(raknare, byggen_i_logg(tmp / "worker.log", loggstart, plan["forbund"])),
                "uppgifter": uppgifter_i_logg(tmp / "worker.log", loggstart),
            },
            "pdf_svar": {
                k: v
                for k, v in (json.loads(raknefil.read_text()) if raknefil.exists() else {}).items()
                if k != "inloggningar"
            },
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--arbetsmodell",
        choices=["sync", "gthread"],
        default="gthread",
        help="gunicorns arbetsmodell (README, Drift: gthread valdes)",
    )
    parser.add_argument("--arbetare", type=int, default=2, help="gunicorns arbetsprocesser")
    parser.add_argument("--tradar", type=int, default=4, help="trådar per process (gthread)")
    parser.add_argument("--celery-samtidigt", type=int, default=0, help="0: inställningens")
    parser.add_argument(
        "--celery-nice", type=int, default=0, help="arbetarens nice-värde (lägre prioritet)"
    )
    parser.add_argument("--last-sek", type=int, default=60)
    parser.add_argument(
        "--skur-sek", type=int, default=90, help="skurens längsta tid; 0: ingen skur"
    )
    parser.add_argument(
        "--inloggningsformular",
        action="store_true",
        help="användarna loggar in med formuläret (standard: sessioner som skriptet skapat)",
    )
    parser.add_argument("--behall", action="store_true", help="behåll loggarna i /tmp")
    args = parser.parse_args()
    if not (BIN / "locust").exists():  # the `bench` extra: before data and servers are made
        sys.exit("locust saknas i miljön: kör `make bench-last` (installerar .[bench]).")
    tmp = Path(tempfile.mkdtemp(prefix="bench-last-"))
    try:
        resultat = kor(args, tmp)
    except RuntimeError as fel:
        print(f"LASTTEST FEL: {fel}", file=sys.stderr)
        sys.exit(1)
    finally:
        if not args.behall:
            subprocess.run(["rm", "-rf", str(tmp)], check=False)
        else:
            print(f"Loggar i {tmp}")
    resultat["belastning_efter"] = os.getloadavg()
    skriv_tabell(resultat)
    ut = ROT / "bench" / "out" / f"last-{dt.datetime.now():%Y-%m-%d-%H%M%S}.json"
    ut.parent.mkdir(parents=True, exist_ok=True)
    ut.write_text(json.dumps(resultat, indent=2, ensure_ascii=False), encoding="utf-8")
    print(
        f"Belastning (uptime) före/efter: {resultat['belastning_fore']} / "
        f"{resultat['belastning_efter']}\nSkrivet: {ut.relative_to(ROT)}"
    )


if __name__ == "__main__":
    main()
