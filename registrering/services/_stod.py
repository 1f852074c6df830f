"""What every service shares: the permission check and the month's audit snapshot."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from registrering.audit import snapshot
from registrering.models import AvslutadePerAnledning, Manadsrapport, NyaPerHuvudman

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
    data["avslut"] = {a.anledning.namn: a.antal for a in _rader(rapport, "avslut", "anledning")}
    data["nya_huvudman"] = {
        n.huvudman.namn: n.antal for n in _rader(rapport, "nya_huvudman", "huvudman")
    }
    return data


def _rader(rapport: Manadsrapport, relation: str, nyckel: str) -> Any:
    """A breakdown's rows with what they count: prefetched with it (`MED_FORDELNINGAR`, no
    query), or read now."""
    if relation in getattr(rapport, "_prefetched_objects_cache", {}):
        return getattr(rapport, relation).all()
    return getattr(rapport, relation).select_related(nyckel)


#: A month's breakdowns with what they count, for `prefetch_related` (`rapport_snapshot`).
MED_FORDELNINGAR = (
    Prefetch("avslut", queryset=AvslutadePerAnledning.objects.select_related("anledning")),
    Prefetch("nya_huvudman", queryset=NyaPerHuvudman.objects.select_related("huvudman")),
)
