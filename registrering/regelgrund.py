"""What every rule shares: `Fel`, turning messages into a `ValidationError`, and the count.

Kept apart from `registrering.regler` so that the survey rules (`registrering.enkatregler`)
can stand in their own module; `regler` asks for all of it, and every door asks `regler`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from registrering.kalender import MINSTA_AR, STORSTA_AR
from registrering.talformat import tal

HELA = ""  # Fel.falt for the input as a whole

STORSTA_ANTAL = 100_000


@dataclass(frozen=True)
class Fel:
    """One reason an input may not be saved."""

    falt: str
    text: str


def som_fel(fel: Iterable[Fel]) -> ValidationError:
    """The messages as a `ValidationError` keyed by field (NON_FIELD_ERRORS for the whole)."""
    per_falt: dict[str, list[str]] = {}
    for f in fel:
        per_falt.setdefault(f.falt or NON_FIELD_ERRORS, []).append(f.text)
    return ValidationError(per_falt)


def kontrollera(*fellistor: Iterable[Fel]) -> None:
    """Raise a `ValidationError` with every message of every list, if there is any."""
    alla = [f for fel in fellistor for f in fel]
    if alla:
        raise som_fel(alla)


def antal(varde: object, *, falt: str, etikett: str) -> list[Fel]:
    """A count: a whole, non-negative number of reasonable size."""
    if isinstance(varde, bool) or not isinstance(varde, int):
        return [Fel(falt, f"{etikett} måste vara ett heltal.")]
    if varde < 0:
        return [Fel(falt, f"{etikett} kan inte vara mindre än 0.")]
    if varde > STORSTA_ANTAL:
        return [Fel(falt, f"{etikett} kan vara högst {tal(STORSTA_ANTAL)} (här {tal(varde)}).")]
    return []


def artal(varde: int, *, falt: str = "ar") -> list[Fel]:
    if not MINSTA_AR <= varde <= STORSTA_AR:
        return [Fel(falt, f"Året ska vara ett årtal mellan {MINSTA_AR} och {STORSTA_AR}.")]
    return []
