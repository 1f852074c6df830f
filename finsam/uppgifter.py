"""The one door to background work: `skicka(task, *args)`.

`skicka_senare(task, seconds, *args)` runs it no sooner than that (a debounced rebuild).

- With a broker (`CELERY_BROKER_URL`, or `REDIS_URL`) the task goes to the queue and a Celery
  worker runs it (`celery -A finsam worker`; its concurrency bounds how many run at once).
- Without one (the embedded default of `make run`) it runs in this process, in one small pool of
  `FINSAM_BYGGEN_SAMTIDIGT` threads made on first use: bounded, and shared by every request (a
  page never starts a thread of its own).
- With `FINSAM_BYGG_I_BAKGRUNDEN = False` (the tests) it runs at once in the calling thread, so
  that a test sees the result.

Tasks take only JSON-serialisable arguments (ids, keys, dates as text): they must run the same in
a worker on another machine.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from celery import Task
from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)

TRAADPREFIX = "finsam-uppgift"
_lock = threading.Lock()
_pool: Executor | None = None


def har_broker() -> bool:
    """Whether tasks go to a real queue (a broker is configured)."""
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


def skicka(uppgift: Task, *args: Any, **kwargs: Any) -> None:
    """Run `uppgift(*args, **kwargs)` in the background: on the queue, in the bounded in-process
    pool, or (tests) here and now."""
    if not getattr(settings, "FINSAM_BYGG_I_BAKGRUNDEN", True):
        uppgift.apply(args=args, kwargs=kwargs, throw=True)
        return
    if har_broker():
        uppgift.apply_async(args=args, kwargs=kwargs)
        return
    try:
        _traadpool().submit(_kor_har, uppgift, args, kwargs)
    except RuntimeError:  # the process is exiting (a management command): the work is dropped
        logger.info("Bakgrundsuppgiften %s köades inte: processen avslutas", uppgift.name)


def skicka_senare(uppgift: Task, sekunder: float, *args: Any) -> None:
    """Run `uppgift(*args)` in the background in `sekunder` seconds at the earliest (a Celery
    countdown; in the process, a timer that then hands it to the pool; in the tests at once)."""
    if not getattr(settings, "FINSAM_BYGG_I_BAKGRUNDEN", True):
        uppgift.apply(args=args, throw=True)
        return
    if har_broker():
        uppgift.apply_async(args=args, countdown=sekunder)
        return
    timer = threading.Timer(sekunder, skicka, args=(uppgift, *args))
    timer.daemon = True  # a process that exits drops the work, as the pool does
    timer.start()


def _kor_har(uppgift: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Run the task in this process (a pool thread), as a worker would: errors are logged, and
    the thread's own database connections are closed after it."""
    from django.db import connections

    try:
        uppgift.apply(args=args, kwargs=kwargs, throw=True)
    except Exception:
        logger.exception("Bakgrundsuppgiften %s misslyckades", uppgift.name)
    finally:
        if threading.current_thread().name.startswith(TRAADPREFIX):
            connections.close_all()


def _traadpool() -> Executor:
    """One bounded pool per process, made on first use (its queue holds what waits)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=max(1, getattr(settings, "FINSAM_BYGGEN_SAMTIDIGT", 1)),
                thread_name_prefix=TRAADPREFIX,
            )
        return _pool


@checks.register(checks.Tags.caches)
def delad_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """With a broker, the worker and the web processes keep the builds' and the import jobs'
    state in the cache: it must be one they share (Redis), not each process's own memory."""
    if not har_broker():
        return []
    backend = str(settings.CACHES["default"]["BACKEND"])
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Error(
                "En broker (CELERY_BROKER_URL) är satt men cachen är processens egen: workern och "
                "webben ser inte varandras byggen och importjobb. Sätt REDIS_URL.",
                id="finsam.E201",
            )
        ]
    return []
