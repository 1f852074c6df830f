"""Personas for every role in one förbund, plus an outsider from another förbund."""

from __future__ import annotations

import datetime as dt

import pytest

from registrering.permissions import Roll
from tests import factories


@pytest.fixture
def forbund(db):
    return factories.ForbundFactory(namn="Samordningsförbundet Testbygden", kortnamn="STB")


@pytest.fixture
def annat_forbund(db):
    return factories.ForbundFactory(namn="Samordningsförbundet Annanstans", kortnamn="SAS")


@pytest.fixture
def insats(forbund):
    return factories.InsatsFactory(forbund=forbund, namn="Försteg Testby")


@pytest.fixture
def annan_insats(forbund):
    """An insats in the same förbund that the insatsansvarig is not responsible for."""
    return factories.InsatsFactory(forbund=forbund, namn="Försteg Grannby")


@pytest.fixture
def verksamhetsutvecklare(forbund):
    return factories.UserFactory(
        username="vu", forbund=forbund, roll=Roll.VERKSAMHETSUTVECKLARE, is_staff=True
    )


@pytest.fixture
def forbundschef(forbund):
    return factories.UserFactory(
        username="chef", forbund=forbund, roll=Roll.FORBUNDSCHEF, is_staff=True
    )


@pytest.fixture
def styrelse(forbund):
    return factories.UserFactory(
        username="styrelse", forbund=forbund, roll=Roll.STYRELSE, is_staff=True
    )


@pytest.fixture
def insatsansvarig(forbund, insats):
    user = factories.UserFactory(username="ansvarig", forbund=forbund, roll=Roll.INSATSANSVARIG)
    insats.insatsansvariga.add(user)
    return user


@pytest.fixture
def utomstaende(annat_forbund):
    """A verksamhetsutvecklare of another förbund: sees nothing of ours."""
    return factories.UserFactory(
        username="utomstaende",
        forbund=annat_forbund,
        roll=Roll.VERKSAMHETSUTVECKLARE,
        is_staff=True,
    )


@pytest.fixture
def idag():
    return dt.date(2026, 11, 23)
