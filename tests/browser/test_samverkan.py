"""The joint report and the group pages in a browser: WCAG 2.1 AA with axe-core at a laptop's
and a phone's width, no horizontal scrolling of the page itself, and the samordnare's way in
from the login."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from registrering.demodata import samverkan
from registrering.permissions import Roll
from tests import factories
from tests.browser.conftest import LOSENORD, logga_in

pytestmark = pytest.mark.browser

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BREDDER = (1366, 390)


def _granska(page: Page) -> None:
    rapporter = {}
    for bredd in BREDDER:
        page.set_viewport_size({"width": bredd, "height": 900})
        resultat = AXE.run(page, options=WCAG_21_AA)
        if resultat.violations_count:
            rapporter[bredd] = resultat.generate_report()
        # The page never scrolls sideways; wide tables scroll in their own region.
        assert page.evaluate("document.documentElement.scrollWidth") <= bredd
    assert not rapporter, "\n".join(f"Vid {b} px:\n{r}" for b, r in rapporter.items())


def test_samordnaren_loggar_in_till_rapporten(page: Page) -> None:
    samverkan.ladda_grupp()
    logga_in(page, "samordnare")
    expect(page).to_have_url(re.compile(r"/samverkan/jonkopings-lan/2025/$"))
    page.get_by_role("link", name="2024", exact=True).click()
    expect(page.get_by_role("heading", name="Jönköpings län 2024", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="24\xa0242")).to_be_visible()
    _granska(page)


def test_gruppsidorna(page: Page) -> None:
    grupp = samverkan.ladda_grupp()
    admin = factories.UserFactory(
        username="systemadmin", forbund=None, roll=Roll.SYSTEMADMINISTRATOR
    )
    admin.set_password(LOSENORD)
    admin.save()
    logga_in(page, "systemadmin")
    page.goto("/system/grupper/")
    expect(page.get_by_role("heading", name="Grupper av förbund", level=1)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa gruppen").click()
    expect(page.get_by_role("alert")).to_be_visible()  # nothing filled in: the errors
    _granska(page)
    page.goto(f"/system/grupper/{grupp.pk}/")
    expect(page.get_by_role("heading", name="Jönköpings län", level=1)).to_be_visible()
    _granska(page)
