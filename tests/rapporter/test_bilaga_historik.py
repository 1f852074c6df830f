"""History without invented detail (issue 14, point 2): a bilaga whose year has no monthly
reports says so at the top and takes its figures from the yearly totals, saying which they are;
charts over years name the years they show ("2024", not "2024–2024"); a förbund without
Bakgrund or Metod text gets a sentence asking for it, not an empty heading. On the report page
and in the PDF."""

from __future__ import annotations

import html as htmllib
import io
import re

import pytest
from pypdf import PdfReader

from rapporter import diagram as d
from rapporter import pdf
from rapporter.arsdata import arsdata
from rapporter.selectors import arspann, arsrapport
from registrering.ledger import Kon
from registrering.models import Arstotal, Forbund
from tests import factories as f

pytestmark = pytest.mark.django_db

INGA_MANADER = (
    "För 2024 finns inga månadsrapporter. Siffrorna nedan kommer från årstotaler (källa: SUS)."
)
INGA_UPPGIFTER = "För 2024 finns inga uppgifter: varken månadsrapporter eller årstotaler."
UTAN_BAKGRUND = "Förbundet har inte skrivit någon bakgrund än."
UTAN_METOD = "Förbundet har inte beskrivit någon metod än."


def _luft(text: str) -> str:
    """Tags out, and every run of spaces (ordinary, no-break, narrow) as one space."""
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"[\s\u00a0\u202f]+", " ", htmllib.unescape(text)).strip()


def _sidan(client, user, ar: int = 2024) -> str:
    client.force_login(user)
    response = client.get(f"/rapporter/{ar}/")
    assert response.status_code == 200
    sida = response.content.decode()
    return _luft(sida[sida.index('<article class="bilaga">') : sida.index("</article>")])


def _pdftext(forbund: Forbund, ar: int = 2024) -> str:
    innehall = pdf._bygg(arsrapport(forbund=forbund, ar=ar))
    return _luft(" ".join(s.extract_text() for s in PdfReader(io.BytesIO(innehall)).pages))


def _arstotal(insats, ar, **falt):
    return Arstotal.objects.create(insats=insats, ar=ar, kalla="SUS", **falt)


@pytest.fixture
def bara_arstotaler(forbund, insats) -> Forbund:
    """2024 imported as yearly totals only: Försteg Testby 10 + 8 deltagare of whom 4 + 3 new
    and 6 + 5 avslutade; the volyminsats SIP 40 deltagare. Not a single monthly report."""
    _arstotal(
        insats,
        2024,
        deltagare_kvinnor=10,
        deltagare_man=8,
        nya_kvinnor=4,
        nya_man=3,
        avslutade_kvinnor=6,
        avslutade_man=5,
    )
    sip = f.VolyminsatsFactory(forbund=forbund, namn="SIP")
    _arstotal(sip, 2024, volym=40)
    return forbund


# --- The year's figures ---------------------------------------------------------------------


def test_arets_siffror_kommer_fran_arstotalen_utan_manadsrapporter(bara_arstotaler, insats):
    data = arsdata(forbund=bara_arstotaler, ar=2024)
    (flode,) = data.insatser
    assert flode.deltagare_totalt == Kon(10, 8)
    assert flode.nya == Kon(4, 3)
    assert flode.avslutade == Kon(6, 5)
    assert flode.pagaende == Kon(4, 3)
    assert flode.kalla == "SUS"
    assert [(v.namn, v.volym, v.kalla) for v in data.volym] == [("SIP", 40, "SUS")]
    assert data.manadsrapporter is False
    assert data.arstotal_insatser == ("Försteg Testby",)
    assert data.arstotal_kallor == "SUS"


def test_manadsrapporter_gar_fore_arstotalen_samma_ar(forbund, insats):
    _arstotal(insats, 2024, deltagare_kvinnor=10, nya_kvinnor=10)
    f.ManadsrapportFactory(insats=insats, ar=2024, manad=3, nya_kvinnor=2, nya_man=1)
    data = arsdata(forbund=forbund, ar=2024)
    (flode,) = data.insatser
    assert flode.nya == Kon(2, 1)
    assert flode.kalla == ""
    assert data.manadsrapporter is True
    assert data.arstotal_insatser == ()


# --- The notice at the top, and the notes under the tables ----------------------------------


def test_sidan_sager_att_siffrorna_ar_arstotaler(client, bara_arstotaler, verksamhetsutvecklare):
    sida = _sidan(client, verksamhetsutvecklare)
    assert INGA_MANADER in sida
    assert sida.index(INGA_MANADER) < sida.index("Innehållsförteckning")
    assert "Försteg Testby 18 st 7 st 11 st 7 st" in sida
    assert "Årstotal från SUS, inte månadsrapporter, för 2024: Försteg Testby." in sida
    assert "Årstotal från SUS, inte månadsrapporter, för 2024: SIP." in sida
    assert "Värdena för 2024 bygger helt eller delvis på årstotaler från SUS" in sida
    assert INGA_UPPGIFTER not in sida


def test_pdf_en_sager_att_siffrorna_ar_arstotaler(bara_arstotaler):
    text = _pdftext(bara_arstotaler)
    assert INGA_MANADER in text
    assert "Årstotal från SUS, inte månadsrapporter, för 2024: Försteg Testby." in text
    assert "Värdena för 2024 bygger helt eller delvis på årstotaler från SUS" in text
    assert "2024–2024" not in text


def test_ett_ar_utan_nagra_uppgifter_sager_det(client, forbund, insats, verksamhetsutvecklare):
    sida = _sidan(client, verksamhetsutvecklare)
    assert INGA_UPPGIFTER in sida
    assert INGA_MANADER not in sida
    assert "Årstotal från" not in sida
    assert "Det finns inga uppgifter om deltagare att visa över tid." in sida
    assert INGA_UPPGIFTER in _pdftext(forbund)


def test_ett_ar_med_manadsrapporter_har_ingen_notis(client, forbund, insats, verksamhetsutvecklare):
    f.ManadsrapportFactory(insats=insats, ar=2024, manad=1, nya_kvinnor=1)
    sida = _sidan(client, verksamhetsutvecklare)
    assert "För 2024 finns inga" not in sida
    assert "årstotal" not in sida.lower()


# --- Charts over years ------------------------------------------------------------------------


def test_arspann():
    assert arspann([2024]) == "2024"
    assert arspann([2020, 2021, 2022, 2023, 2024, 2025]) == "2020–2025"
    assert arspann([2021, 2023, 2024]) == "2021 och 2023–2024"
    assert arspann([2020, 2022, 2024]) == "2020, 2022 och 2024"


def test_ett_enda_ar_heter_aret_inte_ett_spann(bara_arstotaler):
    (forsta, *_rest) = d.diagram_for(arsrapport(forbund=bara_arstotaler, ar=2024))
    assert forsta.rubrik == (
        "Deltagarutveckling i individinriktade insatser för STB under 2024 uppdelat på kön "
        "samt totalt."
    )


def test_ar_utan_uppgifter_visas_inte_och_bildtexten_namner_de_visade(forbund, insats):
    _arstotal(insats, 2021, deltagare_kvinnor=5, deltagare_man=3, avslutade_kvinnor=5)
    f.ManadsrapportFactory(insats=insats, ar=2023, manad=2, nya_kvinnor=2)
    f.ManadsrapportFactory(insats=insats, ar=2024, manad=2, nya_man=1)
    rapport = arsrapport(forbund=forbund, ar=2024)
    assert rapport.over_tid.ar == (2021, 2023, 2024)  # 2020 and 2022 have nothing
    assert rapport.over_tid.arstotal_ar == (2021,)
    assert [s.varden for s in rapport.over_tid.serier] == [(5, 2, 2), (3, 3, 4), (8, 5, 6)]
    (forsta, *_rest) = d.diagram_for(rapport)
    assert "under åren 2021 och 2023–2024 uppdelat" in forsta.rubrik
    html = _luft(pdf.html(rapport, pdf=False))
    assert "Värdena för 2021 bygger helt eller delvis på årstotaler från SUS" in html


# --- Bakgrund and Metod -----------------------------------------------------------------------


def test_utan_bakgrund_och_metod_en_mening_i_stallet_for_en_tom_rubrik(
    client, bara_arstotaler, verksamhetsutvecklare
):
    assert (bara_arstotaler.bakgrund_text, bara_arstotaler.metod_text) == ("", "")
    sida = _sidan(client, verksamhetsutvecklare)
    assert f"1 Bakgrund {UTAN_BAKGRUND}" in sida
    assert f"2 Metod {UTAN_METOD}" in sida
    text = _pdftext(bara_arstotaler)
    assert UTAN_BAKGRUND in text
    assert UTAN_METOD in text


def test_med_bakgrund_och_metod_ingen_platshallare(client, forbund, verksamhetsutvecklare):
    forbund.bakgrund_text = "Förbundet bildades 2010."
    forbund.metod_text = "Vi följer upp varje månad."
    forbund.save()
    sida = _sidan(client, verksamhetsutvecklare)
    assert "1 Bakgrund Förbundet bildades 2010. 2 Metod Vi följer upp varje månad." in sida
    assert UTAN_BAKGRUND not in sida
    assert UTAN_METOD not in sida


# --- Yearly totals without the gender split ---------------------------------------------------

SAKNAS = "– uppgift saknas – uppgift saknas"


@pytest.fixture
def utan_kon(forbund, insats) -> Forbund:
    """2024 as yearly totals: Försteg Testby only as totals (18 deltagare, 7 nya, 11 avslutade:
    its old system had no gender split), Försteg Grannby with it (5 K + 3 M, nya 2 + 1,
    avslutade 1 + 1)."""
    _arstotal(insats, 2024, deltagare=18, nya=7, avslutade=11)
    grannby = f.InsatsFactory(forbund=forbund, namn="Försteg Grannby")
    _arstotal(
        grannby,
        2024,
        deltagare_kvinnor=5,
        deltagare_man=3,
        nya_kvinnor=2,
        nya_man=1,
        avslutade_kvinnor=1,
        avslutade_man=1,
    )
    return forbund


def test_en_total_utan_kon_raknas_i_totalt_men_inte_i_kvinnor_och_man(utan_kon):
    data = arsdata(forbund=utan_kon, ar=2024)
    grannby, testby = data.insatser
    assert testby.namn == "Försteg Testby"
    # Computed by hand: ingående 18 − 7 = 11, pågående 11 + 7 − 11 = 7.
    assert testby.deltagare_totalt == Kon(utan_kon=18)
    assert testby.ingaende == Kon(utan_kon=11)
    assert testby.pagaende == Kon(utan_kon=7)
    assert grannby.deltagare_totalt == Kon(5, 3)
    assert data.deltagare_totalt.totalt == 26 and not data.deltagare_totalt.uppdelad
    assert (data.paborjade.totalt, data.avslutade.totalt, data.pagaende.totalt) == (10, 13, 13)
    assert data.utan_kon_insatser == ("Försteg Testby",)


def test_sidan_visar_totalen_och_uppgift_saknas_for_kvinnor_och_man(
    client, utan_kon, verksamhetsutvecklare
):
    sida = _sidan(client, verksamhetsutvecklare)
    assert f"Deltagare totalt 2024 26 {SAKNAS}" in sida
    assert f"Deltagare påbörjade 2024 10 {SAKNAS}" in sida
    assert f"Deltagare avslutade 2024 13 {SAKNAS}" in sida
    assert f"Deltagare pågående (31/12-2024) 13 {SAKNAS}" in sida
    assert "Försteg Testby 18 st 7 st 11 st 7 st" in sida
    assert (
        "Uppdelning på kön saknas för Försteg Testby: de ingår i totalt men inte i kvinnor och "
        "män, som därför anges med –."
    ) in sida
    assert "Uppdelning på kön saknas för Försteg Testby (2024 finns bara som årstotal" in sida
    assert "För 2024 saknas uppdelningen på kön i en årstotal" in sida


def test_med_uppdelning_ingen_not_om_kon(client, bara_arstotaler, verksamhetsutvecklare):
    sida = _sidan(client, verksamhetsutvecklare)
    assert "Deltagare totalt 2024 18 10 8" in sida
    assert "saknas uppdelningen på kön" not in sida
    assert "Uppdelning på kön saknas" not in sida


def test_diagrammen_delar_inte_upp_en_total_utan_kon(utan_kon):
    rapport = arsrapport(forbund=utan_kon, ar=2024)
    assert rapport.over_tid.utan_kon_ar == (2024,)
    assert [(s.namn, s.varden) for s in rapport.over_tid.serier] == [
        ("Kvinnor", (None,)),
        ("Män", (None,)),
        ("Totalt", (26,)),
    ]
    tid, deltagare, nya, avslutade = d.diagram_for(rapport)
    assert tid.tabell.rader == (("2024", "–", "–", "26"),)
    assert "Kvinnor: 2024 uppgift saknas" in tid.alt
    assert deltagare.serier == (
        ("Kvinnor", (5, None)),
        ("Män", (3, None)),
        ("Totalt, kön saknas", (None, 18)),
    )
    assert deltagare.tabell.rader == (
        ("Försteg Grannby", "5", "3", "8"),
        ("Försteg Testby", "–", "–", "18"),
    )
    assert "Försteg Testby: 18 totalt, kvinnor och män uppgift saknas" in deltagare.alt
    assert nya.serier[2] == ("Totalt, kön saknas", (None, 7))
    assert avslutade.serier[2] == ("Totalt, kön saknas", (None, 11))
    for diagram in (tid, deltagare):  # drawn without a bar of 0 for the unknown halves
        assert d.rendera(diagram, "svg").startswith(b"<?xml")


def test_pdf_en_sager_vilka_som_saknar_kon(utan_kon):
    text = _pdftext(utan_kon)
    assert "Uppdelning på kön saknas för Försteg Testby" in text
    assert "För 2024 saknas uppdelningen på kön i en årstotal" in text
