"""The read side's answer to writes: after a write, the förbund's bilagor are rebuilt in the
background once its writes have stopped for a while (`rapporter.bygge.varm_senare`), so that the
next download is ready.

`FINSAM_FORBERED_PDF = False` turns it off (the tests, except those about it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def varm_efter_andring(sender: Any, *, forbund_id: int, ar: int, **kwargs: Any) -> None:
    from rapporter import bygge

    if not getattr(settings, "FINSAM_FORBERED_PDF", True):
        return
    bygge.varm_senare(forbund_id)
