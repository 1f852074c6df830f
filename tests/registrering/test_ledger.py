"""The participant ledger: the one formula for pågående, the one rule for "active", the year
chain (balance, months, yearly totals) and the month-by-month ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from registrering import ledger, manadsliggare
from registrering.ledger import Kon
from registrering.models import Insats
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_pagaende_ar_start_plus_nya_minus_avslutade_plus_justering():
    assert ledger.pagaende(Kon(5, 4), Kon(2, 1), Kon(3, 0)) == Kon(4, 5)
    assert ledger.pagaende(Kon(5, 4), Kon(2, 1), Kon(3, 0), Kon(-1, 0)) == Kon(3, 5)


@pytest.mark.parametrize(
    ("start", "slut", "ar", "manad", "aktiv"),
    [
        (dt.date(2025, 3, 15), None, 2025, 3, True),
        (dt.date(2025, 3, 15), None, 2025, 2, False),
        (dt.date(2020, 1, 1), dt.date(2025, 1, 1), 2025, 1, True),
        (dt.date(2020, 1, 1), dt.date(2025, 1, 1), 2025, 2, False),
        (dt.date(2020, 1, 1), dt.date(2024, 12, 31), 2025, None, False),
        (dt.date(2025, 12, 31), None, 2025, None, True),
        (dt.date(2026, 1, 1), None, 2025, None, False),
    ],
)
def test_aktiv_i_python_och_i_databasen_ar_samma_regel(forbund, start, slut, ar, manad, aktiv):
    insats = f.InsatsFactory(forbund=forbund, startdatum=start, slutdatum=slut)
    assert ledger.aktiv(start, slut, ar, manad) is aktiv
    assert Insats.objects.filter(ledger.aktiv_q(ar, manad), pk=insats.pk).exists() is aktiv
    if manad is None:
        assert insats.aktiv_under(ar) is aktiv
        assert Insats.objects.aktiva_under(ar).filter(pk=insats.pk).exists() is aktiv
    else:
        assert insats.aktiv_manad(ar, manad) is aktiv


def test_arskedjan_balans_manader_och_arstotaler(forbund):
    insats = f.InsatsFactory(forbund=forbund)
    # 2023 before the product: 10 deltagare, 4 avslutade → 6 left 31/12 2023.
    f.ArstotalFactory(
        insats=insats,
        ar=2023,
        deltagare_kvinnor=6,
        deltagare_man=4,
        avslutade_kvinnor=2,
        avslutade_man=2,
    )
    # 2024 in months: +3 −1 for kvinnor; a justering −1 for män in December.
    f.ManadsrapportFactory(insats=insats, ar=2024, manad=2, nya_kvinnor=3, avslutade_kvinnor=1)
    f.JusteringFactory(insats=insats, ar=2024, manad=12, kvinnor=0, man=-1)
    summor = ledger.flodessummor([insats.pk], till_ar=2026)
    assert summor.ingaende(insats.pk, 2024) == Kon(4, 2)
    assert summor.ingaende(insats.pk, 2025) == Kon(6, 1)
    # The closing balance of a year of yearly totals, of one in months, and of one with no data
    # (what it started with); from 1 January as carried, or as the caller has it.
    assert summor.utgaende(insats.pk, 2023) == Kon(4, 2)
    assert summor.utgaende(insats.pk, 2024) == Kon(6, 1)
    assert summor.utgaende(insats.pk, 2025) == Kon(6, 1)
    assert summor.utgaende(insats.pk, 2024, Kon(10, 10)) == Kon(12, 9)
    # A balance entered for 2026 replaces the closing balance of 2025.
    f.IngaendeBalansFactory(insats=insats, ar=2026, kvinnor=5, man=5)
    summor = ledger.flodessummor([insats.pk], till_ar=2026)
    assert summor.ingaende(insats.pk, 2026) == Kon(5, 5)
    assert summor.bekraftad(insats.pk, 2026) and not summor.bekraftad(insats.pk, 2025)


def test_liggaren_manad_for_manad_och_med_andringar_i_minnet(forbund):
    insats = f.InsatsFactory(forbund=forbund)
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=2, man=1)
    f.ManadsrapportFactory(insats=insats, ar=2025, manad=1, nya_kvinnor=1)
    f.ManadsrapportFactory(insats=insats, ar=2025, manad=3, avslutade_kvinnor=3)
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=1, avslutade_man=1)

    bok = manadsliggare.liggare([insats.pk], fran_ar=2025)
    assert bok.saldo(insats.pk, 2025, 3).start == Kon(3, 1)
    assert bok.saldo(insats.pk, 2025, 3).slut == Kon(0, 1)
    assert bok.ingaende(insats.pk, 2026) == Kon(0, 1)
    assert [s.slut for s in bok.saldon(insats.pk)][-1] == Kon(0, 0)  # December 2026

    # What a write would lead to, before it is made.
    bok.satt_manad(insats.pk, 2025, 1, Kon(0, 0), Kon(0, 0))
    assert bok.saldo(insats.pk, 2025, 3).slut == Kon(-1, 1)
    bok.lagg_till_justering(insats.pk, 2025, 2, Kon(1, 0))
    assert bok.saldo(insats.pk, 2025, 3).slut == Kon(0, 1)
    bok.satt_balans(insats.pk, 2026, Kon(4, 4))
    assert bok.saldo(insats.pk, 2026, 1).start == Kon(4, 4)

    assert manadsliggare.pagaende_vid_manadens_start(insats_id=insats.pk, ar=2025, manad=2) == Kon(
        3, 1
    )
    assert manadsliggare.pagaende_vid_manadens_start(insats_id=insats.pk, ar=2025, manad=13) == Kon(
        0, 1
    )


def test_ett_ar_med_bara_arstotaler_har_inga_manader_i_liggaren(forbund):
    insats = f.InsatsFactory(forbund=forbund)
    f.ArstotalFactory(insats=insats, ar=2024, deltagare_kvinnor=5, avslutade_kvinnor=1)
    bok = manadsliggare.liggare([insats.pk], fran_ar=2024)
    assert not [s for s in bok.saldon(insats.pk) if s.ar == 2024]
    assert bok.ingaende(insats.pk, 2025) == Kon(4, 0)


def test_liggaren_laser_lika_manga_fragor_for_1_och_20_insatser(forbund, django_assert_num_queries):
    insatser = [f.InsatsFactory(forbund=forbund) for _ in range(20)]
    for i, insats in enumerate(insatser):
        f.ManadsrapportFactory(insats=insats, ar=2025, manad=1 + i % 12, nya_man=i)
        f.IngaendeBalansFactory(insats=insats, ar=2026, kvinnor=i)
    with django_assert_num_queries(8):
        manadsliggare.liggare([insatser[0].pk], fran_ar=2025)
    with django_assert_num_queries(8):
        manadsliggare.liggare([i.pk for i in insatser], fran_ar=2025)


def test_deltagarflodet_i_python_och_i_databasen_ar_samma_regel(forbund):
    """`selectors.flodesinsatser` (the bilaga's and Kom igång's) picks the insatser that
    `Insats.objects.deltagarflode()` picks, for every inriktning and uppföljning."""
    from registrering.selectors import flodesinsatser

    for inriktning in Insats.Inriktning:
        for uppfoljning in Insats.Uppfoljning:
            f.InsatsFactory(
                forbund=forbund,
                namn=f"{inriktning} {uppfoljning}",
                inriktning=inriktning,
                uppfoljning=uppfoljning,
                volymenhet=Insats.Volymenhet.DELTAGARE if uppfoljning == "volym" else "",
            )
    alla = list(Insats.objects.filter(forbund=forbund))
    valda = {i.pk for i in flodesinsatser(alla)}
    assert valda == set(
        Insats.objects.filter(forbund=forbund).deltagarflode().values_list("pk", flat=True)
    )
    assert len(valda) == 1
