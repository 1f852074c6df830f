"""No sideways scrolling of the page itself: every main page of every role at a phone (390 px),
a tablet (768), a laptop (1366) and a large screen (1920). Tables may scroll inside their own
labelled region, but the things people open a page for stay in view: all twelve months of the
månadsöversikt and all four quarters of the utfall on a laptop, the goal page's Status on a phone,
the month form's pågående inside its box."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from registrering.models import (
    Enkat,
    Enkattillfalle,
    Forbund,
    Insats,
    Respondentgrupp,
)
from tests.browser.conftest import logga_in

pytestmark = pytest.mark.browser

BREDDER = (390, 768, 1366, 1920)
HOJD = 900

# The pages each role works in besides its menu (which `_adresser` adds as it finds it); "{…}"
# stands for an insats' id.
SIDOR: dict[str, list[str]] = {
    # The public answer page of the round below (no login), its thanks, an unknown link.
    "": [
        "/logga-in/",
        "/finns-inte/",
        "/e/bredder-runda/",
        "/e/bredder-runda/tack/",
        "/e/finns-inte/",
    ],
    "insatsansvarig": [
        "/",
        "/registrering/mina-insatser/2025/",
        "/konton/paminnelser/",
        "/registrering/insats/{vadstena}/2026/10/",
        "/registrering/insats/{vadstena}/2026/ingaende-balans/",
        "/konton/tvasteg/",
        "/enkater/resultat/",
    ],
    # The installation's systemadministratör (the demo's `system`): its förbund and groups.
    "system": [
        "/system/",
        "/system/forbund/ny/",
        "/system/forbund/{forbund}/",
        "/system/forbund/{forbund}/bjud-in/",
        "/system/grupper/",
    ],
    "verksamhetsutvecklare": [
        "/",
        "/registrering/2026/",
        "/kom-igang/2025/",
        "/registrering/insats/{motala}/2026/10/",
        "/registrering/insats/{vadstena}/2026/ingaende-balans/",
        "/mal/2026/",
        "/mal/2026/utfall/m10/",
        "/rapporter/2025/",
        "/rapporter/2026/",
        "/rapporter/2025/texter/",
        "/rapporter/2025/kommentar/volym/",
        "/rapporter/2026/underlag/",
        "/konton/paminnelser/",
        "/admin/",
        "/admin/registrering/insats/",
        "/konton/tvasteg/",
        "/konton/tvasteg/aktivera/",
        "/konton/tvasteg/forbundet/",
        "/konton/",
        "/konton/anvandare/",
        "/konton/anvandare/ny/",
        "/data/",
        "/data/importera/",
        "/enkater/resultat/?visa=tillfalle",
        "/enkater/tillfalle/ny/",
        "/enkater/tillfalle/{runda}/",
        "/enkater/tillfalle/{runda}/affisch/",
        "/enkater/fragor/",
        "/enkater/fragor/ny/",
        "/enkater/indikatorer/2026/",
        "/enkater/indikatorer/importera/",
        "/effekter/2025/",
        "/effekter/2023/",
        "/effekter/2025/nyckeltal/",
        "/effekter/2024/nyckeltal/",
        "/effekter/2025/forflyttningar/",
        "/effekter/2025/forflyttningar/{motala}/",
    ],
    "forbundschef": ["/", "/registrering/2026/", "/mal/2026/", "/rapporter/2025/"],
    "styrelse": [
        "/",
        "/mal/2026/",
        "/mal/2025/",
        "/rapporter/2025/",
        "/rapporter/2026/",
        "/enkater/resultat/",
        "/enkater/indikatorer/2026/",
        "/effekter/2025/",
        "/effekter/2026/",
        "/effekter/2025/nyckeltal/",
        "/effekter/2025/forflyttningar/",
    ],
}

BREDD = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _insats(demo: Forbund, namn: str) -> int:
    return Insats.objects.get(forbund=demo, namn=namn).pk


def _runda(demo: Forbund) -> int:
    """A round answered by the link, with its QR code and poster (the demo's answers are
    imported), for the training survey."""
    runda, _ = Enkattillfalle.objects.get_or_create(
        forbund=demo,
        lank="bredder-runda",
        defaults={
            "enkat": Enkat.objects.get(forbund=demo, slag=Enkat.Slag.UTBILDNING),
            "respondentgrupp": Respondentgrupp.KURSDELTAGARE,
            "namn": "Föreläsning om psykisk ohälsa och arbete för chefer och handläggare",
            "datum": dt.date(2026, 11, 20),
            "kalla": Enkattillfalle.Kalla.LANK,
        },
    )
    return runda.pk


def _adresser(page: Page, roll: str, demo: Forbund) -> list[str]:
    """The role's pages and every link in its main menu, each once, in order."""
    ids = {
        "vadstena": _insats(demo, "Försteg Vadstena"),
        "motala": _insats(demo, "Försteg Motala"),
        "runda": _runda(demo),
        "forbund": demo.pk,
    }
    adresser = [a.format(**ids) for a in SIDOR[roll]]
    if roll:
        page.goto("/")
        meny = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link")
        adresser += [meny.nth(i).get_attribute("href") or "" for i in range(meny.count())]
    return list(dict.fromkeys(adresser))


def _bredd_vid(page: Page, adress: str, bredd: int) -> tuple[int, int]:
    page.set_viewport_size({"width": bredd, "height": HOJD})
    svar = page.goto(adress)
    assert svar is not None and svar.status in {200, 404}, (adress, svar and svar.status)
    sidbredd, fonster = page.evaluate(BREDD)
    return sidbredd, fonster


@pytest.mark.parametrize("roll", list(SIDOR), ids=lambda r: r or "anonym")
def test_ingen_sida_rullar_i_sidled(context: BrowserContext, demo: Forbund, roll: str) -> None:
    page = context.new_page()
    if roll:
        logga_in(page, roll)
    adresser = _adresser(page, roll, demo)
    assert len(adresser) >= len(SIDOR[roll])

    for_breda = []
    for adress in adresser:
        for bredd in BREDDER:
            sidbredd, fonster = _bredd_vid(page, adress, bredd)
            assert fonster == bredd
            if sidbredd > fonster:
                for_breda.append(f"{adress} vid {bredd} px: sidan är {sidbredd} px bred")
    assert not for_breda, "\n".join(for_breda)


def _helt_synlig(page: Page, element: Locator) -> None:
    """In the viewport and not cut off by a scrolling region around it.

    Only the page scrolls, and only down: scrolling a region sideways would hide the fault.
    """
    element.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 100)")
    expect(element).to_be_in_viewport(ratio=1)
    ruta = element.bounding_box()
    assert ruta is not None
    assert ruta["x"] >= 0 and ruta["x"] + ruta["width"] <= page.evaluate("innerWidth")


def _rullar_inte(region: Locator) -> None:
    bredd, synlig = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert bredd <= synlig, f"regionen rullar: {bredd} px i {synlig} px"


def test_manadsoversikten_visar_december_pa_en_laptop(page: Page) -> None:
    page.set_viewport_size({"width": 1366, "height": HOJD})
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/registrering/2026/")

    _rullar_inte(page.get_by_role("region", name="Månadsöversikt, rullbar tabell"))
    _helt_synlig(page, page.get_by_role("columnheader", name="december"))
    for rad in page.locator("table.oversikt tbody tr").all():
        _helt_synlig(page, rad.locator("td").last)
    # The short word in the cell, the full state for a screen reader.
    cell = page.get_by_role(
        "link", name="Försteg Boxholm, januari 2026: registrerad i Uppföljning Finsam"
    )
    expect(cell).to_have_text(re.compile(r"reg\.$"))
    expect(page.locator(".sammanfattning")).to_contain_text("Registrerad i Uppföljning Finsam: ")


def test_manadsoversikten_ar_ett_kort_per_insats_pa_telefonen(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": HOJD})
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/registrering/2026/")

    region = page.get_by_role("region", name="Månadsöversikt, rullbar tabell")
    _rullar_inte(region)
    rader = page.locator("table.oversikt tbody tr")
    assert rader.count() >= 10
    kort = rader.filter(has_text="Försteg Motala")
    assert kort.evaluate("el => getComputedStyle(el).display") == "grid"
    # Every month of the insats, each with its name on it, within the phone's width.
    etiketter = kort.locator(".manadsetikett")
    expect(etiketter).to_have_count(12)
    expect(etiketter.last).to_have_text("dec")
    for i in (0, 3, 11):
        _helt_synlig(page, kort.locator("td").nth(i))
    expect(
        kort.get_by_role("link", name="Försteg Motala, oktober 2026: utkast, försenad")
    ).to_be_visible()


def test_utfallet_visar_kvartal_4_pa_en_laptop(page: Page) -> None:
    page.set_viewport_size({"width": 1366, "height": HOJD})
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/mal/2026/utfall/m10/")

    _rullar_inte(page.get_by_role("region", name="Registrerat utfall, rullbar tabell"))
    _helt_synlig(page, page.get_by_role("columnheader", name="Kvartal 4"))
    _helt_synlig(page, page.get_by_role("columnheader", name="Totalt"))


def test_malsidans_status_syns_pa_telefonen(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": HOJD})
    logga_in(page, "styrelse")
    page.goto("/mal/2026/")

    rader = page.get_by_role("region", name="Volymmål, rullbar tabell").locator("tbody tr")
    assert rader.count() >= 5
    for rad in rader.all():
        status = rad.locator("td").last
        _helt_synlig(page, status)
        expect(status).to_have_text(re.compile(r"^(Når målet|Risk|Når inte målet)\s*$"))
        # The card's label, drawn by CSS (screen readers have the column head).
        etikett = status.evaluate("el => getComputedStyle(el, '::before').content")
        assert etikett.startswith('"Status"'), etikett


def test_manadsformularets_pagaende_ryms_i_sin_ruta_pa_telefonen(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": HOJD})
    logga_in(page, "insatsansvarig")
    page.get_by_role("link", name="Försteg Vadstena, oktober 2026").first.click()

    ruta = page.locator(".berakning").bounding_box()
    assert ruta is not None
    varden = page.locator(".berakning dd")
    assert varden.count() == 2
    for i in range(2):
        varde = varden.nth(i).bounding_box()
        assert varde is not None
        assert ruta["x"] <= varde["x"] and varde["x"] + varde["width"] <= ruta["x"] + ruta["width"]
    expect(varden.first).to_contain_text("kvinnor")
    assert page.evaluate(BREDD) == [390, 390]
