"""The joint report's background work, run by `finsam.uppgifter` (a Celery worker, or
in-process).

- `bygg_rapport` builds and stores a group's joint report PDF for a year (queued by
  `samverkan.pdf.forbered`).
"""

from __future__ import annotations

from celery import shared_task

from rapporter import bakgrund
from registrering.models import Forbundsgrupp
from samverkan import pdf
from samverkan.selectors import samverkansrapport


@shared_task(name="samverkan.bygg_rapport", ignore_result=True)
def bygg_rapport(grupp_id: int, ar: int, nyckel: str) -> None:
    """Build the joint report PDF for the group's data as it is now (a change since the request
    that queued it gives a PDF under the new data's name; the waiting page finds that one)."""
    grupp = Forbundsgrupp.objects.filter(pk=grupp_id).first()
    if grupp is None:  # removed while queued
        bakgrund.kor(nyckel, pdf.SLAG, lambda: None)
        return
    rapport = samverkansrapport(grupp=grupp, ar=ar)
    bakgrund.kor(nyckel, pdf.SLAG, lambda: None if pdf.finns(rapport) else pdf.spara(rapport))
