"""Writing many rows at once: PostgreSQL's COPY where it can, `bulk_create` elsewhere.

Django's `bulk_create` costs ~60 µs a row (building one large INSERT with its parameters);
COPY streams the rows and costs a fraction of that. The rows are written inside the caller's
transaction, with each field's value prepared as `save()` would (`pre_save`, then
`get_db_prep_save`), so defaults, `auto_now` and foreign keys come out the same.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from operator import attrgetter
from typing import Any, Generic, TypeVar, cast

from django.db import connections, models, router
from django.db.models import Field, signals
from django.db.models.base import ModelState

M = TypeVar("M", bound=models.Model)

#: Below this many rows `bulk_create` is as quick and COPY's extra round trip buys nothing.
COPY_FRAN = 100


#: Python's cycle collector looks at the young objects after every 700 new ones (`gc`'s first
#: threshold); while many rows are read and written it waits for this many instead.
FARRE_SKRAPSAMLINGAR = 100_000


class _Skrapsamling:
    las = threading.Lock()
    pagar = 0  # how many imports run
    troskel: tuple[int, ...] = ()  # `gc`'s thresholds before the first of them


@contextmanager
def farre_skrapsamlingar() -> Iterator[None]:
    """Run the cycle collector seldom while a large file is read, checked and written, or a
    PDF laid out (`rapporter.pdfa`).

    An import of 100 000 rows makes millions of objects that live until it ends (rows, months,
    audit rows), and the collector, run after every 700, walks them again and again: a third
    of the import's CPU time. Cycles are still collected, after `FARRE_SKRAPSAMLINGAR` new
    objects instead; the threshold is the process's, so it is put back when the last import
    or build running (in any thread) ends."""
    with _Skrapsamling.las:
        if not _Skrapsamling.pagar:
            _Skrapsamling.troskel = forsta, *ovriga = gc.get_threshold()
            gc.set_threshold(max(forsta, FARRE_SKRAPSAMLINGAR), *ovriga)
        _Skrapsamling.pagar += 1
    try:
        yield
    finally:
        with _Skrapsamling.las:
            _Skrapsamling.pagar -= 1
            if not _Skrapsamling.pagar:
                gc.set_threshold(*_Skrapsamling.troskel)


def skapa_manga(modell: type[M], objekt: Sequence[M], *, falt: Sequence[str] | None = None) -> None:
    """Insert `objekt` (new, unsaved instances of `modell`), setting each one's primary key.

    `falt` names the columns to write (all concrete fields when not given; a field left out
    gets its database default). On PostgreSQL the ids are taken from the table's sequence in
    one query and the rows written with COPY; elsewhere, or for a few rows, `bulk_create`."""
    if not objekt:
        return
    alias = router.db_for_write(modell)
    connection = connections[alias]
    if connection.vendor != "postgresql" or len(objekt) < COPY_FRAN:
        modell._default_manager.using(alias).bulk_create(objekt, batch_size=1000)
        return
    meta = modell._meta
    pk = meta.pk
    assert pk is not None
    faltlista: list[Field[Any, Any]] = [
        f
        for f in meta.concrete_fields
        if f is not pk and (falt is None or f.name in falt or f.attname in falt)
    ]
    with connection.cursor() as cursor:
        for obj, ny_id in zip(objekt, _nya_id(cursor, modell, len(objekt)), strict=True):
            obj.pk = ny_id
        # The fields stored as they are first, read together (`attrgetter`), then the others.
        forberedda = {f: _forberedare(f, connection) for f in faltlista}
        raka = [pk, *(f for f in faltlista if forberedda[f] is None)]
        ovriga = [(f, las) for f, las in forberedda.items() if las is not None]
        kolumner = ", ".join(
            connection.ops.quote_name(f.column) for f in raka + [f for f, _ in ovriga]
        )
        tabell = connection.ops.quote_name(meta.db_table)
        sql = f"COPY {tabell} ({kolumner}) FROM STDIN"
        # Logged like any other statement (DEBUG, the tests' query counts) where Django logs.
        logga = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        hamta = attrgetter(*(f.attname for f in raka), pk.attname)  # always a tuple
        lasare = [las for _f, las in ovriga]
        with logga, cursor.cursor.copy(sql) as copy:
            for obj in objekt:
                copy.write_row([*hamta(obj)[:-1], *(las(obj) for las in lasare)])
    for obj in objekt:
        obj._state.adding = False
        obj._state.db = alias


def _nya_id(cursor: Any, modell: type[models.Model], antal: int) -> list[int]:
    """`antal` new ids from the PostgreSQL sequence of `modell`'s table, in one query."""
    meta = modell._meta
    assert meta.pk is not None
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [meta.db_table, meta.pk.column, antal],
    )
    return [ny_id for (ny_id,) in cursor.fetchall()]


def skapa_fran_varden(
    modell: type[M], kolumner: Sequence[str], rader: Sequence[Sequence[Any]], **fasta: Any
) -> list[int]:
    """Insert one row of `modell` per item of `rader` and return their new ids, in order.

    A row gives the values of `kolumner` (attnames: an id for a relation); `fasta` are the
    values every row shares (by field name or attname, as `Model()` takes them); every other
    field gets its default, and an `auto_now` field the time now, as `save()` gives them. On
    PostgreSQL, from `COPY_FRAN` rows on, the rows are written by COPY straight from these
    values, with no instance per row (the shared values prepared once); elsewhere the
    instances are made (`Byggare`) and written by `skapa_manga`."""
    alias = router.db_for_write(modell)
    connection = connections[alias]
    if connection.vendor != "postgresql" or len(rader) < COPY_FRAN:
        bygg = Byggare(modell, **fasta)
        objekt = [bygg(**dict(zip(kolumner, rad, strict=True))) for rad in rader]
        skapa_manga(modell, objekt)
        return [cast(int, obj.pk) for obj in objekt]
    mall = modell(**fasta)
    pk = modell._meta.pk
    assert pk is not None
    ovriga = [
        f
        for f in modell._meta.concrete_fields
        if f is not pk and f.attname not in kolumner and f.name not in kolumner
    ]
    forberedda = {f: _forberedare(f, connection) for f in ovriga}
    delade = tuple(
        getattr(mall, f.attname) if (las := forberedda[f]) is None else las(mall) for f in ovriga
    )
    with connection.cursor() as cursor:
        ids = _nya_id(cursor, modell, len(rader))
    kopiera(
        modell,
        (pk.attname, *kolumner, *(f.attname for f in ovriga)),
        ((ny_id, *rad, *delade) for ny_id, rad in zip(ids, rader, strict=True)),
    )
    return ids


def kopiera(
    modell: type[models.Model], kolumner: Sequence[str], rader: Iterable[Sequence[Any]]
) -> None:
    """COPY rows of plain values into the columns `kolumner` (the fields' attnames) of
    `modell`'s table, PostgreSQL only: each value already as the database stores it (an id
    for a relation, JSON as its text), with no model instance in between. The columns left
    out, the primary key among them, get their database default; the ids are not read
    back. `rader` is read while the COPY runs: it must not query the database."""
    connection = connections[router.db_for_write(modell)]
    assert connection.vendor == "postgresql", connection.vendor
    meta = modell._meta
    falten = [cast("Field[Any, Any]", meta.get_field(k)) for k in kolumner]
    kolumnlista = ", ".join(connection.ops.quote_name(f.column) for f in falten)
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({kolumnlista}) FROM STDIN"
    with connection.cursor() as cursor:
        logga = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        with logga, cursor.cursor.copy(sql) as copy:
            for rad in rader:
                copy.write_row(rad)


class Byggare(Generic[M]):
    """Builds many unsaved instances of one model, for `skapa_manga`, at a third of what
    `Model(**kwargs)` costs a row (100 000 rows: ~2 s less).

    One instance is made the ordinary way from `fasta` (the values every row shares; related
    objects by their field's name stay cached on every instance); each row is then made from
    that instance's values in field order, positionally, with its own values on top (by field
    name or attname, as `Model()` takes them; a related object also stays cached). Defaults
    are taken once: a field whose default is made per instance (a callable such as `dict` or
    `uuid4`) must be given per row when the rows must not share its value.

    Where nothing listens to the model's `pre_init` and `post_init` signals, a row's instance
    is made as unpickling makes one, without `Model.__init__`: the values go straight into the
    new instance's `__dict__`, where `__init__` would have set them one at a time (100 000
    rows: ~1 s less)."""

    def __init__(self, modell: type[M], **fasta: Any) -> None:
        self.modell = modell
        mall = modell(**fasta)
        falt = list(modell._meta.concrete_fields)
        self._varden = [getattr(mall, f.attname) for f in falt]
        self._plats = {f.attname: i for i, f in enumerate(falt)}
        self._relationer: dict[str, models.ForeignObject[Any, Any]] = {
            f.name: f for f in falt if isinstance(f, models.ForeignObject)
        }
        self._cachade = [
            (self._relationer[namn], objekt)
            for namn, objekt in fasta.items()
            if namn in self._relationer and objekt is not None
        ]
        self._attnamn = [f.attname for f in falt]
        self._utan_init = not (
            signals.pre_init.has_listeners(modell) or signals.post_init.has_listeners(modell)
        )

    def __call__(self, **varden: Any) -> M:
        rad = self._varden.copy()
        cachade = self._cachade
        for namn, varde in varden.items():
            if (relation := self._relationer.get(namn)) is not None:
                rad[self._plats[relation.attname]] = None if varde is None else varde.pk
                cachade = [*cachade, (relation, varde)]
            else:
                rad[self._plats[namn]] = varde
        if self._utan_init:
            objekt = self.modell.__new__(self.modell)
            objekt.__dict__["_state"] = ModelState()
            objekt.__dict__.update(zip(self._attnamn, rad, strict=True))
        else:
            objekt = self.modell(*rad)
        for relation, varde in cachade:
            relation.set_cached_value(objekt, varde)
        return objekt


#: Fields whose stored value is the attribute as it is (`get_db_prep_save` returns it unchanged
#: for a plain int, str or bool): read directly, since preparing ~10 fields a row through
#: Django costs more than the COPY itself.
RAKA_FALT = (models.IntegerField, models.CharField, models.TextField, models.BooleanField)


def _forberedare(f: Field[Any, Any], connection: Any) -> Callable[[models.Model], Any] | None:
    """How a field's value for COPY is read: None when the attribute is stored as it is, else
    a function that prepares it as `save()` does (JSON as its text)."""
    if isinstance(f, models.JSONField):
        return lambda obj: _json(f.pre_save(obj, add=True), f)
    mal = f.target_field if isinstance(f, models.ForeignKey) else f
    if isinstance(mal, RAKA_FALT) and type(f).pre_save is Field.pre_save:
        return None
    if isinstance(f, models.DateField):  # and DateTimeField
        return _minns_senaste(lambda v: f.get_db_prep_save(v, connection), f)
    return lambda obj: f.get_db_prep_save(f.pre_save(obj, add=True), connection)


def _minns_senaste(
    forbered: Callable[[Any], Any], f: Field[Any, Any]
) -> Callable[[models.Model], Any]:
    """Prepares a date or time as `save()` does, but once for a run of rows holding the same
    value (one import's rows share its time): a date is immutable, so the same object gives
    the same stored value."""
    senaste: list[Any] = [object(), None]
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return _en_tid(forbered, f)
    attribut = attrgetter(f.attname)

    def las(obj: models.Model) -> Any:
        varde = attribut(obj)
        if varde is not senaste[0]:
            senaste[0], senaste[1] = varde, forbered(varde)
        return senaste[1]

    return las


def _en_tid(forbered: Callable[[Any], Any], f: Field[Any, Any]) -> Callable[[models.Model], Any]:
    """An auto_now(_add) field for one COPY: `pre_save` gives the first row the time now and
    every row after it gets the same (as `now()` is one time in a transaction), set on each
    instance as `pre_save` sets it, and prepared once."""
    tid: list[Any] = []

    def las(obj: models.Model) -> Any:
        if not tid:
            varde = f.pre_save(obj, add=True)
            tid.extend((varde, forbered(varde)))
        else:
            setattr(obj, f.attname, tid[0])
        return tid[1]

    return las


def _json(varde: Any, f: models.JSONField[Any]) -> str | None:
    return None if varde is None else json.dumps(varde, cls=f.encoder)
