"""The data-quality lists of a year (`registrering.selectors.datakvalitet`), as the
månadsöversikt and the report page show them."""

from __future__ import annotations

import datetime as dt

import pytest

from registrering.selectors import datakvalitet
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def slutar_i_ar(forbund):
    """An insats planned to end 31/12 2026 with 3 participants enrolled after October."""
    insats = f.InsatsFactory(
        forbund=forbund, namn="Försteg Slutby", slutdatum=dt.date(2026, 12, 31)
    )
    f.IngaendeBalansFactory(insats=insats, ar=2026, kvinnor=1, man=0)
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, nya_kvinnor=1, nya_man=1)
    return insats


def test_en_insats_som_slutar_senare_i_ar_listas_inte_forran_slutdatum_passerat(
    forbund, slutar_i_ar
):
    """November and December are still to be reported: the participants may yet leave."""
    i_november = datakvalitet(forbund=forbund, ar=2026, idag=dt.date(2026, 11, 23))
    assert i_november.kvar_vid_slut == ()
    pa_slutdagen = datakvalitet(forbund=forbund, ar=2026, idag=dt.date(2026, 12, 31))
    assert pa_slutdagen.kvar_vid_slut == ()

    efter = datakvalitet(forbund=forbund, ar=2026, idag=dt.date(2027, 1, 1))
    assert [
        (k.insats_namn, k.slutdatum, k.kvar.kvinnor, k.kvar.man) for k in efter.kvar_vid_slut
    ] == [("Försteg Slutby", dt.date(2026, 12, 31), 2, 1)]


def test_en_insats_som_slutade_tidigare_i_ar_listas_med_sina_kvarvarande(forbund):
    insats = f.InsatsFactory(forbund=forbund, namn="Försteg Vårby", slutdatum=dt.date(2026, 6, 30))
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=3, nya_kvinnor=2, nya_man=0)
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=6, avslutade_kvinnor=1)
    f.IngaendeBalansFactory(insats=insats, ar=2026)

    kvalitet = datakvalitet(forbund=forbund, ar=2026, idag=dt.date(2026, 11, 23))

    assert [(k.insats_namn, k.kvar.totalt) for k in kvalitet.kvar_vid_slut] == [
        ("Försteg Vårby", 1)
    ]


def test_manadsoversikten_sager_att_decembers_justeringar_hor_till_ingaende_balansen(
    client, forbund, insats, verksamhetsutvecklare, monkeypatch
):
    monkeypatch.setattr("registrering.views.idag", lambda: dt.date(2026, 11, 23))
    f.JusteringFactory(insats=insats, ar=2025, manad=12, kvinnor=-1, anledning="Inventering")
    f.JusteringFactory(insats=insats, ar=2026, manad=3, kvinnor=0, man=1, anledning="Rättning")
    client.force_login(verksamhetsutvecklare)

    html = client.get("/registrering/2026/").content.decode()

    # 2026's list holds only 2026; last December's justering is the balance's correction.
    assert "Justeringar 2026 (1)" in html
    assert "Ingående balans 1/1 2026 rättad (1)" in html
    assert "bokförd som en justering i december 2025" in html
    lista = html[html.index("Justeringar 2026 (1)") : html.index("Ingående balans 1/1 2026 rättad")]
    assert "Rättning" in lista
    assert "Inventering" not in lista
    assert "december 2025" not in lista


def test_arets_justeringar_och_balansens_rattelser_var_for_sig(forbund, insats):
    f.JusteringFactory(insats=insats, ar=2025, manad=12, kvinnor=-1, anledning="1/1 2026")
    f.JusteringFactory(insats=insats, ar=2025, manad=11, kvinnor=-1, anledning="November")
    f.JusteringFactory(insats=insats, ar=2026, manad=12, kvinnor=1, anledning="December 2026")
    f.JusteringFactory(insats=insats, ar=2026, manad=1, man=1, anledning="Januari")

    kvalitet = datakvalitet(
        forbund=forbund, ar=2026, med_forra_december=True, idag=dt.date(2026, 11, 23)
    )

    assert [j.anledning for j in kvalitet.justeringar] == ["Januari", "December 2026"]
    assert [j.anledning for j in kvalitet.balansrattelser] == ["1/1 2026"]
    # The report page lists the year only.
    bara_aret = datakvalitet(forbund=forbund, ar=2026, idag=dt.date(2026, 11, 23))
    assert bara_aret.balansrattelser == ()
    assert [j.anledning for j in bara_aret.justeringar] == ["Januari", "December 2026"]
