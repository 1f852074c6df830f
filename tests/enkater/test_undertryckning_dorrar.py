"""Suppression across outputs (issue 12): a figure below the minimum n (5 in the tests) hidden
in one output cannot be had by subtracting figures that another output shows of the same
answers. Each test gathers every figure the outputs show of one small scenario and asks
whether the hidden count is a shown figure minus some of the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import combinations

import pytest

from enkater.indikatorer import indikatorrapport
from enkater.malfraga import malfraga_resultat
from enkater.selectors import Indelning, Stapel, Urval, enkatresultat, inlamnade_per_tillfalle
from rapporter.selectors import arsrapport
from registrering.models import Enkat, Enkattillfalle, Respondentgrupp
from tests.enkater.resultathjalp import fraga, svara, tillfalle

PAGAENDE = Respondentgrupp.DELTAGARE_PAGAENDE
PERSONAL = Respondentgrupp.PERSONAL
STYRELSE = Respondentgrupp.STYRELSE
KURS = Respondentgrupp.KURSDELTAGARE


def harledbart(visade: Iterable[int], dolt: int) -> bool:
    """Whether `dolt` is one shown figure minus some others (each used once)."""
    tal = list(visade)
    for i, helhet in enumerate(tal):
        ovriga = tal[:i] + tal[i + 1 :]
        for k in range(len(ovriga) + 1):
            if any(helhet - sum(delar) == dolt for delar in combinations(ovriga, k)):
                return True
    return False


def test_harledbart():
    assert harledbart([33, 20, 10], 3)
    assert not harledbart([20, 10], 3)


@pytest.fixture
def nns(forbund) -> Enkat:
    return Enkat.objects.create(forbund=forbund, namn="NNS", slag=Enkat.Slag.NNS)


@pytest.fixture
def utb(forbund) -> Enkat:
    return Enkat.objects.create(forbund=forbund, namn="Utbildning", slag=Enkat.Slag.UTBILDNING)


def _inlamnat(enkat: Enkat, datum: dt.date, grupp: str, antal: int) -> Enkattillfalle:
    t = tillfalle(enkat, datum, grupp=grupp)
    t.antal_svar = antal
    t.save()
    return t


def _inlamnade(forbund, **urval) -> list[int]:
    """Every forms count the results page shows, per collection year and per round."""
    return [
        i.antal
        for indelning in (Indelning.AR, Indelning.TILLFALLE)
        for i in enkatresultat(forbund=forbund, urval=Urval(**urval), indelning=indelning).inlamnade
        if i.antal is not None
    ]


def _staplar(forbund, **urval) -> list[int]:
    """Every n the results page shows, per collection year and per round."""
    return [
        s.n
        for indelning in (Indelning.AR, Indelning.TILLFALLE)
        for serie in enkatresultat(
            forbund=forbund, urval=Urval(**urval), indelning=indelning
        ).serier
        for s in serie.staplar
        if isinstance(s, Stapel)
    ]


def test_gruppfiltrets_inlamnade_ger_inte_en_liten_grupp(forbund, nns):
    # The styrelse handed in 3: the year over all groups minus the other two would give it.
    _inlamnat(nns, dt.date(2024, 3, 1), PAGAENDE, 20)
    _inlamnat(nns, dt.date(2024, 3, 2), PERSONAL, 10)
    _inlamnat(nns, dt.date(2024, 3, 3), STYRELSE, 3)
    visade = _inlamnade(forbund)
    for grupp in (PAGAENDE, PERSONAL, STYRELSE):
        visade += _inlamnade(forbund, respondentgrupp=grupp)
    assert 20 in visade and 10 in visade
    assert not harledbart(visade, 3)


def test_enkatfiltrets_inlamnade_ger_inte_en_liten_enkat(forbund, nns, utb):
    # The same group in two enkäter: 20 in the training survey, 3 in the NNS one.
    _inlamnat(utb, dt.date(2024, 3, 1), PAGAENDE, 20)
    _inlamnat(nns, dt.date(2024, 3, 2), PAGAENDE, 3)
    visade = _inlamnade(forbund) + _inlamnade(forbund, enkat_id=utb.pk)
    visade += _inlamnade(forbund, enkat_id=nns.pk)
    assert 20 in visade
    assert not harledbart(visade, 3)


def test_hanteringen_och_resultaten_doljer_samma(forbund, nns):
    tillfallen = [
        _inlamnat(nns, dt.date(2024, 3, 1), PAGAENDE, 20),
        _inlamnat(nns, dt.date(2024, 3, 2), PERSONAL, 10),
        _inlamnat(nns, dt.date(2024, 3, 3), STYRELSE, 3),
    ]
    hantering = inlamnade_per_tillfalle(forbund=forbund, tillfallen=tillfallen, omfang=None)
    assert hantering == {tillfallen[0].pk: 20, tillfallen[1].pk: 10, tillfallen[2].pk: None}
    visade = [a for a in hantering.values() if a is not None] + _inlamnade(forbund)
    assert not harledbart(visade, 3)


def test_indikatorernas_ingress_och_resultatens_inlamnade(forbund, nns):
    # The Indikatorer intro counts only the groups shown (20); the results page must not show
    # the year's 23 beside it.
    _inlamnat(nns, dt.date(2024, 3, 1), PAGAENDE, 20)
    _inlamnat(nns, dt.date(2024, 3, 3), STYRELSE, 3)
    rapport = indikatorrapport(forbund=forbund, ar=2024)
    assert rapport.antal_svar == 20
    visade = [rapport.antal_svar, *_inlamnade(forbund), *_inlamnade(forbund, enkat_id=nns.pk)]
    assert not harledbart(visade, 3)


def _bilaga(forbund, ar: int) -> list[int]:
    return [e.antal_svar for e in arsrapport(forbund=forbund, ar=ar).enkater if not e.for_fa]


def _mal(forbund, ar: int) -> list[int]:
    resultat = malfraga_resultat(forbund=forbund, ar=ar)
    stapel = resultat.stapel if resultat else None
    return [stapel.n] if isinstance(stapel, Stapel) else []


def test_malsidan_och_bilagan_ger_inte_en_liten_version(forbund, utb):
    # The goal question in two versions: the goal's total of both minus the bilaga's second
    # version would give the first one's 3.
    forsta = fraga(utb, "Motsvarade det förväntningarna?", grupp=KURS, malfraga=True)
    andra = fraga(utb, "Motsvarade kursen förväntningarna?", grupp=KURS, malfraga=True)
    svara(tillfalle(utb, dt.date(2025, 3, 1), grupp=KURS), forsta, (0, 0, 0, 3, 0, 0))
    svara(tillfalle(utb, dt.date(2025, 4, 1), grupp=KURS), andra, (0, 0, 0, 6, 4, 0))
    visade = _mal(forbund, 2025) + _bilaga(forbund, 2025) + _staplar(forbund)
    assert 10 in visade
    assert not harledbart(visade, 3)


def test_malsidan_och_resultaten_ger_inte_en_liten_grupp(forbund, utb):
    # 6 course participants and 4 staff: the goal's 10 minus the results page's 6.
    kurs = fraga(utb, "Motsvarade det förväntningarna?", grupp=KURS, malfraga=True)
    personal = fraga(utb, "Motsvarade det förväntningarna?", grupp=PERSONAL, malfraga=True)
    svara(tillfalle(utb, dt.date(2025, 3, 1), grupp=KURS), kurs, (0, 0, 0, 6, 0, 0))
    svara(tillfalle(utb, dt.date(2025, 4, 1), grupp=PERSONAL), personal, (4, 0, 0, 0, 0, 0))
    visade = _mal(forbund, 2025) + _bilaga(forbund, 2025) + _staplar(forbund)
    assert 6 in visade
    assert not harledbart(visade, 4)


def test_bilagan_och_resultaten_ger_inte_en_liten_grupp(forbund, utb):
    # A question to everyone, answered by 20 course participants and 3 staff: the bilaga's
    # question over both groups minus the results page's participants would give the staff.
    alla = fraga(utb, "Var lokalen bra?", grupp="", indikator=None)
    svara(tillfalle(utb, dt.date(2024, 3, 1), grupp=KURS), alla, (0, 0, 0, 10, 10, 0))
    svara(tillfalle(utb, dt.date(2024, 3, 2), grupp=PERSONAL), alla, (0, 0, 0, 3, 0, 0))
    visade = _bilaga(forbund, 2024) + _staplar(forbund)
    assert 20 in visade
    assert not harledbart(visade, 3)


def test_kalenderar_och_insamlingsar_ger_inte_ett_litet_tillfalle(forbund, utb):
    # 10 on 1 October 2024, 3 on 15 November 2024 and 12 on 1 March 2025. Counted by collection
    # year somewhere and by calendar year elsewhere, 2024 would be 13 (calendar) and 10
    # (collection): 3 by subtraction. A training survey's year is the calendar year everywhere.
    mal = fraga(utb, "Motsvarade det förväntningarna?", grupp=KURS, malfraga=True)
    for datum, antal in ((dt.date(2024, 10, 1), 10), (dt.date(2024, 11, 15), 3)):
        svara(tillfalle(utb, datum, grupp=KURS), mal, (0, 0, 0, antal, 0, 0))
    svara(tillfalle(utb, dt.date(2025, 3, 1), grupp=KURS), mal, (0, 0, 0, 12, 0, 0))
    visade = _mal(forbund, 2024) + _bilaga(forbund, 2024) + _staplar(forbund)
    assert not harledbart(visade, 3)
