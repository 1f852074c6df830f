"""The joint report's tables against figures computed by hand (issue 14, point 4): seed 004's
three förbund of Jönköpings län with their 2024 (`registrering.demodata.seed004`), approved
months only, every insats once, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from registrering.demodata import samverkan as demo
from registrering.ledger import Kon
from registrering.models import Forbundsgrupp, Insats, Manadsrapport, Verksamhetsplan
from samverkan.selectors import samverkansrapport
from tests import factories

pytestmark = pytest.mark.django_db
NBSP = "\xa0"
P = Insats.PreciseradInriktning


@pytest.fixture
def grupp() -> Forbundsgrupp:
    return demo.ladda_grupp()


def _rad(r, kortnamn):
    return next(f for f in r.forbund if f.kortnamn == kortnamn)


def test_per_forbund_som_seed_004(grupp):
    r = samverkansrapport(grupp=grupp, ar=2024)

    # In name order: Finnvedens, Höglandets, Södra Vätterbygden.
    assert [f.kortnamn for f in r.forbund] == ["FIN", "HÖG", "SÖV"]
    fin, hog, sov = r.forbund
    assert (sov.medlemsbidrag_tkr, fin.medlemsbidrag_tkr, hog.medlemsbidrag_tkr) == (
        f"11{NBSP}148",
        f"5{NBSP}058",
        f"8{NBSP}036",
    )
    assert (sov.till_arbete_studier, fin.till_arbete_studier, hog.till_arbete_studier) == (
        18,
        4,
        44,
    )
    assert (sov.effekt.tkr, fin.effekt.tkr, hog.effekt.tkr) == (f"3{NBSP}499", "778", f"8{NBSP}554")
    # By hand from the seed's data: ingående balans (the avslutade's kvinnor and män) + nya
    # (split as the avslutade, rounded half up). Södra Vätterbygden: Enter 11/12 + 18/20, NOVA
    # 25/21 + 36/30, FIA 5/5 + 6/5; Finnveden 20/16 + 17/13; Höglandet SE 32/42 + 35/45,
    # IT-spåret 0/4 + 0/5.
    assert sov.deltagare == Kon(41 + 60, 38 + 55)
    assert fin.deltagare == Kon(20 + 17, 16 + 13)
    assert hog.deltagare == Kon(32 + 35, 46 + 50)
    assert (sov.nya, fin.nya, hog.nya) == (Kon(60, 55), Kon(17, 13), Kon(35, 50))
    assert (sov.avslutade, fin.avslutade, hog.avslutade) == (Kon(41, 38), Kon(20, 16), Kon(32, 46))
    assert hog.andel_arbete_studier == 56  # 44 of 78
    assert all(f.ej_godkanda_manader == 0 for f in r.forbund)


def test_gruppens_totaler(grupp):
    r = samverkansrapport(grupp=grupp, ar=2024)

    assert r.medlemsbidrag == 11_148_000 + 5_058_000 + 8_036_000
    assert r.medlemsbidrag_tkr == f"24{NBSP}242"
    assert r.deltagare == Kon(101 + 37 + 67, 93 + 29 + 96)
    assert r.deltagare.totalt == 423
    assert r.nya.totalt == 230
    assert r.avslutade == Kon(93, 100)
    assert r.till_arbete_studier == 66
    assert r.effekt == 3_499_200 + 777_600 + 8_553_600
    assert r.effekt_tkr == f"12{NBSP}830"


def test_ej_godkanda_manader_raknas_inte(grupp):
    """An unapproved month of a förbund is not in any figure; only how many there are."""
    se = Insats.objects.get(namn="SE-Höglandet")
    januari = Manadsrapport.objects.get(insats=se, ar=2024, manad=1)
    januari.status = Manadsrapport.Status.INSKICKAD
    januari.save()
    fore = samverkansrapport(grupp=grupp, ar=2023)  # nothing reported in 2023
    r = samverkansrapport(grupp=grupp, ar=2024)
    hog = _rad(r, "HÖG")

    till = sum(
        a.antal
        for a in januari.avslut.select_related("anledning")
        if a.anledning.kategori in ("arbete", "studier")
    )
    assert till > 0 and januari.avslutade > 0 and januari.nya > 0
    assert hog.till_arbete_studier == 44 - till
    assert hog.avslutade.totalt == 78 - januari.avslutade
    assert hog.nya.totalt == 85 - januari.nya
    assert hog.ej_godkanda_manader == 1
    assert r.ej_godkanda_manader == 1
    assert fore.ej_godkanda_manader == 0


def test_ej_godkanda_manader_tidigare_ar_bar_inte_in_i_balansen():
    forbund = factories.ForbundFactory()
    insats = factories.InsatsFactory(forbund=forbund, startdatum=dt.date(2023, 1, 1))
    grupp = Forbundsgrupp.objects.create(namn="G", kortnamn="g")
    grupp.forbund.add(forbund)
    factories.ManadsrapportFactory(
        insats=insats, ar=2023, manad=3, nya_kvinnor=4, nya_man=3, status="godkand"
    )
    factories.ManadsrapportFactory(
        insats=insats, ar=2023, manad=4, nya_kvinnor=10, nya_man=10, status="inskickad"
    )
    factories.ManadsrapportFactory(
        insats=insats, ar=2024, manad=1, nya_kvinnor=1, nya_man=2, status="registrerad"
    )

    r = samverkansrapport(grupp=grupp, ar=2024)

    # 4/3 carried from 2023's approved month, plus January 2024's 1/2: not the 10/10.
    assert r.deltagare == Kon(5, 5)
    assert r.ej_godkanda_manader == 0  # 2024's months are all approved


def test_per_preciserad_inriktning_med_kon(grupp):
    Insats.objects.filter(namn__in=["Enter", "SE-Höglandet"]).update(
        preciserad_inriktning=P.ARBETSLIVSINRIKTAD
    )
    Insats.objects.filter(namn="NOVA").update(preciserad_inriktning=P.FORBEREDANDE)
    hog = grupp.forbund.get(kortnamn="HÖG")
    factories.InsatsFactory(
        forbund=hog,
        namn="Nätverk",
        inriktning=Insats.Inriktning.STRUKTUR,
        preciserad_inriktning=P.UTVECKLA_SAMVERKAN,
        uppfoljning=Insats.Uppfoljning.VOLYM,
        volymenhet=Insats.Volymenhet.DELTAGARE,
        startdatum=dt.date(2024, 1, 1),
    )

    r = samverkansrapport(grupp=grupp, ar=2024)

    rader = {rad.namn: rad for rad in r.individ}
    assert list(rader) == [
        "Arbetslivsinriktad",
        "Förberedande",
        "Identifiera individens behov",
        "Förebyggande",
        "Ej angiven",
    ]
    # Enter (11/12 + 18/20 nya) and SE-Höglandet (32/42 + 35/45).
    assert rader["Arbetslivsinriktad"].insatser == 2
    assert rader["Arbetslivsinriktad"].deltagare == Kon(11 + 18 + 32 + 35, 12 + 20 + 42 + 45)
    assert rader["Förberedande"].deltagare == Kon(25 + 36, 21 + 30)
    # FIA, Samverkansteam Finnveden and IT-spåret have none.
    assert rader["Ej angiven"].insatser == 3
    assert rader["Arbetslivsinriktad"].andel == 33  # 2 of 6
    assert r.individ_totalt.insatser == 6
    assert r.individ_totalt.deltagare == r.deltagare
    struktur = {rad.namn: rad.insatser for rad in r.struktur}
    assert struktur == {"Kompetenshöjande": 0, "Behovsanalys": 0, "Utveckla samverkan": 1}
    assert r.struktur_totalt.insatser == 1


def test_eget_kapital_mot_taket_och_tabell_3(grupp):
    r = samverkansrapport(grupp=grupp, ar=2024)

    hog = next(s for s in r.kapital if s.namn == "Höglandets samordningsförbund")
    ar_2024 = hog.ar[-1]
    assert ar_2024.ar == 2024
    # Seed 004: utfall 2024 result −155 574, eget kapital 1 483 897; the cap 15 % of the
    # average tilldelning (only 2024 has a plan before 2025): 1 205 400, "under 1,2 Mkr".
    assert ar_2024.utgaende == Decimal(1_483_897)
    assert ar_2024.resultat == Decimal(-155_574)
    assert ar_2024.tak == Decimal(1_205_400)
    assert ar_2024.status == "Över taket"
    assert (ar_2024.utgaende_tkr, ar_2024.resultat_tkr, ar_2024.tak_tkr) == (
        f"1{NBSP}484",
        "−156",
        f"1{NBSP}205",
    )
    assert [k.ar for k in r.tabell3] == list(range(2018, 2025))
    kolumn = r.tabell3[-1]
    assert (kolumn.resultat, kolumn.utgaende, kolumn.med_utgaende) == (
        Decimal(-155_574),
        Decimal(1_483_897),
        1,
    )
    assert r.tabell3[0].utgaende is None


def test_tabell_3_summerar_forbunden(grupp):
    sov = grupp.forbund.get(kortnamn="SÖV")
    Verksamhetsplan.objects.filter(forbund=sov, ar=2024).update(eget_kapital_ingaende=2_000_000)
    Verksamhetsplan.objects.create(
        forbund=sov, ar=2025, tilldelning=11_000_000, eget_kapital_ingaende=2_100_000
    )

    kolumn = samverkansrapport(grupp=grupp, ar=2024).tabell3[-1]

    assert kolumn.utgaende == Decimal(1_483_897 + 2_100_000)
    assert kolumn.resultat == Decimal(-155_574 + 100_000)
    assert kolumn.med_utgaende == kolumn.med_resultat == 2


def _stor_grupp(antal_forbund: int, insatser_per_forbund: int) -> Forbundsgrupp:
    grupp = Forbundsgrupp.objects.create(
        namn=f"Grupp {antal_forbund}", kortnamn=f"grupp-{antal_forbund}"
    )
    for n in range(antal_forbund):
        forbund = factories.ForbundFactory(namn=f"F {antal_forbund}-{n}")
        grupp.forbund.add(forbund)
        Verksamhetsplan.objects.create(
            forbund=forbund, ar=2024, tilldelning=1_000_000, eget_kapital_ingaende=100_000
        )
        for i in range(insatser_per_forbund):
            insats = factories.InsatsFactory(forbund=forbund, namn=f"I{i}")
            factories.ManadsrapportFactory(
                insats=insats, ar=2024, manad=1, nya_kvinnor=1, status="godkand"
            )
    return grupp


def test_konstant_antal_fragor(django_assert_num_queries, django_assert_max_num_queries):
    liten, stor = _stor_grupp(1, 1), _stor_grupp(6, 5)
    with django_assert_max_num_queries(15) as liten_fragor:
        samverkansrapport(grupp=liten, ar=2024)
    with django_assert_num_queries(len(liten_fragor.captured_queries)):
        r = samverkansrapport(grupp=stor, ar=2024)
    assert r.nya == Kon(30, 0)


def test_samfinansierad_insats_raknas_en_gang_hos_agaren(grupp):
    """IT-spåret is Höglandet's, co-financed by Södra Vätterbygden and Finnveden (seed 004):
    its 0/4 + 0/5 deltagare count in Höglandet's column and once in the group's total."""
    r = samverkansrapport(grupp=grupp, ar=2024)

    (it,) = r.samfinansierade
    assert it.namn == "IT-spåret" and it.agare_namn == "Höglandets samordningsförbund"
    assert {f.kortnamn for f in it.medfinansiarer} == {"SÖV", "FIN"}
    assert it.deltagare == Kon(0, 9)
    assert _rad(r, "HÖG").deltagare == Kon(32 + 35, 42 + 45) + it.deltagare
    assert r.deltagare == Kon.summa(f.deltagare for f in r.forbund) == Kon(205, 218)
    assert r.utanfor == ()
