"""A förbund set up in the browser without the Django admin: the systemadministratör adds it with
its members and invites its verksamhetsutvecklare, who chooses a password from the mail's link
and invites an insatsansvarig. WCAG 2.1 AA with axe-core at a laptop's and a phone's width on
every page on the way, and no sideways scrolling of the page itself."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Page, expect

from registrering.models import Forbund, User
from registrering.permissions import Roll
from tests import factories
from tests.browser.conftest import LOSENORD, logga_in, logga_ut

pytestmark = pytest.mark.browser

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BREDDER = (1366, 390)
NYTT_LOSENORD = "Vätterns-strand-2026"


def _granska(page: Page) -> None:
    rapporter = {}
    for bredd in BREDDER:
        page.set_viewport_size({"width": bredd, "height": 900})
        resultat = AXE.run(page, options=WCAG_21_AA)
        if resultat.violations_count:
            rapporter[bredd] = resultat.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth") <= bredd
    page.set_viewport_size({"width": 1366, "height": 900})
    assert not rapporter, "\n".join(f"Vid {b} px:\n{r}" for b, r in rapporter.items())


def _lank(brev: mail.EmailMessage) -> str:
    hittad = re.search(r"/konton/inbjudan/\S+/", brev.body)
    assert hittad is not None
    return hittad[0]


def test_ett_forbund_laggs_till_och_bjuder_in_sina_anvandare(page: Page) -> None:
    admin = factories.UserFactory(
        username="systemadmin", forbund=None, roll=Roll.SYSTEMADMINISTRATOR
    )
    admin.set_password(LOSENORD)
    admin.save()
    logga_in(page, "systemadmin")
    expect(page.get_by_role("heading", name="Förbund i installationen", level=1)).to_be_visible()
    _granska(page)
    page.get_by_role("link", name="Lägg till förbund").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till förbundet").click()
    expect(page.get_by_role("alert")).to_be_visible()  # nothing filled in: the errors
    _granska(page)
    page.get_by_label("Namn", exact=True).fill("Samordningsförbundet Södra Vätterbygden")
    page.get_by_label("Kortnamn").fill("SSV")
    page.get_by_label("Befolkning per 31/12 år").fill("2025")
    for i, (namn, typ, invanare) in enumerate(
        [
            ("Försäkringskassan", "stat", ""),
            ("Region Jönköpings län", "region", ""),
            ("Habo kommun", "kommun", "12 497"),
        ],
        start=1,
    ):
        page.get_by_label(f"Namn, medlem {i}", exact=True).fill(namn)
        page.get_by_label(f"Typ, medlem {i}", exact=True).select_option(typ)
        page.get_by_label(f"Invånare 31/12 det angivna året, medlem {i}", exact=True).fill(invanare)
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till förbundet").click()
    expect(
        page.get_by_role("heading", name="Samordningsförbundet Södra Vätterbygden")
    ).to_be_visible()
    _granska(page)
    page.get_by_role("link", name="Bjud in verksamhetsutvecklare").click()
    page.get_by_label("Förnamn").fill("Anna")
    page.get_by_label("Efternamn").fill("Lund")
    page.get_by_label("E-postadress").fill("anna@ssv.se")
    _granska(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text("inbjuden, har inte accepterat än")).to_be_visible()
    logga_ut(page)

    page.goto(_lank(mail.outbox[-1]))
    expect(page.get_by_role("heading", name="Välj lösenord", level=1)).to_be_visible()
    _granska(page)
    page.get_by_label("Välj lösenord").fill(NYTT_LOSENORD)
    page.get_by_label("Skriv lösenordet igen").fill(NYTT_LOSENORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Spara lösenordet och logga in").click()
    forbund = Forbund.objects.get(kortnamn="SSV")
    insats = factories.InsatsFactory(forbund=forbund, namn="IT-spåret")
    page.goto("/konton/anvandare/")
    expect(page.get_by_role("heading", name=re.compile("Användare i"), level=1)).to_be_visible()
    _granska(page)
    page.get_by_role("link", name="Bjud in användare").click()
    page.get_by_label("Förnamn").fill("Ida")
    page.get_by_label("Efternamn").fill("Berg")
    page.get_by_label("E-postadress").fill("ida@habo.se")
    page.get_by_label(re.compile("^Insatsansvarig")).check()
    page.get_by_label("IT-spåret").check()
    _granska(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka inbjudan").click()
    ida = User.objects.get(email="ida@habo.se")
    assert list(ida.ansvar_for_insatser.all()) == [insats]
    page.get_by_role("link", name="Ida Berg").click()
    _granska(page)
