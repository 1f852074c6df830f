"""A cold PDF in the browser: "Ladda ned PDF" opens a page that says how the build goes and,
with JavaScript, updates it in place (a failure, then a retry) and starts the download; without
JavaScript the page reloads itself and the download starts too. axe-core is clean in each state.

The build runs on the real background pool; WeasyPrint is replaced by a stub that waits for the
test, so that each state can be seen."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.fixtures import Settings

from rapporter import pdf
from tests.browser.conftest import logga_in

pytestmark = pytest.mark.browser

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
FALSK_PDF = b"%PDF-1.7 webblasare"
FILNAMN = "Uppfoljning-FINSAM-SVO-2025.pdf"


class Bygge:
    """Stands in for WeasyPrint: each build waits until the test lets it go, and the first one
    fails if the test says so."""

    def __init__(self, forsta_misslyckas: bool) -> None:
        self.forsta_misslyckas = forsta_misslyckas
        self.slapp = threading.Event()
        self.antal = 0

    def __call__(self, rapport: object) -> bytes:
        self.antal += 1
        if self.antal == 1:
            assert self.slapp.wait(20)
            if self.forsta_misslyckas:
                raise RuntimeError("WeasyPrint föll (provat fel)")
        return FALSK_PDF


@pytest.fixture
def bakgrund(settings: Settings) -> None:
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    cache.clear()


@pytest.fixture
def bygge(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[Bygge]:
    stub = Bygge(forsta_misslyckas=getattr(request, "param", False))
    monkeypatch.setattr(pdf, "_bygg", stub)
    yield stub
    stub.slapp.set()  # never leave a pool thread waiting


def _axe_ren(page: Page) -> None:
    resultat = AXE.run(page, options=WCAG_21_AA)
    assert resultat.violations_count == 0, resultat.generate_report()


def _till_bygget(page: Page) -> None:
    logga_in(page, "forbundschef")
    page.goto("/rapporter/2025/")
    page.get_by_role("link", name="Ladda ned PDF").click()
    expect(
        page.get_by_role("heading", name="Bilagan byggs – det tar några sekunder", level=1)
    ).to_be_visible()


@pytest.mark.parametrize("bygge", [True], indirect=True)
def test_med_javascript_uppdateras_sidan_pa_plats(page: Page, bakgrund: None, bygge: Bygge) -> None:
    _till_bygget(page)
    status = page.get_by_role("status")
    expect(status).to_contain_text("Bygget har")
    _axe_ren(page)

    # The build fails: the page says so without a reload (the status line is read out).
    bygge.slapp.set()
    rubrik = page.get_by_role("heading", level=1)
    # Told at the page's next question (every few seconds): on a busy machine that can take
    # longer than the default 5 s wait.
    expect(rubrik).to_have_text("Bilagan kunde inte byggas", timeout=15_000)
    expect(status).to_contain_text("Felet är loggat")
    assert page.url.endswith("/rapporter/2025/pdf/")
    _axe_ren(page)

    # Retry with the keyboard: the build starts again and the download follows by itself.
    page.get_by_role("link", name="Försök igen").focus()
    with page.expect_download(timeout=15_000) as nedladdning:
        page.keyboard.press("Enter")
    assert nedladdning.value.suggested_filename == FILNAMN
    assert bygge.antal == 2
    expect(rubrik).to_have_text("Bilagan är klar")
    expect(page.get_by_role("status")).to_contain_text(f"Nedladdningen av {FILNAMN}")
    _axe_ren(page)


def test_utan_javascript_laddar_sidan_om_sig_sjalv(
    context_utan_js: BrowserContext, bakgrund: None, bygge: Bygge
) -> None:
    page = context_utan_js.new_page()
    _till_bygget(page)
    expect(page.get_by_role("link", name="fråga igen nu")).to_be_visible()
    with page.expect_download(timeout=15_000) as nedladdning:
        bygge.slapp.set()
    assert nedladdning.value.suggested_filename == FILNAMN
    expect(page.get_by_role("heading", name="Bilagan är klar", level=1)).to_be_visible()
    assert bygge.antal == 1
