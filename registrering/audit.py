"""The audit log: one row per write that matters, with who, when and old → new."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.db.models import Field
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from registrering import dataversion
from registrering.masskrivning import kopiera
from registrering.models import AuditEntry, Forbund, User

#: From this many rows on, `skriv_manga_handelser` writes them by COPY.
MASSKRIVNING_FRAN = 1_000

# Who wrote: a user, or nobody (a failed login, a public survey answer).
Vem = User | AnonymousUser | None


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""  # the stored file's name: a new upload gets a new one
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance`, as JSON-friendly plain values."""
    names = fields or [
        f.name
        for f in instance._meta.concrete_fields
        if f.name not in {"id", "andrad", "version", "password", "last_login"}
    ]
    result = {}
    for name in names:
        field = cast("Field[Any, Any]", instance._meta.get_field(name))
        if field.is_relation:
            related_id = getattr(instance, field.attname)
            result[name] = None if related_id is None else str(getattr(instance, name))
        else:
            result[name] = _plain(getattr(instance, name))
    return result


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every key whose value differs."""
    return {
        key: [old.get(key), new.get(key)]
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    }


def forbund_of(instance: models.Model) -> Forbund | None:
    """The förbund a record belongs to, directly or through its insats, rapport or fråga."""
    if isinstance(instance, Forbund):
        return instance
    for path in ("forbund", "insats", "rapport", "balans", "fraga", "tillfalle", "medlem"):
        if hasattr(instance, f"{path}_id") or hasattr(instance, path):
            try:
                target = getattr(instance, path)
            except Exception:
                continue
            if isinstance(target, Forbund):
                return target
            if isinstance(target, models.Model):
                return forbund_of(target)
    return None


class Post(NamedTuple):
    """A written record given by its values, for a writer that made no instance of it (the
    month import's new months): its model, its id, its text (what `str()` of the instance
    gives) and the years of data it belongs to (what `dataversion.aren_for` gives). A named
    tuple: one per row of a large file, made at a third of a frozen dataclass's cost."""

    modell: type[models.Model]
    pk: int
    text: str
    aren: tuple[int, ...]


@dataclass(frozen=True)
class Handelse:
    """One row for the audit log: what happened to `instance`, with old → new per field. A
    `Post` instead of an instance needs `forbund_id`."""

    instance: models.Model | Post
    action: str
    changes: Mapping[str, list[Any]] = field(default_factory=dict)
    kommentar: str = ""
    forbund_id: int | None = None  # found from the instance when not given


#: What an audit row holds besides who and when, in the order `_radernas_varden` gives it.
_KOLUMNER = (
    "forbund_id",
    "action",
    "content_type",
    "object_id",
    "object_repr",
    "changes",
    "kommentar",
)


def _radernas_varden(
    handelser: Iterable[Handelse], andrade: set[tuple[int, int]]
) -> Iterator[tuple[Any, ...]]:
    """Per event, its audit row's values in the order of `_KOLUMNER`;
    adds to `andrade` each (förbund id, year) whose data version the write bumps."""
    typer: dict[type[models.Model], ContentType] = {}
    for h in handelser:
        post = h.instance
        if isinstance(post, Post):
            assert h.forbund_id is not None, "en Post säger sitt förbund"
            modell, text = post.modell, post.text
        else:
            modell, text = type(post), str(post)
        if modell not in typer:
            typer[modell] = ContentType.objects.get_for_model(modell, for_concrete_model=False)
        forbund_id = h.forbund_id
        if forbund_id is None and (forbund := forbund_of(cast(models.Model, post))) is not None:
            forbund_id = forbund.pk
        if forbund_id is not None and not issubclass(modell, User):  # no report shows accounts
            aren = post.aren if isinstance(post, Post) else dataversion.aren_for(post)
            andrade.update((forbund_id, ar) for ar in aren)
        yield (
            forbund_id,
            h.action,
            typer[modell],
            str(post.pk),
            text[:300],
            h.changes,
            h.kommentar,
        )


def skriv_handelser(
    *,
    user: Vem,
    handelser: Iterable[Handelse],
    tid: dt.datetime | None = None,
    anonym: bool = False,
) -> list[AuditEntry]:
    """The one writer of the audit log: every service, the admin and the import call it
    (inside the transaction of the write it records), or `skriv_manga_handelser` for
    thousands of rows. The rows get the time `tid`, or now.

    It also bumps the data version of each förbund and year it records a write for
    (`registrering.dataversion`; `anonym`: without keeping the time)."""
    tid = tid or timezone.now()
    andrade: set[tuple[int, int]] = set()
    vem = user if isinstance(user, User) and user.pk else None
    rader = []
    for varden in _radernas_varden(handelser, andrade):
        falt = dict(zip(_KOLUMNER, varden, strict=True))
        falt["changes"] = dict(falt["changes"])  # the row's own, not the caller's mapping
        rader.append(AuditEntry(user=vem, tid=tid, **falt))
    skrivna = AuditEntry.objects.bulk_create(rader, batch_size=500)
    dataversion.andrat(andrade, anonym=anonym)
    return skrivna


def skriv_manga_handelser(*, user: User, handelser: Sequence[Handelse], tid: dt.datetime) -> int:
    """`skriv_handelser` for a caller that writes thousands of rows (the month import): the
    same rows and data versions, but from `MASSKRIVNING_FRAN` rows on PostgreSQL they are
    written by COPY straight from their values (`masskrivning.kopiera`), without an
    `AuditEntry` instance per row or reading their ids back. Events that share one mapping of
    changes (the same object) share its JSON, made once. Returns how many rows."""
    alias = router.db_for_write(AuditEntry)
    if connections[alias].vendor != "postgresql" or len(handelser) < MASSKRIVNING_FRAN:
        return len(skriv_handelser(user=user, handelser=handelser, tid=tid))
    andrade: set[tuple[int, int]] = set()
    vem = user.pk if isinstance(user, User) and user.pk else None
    # By the mapping's id: `handelser` holds every mapping while this runs.
    som_json: dict[int, str] = {}

    def _json(andringar: Mapping[str, list[Any]]) -> str:
        if (text := som_json.get(id(andringar))) is None:
            text = som_json[id(andringar)] = json.dumps(dict(andringar))
        return text

    # Made before the COPY starts: the first row of a model looks its content type up.
    rader = [
        (vem, tid, forbund_id, action, typ.pk, object_id, namn, _json(andringar), text)
        for forbund_id, action, typ, object_id, namn, andringar, text in _radernas_varden(
            handelser, andrade
        )
    ]
    kopiera(
        AuditEntry,
        ("user_id", "tid", "forbund_id", "action", "content_type_id", *_KOLUMNER[3:]),
        rader,
    )
    dataversion.andrat(andrade)
    return len(handelser)


def audit_log(
    *,
    user: Vem,
    instance: models.Model,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
    kommentar: str = "",
) -> AuditEntry:
    """Write one audit row for `instance` (call inside the service's transaction)."""
    return skriv_handelser(
        user=user,
        handelser=[Handelse(instance, action, dict(changes or {}), kommentar)],
    )[0]


def logga_konto(
    *,
    action: str,
    konto: User | None,
    anvandarnamn: str = "",
    user: Vem = None,
    kommentar: str = "",
) -> AuditEntry:
    """The audit row of a login event for `konto` (the account), or for a username that
    matches no account (a failed login: the attempted name, cut to 150 characters). `user` is
    who acted: the account itself for a login, nobody for a failed one, the one who lifted a
    lockout. No password and no IP address is written."""
    namn = (konto.get_username() if konto is not None else anvandarnamn)[:150]
    return AuditEntry.objects.create(
        forbund_id=konto.forbund_id if konto is not None else None,
        user=user if isinstance(user, User) and user.pk else None,
        action=action,
        content_type=ContentType.objects.get_for_model(User, for_concrete_model=False),
        object_id=str(konto.pk) if konto is not None else "",
        object_repr=namn,
        kommentar=kommentar,
    )


def logga_anonymt(
    *, instance: models.Model, forbund_id: int | None, datum: dt.date, kommentar: str
) -> AuditEntry:
    """The audit row of a write by someone who must stay anonymous (a survey answer through the
    public link): no user, no changes, and the time cut to the start of `datum` (local time).
    The row is inserted with that time: the time of day is never written, not even for a
    moment (the database's own log of the insert carries it no more than the row does)."""
    return skriv_handelser(
        user=None,
        handelser=[
            Handelse(instance, AuditEntry.Action.ANDRAD, {}, kommentar, forbund_id=forbund_id)
        ],
        tid=timezone.make_aware(dt.datetime.combine(datum, dt.time.min)),
        anonym=True,
    )[0]


def importkommentar(filnamn: str) -> str:
    return f"Importerad från {filnamn}" if filnamn else "Importerad från fil"


def logga_skrivning(
    *,
    user: Vem,
    instance: models.Model,
    fanns: bool,
    changes: Mapping[str, list[Any]],
    import_fran: str | None = None,
    kommentar: str = "",
) -> AuditEntry:
    """The audit row of a created (`fanns=False`) or changed record. From a file the action is
    "importerad" and the comment names the file."""
    if import_fran is not None:
        action, kommentar = AuditEntry.Action.IMPORTERAD, importkommentar(import_fran)
    else:
        action = AuditEntry.Action.ANDRAD if fanns else AuditEntry.Action.SKAPAD
    return audit_log(
        user=user, instance=instance, action=action, changes=changes, kommentar=kommentar
    )


def logga_andring(
    *,
    user: Vem,
    instance: models.Model,
    fore: Mapping[str, Any],
    efter: Mapping[str, Any],
    fanns: bool | None = None,
    import_fran: str | None = None,
) -> AuditEntry | None:
    """The audit row of a save, if it changed anything: `fore` and `efter` are the values
    before and after (`fore` empty for a new record, unless `fanns` says otherwise)."""
    if not (andringar := diff(fore, efter)):
        return None
    return logga_skrivning(
        user=user,
        instance=instance,
        fanns=bool(fore) if fanns is None else fanns,
        changes=andringar,
        import_fran=import_fran,
    )


def audit_entries_for(instance: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
    ).select_related("user")


def _visa(value: Any) -> str:
    if value is None or value == "" or value == {}:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


EXTRA_ETIKETTER = {
    "avslut": "avslutade per avslutsanledning",
    "nya_huvudman": "nya per huvudman",
    "per_huvudman": "per huvudman",
}


def _visa_falt(field: Any, value: Any) -> str:
    """A stored value as people read it: a choice's label, a date as '20/11 2026'."""
    if field is not None and field.choices and value is not None:
        return _visa(dict(field.flatchoices).get(value, value)).lower()
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        from registrering.kalender import datum_svenskt

        try:
            return datum_svenskt(dt.date.fromisoformat(value))
        except ValueError:
            pass
    return _visa(value)


def beskriv(changes: Mapping[str, list[Any]], model: type[models.Model]) -> list[dict[str, str]]:
    """[{falt, fore, efter}] with the fields' Swedish names, for showing old → new. Changes
    between two kinds of nothing (None, "", {}) are left out."""
    result = []
    for key, (old, new) in changes.items():
        try:
            field = cast("Field[Any, Any]", model._meta.get_field(key))
            label = str(field.verbose_name)
        except Exception:  # not a model field: a breakdown or a derived value
            field, label = None, EXTRA_ETIKETTER.get(key, key.replace("_", " "))
        fore, efter = _visa_falt(field, old), _visa_falt(field, new)
        if fore != efter:
            result.append({"falt": label, "fore": fore, "efter": efter})
    return result


def beskriv_andringar(entry: AuditEntry, model: type[models.Model]) -> list[dict[str, str]]:
    return beskriv(entry.changes or {}, model)


def historik(objekt: Any, modell: type[Any]) -> list[dict[str, Any]]:
    """The object's audit entries, newest first, with old → new described."""
    if objekt is None:
        return []
    return [
        {"entry": entry, "andringar": beskriv_andringar(entry, modell)}
        for entry in audit_entries_for(objekt).order_by("-tid", "-id")
    ]
