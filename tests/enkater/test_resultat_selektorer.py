"""The results selector (`enkater.selectors`): shares and n against figures computed by hand,
the collection year, versions as their own series, suppression below the minimum n, and a
constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from enkater.malfraga import malfraga_resultat
from enkater.selectors import (
    FOR_FA_SVAR,
    ForFaSvar,
    Indelning,
    Stapel,
    Urval,
    enkatresultat,
)
from registrering.kalender import insamlingsar, insamlingsperiod
from registrering.models import Enkat, Respondentgrupp
from tests import factories as f
from tests.enkater.resultathjalp import PAGAENDE, fraga, svara, tillfalle


@pytest.fixture
def nns(forbund) -> Enkat:
    return Enkat.objects.create(forbund=forbund, namn="NNS", slag=Enkat.Slag.NNS)


@pytest.fixture
def utb(forbund) -> Enkat:
    return Enkat.objects.create(forbund=forbund, namn="Utbildning", slag=Enkat.Slag.UTBILDNING)


KURS = Respondentgrupp.KURSDELTAGARE


def test_insamlingsaret_gar_fran_1_november_till_31_oktober():
    assert insamlingsar(dt.date(2023, 10, 31)) == 2023
    assert insamlingsar(dt.date(2023, 11, 1)) == 2024
    assert insamlingsar(dt.date(2024, 10, 31)) == 2024
    assert insamlingsperiod(2024) == (dt.date(2023, 11, 1), dt.date(2024, 10, 31))


def test_andelar_och_n_per_insamlingsar(forbund, nns):
    stod = fraga(nns, "Får du stöd på ett sätt som är till stor nytta för dig?")
    # Two rounds in insamlingsår 2024 (one before New Year), one in 2022.
    svara(tillfalle(nns, dt.date(2023, 11, 15)), stod, (1, 2, 3, 4, 5, 5))  # 20
    svara(tillfalle(nns, dt.date(2024, 3, 1)), stod, (0, 0, 2, 6, 6, 6))  # 20
    svara(tillfalle(nns, dt.date(2022, 5, 1)), stod, (2, 2, 2, 2, 1, 1))  # 10

    resultat = enkatresultat(forbund=forbund)

    (serie,) = resultat.serier
    assert [s.rubrik for s in serie.staplar] == ["2022 (n=10)", "2024 (n=40)"]
    ar_2024 = serie.staplar[1]
    assert isinstance(ar_2024, Stapel)
    assert [(s.text, s.antal, s.procent) for s in ar_2024.svar] == [
        ("Aldrig", 1, 3),  # 2,5 % rounds half up
        ("Sällan", 2, 5),
        ("Ibland", 5, 13),  # 12,5 %
        ("Ofta", 10, 25),
        ("För det mesta", 11, 28),  # 27,5 %
        ("Alltid", 11, 28),
    ]
    # Ofta, För det mesta and Alltid count as positive: 32 of 40.
    assert (ar_2024.positiva, ar_2024.andel_positiva) == (32, 80)
    assert serie.staplar[0].andel_positiva == 40  # type: ignore[union-attr]


def test_31_oktober_och_1_november_hamnar_i_olika_ar(forbund, nns):
    stod = fraga(nns, "Får stödet ta den tid som du behöver?")
    svara(tillfalle(nns, dt.date(2024, 10, 31)), stod, (0, 0, 0, 5, 0, 0))
    svara(tillfalle(nns, dt.date(2024, 11, 1)), stod, (0, 0, 0, 0, 0, 6))

    (serie,) = enkatresultat(forbund=forbund).serier
    assert [s.rubrik for s in serie.staplar] == ["2024 (n=5)", "2025 (n=6)"]
    (bara_2025,) = enkatresultat(forbund=forbund, urval=Urval(fran_ar=2025, till_ar=2025)).serier
    assert [s.rubrik for s in bara_2025.staplar] == ["2025 (n=6)"]


def test_andra_enkater_an_nns_raknas_per_kalenderar_pa_varje_sida(forbund, nns, utb):
    """A training survey's year is the calendar year, the NNS enkät's the collection year: each
    round counts to one year, whichever page asks."""
    nns_fraga = fraga(nns, "Får stödet ta den tid som du behöver?")
    utb_fraga = fraga(utb, "Motsvarade det förväntningarna?", grupp=KURS, indikator=None)
    for datum in (dt.date(2024, 10, 31), dt.date(2024, 11, 1)):
        svara(tillfalle(nns, datum), nns_fraga, (0, 0, 0, 5, 0, 0))
        svara(
            tillfalle(utb, datum, grupp=KURS, namn=f"Kurs {datum}"), utb_fraga, (0, 0, 0, 5, 0, 0)
        )

    serier = {s.text: s for s in enkatresultat(forbund=forbund).serier}
    assert [s.rubrik for s in serier[nns_fraga.text].staplar] == ["2024 (n=5)", "2025 (n=5)"]
    assert [s.rubrik for s in serier[utb_fraga.text].staplar] == ["2024 (n=10)"]
    bara_2025 = {
        s.text: s
        for s in enkatresultat(forbund=forbund, urval=Urval(fran_ar=2025, till_ar=2025)).serier
    }
    assert [s.rubrik for s in bara_2025[nns_fraga.text].staplar] == ["2025 (n=5)"]
    assert utb_fraga.text not in bara_2025 or not bara_2025[utb_fraga.text].staplar


def test_under_minsta_n_finns_inga_siffror(forbund, nns, settings):
    stod = fraga(nns, "Är du med och bestämmer vilket stöd du skall få?")
    svara(tillfalle(nns, dt.date(2024, 3, 1)), stod, (0, 0, 1, 1, 1, 1))  # 4
    svara(tillfalle(nns, dt.date(2022, 3, 1)), stod, (0, 0, 1, 1, 1, 2))  # 5

    (serie,) = enkatresultat(forbund=forbund).serier
    ar_2022, ar_2024 = serie.staplar
    assert isinstance(ar_2022, Stapel) and ar_2022.n == 5
    assert ar_2024 == ForFaSvar("2024")
    assert (ar_2024.rubrik, ar_2024.text) == ("2024", FOR_FA_SVAR)
    assert not hasattr(ar_2024, "n") and not hasattr(ar_2024, "svar")

    settings.FINSAM_ENKAT_MIN_N = 6
    (serie,) = enkatresultat(forbund=forbund).serier
    assert all(isinstance(s, ForFaSvar) for s in serie.staplar)
    assert serie.bara_for_fa
    settings.FINSAM_ENKAT_MIN_N = 4
    (serie,) = enkatresultat(forbund=forbund).serier
    assert [s.rubrik for s in serie.staplar] == ["2022 (n=5)", "2024 (n=4)"]


def test_ny_version_ar_en_egen_serie(forbund, nns):
    gammal = fraga(nns, "Stödjer insatsen dig?", indikator=4, aktiv=False)
    ny = fraga(
        nns,
        "Stödjer insatsen dig i kontakterna med myndigheterna och vården?",
        indikator=4,
        version=2,
        ersatter=gammal,
    )
    svara(tillfalle(nns, dt.date(2020, 3, 1)), gammal, (1, 1, 1, 1, 1, 1))
    svara(tillfalle(nns, dt.date(2022, 3, 1)), ny, (0, 1, 1, 1, 2, 2))

    (del_,) = enkatresultat(forbund=forbund).delar
    (grupp,) = del_.grupper
    assert grupp.rubrik == "Indikator 4, deltagare (pågående)"
    forsta, andra = grupp.serier
    assert (forsta.version, [s.etikett for s in forsta.staplar]) == (1, ["2020"])
    assert (andra.version, [s.etikett for s in andra.staplar]) == (2, ["2022"])
    assert andra.tidigare_version == "Stödjer insatsen dig?"


def test_fragor_utan_egen_grupp_delas_efter_tillfallets_grupp(forbund, nns):
    stod = fraga(nns, "Hur var dagen?", grupp="", indikator=None)
    svara(tillfalle(nns, dt.date(2024, 3, 1), grupp=PAGAENDE), stod, (0, 0, 0, 5, 0, 0))
    svara(
        tillfalle(nns, dt.date(2024, 4, 1), grupp=Respondentgrupp.PERSONAL),
        stod,
        (0, 0, 0, 0, 0, 7),
    )

    serier = enkatresultat(forbund=forbund).serier
    assert [(s.respondentgrupp_namn, s.staplar[0].rubrik) for s in serier] == [
        ("Deltagare (pågående)", "2024 (n=5)"),
        ("Personal i insatser", "2024 (n=7)"),
    ]
    urval = Urval(respondentgrupp=Respondentgrupp.PERSONAL)
    assert [s.respondentgrupp for s in enkatresultat(forbund=forbund, urval=urval).serier] == [
        "personal"
    ]


def test_insatsernas_urval_raknar_bara_deras_tillfallen(forbund, nns):
    egen, annan = f.InsatsFactory(forbund=forbund), f.InsatsFactory(forbund=forbund)
    stod = fraga(nns, "Får du stöd?")
    svara(tillfalle(nns, dt.date(2024, 3, 1), insats=egen), stod, (0, 0, 0, 6, 0, 0))
    svara(tillfalle(nns, dt.date(2024, 3, 2), insats=annan), stod, (3, 0, 0, 0, 0, 0))
    svara(tillfalle(nns, dt.date(2024, 3, 3)), stod, (0, 0, 0, 0, 0, 9))

    (alla,) = enkatresultat(forbund=forbund).serier
    (egna,) = enkatresultat(forbund=forbund, urval=Urval(insatser=frozenset({egen.pk}))).serier
    assert alla.staplar[0].rubrik == "2024 (n=18)"
    assert egna.staplar[0].rubrik == "2024 (n=6)"


def test_per_tillfalle(forbund, nns):
    stod = fraga(nns, "Får du stöd?")
    svara(tillfalle(nns, dt.date(2024, 3, 1), namn="Våren"), stod, (0, 0, 0, 6, 0, 0))
    svara(tillfalle(nns, dt.date(2024, 6, 1), namn="Sommaren"), stod, (0, 0, 5, 0, 0, 0))
    svara(tillfalle(nns, dt.date(2024, 9, 2), namn="Hösten"), stod, (0, 2, 0, 0, 0, 0))

    (serie,) = enkatresultat(forbund=forbund, indelning=Indelning.TILLFALLE).serier
    # Hösten has too few; Sommaren, the smallest shown, goes too, or the year (n=13) minus
    # the rounds shown would give Hösten's 2.
    assert [s.rubrik for s in serie.staplar] == [
        "Våren 1/3 2024 (n=6)",
        "Sommaren 1/6 2024",
        "Hösten 2/9 2024",
    ]
    assert [s.for_fa for s in serie.staplar] == [False, True, True]


def test_annat_forbunds_svar_raknas_inte(forbund, annat_forbund, nns):
    stod = fraga(nns, "Får du stöd?")
    svara(tillfalle(nns, dt.date(2024, 3, 1)), stod, (0, 0, 0, 6, 0, 0))
    andra = Enkat.objects.create(forbund=annat_forbund, namn="NNS")
    svara(tillfalle(andra, dt.date(2024, 3, 1)), fraga(andra, "Får du stöd?"), (9, 9, 9, 9, 9, 9))

    assert [s.text for s in enkatresultat(forbund=annat_forbund).serier] == ["Får du stöd?"]
    (serie,) = enkatresultat(forbund=forbund).serier
    assert serie.staplar[0].rubrik == "2024 (n=6)"


def _mangder(enkat: Enkat, antal_tillfallen: int) -> None:
    fragor = [fraga(enkat, f"Fråga {i}", indikator=i + 1) for i in range(3)]
    for t in range(antal_tillfallen):
        runda = tillfalle(enkat, dt.date(2020 + t % 6, 1 + t % 12, 1 + t // 72), namn=f"R{t}")
        for fr in fragor:
            svara(runda, fr, (1, 2, 3, 4, 5, 6))


@pytest.mark.parametrize("antal_tillfallen", [2, 40])
def test_konstant_antal_fragor(forbund, nns, antal_tillfallen, django_assert_num_queries):
    _mangder(nns, antal_tillfallen)

    with django_assert_num_queries(3):
        resultat = enkatresultat(forbund=forbund, indelning=Indelning.TILLFALLE)
    assert len(resultat.serier) == 3


def test_utan_tillfallen_i_perioden_lases_inga_svar(forbund, nns, django_assert_num_queries):
    """A year without a round (most years of a report) reads its rounds and questions only;
    the questions are still shown, without bars."""
    _mangder(nns, 2)  # rounds in 2020 and 2021

    with django_assert_num_queries(2):
        resultat = enkatresultat(forbund=forbund, urval=Urval(fran_ar=2023, till_ar=2023))
    assert [s.text for s in resultat.serier] == ["Fråga 0", "Fråga 1", "Fråga 2"]
    assert all(not s.staplar for s in resultat.serier)
    assert resultat.antal_tillfallen == 0
    with django_assert_num_queries(3):
        resultat = enkatresultat(forbund=forbund, urval=Urval(fran_ar=2021, till_ar=2021))
    assert [len(s.staplar) for s in resultat.serier] == [1, 1, 1]


def test_malfragan_ar_kalenderaret(forbund):
    utb = Enkat.objects.create(forbund=forbund, namn="Utbildning", slag=Enkat.Slag.UTBILDNING)
    mal = fraga(
        utb, "Motsvarade utbildningen dina förväntningar?", grupp="", indikator=None, malfraga=True
    )
    svara(tillfalle(utb, dt.date(2025, 11, 5), grupp="kursdeltagare"), mal, (0, 0, 1, 3, 3, 3))
    svara(tillfalle(utb, dt.date(2026, 1, 5), grupp="kursdeltagare"), mal, (0, 0, 0, 0, 0, 2))

    resultat = malfraga_resultat(forbund=forbund, ar=2025)
    assert resultat is not None
    assert resultat.positiva_alternativ == ("Ofta", "För det mesta", "Alltid")
    assert isinstance(resultat.stapel, Stapel)
    assert (resultat.stapel.n, resultat.stapel.positiva) == (10, 9)
    assert malfraga_resultat(forbund=forbund, ar=2026).stapel == ForFaSvar("2026")  # type: ignore[union-attr]
    assert malfraga_resultat(forbund=forbund, ar=2027).stapel is None  # type: ignore[union-attr]
