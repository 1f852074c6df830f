"""Each role finds its work: the menus per role, the insatsansvarig's year, the goal page's
summary for the board, "Rapporter" on the latest complete year and the texts editor's inserts
and preview, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import logga_in
from tests.browser.test_tillganglighet import AXE, WCAG_21_AA

pytestmark = pytest.mark.browser


def _meny(page: Page) -> list[str]:
    return page.get_by_role("navigation", name="Huvudmeny").get_by_role("link").all_inner_texts()


def _inga_axe_fel(page: Page) -> None:
    resultat = AXE.run(page, options=WCAG_21_AA)
    assert resultat.violations_count == 0, resultat.generate_report()


@pytest.mark.parametrize(
    ("anvandare", "punkter", "startsida"),
    [
        ("insatsansvarig", ["Mina insatser", "Enkäter"], r"/registrering/mina-insatser/$"),
        (
            "verksamhetsutvecklare",
            [
                "Månadsöversikt",
                "Mål",
                "Rapporter",
                "Enkäter",
                "Konton",
                "Administration",
            ],
            r"/registrering/$",
        ),
        (
            "forbundschef",
            [
                "Månadsöversikt",
                "Mål",
                "Rapporter",
                "Enkäter",
                "Konton",
                "Administration",
            ],
            r"/registrering/$",
        ),
        ("styrelse", ["Mål", "Rapporter", "Enkäter"], r"/mal/$"),
    ],
)
def test_menyn_per_roll(page: Page, anvandare: str, punkter: list[str], startsida: str) -> None:
    logga_in(page, anvandare)
    expect(page).to_have_url(re.compile(startsida))
    assert _meny(page) == punkter


def test_styrelsen_hamnar_aldrig_i_admin(page: Page) -> None:
    logga_in(page, "styrelse")
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Ingen behörighet", level=1)).to_be_visible()
    expect(page.get_by_text("verksamhetsutvecklarens och förbundschefens verktyg")).to_be_visible()
    assert "Administration" not in _meny(page)


def test_insatsansvarig_nar_varje_manad_av_sina_insatser(page: Page) -> None:
    logga_in(page, "insatsansvarig")
    expect(page.get_by_role("heading", name="Mina insatser 2026", level=1)).to_be_visible()
    # What waits comes first, then the whole year.
    vantar = page.get_by_role("heading", name=re.compile(r"^Månader som väntar på dig"))
    aret = page.get_by_role("heading", name="Alla månader 2026", level=2)
    assert vantar.bounding_box()["y"] < aret.bounding_box()["y"]
    # An approved month opens too, read-only.
    page.get_by_role(
        "link", name=re.compile(r"^Försteg Motala, mars 2026: (godkänd|registrerad)")
    ).click()
    expect(page.get_by_role("heading", name="Försteg Motala, mars 2026", level=1)).to_be_visible()
    expect(page.get_by_label("Nya kvinnor", exact=True)).to_have_count(0)
    page.go_back()

    page.get_by_role("navigation", name="Välj år").get_by_role("link", name="← 2025").click()
    expect(page.get_by_role("heading", name="Mina insatser 2025", level=1)).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"^Försteg Vadstena, december 2025: "))
    ).to_be_visible()
    expect(page.get_by_role("link", name="Mina insatser", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    _inga_axe_fel(page)


def test_bekraftad_balans_ar_skrivskyddad_for_insatsansvarig(page: Page) -> None:
    logga_in(page, "insatsansvarig")
    # Chromium puts a space before a visually hidden (absolutely positioned) span.
    page.get_by_role(
        "link", name=re.compile(r"^Försteg Motala ?, ingående balans 1.1 2026$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Försteg Motala")
    expect(page.get_by_text("Balansen är bekräftad och kan inte ändras här.")).to_be_visible()
    expect(page.get_by_role("button", name="Spara rättelse")).to_have_count(0)
    expect(page.locator("#historik + ol li").first).to_contain_text("Bekräftad")
    _inga_axe_fel(page)


@pytest.mark.parametrize("bredd", [1366, 390])
def test_styrelsen_ser_sammanfattningen_forst(page: Page, bredd: int) -> None:
    page.set_viewport_size({"width": bredd, "height": 900})
    logga_in(page, "styrelse")
    sammanfattning = page.get_by_role("region", name="Sammanfattning 2026")
    expect(sammanfattning).to_be_visible()
    expect(sammanfattning).to_contain_text(re.compile(r"\d av 8 volymmål nås"))
    expect(sammanfattning).to_contain_text("Enkätmålet:")
    expect(sammanfattning).to_contain_text("Ekonomi, utfall t.o.m. september:")
    expect(page.locator(".ingress")).to_contain_text("den senaste månad som någon insats")
    # The volume table's Status is there on a phone too.
    status = page.get_by_role("region", name=re.compile("^Volymmål")).locator(".malstatus")
    expect(status.first).to_be_visible()
    _inga_axe_fel(page)


def test_rapporter_oppnar_senaste_hela_aret(page: Page) -> None:
    logga_in(page, "styrelse")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Rapporter").click()
    expect(page).to_have_url(re.compile(r"/rapporter/2025/$"))
    page.get_by_role("link", name="2026 (preliminär)").click()
    expect(page).to_have_url(re.compile(r"/rapporter/2026/$"))


def test_texter_infogas_och_forhandsvisas_medan_man_skriver(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/rapporter/2025/texter/")
    metod = page.get_by_label("2 Metod")
    expect(metod).not_to_have_value(re.compile(r"\{(ar|period)\}"))
    metod.fill("Året är ")
    metod.press("End")
    page.get_by_role("button", name="Infoga: Rapportåret (2025)").click()
    expect(metod).to_have_value("Året är «rapportår»")
    expect(page.locator("#forhandsvisning-metod")).to_have_text("Året är 2025")
    metod.press("End")
    metod.type(", perioden ")
    page.get_by_role(
        "button", name="Infoga: Perioden (1 januari till och med den 31 december 2025)"
    ).click()
    expect(page.locator("#forhandsvisning-metod")).to_have_text(
        "Året är 2025, perioden 1 januari till och med den 31 december 2025"
    )
    _inga_axe_fel(page)


def test_texter_forhandsgranskas_utan_javascript(context_utan_js: BrowserContext) -> None:
    page = context_utan_js.new_page()
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/rapporter/2025/texter/")
    expect(page.get_by_role("button", name=re.compile("^Infoga"))).to_have_count(0)
    expect(page.get_by_text("«rapportår»: rapportåret, 2025")).to_be_visible()
    page.get_by_label("2 Metod").fill("Gäller «period».")
    with page.expect_navigation():
        page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.locator("#forhandsvisning-metod")).to_have_text(
        "Gäller 1 januari till och med den 31 december 2025."
    )
    expect(page.get_by_label("2 Metod")).to_have_value("Gäller «period».")
    # (axe runs JavaScript in the page: the pages with JavaScript are checked above.)
