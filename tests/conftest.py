"""Personas for every role in one förbund, plus an outsider from another förbund."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from pytest_django.plugin import blocking_manager_key

from registrering.permissions import Roll
from tests import factories


def _transaktionell(item: pytest.Item) -> bool:
    markor = item.get_closest_marker("django_db")
    return "transactional_db" in item.fixturenames or bool(
        markor and markor.kwargs.get("transaction")
    )


def _aterstaller_sjalv(item: pytest.Item) -> bool:
    markor = item.get_closest_marker("django_db")
    return "django_db_serialized_rollback" in item.fixturenames or bool(
        markor and markor.kwargs.get("serialized_rollback")
    )


def _migreringarnas_data() -> str | None:
    innehall = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    if innehall is None and (browser := sys.modules.get("tests.browser.conftest")):
        innehall = browser._migreringsdata.get("innehall")
    return innehall


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A transactional test must restore by itself (`serialized_rollback=True`): its flush would
    otherwise run post_migrate and leave the roles twice for the next restoring test (UNIQUE
    auth_group.name), depending on the order the tests happen to run in."""
    fel = [i.nodeid for i in items if _transaktionell(i) and not _aterstaller_sjalv(i)]
    if fel:
        raise pytest.UsageError(
            "Transaktionella tester utan serialized_rollback=True:\n" + "\n".join(fel)
        )


@pytest.fixture(autouse=True)
def _tom_bilagelagring() -> Iterator[None]:
    """Each test starts without built bilagor (files) and with an empty cache: what is kept by
    data version (the report page) would otherwise outlive the test's rolled-back data, whose
    förbund id and version the next test may well have again."""
    yield
    cache.clear()
    mapp = Path(settings.FINSAM_BILAGOR_DIR)
    if mapp.is_dir() and any(mapp.iterdir()):
        shutil.rmtree(mapp)
        mapp.mkdir()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a transactional test's flush, put back what the migrations wrote (roles, målgrupper).

    pytest-django runs the transactional tests after the ordinary ones but before those that
    use no `db` fixture, and some of those (module-scoped demo data in tests/rapporter) expect
    the migrated state. A transactional test marks itself `serialized_rollback`, so that its
    flush leaves the tables empty (no post_migrate), and the next test that restores by itself
    (serialized rollback) is left to do so.
    """
    yield
    if not _transaktionell(item):
        return
    # After the last test of a process the test database is already gone; nothing needs it.
    if nextitem is None or _aterstaller_sjalv(nextitem):
        return
    innehall = _migreringarnas_data()
    if innehall is None:
        return
    with item.config.stash[blocking_manager_key].unblock():
        connections[DEFAULT_DB_ALIAS].creation.deserialize_db_from_string(innehall)


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


@pytest.fixture
def reverse_anrop(monkeypatch):
    """Counts every `reverse()` (and `{% url %}`): each ends in one `_reverse_with_prefix`."""
    from django.urls.resolvers import URLResolver

    anrop: list[str] = []
    original = URLResolver._reverse_with_prefix

    def raknad(self, lookup_view, _prefix, *args, **kwargs):
        anrop.append(str(lookup_view))
        return original(self, lookup_view, _prefix, *args, **kwargs)

    monkeypatch.setattr(URLResolver, "_reverse_with_prefix", raknad)
    return anrop
