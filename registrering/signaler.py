"""Signals that tell the read side about writes, without `registrering` knowing who listens.

`arets_data_andrad` is sent (after the transaction commits, never for a write that was rolled
back) for every named write, once per förbund and year it bumped (`registrering.dataversion`:
every audited write bumps the data version). `rapporter` listens to build the year's bilaga ahead
of its first download.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Arguments: forbund_id (int), ar (int).
arets_data_andrad = Signal()


def meddela_andring(*, forbund_id: int, ar: int) -> None:
    """Bump the year's data version (`registrering.dataversion`) for a write that concerns
    another förbund than the records it audited (a co-financier), and
    send `arets_data_andrad` once the current transaction has committed (at once outside one)."""
    from registrering import dataversion

    dataversion.andrat([(forbund_id, ar)])
