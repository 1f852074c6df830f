"""WCAG 2.1 AA with axe-core on the pages each role meets first, at a laptop's and a phone's
width, and the keyboard path through the login and the month form."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from registrering.demodata.data import FORBUND_NAMN
from registrering.models import Forbund, Manadsrapport, User
from tests.browser.conftest import IDAG, logga_in
from tests.enkater.enkathjalp import LANK, lanktillfalle
from tests.registrering.importhjalp import MANAD_RUBRIK, fil

pytestmark = pytest.mark.browser

AXE = Axe()
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VADSTENA_OKTOBER = "Försteg Vadstena, oktober 2026"
# A laptop and a phone. The phone lays the same pages out differently: cards instead of tables,
# a wrapped menu, regions that scroll.
BREDDER = (1366, 390)
HOJD = 900


def _inloggning(page: Page) -> None:
    page.goto("/logga-in/")
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()


def _inloggning_misslyckad(page: Page) -> None:
    logga_in(page, "insatsansvarig", "fel-losenord")
    expect(page.get_by_role("alert")).to_be_visible()


def _mina_insatser(page: Page) -> None:
    logga_in(page, "insatsansvarig")
    expect(page.get_by_role("heading", name="Mina insatser", level=1)).to_be_visible()


def _manadsoversikt(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    expect(page.get_by_role("heading", name="Månadsöversikt 2026", level=1)).to_be_visible()


def _kom_igang(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/kom-igang/2027/")  # a year the demo has not begun: points of every status
    expect(page.get_by_role("heading", name="Kom igång 2027", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Hämta nationella kataloger")).to_be_visible()


def _mal(page: Page) -> None:
    logga_in(page, "styrelse")
    expect(page).to_have_url(re.compile(r"/mal/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _manadsformular(page: Page) -> None:
    _mina_insatser(page)
    page.get_by_role("link", name=VADSTENA_OKTOBER, exact=True).click()
    expect(page.get_by_label("Nya kvinnor", exact=True)).to_be_editable()


def _manadsformular_med_fel(page: Page) -> None:
    _manadsformular(page)
    page.get_by_label("Nya kvinnor", exact=True).fill("-1")  # negative; Nya män left empty
    page.get_by_label("Avslutade kvinnor", exact=True).fill("0")
    page.get_by_label("Avslutade män", exact=True).fill("0")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Något behöver rättas")


def _granskning(page: Page) -> None:
    """The verksamhetsutvecklare's view of a draft: the form and the review buttons."""
    _manadsoversikt(page)
    # Chromium puts a space before a visually hidden (absolutely positioned) span.
    page.get_by_role(
        "link", name=re.compile(r"^Försteg Motala, oktober 2026: utkast ?, försenad$")
    ).click()
    expect(page.get_by_role("heading", name="Granskning", level=2)).to_be_visible()


def _ingaende_balans(page: Page) -> None:
    _mina_insatser(page)
    # Chromium puts a space before a visually hidden (absolutely positioned) span.
    page.get_by_role(
        "link", name=re.compile(r"^Försteg Vadstena ?, ingående balans 1.1 2026$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Försteg Vadstena")


def _arsrapport(page: Page) -> None:
    logga_in(page, "forbundschef")
    page.goto("/rapporter/2025/")
    expect(page.get_by_role("heading", name="Uppföljning FINSAM", level=1)).to_be_visible()
    # One chart's data table opened, as a sighted keyboard user would.
    page.get_by_text("Visa tabell").first.click()
    expect(page.locator("details.diagramtabell table").first).to_be_visible()


def _arsrapport_preliminar(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/rapporter/2026/")
    expect(page.get_by_role("heading", name="Datakvalitet innan du laddar ned")).to_be_visible()


def _underlag(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/rapporter/2026/underlag/")
    expect(
        page.get_by_role("heading", name="Det här saknas innan du för över siffrorna")
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Ladda ned Excelfilen"))).to_be_visible()


def _kommentar(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/rapporter/2025/kommentar/volym/")
    expect(page.get_by_label("Kommentar")).to_be_editable()


def _texter(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/rapporter/2025/texter/")
    expect(page.get_by_label("1 Bakgrund")).to_be_editable()


def _mal_2026(page: Page) -> None:
    logga_in(page, "styrelse")
    page.goto("/mal/2026/")
    expect(page.get_by_role("heading", name="Volymmål")).to_be_visible()
    page.get_by_text("Så beräknas prognosen").click()


def _utfall(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/mal/2026/utfall/m9/")
    expect(page.get_by_label("Kansli 1.0")).to_be_editable()


def _mina_insatser_forra_aret(page: Page) -> None:
    _mina_insatser(page)
    page.goto("/registrering/mina-insatser/2025/")
    expect(page.get_by_role("heading", name="Mina insatser 2025", level=1)).to_be_visible()


def _administration(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.get_by_role("link", name="Administration", exact=True).click()
    page.get_by_role("link", name="Insatser", exact=True).first.click()
    expect(page.get_by_role("heading", name="Välj insats att ändra", level=1)).to_be_visible()


def _importstatus(page: Page) -> None:
    """A large import's outcome page (registrering.importuppgifter), reached as a person would:
    choose the file, preview, confirm. The task runs at once in the tests; three rows are
    "large" for the confirm step."""
    logga_in(page, "verksamhetsutvecklare")
    rader = [
        f"{m.insats.namn};{m.ar};{m.manad};{m.nya_kvinnor};{m.nya_man};"
        f"{m.avslutade_kvinnor};{m.avslutade_man}"
        for m in Manadsrapport.objects.filter(insats__namn="Försteg Motala", ar=2025)
        .select_related("insats")
        .order_by("manad")[:3]
    ]
    page.goto("/admin/registrering/manadsrapport/import/")
    page.get_by_label("Fil att importera").set_input_files(
        files=[{"name": "manader.csv", "mimeType": "text/csv", "buffer": fil(MANAD_RUBRIK, *rader)}]
    )
    page.get_by_label("Filformat").select_option(label="csv")
    with page.expect_navigation():
        page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("heading", name="Förhandsgranskning")).to_be_visible()
    with override_settings(FINSAM_IMPORT_KO_RADER=2), page.expect_navigation():
        page.get_by_role("button", name="Bekräfta importen").click()
    expect(page).to_have_url(re.compile(r"/manadsrapport/import/jobb/[0-9a-f]{32}/$"))
    expect(page.get_by_role("status")).to_contain_text("0 nya, 0 ändrade, 0 borttagna och 3 ")


def _paminnelser(page: Page) -> None:
    """The insatsansvarig's own reminders, reached from the header's link."""
    _mina_insatser(page)
    page.get_by_role("link", name="Påminnelser", exact=True).click()
    expect(page.get_by_role("heading", name="Påminnelser", level=1)).to_be_visible()
    expect(page.get_by_label("Påminnelser om mina månadsrapporter")).to_be_checked()


def _sidan_finns_inte(page: Page) -> None:
    logga_in(page, "styrelse")
    page.goto("/registrering/insats/999999/2026/10/")
    expect(page.get_by_role("heading", name="Sidan finns inte", level=1)).to_be_visible()


def _tvasteg_aktivera(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/konton/tvasteg/aktivera/")
    expect(page.get_by_label("Kod från appen")).to_be_editable()
    expect(page.get_by_role("img", name=re.compile("^QR-kod"))).to_be_visible()


def _tvasteg_verifiera_fel(page: Page) -> None:
    """The code after the password, with a wrong code typed."""
    konto = User.objects.get(username="forbundschef")
    TOTPDevice.objects.create(user=konto, name="Finsam uppföljning")
    logga_in(page, "forbundschef")
    expect(page.get_by_role("heading", name="Skriv koden från appen", level=1)).to_be_visible()
    page.get_by_label("Kod från appen").fill("12345")
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("sex siffrorna")


def _tvasteg_forbundet(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/konton/tvasteg/forbundet/")
    expect(page.get_by_role("heading", name="Tvåstegsverifiering i förbundet")).to_be_visible()


def _konton(page: Page) -> None:
    logga_in(page, "verksamhetsutvecklare")
    page.get_by_role("link", name="Konton", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Konton i "), level=1)).to_be_visible()


def _enkatresultat(page: Page) -> None:
    """The survey results per round, as the styrelse reads them, one chart's table opened."""
    logga_in(page, "styrelse")
    page.goto("/enkater/resultat/?visa=tillfalle")
    expect(page.get_by_role("heading", name="Enkätresultat", level=1)).to_be_visible()
    page.get_by_text("Visa tabell").first.click()
    expect(page.locator("details.diagramtabell table").first).to_be_visible()


def _enkater(page: Page) -> None:
    """The verksamhetsutvecklare's enkäter and rounds, reached from the menu."""
    logga_in(page, "verksamhetsutvecklare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Enkäter").click()
    expect(page.get_by_role("heading", name="Enkäter", level=1)).to_be_visible()


def _enkattillfalle_nytt_med_fel(page: Page) -> None:
    _enkater(page)
    page.get_by_role("link", name="Nytt enkättillfälle").click()
    page.get_by_label("Sista svarsdag").fill("2026-11-01")
    page.get_by_label("Första svarsdag").fill("2026-11-23")
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa tillfället").click()
    expect(page.get_by_role("alert")).to_contain_text("inget har sparats")


def _enkattillfalle(page: Page) -> None:
    """A new round by the link, made through the form: its page with the link, the QR code and
    the form for paper counts."""
    _enkater(page)
    page.get_by_role("link", name="Nytt enkättillfälle").click()
    page.get_by_label("Enkät", exact=True).select_option(label="Utvärdering av utbildning")
    page.get_by_label("Vilka svarar").select_option(label="Deltagare i utbildning")
    page.get_by_label("Namn på tillfället").fill("Föreläsning om stress")
    page.get_by_label("Första svarsdag").fill("2026-11-23")
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa tillfället").click()
    expect(page.get_by_role("heading", name="Föreläsning om stress", level=1)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^QR-kod till "))).to_be_visible()


def _enkataffisch(page: Page) -> None:
    _enkattillfalle(page)
    page.get_by_role("link", name="Affisch att skriva ut").click()
    expect(page.get_by_role("heading", name=re.compile("^Vad tycker du?"))).to_be_visible()


def _enkatfragor(page: Page) -> None:
    _enkater(page)
    page.get_by_role("link", name="Frågor och svarsalternativ").click()
    expect(page.get_by_role("heading", name="Frågor och svarsalternativ", level=1)).to_be_visible()


def _enkatfraga_ny(page: Page) -> None:
    _enkatfragor(page)
    page.get_by_role("link", name="Ny fråga").click()
    expect(page.get_by_label("Fråga", exact=True)).to_be_editable()


def _indikatorer(page: Page) -> None:
    """The Indikatorer report of the demo's collection year 2026, as the styrelse reads it, one
    question's table opened."""
    logga_in(page, "styrelse")
    page.goto("/enkater/indikatorer/2026/")
    expect(page.get_by_role("heading", name="Indikator 1:", exact=False)).to_be_visible()
    page.get_by_text("Visa tabell").first.click()
    expect(page.locator("details.diagramtabell table").first).to_be_visible()


def _indikatorer_import(page: Page) -> None:
    """The import of earlier years with a file whose rows are wrong."""
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/enkater/indikatorer/importera/")
    rader = "Insamlingsår;Respondentgrupp;Indikator;Fråga;Svarsalternativ;Antal\r\n"
    rader += "2024;Kursledare;1;Okänd fråga;Ja;3\r\n"
    page.get_by_label("Fil (CSV eller Excel)").set_input_files(
        files=[{"name": "fel.csv", "mimeType": "text/csv", "buffer": rader.encode()}]
    )
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("alert")).to_contain_text("inget har sparats")


def _enkatsvar(page: Page) -> None:
    """The public answer page of a survey round on its own (no login), sent empty: the form
    with its error message."""
    lanktillfalle(Forbund.objects.get(namn=FORBUND_NAMN), datum=IDAG)
    page.goto(f"/e/{LANK}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("alert")).to_contain_text("Svara på minst en fråga")


def _enkatsvar_tack(page: Page) -> None:
    lanktillfalle(Forbund.objects.get(namn=FORBUND_NAMN), datum=IDAG)
    page.goto(f"/e/{LANK}/")
    page.get_by_label("Delvis").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", name="Tack för ditt svar!", level=1)).to_be_visible()


def _effekter(page: Page) -> None:
    """Resultat och effekter as the styrelse reaches it: from the report page."""
    logga_in(page, "styrelse")
    page.goto("/rapporter/2025/")
    page.get_by_role("link", name="Resultat och effekter 2025").click()
    expect(page.get_by_role("heading", name="Resultat och effekter 2025", level=1)).to_be_visible()


def _effekter_nyckeltal(page: Page) -> None:
    """The year's key figures with the kansli's form for the simple model opened."""
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/effekter/2025/")
    page.get_by_role("link", name="Nyckeltalen för 2025").click()
    page.get_by_text("Ändra enkla modellens nyckeltal").click()
    expect(page.get_by_label("Källa").first).to_be_editable()


def _effekter_forflyttningar(page: Page) -> None:
    """The transition model's result, its key figures and one chart's table opened."""
    logga_in(page, "forbundschef")
    page.goto("/effekter/2025/")
    page.get_by_role("link", name="Förflyttningsmodellen 2025").click()
    page.get_by_text("Nyckeltalen som användes, med källor").click()
    page.get_by_text("Visa tabell").first.click()
    expect(page.locator("details.diagramtabell table").first).to_be_visible()


def _effekter_matris(page: Page) -> None:
    """An insats's matrix, reached from its row on the results page."""
    logga_in(page, "verksamhetsutvecklare")
    page.goto("/effekter/2025/")
    page.get_by_role("link", name=re.compile(r"^Förflyttningar ?för Försteg Motala 2025$")).click()
    expect(page.get_by_label("Från försörjningsstöd till arbete")).to_be_editable()


SIDOR: dict[str, Callable[[Page], None]] = {
    "inloggning": _inloggning,
    "inloggning-misslyckad": _inloggning_misslyckad,
    "mina-insatser": _mina_insatser,
    "manadsoversikt": _manadsoversikt,
    "kom-igang": _kom_igang,
    "mal": _mal,
    "manadsformular": _manadsformular,
    "manadsformular-med-fel": _manadsformular_med_fel,
    "granskning": _granskning,
    "ingaende-balans": _ingaende_balans,
    "arsrapport": _arsrapport,
    "arsrapport-preliminar": _arsrapport_preliminar,
    "underlag": _underlag,
    "kommentar": _kommentar,
    "texter": _texter,
    "mal-2026": _mal_2026,
    "utfall": _utfall,
    "mina-insatser-forra-aret": _mina_insatser_forra_aret,
    "administration": _administration,
    "importstatus": _importstatus,
    "sidan-finns-inte": _sidan_finns_inte,
    "paminnelser": _paminnelser,
    "tvasteg-aktivera": _tvasteg_aktivera,
    "tvasteg-verifiera-fel": _tvasteg_verifiera_fel,
    "tvasteg-forbundet": _tvasteg_forbundet,
    "konton": _konton,
    "enkatsvar": _enkatsvar,
    "enkatsvar-tack": _enkatsvar_tack,
    "enkatresultat": _enkatresultat,
    "indikatorer": _indikatorer,
    "indikatorer-import": _indikatorer_import,
    "enkater": _enkater,
    "enkattillfalle-nytt-med-fel": _enkattillfalle_nytt_med_fel,
    "enkattillfalle": _enkattillfalle,
    "enkataffisch": _enkataffisch,
    "enkatfragor": _enkatfragor,
    "enkatfraga-ny": _enkatfraga_ny,
    "effekter": _effekter,
    "effekter-nyckeltal": _effekter_nyckeltal,
    "effekter-forflyttningar": _effekter_forflyttningar,
    "effekter-matris": _effekter_matris,
}


def test_axe_hittar_ett_kant_fel(browser: Browser) -> None:
    """The options really run WCAG rules: a field without a label is caught."""
    page = browser.new_page()
    try:
        page.set_content(
            '<!DOCTYPE html><html lang="sv"><head><title>Prov</title></head>'
            '<body><main><input type="text" name="namn"></main></body></html>'
        )
        resultat = AXE.run(page, options=WCAG_21_AA)
    finally:
        page.close()
    assert [v["id"] for v in resultat.response["violations"]] == ["label"]


@pytest.mark.parametrize("sida", list(SIDOR))
def test_sidan_har_inga_wcag_21_aa_fel(page: Page, sida: str) -> None:
    """The page is reached once, as a person would at a laptop, and checked at each width.

    Resizing lays out the same document again under the phone's media queries; reaching it
    anew per width (log in, load the demo data) would double the suite's time for the same HTML.
    """
    page.set_viewport_size({"width": BREDDER[0], "height": HOJD})
    SIDOR[sida](page)
    rapporter = {}
    for bredd in BREDDER:
        page.set_viewport_size({"width": bredd, "height": HOJD})
        assert page.evaluate("innerWidth") == bredd
        resultat = AXE.run(page, options=WCAG_21_AA)
        if resultat.violations_count:
            rapporter[bredd] = resultat.generate_report()
    assert not rapporter, "\n".join(f"Vid {b} px:\n{r}" for b, r in rapporter.items())


def _fokus(page: Page) -> dict[str, str]:
    """What has focus: its tag, id, name and accessible text."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id || "",
                name: el.getAttribute("name") || "",
                text: (label || el.textContent || "").trim(),
            };
        }"""
    )


def _till_dokumentets_borjan(page: Page, max_steg: int = 80) -> None:
    """Shift+Tab until focus leaves the document above its first tab stop.

    Wherever focus starts (the login form autofocuses Användarnamn), the next Tab then goes to
    the page's first tab stop, as for someone who has just arrived with the keyboard.
    """
    for _ in range(max_steg):
        page.keyboard.press("Shift+Tab")
        if _fokus(page)["tag"] == "body":
            return
    raise AssertionError("Shift+Tab lämnade aldrig sidan")


def _tabba_igenom(page: Page, max_steg: int = 80) -> list[dict[str, str]]:
    """Press Tab from the top of the page until focus leaves the document or comes round."""
    _till_dokumentets_borjan(page)
    besokta: list[dict[str, str]] = []
    for _ in range(max_steg):
        page.keyboard.press("Tab")
        fokus = _fokus(page)
        if fokus["tag"] == "body" or (besokta and fokus == besokta[0]):
            break
        besokta.append(fokus)
    return besokta


def test_inloggning_med_tangentbordet(page: Page) -> None:
    _inloggning(page)
    ordning = [f["text"] for f in _tabba_igenom(page)]
    assert ordning[0] == "Hoppa till innehållet", ordning
    falt = [t for t in ordning if t in {"Användarnamn", "Lösenord", "Logga in"}]
    assert falt == ["Användarnamn", "Lösenord", "Logga in"], ordning

    # The skip link takes focus past the header to the main content.
    _till_dokumentets_borjan(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert _fokus(page)["text"] == "Användarnamn"


def test_manadsformularet_nas_helt_med_tangentbordet(page: Page) -> None:
    _manadsformular(page)
    kontroller = page.locator(
        "#manadsform input:not([type=hidden]), #manadsform textarea, #manadsform button"
    )
    forvantade = [
        kontroller.nth(i).evaluate("el => el.id || el.textContent.trim()")
        for i in range(kontroller.count())
    ]
    assert {"Spara", "Skicka in", "id_nya_kvinnor", "id_kommentar"} <= set(forvantade)
    besokta = [f["id"] or f["text"] for f in _tabba_igenom(page)]
    saknas = [k for k in forvantade if k not in besokta]
    assert not saknas, f"Nås inte med Tab: {saknas}; Tab-ordning: {besokta}"
    # In the form, Tab follows the order the fields are read in.
    i_formularet = [b for b in besokta if b in forvantade]
    assert i_formularet == forvantade
