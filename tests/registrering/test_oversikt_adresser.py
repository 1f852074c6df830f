"""The månadsöversikt resolves its URL patterns once per page, not once per cell (issue 15,
point 3), and its links are the ones `reverse()` gives."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from registrering.models import Manadsrapport
from registrering.selectors import adressmall
from tests import factories as f

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)
Status = Manadsrapport.Status


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch):
    monkeypatch.setattr("registrering.views.idag", lambda: IDAG)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)


class _Lankar(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")


def lankar(response) -> list[str]:
    parser = _Lankar()
    parser.feed(response.content.decode())
    return parser.hrefs


def insatser_med_manader(forbund, antal: int, forsta: int = 0) -> list:
    """`antal` flow insatser, each with a few months in different states and no confirmed
    balance (so the data-quality list links each of them)."""
    insatser = [
        f.InsatsFactory(forbund=forbund, namn=f"Insats {nr:02d}")
        for nr in range(forsta, forsta + antal)
    ]
    for insats in insatser:
        for manad, status in ((2, Status.GODKAND), (6, Status.UTKAST), (10, Status.INSKICKAD)):
            f.ManadsrapportFactory(insats=insats, ar=2026, manad=manad, status=status)
    return insatser


def hamta(client, user, reverse_anrop) -> tuple[object, int]:
    client.force_login(user)
    reverse_anrop.clear()
    response = client.get("/registrering/2026/")
    assert response.status_code == 200
    return response, len(reverse_anrop)


def test_oversikten_gor_lika_manga_reverse_for_1_och_12_insatser(
    client, forbund, verksamhetsutvecklare, reverse_anrop
):
    insatser = insatser_med_manader(forbund, 1)
    _response, en = hamta(client, verksamhetsutvecklare, reverse_anrop)
    cellernas = reverse_anrop.count("manad")

    insatser += insatser_med_manader(forbund, 11, forsta=1)
    response, tolv = hamta(client, verksamhetsutvecklare, reverse_anrop)

    assert tolv == en
    assert reverse_anrop.count("manad") == cellernas == 1
    assert reverse_anrop.count("ingaende_balans") == 1
    # The links are those reverse() gives: every ended month of every insats (January–October
    # 2026; November is not over), and each unconfirmed balance.
    hrefs = lankar(response)
    for insats in insatser:
        for manad in range(1, 11):
            assert reverse("registrering:manad", args=[insats.pk, 2026, manad]) in hrefs
        assert reverse("registrering:manad", args=[insats.pk, 2026, 11]) not in hrefs
        assert reverse("registrering:ingaende_balans", args=[insats.pk, 2026]) in hrefs


@pytest.mark.parametrize("prefix", ["/", "/finsam/", "/1/2026/1/"])
@pytest.mark.parametrize(
    ("namn", "exempel", "andra"),
    [
        ("registrering:manad", (1, 2026, 1), [(7, 2026, 12), (123456, 2000, 9), (1, 2100, 1)]),
        ("registrering:ingaende_balans", (1, 2026), [(42, 2026), (2026, 2025)]),
        ("registrering:godkann", (1, 2026, 1), [(5, 2024, 11)]),
    ],
)
def test_adressmallen_ger_samma_adress_som_reverse(prefix, namn, exempel, andra):
    set_script_prefix(prefix)
    try:
        adress = adressmall(namn, *exempel)
        for args in [exempel, *andra]:
            assert adress(*args) == reverse(namn, args=args)
    finally:
        set_script_prefix("/")


def test_adressmallen_vagrar_ett_monster_dar_argumenten_inte_ar_hela_delar():
    # rapporter/<ar>/diagram/<nummer>.svg: the arguments are not consecutive path segments.
    with pytest.raises(ValueError, match="inte adressens sista delar"):
        adressmall("rapporter:diagram", 2025, 3)
