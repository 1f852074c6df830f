"""The report's background work, run by `finsam.uppgifter` (a Celery worker, or in-process).

- `bygg_bilaga` builds and stores one förbund's bilaga PDF for a year (queued by `pdf.forbered`);
- `varm_bilaga` builds it ahead of the first download after the year's data changed (queued by
  the receiver in `rapporter.signaler`, at most once per förbund and year at a time).
"""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from rapporter import bakgrund, pdf
from rapporter.selectors import arsrapport
from registrering.models import Forbund

#: How long a queued warming stands for every change after it (they are all in its data).
VARMNING_TIMEOUT = 10 * 60


def varmnings_nyckel(forbund_id: int, ar: int) -> str:
    return f"finsam:varmning:{forbund_id}:{ar}"


@shared_task(name="rapporter.bygg_bilaga", ignore_result=True)
def bygg_bilaga(forbund_id: int, ar: int, nyckel: str) -> None:
    """Build the bilaga for the year's data as it is now (a change since the request that queued
    it gives a PDF under the new data's name; the waiting page finds that one)."""
    forbund = Forbund.objects.filter(pk=forbund_id).first()
    if forbund is None:  # removed while queued
        bakgrund.kor(nyckel, "bilaga", lambda: None)
        return
    rapport = arsrapport(forbund=forbund, ar=ar)
    bakgrund.kor(nyckel, "bilaga", lambda: None if pdf.finns(rapport) else pdf.spara(rapport))


@shared_task(name="rapporter.varm_bilaga", ignore_result=True)
def varm_bilaga(forbund_id: int, ar: int) -> None:
    """Build the year's bilaga for its current data here, unless it is built or another process
    has that build queued or running."""
    cache.delete(varmnings_nyckel(forbund_id, ar))  # changes from now on queue a new warming
    forbund = Forbund.objects.filter(pk=forbund_id).first()
    if forbund is None:
        return
    rapport = arsrapport(forbund=forbund, ar=ar)
    nyckel = pdf.bygg_nyckel(rapport)
    _, var = bakgrund.reservera(nyckel, slag="bilaga", klar=lambda: pdf.finns(rapport))
    if var:
        bakgrund.kor(nyckel, "bilaga", lambda: pdf.spara(rapport))
