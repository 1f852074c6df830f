"""Where built PDFs are kept: Django's storage `bilagor` (README "Drift").

By default a folder on disk (`FINSAM_BILAGOR_DIR`, shared by every process of the machine; a
volume shared by several machines); with `FINSAM_S3_BUCKET` any S3-compatible store through
django-storages, so that every process on every machine serves the same file. Names are
content-addressed (`digest`): a name is only ever written with the same bytes, so overwriting is
safe and a reader never needs a lock. Each kind of PDF has folders of its own, since `spara`
clears out the older files of the folder it writes to: the bilaga `<förbund>/<år>/<digest>.pdf`
(`rapporter.pdf`), the Indikatorer report `<förbund>/indikatorer/<år>/<digest>.pdf`
(`enkater.indikatorpdf`), a group's joint report `grupper/<grupp-kortnamn>/<år>/<digest>.pdf`
(`samverkan.pdf`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone

#: Older builds of the same förbund and year are removed once they are this old (a request that
#: found one a moment ago can still read it).
BEHALL_GAMLA = dt.timedelta(minutes=10)


class BilageLagring(FileSystemStorage):
    """A folder where each file appears whole or not at all: it is written beside its name and
    then renamed into place, so that another process never reads half a PDF."""

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name  # same name, same bytes: overwrite instead of inventing a new name

    def _save(self, name: str, content: Any) -> str:
        mal = Path(self.path(name))
        mal.parent.mkdir(parents=True, exist_ok=True)
        fd, tillfallig = tempfile.mkstemp(dir=mal.parent, prefix=".skrivs-")
        try:
            with os.fdopen(fd, "wb") as ut:
                for bit in content.chunks():
                    ut.write(bit)
            if self.file_permissions_mode is not None:
                os.chmod(tillfallig, self.file_permissions_mode)
            os.replace(tillfallig, mal)
        except BaseException:
            Path(tillfallig).unlink(missing_ok=True)
            raise
        return name


def digest(version: str, data: object) -> str:
    """The content address of `data` as the PDF code of `version` draws it: a frozen dataclass
    whose repr holds everything the PDF shows, so that any change to it gives a new name."""
    return hashlib.sha256(f"{version}|{data!r}".encode()).hexdigest()


def lagring() -> Storage:
    return storages["bilagor"]


def las(namn: str) -> bytes | None:
    """The stored file's bytes, or None when there is none (or it went between look and read)."""
    store = lagring()
    try:
        if not store.exists(namn):
            return None
        with store.open(namn, "rb") as fil:
            return bytes(fil.read())
    except FileNotFoundError:
        return None


def finns(namn: str) -> bool:
    return lagring().exists(namn)


def spara(namn: str, innehall: bytes) -> None:
    """Store `innehall` under `namn`, then remove older files beside it (other data versions of
    the same PDF, förbund and year; subfolders are left alone) that are older than
    `BEHALL_GAMLA`."""
    spara_fil(namn, innehall)
    mapp, _, eget = namn.rpartition("/")
    stada(mapp, behall={eget})


def spara_fil(namn: str, innehall: bytes) -> None:
    """Store `innehall` under `namn` (whole or not at all), leaving every other file alone."""
    lagring().save(namn, ContentFile(innehall))


def stada(mapp: str, *, behall: set[str]) -> None:
    """Remove the files of `mapp` (not its subfolders) that are not in `behall` and are older
    than `BEHALL_GAMLA`."""
    store = lagring()
    try:
        _, filer = store.listdir(mapp)
    except FileNotFoundError:
        return
    gransen = timezone.now() - BEHALL_GAMLA
    for fil in filer:
        if fil in behall or fil.startswith("."):
            continue
        sokvag = f"{mapp}/{fil}"
        try:
            if store.get_modified_time(sokvag) < gransen:
                store.delete(sokvag)
        except (FileNotFoundError, NotImplementedError):
            continue
