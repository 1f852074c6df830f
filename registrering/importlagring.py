"""Where the admin keeps an uploaded import file between the preview and the confirm step.

The library's own `TempFolderStorage` opens whatever name the confirm form posts, relative to the
system's temp folder, and deletes it afterwards. `ImportLagring` instead writes each upload under
a fresh random name in a folder of its own (`FINSAM_IMPORT_TMP_DIR`, readable by the owner only),
reads and removes only names of that shape, and the admin (`registrering.admin.filer`) records
each name in the uploader's session and confirms only names found there. Previews that are never
confirmed are deleted after `FINSAM_IMPORT_TMP_MAX_ALDER` seconds: on the next upload and by
`manage.py rensa_importer`.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from import_export.tmp_storages import BaseStorage

from registrering.formats import ImportFel

SESSIONSNYCKEL = "finsam_importfiler"
MAX_ALDER_STANDARD = 60 * 60
_NAMN = re.compile(r"[0-9a-f]{32}")

SAKNAS = (
    "Den uppladdade filen finns inte längre (förhandsgranskningen är för gammal eller redan "
    "importerad). Välj filen och förhandsgranska den igen."
)


def mapp() -> Path:
    return Path(settings.FINSAM_IMPORT_TMP_DIR)


def max_alder() -> int:
    return int(getattr(settings, "FINSAM_IMPORT_TMP_MAX_ALDER", MAX_ALDER_STANDARD))


def giltigt_namn(namn: object) -> bool:
    return isinstance(namn, str) and _NAMN.fullmatch(namn) is not None


class ImportLagring(BaseStorage):
    """The library's temp storage contract (`save`, `read`, `remove`, `name`) on a folder of
    our own, with names that cannot point anywhere else."""

    def _sokvag(self) -> Path:
        if not giltigt_namn(self.name):
            raise ImportFel(SAKNAS)
        return mapp() / str(self.name)

    def save(self, data: bytes | str) -> None:
        rensa_gamla()
        mapp().mkdir(parents=True, exist_ok=True, mode=0o700)
        self.name = secrets.token_hex(16)
        innehall = data.encode(self.encoding or "utf-8") if isinstance(data, str) else data
        # O_EXCL: never write through a file or link that is already there.
        fd = os.open(self._sokvag(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fil:
            fil.write(innehall)

    def read(self) -> bytes | str:
        try:
            data = self._sokvag().read_bytes()
        except FileNotFoundError as exc:
            raise ImportFel(SAKNAS) from exc
        # As the library's own storage: bytes for a binary format (ours), text for a text one.
        if "b" not in self.read_mode:
            return data.decode(self.encoding or "utf-8")
        return data

    def remove(self) -> None:
        if giltigt_namn(self.name):
            self._sokvag().unlink(missing_ok=True)

    def finns(self) -> bool:
        return giltigt_namn(self.name) and self._sokvag().is_file()


def rensa_gamla(*, aldre_an: float | None = None) -> int:
    """Delete the stored uploads older than `aldre_an` seconds (the setting by default);
    returns how many were deleted. Only files named as `ImportLagring` names them."""
    folder = mapp()
    if not folder.is_dir():
        return 0
    grans = time.time() - (max_alder() if aldre_an is None else aldre_an)
    antal = 0
    for fil in folder.iterdir():
        if not giltigt_namn(fil.name):
            continue
        try:
            if fil.stat().st_mtime < grans:
                fil.unlink()
                antal += 1
        except FileNotFoundError:
            continue  # removed by a confirm or another process meanwhile
    return antal


def registrera(session: SessionBase, namn: str) -> None:
    """Remember that this session uploaded `namn`."""
    namnen = [n for n in session.get(SESSIONSNYCKEL, []) if n != namn]
    session[SESSIONSNYCKEL] = [*namnen, namn][-20:]


def i_sessionen(session: SessionBase, namn: object) -> bool:
    return giltigt_namn(namn) and namn in session.get(SESSIONSNYCKEL, [])


def glom(session: SessionBase, namn: str) -> None:
    namnen = session.get(SESSIONSNYCKEL, [])
    if namn in namnen:
        session[SESSIONSNYCKEL] = [n for n in namnen if n != namn]
