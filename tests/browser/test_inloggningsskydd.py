"""The lockout as a person meets it: five wrong passwords, the Swedish lockout page, the
verksamhetsutvecklare lifting it, and both pages clean under axe."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import logga_in, logga_ut

pytestmark = pytest.mark.browser

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _utan_axe_fel(page: Page) -> None:
    rapporter = {}
    for bredd in (1366, 390):
        page.set_viewport_size({"width": bredd, "height": 900})
        resultat = AXE.run(page, options=WCAG_21_AA)
        if resultat.violations_count:
            rapporter[bredd] = resultat.generate_report()
    assert not rapporter, "\n".join(f"Vid {b} px:\n{r}" for b, r in rapporter.items())


def test_spärr_och_hävning(page: Page) -> None:
    for _ in range(5):
        logga_in(page, "insatsansvarig", "fel-losenord")
    rubrik = page.get_by_role("heading", name="Inloggningen är spärrad", level=1)
    expect(rubrik).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("efter 5 misslyckade försök")
    _utan_axe_fel(page)

    # The right password is refused too while the lockout lasts.
    logga_in(page, "insatsansvarig")
    expect(rubrik).to_be_visible()

    # The verksamhetsutvecklare lifts it (a plain form: no JavaScript needed).
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/konton/sparrade/")
    expect(page.get_by_role("heading", name="Spärrade konton", level=1)).to_be_visible()
    _utan_axe_fel(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Häv spärren för insatsansvarig").click()
    expect(page.get_by_text("Spärren för insatsansvarig är hävd.")).to_be_visible()
    expect(page.get_by_text("Inga konton i förbundet är spärrade just nu.")).to_be_visible()
    logga_ut(page)

    logga_in(page, "insatsansvarig")
    expect(page.get_by_role("heading", name="Mina insatser", level=1)).to_be_visible()
