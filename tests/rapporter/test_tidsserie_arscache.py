"""The bilaga keeps the earlier years of its time series, and last year's closing balances, by
each year's data version (`rapporter.selectors._tidsserier`, `rapporter.arscache.per_ar`): a
write to the report's year reads only that year, a write to an earlier year computes the years
from it again.

The probe: a month of an earlier year is changed in the database without bumping any version
(as no door of the product can). Whether the report shows the change tells whether that year
was computed again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from rapporter.selectors import arsrapport
from registrering import dataversion, ledger, services
from registrering.ledger import Kon
from registrering.models import Manadsrapport
from tests import factories as f

pytestmark = pytest.mark.django_db
AR = 2025
GODKAND = Manadsrapport.Status.GODKAND
IDAG = dt.date(2026, 2, 1)


@pytest.fixture
def insats(forbund):
    """A flow insats with a balance entered for 2023 and an approved January each year
    2023–2025 (3 kvinnor and 1 man new each)."""
    insats = f.InsatsFactory(forbund=forbund, namn="Flöde")
    f.IngaendeBalansFactory(insats=insats, ar=AR - 2, kvinnor=2, man=1)
    for year in (AR - 2, AR - 1, AR):
        Manadsrapport.objects.create(
            insats=insats, ar=year, manad=1, nya_kvinnor=3, nya_man=1, status=GODKAND
        )
    return insats


def _figurer(forbund) -> tuple[tuple[int, ...], tuple[int | None, ...], Kon]:
    """The time series's years and totals, and the year's ingående balans of the insats."""
    rapport = arsrapport(forbund=forbund, ar=AR, idag=IDAG)
    (flode,) = rapport.data.insatser
    return rapport.over_tid.ar, rapport.over_tid.serier[2].varden, flode.ingaende


def _probe(insats, ar: int) -> None:
    """The year's January gets one more kvinna, without a new data version."""
    Manadsrapport.objects.filter(insats=insats, ar=ar, manad=1).update(
        nya_kvinnor=F("nya_kvinnor") + 1
    )


AREN = (AR - 2, AR - 1, AR)


def test_en_skrivning_i_ar_raknar_inte_om_de_tidigare_aren(forbund, insats):
    assert _figurer(forbund) == (AREN, (7, 11, 15), Kon(8, 3))
    _probe(insats, AR - 2)
    dataversion.andrat([(forbund.pk, AR)])
    # 2023 and 2024 and 2024's closing balance are kept by their versions, which a write to
    # 2025 leaves.
    assert _figurer(forbund) == (AREN, (7, 11, 15), Kon(8, 3))


def test_arets_egna_manader_lases_varje_gang(forbund, insats):
    assert _figurer(forbund) == (AREN, (7, 11, 15), Kon(8, 3))
    _probe(insats, AR)
    dataversion.andrat([(forbund.pk, AR)])
    assert _figurer(forbund) == (AREN, (7, 11, 16), Kon(8, 3))


@pytest.mark.parametrize("skrivet_ar", [AR - 2, AR - 1, dataversion.ALLA_AR])
def test_en_skrivning_ett_tidigare_ar_eller_for_hela_forbundet_raknar_om(
    forbund, insats, skrivet_ar
):
    assert _figurer(forbund) == (AREN, (7, 11, 15), Kon(8, 3))
    _probe(insats, AR - 2 if skrivet_ar != AR - 1 else AR - 1)
    dataversion.andrat([(forbund.pk, skrivet_ar)])
    if skrivet_ar == AR - 1:
        # 2023 kept; 2024 and its closing balance computed again.
        assert _figurer(forbund) == (AREN, (7, 12, 16), Kon(9, 3))
    else:
        assert _figurer(forbund) == (AREN, (8, 12, 16), Kon(9, 3))


def test_en_annan_forbunds_skrivning_raknar_inte_om(forbund, insats):
    annat = f.ForbundFactory(namn="Annat förbund", kortnamn="ANN")
    assert _figurer(forbund) == (AREN, (7, 11, 15), Kon(8, 3))
    _probe(insats, AR - 2)
    dataversion.andrat([(annat.pk, AR - 2)])
    assert _figurer(forbund) == (AREN, (7, 11, 15), Kon(8, 3))


def test_det_hallna_ger_samma_rapport_med_farre_fragor_an_att_rakna_allt(forbund, insats):
    f.ArstotalFactory(insats=insats, ar=AR - 4)
    with CaptureQueriesContext(connection) as kall:
        allt = arsrapport(forbund=forbund, ar=AR, idag=IDAG)
    _probe(insats, AR)
    dataversion.andrat([(forbund.pk, AR)])
    with CaptureQueriesContext(connection) as hallet:
        halls = arsrapport(forbund=forbund, ar=AR, idag=IDAG)
    cache.clear()
    assert arsrapport(forbund=forbund, ar=AR, idag=IDAG) == halls != allt
    # Kept, the year's month sums, justeringar and yearly totals are read once for the time
    # series and the figures.
    # Kept, the insatser are not read either (`_tidsseriens_insatser`).
    assert len(hallet) == len(kall) - 4
    assert halls.over_tid.arstotal_ar == (AR - 4,)


def test_en_skrivning_i_ar_laser_inte_insatserna_igen(forbund, insats):
    """Which insatser run in the years, their names and groups, change only with a förbund-wide
    write: they are kept with last year's data version."""
    forst = arsrapport(forbund=forbund, ar=AR, idag=IDAG)

    dataversion.andrat([(forbund.pk, AR)])
    with CaptureQueriesContext(connection) as fangade:
        sedan = arsrapport(forbund=forbund, ar=AR, idag=IDAG)

    insatsfragor = [
        q["sql"]
        for q in fangade.captured_queries
        if q["sql"].startswith('SELECT "registrering_insats".')
    ]
    assert insatsfragor == []
    assert sedan == forst


def test_en_insats_som_byter_namn_syns_med_sitt_nya_namn(forbund, insats, verksamhetsutvecklare):
    """A change to an insats is a förbund-wide write: the kept insatser are read again."""
    f.InsatsFactory(forbund=forbund, namn="Mellan")
    rapport = arsrapport(forbund=forbund, ar=AR, idag=IDAG)
    assert [i.namn for i in rapport.data.insatser] == ["Flöde", "Mellan"]

    services.insats_spara(
        user=verksamhetsutvecklare, forbund=forbund, insats=insats, varden={"namn": "Ödesflöde"}
    )

    rapport = arsrapport(forbund=forbund, ar=AR, idag=IDAG)
    assert [i.namn for i in rapport.data.insatser] == ["Mellan", "Ödesflöde"]
    assert {b.insats_namn for b in rapport.kvalitet.brister} == {"Mellan", "Ödesflöde"}


def test_flodessummor_fran_ett_ar_med_forra_arets_utgaende(forbund, insats):
    hela = ledger.flodessummor([insats.pk], till_ar=AR + 1)
    utgaende = {insats.pk: hela.ingaende(insats.pk, AR)}
    aret = ledger.flodessummor([insats.pk], till_ar=AR + 1, fran_ar=AR, utgaende_fore=utgaende)
    assert aret.forsta_ar == AR
    assert {key[1] for key in aret.nya} == {AR}
    assert aret.ingaende(insats.pk, AR) == hela.ingaende(insats.pk, AR) == Kon(8, 3)
    assert aret.ingaende(insats.pk, AR + 1) == hela.ingaende(insats.pk, AR + 1) == Kon(11, 4)
