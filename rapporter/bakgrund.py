"""Builds that run in the background: queued once per data key, run by the task queue.

`starta` is the one door. It records each build's state in the shared cache, so that every
process sees "in the queue", "building" or "failed" and two requests never queue the same build
(`cache.add` decides; with `REDIS_URL` the cache is shared by every process and machine), and
hands the work to `finsam.uppgifter.skicka`: a Celery worker with a broker, a bounded pool in the
process without one (`make run`), at once in the tests (`FINSAM_BYGG_I_BAKGRUNDEN = False`). How
many builds run at once is the worker's concurrency (or the pool's size).

The task runs `kor` around its work, which keeps the state up to date; the result itself is
stored by the job (for the bilaga: in the storage `bilagor`), and `klar` says whether it is there.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from celery import Task
from django.core.cache import cache

from finsam import uppgifter

logger = logging.getLogger(__name__)

KO, BYGGER, FEL, KLAR = "ko", "bygger", "fel", "klar"
# A build that has said nothing for this long is taken to have died with its process.
LAGE_TIMEOUT = 5 * 60
# A failure is shown (and not retried by itself) for this long; "Försök igen" retries at once.
FEL_TIMEOUT = 10 * 60
TID_TIMEOUT = 60 * 60 * 24 * 30


def _nu() -> float:
    return time.time()


@dataclass(frozen=True)
class Lage:
    """Where one build stands. `koad` and `borjade` are Unix times; `typisk` is how many seconds
    the last finished build of the same kind took (None before the first)."""

    tillstand: str
    koad: float
    borjade: float | None = None
    typisk: float | None = None

    @property
    def sekunder(self) -> int:
        """Whole seconds since the work began (0 while it waits in the queue)."""
        return int(_nu() - self.borjade) if self.borjade else 0


def _lage_nyckel(nyckel: str) -> str:
    return f"{nyckel}:bygge"


def _tid_nyckel(slag: str) -> str:
    return f"finsam:byggtid:{slag}"


def sparat_lage(nyckel: str) -> Lage | None:
    """The recorded state of the build for `nyckel` (queued, building, failed), or None."""
    sparat = cache.get(_lage_nyckel(nyckel))
    if not sparat:
        return None
    # Only the fields this version knows: an entry written by another version must not crash.
    return Lage(**{f.name: sparat[f.name] for f in fields(Lage) if f.name in sparat})


def starta(
    nyckel: str,
    uppgift: Task,
    *args: Any,
    slag: str,
    klar: Callable[[], bool],
    igen: bool = False,
) -> Lage:
    """Queue `uppgift(*args, nyckel)` (which runs `kor(nyckel, …)` and stores its result) unless
    the result is there (`klar()`), or the build is queued or running. A failed build is queued
    again only when `igen` (the user asked to retry).

    Returns the build's state after the call: KLAR if the result is there (in the tests, at once).
    """
    lage, var = reservera(nyckel, slag=slag, klar=klar, igen=igen)
    if not var:
        return lage
    uppgifter.skicka(uppgift, *args, nyckel)
    if klar():
        return Lage(KLAR, _nu())
    return sparat_lage(nyckel) or lage


def reservera(
    nyckel: str, *, slag: str, klar: Callable[[], bool], igen: bool = False
) -> tuple[Lage, bool]:
    """Claim the build for `nyckel`: (its state, True) when the caller now has it queued and
    must run it (through a task that calls `kor`); (what stands, False) when the result is there
    or someone else has the build queued or running, or it failed (and not `igen`)."""
    if klar():
        return Lage(KLAR, _nu()), False
    befintligt = sparat_lage(nyckel)
    if befintligt and (befintligt.tillstand != FEL or not igen):
        return befintligt, False
    if befintligt:
        cache.delete(_lage_nyckel(nyckel))
    ny = Lage(KO, _nu(), typisk=cache.get(_tid_nyckel(slag)))
    # `add` is the cross-process guard: of two processes only one gets to queue the build.
    if not cache.add(_lage_nyckel(nyckel), asdict(ny), LAGE_TIMEOUT):
        return sparat_lage(nyckel) or ny, False
    if klar():  # finished between our first look and the `add`
        cache.delete(_lage_nyckel(nyckel))
        return Lage(KLAR, _nu()), False
    return ny, True


def kor(nyckel: str, slag: str, jobb: Callable[[], object]) -> None:
    """Run `jobb` as the build for `nyckel`, keeping its state: building, then gone (done) or
    failed (logged, shown for `FEL_TIMEOUT`). Called by the task, in the worker."""
    koad = sparat_lage(nyckel)
    borjade = _nu()
    typisk = koad.typisk if koad else cache.get(_tid_nyckel(slag))
    bygger = Lage(BYGGER, koad.koad if koad else borjade, borjade, typisk)
    cache.set(_lage_nyckel(nyckel), asdict(bygger), LAGE_TIMEOUT)
    try:
        jobb()
    except Exception:
        logger.exception("Bygget %s misslyckades", nyckel)
        fel = Lage(FEL, bygger.koad, borjade, typisk)
        cache.set(_lage_nyckel(nyckel), asdict(fel), FEL_TIMEOUT)
    else:
        cache.set(_tid_nyckel(slag), round(_nu() - borjade, 1), TID_TIMEOUT)
        cache.delete(_lage_nyckel(nyckel))
