"""The pages a kansli uses make as many queries for 12 insatser as for 2 (issue 15: every page
fast at 300 insatser). Each förbund has an insats that ended during the year, one of each kind
and months in this year and the last, so the two sizes differ only in how many there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registrering.models import Manadsrapport
from registrering.permissions import Roll
from tests import factories as f

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)
Status = Manadsrapport.Status


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch):
    monkeypatch.setattr("registrering.views.idag", lambda: IDAG)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)


def insatser(forbund, ansvarig, antal: int, forsta: int = 0) -> list:
    """`antal` insatser (every fourth a volyminsats, the first an ended one), each with months
    in 2025 and 2026 in different states and a confirmed balance for 2026 every other."""
    skapade = []
    for nr in range(forsta, forsta + antal):
        fabrik = f.VolyminsatsFactory if nr % 4 == 3 else f.InsatsFactory
        slut = {"slutdatum": dt.date(2026, 6, 30)} if nr == forsta else {}
        insats = fabrik(forbund=forbund, namn=f"Insats {nr:02d}", **slut)
        insats.insatsansvariga.add(ansvarig)
        for ar, manad, status in (
            (2025, 11, Status.GODKAND),
            (2026, 2, Status.GODKAND),
            (2026, 6, Status.UTKAST),
            (2026, 10, Status.INSKICKAD),
        ):
            f.ManadsrapportFactory(insats=insats, ar=ar, manad=manad, status=status)
        if nr % 2:
            f.IngaendeBalansFactory(insats=insats, ar=2026)
        skapade.append(insats)
    return skapade


def antal_fragor(client, url: str) -> int:
    with CaptureQueriesContext(connection) as fangade:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(fangade)


SIDOR = {
    "månadsöversikt": ("vu", "/registrering/2026/"),
    "månadsöversikt förra året": ("vu", "/registrering/2025/"),
    "mina insatser": ("ansvarig", "/registrering/mina-insatser/"),
    "målsidan": ("styrelse", "/mal/2026/"),
    "underlag": ("vu", "/rapporter/2025/underlag/"),
    "underlag i år": ("vu", "/rapporter/2026/underlag/"),
    "datasidan": ("vu", "/data/"),
    "insatslistan": ("vu", "/admin/registrering/insats/"),
}


@pytest.mark.parametrize("sida", list(SIDOR))
def test_lika_manga_fragor_for_2_och_12_insatser(
    sida, client, forbund, verksamhetsutvecklare, styrelse, django_assert_num_queries
):
    ansvarig = f.UserFactory(username="ansvarig", forbund=forbund, roll=Roll.INSATSANSVARIG)
    vem, url = SIDOR[sida]
    client.force_login(
        {"vu": verksamhetsutvecklare, "styrelse": styrelse, "ansvarig": ansvarig}[vem]
    )
    insatser(forbund, ansvarig, 2)
    client.get(url)  # the session and the user's first-visit writes out of the count
    # Measured as rendered after a write: what is kept by data version (the goal page's
    # content) is forgotten, since the factories write around the services.
    cache.clear()
    fa = antal_fragor(client, url)

    insatser(forbund, ansvarig, 10, forsta=2)
    cache.clear()
    with django_assert_num_queries(fa):
        response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/registrering/20"):
        # The grid has a row per insats: the 12 are all there.
        assert response.content.decode().count('<th scope="row">Insats ') == 12
