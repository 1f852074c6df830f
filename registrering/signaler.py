"""Signals that tell the read side about writes, without `registrering` knowing who listens.

`arets_data_andrad` is sent (after the transaction commits, never for a write that was rolled
back) when a month's status changes (sent in, approved, returned, unlocked) and when the year's
comments or the bilaga's texts are saved. `rapporter` listens to build the year's bilaga ahead
of its first download.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

#: Arguments: forbund_id (int), ar (int).
arets_data_andrad = Signal()


def meddela_andring(*, forbund_id: int, ar: int) -> None:
    """Send `arets_data_andrad` once the current transaction has committed (at once outside one)."""
    # robust: a listener that fails (the broker is down) is logged; the write has committed and
    # must not turn into an error page.
    transaction.on_commit(
        lambda: arets_data_andrad.send(sender=None, forbund_id=forbund_id, ar=ar), robust=True
    )
