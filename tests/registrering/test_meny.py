"""The main menu per role: each role finds its work, and only the kansli has "Administration"."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def menyn(client: Client) -> list[str]:
    html = client.get("/", follow=True).content.decode()
    nav = re.search(r'<nav aria-label="Huvudmeny">(.*?)</nav>', html, re.S)
    assert nav is not None
    return [re.sub(r"<[^>]+>", "", a).strip() for a in re.findall(r"<a [^>]*>.*?</a>", nav[1])]


@pytest.mark.parametrize(
    ("persona", "punkter"),
    [
        (
            "verksamhetsutvecklare",
            [
                "Månadsöversikt",
                "Mål",
                "Rapporter",
                "Enkäter",
                "Konton",
                "Administration",
            ],
        ),
        (
            "forbundschef",
            [
                "Månadsöversikt",
                "Mål",
                "Rapporter",
                "Enkäter",
                "Konton",
                "Administration",
            ],
        ),
        ("insatsansvarig", ["Mina insatser", "Enkäter"]),
        # is_staff like the kansli (tests/conftest.py), and still no admin.
        ("styrelse", ["Mål", "Rapporter", "Enkäter"]),
        (
            "utomstaende",
            [
                "Månadsöversikt",
                "Mål",
                "Rapporter",
                "Enkäter",
                "Konton",
                "Administration",
            ],
        ),
    ],
)
def test_menyn_per_roll(client, request, persona, punkter):
    client.force_login(request.getfixturevalue(persona))
    assert menyn(client) == punkter


def test_styrelse_med_is_staff_har_ingen_administration(client, styrelse):
    assert styrelse.is_staff
    client.force_login(styrelse)
    assert "/admin/" not in client.get("/mal/").content.decode()
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain[-1][0].startswith("/admin/login/")


def test_verksamhetsutvecklare_utan_is_staff_har_ingen_administration(
    client, verksamhetsutvecklare
):
    verksamhetsutvecklare.is_staff = False
    verksamhetsutvecklare.save()
    client.force_login(verksamhetsutvecklare)
    assert "Administration" not in menyn(client)
    assert client.get("/admin/").status_code == 302
