"""The joint report keeps each owner förbund's closing balances of last year by its data version
of last year (`rapporter.samfinansiering._ingaende`, `rapporter.arscache.per_forbund`): a write
to this year reads only this year's entered balances, a write to last year computes them again.

The probe: a month of last year is changed in the database without bumping any version (as no
door of the product can). Whether the ingående balans shows the change tells whether last
year's closing balance was computed again."""

from __future__ import annotations

import pytest
from django.db.models import F

from rapporter.samfinansiering import gemensamma_insatser
from registrering import dataversion
from registrering.ledger import Kon
from registrering.models import IngaendeBalans, Manadsrapport
from tests import factories as f

pytestmark = pytest.mark.django_db
AR = 2025
GODKAND = Manadsrapport.Status.GODKAND


@pytest.fixture
def insats(forbund):
    """An insats with a balance entered for 2024 and two approved months of 2024."""
    insats = f.InsatsFactory(forbund=forbund, namn="Flöde")
    f.IngaendeBalansFactory(insats=insats, ar=AR - 1, kvinnor=2, man=1)
    for manad in (1, 2):
        Manadsrapport.objects.create(
            insats=insats, ar=AR - 1, manad=manad, nya_kvinnor=3, nya_man=1, status=GODKAND
        )
    return insats


def _ingaende(forbund, insats) -> Kon:
    (gemensam,) = gemensamma_insatser(forbund_ids=[forbund.pk], ar=AR).insatser
    assert gemensam.insats_id == insats.pk
    return gemensam.ingaende


def _probe(insats) -> None:
    """Last year's January gets one more kvinna, without a new data version."""
    Manadsrapport.objects.filter(insats=insats, ar=AR - 1, manad=1).update(
        nya_kvinnor=F("nya_kvinnor") + 1
    )


def test_en_skrivning_i_ar_raknar_inte_om_forra_arets_utgaende(forbund, insats):
    assert _ingaende(forbund, insats) == Kon(2 + 6, 1 + 2)
    _probe(insats)
    dataversion.andrat([(forbund.pk, AR)])
    # Kept by last year's version, which a write to this year leaves.
    assert _ingaende(forbund, insats) == Kon(8, 3)


def test_arets_ingaende_balans_lases_varje_gang(forbund, insats):
    assert _ingaende(forbund, insats) == Kon(8, 3)
    IngaendeBalans.objects.create(insats=insats, ar=AR, kvinnor=5, man=5)
    dataversion.andrat([(forbund.pk, AR)])
    # The balance entered for this year replaces last year's closing, kept or not.
    assert _ingaende(forbund, insats) == Kon(5, 5)


@pytest.mark.parametrize("skrivet_ar", [AR - 1, dataversion.ALLA_AR])
def test_en_skrivning_forra_aret_eller_for_hela_forbundet_raknar_om(forbund, insats, skrivet_ar):
    assert _ingaende(forbund, insats) == Kon(8, 3)
    _probe(insats)
    dataversion.andrat([(forbund.pk, skrivet_ar)])
    assert _ingaende(forbund, insats) == Kon(9, 3)


def test_en_annan_forbunds_skrivning_raknar_inte_om(forbund, insats):
    annat = f.ForbundFactory(namn="Annat förbund", kortnamn="ANN")
    assert _ingaende(forbund, insats) == Kon(8, 3)
    _probe(insats)
    dataversion.andrat([(annat.pk, AR - 1)])
    assert _ingaende(forbund, insats) == Kon(8, 3)


def test_det_hallna_ger_samma_siffror_som_att_rakna_allt(forbund, insats):
    kall = gemensamma_insatser(forbund_ids=[forbund.pk], ar=AR)
    dataversion.andrat([(forbund.pk, AR)])
    assert gemensamma_insatser(forbund_ids=[forbund.pk], ar=AR) == kall
