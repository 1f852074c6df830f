"""The data version: how far a förbund's data for a year has come, bumped by every write.

Every write is audited through `registrering.audit.skriv_handelser`, and that one writer calls
`andrat` with what it recorded. So a write through any door (a service, the admin, an import, a
command, a public survey answer) bumps the version of the förbund and year it touched, in the
same transaction: a write that is rolled back bumps nothing.

A year's report shows that year and the years before it (the charts over time, the balances
brought forward), so `version(forbund, ar)` is the sum of the counters of that year, every
earlier year, and the förbund-wide counter (`ar` 0: an insats, the texts, a member). The sum
grows with every bump that can change the year's report and with no other. The read side keys
what it builds on it (`rapporter.bygge`): a download looks up the PDF of the current version
without computing the report.

After the commit, `arets_data_andrad` tells the read side (`registrering.signaler`), which
rebuilds in the background once the writes have stopped for a while.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from registrering.models import Dataversion, IngaendeBalans, IngaendeBalansHuvudman
from registrering.signaler import arets_data_andrad

#: `ar` of the counter for writes that concern every year of the förbund.
ALLA_AR = 0

# Where a record's year is found when the record has none of its own (only relations already
# loaded are followed: no query per record).
_AR_GENOM = ("rapport", "post", "balans")


@dataclass(frozen=True)
class Version:
    """A förbund's data version for a year: `nummer` grows with every write that can change the
    year's report; `andrad` is when the last of them was made (None before any, or when only
    anonymous writes were made, whose time is not kept)."""

    nummer: int
    andrad: dt.datetime | None


def ar_for(instance: models.Model) -> int:
    """The year a written record belongs to, or `ALLA_AR` when it has none (or it is not known
    without a query: then every year is taken to have changed, which is never wrong)."""
    ar = getattr(instance, "ar", None)
    if isinstance(ar, int):
        return ar
    cache = instance._state.fields_cache
    for namn in _AR_GENOM:
        if namn in cache and isinstance(ar := getattr(cache[namn], "ar", None), int):
            return ar
    return ALLA_AR


def aren_for(instance: models.Model) -> tuple[int, ...]:
    """The years whose reports a written record can change: its own year (`ar_for`), and for an
    entered opening balance of year Y (or its split per huvudman) also Y − 1, whose report
    shows what is left at its end from the next year's entered balance."""
    ar = ar_for(instance)
    if ar != ALLA_AR and isinstance(instance, (IngaendeBalans, IngaendeBalansHuvudman)):
        return (ar - 1, ar)
    return (ar,)


def andrat(andringar: Iterable[tuple[int, int]], *, anonym: bool = False) -> None:
    """Bump the version of each (förbund id, year) in `andringar` (year `ALLA_AR`: every year),
    once each, inside the caller's transaction; after it commits, tell the read side.

    `anonym`: a write that must not leave its time anywhere (a public survey answer). The number
    is bumped, the time of the last change is not, and nothing is told: the next download
    builds the new version, or the next named write's rebuild includes it."""
    nu = timezone.now()
    for forbund_id, ar in sorted(set(andringar)):
        _bumpa(forbund_id, ar, None if anonym else nu)
        if not anonym:
            transaction.on_commit(functools.partial(_meddela, forbund_id, ar), robust=True)


def _meddela(forbund_id: int, ar: int) -> None:
    arets_data_andrad.send(sender=None, forbund_id=forbund_id, ar=ar)


def _bumpa(forbund_id: int, ar: int, nu: dt.datetime | None) -> None:
    """One statement, whatever came before: the row is made at the first write (an upsert, in
    SQLite and PostgreSQL alike), so the number of queries of a write never depends on whether
    its förbund and year were written before, and two first writes cannot collide."""
    tabell = connection.ops.quote_name(Dataversion._meta.db_table)
    andrad = Dataversion._meta.get_field("andrad")
    varde = andrad.get_db_prep_save(nu, connection) if nu is not None else None
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tabell} (forbund_id, ar, nummer, andrad) VALUES (%s, %s, 1, %s) "
            "ON CONFLICT (forbund_id, ar) DO UPDATE SET "
            f"nummer = {tabell}.nummer + 1, "
            f"andrad = CASE WHEN excluded.andrad IS NULL THEN {tabell}.andrad "
            f"WHEN {tabell}.andrad IS NULL OR {tabell}.andrad < excluded.andrad "
            f"THEN excluded.andrad ELSE {tabell}.andrad END",
            [forbund_id, ar, varde],
        )


def version(forbund_id: int, ar: int) -> Version:
    """The data version of the förbund's report for `ar` (one query)."""
    svar = Dataversion.objects.filter(forbund_id=forbund_id, ar__lte=ar).aggregate(
        nummer=Sum("nummer"), andrad=Max("andrad")
    )
    return Version(int(svar["nummer"] or 0), svar["andrad"])


def versioner(forbund_ids: Iterable[int], ar: int) -> dict[int, int]:
    """The data version of each förbund's report for `ar` (one query; 0 for one never written)."""
    ids = sorted(set(forbund_ids))
    summor = dict(
        Dataversion.objects.filter(forbund_id__in=ids, ar__lte=ar)
        .values("forbund_id")
        .annotate(nummer=Sum("nummer"))
        .values_list("forbund_id", "nummer")
    )
    return {pk: int(summor.get(pk) or 0) for pk in ids}


def versioner_per_ar(forbund_id: int, ar_lista: Iterable[int]) -> dict[int, int]:
    """The data version of the förbund's report for each year of `ar_lista` (one query): the
    same sums as `version`, of the counters up to each year."""
    aren = sorted(set(ar_lista))
    raknare = Dataversion.objects.filter(forbund_id=forbund_id, ar__lte=aren[-1] if aren else 0)
    rader = sorted(raknare.values_list("ar", "nummer"))
    return {year: sum(nummer for ar, nummer in rader if ar <= year) for year in aren}


def senast_andrad(forbund_id: int) -> dt.datetime | None:
    """When the förbund's data last changed by a named write, in any year."""
    return Dataversion.objects.filter(forbund_id=forbund_id).aggregate(t=Max("andrad"))["t"]
