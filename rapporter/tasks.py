"""The report's background work, run by `finsam.uppgifter` (a Celery worker, or in-process).

- `bygg_bilaga` builds one förbund's bilaga for a year's data version (queued by
  `bygge.bestall` when someone asks for a version that is not built);
- `varm_bilagor` rebuilds the förbund's kept years once its writes have stopped for a while
  (queued by `bygge.varm_senare` after a write, see `rapporter.signaler`).
"""

from __future__ import annotations

from celery import shared_task

from rapporter import bygge


@shared_task(name="rapporter.bygg_bilaga", ignore_result=True)
def bygg_bilaga(forbund_id: int, ar: int, version: int) -> None:
    """Build the version unless it is built or another process is building it."""
    bygge.bygg(forbund_id, ar, version)


@shared_task(name="rapporter.varm_bilagor", ignore_result=True)
def varm_bilagor(forbund_id: int) -> None:
    """Rebuild the förbund's kept years that are not built for their current version, once the
    writes have stopped (else wait again for the rest of the quiet time)."""
    bygge.varm(forbund_id)
