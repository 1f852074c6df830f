"""The year's figures without the report's flow sums (`arsdata(…)` as the underlag computes
them) keep last year's closing balances by that year's data version (`rapporter.arsdata._summor`,
`rapporter.arscache.per_ar`): a write to the year reads only the year, a write to an earlier
year (or to the whole förbund) computes the balances again. The figures are the report's.

The probe, as in `test_tidsserie_arscache`: a month of an earlier year is changed in the
database without bumping any version (as no door of the product can)."""

from __future__ import annotations

import pytest
from django.db.models import F

from rapporter.arsdata import arsdata
from rapporter.selectors import arsrapport
from registrering import dataversion
from registrering.ledger import Kon
from registrering.models import Manadsrapport
from tests import factories as f

pytestmark = pytest.mark.django_db
AR = 2025
GODKAND = Manadsrapport.Status.GODKAND


@pytest.fixture
def insats(forbund):
    """A flow insats with a balance entered for 2023 and an approved January each year
    2023–2025 (3 kvinnor and 1 man new each), and another insats with a balance entered for
    2025."""
    insats = f.InsatsFactory(forbund=forbund, namn="Flöde")
    f.IngaendeBalansFactory(insats=insats, ar=AR - 2, kvinnor=2, man=1)
    for year in (AR - 2, AR - 1, AR):
        Manadsrapport.objects.create(
            insats=insats, ar=year, manad=1, nya_kvinnor=3, nya_man=1, status=GODKAND
        )
    bekraftad = f.InsatsFactory(forbund=forbund, namn="Bekräftad")
    f.IngaendeBalansFactory(insats=bekraftad, ar=AR, kvinnor=4, man=4)
    return insats


def _ingaende(forbund) -> dict[str, tuple[Kon, bool]]:
    data = arsdata(forbund=forbund, ar=AR, fordelningar=False)
    return {i.namn: (i.ingaende, i.ingaende_bekraftad) for i in data.insatser}


def _probe(insats, ar: int) -> None:
    Manadsrapport.objects.filter(insats=insats, ar=ar, manad=1).update(
        nya_kvinnor=F("nya_kvinnor") + 1
    )


FORE = {"Flöde": (Kon(8, 3), False), "Bekräftad": (Kon(4, 4), True)}


def test_som_rapportens_siffror(forbund, insats):
    assert _ingaende(forbund) == FORE
    # Kept, and as the report computes them from its own flow sums.
    assert _ingaende(forbund) == FORE
    rapport = arsrapport(forbund=forbund, ar=AR)
    assert {i.namn: (i.ingaende, i.ingaende_bekraftad) for i in rapport.data.insatser} == FORE
    assert arsdata(forbund=forbund, ar=AR).insatser == rapport.data.insatser


def test_en_skrivning_i_ar_laser_bara_aret(forbund, insats):
    assert _ingaende(forbund) == FORE
    _probe(insats, AR - 1)
    dataversion.andrat([(forbund.pk, AR)])
    assert _ingaende(forbund) == FORE  # 2024's closing balance is kept by 2024's version
    _probe(insats, AR)
    dataversion.andrat([(forbund.pk, AR)])
    nya = {i.namn: i.nya for i in arsdata(forbund=forbund, ar=AR, fordelningar=False).insatser}
    assert nya["Flöde"] == Kon(4, 1)  # the year's own months are read every time


@pytest.mark.parametrize("skrivet_ar", [AR - 2, AR - 1, dataversion.ALLA_AR])
def test_en_skrivning_ett_tidigare_ar_raknar_om(forbund, insats, skrivet_ar):
    assert _ingaende(forbund) == FORE
    _probe(insats, AR - 2)
    dataversion.andrat([(forbund.pk, skrivet_ar)])
    assert _ingaende(forbund) == {**FORE, "Flöde": (Kon(9, 3), False)}


def test_utan_fordelningar_ar_fordelningarna_tomma_och_resten_lika(forbund, insats):
    hela = arsdata(forbund=forbund, ar=AR)
    utan = arsdata(forbund=forbund, ar=AR, fordelningar=False)
    assert hela.huvudman and not utan.huvudman
    assert not utan.avslut_klasser and not utan.avslut_uppsattningar
    assert [i.avslut_per_anledning for i in utan.insatser] == [{}, {}]
    assert [(i.ingaende, i.nya, i.avslutade, i.pagaende) for i in utan.insatser] == [
        (i.ingaende, i.nya, i.avslutade, i.pagaende) for i in hela.insatser
    ]
