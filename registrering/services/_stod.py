"""What every service shares: the permission check and the month's audit snapshot."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from registrering.audit import snapshot
from registrering.models import Manadsrapport

FLODESFALT = ("nya_kvinnor", "nya_man", "avslutade_kvinnor", "avslutade_man")
INGEN_BEHORIGHET = "Du har inte behörighet att göra detta."


def kraver(villkor: bool, meddelande: str = INGEN_BEHORIGHET) -> None:
    """Refuse with `PermissionDenied` unless `villkor` holds."""
    if not villkor:
        raise PermissionDenied(meddelande)


def rapport_snapshot(rapport: Manadsrapport) -> dict[str, Any]:
    """The month as its audit rows show it: the figures, the state and both breakdowns."""
    data = snapshot(
        rapport,
        [*FLODESFALT, "volym", "status", "kommentar", "returkommentar", "registrerad_datum"],
    )
    data["avslut"] = {a.anledning.namn: a.antal for a in rapport.avslut.select_related("anledning")}
    data["nya_huvudman"] = {
        n.huvudman.namn: n.antal for n in rapport.nya_huvudman.select_related("huvudman")
    }
    return data
