"""Backup and restore of the database and the uploaded files (README "Drift: säkerhetskopia och
återställning").

PostgreSQL is dumped with `pg_dump --format=custom` and restored with `pg_restore --clean
--if-exists --no-owner --single-transaction` (a restore that fails leaves the database as it
was). SQLite is copied with sqlite3's online backup API, which gives a consistent copy while the
app runs. The connection comes from `DATABASES`; the password is passed to the PostgreSQL tools
in `PGPASSWORD`, never on the command line (where `ps` would show it).

The files under MEDIA_ROOT (the förbund's logos) go into a tar beside the dump,
`<fil>.media.tar.gz`; a restore replaces MEDIA_ROOT's contents with it when it exists.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections


class SakerhetskopiaFel(Exception):
    """A backup or restore that could not be done; the message is for the operator."""


def media_fil(fil: Path) -> Path:
    """The tar of MEDIA_ROOT that belongs to the dump `fil`."""
    return fil.with_name(fil.name + ".media.tar.gz")


def sakerhetskopiera(fil: Path, *, alias: str = "default") -> list[Path]:
    """Write the database to `fil` (and MEDIA_ROOT's files beside it); returns the files."""
    fil.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        _pg_kor("pg_dump", ["--format=custom", f"--file={fil}"], connection.settings_dict)
    elif connection.vendor == "sqlite":
        _sqlite_kopiera(alias, fil, till_fil=True)
    else:
        raise SakerhetskopiaFel(f"Databasen {connection.vendor} stöds inte.")
    skrivna = [fil]
    if _media_filer():
        with tarfile.open(media_fil(fil), "w:gz") as tar:
            tar.add(Path(settings.MEDIA_ROOT), arcname=".")
        skrivna.append(media_fil(fil))
    return skrivna


def aterstall(fil: Path, *, alias: str = "default") -> list[Path]:
    """Replace the database's contents with the dump `fil` (and MEDIA_ROOT's with its tar, when
    there is one); returns the files read."""
    if not fil.is_file():
        raise SakerhetskopiaFel(f"Filen {fil} finns inte.")
    connection = connections[alias]
    if connection.vendor == "postgresql":
        # The tool drops and creates the tables; this process must hold nothing open on them.
        connection.close()
        _pg_kor(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(fil)],
            connection.settings_dict,
        )
    elif connection.vendor == "sqlite":
        _sqlite_kopiera(alias, fil, till_fil=False)
    else:
        raise SakerhetskopiaFel(f"Databasen {connection.vendor} stöds inte.")
    lasta = [fil]
    if media_fil(fil).is_file():
        _aterstall_media(media_fil(fil))
        lasta.append(media_fil(fil))
    _glom_byggen()
    return lasta


def _glom_byggen() -> None:
    """After a restore the data versions are the dump's: numbers this installation has already
    used for other data. What is kept by version (the report pages in the cache, the record of
    built bilagor) is forgotten, so that nothing built for the replaced data is served. (The
    stored PDFs are named by their content and may stay.)"""
    from django.core.cache import cache

    from rapporter.models import Bilagebygge

    cache.clear()
    Bilagebygge.objects.all().delete()


def _pg_kor(verktyg: str, argument: list[str], db: Mapping[str, Any]) -> None:
    if shutil.which(verktyg) is None:
        raise SakerhetskopiaFel(f"{verktyg} finns inte på PATH (PostgreSQL:s klientverktyg).")
    anslutning = [f"--dbname={db['NAME']}"]
    for flagga, nyckel in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(nyckel):
            anslutning.append(f"{flagga}={db[nyckel]}")
    miljo = {**os.environ}
    if db.get("PASSWORD"):
        miljo["PGPASSWORD"] = str(db["PASSWORD"])
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        miljo["PGSSLMODE"] = str(sslmode)
    resultat = subprocess.run(
        [verktyg, "--no-password", *anslutning, *argument],
        env=miljo,
        capture_output=True,
        text=True,
        check=False,
    )
    if resultat.returncode != 0:
        raise SakerhetskopiaFel(f"{verktyg} misslyckades: {resultat.stderr.strip()}")


def _sqlite_kopiera(alias: str, fil: Path, *, till_fil: bool) -> None:
    """Copy the live database to `fil`, or `fil` into the live database, page by page through
    Django's own connection (an in-memory test database has no file of its own)."""
    connection = connections[alias]
    connection.ensure_connection()
    levande = connection.connection
    with sqlite3.connect(fil) as annan:
        if till_fil:
            levande.backup(annan)
        else:
            _kontrollera_sqlite(annan, fil)
            annan.backup(levande)
    annan.close()


def _kontrollera_sqlite(annan: sqlite3.Connection, fil: Path) -> None:
    try:
        annan.execute("SELECT count(*) FROM django_migrations").fetchone()
    except sqlite3.DatabaseError as fel:
        raise SakerhetskopiaFel(f"{fil} är ingen säkerhetskopia av en SQLite-databas.") from fel


def _media_filer() -> bool:
    rot = Path(settings.MEDIA_ROOT)
    return rot.is_dir() and any(p.is_file() for p in rot.rglob("*"))


def _aterstall_media(tar_fil: Path) -> None:
    """Unpack into a new folder beside MEDIA_ROOT, then swap it in: a broken tar leaves the old
    files in place."""
    rot = Path(settings.MEDIA_ROOT)
    rot.parent.mkdir(parents=True, exist_ok=True)
    ny = Path(tempfile.mkdtemp(prefix=".media-", dir=rot.parent))
    ny.chmod(rot.stat().st_mode & 0o777 if rot.exists() else 0o755)  # mkdtemp gives 0700
    with tarfile.open(tar_fil, "r:gz") as tar:
        tar.extractall(ny, filter="data")
    if rot.exists():
        gammal = rot.with_name(rot.name + ".gammal")
        shutil.rmtree(gammal, ignore_errors=True)
        rot.rename(gammal)
        ny.rename(rot)
        shutil.rmtree(gammal)
    else:
        ny.rename(rot)
