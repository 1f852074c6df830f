"""The månadsöversikt reads the year's insatser once for the grid, the data quality and Kom
igång (`arets_insatser`): each gives what it gives when it reads them itself (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest

from registrering import selectors
from registrering.checklista import checklista
from registrering.models import Insats, Manadsrapport
from tests import factories as f

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)


@pytest.fixture
def insatserna(forbund, annat_forbund):
    grupp = f.InsatsgruppFactory(forbund=forbund, namn="Försteg")
    skapade = [
        f.InsatsFactory(forbund=forbund, namn="Bro", grupp=grupp),
        f.InsatsFactory(forbund=forbund, namn="Avslutad", slutdatum=dt.date(2026, 6, 30)),
        f.VolyminsatsFactory(forbund=forbund, namn="Volym", grupp=grupp),
        f.InsatsFactory(forbund=forbund, namn="Struktur", inriktning=Insats.Inriktning.STRUKTUR),
        f.InsatsFactory(
            forbund=forbund,
            namn="Förra året",
            startdatum=dt.date(2024, 1, 1),
            slutdatum=dt.date(2025, 3, 31),
        ),
    ]
    f.InsatsFactory(forbund=annat_forbund, namn="Annans")
    f.ManadsrapportFactory(insats=skapade[0], ar=2026, manad=2, status=Manadsrapport.Status.UTKAST)
    f.IngaendeBalansFactory(insats=skapade[0], ar=2026)
    return grupp


def _arets(user, forbund) -> list[Insats]:
    return list(selectors.insatser_i_oversikt(user, forbund, 2026))


@pytest.mark.parametrize(
    "filtren", [{}, {"grupp": "grupp"}, {"inriktning": Insats.Inriktning.STRUKTUR}]
)
def test_rutnatet_ar_detsamma_med_de_lasta_insatserna(
    filtren, forbund, verksamhetsutvecklare, insatserna
):
    filtren = {k: insatserna.pk if v == "grupp" else v for k, v in filtren.items()}
    args = {"user": verksamhetsutvecklare, "forbund": forbund, "ar": 2026, "idag": IDAG}
    egen = selectors.manadsoversikt(**args, **filtren)
    delad = selectors.manadsoversikt(
        **args, **filtren, arets_insatser=_arets(verksamhetsutvecklare, forbund)
    )
    assert [r.insats.pk for r in delad.rader] == [r.insats.pk for r in egen.rader]
    assert [r.celler for r in delad.rader] == [r.celler for r in egen.rader]
    assert delad.antal_per_status == egen.antal_per_status
    assert egen.rader  # every filter leaves some insats


def test_vantande_manader_ar_desamma_ur_rutnatet_och_utan_det(
    forbund, verksamhetsutvecklare, insatserna
):
    """The months that wait are the grid's waiting cells, whether taken from a grid built
    already or built alone (only those cells): the same cells, addresses and lateness."""
    f.ManadsrapportFactory(
        insats=Insats.objects.get(namn="Bro"), ar=2026, manad=3, status=Manadsrapport.Status.GODKAND
    )
    args = {"user": verksamhetsutvecklare, "forbund": forbund, "idag": IDAG}
    oversikter = {ar: selectors.manadsoversikt(**args, ar=ar) for ar in (2025, 2026)}
    utan = selectors.vantande_manader(**args)
    assert selectors.vantande_manader(**args, oversikter=oversikter) == utan
    statusar = {(v.cell.insats_namn, v.cell.ar, v.cell.manad): v.cell.status for v in utan}
    assert statusar[("Bro", 2026, 2)] == Manadsrapport.Status.UTKAST
    assert ("Bro", 2026, 3) not in statusar  # approved
    assert ("Bro", 2026, 12) not in statusar  # not ended on IDAG
    assert all(v.cell.url for v in utan)
    assert any(v.cell.forsenad for v in utan)


def test_datakvaliteten_ar_densamma_med_de_lasta_insatserna(
    forbund, verksamhetsutvecklare, insatserna
):
    egen = selectors.datakvalitet(forbund=forbund, ar=2026, med_forra_december=True, idag=IDAG)
    delad = selectors.datakvalitet(
        forbund=forbund,
        ar=2026,
        med_forra_december=True,
        idag=IDAG,
        arets_insatser=_arets(verksamhetsutvecklare, forbund),
    )
    assert delad == egen
    assert [i.namn for i in egen.obekraftade_balanser] == ["Avslutad"]


def test_kom_igang_ar_detsamma_med_de_lasta_insatserna_och_fragar_en_gang_mindre(
    forbund, verksamhetsutvecklare, insatserna, django_assert_num_queries
):
    arets = _arets(verksamhetsutvecklare, forbund)
    with django_assert_num_queries(8):
        egen = checklista(forbund=forbund, ar=2026)
    with django_assert_num_queries(7):
        delad = checklista(forbund=forbund, ar=2026, arets_insatser=arets)
    assert delad == egen


def test_kom_igang_bara_vasentliga_ar_hela_listans_vasentliga_med_tva_fragor_mindre(
    forbund, verksamhetsutvecklare, insatserna, django_assert_num_queries
):
    """The månadsöversikt's notice reads only the essential points: the same points, in the
    same order, and whether the year is ready, without the accounts and the kostnadsposter."""
    arets = _arets(verksamhetsutvecklare, forbund)
    hela = checklista(forbund=forbund, ar=2026, arets_insatser=arets)
    with django_assert_num_queries(5):
        vasentliga = checklista(
            forbund=forbund, ar=2026, arets_insatser=arets, bara_vasentliga=True
        )
    assert vasentliga.punkter == tuple(p for p in hela.punkter if p.vasentlig)
    assert vasentliga.saknas_vasentligt == hela.saknas_vasentligt
    assert vasentliga.klar == hela.klar
    assert [p.nyckel for p in hela.punkter if not p.vasentlig] == [
        "rapportdag",
        "logotyp",
        "insatsansvariga",
        "kostnadsposter",
        "anvandare",
    ]


def test_obekraftade_balanser_som_lista_med_och_utan_lankar(forbund):
    from registrering.templatetags.datakvalitet import obekraftade_rader

    insats = f.InsatsFactory(forbund=forbund, namn="Bro & <Väg>")
    kvalitet = selectors.Datakvalitet(
        ar=2026, justeringar=(), obekraftade_balanser=(insats,), kvar_vid_slut=()
    )
    assert obekraftade_rader(kvalitet, True) == (
        f'<li><a href="/registrering/insats/{insats.pk}/2026/ingaende-balans/">'
        "Bro &amp; &lt;Väg&gt;</a></li>"
    )
    assert obekraftade_rader(kvalitet, "") == "<li>Bro &amp; &lt;Väg&gt;</li>"
