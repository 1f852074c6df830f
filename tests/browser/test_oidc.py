"""Single sign-on in Chromium: the login page with the provider's button passes axe at a
laptop's and a phone's width, the button (a link) takes the person through the real test
provider and back under the strict CSP, and the logout form's redirect to the provider's
end_session is allowed by form-action."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from registrering.models import AuditEntry, Forbund
from registrering.permissions import Roll
from tests import factories
from tests.browser import test_csp
from tests.browser.test_tillganglighet import AXE, BREDDER, HOJD, WCAG_21_AA
from tests.oidc_leverantor.fixtur import LOSENORD, Leverantor, oidc_pa, starta_leverantor

pytestmark = pytest.mark.browser

overtradelser = test_csp.overtradelser  # the CSP listener fixture
KNAPP = "Logga in med organisationens konto"


@pytest.fixture(scope="session")
def oidc_leverantor(
    live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Leverantor]:
    yield from starta_leverantor(live_server.url, tmp_path_factory.mktemp("oidc_leverantor"))


def _med_utloggning_till(leverantor: Leverantor) -> dict[str, Any]:
    """The settings that OIDC_OP_LOGOUT_ENDPOINT gives (finsam/settings.py): the endpoint, the
    ID token kept for its hint, and the provider's origin in form-action."""
    csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    csp["DIRECTIVES"]["form-action"] = [*csp["DIRECTIVES"]["form-action"], leverantor.url]
    return {
        "OIDC_OP_LOGOUT_ENDPOINT": leverantor.end_session,
        "OIDC_STORE_ID_TOKEN": True,
        "CONTENT_SECURITY_POLICY": csp,
    }


def test_inloggningssidan_med_knappen_klarar_axe_och_bredderna(
    page: Page, oidc_leverantor: Leverantor, demo: Forbund
) -> None:
    with oidc_pa(oidc_leverantor):
        page.set_viewport_size({"width": BREDDER[0], "height": HOJD})
        page.goto("/logga-in/")
        knapp = page.get_by_role("link", name=KNAPP)
        expect(knapp).to_be_visible()
        rapporter = {}
        for bredd in BREDDER:
            page.set_viewport_size({"width": bredd, "height": HOJD})
            bredd_i_sidan, synlig = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert bredd_i_sidan <= synlig, bredd
            resultat = AXE.run(page, options=WCAG_21_AA)
            if resultat.violations_count:
                rapporter[bredd] = resultat.generate_report()
        assert not rapporter, "\n".join(f"Vid {b} px:\n{r}" for b, r in rapporter.items())
        # Keyboard: past the skip link and the logo, the button is next.
        for _ in range(3):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == KNAPP


def test_inloggning_och_utloggning_via_leverantoren_i_chromium(
    page: Page, overtradelser: list[str], oidc_leverantor: Leverantor, demo: Forbund
) -> None:
    factories.UserFactory(
        username="anna",
        email="anna.andersson@testbygden.se",
        forbund=demo,
        roll=Roll.VERKSAMHETSUTVECKLARE,
        is_staff=True,
    )
    with oidc_pa(oidc_leverantor, **_med_utloggning_till(oidc_leverantor)):
        page.goto("/logga-in/")
        with page.expect_navigation():
            page.get_by_role("link", name=KNAPP).click()
        expect(page.get_by_role("heading", name="Testleverantörens inloggning")).to_be_visible()
        page.get_by_label("Username").fill("anna")
        page.get_by_label("Password").fill(LOSENORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Logga in").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Authorize").click()  # the provider's consent
        expect(page.get_by_role("heading", name="Månadsöversikt 2026", level=1)).to_be_visible()

        besokta: list[str] = []
        page.on("response", lambda svar: besokta.append(svar.url))
        # The app's logout → the provider's end_session → back to the app's login page.
        with page.expect_navigation(url=re.compile(r"/logga-in/$")):
            page.get_by_role("button", name="Logga ut", exact=True).click()
        assert any(url.startswith(f"{oidc_leverantor.end_session}?") for url in besokta), besokta
        expect(page.get_by_role("link", name=KNAPP)).to_be_visible()
    assert overtradelser == []
    assert list(
        AuditEntry.objects.filter(object_repr="anna")
        .order_by("id")
        .values_list("action", "kommentar")
    ) == [
        (AuditEntry.Action.INLOGGAD, "Med OpenID Connect (organisationens konto)."),
        (AuditEntry.Action.UTLOGGAD, ""),
    ]
