"""Demo data: IT-spåret financed by all three förbund of Jönköpings län (seed 004).

Seed 004: "Södra Vätterbygden har beviljat max 600 tKr …, Finnveden har beviljat max 200 tKr …
och Höglandet har beviljat max 600 tKr". In the demo IT-spåret is Höglandet's (it reports its
months, `seed004`), and the two others co-finance it in the demo year with the seed's amounts.
The shares are entered (the owner's own amount is no row of its own): 600 / 1 400 = 42,86 % and
200 / 1 400 = 14,29 %, leaving Höglandet 42,85 %.

Nothing here changes any figure of the owner or of the joint report: the insats's participants
stay Höglandet's. The SVÖ demo (one förbund) has no co-financing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from registrering.demodata.seed004 import AR
from registrering.models import Forbund, Insats, Medfinansiering

AGARE = "HÖG"
INSATS = "IT-spåret"
#: kortnamn → (belopp kr, andel %)
MEDFINANSIARER = {"SÖV": (600_000, Decimal("42.86")), "FIN": (200_000, Decimal("14.29"))}


def medfinansiera(forbund: Mapping[str, Forbund]) -> list[Medfinansiering]:
    """IT-spåret's co-financiers for the demo year, by the förbund's kortnamn. Idempotent; does
    nothing when the owner or the insats is missing."""
    insats = Insats.objects.filter(forbund__kortnamn=AGARE, namn=INSATS).first()
    if insats is None:
        return []
    rader = []
    for kortnamn, (belopp, andel) in MEDFINANSIARER.items():
        if (finansiar := forbund.get(kortnamn)) is None:
            continue
        rad, _skapad = Medfinansiering.objects.update_or_create(
            insats=insats, finansiar=finansiar, ar=AR, defaults={"belopp": belopp, "andel": andel}
        )
        rader.append(rad)
    return rader
