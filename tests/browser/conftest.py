"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for the whole session, a new context (cookies, JavaScript on or off) per test. The
live server runs in a thread of this process, so freezing "today" by monkeypatching module
attributes reaches the views and the services. Without /usr/bin/chromium the tests fail – they
must never pass by being skipped; `make test` deselects them and says so instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.testcases import LiveServerThread
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from registrering import demodata
from registrering.demodata import data as demodata_data
from registrering.models import Forbund

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse the
# database calls the tests make between page actions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The live server shares the test thread's connection to SQLite's in-memory database with its
# request threads (`connections_override`). A sqlite3 connection used by two threads at once
# fails ("bad parameter or other API misuse", "database disk image is malformed"), which the
# browser's parallel requests (a page and its lazy chart images, or the previous page's images
# still loading when the next page is opened) can cause. With a shared connection the requests
# are therefore answered one at a time; on PostgreSQL each thread has its own and they run in
# parallel as in production.
_EN_I_TAGET = threading.Lock()
_skapa_server = LiveServerThread._create_server


def _server_en_begaran_i_taget(self: LiveServerThread, connections_override: Any = None) -> Any:
    server = _skapa_server(self, connections_override=connections_override)
    if not connections_override:
        return server
    satt_app = server.set_app

    def seriell(app: Any) -> None:
        def en_i_taget(environ: dict[str, Any], start_response: Any) -> list[bytes]:
            with _EN_I_TAGET:
                return list(app(environ, start_response))

        satt_app(en_i_taget)

    server.set_app = seriell
    return server


LiveServerThread._create_server = _server_en_begaran_i_taget  # type: ignore[method-assign]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDAG = dt.date(2026, 11, 23)
LOSENORD = demodata.DEMO_LOSENORD
TIMEOUT_MS = 10_000


# What the migrations wrote (målgrupper …), serialized by Django at set-up; see `browser` and
# `pytest_runtest_teardown`.
_migreringsdata: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium saknas: installera med apt-get install chromium", pytrace=False)
    innehall = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    with sync_playwright() as p:
        # Django's connections are context-local, and from here on the test code runs in
        # Playwright's context: it gets a new connection object, which lacks the serialized
        # contents that serialized rollback restores (and that keep the flush from re-running
        # post_migrate). Carry them over.
        if innehall is not None:
            connections[DEFAULT_DB_ALIAS]._test_serialized_contents = innehall
        _migreringsdata.update(innehall=innehall, blocker=django_db_blocker)
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # The connections opened in Playwright's context would keep the test database busy,
        # and PostgreSQL refuses to drop a database that someone is connected to.
        connections.close_all()


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """November 2026 is the current month for the views and for the services' `idag` default."""
    riktig_localdate = timezone.localdate

    def localdate(value: dt.datetime | None = None, timezone: Any = None) -> dt.date:
        if value is None:
            return IDAG
        return riktig_localdate(value, timezone)

    monkeypatch.setattr("registrering.views.idag", lambda: IDAG)
    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return IDAG


# The demo data as the loader wrote it, table by table, once per process: loading it takes about
# 2.5 s, putting the rows back about 0.2 s. See `_demo_ur_ogonblick`.
_ogonblick: list[tuple[str, list[str], list[tuple[Any, ...]]]] = []


def _tabeller() -> list[str]:
    return [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _demo_ur_ogonblick() -> Forbund:
    """The demo rows written straight back, in one transaction (the foreign keys are checked
    at its end), and the sequences moved past them so that the tests' own rows get new ids."""
    connection = connections[DEFAULT_DB_ALIAS]
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for tabell, _kolumner, _rader in _ogonblick:
            cursor.execute(f"DELETE FROM {q(tabell)}")
        for tabell, kolumner, rader in _ogonblick:
            platser = ", ".join(["%s"] * len(kolumner))
            namn = ", ".join(q(k) for k in kolumner)
            cursor.executemany(f"INSERT INTO {q(tabell)} ({namn}) VALUES ({platser})", rader)
        modeller = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
        for sql in connection.ops.sequence_reset_sql(no_style(), modeller):
            cursor.execute(sql)
    return Forbund.objects.get(namn=demodata_data.FORBUND_NAMN)


def _ta_ogonblick() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for tabell in _tabeller():
            cursor.execute(f"SELECT * FROM {q(tabell)}")
            rader = [tuple(rad) for rad in cursor.fetchall()]
            if rader:
                _ogonblick.append((tabell, [k[0] for k in cursor.description], rader))


@pytest.fixture
def demo(
    django_db_serialized_rollback: None, transactional_db: None, fryst_idag: dt.date
) -> Forbund:
    """The demo förbund as of 23 November 2026, committed so the live server sees it.

    The flush after each transactional test also empties what the data migrations wrote (the
    målgrupper); the serialized rollback puts it back before the next test. The first test of a
    process loads the demo data; the following ones get the same rows back from a snapshot.
    """
    if _ogonblick:
        return _demo_ur_ogonblick()
    forbund = demodata.ladda(idag=fryst_idag)
    _ta_ogonblick()
    return forbund


def _ny_kontext(browser: Browser, live_server: LiveServer, **kwargs: Any) -> BrowserContext:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", **kwargs)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _stang_nar_tyst(context: BrowserContext) -> None:
    """Close the context once its pages have no request under way (lazy chart images, a waiting
    page's refresh): the live server shares the test's in-memory SQLite connection, and a request
    still running while the next test empties the database corrupts it ("database disk image is
    malformed"). A page that never goes quiet is closed after a few seconds all the same."""
    for sida in context.pages:
        with contextlib.suppress(Exception):
            sida.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer, demo: Any) -> Iterator[BrowserContext]:
    context = _ny_kontext(browser, live_server)
    yield context
    _stang_nar_tyst(context)


@pytest.fixture
def context_utan_js(
    browser: Browser, live_server: LiveServer, demo: Any
) -> Iterator[BrowserContext]:
    context = _ny_kontext(browser, live_server, java_script_enabled=False)
    yield context
    _stang_nar_tyst(context)


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def logga_in(page: Page, username: str, losenord: str = LOSENORD) -> None:
    """Log in through the form, as a person would, and wait for the landing page."""
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn", exact=True).fill(username)
    page.get_by_label("Lösenord", exact=True).fill(losenord)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in", exact=True).click()


def logga_ut(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Logga ut", exact=True).click()


def tal(text: str) -> int:
    """'−3' or '1 873' as the templates print them → int."""
    return int(re.sub(r"[\s\xa0]", "", text).replace("−", "-"))
