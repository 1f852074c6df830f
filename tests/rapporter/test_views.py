"""The bilaga's pages through the test client: who may read and edit what, what the report page
shows each role, comments and texts, the PDF cache, query counts and the `arsrapport` command.

WeasyPrint is replaced by a stub that counts its calls, except in the two tests that read a real
PDF (`riktig_pdf`)."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from rapporter import pdf
from rapporter.selectors import arsrapport
from registrering import dataversion, services
from registrering.models import (
    Arsbilaga,
    AuditEntry,
    AvslutadePerAnledning,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Huvudman,
    Kommentar,
    Manadsrapport,
    NyaPerHuvudman,
    Svarsalternativ,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)
AR = 2025
FALSK_PDF = b"%PDF-1.7 test"
Status = Manadsrapport.Status


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch):
    """Today is 23/11 2026, as in the demo data: 2025 is over, 2026 is not."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)


@pytest.fixture(autouse=True)
def byggen(request, monkeypatch) -> list[str]:
    """Every call of `rapporter.pdf._bygg` (the WeasyPrint step), by förbund name. The cache is
    emptied first; WeasyPrint itself only runs in tests that ask for `riktig_pdf`."""
    cache.clear()
    anrop: list[str] = []
    riktig = pdf._bygg

    def bygg(rapport):
        anrop.append(rapport.data.forbund_namn)
        return riktig(rapport) if "riktig_pdf" in request.fixturenames else FALSK_PDF

    monkeypatch.setattr(pdf, "_bygg", bygg)
    return anrop


@pytest.fixture
def riktig_pdf():
    """Marks a test that renders a real PDF with WeasyPrint (1–2 s each: keep them few)."""


# --- Data ----------------------------------------------------------------------------------


def grund(forbund: Forbund) -> dict[str, Any]:
    """What a förbund's insatser share: huvudmän, avslutsanledningar, a group and a survey."""
    huvudman = [
        Huvudman.objects.create(forbund=forbund, namn=namn, ordning=i)
        for i, namn in enumerate(["Försäkringskassan", "Kommun"])
    ]
    anledningar = [
        f.AvslutsanledningFactory(forbund=forbund, namn="Arbete", klass=1),
        f.AvslutsanledningFactory(forbund=forbund, namn="Flytt", klass=2),
    ]
    fraga = Enkatfraga.objects.create(
        forbund=forbund, text="Motsvarade insatsen dina förväntningar?", malfraga=True
    )
    alternativ = [
        Svarsalternativ.objects.create(fraga=fraga, text=text, ordning=i, positivt=i < 2)
        for i, text in enumerate(["Ja, helt", "Delvis", "Nej"])
    ]
    tillfalle = Enkattillfalle.objects.create(
        forbund=forbund, namn="Föreläsning", datum=dt.date(AR, 5, 12)
    )
    for alt, antal in zip(alternativ, (14, 5, 1), strict=True):
        Enkatsvar.objects.create(tillfalle=tillfalle, alternativ=alt, antal=antal)
    return {
        "huvudman": huvudman,
        "anledningar": anledningar,
        "grupp": f.InsatsgruppFactory(forbund=forbund, namn="Försteg"),
    }


def lagg_till_insatser(forbund: Forbund, g: dict[str, Any], fran: int, till: int) -> None:
    """Insatser number `fran`..`till`-1: balances, three approved months and one sent in, a
    justering now and then, and every fifth a volyminsats."""
    for n in range(fran, till):
        if n % 5 == 4:
            volym = f.VolyminsatsFactory(forbund=forbund, namn=f"Volym {n:02d}")
            for manad in (1, 2, 3):
                f.ManadsrapportFactory(
                    insats=volym, ar=AR, manad=manad, volym=10 + n, status=Status.GODKAND
                )
            continue
        insats = f.InsatsFactory(
            forbund=forbund, namn=f"Insats {n:02d}", grupp=g["grupp"] if n % 2 else None
        )
        for anledning in g["anledningar"]:
            anledning.insatser.add(insats)
        if n % 3:
            f.IngaendeBalansFactory(insats=insats, ar=AR, kvinnor=3, man=2)
        for manad in (1, 2, 3):
            rapport = f.ManadsrapportFactory(
                insats=insats,
                ar=AR,
                manad=manad,
                status=Status.GODKAND,
                nya_kvinnor=2,
                nya_man=1,
                avslutade_kvinnor=1,
                avslutade_man=1,
            )
            NyaPerHuvudman.objects.create(rapport=rapport, huvudman=g["huvudman"][0], antal=2)
            NyaPerHuvudman.objects.create(rapport=rapport, huvudman=g["huvudman"][1], antal=1)
            AvslutadePerAnledning.objects.create(
                rapport=rapport, anledning=g["anledningar"][n % 2], antal=2
            )
        f.ManadsrapportFactory(
            insats=insats, ar=AR, manad=4, status=Status.INSKICKAD, nya_kvinnor=1
        )
        if n % 4 == 0:
            f.JusteringFactory(insats=insats, ar=AR, manad=12, kvinnor=-1, man=0)


@pytest.fixture
def data(forbund, annat_forbund):
    """Our förbund with four insatser and a volyminsats; the other förbund with its own."""
    g = grund(forbund)
    lagg_till_insatser(forbund, g, 0, 5)
    annan = f.InsatsFactory(forbund=annat_forbund, namn="Annanstans insats")
    f.ManadsrapportFactory(
        insats=annan, ar=AR, manad=1, nya_kvinnor=7, nya_man=7, status=Status.GODKAND
    )
    return g


# --- Reading the HTML ----------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.delar: list[str] = []

    def handle_data(self, data: str) -> None:
        self.delar.append(data)


def text(html: str) -> str:
    """The visible text with whitespace (also no-break spaces) collapsed."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"[\s\u00a0\u202f]+", " ", " ".join(parser.delar)).strip()


def sida(response) -> str:
    return response.content.decode()


def avsnitt(html: str, ankare: str) -> str:
    """The HTML of a section of the bilaga: from its heading to the next h2 or h3."""
    start = html.rindex("<", 0, html.index(f'id="{ankare}"'))
    slut = re.compile(r"<h[23][ >]").search(html, start + 1)
    return html[start : slut.start() if slut else len(html)]


def kvalitetsrutan(html: str) -> str:
    """The text of the data quality box above the report."""
    start = html.rindex("<", 0, html.index('aria-labelledby="kvalitet-rubrik"'))
    return text(html[start : html.index("</section>", start)])


def logga_in(client: Client, user: Any) -> None:
    if user is not None:
        client.force_login(user)


def databas(forbund: Forbund) -> tuple:
    """What an edit could change: the texts, the year's compilation, comments and audit rows."""
    forbund.refresh_from_db()
    return (
        forbund.bakgrund_text,
        forbund.metod_text,
        list(Arsbilaga.objects.values_list("forbund_id", "ar", "sammanstallningsdatum")),
        list(Kommentar.objects.values_list("forbund_id", "ar", "avsnitt", "text")),
        AuditEntry.objects.andringar().count(),
    )


# --- 1. Who may do what --------------------------------------------------------------------

L = "login"
PERSONER = ["verksamhetsutvecklare", "forbundschef", "styrelse", "insatsansvarig", "utomstaende"]
TEXTER = {
    "bakgrund_text": "Ny bakgrund.",
    "metod_text": "Ny metod för {ar}.",
    "sammanstallningsdatum": "2026-01-20",
}
KOMMENTAR = {"text": "Ny kommentar om volymerna."}

ALLA = [*PERSONER, "anonym"]
# fmt: off
MATRIS: dict[tuple[str, str], tuple[int | str, ...]] = {
    # (method, url)                                  vu   chef styr ansv utom anonym
    ("get", "/rapporter/2025/"):                     (200, 200, 200, 403, 200, L),
    ("get", "/rapporter/2025/pdf/"):                 (200, 200, 200, 403, 200, L),
    ("get", "/rapporter/2025/texter/"):              (200, 200, 403, 403, 200, L),
    ("post", "/rapporter/2025/texter/"):             (302, 302, 403, 403, 302, L),
    ("get", "/rapporter/2025/kommentar/volym/"):     (200, 200, 403, 403, 200, L),
    ("post", "/rapporter/2025/kommentar/volym/"):    (302, 302, 403, 403, 302, L),
    ("get", "/rapporter/"):                          (302, 302, 302, 403, 302, L),
    ("get", "/mal/"):                                (200, 200, 200, 403, 200, L),
}
# fmt: on


@pytest.mark.parametrize(
    ("metod", "url", "persona", "vantat"),
    [
        pytest.param(metod, url, persona, vantat, id=f"{metod}-{url}-{persona}")
        for (metod, url), svar in MATRIS.items()
        for persona, vantat in zip(ALLA, svar, strict=True)
    ],
)
def test_rollmatris(client, request, data, forbund, annat_forbund, metod, url, persona, vantat):
    user = None if persona == "anonym" else request.getfixturevalue(persona)
    logga_in(client, user)
    fore = databas(forbund)
    post = TEXTER if "texter" in url else KOMMENTAR

    response = client.post(url, post) if metod == "post" else client.get(url)

    if vantat == L:
        assert response.status_code == 302
        assert response["Location"] == f"/logga-in/?next={url}"
        assert databas(forbund) == fore
        return
    assert response.status_code == vantat
    if vantat == 403:
        assert databas(forbund) == fore, "en nekad begäran fick inte ändra något"
    if persona == "utomstaende":
        # Another förbund's user works in their own förbund only: ours is never shown or changed.
        assert "Testbygden" not in sida(response)
        assert "Insats 00" not in sida(response)
        if metod == "post":
            forbund.refresh_from_db()
            assert (forbund.bakgrund_text, forbund.metod_text) == fore[:2]
            assert not Kommentar.objects.filter(forbund=forbund).exists()
            assert not Arsbilaga.objects.filter(forbund=forbund).exists()
    if url == "/rapporter/2025/pdf/" and vantat == 200:
        assert response["Content-Type"] == "application/pdf"
        kort = "SAS" if persona == "utomstaende" else "STB"
        assert response["Content-Disposition"] == (
            f'attachment; filename="Uppfoljning-FINSAM-{kort}-2025-preliminar.pdf"'
        )
        assert response.content == FALSK_PDF
    if url == "/rapporter/" and vantat == 302:
        # The latest complete year (2026 is not over).
        assert response["Location"] == "/rapporter/2025/"


@pytest.mark.parametrize("persona", ["verksamhetsutvecklare", "forbundschef"])
def test_redigerande_roller_sparar_texter_och_kommentarer(client, request, data, forbund, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post("/rapporter/2025/texter/", TEXTER)["Location"] == "/rapporter/2025/"
    assert client.post("/rapporter/2025/kommentar/volym/", KOMMENTAR)["Location"] == (
        "/rapporter/2025/#volym"
    )
    forbund.refresh_from_db()
    assert (forbund.bakgrund_text, forbund.metod_text) == ("Ny bakgrund.", "Ny metod för {ar}.")
    assert Arsbilaga.objects.get(forbund=forbund, ar=AR).sammanstallningsdatum == dt.date(
        2026, 1, 20
    )
    assert Kommentar.objects.get(forbund=forbund, ar=AR, avsnitt="volym").text == KOMMENTAR["text"]


def test_utomstaende_ser_sitt_eget_forbund(client, data, utomstaende):
    client.force_login(utomstaende)
    response = client.get("/rapporter/2025/")
    assert response.status_code == 200
    innehall = text(sida(response))
    assert "SAMORDNINGSFÖRBUNDET ANNANSTANS" in innehall
    assert "Annanstans insats 14 st 14 st 0 st 14 st" in innehall
    for vart in ("TESTBYGDEN", "Testbygden", "STB", "Insats 00", "Volym 04", "Föreläsning"):
        assert vart not in innehall


def test_okant_ar_och_avsnitt_ger_404(client, data, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    assert client.get("/rapporter/1999/").status_code == 404
    assert client.get("/rapporter/2025/kommentar/okant/").status_code == 404


def test_ogiltig_text_visar_fel_och_sparar_inget(client, data, forbund, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    fore = databas(forbund)
    response = client.post("/rapporter/2025/kommentar/volym/", {"text": "x" * 4001})
    assert response.status_code == 400
    assert databas(forbund) == fore
    response = client.post("/rapporter/2025/texter/", {**TEXTER, "sammanstallningsdatum": "20/1"})
    assert response.status_code == 400
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in sida(response)
    assert databas(forbund) == fore


# --- 2. What the report page shows ---------------------------------------------------------


def test_verksamhetsutvecklaren_ser_datakvaliteten(client, data, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    html = sida(client.get("/rapporter/2025/"))
    kvalitet = kvalitetsrutan(html)
    # Four deltagarflöde insatser with May–December missing (4 × 8) and April sent in but not
    # approved; a volyminsats with April–December missing (9).
    assert "Månader som saknas (41)" in kvalitet
    assert "Volym 04, april" in kvalitet
    assert "Insats 00, maj" in kvalitet
    assert "Volym 04, december" in kvalitet
    assert "Månader som inte är godkända (4)" in kvalitet
    assert "Insats 03, april: inskickad" in kvalitet
    assert "Volym 04, april" not in kvalitet.split("Månader som inte är godkända")[1]
    # Justeringar for insats 0 (n % 4 == 0), with sign and reason.
    assert "Justeringar 2025 (1)" in kvalitet
    assert "Insats 00 december 2025 −1 0 Inventering 31/12 –" in kvalitet
    # Balances not entered for 2025: insats 0 and 3 (n % 3 == 0).
    assert "Ingående balans 1/1 2025 inte bekräftad (2) Insats 00 Insats 03" in kvalitet
    assert "Preliminär: alla månader 2025 är inte godkända än." in text(html)
    assert 'href="/rapporter/2025/texter/"' in html
    assert 'href="/rapporter/2025/kommentar/volym/"' in html
    assert text(html).count("Skriv kommentar") == len(Kommentar.Avsnitt.values)


def test_manader_som_inte_passerat_raknas_en_gang_oavsett_antal_insatser(
    client, data, verksamhetsutvecklare
):
    """On 23/11 2026 November and December are left, whether the förbund has one insats or
    five (five insatser used to make it "10 månader")."""
    client.force_login(verksamhetsutvecklare)
    kvalitet = kvalitetsrutan(sida(client.get("/rapporter/2026/")))
    assert "2 månader av året har inte passerat än." in kvalitet
    assert "10 månader" not in kvalitet


def test_styrelsen_ser_rapporten_men_inga_redigeringslankar(client, data, styrelse):
    client.force_login(styrelse)
    response = client.get("/rapporter/2025/")
    html = sida(response)
    assert response.status_code == 200
    assert "Preliminär: alla månader 2025 är inte godkända än." in text(html)
    assert "Deltagarflöde för STB 2025 uppdelat i insatser" in text(html)
    assert 'href="/rapporter/2025/pdf/"' in html
    assert "Datakvalitet" not in html
    assert "kvalitet-rubrik" not in html
    assert "/texter/" not in html
    assert "/kommentar/" not in html
    assert "Skriv kommentar" not in html


def test_godkant_ar_ar_inte_preliminart(client, forbund, verksamhetsutvecklare):
    insats = f.InsatsFactory(
        forbund=forbund, namn="Hela året", startdatum=dt.date(AR, 1, 1), slutdatum=None
    )
    f.IngaendeBalansFactory(insats=insats, ar=AR, kvinnor=1, man=1)
    for manad in range(1, 13):
        f.ManadsrapportFactory(insats=insats, ar=AR, manad=manad, status=Status.GODKAND)
    client.force_login(verksamhetsutvecklare)
    response = client.get("/rapporter/2025/")
    assert "Preliminär" not in sida(response)
    assert (
        "Alla månader är godkända, inga justeringar finns och alla balanser är bekräftade."
        in text(sida(response))
    )
    pdf_svar = client.get("/rapporter/2025/pdf/")
    assert pdf_svar["Content-Disposition"] == (
        'attachment; filename="Uppfoljning-FINSAM-STB-2025.pdf"'
    )


def test_avslutade_visas_aven_utan_insatsgrupp(client, forbund, verksamhetsutvecklare):
    g = grund(forbund)
    g["grupp"] = None
    lagg_till_insatser(forbund, g, 0, 2)
    client.force_login(verksamhetsutvecklare)
    innehall = text(sida(client.get("/rapporter/2025/")))
    assert "Diagram 4. Avslutade deltagare i individinsatser för STB 2025" in innehall
    assert "Diagram 5. Motsvarade insatsen dina förväntningar? (20 svar)" in innehall


@pytest.mark.parametrize(
    "idag", [dt.date(2027, 1, 5), dt.date(2027, 11, 23), dt.date(2027, 12, 31)]
)
def test_rapporter_oppnar_senaste_hela_aret(client, forbundschef, forbund, monkeypatch, idag):
    """Until 2027 is over, 2026 is the latest complete year; 2027 is one click away."""
    f.InsatsFactory(forbund=forbund, startdatum=dt.date(2025, 1, 1))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: idag)
    client.force_login(forbundschef)
    assert client.get("/rapporter/")["Location"] == "/rapporter/2026/"
    html = sida(client.get("/rapporter/2026/"))
    arval = re.search(r'<nav aria-label="Välj år".*?</nav>', html, re.S)[0]
    lankar = {text(t): href for href, t in re.findall(r'<a href="([^"]+)">(.*?)</a>', arval)}
    assert lankar["2027 (preliminär)"] == "/rapporter/2027/"
    assert re.search(r'aria-current="page"><strong>2026</strong>', arval)


def test_rapporter_for_ett_forbund_som_borjade_i_ar(client, forbundschef, forbund, monkeypatch):
    f.InsatsFactory(forbund=forbund, startdatum=dt.date(2027, 2, 1))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2027, 11, 23))
    client.force_login(forbundschef)
    assert client.get("/rapporter/")["Location"] == "/rapporter/2027/"


# --- 3. Comments and texts -----------------------------------------------------------------


def _kommentar_loggar(forbund: Forbund) -> list[tuple[str, dict, str]]:
    return [
        (e.action, e.changes, e.user.username)
        for e in AuditEntry.objects.filter(
            forbund=forbund, content_type__model="kommentar"
        ).order_by("pk")
    ]


def test_kommentar_visas_under_sitt_avsnitt_pa_sidan_och_i_pdf_html(
    client, data, forbund, verksamhetsutvecklare
):
    client.force_login(verksamhetsutvecklare)
    assert client.get("/rapporter/2025/kommentar/huvudman/").status_code == 200

    response = client.post(
        "/rapporter/2025/kommentar/huvudman/", {"text": "  Kommun dominerar.\nSom väntat.  "}
    )

    assert response["Location"] == "/rapporter/2025/#huvudman"
    html = sida(client.get("/rapporter/2025/"))
    assert "KOMMENTAR: Kommun dominerar. Som väntat." in text(avsnitt(html, "huvudman"))
    assert "Kommun dominerar.<br>Som väntat." in html
    assert "Ändra kommentar" in text(avsnitt(html, "huvudman"))
    assert html.count("Kommun dominerar.") == 1  # under its own section only
    pdf_html = pdf.html(arsrapport(forbund=forbund, ar=AR))
    assert "KOMMENTAR: Kommun dominerar. Som väntat." in text(avsnitt(pdf_html, "huvudman"))
    assert pdf_html.count("Kommun dominerar.") == 1
    # The form shows the saved text for the next edit.
    assert "Kommun dominerar." in sida(client.get("/rapporter/2025/kommentar/huvudman/"))


def test_kommentar_andras_och_tas_bort_med_tom_text_och_loggas(
    client, data, forbund, verksamhetsutvecklare
):
    client.force_login(verksamhetsutvecklare)
    url = "/rapporter/2025/kommentar/volym/"
    client.post(url, {"text": "Första."})
    client.post(url, {"text": "Andra."})
    client.post(url, {"text": "Andra."})  # unchanged: no audit row
    assert "KOMMENTAR: Andra." in text(avsnitt(sida(client.get("/rapporter/2025/")), "volym"))

    client.post(url, {"text": "   "})

    assert not Kommentar.objects.filter(forbund=forbund).exists()
    html = sida(client.get("/rapporter/2025/"))
    assert "KOMMENTAR" not in html
    assert "KOMMENTAR" not in pdf.html(arsrapport(forbund=forbund, ar=AR))
    assert _kommentar_loggar(forbund) == [
        (AuditEntry.Action.SKAPAD, {"text": [None, "Första."]}, "vu"),
        (AuditEntry.Action.ANDRAD, {"text": ["Första.", "Andra."]}, "vu"),
        (AuditEntry.Action.BORTTAGEN, {"text": ["Andra.", None]}, "vu"),
    ]


def test_texter_visas_med_ar_period_och_datum_ifyllda(client, data, forbund, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    response = client.post(
        "/rapporter/2025/texter/",
        {
            "bakgrund_text": "Förbundet bildades 2010.\n\nMedlemmar är fyra kommuner.",
            "metod_text": "Perioden är {period}. Sammanställningen gjordes {sammanstallningsdatum}"
            " och gäller {ar}.",
            "sammanstallningsdatum": "2026-01-20",
        },
    )
    assert response.status_code == 302

    html = sida(client.get("/rapporter/2025/"))

    bakgrund = text(avsnitt(html, "bakgrund"))
    assert "Förbundet bildades 2010. Medlemmar är fyra kommuner." in bakgrund
    assert html.count("<p>Förbundet bildades 2010.</p>") == 1  # paragraphs kept
    metod = text(avsnitt(html, "metod"))
    assert (
        "Perioden är 1 januari till och med den 31 december 2025. Sammanställningen gjordes"
        " 20 januari 2026 och gäller 2025." in metod
    )
    assert "{" not in metod
    # The texts hold for every year; the date is the chosen year's, else today.
    html_2026 = sida(client.get("/rapporter/2026/"))
    assert (
        "Perioden är 1 januari till och med den 31 december 2026. Sammanställningen gjordes"
        " 23 november 2026 och gäller 2026." in text(avsnitt(html_2026, "metod"))
    )
    # The form opens with what was saved, the inserts by name (tests/rapporter/test_texter.py).
    formular = sida(client.get("/rapporter/2025/texter/"))
    assert "«sammanställningsdatum»" in formular
    assert "{sammanstallningsdatum}" not in re.sub(r"<script.*?</script>", "", formular, flags=re.S)
    assert 'value="2026-01-20"' in formular
    andringar = [
        e.changes
        for e in AuditEntry.objects.andringar()
        .filter(forbund=forbund, user=verksamhetsutvecklare)
        .exclude(content_type__model="kommentar")
        .order_by("pk")
    ]
    assert andringar[-1] == {"sammanstallningsdatum": [None, "2026-01-20"]}
    assert set(andringar[0]) == {"bakgrund_text", "metod_text"}


# --- 4. The PDF cache ----------------------------------------------------------------------


def test_pdf_byggs_en_gang_och_igen_nar_arets_data_andras(
    client, data, forbund, forbundschef, verksamhetsutvecklare, byggen
):
    client.force_login(forbundschef)
    forsta = client.get("/rapporter/2025/pdf/")
    andra = client.get("/rapporter/2025/pdf/")
    assert forsta.status_code == andra.status_code == 200
    assert forsta.content == andra.content == FALSK_PDF
    assert len(byggen) == 1
    version_fore = dataversion.version(forbund.pk, AR).nummer

    # A comment is part of the year's data: it bumps the version, the next download renders.
    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Ny."
    )
    assert dataversion.version(forbund.pk, AR).nummer > version_fore
    client.get("/rapporter/2025/pdf/")
    client.get("/rapporter/2025/pdf/")
    assert len(byggen) == 2

    # So is a month's approval.
    rapport = Manadsrapport.objects.get(insats__namn="Insats 01", ar=AR, manad=4)
    services.manadsrapport_godkann(user=verksamhetsutvecklare, rapport=rapport)
    client.get("/rapporter/2025/pdf/")
    client.get("/rapporter/2025/pdf/")
    assert len(byggen) == 3

    # Another year's data is not.
    version_2025 = dataversion.version(forbund.pk, AR).nummer
    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=AR + 1, avsnitt="volym", text="Nästa år."
    )
    assert dataversion.version(forbund.pk, AR).nummer == version_2025
    assert dataversion.version(forbund.pk, AR + 1).nummer > version_2025
    client.get("/rapporter/2025/pdf/")
    assert len(byggen) == 3


def test_pdf_cachas_per_forbund(client, data, forbundschef, utomstaende, byggen):
    client.force_login(forbundschef)
    client.get("/rapporter/2025/pdf/")
    client.force_login(utomstaende)
    client.get("/rapporter/2025/pdf/")
    client.get("/rapporter/2025/pdf/")
    assert byggen == ["Samordningsförbundet Testbygden", "Samordningsförbundet Annanstans"]


def test_en_andring_bygger_pdf_i_bakgrunden_innan_nagon_fragar(
    client,
    data,
    forbund,
    forbundschef,
    verksamhetsutvecklare,
    settings,
    byggen,
    django_capture_on_commit_callbacks,
):
    """A write has the year's bilaga rebuilt in the background (at once in the tests, where
    the quiet time is not waited for), so that the download finds it ready."""
    settings.FINSAM_FORBERED_PDF = True
    client.force_login(forbundschef)
    client.get("/rapporter/2025/")
    assert byggen == []  # looking at the page builds nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.kommentar_spara(
            user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Ny."
        )
    assert forbund.namn in byggen
    antal = len(byggen)
    response = client.get("/rapporter/2025/pdf/")
    assert response.content == FALSK_PDF
    assert len(byggen) == antal  # the download found it ready


def test_riktig_pdf_laddas_ned_med_kommentar(
    client, data, forbund, forbundschef, verksamhetsutvecklare, riktig_pdf
):
    services.kommentar_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        ar=AR,
        avsnitt="volym",
        text="Volymerna ökade under våren.",
    )
    client.force_login(forbundschef)
    response = client.get("/rapporter/2025/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    innehall = text("\n".join(page.extract_text() for page in reader.pages))
    assert "SAMORDNINGSFÖRBUNDET TESTBYGDEN" in innehall
    assert "KOMMENTAR: Volymerna ökade under våren." in innehall
    assert "Preliminär" in innehall
    assert "Annanstans" not in innehall


# --- 5. Query counts -----------------------------------------------------------------------


def _antal_fragor(funktion) -> int:
    with CaptureQueriesContext(connection) as fragor:
        funktion()
    return len(fragor.captured_queries)


def test_sidan_och_selektorn_har_lika_manga_fragor_for_3_och_30_insatser(
    client, forbund, verksamhetsutvecklare
):
    g = grund(forbund)
    lagg_till_insatser(forbund, g, 0, 3)
    client.force_login(verksamhetsutvecklare)
    client.get("/rapporter/2025/")  # warm the session and content-type caches

    def sidan() -> None:
        assert client.get("/rapporter/2025/").status_code == 200

    def selektorn() -> None:
        arsrapport(forbund=forbund, ar=AR)

    def antal() -> tuple[int, int, int, int]:
        """The page and the selector with nothing kept (every year of the time series
        computed), the selector with the earlier years kept, and the page after a write to
        the year (its content computed again, the earlier years kept)."""
        cache.clear()
        kall_sida = _antal_fragor(sidan)
        cache.clear()
        kall_selektor = _antal_fragor(selektorn)
        hallen = _antal_fragor(selektorn)
        dataversion.andrat([(forbund.pk, AR)])
        return kall_sida, kall_selektor, hallen, _antal_fragor(sidan)

    fore = antal()
    lagg_till_insatser(forbund, g, 3, 30)
    efter = antal()

    assert len(arsrapport(forbund=forbund, ar=AR).data.insatser) == 24
    assert fore == efter
    assert efter[1] <= 30
    # Kept, the year's month sums, justeringar and yearly totals are read once for the time
    # series and the figures, and the insatser are not read.
    assert efter[2] == efter[1] - 4


# --- 6. The arsrapport command -------------------------------------------------------------


def test_kommandot_skriver_pdf(tmp_path, data, forbund, riktig_pdf):
    ut = tmp_path / "bilaga.pdf"
    stdout = io.StringIO()
    call_command("arsrapport", AR, "-o", str(ut), "--forbund", "stb", stdout=stdout)
    reader = PdfReader(ut)
    innehall = text("\n".join(page.extract_text() for page in reader.pages))
    assert "Uppföljning FINSAM" in innehall
    assert "Diagram 3. Deltagare i individinsatser för STB 2025 uppdelade i kön" in innehall
    assert "Skrev" in stdout.getvalue()
    assert "Samordningsförbundet Testbygden 2025 (preliminär)" in stdout.getvalue()


def test_kommandot_skriver_html(tmp_path, data, forbund):
    ut = tmp_path / "bilaga.html"
    call_command(
        "arsrapport",
        AR,
        "-o",
        str(ut),
        "--html",
        "--forbund",
        "Samordningsförbundet Testbygden",
        stdout=io.StringIO(),
    )
    html = ut.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Uppföljning FINSAM 2025 – Samordningsförbundet Testbygden</title>" in html
    assert "data:image/png;base64," in html  # the PDF's charts
    assert "Visa tabell" not in html


def test_kommandot_kraver_forbund_nar_det_finns_flera(tmp_path, data):
    ut = tmp_path / "bilaga.pdf"
    with pytest.raises(CommandError, match=r"Ange --forbund .*STB.*SAS|Ange --forbund .*SAS.*STB"):
        call_command("arsrapport", AR, "-o", str(ut), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Hittar inget förbund som heter ”Okänt”"):
        call_command("arsrapport", AR, "-o", str(ut), "--forbund", "Okänt", stdout=io.StringIO())
    assert not ut.exists()


def test_kommandot_valjer_det_enda_forbundet(tmp_path, forbund, insats, byggen):
    ut = tmp_path / "bilaga.pdf"
    call_command("arsrapport", AR, "-o", str(ut), stdout=io.StringIO())
    assert ut.read_bytes() == FALSK_PDF
    assert byggen == ["Samordningsförbundet Testbygden"]


# --- Charts on the page as images ----------------------------------------------------------


def _diagramadresser(client, ar: int = AR) -> list[str]:
    html_sidan = client.get(f"/rapporter/{ar}/").content.decode()
    return re.findall(rf'<img src="(/rapporter/{ar}/diagram/[0-9a-f]{{16}}\.svg)"', html_sidan)


@pytest.mark.parametrize(
    ("roll", "status"),
    [
        ("forbundschef", 200),
        ("verksamhetsutvecklare", 200),
        ("styrelse", 200),
        ("insatsansvarig", 403),
    ],
)
def test_diagrammen_pa_sidan_ar_egna_bilder_med_behorighet(
    client, request, forbund, verksamhetsutvecklare, roll, status
):
    g = grund(forbund)
    lagg_till_insatser(forbund, g, 0, 2)
    client.force_login(verksamhetsutvecklare)
    adresser = _diagramadresser(client)
    assert adresser, "diagrammen ska vara bilder med adress"
    client.force_login(request.getfixturevalue(roll))
    svar = [client.get(adress) for adress in adresser]
    assert {r.status_code for r in svar} == {status}
    if status == 200:
        assert svar[2]["Content-Type"] == "image/svg+xml"
        assert svar[2].content.lstrip().startswith(b"<?xml")
        assert "immutable" in svar[2]["Cache-Control"]
        assert any(b"Insats 00" in r.content for r in svar)  # its own insatser, as text


def test_diagram_hamtas_ur_lagringen_efter_hash_utan_rapporten(
    client, forbund, verksamhetsutvecklare, monkeypatch
):
    """Drawn once, a chart is a file named by its hash: another process (an empty cache) serves
    it without computing the report. An unknown hash is 404."""
    from rapporter import bilagevyer

    g = grund(forbund)
    lagg_till_insatser(forbund, g, 0, 2)
    client.force_login(verksamhetsutvecklare)
    adresser = _diagramadresser(client)
    forsta = [client.get(a).content for a in adresser]
    cache.clear()
    monkeypatch.setattr(bilagevyer, "arsrapport", _far_inte_anropas)
    assert [client.get(a).content for a in adresser] == forsta
    monkeypatch.undo()  # a hash that is not stored is looked for in the report
    assert client.get("/rapporter/2025/diagram/0123456789abcdef.svg").status_code == 404
    assert client.get("/rapporter/2025/diagram/inte-hex.svg").status_code == 404


def _far_inte_anropas(**kwargs):
    raise AssertionError("rapporten räknades")


def test_annat_forbund_far_inte_vart_forbunds_diagram(
    client, forbund, verksamhetsutvecklare, utomstaende
):
    """A chart's hash under another förbund's address is not that förbund's chart: 404."""
    g = grund(forbund)
    lagg_till_insatser(forbund, g, 0, 2)
    client.force_login(verksamhetsutvecklare)
    adresser = _diagramadresser(client)
    client.get(adresser[2])
    client.force_login(utomstaende)
    svar = client.get(adresser[2])
    assert svar.status_code == 404
    assert b"Insats 00" not in svar.content
