"""The strict Content-Security-Policy holds in a real browser: every main page of every role, the
admin's index, list, change, history, import and export pages, with JavaScript on, give no
violation – neither a `securitypolicyviolation` event nor a console message about the policy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

from registrering.models import Forbund
from tests.browser.conftest import logga_in
from tests.browser.test_bredder import SIDOR, _adresser, _insats
from tests.browser.test_tillganglighet import _importstatus

pytestmark = pytest.mark.browser

# Runs in every document before the page's own scripts (through the DevTools protocol, so the
# policy does not apply to it) and reports each violation to the test.
LYSSNARE = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspOvertradelse(`${e.violatedDirective} ${e.blockedURI} på ${e.documentURI}`);
});
"""

# Pages the width test has no need of: the locked accounts, and the 403 page a role without the
# admin meets there.
FLER_SIDOR: dict[str, list[str]] = {
    "verksamhetsutvecklare": ["/konton/sparrade/"],
    "forbundschef": ["/konton/sparrade/"],
    "styrelse": ["/admin/"],
}

ADMINSIDOR = [
    "/admin/",
    "/admin/registrering/insats/",
    "/admin/registrering/insats/{vadstena}/change/",
    "/admin/registrering/insats/{vadstena}/history/",
    "/admin/registrering/insats/add/",
    "/admin/registrering/insats/import/",
    "/admin/registrering/insats/export/",
    "/admin/registrering/manadsrapport/",
    "/admin/registrering/manadsrapport/import/",
]


@pytest.fixture
def overtradelser(context: BrowserContext) -> Iterator[list[str]]:
    funna: list[str] = []

    def rapport(text: str) -> None:
        funna.append(text)

    context.expose_function("cspOvertradelse", rapport)
    context.add_init_script(LYSSNARE)

    def konsol(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            funna.append(f"konsol: {text}")

    context.on("console", konsol)
    yield funna


def _besok(page: Page, adress: str) -> None:
    svar = page.goto(adress)
    assert svar is not None
    assert svar.status < 500, adress
    assert "script-src 'self'" in (svar.header_value("content-security-policy") or ""), adress
    # Let lazy images (the charts) and deferred scripts load and run.
    page.mouse.wheel(0, 100_000)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("roll", list(SIDOR))
def test_rollens_sidor_utan_csp_overtradelser(
    page: Page, overtradelser: list[str], roll: str, demo: Forbund
) -> None:
    if roll:
        logga_in(page, roll)
    adresser = _adresser(page, roll, demo) + FLER_SIDOR.get(roll, [])
    assert len(adresser) >= 2

    for adress in adresser:
        _besok(page, adress)

    assert overtradelser == []


def test_adminsidorna_utan_csp_overtradelser(
    page: Page, overtradelser: list[str], demo: Forbund
) -> None:
    logga_in(page, "verksamhetsutvecklare")
    vadstena = _insats(demo, "Försteg Vadstena")

    for adress in ADMINSIDOR:
        _besok(page, adress.format(vadstena=vadstena))

    assert overtradelser == []


def test_malsidans_staplar_far_sin_langd_utan_stilattribut(
    page: Page, overtradelser: list[str], demo: Forbund
) -> None:
    """The bars' lengths moved from style="" to classes (static/css/staplar.css): each fill is
    as wide, in percent of its bar, as its class says."""
    logga_in(page, "styrelse")
    _besok(page, "/mal/2026/")
    fyllnader = page.locator(".stapel__fyllnad")
    assert fyllnader.count() > 1
    assert page.locator("[style]").count() == 0

    for i in range(fyllnader.count()):
        fyllnad = fyllnader.nth(i)
        klass = fyllnad.get_attribute("class") or ""
        procent = int(re.search(r"\bbredd-(\d+)\b", klass).group(1))  # type: ignore[union-attr]
        bredd = fyllnad.evaluate(
            "e => e.getBoundingClientRect().width / e.parentElement.clientWidth"
        )
        assert abs(bredd * 100 - procent) < 1.5, (klass, bredd)
    assert overtradelser == []


def test_lyssnaren_fangar_en_overtradelse(page: Page, overtradelser: list[str], demo: Any) -> None:
    """The check above is not empty by construction: an inline style added by a script is
    refused by the policy and reported."""
    _besok(page, "/logga-in/")

    page.evaluate("() => document.head.insertAdjacentHTML('beforeend', '<style>p{}</style>')")
    page.wait_for_timeout(200)

    assert any("style-src" in o for o in overtradelser), overtradelser


def test_diagrammet_oppnat_for_sig_ritas_med_sina_stilar(
    page: Page, overtradelser: list[str], demo: Forbund
) -> None:
    """A chart opened on its own (“Öppna bild i ny flik”) is an SVG document whose colours are
    inline styles from matplotlib: its response allows those and nothing else."""
    logga_in(page, "styrelse")
    _besok(page, "/rapporter/2025/")
    adress = page.locator("figure.diagram img").first.get_attribute("src")
    assert adress and adress.startswith("/rapporter/2025/diagram/"), adress
    svar = page.goto(adress)
    assert svar is not None and svar.status == 200
    assert svar.header_value("content-type") == "image/svg+xml"
    policy = svar.header_value("content-security-policy") or ""
    assert "default-src 'none'" in policy and "script-src" not in policy, policy
    page.wait_for_load_state("networkidle")

    assert overtradelser == []
    # The bars keep matplotlib's colours (an unstyled path is filled black).
    farger = page.evaluate(
        "() => [...document.querySelectorAll('path')].map(p => getComputedStyle(p).fill)"
    )
    assert set(farger) - {"rgb(0, 0, 0)", "none"}, farger


def test_importens_statussida_utan_csp_overtradelser(
    page: Page, overtradelser: list[str], demo: Forbund
) -> None:
    """A large import's status page (it asks again with <meta http-equiv="refresh">, no script)."""
    _importstatus(page)
    assert overtradelser == []
