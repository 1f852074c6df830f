"""The joint report counts a year brought in before the product (`Arstotal`, issue 14 point 2)
for an insats without monthly reports that year, as the bilaga does, and names it: seed 004's
group with a Finnveden insats whose 2024 is a yearly total with the gender split and a
Höglandet insats whose yearly total has none."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrering.demodata import samverkan as demo
from registrering.ledger import Kon
from samverkan import pdf
from samverkan.selectors import samverkansrapport
from tests import factories

pytestmark = pytest.mark.django_db
AR = 2024


@pytest.fixture
def grupp():
    return demo.ladda_grupp()


def _arstotaler(grupp):
    fin, hog = grupp.forbund.get(kortnamn="FIN"), grupp.forbund.get(kortnamn="HÖG")
    factories.ArstotalFactory(
        insats=factories.InsatsFactory(forbund=fin, namn="Gamla spåret"),
        ar=AR,
        deltagare_kvinnor=30,
        deltagare_man=20,
        nya_kvinnor=10,
        nya_man=5,
        avslutade_kvinnor=4,
        avslutade_man=6,
        kalla="SUS",
    )
    factories.ArstotalFactory(
        insats=factories.InsatsFactory(forbund=hog, namn="Äldre spåret"),
        ar=AR,
        deltagare=12,
        nya=7,
        avslutade=3,
        kalla="SUS",
    )


def _rad(r, kortnamn):
    return next(f for f in r.forbund if f.kortnamn == kortnamn)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").split())


def test_arstotalen_raknas_hos_sitt_forbund_och_i_totalen(grupp):
    fore = samverkansrapport(grupp=grupp, ar=AR)
    _arstotaler(grupp)
    r = samverkansrapport(grupp=grupp, ar=AR)

    fin, hog, sov = (_rad(r, k) for k in ("FIN", "HÖG", "SÖV"))
    assert fin.deltagare == _rad(fore, "FIN").deltagare + Kon(30, 20)
    assert fin.nya == _rad(fore, "FIN").nya + Kon(10, 5)
    assert fin.avslutade == _rad(fore, "FIN").avslutade + Kon(4, 6)
    assert hog.deltagare == _rad(fore, "HÖG").deltagare + Kon(utan_kon=12)
    assert hog.nya == _rad(fore, "HÖG").nya + Kon(utan_kon=7)
    assert not hog.deltagare.uppdelad and fin.deltagare.uppdelad
    assert sov == _rad(fore, "SÖV")
    assert r.deltagare == fore.deltagare + Kon(30, 20, 12)
    assert r.avslutade.totalt == fore.avslutade.totalt + 4 + 6 + 3
    # No avslutsanledning in a yearly total: nothing more to arbete/studier.
    assert r.till_arbete_studier == fore.till_arbete_studier
    assert r.individ_totalt.deltagare == fore.individ_totalt.deltagare + Kon(30, 20, 12)
    assert r.arstotal_namn == (
        "Gamla spåret (Finnvedens samordningsförbund)",
        "Äldre spåret (Höglandets samordningsförbund)",
    )
    assert r.utan_kon == ("Äldre spåret (Höglandets samordningsförbund)",)


def test_ett_ar_med_manader_tar_inte_arstotalen(grupp):
    fore = samverkansrapport(grupp=grupp, ar=AR)
    se = grupp.forbund.get(kortnamn="HÖG").insatser.get(namn="SE-Höglandet")
    factories.ArstotalFactory(insats=se, ar=AR, deltagare_kvinnor=500, deltagare_man=500)
    r = samverkansrapport(grupp=grupp, ar=AR)
    assert r.deltagare == fore.deltagare and r.arstotaler == ()


def test_sidan_och_pdfen_namner_arstotalerna(grupp):
    _arstotaler(grupp)
    r = samverkansrapport(grupp=grupp, ar=AR)
    text = _text(pdf.html(r))  # the page and the PDF share samverkan/_rapport.html
    assert (
        "Årstotal från SUS, inte månadsrapporter, för 2024: Gamla spåret (Finnvedens "
        "samordningsförbund), Äldre spåret (Höglandets samordningsförbund)." in text
    )
    assert (
        "Uppdelning på kön saknas för Äldre spåret (Höglandets samordningsförbund): de ingår i "
        "totalt men inte i kvinnor och män" in text
    )
    fin, hog, sov = (_rad(r, k) for k in ("FIN", "HÖG", "SÖV"))
    assert (
        f"Deltagare, kvinnor {fin.deltagare.kvinnor} – uppgift saknas {sov.deltagare.kvinnor} "
        "– uppgift saknas" in text
    )
    assert f"Deltagare totalt {fin.deltagare.totalt} {hog.deltagare.totalt}" in text


def test_utan_arstotaler_ingen_not(grupp):
    text = _text(pdf.html(samverkansrapport(grupp=grupp, ar=AR)))
    assert "Årstotal" not in text and "uppgift saknas" not in text


def test_konstant_antal_fragor_med_arstotaler(grupp, django_assert_num_queries):
    with CaptureQueriesContext(connection) as utan:
        samverkansrapport(grupp=grupp, ar=AR)
    _arstotaler(grupp)
    # Cold both times: last year's closing balances kept by data version would save queries.
    cache.clear()
    with django_assert_num_queries(len(utan.captured_queries)):
        samverkansrapport(grupp=grupp, ar=AR)
