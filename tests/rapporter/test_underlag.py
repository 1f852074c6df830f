"""The whole underlag to Uppföljning Finsam (issue 14, point 5): per insats and for the förbund,
against figures computed by hand for a small förbund; what is missing, listed before export
with links; the page and the Excel file for the kansli only; constant queries."""

from __future__ import annotations

import html as htmllib
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapporter.export import FORBUND_KOLUMNER, UNDERLAG_KOLUMNER, underlag_uppfoljning_finsam
from rapporter.underlag import underlag
from registrering.models import (
    Arstotal,
    Befolkning,
    BudgeteradVolym,
    Insats,
    Kostnadspost,
    Malgrupp,
    Medlem,
    Utfall,
    Verksamhetsplan,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

P = Insats.PreciseradInriktning


def _luft(text: str) -> str:
    """Tags out, every run of spaces as one, and none before a comma or full stop."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[\s\u00a0\u202f]+", " ", htmllib.unescape(text)).strip()
    return re.sub(r" ([,.])", r"\1", text)


@pytest.fixture
def litet(forbund, insats):
    """A small förbund for 2025, every figure chosen to be computed by hand:
    - members: the state, the region and two kommuner of 60 000 and 40 000 inhabitants;
    - plan: tilldelning 1 000 000 kr, eget kapital 1/1 200 000 kr;
    - Försteg Testby (individ, förberedande, Unga, ESF): ingående 2 K + 1 M, nya 3 K + 4 M,
      budgeted 12, its post 300 000 kr with utfall 290 000 kr;
    - Nätverk (struktur, volume in deltagare 20 + 30): no preciserad inriktning, no målgrupp,
      no budgeted number, no cost post;
    - Kansli (administration) 200 000 kr with utfall 210 000 kr."""
    Medlem.objects.create(forbund=forbund, namn="Försäkringskassan", typ=Medlem.Typ.STAT)
    Medlem.objects.create(forbund=forbund, namn="Region Test", typ=Medlem.Typ.REGION, ordning=1)
    for ordning, (namn, invanare) in enumerate(
        (("Aby kommun", 60_000), ("Bby kommun", 40_000)), start=2
    ):
        kommun = Medlem.objects.create(
            forbund=forbund, namn=namn, typ=Medlem.Typ.KOMMUN, ordning=ordning
        )
        Befolkning.objects.create(medlem=kommun, ar=2024, invanare=invanare)
    Verksamhetsplan.objects.create(
        forbund=forbund, ar=2025, tilldelning=1_000_000, eget_kapital_ingaende=200_000
    )
    insats.preciserad_inriktning = P.FORBEREDANDE
    insats.esf_finansierad = True
    insats.save()
    insats.malgrupper.set([Malgrupp.objects.get(kod="unga")])
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=2, man=1)
    f.ManadsrapportFactory(
        insats=insats, ar=2025, manad=1, nya_kvinnor=3, nya_man=4, avslutade_kvinnor=1
    )
    BudgeteradVolym.objects.create(insats=insats, ar=2025, volym=12)
    post = Kostnadspost.objects.create(
        forbund=forbund, ar=2025, namn="Försteg Testby", budget=300_000, insats=insats, ordning=1
    )
    for kvartal, belopp in enumerate((70_000, 75_000, 70_000, 75_000), start=1):
        Utfall.objects.create(post=post, kvartal=kvartal, belopp=belopp)
    natverk = f.VolyminsatsFactory(forbund=forbund, namn="Nätverk")
    f.ManadsrapportFactory(insats=natverk, ar=2025, manad=1, volym=20)
    f.ManadsrapportFactory(insats=natverk, ar=2025, manad=2, volym=30)
    kansli = Kostnadspost.objects.create(
        forbund=forbund,
        ar=2025,
        namn="Kansli",
        budget=200_000,
        typ=Kostnadspost.Typ.ADMINISTRATION,
    )
    Utfall.objects.create(post=kansli, kvartal=4, belopp=210_000)
    return forbund


def _blad(innehall: bytes) -> dict[str, list[tuple]]:
    bok = openpyxl.load_workbook(io.BytesIO(innehall))
    return {blad.title: [tuple(c.value for c in rad) for rad in blad.iter_rows()] for blad in bok}


# --- The figures -------------------------------------------------------------------------------


def test_insatsbladet_mot_handraknade_varden(litet):
    export = underlag_uppfoljning_finsam(forbund=litet, ar=2025)
    blad = _blad(export.innehall)
    assert list(blad) == ["Insatser", "Förbundet"]
    rubriker, *rader = blad["Insatser"]
    assert rubriker == UNDERLAG_KOLUMNER
    per_insats = {rad[0]: rad for rad in rader}
    assert per_insats["Försteg Testby"] == (
        "Försteg Testby",
        "Individinriktad",
        "Förberedande",
        "Unga",
        "Ja",
        "Deltagarflöde",
        None,
        12,
        300_000,
        290_000,  # 70 000 + 75 000 + 70 000 + 75 000
        5,  # 2 ingående + 3 nya
        5,  # 1 ingående + 4 nya
        10,
        None,
        None,
    )
    assert per_insats["Nätverk"] == (
        "Nätverk",
        "Strukturövergripande",
        None,
        None,
        "Nej",
        "Volym",
        "Deltagare",
        None,
        None,
        None,
        None,
        None,
        None,
        50,  # 20 + 30
        "preciserad inriktning, målgrupp, budgeterat antal deltagare, budgeterad kostnad, "
        "faktisk kostnad (utfall)",
    )


def test_forbundsbladet_mot_handraknade_varden(litet):
    rubriker, *rader = _blad(underlag_uppfoljning_finsam(forbund=litet, ar=2025).innehall)[
        "Förbundet"
    ]
    assert rubriker == FORBUND_KOLUMNER
    assert [rad[:2] for rad in rader] == [
        # Staten 1/2, regionen 1/4, kommunerna 1/4 split 60/40 by population.
        ("Medlemsbidrag: Staten genom FK", 500_000),
        ("Medlemsbidrag: Region Test", 250_000),
        ("Medlemsbidrag: Aby kommun", 150_000),
        ("Medlemsbidrag: Bby kommun", 100_000),
        ("Tilldelade medel totalt", 1_000_000),
        ("Budget insatser", 300_000),
        ("Budget administration", 200_000),
        ("Budget totalt", 500_000),
        ("Utfall insatser", 290_000),
        ("Utfall administration", 210_000),
        ("Utfall totalt", 500_000),
        ("Årets resultat 2025", 500_000),  # 1 000 000 − 500 000
        ("Eget kapital 1/1 2025", 200_000),
        ("Eget kapital 31/12 2025", 700_000),  # 200 000 + 500 000
    ]
    assert rader[2][2] == "60,0\u00a0% av kommunernas invånare"
    assert rader[9][2] == "helår"


def test_underlaget_saknar_bara_natverkets_uppgifter(litet):
    data = underlag(forbund=litet, ar=2025)
    assert [(i.namn, i.saknas) for i in data.brister] == [
        ("Nätverk", ("preciserad_inriktning", "malgrupper", "budgeterat_antal", "budget", "utfall"))
    ]
    assert data.forbund.saknas == ()
    assert data.forbund.resultat == Decimal(500_000)
    assert not data.komplett


def test_forbundet_utan_plan_och_poster_saknar_dem(forbund, insats):
    data = underlag(forbund=forbund, ar=2025)
    assert data.forbund.saknas == ("verksamhetsplan", "kostnadsposter")
    assert data.forbund.tilldelning is None and data.forbund.resultat is None
    (rad,) = data.insatser
    assert rad.saknas == (
        "preciserad_inriktning",
        "malgrupper",
        "budgeterat_antal",
        "budget",
        "utfall",
        "deltagare",
    )
    # The förbund's sheet leaves out what it does not know rather than writing 0.
    forbundsrader = _blad(underlag_uppfoljning_finsam(forbund=forbund, ar=2025).innehall)[
        "Förbundet"
    ][1:]
    assert all(rad[1] is None for rad in forbundsrader)


def test_utfall_for_halva_aret_och_utan_administration_saknas(litet):
    Utfall.objects.filter(post__namn="Kansli").delete()
    Kostnadspost.objects.filter(namn="Kansli").delete()
    Utfall.objects.filter(kvartal__gte=3).delete()
    data = underlag(forbund=litet, ar=2025)
    assert data.forbund.saknas == ("administration", "utfall")
    rader = _blad(underlag_uppfoljning_finsam(forbund=litet, ar=2025).innehall)["Förbundet"]
    utfall = next(rad for rad in rader if rad[0] == "Utfall insatser")
    assert utfall == ("Utfall insatser", 145_000, "utfall bokat till och med månad 6")


def test_en_total_utan_kon_ger_totalen_och_uppgift_saknas(forbund, insats):
    Arstotal.objects.create(insats=insats, ar=2024, deltagare=18, nya=7, avslutade=11, kalla="SUS")
    rader = _blad(underlag_uppfoljning_finsam(forbund=forbund, ar=2024).innehall)["Insatser"]
    (rad,) = rader[1:]
    assert rad[10:13] == ("uppgift saknas", "uppgift saknas", 18)
    assert "deltagare eller volym" not in (rad[14] or "")


# --- The page and the file ---------------------------------------------------------------------


def test_sidan_visar_bladen_och_vad_som_saknas_med_lankar(client, litet, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    response = client.get(reverse("rapporter:underlag", args=[2025]))
    assert response.status_code == 200
    sida = response.content.decode()
    text = _luft(sida)
    assert (
        "Nätverk saknar preciserad inriktning, målgrupp, budgeterat antal deltagare, budgeterad "
        "kostnad och faktisk kostnad (utfall)."
    ) in text
    natverk = Insats.objects.get(namn="Nätverk")
    assert f'href="/admin/registrering/insats/{natverk.pk}/change/"' in sida
    assert f'href="/admin/registrering/budgeteradvolym/add/?insats={natverk.pk}&amp;ar=2025"' in (
        sida
    )
    assert "/admin/registrering/kostnadspost/add/?ar=2025&amp;typ=insats" in sida
    assert 'href="/rapporter/2025/underlag.xlsx"' in sida
    # The sheets' contents, in Swedish number format.
    assert "Försteg Testby Individinriktad Förberedande Unga Ja Deltagarflöde" in text
    assert "Medlemsbidrag: Aby kommun 150 000" in text
    assert "Eget kapital 31/12 2025 700 000" in text
    assert "Försteg Testby saknar" not in text


def test_en_komplett_forbund_sager_att_inget_saknas(client, litet, verksamhetsutvecklare):
    Insats.objects.filter(namn="Nätverk").delete()
    client.force_login(verksamhetsutvecklare)
    text = _luft(client.get(reverse("rapporter:underlag", args=[2025])).content.decode())
    assert "Inget saknas: varje insats har de uppgifter systemet frågar efter" in text


@pytest.mark.parametrize("namn", ["underlag", "underlag_xlsx"])
def test_bara_kansliet_nar_underlaget(
    client,
    litet,
    namn,
    verksamhetsutvecklare,
    forbundschef,
    styrelse,
    insatsansvarig,
    utomstaende,
):
    adress = reverse(f"rapporter:{namn}", args=[2025])
    assert client.get(adress).status_code == 302  # to the login page
    for user in (verksamhetsutvecklare, forbundschef):
        client.force_login(user)
        response = client.get(adress)
        assert response.status_code == 200
        if namn == "underlag_xlsx":
            assert response["Content-Disposition"] == (
                'attachment; filename="underlag-uppfoljning-finsam-stb-2025.xlsx"'
            )
            assert list(_blad(response.content)) == ["Insatser", "Förbundet"]
    for user in (styrelse, insatsansvarig):
        client.force_login(user)
        assert client.get(adress).status_code == 403
    # Another förbund's kansli gets its own förbund's underlag, never ours.
    client.force_login(utomstaende)
    response = client.get(adress)
    assert response.status_code == 200
    if namn == "underlag_xlsx":
        assert "Försteg Testby" not in str(_blad(response.content))
    else:
        assert "Försteg Testby" not in response.content.decode()
    assert client.post(adress).status_code == 405


def test_konstant_antal_fragor(litet):
    def fragor() -> int:
        with CaptureQueriesContext(connection) as ctx:
            underlag(forbund=litet, ar=2025)
        return len(ctx.captured_queries)

    fore = fragor()
    for n in range(5):
        ny = f.InsatsFactory(forbund=litet, namn=f"Extra {n}", preciserad_inriktning=P.FORBEREDANDE)
        ny.malgrupper.set([Malgrupp.objects.get(kod="unga")])
        f.ManadsrapportFactory(insats=ny, ar=2025, manad=1, nya_kvinnor=1)
        BudgeteradVolym.objects.create(insats=ny, ar=2025, volym=1)
        post = Kostnadspost.objects.create(
            forbund=litet, ar=2025, namn=f"Extra {n}", budget=1, insats=ny
        )
        Utfall.objects.create(post=post, manad=12, belopp=1)
    assert fragor() == fore


def test_forbered_raknar_arets_rapport_en_gang_for_rapportsidan_och_underlaget(
    litet, forbund, monkeypatch
):
    """The rebuild renders the report page (both roles) and the underlag from one computation
    of the year's report: the underlag takes the report's figures, and shows the same page as
    when it computes them itself."""
    from rapporter import selectors as rapportselektorer
    from rapporter import sidcache
    from rapporter import underlag as underlagsmodul
    from rapporter.arsdata import arsdata as riktig_arsdata

    sjalv = sidcache.innehall("underlag", forbund, 2025, redigera=True, version=-1)
    rapporter: list[dict] = []
    arsdatan: list[dict] = []
    riktig_rapport = rapportselektorer.arsrapport

    def arsrapport(**kw):
        rapporter.append(kw)
        return riktig_rapport(**kw)

    def arsdata(**kw):
        arsdatan.append(kw)
        return riktig_arsdata(**kw)

    monkeypatch.setattr(rapportselektorer, "arsrapport", arsrapport)
    monkeypatch.setattr(underlagsmodul, "arsdata", arsdata)
    sidcache.forbered(forbund, 2025)
    assert len(rapporter) == 1
    assert arsdatan == []
    version = sidcache.dataversion.version(forbund.pk, 2025).nummer
    assert sidcache.innehall("underlag", forbund, 2025, redigera=True, version=version) == sjalv
    # Outside the rebuild each page computes what it shows.
    assert sidcache._RAPPORTER.get() is None
