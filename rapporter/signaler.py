"""The read side's answer to writes: after a month's status changes, the year's bilaga is built
in the background (`tasks.varm_bilaga`), so that the next download is ready.

One warming per förbund and year waits in the queue at a time: the task reads the data when it
runs, so every change made before then is in it. `FINSAM_FORBERED_PDF = False` turns warming off
(the tests, except those about it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache

from finsam import uppgifter


def varm_efter_andring(sender: Any, *, forbund_id: int, ar: int, **kwargs: Any) -> None:
    from rapporter import tasks

    if not getattr(settings, "FINSAM_FORBERED_PDF", True):
        return
    if cache.add(tasks.varmnings_nyckel(forbund_id, ar), 1, tasks.VARMNING_TIMEOUT):
        uppgifter.skicka(tasks.varm_bilaga, forbund_id, ar)
