"""The transition matrix on a phone: the grid scrolls inside its own labelled region, never the
page; every cell is found by its label and saved by keyboard alone; the result page and its
charts fit too."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from registrering.models import Forbund, Forflyttning, Insats
from tests.browser.conftest import logga_in

pytestmark = pytest.mark.browser

AR = 2026
BREDD = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def test_matrisen_rullar_i_sin_ruta_och_sparas_med_tangentbordet(page: Page, demo: Forbund) -> None:
    insats = Insats.objects.get(forbund=demo, namn="Försteg Motala")
    page.set_viewport_size({"width": 390, "height": 900})
    logga_in(page, "verksamhetsutvecklare")
    page.goto(f"/effekter/{AR}/nyckeltal/")
    hamta = page.get_by_role("button", name="Hämta nyckeltal")
    if hamta.count():
        hamta.click()
    sidbredd, fonster = page.evaluate(BREDD)
    assert sidbredd <= fonster  # the key figures' page too
    page.goto(f"/effekter/{AR}/forflyttningar/{insats.pk}/")

    region = page.get_by_role("region", name="Förflyttningsmatris, rullbar tabell")
    bredd, synlig = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert bredd > synlig  # the grid is wider than a phone ...
    sidbredd, fonster = page.evaluate(BREDD)
    assert sidbredd <= fonster  # ... and scrolls in its box, not the page

    cell = page.get_by_label("Från försörjningsstöd till arbete")
    cell.focus()
    page.keyboard.type("4")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"/effekter/{AR}/forflyttningar/#insats-{insats.pk}")
    rad = Forflyttning.objects.get(insats=insats, ar=AR, fran="forsorjningsstod", till="arbete")
    assert rad.antal == 4
    expect(page.get_by_role("heading", name="Förbundet: alla insatser")).to_be_visible()
    sidbredd, fonster = page.evaluate(BREDD)
    assert sidbredd <= fonster
