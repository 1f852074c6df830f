"""The goal page (/mal/<år>/) shows the outcome goals per insats and the socio-economic effect
per year, from `effekter.selectors`, and links to the page "Resultat och effekter"."""

from __future__ import annotations

import re
from html import unescape

import pytest

from effekter.selectors import resultat
from rapporter.mal import malsida
from registrering.models import Insats, Manadsrapport
from registrering.permissions import Roll
from tests import factories as f
from tests.effekter import seed004

pytestmark = pytest.mark.django_db


def avsnitt(html: str) -> str:
    match = re.search(r'<section aria-labelledby="utfallsmal">(.*?)</section>', html, re.S)
    assert match
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", match.group(1)))).strip()


@pytest.fixture
def hoglandet(db):
    return seed004.skapa_forbund(seed004.SEED004[2])


def test_malsidans_selektor_har_utfallsmalen(hoglandet):
    sida = malsida(forbund=hoglandet, ar=2024)

    assert sida.resultat is not None
    (se,) = sida.resultat.med_mal
    assert (se.namn, se.mal_procent, se.andel, se.status) == ("SE-Höglandet", 35, 57, "Når målet")
    assert [(a.ar, a.till_arbete_studier, a.effekt.belopp) for a in sida.resultat.per_ar] == [
        (2024, 44, 8_553_600)
    ]


def test_malsidan_visar_utfallsmal_och_effekt_per_ar(client, hoglandet):
    client.force_login(f.UserFactory(username="styr-hog", forbund=hoglandet, roll=Roll.STYRELSE))
    html = client.get("/mal/2024/").content.decode()
    text = avsnitt(html)

    assert '<h2 id="utfallsmal">Utfallsmål och socioekonomisk effekt</h2>' in html
    assert "SE-Höglandet minst 35 % 42 av 74 avslutade till arbete/studier (57 %) Når målet" in text
    assert "IT-spåret" not in text  # no outcome goal: not a row of the goal table
    assert "2024 44 8 554 8 036 1,06 kr" in text
    assert "aldrig för en enskild person" in text
    assert 'href="/effekter/2024/"' in html


def test_malsidan_utan_utfallsmal(client, forbund, styrelse):
    client.force_login(styrelse)
    text = avsnitt(client.get("/mal/2025/").content.decode())

    assert "Inga utfallsmål är satta för 2025." in text
    assert "Resultat och effekter 2025" in text


def test_malsidans_resultat_ar_selektorns_eget(hoglandet):
    """The goal page hands `resultat` what it has read already (the year's flow insatser, its
    plans and the year's flow summed from its own monthly rows): the outcome is the one
    `resultat` reads for itself, with months not yet approved, a volume insats and a month
    without avslutade among them."""
    flode = list(Insats.objects.filter(forbund=hoglandet).deltagarflode().order_by("pk"))
    Manadsrapport.objects.filter(insats=flode[0], ar=2024, manad__gte=10).update(
        status=Manadsrapport.Status.INSKICKAD
    )
    volym = f.VolyminsatsFactory(forbund=hoglandet, namn="Föreläsningar")
    f.ManadsrapportFactory(insats=volym, ar=2024, manad=3, status="godkand", volym=40)
    f.ManadsrapportFactory(insats=flode[-1], ar=2025, manad=1, status="godkand", nya_kvinnor=2)

    # Read by `resultat` itself first: the earlier years are then kept (`rapporter.arscache`),
    # and the goal page computes the year alone, from what it hands over.
    eget = resultat(forbund=hoglandet, ar=2024)
    sida = malsida(forbund=hoglandet, ar=2024)

    assert sida.resultat == eget
    assert eget.forbundet.ej_godkanda == 3
