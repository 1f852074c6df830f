"""The month in the browser: reported, returned with a comment, corrected and approved.

The people use the keyboard where it is natural (typing, Tab between the numbers, Enter on the
buttons); the assertions read what a person sees – labels, headings, link names, the live sum.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, Manadsrapport
from tests.browser.conftest import logga_in, logga_ut, tal
from tests.browser.test_tillganglighet import AXE, WCAG_21_AA

pytestmark = pytest.mark.browser

VADSTENA = "Försteg Vadstena"
OKTOBER = "oktober 2026"
FLODE = ("Nya kvinnor", "Nya män", "Avslutade kvinnor", "Avslutade män")
PAGAENDE = re.compile(r"^(\S+) \((\S+) kvinnor, (\S+) män\)$")


def _pagaende(text: str) -> tuple[int, int, int]:
    """'12 (5 kvinnor, 7 män)' → (12, 5, 7)."""
    match = PAGAENDE.match(text.strip())
    assert match, f"Oväntad text för pågående: {text!r}"
    totalt, kvinnor, man = (tal(g) for g in match.groups())
    assert totalt == kvinnor + man, text
    return totalt, kvinnor, man


def _pagaende_text(kvinnor: int, man: int) -> str:
    return f"{kvinnor + man} ({kvinnor} kvinnor, {man} män)"


def _berakning(page: Page, rubrik: str) -> Locator:
    return page.locator(".berakning dt", has_text=rubrik).locator("xpath=following-sibling::dd[1]")


def _skriv_flodet(page: Page, varden: tuple[int, int, int, int]) -> None:
    """Type the four numbers, moving between the fields with Tab as a keyboard user does."""
    page.get_by_label(FLODE[0], exact=True).focus()
    for i, (etikett, varde) in enumerate(zip(FLODE, varden, strict=True)):
        falt = page.get_by_label(etikett, exact=True)
        expect(falt).to_be_focused()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(str(varde))
        if i < len(FLODE) - 1:
            page.keyboard.press("Tab")


def _tryck(page: Page, knapp: str) -> None:
    """Focus a button and press Enter; wait for the page the server answers with."""
    page.get_by_role("button", name=knapp, exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _oppna_cell(page: Page, status: str) -> None:
    expect(page.get_by_role("heading", name="Månadsöversikt 2026", level=1)).to_be_visible()
    page.get_by_role("link", name=f"{VADSTENA}, {OKTOBER}: {status}", exact=True).click()
    expect(page.get_by_role("heading", name=f"{VADSTENA}, {OKTOBER}", level=1)).to_be_visible()


def test_rapportera_returnera_rätta_och_godkänn(page: Page) -> None:
    # The insatsansvarig reports October.
    logga_in(page, "insatsansvarig")
    expect(page.get_by_role("heading", name="Mina insatser", level=1)).to_be_visible()
    page.get_by_role("link", name=f"{VADSTENA}, {OKTOBER}", exact=True).click()
    expect(page.get_by_role("heading", name=f"{VADSTENA}, {OKTOBER}", level=1)).to_be_visible()

    _, start_k, start_m = _pagaende(_berakning(page, "Pågående vid månadens början").inner_text())
    slut = page.locator("#slut")
    expect(slut).to_have_text(_pagaende_text(start_k, start_m))  # the script has run
    _skriv_flodet(page, (2, 1, 1, 1))
    expect(slut).to_have_text(_pagaende_text(start_k + 2 - 1, start_m + 1 - 1))
    _tryck(page, "Skicka in")
    expect(page.get_by_role("status")).to_contain_text(
        f"{VADSTENA}, {OKTOBER} är inskickad för granskning."
    )
    expect(page.locator(".sammanfattning")).to_contain_text("Status: Inskickad")
    logga_ut(page)

    # The verksamhetsutvecklare returns it with a comment.
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    logga_in(page, "verksamhetsutvecklare")
    _oppna_cell(page, "inskickad")
    kommentar = "Avslutade män ska vara 0 i oktober, kontrollera listan."
    page.get_by_label("Vad behöver rättas?").fill(kommentar)
    _tryck(page, "Returnera")
    expect(page.get_by_role("status")).to_contain_text("är returnerad till den insatsansvariga")
    logga_ut(page)

    # The insatsansvarig sees the comment and corrects one number.
    logga_in(page, "insatsansvarig")
    page.get_by_role("link", name=f"{VADSTENA}, {OKTOBER}", exact=True).click()
    notis = page.get_by_role("note")
    expect(notis).to_contain_text("Returnerad av verksamhetsutvecklaren")
    expect(notis).to_contain_text(kommentar)
    expect(page.get_by_label("Nya kvinnor", exact=True)).to_have_value("2")
    avslutade_man = page.get_by_label("Avslutade män", exact=True)
    avslutade_man.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("0")
    expect(slut).to_have_text(_pagaende_text(start_k + 1, start_m + 1))
    _tryck(page, "Skicka in")
    expect(page.get_by_role("status")).to_contain_text("är inskickad för granskning")
    logga_ut(page)

    # The verksamhetsutvecklare approves.
    logga_in(page, "verksamhetsutvecklare")
    _oppna_cell(page, "inskickad")
    _tryck(page, "Godkänn")
    expect(page.get_by_role("status")).to_contain_text("är godkänd och låst")
    expect(page.locator(".sammanfattning")).to_contain_text("Status: Godkänd")

    rapport = Manadsrapport.objects.get(insats__namn=VADSTENA, ar=2026, manad=10)
    assert rapport.status == Manadsrapport.Status.GODKAND
    assert rapport.last
    assert (rapport.nya_kvinnor, rapport.nya_man) == (2, 1)
    assert (rapport.avslutade_kvinnor, rapport.avslutade_man) == (1, 0)
    steg = [
        (e.action, e.user.username if e.user else None)
        for e in audit_entries_for(rapport).order_by("tid", "id")
    ]
    A = AuditEntry.Action
    assert steg == [
        (A.SKAPAD, "insatsansvarig"),
        (A.INSKICKAD, "insatsansvarig"),
        (A.RETURNERAD, "verksamhetsutvecklare"),
        (A.ANDRAD, "insatsansvarig"),
        (A.INSKICKAD, "insatsansvarig"),
        (A.GODKAND, "verksamhetsutvecklare"),
    ]
    # The page's history shows the same steps, newest first.
    historik = page.locator("ol.historik > li > strong").all_inner_texts()
    assert historik == ["Godkänd", "Inskickad", "Ändrad", "Returnerad", "Inskickad", "Skapad"]
    expect(page.locator("ol.historik")).to_contain_text(kommentar)


def test_utan_javascript_sparas_månaden_och_servern_räknar_pågående(
    context_utan_js: BrowserContext,
) -> None:
    page = context_utan_js.new_page()
    logga_in(page, "insatsansvarig")
    page.get_by_role("link", name=f"{VADSTENA}, {OKTOBER}", exact=True).click()
    # Without the script the end of the month is left to the server.
    expect(page.locator("#slut")).to_have_text("beräknas när du sparar")
    _, start_k, start_m = _pagaende(_berakning(page, "Pågående vid månadens början").inner_text())
    for etikett, varde in zip(FLODE, (3, 2, 1, 0), strict=True):
        page.get_by_label(etikett, exact=True).fill(str(varde))
    _tryck(page, "Spara")

    expect(page.get_by_role("status")).to_contain_text(f"{VADSTENA}, {OKTOBER} är sparad.")
    expect(page.locator("#slut")).to_have_text(_pagaende_text(start_k + 2, start_m + 2))
    expect(page.get_by_label("Nya kvinnor", exact=True)).to_have_value("3")
    rapport = Manadsrapport.objects.get(insats__namn=VADSTENA, ar=2026, manad=10)
    assert rapport.status == Manadsrapport.Status.UTKAST
    assert (rapport.nya_kvinnor, rapport.nya_man, rapport.avslutade_kvinnor) == (3, 2, 1)


def test_negativt_tal_ger_fel_vid_fältet_och_behåller_övriga_värden(page: Page) -> None:
    logga_in(page, "insatsansvarig")
    page.get_by_role("link", name=f"{VADSTENA}, {OKTOBER}", exact=True).click()
    for etikett, varde in zip(FLODE, (4, -1, 2, 0), strict=True):
        page.get_by_label(etikett, exact=True).fill(str(varde))
    page.get_by_label("Kommentar till verksamhetsutvecklaren").fill("Två nya via AF.")
    _tryck(page, "Spara")

    sammanfattning = page.get_by_role("alert")
    expect(sammanfattning).to_contain_text("Något behöver rättas – inget har sparats")
    expect(
        sammanfattning.get_by_role("link", name="Nya män: Nya män kan inte vara mindre än 0.")
    ).to_be_visible()
    nya_man = page.get_by_label("Nya män", exact=True)
    expect(nya_man).to_have_value("-1")
    expect(nya_man).to_have_attribute("aria-invalid", "true")
    # The message sits under the group's legend, as wide as the group, and is tied to the
    # field for screen readers.
    expect(nya_man).to_have_accessible_description(re.compile("Nya män kan inte vara mindre än 0."))
    grupp = page.get_by_role("group", name="Deltagarflöde")
    expect(grupp.locator(".gruppmeddelanden .fel")).to_have_text(
        "Nya män kan inte vara mindre än 0."
    )
    assert _hojd_i_rader(grupp.locator(".gruppmeddelanden .fel")) == 1
    # What was typed elsewhere is kept.
    expect(page.get_by_label("Nya kvinnor", exact=True)).to_have_value("4")
    expect(page.get_by_label("Avslutade kvinnor", exact=True)).to_have_value("2")
    expect(page.get_by_label("Avslutade män", exact=True)).to_have_value("0")
    expect(page.get_by_label("Kommentar till verksamhetsutvecklaren")).to_have_value(
        "Två nya via AF."
    )
    assert not Manadsrapport.objects.filter(insats__namn=VADSTENA, ar=2026, manad=10).exists()


def _axe_utan_fel(page: Page) -> None:
    resultat = AXE.run(page, options=WCAG_21_AA)
    assert resultat.violations_count == 0, resultat.generate_report()


def _hojd_i_rader(text: Locator) -> int:
    """How many lines a block of text takes (its height over its line height)."""
    hojd, rad = text.evaluate(
        "e => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).lineHeight)]"
    )
    return round(hojd / rad)


def _skriv(page: Page, etikett: str, varde: str) -> None:
    falt = page.get_by_label(etikett, exact=True)
    falt.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(varde)


def test_utkast_med_halvklar_fördelning_sparas_och_skickas_in_när_det_är_klart(
    page: Page,
) -> None:
    logga_in(page, "insatsansvarig")
    page.get_by_role("link", name=f"{VADSTENA}, {OKTOBER}", exact=True).click()
    _skriv_flodet(page, (2, 1, 0, 0))
    fordelning = page.get_by_role("group", name="Nya deltagare per huvudman")
    _skriv(page, "Kommun", "1")  # one of three nya so far
    expect(fordelning.locator("#summa-huvudman")).to_have_text("Fördelat: 1 av 3 nya.")
    _tryck(page, "Spara")

    # Saved as a draft, with what is left before it can be sent in.
    expect(page.get_by_role("status")).to_contain_text(f"{VADSTENA}, {OKTOBER} är sparad.")
    expect(page.locator(".sammanfattning")).to_contain_text("Status: Utkast")
    kvar = "Fördelningen per huvudman (1) stämmer inte med antalet nya (3)."
    ruta = page.locator(".varningsruta")
    expect(ruta.get_by_role("heading", name="Kvar innan månaden kan skickas in")).to_be_visible()
    expect(ruta.get_by_role("link", name=kvar)).to_have_attribute("href", "#grupp-nya_huvudman")
    expect(fordelning).to_have_accessible_description(re.compile(re.escape(kvar)))
    expect(page.get_by_label("Kommun", exact=True)).to_have_value("1")
    rapport = Manadsrapport.objects.get(insats__namn=VADSTENA, ar=2026, manad=10)
    assert rapport.status == Manadsrapport.Status.UTKAST
    assert [(r.huvudman.namn, r.antal) for r in rapport.nya_huvudman.all()] == [("Kommun", 1)]
    _axe_utan_fel(page)

    # Sent in as it is: refused, the message at the group, its link leads there.
    _tryck(page, "Skicka in")
    sammanfattning = page.get_by_role("alert")
    expect(sammanfattning).to_contain_text("Något behöver rättas – inget har sparats")
    expect(fordelning.locator(".gruppmeddelanden .fel")).to_have_text(kvar)
    assert _hojd_i_rader(fordelning.locator(".gruppmeddelanden .fel")) == 1
    _axe_utan_fel(page)
    sammanfattning.get_by_role("link", name=kvar).click()
    expect(page).to_have_url(re.compile("#grupp-nya_huvudman$"))
    expect(page.locator("#grupp-nya_huvudman")).to_be_in_viewport()

    # Finished, it is sent in.
    _skriv(page, "Arbetsförmedlingen", "2")
    expect(fordelning.locator("#summa-huvudman")).to_have_text("Fördelat: 3 av 3 nya.")
    _tryck(page, "Skicka in")
    expect(page.get_by_role("status")).to_contain_text("är inskickad för granskning")
    rapport.refresh_from_db()
    assert rapport.status == Manadsrapport.Status.INSKICKAD


def test_alla_fel_i_en_omgång(page: Page) -> None:
    """An empty count and more avslutade than there were: both in the first answer."""
    logga_in(page, "insatsansvarig")
    page.get_by_role("link", name=f"{VADSTENA}, {OKTOBER}", exact=True).click()
    _, start_k, _start_m = _pagaende(_berakning(page, "Pågående vid månadens början").inner_text())
    _skriv(page, "Nya kvinnor", "0")
    page.get_by_label("Nya män", exact=True).fill("")
    _skriv(page, "Avslutade kvinnor", str(start_k + 1))
    _skriv(page, "Avslutade män", "0")
    _tryck(page, "Skicka in")

    sammanfattning = page.get_by_role("alert")
    expect(sammanfattning.get_by_role("link")).to_have_text(
        [
            "Nya män: Fyll i ett antal (0 om inga).",
            f"Avslutade kvinnor: Fler avslutade kvinnor ({start_k + 1}) än det fanns deltagare "
            f"att avsluta ({start_k} pågående vid månadens början + 0 nya).",
        ]
    )
    assert not Manadsrapport.objects.filter(insats__namn=VADSTENA, ar=2026, manad=10).exists()


def test_negativ_pågående_visas_som_fel_medan_man_skriver(page: Page) -> None:
    logga_in(page, "insatsansvarig")
    page.get_by_role("link", name=f"{VADSTENA}, {OKTOBER}", exact=True).click()
    _, start_k, start_m = _pagaende(_berakning(page, "Pågående vid månadens början").inner_text())
    slut = page.locator("#slut")
    fel = page.locator("#slut-fel")
    expect(fel).to_have_attribute("aria-live", "polite")
    expect(slut).to_have_text(_pagaende_text(start_k, start_m))

    _skriv_flodet(page, (0, 0, start_k + 2, 0))

    expect(slut).to_have_text(f"{tal_text(start_m - 2)} ({tal_text(-2)} kvinnor, {start_m} män)")
    expect(slut).to_have_class(re.compile(r"\bnegativ\b"))
    expect(fel.locator("p.fel")).to_have_text(
        "Pågående kvinnor blir −2: fler avslutade än det fanns deltagare att avsluta."
    )
    assert slut.evaluate("e => getComputedStyle(e).color") == fel.locator("p.fel").evaluate(
        "e => getComputedStyle(e).color"
    )
    _axe_utan_fel(page)
    # Put right, the error goes.
    _skriv(page, "Avslutade kvinnor", "0")
    expect(slut).to_have_text(_pagaende_text(start_k, start_m))
    expect(slut).not_to_have_class(re.compile(r"\bnegativ\b"))
    expect(fel).to_be_empty()


def tal_text(n: int) -> str:
    return str(n).replace("-", "−")
