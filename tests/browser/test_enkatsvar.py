"""Answering a survey through its public link in Chromium, as a participant would: on a phone
(390×844) with JavaScript off, and with it on using only the keyboard. No login, no horizontal
scrolling, large touch targets, axe clean, and only the CSRF cookie and the one-answer cookie.

axe-core is JavaScript: it runs in the tests with JavaScript on (the page is the same HTML)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from registrering.models import Enkatsvar, Enkattillfalle, Forbund
from tests.browser.test_tillganglighet import AXE, WCAG_21_AA
from tests.enkater.enkathjalp import FRAGOR, LANK, SVAR, lanktillfalle

pytestmark = pytest.mark.browser

TELEFON = {"width": 390, "height": 844}
URL = f"/e/{LANK}/"
TRYCKYTA = 44  # px: WCAG 2.5.5's target size, --tryckyta


def _tillfalle(demo: Forbund, idag: dt.date) -> Enkattillfalle:
    return lanktillfalle(
        demo, datum=idag - dt.timedelta(days=1), slutdatum=idag + dt.timedelta(days=7)
    )


def _axe_rent(page: Page) -> None:
    resultat = AXE.run(page, options=WCAG_21_AA)
    assert not resultat.violations_count, resultat.generate_report()


def _rullar_inte_i_sidled(page: Page) -> None:
    sidbredd, fonster = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert sidbredd <= fonster, f"sidan är {sidbredd} px bred i {fonster} px"


def _antal(tillfalle: Enkattillfalle) -> dict[tuple[str, str], int]:
    """The counts above 0 (a link round has a row with 0 for every option from the start)."""
    rader = Enkatsvar.objects.filter(tillfalle=tillfalle, antal__gt=0)
    return {
        (s.alternativ.fraga.text, s.alternativ.text): s.antal
        for s in rader.select_related("alternativ__fraga")
    }


def test_svara_pa_telefonen_utan_javascript(
    context_utan_js: BrowserContext, demo: Forbund, fryst_idag: dt.date
) -> None:
    tillfalle = _tillfalle(demo, fryst_idag)
    page = context_utan_js.new_page()
    page.set_viewport_size(TELEFON)
    page.goto(URL)
    expect(page.get_by_role("heading", name="Föreläsning om samverkan", level=1)).to_be_visible()
    expect(page.get_by_text("Du är anonym.")).to_be_visible()
    _rullar_inte_i_sidled(page)

    # Every answer is a large touch target: the whole row, not only the small circle.
    for rad in page.locator("label.val").all():
        ruta = rad.bounding_box()
        assert ruta is not None and ruta["height"] >= TRYCKYTA and ruta["width"] >= 300, ruta
    # The honeypot is neither seen (a clipped pixel) nor in the accessibility tree.
    ruta = page.locator("div.honung").bounding_box()  # overflow: hidden
    assert ruta is not None and ruta["width"] <= 1 and ruta["height"] <= 1, ruta
    expect(page.get_by_role("textbox")).to_have_count(0)

    # A tap on the answer's text chooses it; the second question is skipped.
    page.get_by_role("group", name=f"1. {FRAGOR[0]}").get_by_text(SVAR[0]).click()
    page.get_by_role("group", name=f"3. {FRAGOR[2]}").get_by_label(SVAR[1]).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", name="Tack för ditt svar!", level=1)).to_be_visible()
    _rullar_inte_i_sidled(page)
    assert _antal(tillfalle) == {(FRAGOR[0], SVAR[0]): 1, (FRAGOR[2], SVAR[1]): 1}

    # Only the CSRF cookie and the one-answer cookie, which is for this link alone.
    kakor = {k["name"]: k for k in context_utan_js.cookies()}
    assert set(kakor) == {"csrftoken", "enkat_svarat"}
    assert kakor["enkat_svarat"]["path"] == URL
    assert kakor["enkat_svarat"]["httpOnly"] and kakor["enkat_svarat"]["sameSite"] == "Lax"

    page.goto(URL)
    expect(page.get_by_role("heading", name="Du har redan svarat", level=1)).to_be_visible()
    tillfalle.refresh_from_db()
    assert tillfalle.antal_svar == 1


def test_svara_med_tangentbordet_och_javascript(
    context: BrowserContext, demo: Forbund, fryst_idag: dt.date
) -> None:
    tillfalle = _tillfalle(demo, fryst_idag)
    page = context.new_page()
    page.set_viewport_size(TELEFON)
    overtradelser: list[str] = []
    page.on(
        "console",
        lambda m: overtradelser.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(URL)

    # Sending nothing: the message says so and nothing is counted.
    page.get_by_role("button", name="Skicka svaren").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Svara på minst en fråga")
    _axe_rent(page)
    assert _antal(tillfalle) == {}

    # Tab reaches the first answer of each question (a radio group is one tab stop), arrows
    # move within it, Space chooses; the honeypot is never reached.
    besokta = []
    page.locator("body").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        namn = page.evaluate("document.activeElement.name || document.activeElement.textContent")
        besokta.append(namn.strip())
        if namn.strip() == "Skicka svaren":
            break
    assert "webbplats" not in besokta
    assert besokta[-1] == "Skicka svaren"
    assert len([b for b in besokta if b.startswith("fraga_")]) == 3

    page.goto(URL)  # focus back at the top of the page
    page.keyboard.press("Tab")  # the first answer of question 1
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # question 2
    page.keyboard.press("ArrowDown")  # moves to and chooses "Delvis"
    page.keyboard.press("Tab")  # question 3, left unanswered
    page.keyboard.press("Tab")  # the button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tack för ditt svar!", level=1)).to_be_visible()
    assert _antal(tillfalle) == {(FRAGOR[0], SVAR[0]): 1, (FRAGOR[1], SVAR[1]): 1}
    assert overtradelser == []
    _axe_rent(page)
    assert {k["name"] for k in context.cookies()} == {"csrftoken", "enkat_svarat"}
    page.goto(URL)
    expect(page.get_by_role("heading", name="Du har redan svarat", level=1)).to_be_visible()
    _axe_rent(page)


def test_stangd_enkat_pa_telefonen(
    context: BrowserContext, demo: Forbund, fryst_idag: dt.date
) -> None:
    tillfalle = _tillfalle(demo, fryst_idag)
    tillfalle.stangd = True
    tillfalle.save()
    page = context.new_page()
    page.set_viewport_size(TELEFON)
    page.goto(URL)
    expect(page.get_by_role("heading", name="Enkäten är stängd", level=1)).to_be_visible()
    expect(page.get_by_role("button")).to_have_count(0)
    _rullar_inte_i_sidled(page)
    _axe_rent(page)
    svar = page.goto("/e/finns-inte/")
    assert svar is not None and svar.status == 404
    expect(page.get_by_role("heading", name=re.compile("^Enkäten finns inte"))).to_be_visible()
    _axe_rent(page)
