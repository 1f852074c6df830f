"""The rules of a förbund's catalogues: its huvudmän and avslutsanledningar.

Plain functions returning `Fel` like every rule in `registrering.regler`; the services of
`registrering.services.katalog` ask them. None of them queries the database.
"""

from __future__ import annotations

from registrering.regelgrund import HELA, Fel


def _manader(antal: int) -> str:
    return "en månadsrapport" if antal == 1 else f"{antal} månadsrapporter"


def huvudman_ta_bort_fel(*, namn: str, manader: int) -> list[Fel]:
    """A huvudman that a month's new participants are counted under stays: the month's
    breakdown (and the bilagor built from it) names it."""
    if not manader:
        return []
    return [
        Fel(
            HELA,
            f"Huvudmannen {namn} används i {_manader(manader)} (nya deltagare per huvudman) "
            "och kan inte tas bort.",
        )
    ]


def avslutsanledning_ta_bort_fel(*, namn: str, manader: int) -> list[Fel]:
    """A reason that a month's ended participants are counted under stays, as a huvudman
    does (`huvudman_ta_bort_fel`)."""
    if not manader:
        return []
    return [
        Fel(
            HELA,
            f"Avslutsanledningen {namn} används i {_manader(manader)} (avslutade per "
            "avslutsanledning) och kan inte tas bort.",
        )
    ]
