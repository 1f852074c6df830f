"""The goal page's summary in words (`rapporter.mal_sammanfattning`): the same statuses as the
tables under it, the survey goal and the economy in one line each, and why the volumes and
the costs run to different months."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import transaction

from rapporter.mal import NAR_INTE, NAR_MALET, RISK, Arsforlopp, Enkatmal, Malsida, Volymmal
from rapporter.mal_ekonomi import Ekonomi, Kostnadsrad
from rapporter.mal_sammanfattning import sammanfatta
from registrering import demodata
from registrering.models import User, Verksamhetsplan

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)


def _norm(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def volymmal(namn: str, mal: int, prognos: int, ej_godkanda: int = 0) -> Volymmal:
    return Volymmal(1, namn, "deltagare", mal, prognos, prognos, "linjär", ej_godkanda)


def ekonomi(**andrat) -> Ekonomi:
    varden = {
        "tilldelning": Decimal(1_000_000),
        "medlemmar": (),
        "befolkningsar": None,
        "befolkning_totalt": 0,
        "poster": (Kostnadsrad("Kansli", "", Decimal(1_000_000), Decimal(450_000)),),
        "utfall_till_manad": 6,
        "kapitaltak_procent": 15,
        "kapitaltak_bas": Verksamhetsplan.KapitaltakBas.ARETS,
        "kapitaltak_underlag": ((2026, Decimal(1_000_000)),),
        "eget_kapital_ingaende": Decimal(100_000),
        "plan_ar": 2026,
    }
    return Ekonomi(**(varden | andrat))


def sida(**andrat) -> Malsida:
    varden = {
        "forbund_namn": "Samordningsförbundet Testbygden",
        "kortnamn": "STB",
        "ar": 2026,
        "till_manad": 10,
        "volymmal": (),
        "enkatmal": None,
        "forlopp": Arsforlopp(2026),
        "forlopp_foregaende": Arsforlopp(2025),
        "grupper": (),
        "ekonomi": None,
    }
    return Malsida(**(varden | andrat))


def texter(s: Malsida) -> list[str]:
    return [f"{p.rubrik}: {_norm(p.text)} {p.status}".strip() for p in sammanfatta(s).punkter]


# --- The sentences ------------------------------------------------------------------------


def test_volymmalen_raknas_med_sidans_statusord():
    mal = (
        volymmal("Försteg Ett", 10, 12),
        volymmal("Försteg Två", 10, 10),
        volymmal("Försteg Tre", 10, 9),  # within 10 %: Risk
        volymmal("Försteg Fyra", 100, 50),
        volymmal("SIP", 20, 2),
    )
    assert [v.status for v in mal] == [NAR_MALET, NAR_MALET, RISK, NAR_INTE, NAR_INTE]
    assert texter(sida(volymmal=mal))[0] == (
        "Volymmål, t.o.m. oktober: 2 av 5 volymmål nås. Risk: Försteg Tre. "
        "Når inte målet: Försteg Fyra och SIP."
    )
    alla = (volymmal("A", 1, 1), volymmal("B", 1, 2))
    assert texter(sida(volymmal=alla))[0] == (
        "Volymmål, t.o.m. oktober: 2 av 2 volymmål nås. Når målet"
    )


def test_volymmal_utan_budget_eller_utan_manader():
    assert texter(sida())[0] == "Volymmål, t.o.m. oktober: Inga budgeterade volymer finns för 2026."
    utan = sida(till_manad=0, volymmal=(volymmal("A", 10, 0),))
    assert texter(utan)[0] == (
        "Volymmål: Inga månader är rapporterade för 2026 än, så volymmålen kan inte bedömas."
    )


def test_enkatmalet():
    enkat = Enkatmal("Motsvarade insatsen dina förväntningar?", ("Ja",), 45, 60, 75)
    assert texter(sida(enkatmal=enkat))[1] == (
        "Enkätmålet: 75 % av 60 svar var positiva på frågan ”Motsvarade insatsen dina "
        "förväntningar?”; målet är minst 75 %. Når målet"
    )
    under = dataclasses.replace(enkat, positiva=44)
    assert texter(sida(enkatmal=under))[1].endswith("målet är minst 75 %. Når inte målet")
    utan = dataclasses.replace(enkat, positiva=0, antal_svar=0)
    assert texter(sida(enkatmal=utan))[1] == (
        "Enkätmålet: Inga enkätsvar för 2026 än (målet är minst 75 %). Inga svar än"
    )
    assert (
        texter(sida())[1] == "Enkätmålet: Ingen enkätfråga är markerad för uppföljning mot målet."
    )


def test_ekonomin_pa_en_rad():
    # 450 000 kr in six months: 900 000 kr for the year, 100 000 under the budget.
    assert texter(sida(ekonomi=ekonomi()))[2] == (
        "Ekonomi, utfall t.o.m. juni: Kostnaderna väntas bli 900 000 kr för helåret, "
        "100 000 kr under budget (1 000 000 kr); resultatet blir +100 000 kr. Eget kapital "
        "31/12 väntas bli 200 000 kr, över taket på 150 000 kr. Över taket"
    )
    dyr = ekonomi(poster=(Kostnadsrad("Kansli", "", Decimal(1_000_000), Decimal(600_000)),))
    assert texter(sida(ekonomi=dyr))[2].startswith(
        "Ekonomi, utfall t.o.m. juni: Kostnaderna väntas bli 1 200 000 kr för helåret, "
        "200 000 kr över budget (1 000 000 kr); resultatet blir −200 000 kr. Eget kapital "
        "31/12 väntas bli −100 000 kr, under taket"
    )
    inget_utfall = ekonomi(
        utfall_till_manad=0,
        poster=(Kostnadsrad("Kansli", "", Decimal(900_000), Decimal(0)),),
        eget_kapital_ingaende=None,
    )
    assert texter(sida(ekonomi=inget_utfall))[2] == (
        "Ekonomi: Inget utfall är bokfört än: med budgetens kostnader (900 000 kr) blir "
        "resultatet +100 000 kr. Eget kapital vid årets början är inte registrerat."
    )
    assert texter(sida(ekonomi=ekonomi(poster=())))[2] == (
        "Ekonomi: Ingen budget är registrerad för 2026, så resultat och eget kapital kan inte "
        "bedömas."
    )
    assert texter(sida())[2] == (
        "Ekonomi: Ingen verksamhetsplan med tilldelning är registrerad för 2026."
    )


def test_perioderna_forklaras():
    s = sida(volymmal=(volymmal("A", 10, 5, ej_godkanda=2),), ekonomi=ekonomi(utfall_till_manad=9))
    z = sammanfatta(s)
    assert z.volymperiod == (
        "Deltagare och volymer t.o.m. oktober 2026: den senaste månad som någon insats har "
        "rapporterat. Varje insats räknas till och med sin egen senaste rapporterade månad, "
        "också månader som inte är godkända än (i volymmålen 2 månadsrapporter, markerade "
        "”ej godkänd”)."
    )
    assert z.kostnadsperiod.startswith(
        "Kostnader t.o.m. september 2026: den senaste månad med bokfört utfall. Utfallet förs "
        "in från bokföringen i efterhand, per månad eller per kvartal (ett kvartal räknas till "
        "sin sista månad)"
    )
    assert sammanfatta(sida(till_manad=0)).volymperiod == ""
    assert sammanfatta(sida()).kostnadsperiod == ""


# --- On the page, with the demo data --------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demodata.ladda(idag=IDAG)
        transaction.set_rollback(True)


def test_malsidan_borjar_med_sammanfattningen(client, demo, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)
    client.force_login(User.objects.get(username="styrelse"))
    html = client.get("/mal/2026/").content.decode()

    start = html.index('<section class="kort malsammanfattning"')
    # The summary comes before the first table of the page.
    assert start < html.index("<table")
    ruta = _norm(html[start : html.index("</section>", start)])
    # The demo's statuses (tests/rapporter/test_mal.py checks the table): 4 reach the goal.
    assert "Volymmål, t.o.m. oktober: 4 av 8 volymmål nås. Risk: Försteg Boxholm, Försteg " in ruta
    assert "Når inte målet: Försteg Vadstena." in ruta
    assert "Enkätmålet: 73 % av 45 svar var positiva" in ruta
    assert "Ekonomi, utfall t.o.m. september: Kostnaderna väntas bli" in ruta
    assert "under taket på 1 289 850 kr. Under taket" in ruta
    # The periods are explained where they stand.
    i = html.index('<p class="ingress">')
    ingress = _norm(html[i : html.index("</p>", i)])
    assert "Deltagare och volymer t.o.m. oktober 2026: den senaste månad som någon insats" in (
        ingress
    )
    kostnader = html.index("Planerade kostnader och utfall t.o.m. september")
    efter = _norm(html[kostnader : html.index("</section>", kostnader)])
    assert "Kostnader t.o.m. september 2026: den senaste månad med bokfört utfall." in efter
    # Each status word in the summary counts the rows of the volume table.
    start = html.index('id="volymmal"')
    tabell = html[start : html.index("</table>", start)]
    assert tabell.count(f">{NAR_MALET}</strong>") == 4
