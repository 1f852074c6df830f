"""Builds that run in the background: started once per cache key, at most a few at a time.

`starta` is the one door. It records each build's state in the shared cache, so that every
process sees "in the queue", "building" or "failed" and two requests never start the same build,
and hands the work to a small pool of threads in this process (`FINSAM_BYGGEN_SAMTIDIGT`, one
by default: a build is CPU-bound, and the web requests need the other core). A task queue
(issue 11) replaces `_utfor` and keeps the rest.

With `FINSAM_BYGG_I_BAKGRUNDEN = False` (the tests) the work runs in the calling request, with
the same bookkeeping, so that a test sees the finished result at once.

A job stores its own result under the key; `starta` only knows whether one is there.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

KO, BYGGER, FEL, KLAR = "ko", "bygger", "fel", "klar"
# A build that has said nothing for this long is taken to have died with its process.
LAGE_TIMEOUT = 5 * 60
# A failure is shown (and not retried by itself) for this long; "Försök igen" retries at once.
FEL_TIMEOUT = 10 * 60
TID_TIMEOUT = 60 * 60 * 24 * 30

_lock = threading.Lock()
_pool: Executor | None = None


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


def lage(nyckel: str) -> Lage | None:
    """The state of the build for `nyckel`: KLAR when its result is stored, None when nothing
    is known (never started, or long gone)."""
    if cache.has_key(nyckel):
        return Lage(KLAR, _nu())
    sparat = cache.get(_lage_nyckel(nyckel))
    if not sparat:
        return None
    # Only the fields this version knows: an entry written by another version must not crash.
    return Lage(**{f.name: sparat[f.name] for f in fields(Lage) if f.name in sparat})


def starta(nyckel: str, jobb: Callable[[], None], *, slag: str, igen: bool = False) -> Lage:
    """Start `jobb` (which stores its result under `nyckel`) unless it is done, queued or
    running. A failed build is started again only when `igen` (the user asked to retry).

    Returns the build's state after the call: KLAR if the result is there (in the tests, at once).
    """
    with _lock:
        befintligt = lage(nyckel)
        if befintligt and (befintligt.tillstand != FEL or not igen):
            return befintligt
        if befintligt:
            cache.delete(_lage_nyckel(nyckel))
        ny = Lage(KO, _nu(), typisk=cache.get(_tid_nyckel(slag)))
        # `add` is the cross-process guard: of two processes only one gets to queue the build.
        if not cache.add(_lage_nyckel(nyckel), asdict(ny), LAGE_TIMEOUT):
            return lage(nyckel) or ny
        if cache.has_key(nyckel):  # finished between our first look and the `add`
            cache.delete(_lage_nyckel(nyckel))
            return Lage(KLAR, _nu())
    _utfor(lambda: _kor(nyckel, jobb, slag, ny))
    return lage(nyckel) or ny


def _utfor(arbete: Callable[[], None]) -> None:
    if not getattr(settings, "FINSAM_BYGG_I_BAKGRUNDEN", True):
        arbete()
        return
    _traadpool().submit(arbete)


def _traadpool() -> Executor:
    """One bounded pool per process, made on first use (the queue holds what waits)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=max(1, getattr(settings, "FINSAM_BYGGEN_SAMTIDIGT", 1)),
                thread_name_prefix="finsam-bygge",
            )
        return _pool


def _kor(nyckel: str, jobb: Callable[[], None], slag: str, ny: Lage) -> None:
    borjade = _nu()
    cache.set(
        _lage_nyckel(nyckel),
        asdict(Lage(BYGGER, ny.koad, borjade, ny.typisk)),
        LAGE_TIMEOUT,
    )
    try:
        jobb()
    except Exception:
        logger.exception("Bygget %s misslyckades", nyckel)
        cache.set(_lage_nyckel(nyckel), asdict(Lage(FEL, ny.koad, borjade, ny.typisk)), FEL_TIMEOUT)
    else:
        cache.set(_tid_nyckel(slag), round(_nu() - borjade, 1), TID_TIMEOUT)
        cache.delete(_lage_nyckel(nyckel))
