"""The page "Resultat och effekter" (/effekter/<år>/) through the test client: who may read it,
what it says (the estimate is a group's, how it is computed, the key figures' source and date,
computation texts), its tables and a constant number of queries."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registrering.models import Avslutsanledning, Utfallsmal
from registrering.permissions import Roll
from tests import factories as f
from tests.effekter import seed004
from tests.effekter.test_selectors import rapport

pytestmark = pytest.mark.django_db

Kategori = Avslutsanledning.Kategori


def text(html: str) -> str:
    """The page's text, tags removed and white space (also non-breaking) as single spaces."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def arens_lankar(html: str) -> str:
    """The page's year links."""
    nav = re.search(r'<nav aria-label="Välj år".*?</nav>', html, re.S)
    assert nav is not None
    return nav[0]


@pytest.fixture
def hoglandet(db):
    return seed004.skapa_forbund(seed004.SEED004[2])


def anvandare(forbund, roll: Roll, namn: str):
    return f.UserFactory(username=namn, forbund=forbund, roll=roll)


@pytest.mark.parametrize(
    ("roll", "status"),
    [
        (Roll.STYRELSE, 200),
        (Roll.VERKSAMHETSUTVECKLARE, 200),
        (Roll.FORBUNDSCHEF, 200),
        # kan_se_rapporter: every role but the insatsansvarig's own view.
        (Roll.INSATSANSVARIG, 403),
    ],
)
def test_vem_far_lasa_sidan(client, hoglandet, roll, status):
    client.force_login(anvandare(hoglandet, roll, f"u-{roll}"))
    assert client.get("/effekter/2024/").status_code == status
    assert client.post("/effekter/2024/").status_code == 405  # read only, for everyone


def test_utan_inloggning_leder_till_inloggningen(client, hoglandet):
    response = client.get("/effekter/2024/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/logga-in/?next=/effekter/2024/",
    )


def test_ett_annat_forbunds_anvandare_ser_bara_sitt_eget(client, hoglandet, utomstaende):
    """Every page of a förbund is the user's own förbund's: the other förbund's figures are
    never reachable (no förbund in the address)."""
    client.force_login(utomstaende)
    response = client.get("/effekter/2024/")

    assert response.status_code == 200
    sida = text(response.content.decode())
    assert "Samordningsförbundet Annanstans" in sida
    assert "Höglandet" not in sida and "SE-Höglandet" not in sida
    assert "8 164 800" not in sida


def test_effekter_leder_till_innevarande_ar(client, hoglandet):
    client.force_login(anvandare(hoglandet, Roll.STYRELSE, "styr"))
    response = client.get("/effekter/")
    assert response["Location"] == f"/effekter/{timezone.localdate().year}/"


def test_sidan_for_styrelsen(client, hoglandet):
    client.force_login(anvandare(hoglandet, Roll.STYRELSE, "styr"))
    html = client.get("/effekter/2024/").content.decode()
    sida = text(html)

    assert "<h1>Resultat och effekter 2024</h1>" in html
    assert "Effekten är en uppskattning för en grupp, aldrig för en enskild person." in sida
    assert "12 × (10 500 kr + 5 700 kr) = 194 400 kr per person och år" in sida
    assert "Standardvärdena (förbundet har inga egna nyckeltal för 2024)" in sida
    assert "Källa: Samordningsförbunden i Jönköpings län, socioekonomisk beräkning 2024" in sida
    assert "42 × 194 400 kr = 8 164 800 kr" in sida
    assert "2 × 194 400 kr = 388 800 kr" in sida
    assert "44 × 194 400 kr = 8 553 600 kr" in sida
    assert "8 553 600 kr (8 554 tkr)" in sida
    assert "8 036 000 kr (8 036 tkr)" in sida
    assert "8 553 600 kr ÷ 8 036 000 kr = 1,06 kr per bidragskrona" in sida
    # Outcome table: SE-Höglandet's row, every category, the goal and the status in words.
    rad = re.search(r"<tr>\s*<th scope=\"row\">SE-Höglandet.*?</tr>", html, re.S)
    assert rad is not None
    # The share, the goal and the status first (in view at a laptop's width), then the categories.
    assert text(rad.group(0)) == "SE-Höglandet 74 42 (57 %) minst 35 % Når målet 30 12 14 0 8 10 0"
    assert "Inget mål" in text(re.search(r"<th scope=\"row\">IT-spåret.*?</tr>", html, re.S)[0])
    # The year links and the tables' captions and header cells.
    assert 'href="/effekter/2023/"' in html
    assert '<span aria-current="page"><strong>2024</strong></span>' in html
    assert 'href="/effekter/2024/"' not in arens_lankar(html)
    assert html.count("<caption") == 3 and html.count('scope="col"') >= 20
    # The other two pages of the section; the matrices are the kansli's.
    assert '<a href="/effekter/2024/nyckeltal/">Nyckeltalen för 2024</a>' in html
    assert '<a href="/effekter/2024/forflyttningar/">Förflyttningsmodellen 2024</a>' in html
    assert "/effekter/2024/forflyttningar/" + "1" not in html and ">Förflyttningar<" not in html


def test_kansliet_nar_varje_insats_matris(client, hoglandet):
    client.force_login(anvandare(hoglandet, Roll.VERKSAMHETSUTVECKLARE, "vu"))
    html = client.get("/effekter/2024/").content.decode()
    for insats in hoglandet.insatser.deltagarflode():
        assert (
            f'<a href="/effekter/2024/forflyttningar/{insats.pk}/">Förflyttningar'
            f'<span class="visuellt-dold"> för {insats.namn} 2024</span></a>'
        ) in html


def test_arets_lankar_gar_inte_forbi_nasta_ar(client, hoglandet):
    """No links to years still to come: this year and, looking back, the one after."""
    client.force_login(anvandare(hoglandet, Roll.STYRELSE, "styr"))
    i_ar = timezone.localdate().year
    ar_nav = arens_lankar(client.get(f"/effekter/{i_ar}/").content.decode())
    assert f"/effekter/{i_ar - 1}/" in ar_nav and f"/effekter/{i_ar + 1}/" not in ar_nav
    ar_nav = arens_lankar(client.get(f"/effekter/{i_ar - 2}/").content.decode())
    assert f"/effekter/{i_ar - 1}/" in ar_nav and f"/effekter/{i_ar}/" not in ar_nav


def test_sidorna_lankar_till_varandra(client, hoglandet):
    """Reached from the report page (not the menu), and each page links back."""
    client.force_login(anvandare(hoglandet, Roll.STYRELSE, "styr"))
    tillbaka = '<a href="/effekter/2024/">← Resultat och effekter 2024</a>'
    rapport_sida = client.get("/rapporter/2024/").content.decode()
    assert '<a class="knapp knapp--sekundar" href="/effekter/2024/">Resultat och' in rapport_sida
    assert tillbaka in client.get("/effekter/2024/nyckeltal/").content.decode()
    assert tillbaka in client.get("/effekter/2024/forflyttningar/").content.decode()
    mal_sida = client.get("/mal/2024/").content.decode()
    assert '<a href="/effekter/2024/">Resultat och effekter 2024</a>' in mal_sida


def test_egna_nyckeltal_med_kalla_och_datum(client):
    forbund = seed004.skapa_forbund(seed004.SEED004[0])
    client.force_login(anvandare(forbund, Roll.FORBUNDSCHEF, "chef-sov"))
    sida = text(client.get("/effekter/2024/").content.decode())

    assert "Förbundets nyckeltal för 2024. Källa: Medlemssamråd" in sida
    assert "Jönköpings län (seed 004) (28/2 2025)." in sida
    assert "18 × 194 400 kr = 3 499 200 kr" in sida
    assert "3 499 200 kr ÷ 11 148 000 kr = 0,31 kr per bidragskrona" in sida


def test_ar_utan_data(client, forbund, styrelse):
    client.force_login(styrelse)
    sida = text(client.get("/effekter/2025/").content.decode())
    assert "Inga individinriktade insatser med deltagarflöde pågick 2025." in sida
    assert "Inga månadsrapporter finns för 2021–2025." in sida
    assert "0 av 0" not in sida and "Effekt per bidragskrona" not in sida


def test_ar_utan_manadsrapporter_visar_inga_nollor(client, hoglandet):
    """Insatser that ran but have no monthly reports yet: the outcome is unknown, not zero."""
    client.force_login(anvandare(hoglandet, Roll.STYRELSE, "styr"))
    html = client.get("/effekter/2023/").content.decode()
    sida = text(html)
    assert "Inga månadsrapporter finns för 2023 än, så det finns inget utfall" in sida
    assert "<caption" not in html and "0 av 0" not in sida and "0 × 194 400 kr" not in sida


def test_ar_utan_verksamhetsplan(client, hoglandet):
    """Monthly reports but no plan: the contribution and the effect per krona say why."""
    hoglandet.verksamhetsplaner.filter(ar=2024).delete()
    client.force_login(anvandare(hoglandet, Roll.STYRELSE, "styr"))
    sida = text(client.get("/effekter/2024/").content.decode())
    assert "Ingen verksamhetsplan med tilldelning är registrerad för 2024." in sida
    assert "Effekt per bidragskrona – (räknas när medlemsbidraget är registrerat)" in sida
    assert "8 553 600 kr (8 554 tkr)" in sida  # the effect itself is still shown


def _insatser(forbund, anledningar, fran: int, till: int) -> None:
    for n in range(fran, till):
        insats = f.InsatsFactory(forbund=forbund, namn=f"Insats {n:02}")
        Utfallsmal.objects.create(insats=insats, ar=2025, procent=30)
        rapport(insats, 2025, 1, anledningar, {Kategori.ARBETE: 1, Kategori.SJUKDOM: 2})


def test_sidan_gor_lika_manga_fragor_for_2_och_6_insatser(client, forbund, styrelse):
    anledningar = {k: f.AvslutsanledningFactory(forbund=forbund, kategori=k) for k in Kategori}
    client.force_login(styrelse)
    _insatser(forbund, anledningar, 0, 2)
    client.get("/effekter/2025/")
    with CaptureQueriesContext(connection) as tva:
        assert client.get("/effekter/2025/").status_code == 200

    _insatser(forbund, anledningar, 2, 6)
    with CaptureQueriesContext(connection) as sex:
        response = client.get("/effekter/2025/")

    assert text(response.content.decode()).count("1 × 194 400 kr = 194 400 kr") == 6
    assert len(sex) == len(tva), [q["sql"] for q in sex.captured_queries]
