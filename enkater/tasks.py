"""The surveys' background work, run by `finsam.uppgifter` (a Celery worker, or in-process).

- `bygg_indikatorer` builds and stores one förbund's Indikatorer PDF for a collection year
  (queued by `indikatorpdf.forbered`).
"""

from __future__ import annotations

from celery import shared_task

from enkater import indikatorpdf
from enkater.indikatorer import indikatorrapport
from rapporter import bakgrund
from registrering.models import Forbund


@shared_task(name="enkater.bygg_indikatorer", ignore_result=True)
def bygg_indikatorer(forbund_id: int, ar: int, nyckel: str) -> None:
    """Build the Indikatorer PDF for the year's answers as they are now (answers that came after
    the request that queued it give a PDF under the new data's name; the waiting page finds
    that one)."""
    forbund = Forbund.objects.filter(pk=forbund_id).first()
    if forbund is None:  # removed while queued
        bakgrund.kor(nyckel, indikatorpdf.SLAG, lambda: None)
        return
    rapport = indikatorrapport(forbund=forbund, ar=ar)
    bakgrund.kor(
        nyckel,
        indikatorpdf.SLAG,
        lambda: None if indikatorpdf.finns(rapport) else indikatorpdf.spara(rapport),
    )
