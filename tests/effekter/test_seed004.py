"""Seed 004 to the krona, through the selector (issue 13, point 2): the three förbund's 2024
from monthly reports with avslutade per avslutsanledning (`tests/effekter/seed004.py`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from effekter.selectors import resultat
from tests.effekter import seed004

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


@pytest.fixture
def seed() -> dict:
    return seed004.skapa_alla()


@pytest.mark.parametrize(
    ("kortnamn", "antal", "belopp", "i_tkr", "bidrag_tkr"),
    [
        ("SÖV", 18, 3_499_200, "3 499", "11 148"),
        ("FIN", 4, 777_600, "778", "5 058"),
        ("HÖG", 44, 8_553_600, "8 554", "8 036"),
    ],
)
def test_forbundens_effekt_2024(seed, kortnamn, antal, belopp, i_tkr, bidrag_tkr):
    ar = resultat(forbund=seed[kortnamn], ar=2024).forbundet

    assert ar.till_arbete_studier == antal
    assert ar.effekt.belopp == belopp
    assert ar.effekt.tkr == i_tkr.replace(" ", NBSP)
    assert ar.bidrag_tkr == bidrag_tkr.replace(" ", NBSP)
    assert ar.ej_godkanda == 0


def test_effekt_per_bidragskrona(seed):
    ar = resultat(forbund=seed["SÖV"], ar=2024).forbundet

    assert ar.per_bidragskrona == Decimal("0.31")  # 3 499 200 / 11 148 000 = 0,3139
    assert ar.per_bidragskrona_text == (
        f"3{NBSP}499{NBSP}200 kr ÷ 11{NBSP}148{NBSP}000 kr = 0,31 kr per bidragskrona"
    )


def test_hoglandets_insatser(seed):
    r = resultat(forbund=seed["HÖG"], ar=2024)
    it, se = r.insatser  # in the reports' order: alphabetical
    assert (it.namn, se.namn) == ("IT-spåret", "SE-Höglandet")

    assert (se.avslutade, se.till_arbete_studier, se.andel) == (74, 42, 57)
    assert se.effekt.belopp == 8_164_800
    assert se.effekt.berakning == f"42 × 194{NBSP}400 kr = 8{NBSP}164{NBSP}800 kr"
    assert se.utfall_text == f"42 av 74 avslutade till arbete/studier (57{NBSP}%)"
    assert (se.mal_procent, se.status) == (35, "Når målet")
    assert (it.avslutade, it.till_arbete_studier) == (4, 2)
    assert it.effekt.belopp == 388_800
    assert it.effekt.berakning == f"2 × 194{NBSP}400 kr = 388{NBSP}800 kr"
    assert it.status == "Inget mål"


def test_sodra_vatterbygdens_kategorier_som_seedens_tabell(seed):
    r = resultat(forbund=seed["SÖV"], ar=2024)

    summor = {k.namn: k.antal for k in r.kategorisummor}
    # Seed 004: Arbete 11, Studier 7, Arb.rehab 21, Sjukdom 28, Annat 12.
    assert summor == {
        "Arbete": 11,
        "Studier": 7,
        "Arbetslivsinriktad rehabilitering": 21,
        "Åter till huvudman": 0,
        "Sjukdom": 28,
        "Annat skäl": 12,
    }
    assert r.ej_angiven == 0
    fia = next(i for i in r.insatser if i.namn == "FIA")
    assert (fia.andel, fia.mal_procent, fia.status) == (50, 30, "Når målet")


def test_egna_nyckeltal_och_standardvardena(seed):
    egna = resultat(forbund=seed["SÖV"], ar=2024).nyckeltal
    standard = resultat(forbund=seed["FIN"], ar=2024).nyckeltal

    assert egna.egna and not standard.egna
    assert (egna.kostnad_per_manad, egna.skatt_per_manad) == (10_500, 5_700)
    assert (standard.kostnad_per_manad, standard.skatt_per_manad) == (10_500, 5_700)
    assert egna.beskrivning == "förbundets nyckeltal för 2024"
    assert standard.beskrivning.startswith("standardvärdena")
    assert egna.kalla_datum is not None and standard.kalla_datum is None
