"""Large imports in the task queue: the admin's confirm step hands a file with more than
`FINSAM_IMPORT_KO_RADER` rows to `importera_stor_fil` (through `finsam.uppgifter.skicka`)
instead of importing it in the request, and shows a status page until the task is done.

The worker has no session, so the request, which has checked that the session uploaded the file
(`registrering.importlagring`), passes the task the stored file's random name, the uploader's id
and the resource and format by name (checked against the lists of resources and formats). The
task imports with the same function as the admin's own confirm step (`importera`), so the same
resource, rules, services and audit rows, with the uploader as who; it removes the file whatever
happens.

A job's status is in the cache (a shared one, Redis, when tasks run in a worker) under its own
random id, with the uploader's id: `jobb_for` gives it to that user only. The stored file's name
is also a key, added atomically, so that a double click on confirm queues the file once and the
second click finds the first click's job.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Mapping
from typing import Any, Literal, TypedDict

import tablib
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from import_export.formats.base_formats import Format
from import_export.results import Result, RowResult

from registrering import importlagring
from registrering.formats import FORMAT, ImportFel
from registrering.importlagring import ImportLagring, mapp
from registrering.masskrivning import farre_skrapsamlingar
from registrering.models import User
from registrering.resources import RESURSER, FinsamResource

logger = logging.getLogger(__name__)

KO_RADER_STANDARD = 2_000
#: How long a job's status (and the double-click guard) is kept.
JOBB_TID = 24 * 60 * 60
#: At most this many rows with errors are kept for the status page (the rest are counted).
MAX_FELRADER = 500
RADNYCKEL = "finsam_importrader"
KODNING = "utf-8-sig"  # the admin's (the library's) `from_encoding`, for a text format
_JOBB_ID = importlagring.giltigt_namn  # the same shape: 32 hex digits

OVANTAT_FEL = (
    "Importen kunde inte slutföras på grund av ett tekniskt fel; inget har sparats. Försök igen, "
    "och kontakta den som driftar systemet om felet kvarstår."
)
KO_FEL = (
    "Importen kunde inte startas (kön svarar inte); inget har sparats. Välj filen och försök "
    "igen om en stund."
)

Status = Literal["köad", "pågår", "klar", "fel"]


class Jobb(TypedDict):
    """A job's status as the status page reads it."""

    anvandare: int
    modell: str  # the admin's model, app_label.model_name
    filnamn: str  # the name the user's file had
    status: Status
    resultat: dict[str, Any] | None  # `sammanfatta(result)`


def ko_rader() -> int:
    """Files with more rows than this are imported in the task queue."""
    return int(getattr(settings, "FINSAM_IMPORT_KO_RADER", KO_RADER_STANDARD))


def _jobbnyckel(jobb_id: str) -> str:
    return f"finsam:importjobb:{jobb_id}"


def _filnyckel(namn: str) -> str:
    return f"finsam:importjobb-fil:{namn}"


# --- the import itself, shared with the admin's confirm step ---------------------------------


def importera(
    *,
    resurs: type[FinsamResource],
    dataset: tablib.Dataset,
    user: User,
    godkand: bool,
    filnamn: str,
) -> Result:
    """Import `dataset` for real, all or nothing, as `user` (who the audit rows name); row
    errors are kept per row and column (as the admin's preview shows them)."""
    resource = resurs(user=user, godkand=godkand, radfel_som_filfel=False)
    return resource.import_data(
        dataset,
        dry_run=False,
        file_name=filnamn,
        user=user,
    )


def klar_text(totals: Mapping[str, int]) -> str:
    """What a finished import says, in the request or on the status page."""
    return (
        f"Importen är klar: {totals[RowResult.IMPORT_TYPE_NEW]} nya, "
        f"{totals[RowResult.IMPORT_TYPE_UPDATE]} ändrade, "
        f"{totals[RowResult.IMPORT_TYPE_DELETE]} borttagna och "
        f"{totals[RowResult.IMPORT_TYPE_SKIP]} oförändrade rader."
    )


def _cell(varde: Any) -> Any:
    return varde if varde is None or isinstance(varde, str | int | float | bool) else str(varde)


def sammanfatta(result: Result) -> dict[str, Any]:
    """A result as plain values, with the attribute names the import template reads
    (`admin/registrering/importfel.html` renders either)."""
    felrader = result.invalid_rows[:MAX_FELRADER]
    return {
        "has_errors": result.has_errors(),
        "has_validation_errors": result.has_validation_errors(),
        "totals": dict(result.totals),
        "base_errors": [{"error": str(e.error)} for e in result.base_errors],
        "row_errors": [
            [nr, [{"error": str(e.error)} for e in fel]] for nr, fel in result.row_errors()
        ],
        "diff_headers": [str(h) for h in result.diff_headers],
        "invalid_rows": [
            {
                "number": rad.number,
                "field_specific_errors": {
                    str(k): [str(t) for t in v] for k, v in rad.field_specific_errors.items()
                },
                "non_field_specific_errors": [str(t) for t in rad.non_field_specific_errors],
                "values": [_cell(v) for v in rad.values],
            }
            for rad in felrader
        ],
        "utelamnade_felrader": len(result.invalid_rows) - len(felrader),
    }


def _filfel(text: str) -> dict[str, Any]:
    """A whole-file error as `sammanfatta` shapes it."""
    return {
        "has_errors": True,
        "has_validation_errors": False,
        "totals": {},
        "base_errors": [{"error": text}],
        "row_errors": [],
        "diff_headers": [],
        "invalid_rows": [],
        "utelamnade_felrader": 0,
    }


# --- the preview's row count, remembered in the session ---------------------------------------


def minns_rader(session: SessionBase, namn: str, antal: int) -> None:
    """Remember how many rows the previewed file `namn` has (for the confirm step)."""
    kvar = set(session.get(importlagring.SESSIONSNYCKEL, []))
    rader = {n: a for n, a in session.get(RADNYCKEL, {}).items() if n in kvar}
    rader[namn] = antal
    session[RADNYCKEL] = rader


def rader_i(session: SessionBase, namn: str) -> int | None:
    antal = session.get(RADNYCKEL, {}).get(namn)
    return antal if isinstance(antal, int) else None


def ska_koas(session: SessionBase, namn: str) -> bool:
    """Whether the confirmed file is large enough for the task queue."""
    antal = rader_i(session, namn)
    return antal is not None and antal > ko_rader()


# --- jobs -------------------------------------------------------------------------------------


def jobb_for(jobb_id: object, user: Any, modell: str) -> Jobb | None:
    """The job `jobb_id` of the admin of `modell`, if `user` started it; otherwise None."""
    if not _JOBB_ID(jobb_id):
        return None
    jobb: Jobb | None = cache.get(_jobbnyckel(str(jobb_id)))
    if jobb is None or jobb["anvandare"] != getattr(user, "pk", None) or jobb["modell"] != modell:
        return None
    return jobb


def jobb_for_fil(namn: str, user: Any) -> str | None:
    """The id of the job already started for the stored file `namn` by `user` (a second click
    on confirm), if any."""
    if not importlagring.giltigt_namn(namn):
        return None
    jobb_id = cache.get(_filnyckel(namn))
    if not isinstance(jobb_id, str):
        return None
    jobb: Jobb | None = cache.get(_jobbnyckel(jobb_id))
    return jobb_id if jobb and jobb["anvandare"] == getattr(user, "pk", None) else None


def _satt_status(jobb_id: str, status: Status, resultat: dict[str, Any] | None = None) -> None:
    jobb: Jobb | None = cache.get(_jobbnyckel(jobb_id))
    if jobb is None:
        return  # expired: nobody is waiting for it
    jobb["status"] = status
    jobb["resultat"] = resultat
    cache.set(_jobbnyckel(jobb_id), jobb, JOBB_TID)


def jobb_skapa(jobb_id: str, *, user: User, modell: str, filnamn: str) -> None:
    """Record a queued job of `user` (its status page answers from now on)."""
    jobb: Jobb = {
        "anvandare": user.pk,
        "modell": modell,
        "filnamn": filnamn,
        "status": "köad",
        "resultat": None,
    }
    cache.set(_jobbnyckel(jobb_id), jobb, JOBB_TID)


def jobb_starta(
    *,
    user: User,
    modell: str,
    resurs: type[FinsamResource],
    format_: type,
    namn: str,
    filnamn: str,
    godkand: bool,
) -> str:
    """Queue the import of the stored file `namn` (which the caller has checked that this
    user's session uploaded) and return the job's id; a file already queued is not queued
    again: its job's id is returned."""
    from finsam import uppgifter

    jobb_id = secrets.token_hex(16)
    if not cache.add(_filnyckel(namn), jobb_id, JOBB_TID):
        return jobb_for_fil(namn, user) or jobb_id
    jobb_skapa(jobb_id, user=user, modell=modell, filnamn=filnamn)
    # The cleanup of unconfirmed previews goes by the file's age: a queued file starts anew.
    with contextlib.suppress(OSError):
        os.utime(mapp() / namn)
    try:
        uppgifter.skicka(
            importera_stor_fil,
            jobb_id=jobb_id,
            anvandare_id=user.pk,
            resurs=resurs.__name__,
            format_=format_.__name__,
            namn=namn,
            filnamn=filnamn,
            godkand=godkand,
        )
    except Exception:
        logger.exception("Importen kunde inte läggas i kön")
        ImportLagring(name=namn).remove()
        _satt_status(jobb_id, "fel", _filfel(KO_FEL))
    return jobb_id


# --- the task ---------------------------------------------------------------------------------


def las_lagrad(namn: str, format_: str) -> tablib.Dataset:
    """The stored file `namn` read as a dataset in the format named `format_` (a class name
    of `FORMAT`), as the preview read it."""
    formatklass: type[Format] | None = next((f for f in FORMAT if f.__name__ == format_), None)
    if formatklass is None:
        raise ValueError(f"okänt format {format_!r}")
    fmt = formatklass()
    lagring = ImportLagring(
        name=namn,
        encoding=None if fmt.is_binary() else KODNING,
        read_mode=fmt.get_read_mode(),
    )
    return fmt.create_dataset(lagring.read())


def _resurs(namn: str) -> type[FinsamResource]:
    resurs = next((r for r in RESURSER if r.__name__ == namn), None)
    if resurs is None:
        raise ValueError(f"okänd resurs {namn!r}")
    return resurs


@shared_task(name="registrering.importera_stor_fil", ignore_result=True)
def importera_stor_fil(
    *,
    jobb_id: str,
    anvandare_id: int,
    resurs: str,
    format_: str,
    namn: str,
    filnamn: str,
    godkand: bool,
) -> None:
    """Import one stored file as its uploader and record the outcome in the job's status; the
    file is removed afterwards, imported or not."""
    _satt_status(jobb_id, "pågår")
    try:
        user = User.objects.get(pk=anvandare_id, is_active=True)
        with farre_skrapsamlingar():  # reading the file too
            result = importera(
                resurs=_resurs(resurs),
                dataset=las_lagrad(namn, format_),
                user=user,
                godkand=godkand,
                filnamn=filnamn,
            )
        resultat = sammanfatta(result)
    except ImportFel as exc:
        resultat = _filfel(str(exc))
    except Exception:
        logger.exception("Importen %s misslyckades", jobb_id)
        resultat = _filfel(OVANTAT_FEL)
    finally:
        ImportLagring(name=namn).remove()
    fel = resultat["has_errors"] or resultat["has_validation_errors"]
    _satt_status(jobb_id, "fel" if fel else "klar", resultat)
