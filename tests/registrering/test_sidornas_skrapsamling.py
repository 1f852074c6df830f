"""The månadsöversikt and Mina insatser are made with Python's cycle collector running seldom
(at 300 insatser it ran some eight times a request, issue 15), and its threshold is put back
after the page."""

from __future__ import annotations

import gc

import pytest

from registrering import selectors
from registrering.masskrivning import FARRE_SKRAPSAMLINGAR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("roll", "adress"),
    [
        ("verksamhetsutvecklare", "/registrering/2026/"),
        ("insatsansvarig", "/registrering/mina-insatser/"),
    ],
)
def test_sidan_gors_med_farre_skrapsamlingar(request, client, insats, monkeypatch, roll, adress):
    fore = gc.get_threshold()
    under: list[tuple[int, ...]] = []
    manadsoversikt = selectors.manadsoversikt

    def raknad(**kwargs):
        under.append(gc.get_threshold())
        return manadsoversikt(**kwargs)

    monkeypatch.setattr(selectors, "manadsoversikt", raknad)
    client.force_login(request.getfixturevalue(roll))
    assert client.get(adress).status_code == 200
    assert under == [(max(fore[0], FARRE_SKRAPSAMLINGAR), *fore[1:])]
    assert gc.get_threshold() == fore
