"""The key figures page: the kansli fetches and edits the year's figures through the services
(audited), errors in Swedish at the field with nothing saved; the styrelse reads; others are
refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from registrering import services
from registrering.audit import audit_entries_for
from registrering.models import (
    AuditEntry,
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Inkomstnyckeltal,
)

AR = 2025
URL = f"/effekter/{AR}/nyckeltal/"


def _klient(user) -> Client:
    klient = Client()
    klient.force_login(user)
    return klient


@pytest.fixture
def hamtade(forbund, verksamhetsutvecklare):
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=AR)


def _html(response) -> str:
    return response.content.decode()


def test_ett_ar_utan_nyckeltal_erbjuder_katalogens(verksamhetsutvecklare):
    response = _klient(verksamhetsutvecklare).get(URL)
    assert response.status_code == 200
    html = _html(response)
    assert "Hämta nyckeltal" in html
    assert "De hämtas från katalogen" in html


def test_hamta_kopierar_forra_arets_och_sidan_sager_det(forbund, verksamhetsutvecklare):
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=2023)
    klient = _klient(verksamhetsutvecklare)
    assert "De hämtas från 2023" in _html(klient.get(URL))

    response = klient.post(URL, {"del": "hamta"})

    assert (response.status_code, response["Location"]) == (302, URL)
    rad = Effektnyckeltal.objects.get(forbund=forbund, ar=AR)
    assert audit_entries_for(rad).get().kommentar == "Nyckeltalen kopierade från 2023."
    html = _html(klient.get(URL))
    assert "Hämta nyckeltal" not in html
    assert "Försörjningsstöd" in html and "267\xa0120 kr" in html


def test_enkla_modellen_sparas_genom_tjansten_med_logg(forbund, verksamhetsutvecklare, hamtade):
    response = _klient(verksamhetsutvecklare).post(
        URL,
        {
            "del": "enkel",
            "enkel-kostnad_per_manad": "11 000",
            "enkel-skatt_per_manad": "5 800 kr",
            "enkel-kalla": "Egen beräkning",
            "enkel-kalla_datum": "2025-03-01",
        },
    )
    assert response.status_code == 302
    rad = Effektnyckeltal.objects.get(forbund=forbund, ar=AR)
    assert (rad.kostnad_per_manad, rad.skatt_per_manad, rad.kalla) == (
        11_000,
        5_800,
        "Egen beräkning",
    )
    andring = audit_entries_for(rad).filter(action=AuditEntry.Action.ANDRAD).get()
    assert andring.changes["kostnad_per_manad"] == [10_500, 11_000]
    assert andring.user == verksamhetsutvecklare


def test_inkomstsidan_laser_svenska_decimaler(forbund, forbundschef, hamtade):
    data = {
        "del": "inkomst",
        "inkomst-arslon": "280 000",
        "inkomst-loneokning": "2,5",
        "inkomst-kommunalskatt": "20,67",
        "inkomst-regionskatt": "11,7",
        "inkomst-arbetsgivaravgift": "31,42 %",
        "inkomst-jobbskatteavdrag": "27 000",
        "inkomst-kalla": "SCB",
    }
    assert _klient(forbundschef).post(URL, data).status_code == 302
    rad = Inkomstnyckeltal.objects.get(forbund=forbund, ar=AR)
    assert (rad.arslon, rad.loneokning, rad.kommunalskatt) == (
        280_000,
        Decimal("2.5"),
        Decimal("20.67"),
    )
    assert audit_entries_for(rad).filter(action=AuditEntry.Action.ANDRAD).exists()


def test_en_ersattning_andras_och_en_ny_laggs_till(forbund, verksamhetsutvecklare, hamtade):
    klient = _klient(verksamhetsutvecklare)
    response = klient.post(
        URL,
        {
            "del": "e:forsorjningsstod",
            "e-forsorjningsstod-namn": "Ekonomiskt bistånd",
            "e-forsorjningsstod-betalare": "kommun",
            "e-forsorjningsstod-arsbelopp": "120 000",
            "e-forsorjningsstod-okning": "2,25",
            "e-forsorjningsstod-kalla": "Kommunens statistik",
        },
    )
    assert response.status_code == 302
    rad = Ersattningsnyckeltal.objects.get(forbund=forbund, ar=AR, kod="forsorjningsstod")
    assert (rad.namn, rad.arsbelopp, rad.okning, rad.skattepliktig) == (
        "Ekonomiskt bistånd",
        120_000,
        Decimal("2.25"),
        False,
    )
    assert audit_entries_for(rad).filter(action=AuditEntry.Action.ANDRAD).exists()

    response = klient.post(
        URL,
        {
            "del": "ny",
            "ny-kod": "bostadsbidrag",
            "ny-namn": "Bostadsbidrag",
            "ny-betalare": "stat",
            "ny-arsbelopp": "30000",
            "ny-okning": "0",
            "ny-skattepliktig": "on",
        },
    )
    assert response.status_code == 302
    ny = Ersattningsnyckeltal.objects.get(forbund=forbund, ar=AR, kod="bostadsbidrag")
    assert (ny.betalare, ny.skattepliktig) == ("stat", True)


def test_tjanstens_fel_visas_vid_faltet_och_inget_sparas(forbund, verksamhetsutvecklare, hamtade):
    response = _klient(verksamhetsutvecklare).post(
        URL,
        {
            "del": "enkel",
            "enkel-kostnad_per_manad": "200 000",
            "enkel-skatt_per_manad": "5 700",
        },
    )
    assert response.status_code == 400
    html = _html(response)
    assert '<p class="fel" id="id_enkel-kostnad_per_manad-fel1">' in html
    assert "Kostnaden per månad kan vara högst 100\xa0000 kr (här 200\xa0000 kr)." in html
    assert "inget har sparats" in html
    assert Effektnyckeltal.objects.get(forbund=forbund, ar=AR).kostnad_per_manad == 10_500


def test_ett_tal_som_inte_kan_lasas_stannar_vid_faltet(forbund, verksamhetsutvecklare, hamtade):
    response = _klient(verksamhetsutvecklare).post(
        URL,
        {
            "del": "inkomst",
            "inkomst-arslon": "267 120,50",
            "inkomst-loneokning": "tre",
            "inkomst-kommunalskatt": "20,67",
            "inkomst-regionskatt": "11,7",
            "inkomst-arbetsgivaravgift": "31,42",
            "inkomst-jobbskatteavdrag": "27 000",
        },
    )
    assert response.status_code == 400
    html = _html(response)
    assert 'id="id_inkomst-arslon-fel1">Ange ett heltal utan decimaler' in html
    assert 'id="id_inkomst-loneokning-fel1">Ange ett tal med siffrorna 0–9' in html
    assert Inkomstnyckeltal.objects.get(forbund=forbund, ar=AR).arslon == 267_120
    assert not audit_entries_for(Inkomstnyckeltal.objects.get()).filter(
        action=AuditEntry.Action.ANDRAD
    )


def test_styrelsen_laser_men_kan_inte_andra(forbund, styrelse, hamtade):
    klient = _klient(styrelse)
    response = klient.get(URL)
    assert response.status_code == 200
    html = _html(response)
    assert "Försörjningsstöd" in html
    assert "Spara enkla modellen" not in html and 'name="del"' not in html
    for data in ({"del": "hamta"}, {"del": "enkel", "enkel-kostnad_per_manad": "1"}):
        assert klient.post(URL, data).status_code == 403
    assert Effektnyckeltal.objects.get(forbund=forbund, ar=AR).kostnad_per_manad == 10_500


def test_styrelsen_kan_inte_hamta_nyckeltal(forbund, styrelse):
    klient = _klient(styrelse)
    assert "Hämta nyckeltal</button>" not in _html(klient.get(URL))
    assert klient.post(URL, {"del": "hamta"}).status_code == 403
    assert not Effektnyckeltal.objects.exists()


def test_insatsansvarig_nekas(insatsansvarig):
    klient = _klient(insatsansvarig)
    assert klient.get(URL).status_code == 403
    assert klient.post(URL, {"del": "hamta"}).status_code == 403
    assert not Effektnyckeltal.objects.exists()


def test_annat_forbund_ser_och_andrar_bara_sina_egna(
    forbund, verksamhetsutvecklare, utomstaende, hamtade
):
    services.effektnyckeltal_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        ar=AR,
        kostnad_per_manad=12_345,
        skatt_per_manad=5_700,
        kalla="Vår hemliga källa",
        kalla_datum=None,
    )
    klient = _klient(utomstaende)
    html = _html(klient.get(URL))
    assert "Vår hemliga källa" not in html and "12\xa0345" not in html
    assert "Hämta nyckeltal" in html  # their year has none
    klient.post(URL, {"del": "enkel", "enkel-kostnad_per_manad": "1", "enkel-skatt_per_manad": "1"})
    assert Effektnyckeltal.objects.get(forbund=forbund, ar=AR).kostnad_per_manad == 12_345


def test_okand_del_ar_en_felaktig_begaran(verksamhetsutvecklare, hamtade):
    assert _klient(verksamhetsutvecklare).post(URL, {"del": "allt"}).status_code == 400
