"""One import flow with two doors: the product's own page (`registrering.filvyer`) and the
admin (`registrering.admin.filer`).

Both go the same way: the uploaded file is stored under a random name (`ImportLagring`) and
recorded in the uploader's session, a preview (a dry run of the resource) shows every row, and
only a file this session previewed, still stored, can be confirmed. What the file was previewed
as (its resource, format, name and whether its months are approved) is kept in the session with
it and the confirm step imports it as that, whatever the confirming request posts. A
confirmed file with more than `FINSAM_IMPORT_KO_RADER` rows goes to the task queue
(`importuppgifter.jobb_starta`); otherwise it is imported in the request by
`importuppgifter.importera`, the task's own function.
The admin keeps the library's preview page; everything after the preview is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import UploadedFile
from import_export.results import Result

from registrering import importlagring, importuppgifter
from registrering.formats import FORMAT, ImportFel, kontrollera_storlek
from registrering.importlagring import ImportLagring
from registrering.models import User
from registrering.resources import RESURSER, FinsamResource
from registrering.resources.manader import ManadsdataResource, VolymdataResource

LASFEL = "Filen kunde inte läsas. Kontrollera att du valt rätt filformat (xlsx eller csv)."
GODKAND_ETIKETT = "Markera importerade månader som godkända"
GODKAND_HJALP = (
    "Annars får de status inskickad och räknas som rapporterade. Godkända månader låses."
)
#: The resources whose rows can be marked approved on import (the months).
MED_GODKAND: frozenset[type[FinsamResource]] = frozenset({ManadsdataResource, VolymdataResource})
#: The session's record of what each previewed file was previewed as (`minns`).
VALNYCKEL = "finsam_importval"


# --- what can be imported, and in which formats ----------------------------------------------


def resurs_med_namn(namn: object) -> type[FinsamResource] | None:
    """The resource of `RESURSER` named `namn` (its class name), or None."""
    return next((r for r in RESURSER if r.__name__ == namn), None)


def format_med_namn(namn: object) -> type | None:
    """The file format named `namn` (`csv`, `xlsx`), or None."""
    return next((f for f in FORMAT if f.__name__.lower() == namn), None)


# --- the preview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forhandsgranskning:
    """A preview: the dry run's result and, when the file can be confirmed, its stored name."""

    result: Result
    namn: str | None
    filnamn: str

    @property
    def bekraftbar(self) -> bool:
        return self.namn is not None


@dataclass(frozen=True)
class Val:
    """What a stored file was previewed as: the confirm step imports it so."""

    resurs: type[FinsamResource]
    format_: type
    filnamn: str
    godkand: bool


def minns(session: SessionBase, namn: str, antal_rader: int, val: Val) -> None:
    """Record that this session previewed the stored file `namn` of `antal_rader` rows as
    `val`: only such a file can be confirmed, only as `val`, and the count chooses request or
    queue."""
    importlagring.registrera(session, namn)
    importuppgifter.minns_rader(session, namn, antal_rader)
    kvar = set(session.get(importlagring.SESSIONSNYCKEL, []))
    valen = {n: v for n, v in session.get(VALNYCKEL, {}).items() if n in kvar}
    valen[namn] = {
        "resurs": val.resurs.__name__,
        "format": val.format_.__name__.lower(),
        "filnamn": val.filnamn,
        "godkand": val.godkand,
    }
    session[VALNYCKEL] = valen


def valt(session: SessionBase, namn: object) -> Val | None:
    """What this session previewed the file `namn` as, or None (it did not, or it is gone)."""
    sparat = session.get(VALNYCKEL, {}).get(namn) if isinstance(namn, str) else None
    if not isinstance(sparat, dict):
        return None
    resurs, format_ = resurs_med_namn(sparat.get("resurs")), format_med_namn(sparat.get("format"))
    if resurs is None or format_ is None:
        return None
    return Val(resurs, format_, str(sparat.get("filnamn") or ""), sparat.get("godkand") is True)


def kassera(namn: object) -> None:
    """Remove a stored file that will not be confirmed (its preview had errors)."""
    if importlagring.giltigt_namn(namn):
        ImportLagring(name=str(namn)).remove()


def _lagra(fil: UploadedFile, format_: type) -> ImportLagring:
    fmt = format_()
    lagring = ImportLagring(
        encoding=None if fmt.is_binary() else importuppgifter.KODNING,
        read_mode=fmt.get_read_mode(),
    )
    lagring.save(b"".join(fil.chunks()))
    return lagring


def forhandsgranska(
    *,
    session: SessionBase,
    user: User,
    resurs: type[FinsamResource],
    format_: type,
    fil: UploadedFile,
    godkand: bool,
) -> Forhandsgranskning:
    """Store the uploaded file and preview it (nothing is saved). A file that cannot be read
    raises `ImportFel` with a Swedish message; a file with errors is not kept."""
    kontrollera_storlek(fil.size or 0)
    lagring = _lagra(fil, format_)
    namn = str(lagring.name)
    try:
        dataset = importuppgifter.las_lagrad(namn, format_.__name__)
    except ImportFel:
        kassera(namn)
        raise
    except Exception as exc:
        kassera(namn)
        raise ImportFel(LASFEL) from exc
    filnamn = fil.name or ""
    result = resurs(user=user, godkand=godkand, radfel_som_filfel=False).import_data(
        dataset, dry_run=True, raise_errors=False, file_name=filnamn, user=user
    )
    if result.has_errors() or result.has_validation_errors():
        kassera(namn)
        return Forhandsgranskning(result=result, namn=None, filnamn=filnamn)
    minns(session, namn, result.total_rows, Val(resurs, format_, filnamn, godkand))
    return Forhandsgranskning(result=result, namn=namn, filnamn=filnamn)


# --- the confirm step ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bekraftelse:
    """What confirming gave: a job in the queue, an import done in the request (its result),
    or nothing because the file is not this session's or no longer there (`saknas`)."""

    jobb_id: str | None = None
    result: Result | None = None
    saknas: bool = False
    #: The name of the file imported in the request, as it was uploaded.
    filnamn: str = ""


def hinder(session: SessionBase, user: Any, namn: object) -> Bekraftelse | None:
    """Why `namn` cannot be confirmed now: it is queued already (a second click: its job), or
    this session did not preview it or it is gone (`saknas`). None: it can be confirmed."""
    if isinstance(namn, str) and (jobb_id := importuppgifter.jobb_for_fil(namn, user)):
        return Bekraftelse(jobb_id=jobb_id)
    kand = importlagring.i_sessionen(session, namn)
    if kand and valt(session, namn) is not None and ImportLagring(name=str(namn)).finns():
        return None
    if kand:
        importlagring.glom(session, str(namn))
    return Bekraftelse(saknas=True)


def bekrafta(
    *,
    session: SessionBase,
    user: User,
    namn: str,
    modell: str,
) -> Bekraftelse:
    """Import the previewed file `namn` for real, as `user`, as it was previewed (`valt`):
    queued when large (the job's id), else in the request (the result). `modell` names the
    door whose status page shows the job."""
    if (stopp := hinder(session, user, namn)) is not None:
        return stopp
    if (val := valt(session, namn)) is None:  # `hinder` checked it; for the type checker
        return Bekraftelse(saknas=True)
    resurs, format_, filnamn, godkand = val.resurs, val.format_, val.filnamn, val.godkand
    try:
        if importuppgifter.ska_koas(session, namn):
            jobb_id = importuppgifter.jobb_starta(
                user=user,
                modell=modell,
                resurs=resurs,
                format_=format_,
                namn=namn,
                filnamn=filnamn,
                godkand=godkand,
            )
            return Bekraftelse(jobb_id=jobb_id)
        try:
            dataset = importuppgifter.las_lagrad(namn, format_.__name__)
        finally:
            kassera(namn)
        result = importuppgifter.importera(
            resurs=resurs, dataset=dataset, user=user, godkand=godkand, filnamn=filnamn
        )
        return Bekraftelse(result=result, filnamn=filnamn)
    finally:
        importlagring.glom(session, namn)
