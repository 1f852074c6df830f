"""Each rule of DOMAIN.md that `arsdata` follows, on small hand-made data."""

from __future__ import annotations

import datetime as dt

import pytest

from rapporter.arsdata import EJ_ANGIVEN, arsdata, procent
from registrering.ledger import Kon, ingaende_balans
from registrering.manadsliggare import pagaende_vid_manadens_start
from registrering.models import (
    Arstotal,
    AvslutadePerAnledning,
    IngaendeBalansHuvudman,
    Insats,
    NyaPerHuvudman,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _manad(insats, ar, manad, nk=0, nm=0, ak=0, am=0, **kwargs):
    return f.ManadsrapportFactory(
        insats=insats,
        ar=ar,
        manad=manad,
        nya_kvinnor=nk,
        nya_man=nm,
        avslutade_kvinnor=ak,
        avslutade_man=am,
        **kwargs,
    )


def _flode(data, namn):
    return next(i for i in data.insatser if i.namn == namn)


def test_deltagare_totalt_paborjade_avslutade_och_pagaende(forbund, insats):
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=3, man=2)
    _manad(insats, 2025, 1, nk=2, nm=1)
    _manad(insats, 2025, 6, nk=1, ak=2, am=1)
    flode = _flode(arsdata(forbund=forbund, ar=2025), insats.namn)
    assert flode.deltagare_totalt == Kon(6, 3)
    assert flode.nya == Kon(3, 1)
    assert flode.avslutade == Kon(2, 1)
    assert flode.pagaende == Kon(4, 2)


def test_insats_som_slutar_under_aret_visar_inget_pagaende_och_raknas_inte_i_totalen(forbund):
    slutar = f.InsatsFactory(forbund=forbund, namn="Slutar", slutdatum=dt.date(2025, 6, 30))
    fortsatter = f.InsatsFactory(forbund=forbund, namn="Fortsätter")
    for insats in (slutar, fortsatter):
        f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=2, man=2)
        _manad(insats, 2025, 3, nk=1, am=1)
    data = arsdata(forbund=forbund, ar=2025)
    assert _flode(data, "Slutar").pagaende is None
    assert _flode(data, "Slutar").berakat_pagaende == Kon(3, 1)
    assert data.pagaende == Kon(3, 1)
    assert data.deltagare_totalt == Kon(6, 4)


def test_insats_som_slutade_forra_aret_kommer_inte_med(forbund):
    f.InsatsFactory(forbund=forbund, namn="Gammal", slutdatum=dt.date(2024, 12, 31))
    assert arsdata(forbund=forbund, ar=2025).insatser == ()


def test_justering_andrar_pagaende_men_inte_flodet(forbund, insats):
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=5, man=5)
    _manad(insats, 2025, 2, ak=1)
    f.JusteringFactory(insats=insats, ar=2025, manad=12, kvinnor=-2, man=-1)
    flode = _flode(arsdata(forbund=forbund, ar=2025), insats.namn)
    assert flode.deltagare_totalt == Kon(5, 5)
    assert flode.avslutade == Kon(1, 0)
    assert flode.justering == Kon(-2, -1)
    assert flode.pagaende == Kon(2, 4)


def test_ingaende_balans_fors_over_fran_forra_arets_december(forbund, insats):
    f.IngaendeBalansFactory(insats=insats, ar=2024, kvinnor=4, man=1)
    _manad(insats, 2024, 3, nk=2, nm=3)
    _manad(insats, 2024, 12, ak=1, am=1)
    f.JusteringFactory(insats=insats, ar=2024, manad=12, kvinnor=-1, man=0)
    # No balance row for 2025: it is 2024's closing balance, 4+2-1-1 women and 1+3-1 men.
    assert ingaende_balans(insats_id=insats.pk, ar=2025) == Kon(4, 3)
    flode = _flode(arsdata(forbund=forbund, ar=2025), insats.namn)
    assert flode.ingaende == Kon(4, 3)
    assert flode.ingaende_bekraftad is False
    assert flode.deltagare_totalt == Kon(4, 3)


def test_uttrycklig_ingaende_balans_gar_fore_den_forda(forbund, insats):
    _manad(insats, 2024, 3, nk=2, nm=3)
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=1, man=1)
    flode = _flode(arsdata(forbund=forbund, ar=2025), insats.namn)
    assert flode.ingaende == Kon(1, 1)
    assert flode.ingaende_bekraftad is True


def test_ingaende_balans_fran_arstotal_fore_systemet(forbund, insats):
    Arstotal.objects.create(
        insats=insats,
        ar=2024,
        deltagare_kvinnor=10,
        deltagare_man=8,
        avslutade_kvinnor=6,
        avslutade_man=5,
        kalla="SUS",
    )
    assert ingaende_balans(insats_id=insats.pk, ar=2025) == Kon(4, 3)


def test_unika_individer_under_aret_summeras_inte(forbund):
    unika = f.VolyminsatsFactory(
        forbund=forbund,
        namn="Fontänhuset",
        inriktning=Insats.Inriktning.INDIVID,
        volymenhet=Insats.Volymenhet.UNIKA_INDIVIDER,
    )
    tillfallen = f.VolyminsatsFactory(
        forbund=forbund, namn="SIP", volymenhet=Insats.Volymenhet.TILLFALLEN
    )
    for manad, (u, t) in enumerate([(30, 2), (45, 1), (52, 3)], start=1):
        _manad(unika, 2025, manad, volym=u)
        _manad(tillfallen, 2025, manad, volym=t)
    data = arsdata(forbund=forbund, ar=2025)
    volym = {v.namn: v.volym for v in data.volym}
    assert volym == {"Fontänhuset": 52, "SIP": 6}
    assert data.volym_individ_totalt == 52
    assert data.volym_struktur_totalt == 6
    assert data.insatser == ()


def test_tomt_ar(forbund, insats):
    data = arsdata(forbund=forbund, ar=2025)
    assert data.deltagare_totalt == Kon()
    assert data.pagaende == Kon()
    assert data.avslut_klass("Alla individinriktade insatser").procent_forsta is None
    assert all(a.procent is None for a in data.huvudman)
    assert not data.tom  # the insats exists, with nothing reported
    assert arsdata(forbund=forbund, ar=2010).tom


def test_huvudman_raknar_ingaende_och_nya_och_visar_det_som_saknas(forbund, insats):
    fk = f.HuvudmanFactory(forbund=forbund, namn="Försäkringskassan", ordning=1)
    kommun = f.HuvudmanFactory(forbund=forbund, namn="Kommun", ordning=2)
    balans = f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=2, man=1)
    IngaendeBalansHuvudman.objects.create(balans=balans, huvudman=fk, antal=3)
    rapport = _manad(insats, 2025, 1, nk=2, nm=2)
    NyaPerHuvudman.objects.create(rapport=rapport, huvudman=kommun, antal=3)
    data = arsdata(forbund=forbund, ar=2025)
    assert [(a.namn, a.antal, a.procent) for a in data.huvudman] == [
        ("Försäkringskassan", 3, 43),
        ("Kommun", 3, 43),
        (EJ_ANGIVEN, 1, 14),
    ]


def test_avslutsanledningar_forsta_andra_per_grupp_och_egen_uppsattning(forbund):
    forsteg = f.InsatsgruppFactory(forbund=forbund, namn="Försteg")
    a = f.InsatsFactory(forbund=forbund, namn="Försteg A", grupp=forsteg)
    isa = f.InsatsFactory(forbund=forbund, namn="ISA B")
    plan = f.AvslutsanledningFactory(forbund=forbund, namn="Arbete", klass=1)
    avbrott = f.AvslutsanledningFactory(forbund=forbund, namn="Sjukdom", klass=2)
    isa_arbete = f.AvslutsanledningFactory(
        forbund=forbund,
        namn="Arbete",
        uppsattning="ISA",
        klass=1,
        rapportetikett="Avslut till arbete",
    )
    plan.insatser.add(a)
    avbrott.insatser.add(a)
    isa_arbete.insatser.add(isa)
    for insats in (a, isa):
        f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=5, man=5)
    ra = _manad(a, 2025, 1, ak=2, am=2)
    AvslutadePerAnledning.objects.create(rapport=ra, anledning=plan, antal=3)
    AvslutadePerAnledning.objects.create(rapport=ra, anledning=avbrott, antal=1)
    rb = _manad(isa, 2025, 1, ak=1, am=2)
    AvslutadePerAnledning.objects.create(rapport=rb, anledning=isa_arbete, antal=2)
    data = arsdata(forbund=forbund, ar=2025)
    alla = data.avslut_klass("Alla individinriktade insatser")
    assert (alla.totalt, alla.forsta, alla.andra, alla.ej_angiven) == (7, 5, 1, 1)
    forsteg_klass = data.avslut_klass("Enbart försteg")
    assert (forsteg_klass.totalt, forsteg_klass.forsta, forsteg_klass.procent_forsta) == (4, 3, 75)
    uppsattning = data.avslut_uppsattning("ISA")
    assert uppsattning.totalt == 3
    assert [(r.namn, r.antal) for r in uppsattning.rader] == [("Avslut till arbete", 2)]
    assert uppsattning.ej_angiven == 1


def test_pagaende_vid_manadens_start(forbund, insats):
    f.IngaendeBalansFactory(insats=insats, ar=2026, kvinnor=2, man=2)
    _manad(insats, 2026, 1, nk=1, am=1)
    _manad(insats, 2026, 2, nm=2)
    f.JusteringFactory(insats=insats, ar=2026, manad=2, kvinnor=-1, man=0)
    _manad(insats, 2026, 3, ak=1)
    assert pagaende_vid_manadens_start(insats_id=insats.pk, ar=2026, manad=1) == Kon(2, 2)
    assert pagaende_vid_manadens_start(insats_id=insats.pk, ar=2026, manad=3) == Kon(2, 3)


def test_annat_forbunds_insatser_raknas_inte(forbund, annat_forbund, insats):
    annan = f.InsatsFactory(forbund=annat_forbund, namn="Annans insats")
    f.IngaendeBalansFactory(insats=annan, ar=2025, kvinnor=9, man=9)
    data = arsdata(forbund=forbund, ar=2025)
    assert [i.namn for i in data.insatser] == [insats.namn]
    assert data.deltagare_totalt == Kon()


def test_procent_avrundas_som_for_hand():
    assert procent(144, 402) == 36
    assert procent(79, 135) == 59
    assert procent(1, 8) == 13  # 12.5 rounds up
    assert procent(0, 0) is None


def _forbund_med_insatser(forbund, antal):
    forsteg = f.InsatsgruppFactory(forbund=forbund, namn="Försteg")
    huvudman = f.HuvudmanFactory(forbund=forbund, namn="Kommun")
    anledning = f.AvslutsanledningFactory(forbund=forbund, namn="Arbete")
    for n in range(antal):
        insats = f.InsatsFactory(forbund=forbund, namn=f"Insats {n:02d}", grupp=forsteg)
        anledning.insatser.add(insats)
        balans = f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=3, man=3)
        IngaendeBalansHuvudman.objects.create(balans=balans, huvudman=huvudman, antal=6)
        f.IngaendeBalansFactory(insats=insats, ar=2024, kvinnor=1, man=1)
        _manad(insats, 2024, 5, nk=2)
        for manad in (1, 2):
            rapport = _manad(insats, 2025, manad, nk=1, ak=1)
            NyaPerHuvudman.objects.create(rapport=rapport, huvudman=huvudman, antal=1)
            AvslutadePerAnledning.objects.create(rapport=rapport, anledning=anledning, antal=1)
        f.JusteringFactory(insats=insats, ar=2025, manad=12, kvinnor=-1)
        volym = f.VolyminsatsFactory(forbund=forbund, namn=f"Volym {n:02d}")
        _manad(volym, 2025, 1, volym=10)


@pytest.mark.parametrize("antal", [3, 30])
def test_konstant_antal_fragor(forbund, antal, django_assert_num_queries):
    _forbund_med_insatser(forbund, antal)
    with django_assert_num_queries(14):
        data = arsdata(forbund=forbund, ar=2025)
    assert len(data.insatser) == antal
    assert data.deltagare_totalt == Kon(5 * antal, 3 * antal)
