"""The "Kom igång" checklist (`registrering.checklista`) and its page (/kom-igang/)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from registrering import demodata, forbundskatalog
from registrering.checklista import checklista
from registrering.models import (
    Avslutsanledning,
    Befolkning,
    Forbund,
    Huvudman,
    Kostnadspost,
    Medlem,
    Verksamhetsplan,
)
from registrering.permissions import Roll
from tests import factories

pytestmark = pytest.mark.django_db

VASENTLIGA = {
    "medlemmar",
    "huvudman",
    "avslutsanledningar",
    "insatser",
    "start",
    "verksamhetsplan",
    "texter",
    "manader",
}


def _status(lista) -> dict[str, str]:
    return {p.nyckel: p.status for p in lista.punkter}


def test_ett_tomt_forbund_saknar_allt(forbund):
    lista = checklista(forbund=forbund, ar=2026)
    assert {p.nyckel for p in lista.saknas_vasentligt} == VASENTLIGA - {"start"}
    assert not lista.klar
    status = _status(lista)
    # Nothing to start from: no insats with a flow lacks its balance.
    assert status["start"] == "klar"
    assert status["rapportdag"] == "klar"  # the förbund always has one (10 by default)
    assert {k for k, v in status.items() if v == "rekommenderas"} == {
        "logotyp",
        "insatsansvariga",
        "kostnadsposter",
        "anvandare",
    }
    punkter = {p.nyckel: p for p in lista.punkter}
    assert punkter["insatser"].url == reverse("data:oversikt") + "#post-insats"
    assert punkter["verksamhetsplan"].url == reverse("data:oversikt") + "#post-verksamhetsplan"
    assert punkter["texter"].url == reverse("rapporter:texter", args=[2026])
    assert punkter["anvandare"].url == reverse("anvandare:lista")
    assert punkter["insatsansvariga"].url == reverse("anvandare:lista")


def _forbund_som_ar_klart(forbund: Forbund, ar: int) -> dict[str, object]:
    """Everything essential in place for `ar`, built by hand."""
    factories.UserFactory(forbund=forbund, roll=Roll.STYRELSE)
    for typ, namn in (
        (Medlem.Typ.STAT, "Försäkringskassan"),
        (Medlem.Typ.AF, "Arbetsförmedlingen"),
        (Medlem.Typ.REGION, "Region Test"),
    ):
        Medlem.objects.create(forbund=forbund, namn=namn, typ=typ)
    kommun = Medlem.objects.create(forbund=forbund, namn="Testby kommun", typ=Medlem.Typ.KOMMUN)
    Befolkning.objects.create(medlem=kommun, ar=ar - 1, invanare=12_000)
    huvudman = factories.HuvudmanFactory(forbund=forbund, namn="Kommun")
    insats = factories.InsatsFactory(forbund=forbund, startdatum=dt.date(ar - 2, 1, 1))
    anledning = factories.AvslutsanledningFactory(forbund=forbund)
    anledning.insatser.add(insats)
    factories.IngaendeBalansFactory(insats=insats, ar=ar, kvinnor=2, man=1)
    factories.ManadsrapportFactory(insats=insats, ar=ar, manad=1)
    Verksamhetsplan.objects.create(forbund=forbund, ar=ar, tilldelning=Decimal(1_000_000))
    forbund.bakgrund_text, forbund.metod_text = "Bakgrund.", "Metod {period}."
    forbund.save()
    return {"kommun": kommun, "insats": insats, "anledning": anledning, "huvudman": huvudman}


def test_ett_forbund_med_allt_vasentligt_ar_klart(forbund):
    _forbund_som_ar_klart(forbund, 2025)
    lista = checklista(forbund=forbund, ar=2025)
    assert lista.saknas_vasentligt == ()
    assert lista.klar


@pytest.mark.parametrize(
    ("andring", "nyckel"),
    [
        (lambda d: Befolkning.objects.all().delete(), "medlemmar"),
        (lambda d: Medlem.objects.filter(typ=Medlem.Typ.REGION).delete(), "medlemmar"),
        (lambda d: Huvudman.objects.all().delete(), "huvudman"),
        (lambda d: d["anledning"].insatser.clear(), "avslutsanledningar"),
        (lambda d: d["insats"].ingaende_balanser.all().delete(), "start"),
        (lambda d: Verksamhetsplan.objects.all().delete(), "verksamhetsplan"),
        (lambda d: Forbund.objects.update(metod_text=""), "texter"),
        (lambda d: d["insats"].manadsrapporter.all().delete(), "manader"),
    ],
)
def test_varje_vasentlig_punkt_marks(forbund, andring, nyckel):
    data = _forbund_som_ar_klart(forbund, 2025)
    andring(data)
    forbund.refresh_from_db()
    lista = checklista(forbund=forbund, ar=2025)
    assert [p.nyckel for p in lista.saknas_vasentligt] == [nyckel]


def test_starten_kan_komma_fran_tidigare_ar(forbund):
    data = _forbund_som_ar_klart(forbund, 2025)
    data["insats"].ingaende_balanser.all().delete()
    factories.ArstotalFactory(insats=data["insats"], ar=2024)
    assert checklista(forbund=forbund, ar=2025).klar
    # A new insats that begins in the year needs no balance.
    ny = factories.InsatsFactory(forbund=forbund, startdatum=dt.date(2025, 3, 1))
    data["anledning"].insatser.add(ny)
    factories.ManadsrapportFactory(insats=ny, ar=2025, manad=3)
    assert checklista(forbund=forbund, ar=2025).klar


def test_volyminsats_behover_ingen_avslutsanledning_men_manader(forbund):
    _forbund_som_ar_klart(forbund, 2025)
    volym = factories.VolyminsatsFactory(forbund=forbund, namn="SIP")
    lista = checklista(forbund=forbund, ar=2025)
    manader = next(p for p in lista.punkter if p.nyckel == "manader")
    assert [p.nyckel for p in lista.saknas_vasentligt] == ["manader"]
    assert manader.saknas == ("SIP",)
    factories.ManadsrapportFactory(insats=volym, ar=2025, manad=2, volym=4)
    assert checklista(forbund=forbund, ar=2025).klar


def test_antalet_fragor_ar_detsamma_for_1_och_20_insatser(forbund, django_assert_num_queries):
    data = _forbund_som_ar_klart(forbund, 2025)
    with django_assert_num_queries(8):
        checklista(forbund=forbund, ar=2025)
    for n in range(19):
        insats = factories.InsatsFactory(forbund=forbund, namn=f"Försteg {n}")
        data["anledning"].insatser.add(insats)
        factories.ManadsrapportFactory(insats=insats, ar=2025, manad=1)
        Kostnadspost.objects.create(forbund=forbund, ar=2025, namn=f"Post {n}", budget=1)
    with django_assert_num_queries(8):
        lista = checklista(forbund=forbund, ar=2025)
    assert len(next(p for p in lista.punkter if p.nyckel == "start").saknas) == 19


# --- the demo förbund ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demodata.ladda(idag=dt.date(2026, 11, 23))
        transaction.set_rollback(True)


def test_demoforbundet_saknar_inget_vasentligt_for_2025(demo):
    lista = checklista(forbund=demo, ar=2025)
    assert [p.text for p in lista.saknas_vasentligt] == []


# --- the page -----------------------------------------------------------------------------------


def test_sidan_visar_det_som_saknas_med_lankar(client, forbund, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    response = client.get(reverse("kom_igang_ar", args=[2026]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kom igång 2026" in html
    assert "väsentliga saknas" in html
    assert f'href="{reverse("data:oversikt")}#post-huvudman"' in html
    assert reverse("rapporter:texter", args=[2026]) in html
    assert "Hämta nationella kataloger" in html


def test_punkterna_lankar_till_produkten_och_adminen_bara_for_logotyp_och_rapportdag(
    client, forbund, verksamhetsutvecklare
):
    """Every point but the förbund's own settings is put right on a page of the product; each
    link into /data/ names a resource that the data page has (and can import)."""
    data = _forbund_som_ar_klart(forbund, 2025)
    factories.InsatsFactory(forbund=forbund, namn="Andra", startdatum=dt.date(2023, 1, 1))
    data["insats"].ingaende_balanser.all().delete()
    punkter = checklista(forbund=forbund, ar=2025).punkter
    admin = reverse("admin:index")
    assert {p.nyckel for p in punkter if p.url.startswith(admin)} == {"logotyp", "rapportdag"}
    client.force_login(verksamhetsutvecklare)
    datasidan = client.get(reverse("data:oversikt")).content.decode()
    till_data = {p.nyckel: p.url.split("#")[1] for p in punkter if "#post-" in p.url}
    assert set(till_data) == {
        "medlemmar",
        "huvudman",
        "avslutsanledningar",
        "insatser",
        "start",
        "verksamhetsplan",
        "kostnadsposter",
    }
    for nyckel, ankare in till_data.items():
        assert f'id="{ankare}"' in datasidan, nyckel
        slug = ankare.removeprefix("post-")
        assert f"?resurs={slug}" in datasidan, nyckel
    # Two insatser without a balance: the file; one: its own page.
    start = next(p for p in punkter if p.nyckel == "start")
    assert start.lanktext == "Importera ingående balanser"


@pytest.mark.parametrize("roll", [Roll.VERKSAMHETSUTVECKLARE, Roll.FORBUNDSCHEF])
def test_kansliet_ser_sidan(client, forbund, roll):
    client.force_login(factories.UserFactory(forbund=forbund, roll=roll))
    assert client.get(reverse("kom_igang")).status_code == 200


@pytest.mark.parametrize("roll", [Roll.STYRELSE, Roll.INSATSANSVARIG])
def test_styrelse_och_insatsansvarig_nekas(client, forbund, roll):
    client.force_login(factories.UserFactory(forbund=forbund, roll=roll))
    assert client.get(reverse("kom_igang")).status_code == 403
    assert client.post(reverse("kom_igang_kataloger")).status_code == 403
    assert not forbund.huvudman.exists()


def test_anonym_skickas_till_inloggningen(client):
    response = client.get(reverse("kom_igang"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_annat_forbunds_verksamhetsutvecklare_ser_bara_sitt(
    client, forbund, annat_forbund, utomstaende
):
    forbund.bakgrund_text = "Testbygdens egen bakgrund."
    forbund.save()
    Huvudman.objects.create(forbund=forbund, namn="Testbygdens huvudman")
    client.force_login(utomstaende)
    html = client.get(reverse("kom_igang")).content.decode()
    assert str(annat_forbund) in html and str(forbund) not in html
    assert "Text saknas för Bakgrund och Metod" in html
    client.post(reverse("kom_igang_kataloger"))
    assert annat_forbund.huvudman.count() == len(forbundskatalog.HUVUDMAN)
    assert list(forbund.huvudman.values_list("namn", flat=True)) == ["Testbygdens huvudman"]


def test_knappen_hamtar_de_nationella_katalogerna_en_gang(client, forbund, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    response = client.post(reverse("kom_igang_kataloger"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("kom_igang")
    html = response.content.decode()
    assert "Hämtat från de nationella katalogerna: 4 huvudmän, 5 avslutsanledningar" in html
    assert forbund.avslutsanledningar.count() == len(forbundskatalog.AVSLUTSANLEDNINGAR)
    antal = Avslutsanledning.objects.count()
    response = client.post(reverse("kom_igang_kataloger"), follow=True)
    assert "Förbundet har redan allt i de nationella katalogerna." in response.content.decode()
    assert Avslutsanledning.objects.count() == antal
    assert client.get(reverse("kom_igang_kataloger")).status_code == 405


# --- the notice on the månadsöversikt -----------------------------------------------------------


def test_oversikten_pekar_kansliet_till_kom_igang(client, forbund, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    html = client.get(reverse("registrering:oversikt_ar", args=[2025])).content.decode()
    assert "Innan årsbilagan för 2025 kan göras saknas: medlemmar och befolkning" in html
    assert reverse("kom_igang_ar", args=[2025]) in html

    _forbund_som_ar_klart(forbund, 2025)
    html = client.get(reverse("registrering:oversikt_ar", args=[2025])).content.decode()
    assert "Innan årsbilagan" not in html
    assert reverse("kom_igang_ar", args=[2025]) not in html


def test_oversikten_visar_ingen_notis_for_insatsansvarig(client, forbund, insatsansvarig):
    client.force_login(insatsansvarig)
    response = client.get(reverse("registrering:oversikt_ar", args=[2025]))
    assert response.status_code == 200
    assert "Innan årsbilagan" not in response.content.decode()


def test_startsidan_leder_kansliet_dit_notisen_star(client, demo):
    from registrering.models import User

    vu = User.objects.filter(forbund=demo, groups__name=Roll.VERKSAMHETSUTVECKLARE).first()
    client.force_login(vu)
    response = client.get(reverse("start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("registrering:oversikt")
    html = client.get(reverse("registrering:oversikt_ar", args=[2025])).content.decode()
    assert "Innan årsbilagan" not in html


def test_kontosidan_lankar_till_kom_igang(client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    assert reverse("kom_igang") in client.get(reverse("konton")).content.decode()
