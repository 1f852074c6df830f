"""Celery tasks of registrering (found by `app.autodiscover_tasks()` in finsam.celery)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from registrering import importlagring, paminnelser
from registrering.importuppgifter import importera_stor_fil  # noqa: F401  (large imports)


@shared_task(name="registrering.skicka_paminnelser")
def skicka_paminnelser(datum: str | None = None) -> dict[str, int]:
    """The day's reminders by e-mail (README "Påminnelser"); beat runs it every morning.
    `datum` (YYYY-MM-DD) is the day to run for, today by default. Safe to run twice."""
    idag = dt.date.fromisoformat(datum) if datum else timezone.localdate()
    return paminnelser.skicka_paminnelser(idag=idag).som_dict()


@shared_task(name="registrering.rensa_importer")
def rensa_importer() -> int:
    """Delete the admin's import previews that were never confirmed (older than
    FINSAM_IMPORT_TMP_MAX_ALDER); beat runs it every hour. Returns how many went."""
    return importlagring.rensa_gamla()
