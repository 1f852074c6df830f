"""The demo data's 2025, computed by the selector, against seed 000's tables cell by cell."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from rapporter.arsdata import arsdata
from registrering import demodata
from registrering.models import Forbund
from registrering.selectors import datakvalitet
from tests import seed000
from tests.seed000 import rad, tal

# pytest-django creates the test database only for a session with a test marked django_db;
# the mark lets this module run alone (the module fixture below loads the data once).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ar_2025(django_db_setup, django_db_blocker):
    """Load the demo data once for the module, compute 2025, and roll everything back."""
    with django_db_blocker.unblock(), transaction.atomic():
        forbund = demodata.ladda(idag=dt.date(2026, 11, 23))
        yield arsdata(forbund=forbund, ar=2025)
        transaction.set_rollback(True)


def test_kopian_av_seed_000_ar_identisk_med_originalet():
    if not seed000.ORIGINAL.exists():
        pytest.skip("shared/ ligger inte bredvid projektet; kopian i tests/data används")
    assert seed000.KOPIA.read_bytes() == seed000.ORIGINAL.read_bytes()


def test_deltagarflode_totalt_och_per_kon(ar_2025):
    for etikett, kon in (
        ("Deltagare totalt 2025", ar_2025.deltagare_totalt),
        ("Deltagare påbörjade 2025", ar_2025.paborjade),
        ("Deltagare avslutade 2025", ar_2025.avslutade),
        ("Deltagare pågående (31/12-2025)", ar_2025.pagaende),
    ):
        assert [tal(c) for c in rad(etikett)] == [kon.totalt, kon.kvinnor, kon.man], etikett


def test_deltagarflode_per_insats(ar_2025):
    per_namn = {i.namn: i for i in ar_2025.insatser}
    assert [i.namn for i in ar_2025.insatser] == seed000.PER_INSATS
    for namn in seed000.PER_INSATS:
        insats = per_namn[namn]
        pagaende = None if insats.pagaende is None else insats.pagaende.totalt
        assert [tal(c) for c in rad(namn)] == [
            insats.deltagare_totalt.totalt,
            insats.nya.totalt,
            insats.avslutade.totalt,
            pagaende,
        ], namn


def test_fordelning_av_huvudman(ar_2025):
    assert [(a.namn, a.antal, a.procent) for a in ar_2025.huvudman] == [
        (namn, tal(rad(namn)[0]), tal(rad(namn)[1])) for namn in seed000.HUVUDMAN
    ]


def test_volyminsatser(ar_2025):
    assert [v.namn for v in ar_2025.volym] == seed000.VOLYM
    for volym in ar_2025.volym:
        enhet, struktur, individ = rad(volym.namn)
        assert enhet == volym.enhet_etikett
        kolumn = struktur if volym.inriktning == "struktur" else individ
        assert tal(kolumn) == volym.volym, volym.namn
    _tom, struktur, individ = rad("Totalt")
    assert (tal(struktur), tal(individ)) == (
        ar_2025.volym_struktur_totalt,
        ar_2025.volym_individ_totalt,
    )


def test_avslutade_i_isa(ar_2025):
    isa = ar_2025.avslut_uppsattning("ISA")
    assert tal(rad("Avslut totalt")[0]) == isa.totalt
    assert [(r.namn, r.antal) for r in isa.rader] == [
        (namn, tal(rad(namn)[0]))
        for namn in (
            "Avslut till arbete utan subvention",
            "Avslut till arbete med subvention",
            "Avslut mot studier",
            "Avslut åter till huvudman",
        )
    ]
    assert isa.ej_angiven == 0


@pytest.mark.parametrize("etikett", ["Alla individinriktade insatser", "Enbart försteg"])
def test_avslutsanledning_forsta_och_andra(ar_2025, etikett):
    klass = ar_2025.avslut_klass(etikett)
    assert [tal(c) for c in rad(etikett)] == [
        klass.totalt,
        klass.forsta,
        klass.procent_forsta,
        klass.andra,
        klass.procent_andra,
    ]
    assert klass.ej_angiven == 0


def test_de_fem_som_inte_stammer_bar_justeringar(ar_2025):
    justerade = {j.insats_namn for j in ar_2025.justeringar}
    assert justerade == {
        "Försteg Boxholm",
        "Försteg Mjölby/Skänninge",
        "Försteg Vadstena",
        "Försteg Ödeshög",
        "Stöd mot sysselsättning",
    }
    for insats in ar_2025.insatser:
        flode = insats.ingaende + insats.nya - insats.avslutade
        assert (flode != insats.berakat_pagaende) == (insats.namn in justerade)


@pytest.fixture(scope="module")
def kvalitet_2025(ar_2025, django_db_blocker):
    with django_db_blocker.unblock():
        forbund = Forbund.objects.get(pk=ar_2025.forbund_id)
        return datakvalitet(forbund=forbund, ar=2025, idag=dt.date(2026, 11, 23))


def test_insatserna_som_slutade_med_deltagare_kvar_namns(ar_2025, kvalitet_2025):
    """Seed 000 shows "–" for the three insatser that closed 31/12 2025; their 50 participants
    still enrolled by the flow are not hidden: the data-quality list names them."""
    assert [(k.insats_namn, k.kvar.totalt) for k in kvalitet_2025.kvar_vid_slut] == [
        ("Digitaliseringscenter", 4),
        ("ISA navigator", 23),
        ("ISA Västra", 23),
    ]
    assert {k.insats_namn for k in kvalitet_2025.kvar_vid_slut} == {
        i.namn for i in ar_2025.insatser if i.pagaende is None
    }
    assert {j.insats_namn for j in kvalitet_2025.justeringar} == {
        j.insats_namn for j in ar_2025.justeringar
    }
