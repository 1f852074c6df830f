"""Demo data: the group "Jönköpings län" (seed 004) with its three förbund's 2024 and a
samordnare, for the joint report (`samverkan`).

The förbund and their 2024 are `seed004`'s: Södra Vätterbygden, Finnveden and Höglandet with
medlemsbidrag 11 148 / 5 058 / 8 036 tKr and 18 / 4 / 44 to arbete/studier. Höglandet's eget
kapital is the seed's (utfall 2024: 1 483 897 kr at 31/12 after a result of −155 574 kr, so
1 639 471 kr on 1/1; medlemsbidrag 2025 7 880 000 kr). The förbund have no users of their own
here; the SVÖ demo (`registrering.demodata.ladda`) is untouched. `ladda_grupp` is idempotent:
a förbund that exists (by kortnamn) is left as it is.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import Group

from registrering import dataversion
from registrering import models as m
from registrering.demodata import samfinansiering, seed004
from registrering.demodata.data import DEMO_LOSENORD
from registrering.permissions import Roll

GRUPP_NAMN = "Jönköpings län"
GRUPP_KORTNAMN = "jonkopings-lan"
SAMORDNARE = "samordnare"
#: Höglandet's eget kapital 1/1 2024 and 1/1 2025 (seed 004), and its 2025 medlemsbidrag.
HOGLANDET_KAPITAL = {2024: Decimal(1_639_471), 2025: Decimal(1_483_897)}
HOGLANDET_BIDRAG_2025 = Decimal(7_880_000)


def _forbund() -> list[m.Forbund]:
    result = []
    for data in seed004.SEED004:
        forbund = m.Forbund.objects.filter(kortnamn=data.kortnamn).first()
        if forbund is None:
            forbund = seed004.skapa_forbund(data)
            if data.kortnamn == "HÖG":
                eget_kapital(forbund)
        result.append(forbund)
    return result


def eget_kapital(hoglandet: m.Forbund) -> None:
    """Höglandet's eget kapital of seed 004 in its verksamhetsplaner 2024 and 2025."""
    m.Verksamhetsplan.objects.filter(forbund=hoglandet, ar=2024).update(
        eget_kapital_ingaende=HOGLANDET_KAPITAL[2024]
    )
    m.Verksamhetsplan.objects.update_or_create(
        forbund=hoglandet,
        ar=2025,
        defaults={
            "tilldelning": HOGLANDET_BIDRAG_2025,
            "eget_kapital_ingaende": HOGLANDET_KAPITAL[2025],
        },
    )


def ladda_grupp() -> m.Forbundsgrupp:
    """The three förbund, the group and its samordnare (user `samordnare`, the demo password)."""
    forbund = _forbund()
    grupp, _skapad = m.Forbundsgrupp.objects.get_or_create(
        kortnamn=GRUPP_KORTNAMN, defaults={"namn": GRUPP_NAMN}
    )
    grupp.forbund.add(*forbund)
    # IT-spåret, Höglandet's, co-financed by the two others (issue 14, point 3).
    samfinansiering.medfinansiera({f.kortnamn: f for f in forbund})
    user, skapad = m.User.objects.get_or_create(
        username=SAMORDNARE,
        defaults={"first_name": "Sam", "last_name": "Samordnare", "forbund": None},
    )
    if skapad or not user.has_usable_password():
        user.set_password(DEMO_LOSENORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=str(Roll.SAMORDNARE)))
    grupp.samordnare.add(user)
    # The seed's figures are written around the services: their versions are bumped here.
    dataversion.andrat([(f.pk, dataversion.ALLA_AR) for f in forbund])
    return grupp
