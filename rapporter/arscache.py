"""Per-year figures kept by that year's data version, and the code fingerprint of what is kept.

A page about year `ar` shows figures of earlier years too (the goal page's five years of
effects, last year's participant line). A write to `ar` leaves those unchanged: the data
version of an earlier year `y` (`registrering.dataversion.version(f, y)`) is the sum of the
counters of `y`, the years before it and the förbund-wide counter, so it changes exactly when
something the year's figures are made of changes. `per_ar` keeps each year's figures under
(what, förbund, year, that version, `kodversion()`): a cold page computes only the years whose
version moved, usually this year alone.

A leaf: it imports nothing from `rapporter` (so that `effekter` can use it while `rapporter.mal`
imports `effekter`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import django
from django.conf import settings
from django.core.cache import cache

from registrering import dataversion

T = TypeVar("T")

#: Bump when what is kept changes in a way the code's own fingerprint would not see.
SIDVERSION = "2"
#: The settings that change what the pages show (part of the key, like the code).
INSTALLNINGAR = ("FINSAM_ENKAT_MIN_N", "LANGUAGE_CODE", "TIME_ZONE")
#: The folders whose code and templates make the pages (their content is the fingerprint).
KODMAPPAR = ("rapporter", "registrering", "effekter", "enkater", "samverkan", "templates")
#: How long a year's figures are kept (a newer version makes a new key anyway).
TIMEOUT = 60 * 60 * 24


def kodversion() -> str:
    """A fingerprint of what renders the pages: `SIDVERSION`, the settings that matter (read
    each time: cheap) and the content of the code and templates (read once per process). A
    deploy that changes any of them gets new keys, on every machine alike: nothing kept by an
    older version is served."""
    installningar = ",".join(f"{n}={getattr(settings, n, None)!r}" for n in INSTALLNINGAR)
    return f"{_kod()}:{hashlib.sha256(installningar.encode()).hexdigest()[:8]}"


@functools.cache
def _kod() -> str:
    # The migrations too: a data migration can rename an insats or move its dates without a
    # data version moving, and what is kept holds model objects (also why Django's version).
    summa = hashlib.sha256(f"{SIDVERSION}:{django.get_version()}".encode())
    bas = Path(settings.BASE_DIR)
    for mapp in KODMAPPAR:
        for fil in sorted((bas / mapp).rglob("*")):
            if fil.suffix in {".py", ".html"}:
                summa.update(fil.relative_to(bas).as_posix().encode())
                summa.update(fil.read_bytes())
    return summa.hexdigest()[:16]


def _halla(
    nycklar: Mapping[int, str],
    berakna: Callable[[list[int]], Mapping[int, T]],
    *,
    giltig: Callable[[int, T], bool] = lambda _vem, _varde: True,
    dessutom: Iterable[int] = (),
) -> dict[int, T]:
    """The values kept under `nycklar` (years or förbund ids; one cache read, none without
    keys) that are `giltig`; `berakna` gets the others and `dessutom` in one call, and what it
    returns for the others is kept under their keys."""
    traffar = cache.get_many(list(nycklar.values())) if nycklar else {}
    kept = {k: traffar[n] for k, n in nycklar.items() if n in traffar and giltig(k, traffar[n])}
    saknas = [k for k in nycklar if k not in kept]
    extra = [k for k in dessutom if k not in kept and k not in nycklar]
    if not saknas and not extra:
        return kept
    nya = berakna(sorted({*saknas, *extra}))
    if saknas:
        cache.set_many({nycklar[k]: nya[k] for k in saknas}, TIMEOUT)
    return kept | dict(nya)


def per_ar(
    slag: str,
    forbund_id: int,
    ar_lista: Sequence[int],
    berakna: Callable[[list[int]], Mapping[int, T]],
    *,
    dessutom: Iterable[int] = (),
    versioner: Mapping[int, int] | None = None,
) -> dict[int, T]:
    """Each year's `slag` for the years of `ar_lista`, and of `dessutom`: those of `ar_lista`
    kept under their current data version are read from the cache (one query for the versions
    and one cache read, none without `ar_lista`); `berakna` gets the others and `dessutom` in one
    call (so that they share its queries) and returns a value per year it got. Only the years of
    `ar_lista` are kept: `dessutom` is for a year whose figures are computed each time.
    `versioner`: the years' data versions (`dataversion.versioner_per_ar`, every year of
    `ar_lista` among them) when the caller has read them, then no query for them."""
    nycklar: dict[int, str] = {}
    if ar_lista:
        if versioner is None:
            versioner = dataversion.versioner_per_ar(forbund_id, ar_lista)
        kod = kodversion()
        nycklar = {
            year: f"finsam:ar:{kod}:{slag}:{forbund_id}:{year}:{versioner[year]}"
            for year in ar_lista
        }
    return _halla(nycklar, berakna, dessutom=dessutom)


def per_forbund(
    slag: str,
    ar: int,
    forbund_ids: Iterable[int],
    berakna: Callable[[list[int]], Mapping[int, T]],
    *,
    giltig: Callable[[int, T], bool] = lambda _forbund_id, _varde: True,
) -> dict[int, T]:
    """Each förbund's `slag` of year `ar`, kept under that förbund's data version of `ar`: the
    versions of all in one query (none without förbund) and one cache read; `berakna` gets the
    förbund whose value is not kept, or is kept but not `giltig` for what the caller asks (a
    value computed for fewer insatser than asked now), in one call, and returns a value per
    förbund it got. For figures of several förbund at once (a group's joint report)."""
    ids = sorted(set(forbund_ids))
    if not ids:
        return {}
    versioner = dataversion.versioner(ids, ar)
    kod = kodversion()
    nycklar = {pk: f"finsam:forbund:{kod}:{slag}:{pk}:{ar}:{versioner[pk]}" for pk in ids}
    return _halla(nycklar, berakna, giltig=giltig)
