"""The insatsansvarig's year view: every month of their own insatser, the waiting ones first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registrering.models import Manadsrapport
from tests import factories as f
from tests.registrering.test_views import block, element, ett, html, lanktexter

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)
Status = Manadsrapport.Status


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch):
    monkeypatch.setattr("registrering.views.idag", lambda: IDAG)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)


def rad(response, insats_namn: str) -> list[str]:
    """The twelve cells of the insats's row, as a screen reader reads them (the visible month
    label and the dash are hidden from it)."""
    tabell = block(response, '<table class="oversikt">', "table")
    start = tabell.index(f'<th scope="row">{insats_namn}</th>')
    return [td.ren_text for td in element(tabell[start : tabell.index("</tr>", start)], "td")]


def test_aret_visar_varje_manad_av_egna_insatser(client, insatsansvarig, insats, annan_insats):
    insats.startdatum = dt.date(2026, 3, 1)
    insats.save()
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=3, status=Status.GODKAND)
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=4, status=Status.REGISTRERAD)
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=9, status=Status.RETURNERAD)
    f.ManadsrapportFactory(insats=insats, ar=2026, manad=10, status=Status.INSKICKAD)
    f.ManadsrapportFactory(insats=annan_insats, ar=2026, manad=10, status=Status.UTKAST)
    client.force_login(insatsansvarig)

    response = client.get("/registrering/mina-insatser/")

    assert response.status_code == 200
    assert ett(response, "h1").ren_text == "Mina insatser 2026"
    celler = rad(response, "Försteg Testby")
    assert len(celler) == 12
    assert celler[0] == "Försteg Testby, januari 2026: ej aktuell"
    assert celler[2] == "Försteg Testby, mars 2026: godkänd"
    assert celler[3] == "Försteg Testby, april 2026: registrerad i Uppföljning Finsam"
    # On screen a short word (selectors.STATUS_KORT), with the legend under the table.
    assert "”reg.” betyder registrerad i Uppföljning Finsam." in html(response)
    assert celler[4] == "Försteg Testby, maj 2026: saknas, försenad"
    assert celler[8] == "Försteg Testby, september 2026: returnerad, försenad"
    assert celler[9] == "Försteg Testby, oktober 2026: inskickad"
    assert celler[10] == "Försteg Testby, november 2026: ej aktuell"
    lankar = lanktexter(response)
    # Every month that exists for the insats opens, also the approved and the sent-in ones.
    assert (
        lankar["Försteg Testby, mars 2026: godkänd"] == f"/registrering/insats/{insats.pk}/2026/3/"
    )
    assert lankar["Försteg Testby, oktober 2026: inskickad"] == (
        f"/registrering/insats/{insats.pk}/2026/10/"
    )
    assert "Försteg Grannby" not in html(response)
    # The waiting months come first, before the year.
    sida = html(response)
    assert sida.index('id="vantar"') < sida.index('<table class="oversikt">')
    vantar = block(response, '<h2 id="vantar">', "ul")
    assert [li.ren_text for li in element(vantar, "li")][:2] == [
        "Försteg Testby, maj 2026: saknas – försenad, sista dag var 10/6 2026",
        "Försteg Testby, juni 2026: saknas – försenad, sista dag var 10/7 2026",
    ]
    assert ett(response, "h2", id="vantar").ren_text == "Månader som väntar på dig (5)"


def test_tidigare_ar_och_arsnavigering(client, insatsansvarig, insats):
    insats.startdatum = dt.date(2025, 6, 1)
    insats.save()
    f.ManadsrapportFactory(insats=insats, ar=2025, manad=6, status=Status.GODKAND)
    client.force_login(insatsansvarig)

    i_ar = client.get("/registrering/mina-insatser/")
    assert lanktexter(i_ar)["← 2025"] == "/registrering/mina-insatser/2025/"
    assert "2027 →" not in lanktexter(i_ar)

    forra = client.get("/registrering/mina-insatser/2025/")
    assert ett(forra, "h1").ren_text == "Mina insatser 2025"
    assert rad(forra, "Försteg Testby")[5] == "Försteg Testby, juni 2025: godkänd"
    assert lanktexter(forra)["2026 →"] == "/registrering/mina-insatser/"
    # The insats started in 2025: there is nothing before.
    assert "← 2024" not in lanktexter(forra)
    meny = [a for a in element(forra, "a") if a.attrs.get("aria-current") == "page"]
    assert [a.ren_text for a in meny] == ["Mina insatser"]

    tidigt = client.get("/registrering/mina-insatser/2023/")
    assert "Ingen av dina insatser pågick under 2023." in html(tidigt)


def test_ingaende_balans_per_insats(client, insatsansvarig, insats, forbund):
    volym = f.VolyminsatsFactory(forbund=forbund, namn="SIP")
    volym.insatsansvariga.add(insatsansvarig)
    annan = f.InsatsFactory(forbund=forbund, namn="Försteg Ödeshög")
    annan.insatsansvariga.add(insatsansvarig)
    f.IngaendeBalansFactory(insats=annan, ar=2026, kvinnor=1)
    client.force_login(insatsansvarig)

    response = client.get("/registrering/mina-insatser/")

    balanser = block(response, "<h3>Ingående balans 1/1 2026</h3>", "ul")
    assert [li.ren_text for li in element(balanser, "li")] == [
        "Försteg Testby, ingående balans 1/1 2026: inte bekräftad – bekräfta antalet deltagare "
        "som var inskrivna 1 januari",
        "Försteg Ödeshög, ingående balans 1/1 2026: bekräftad",
    ]
    assert "SIP" in rad(response, "SIP")[0]


def test_utan_insatser(client, forbund):
    from registrering.permissions import Roll

    ny = f.UserFactory(username="ny", forbund=forbund, roll=Roll.INSATSANSVARIG)
    client.force_login(ny)
    response = client.get("/registrering/mina-insatser/")
    assert "Du är inte insatsansvarig för någon insats ännu." in html(response)
    assert "Inga månader väntar på dig." in html(response)


@pytest.mark.parametrize("roll", ["verksamhetsutvecklare", "styrelse", "forbundschef"])
def test_bara_for_insatsansvariga(client, request, roll):
    client.force_login(request.getfixturevalue(roll))
    assert client.get("/registrering/mina-insatser/2025/").status_code == 403


def test_lika_manga_fragor_for_en_och_sex_insatser(client, insatsansvarig, insats, forbund):
    client.force_login(insatsansvarig)

    def fragor() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/registrering/mina-insatser/").status_code == 200
        return len(ctx.captured_queries)

    en = fragor()
    for n in range(5):
        extra = f.InsatsFactory(forbund=forbund, namn=f"Insats {n}")
        extra.insatsansvariga.add(insatsansvarig)
        f.ManadsrapportFactory(insats=extra, ar=2026, manad=3, status=Status.GODKAND)
        f.ManadsrapportFactory(insats=extra, ar=2025, manad=3, status=Status.UTKAST)
    assert fragor() == en
