"""Complementary suppression (`enkater.undertryckning`): no figure below the minimum n (5 in
the tests) can be had by subtracting shown bars from one another."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from enkater.malfraga import malfraga_resultat
from enkater.selectors import Indelning, Stapel, Urval, enkatresultat
from enkater.undertryckning import ALLA, Del, dolda, insatsnod, tillfallesnod
from registrering.models import Enkat
from tests.enkater.resultathjalp import fraga, svara, tillfalle


@pytest.fixture
def nns(forbund) -> Enkat:
    return Enkat.objects.create(forbund=forbund, namn="NNS", slag=Enkat.Slag.NNS)


def test_aret_minus_visade_tillfallen_ger_inte_ett_dolt():
    # 9 + 3: the year (12) minus the shown 9 would give the hidden 3, so the 9 goes too.
    dold = dolda([Del(1, None, 9), Del(2, None, 3)], min_n=5, omfang=None)
    assert dold == {tillfallesnod(1), tillfallesnod(2)}
    # 9 + 3 + 4: the hidden remainder is 7, no one round can be had.
    dold = dolda([Del(1, None, 9), Del(2, None, 3), Del(3, None, 4)], min_n=5, omfang=None)
    assert dold == {tillfallesnod(2), tillfallesnod(3)}


def test_alla_minus_en_insats_ger_inte_en_liten_insats():
    # Insats 10 has 8, insats 20 has 2: all (10) minus insats 10 would give insats 20's 2.
    delar = [Del(1, 10, 8), Del(2, 20, 2)]
    dold = dolda(delar, min_n=5, omfang=None)
    assert ALLA in dold
    assert insatsnod(10) not in dold and tillfallesnod(1) not in dold
    # A third insats with two rounds of 3: hiding it (6) widens the remainder to 8, and all
    # (16) may be shown.
    dold = dolda([*delar, Del(3, 30, 3), Del(4, 30, 3)], min_n=5, omfang=None)
    assert ALLA not in dold and insatsnod(30) in dold and insatsnod(10) not in dold


def test_insatsfiltret_och_aret_doljer_samma(forbund, nns, insats, annan_insats):
    stod = fraga(nns, "Får du stöd?")
    svara(tillfalle(nns, dt.date(2024, 3, 1), insats=insats), stod, (0, 0, 0, 8, 0, 0))
    svara(tillfalle(nns, dt.date(2024, 4, 1), insats=annan_insats), stod, (0, 2, 0, 0, 0, 0))

    (alla,) = enkatresultat(forbund=forbund).serier
    (en,) = enkatresultat(forbund=forbund, urval=Urval(insatser=frozenset({insats.pk}))).serier
    # Insats 1 (8) is shown; the year over all (10) is not, or 10 - 8 gives the other's 2.
    assert isinstance(en.staplar[0], Stapel) and en.staplar[0].n == 8
    assert alla.staplar[0].for_fa


def test_inlamnade_per_ar_och_tillfalle(forbund, nns):
    for datum, antal in ((dt.date(2024, 3, 1), 9), (dt.date(2024, 4, 1), 3)):
        t = tillfalle(nns, datum)
        t.antal_svar = antal
        t.save()
    ar = enkatresultat(forbund=forbund).inlamnade
    per = enkatresultat(forbund=forbund, indelning=Indelning.TILLFALLE).inlamnade
    assert [(i.etikett, i.antal) for i in ar] == [("2024", 12)]
    assert [i.antal for i in per] == [None, None]


def test_hanteringens_inlamnade_for_styrelsen(
    client, forbund, nns, styrelse, verksamhetsutvecklare
):
    for datum, antal in ((dt.date(2024, 3, 1), 9), (dt.date(2024, 4, 1), 3)):
        t = tillfalle(nns, datum)
        t.antal_svar = antal
        t.save()
    client.force_login(styrelse)
    sida = client.get(reverse("enkater:hantering")).content.decode()
    assert sida.count("För få svar för att redovisas") == 2
    client.force_login(verksamhetsutvecklare)
    sida = client.get(reverse("enkater:hantering")).content.decode()
    assert "För få svar för att redovisas</span>" not in sida


def test_malfragan_raknar_alla_grupper_och_versioner(forbund):
    utb = Enkat.objects.create(forbund=forbund, namn="Utbildning", slag=Enkat.Slag.UTBILDNING)
    kurs = fraga(utb, "Motsvarade det förväntningarna?", grupp="kursdeltagare", malfraga=True)
    personal = fraga(utb, "Motsvarade det förväntningarna?", grupp="personal", malfraga=True)
    svara(tillfalle(utb, dt.date(2025, 3, 1), grupp="kursdeltagare"), kurs, (0, 0, 0, 6, 0, 0))
    svara(tillfalle(utb, dt.date(2025, 4, 1), grupp="personal"), personal, (5, 0, 0, 0, 0, 0))

    resultat = malfraga_resultat(forbund=forbund, ar=2025)
    assert resultat is not None and isinstance(resultat.stapel, Stapel)
    # Both groups: 11 answers of which 6 positive (not the first group's 6 of 6). With 4 from
    # the staff the sum is hidden (tests/enkater/test_undertryckning_dorrar.py).
    assert (resultat.stapel.n, resultat.stapel.positiva) == (11, 6)
