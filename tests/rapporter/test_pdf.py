"""The 2025 bilaga as a PDF: every acceptance figure of DOMAIN.md in its own table row."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from rapporter import pdf
from rapporter.selectors import arsrapport
from registrering import demodata


@pytest.fixture(scope="module")
def bilaga_2025(django_db_setup, django_db_blocker):
    """The 2025 PDF of the demo data, rendered once for the module (and rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        forbund = demodata.ladda(idag=dt.date(2026, 11, 23))
        rapport = arsrapport(forbund=forbund, ar=2025, idag=dt.date(2026, 11, 23))
        export = pdf.rendera(rapport)
        transaction.set_rollback(True)
    reader = PdfReader(io.BytesIO(export.innehall))
    text = "\n".join(page.extract_text() for page in reader.pages)
    yield {"export": export, "reader": reader, "rader": _rader(text), "text": text}


def _rader(text: str) -> list[str]:
    """Lines with ordinary spaces (the PDF uses no-break spaces in numbers: '1 873')."""
    return [re.sub(r"[\s\u00a0\u202f]+", " ", line).strip() for line in text.splitlines()]


def _rad(bilaga, borjan: str) -> str:
    traffar = [r for r in bilaga["rader"] if r.startswith(borjan + " ")]
    assert traffar, f"ingen rad börjar med {borjan!r}"
    return traffar[0]


@pytest.mark.parametrize(
    ("borjan", "rad"),
    [
        # Flow: totalt 402 (200 K, 202 M); påbörjade 217 (118, 99); avslutade 214 (104, 110);
        # pågående 116 (61, 55).
        ("Deltagare totalt 2025", "402 200 202"),
        ("Deltagare påbörjade 2025", "217 118 99"),
        ("Deltagare avslutade 2025", "214 104 110"),
        ("Deltagare pågående (31/12-2025)", "116 61 55"),
        # Per insats: totalt / nya / avslutade / pågående.
        ("Digitaliseringscenter", "43 st 27 st 39 st –"),
        ("Försteg Boxholm", "25 st 16 st 19 st 4 st"),
        ("Försteg Mjölby/Skänninge", "104 st 65 st 52 st 37 st"),
        ("Försteg Motala", "50 st 32 st 36 st 14 st"),
        ("Försteg Vadstena", "20 st 8 st 12 st 7 st"),
        ("Försteg Ödeshög", "28 st 17 st 16 st 9 st"),
        ("ISA navigator", "36 st 17 st 13 st –"),
        ("ISA Västra", "43 st 17 st 20 st –"),
        ("Stöd mot sysselsättning", "53 st 18 st 7 st 45 st"),
        # Huvudman.
        ("Försäkringskassan", "144 st 36 %"),
        ("Arbetsförmedlingen", "68 st 17 %"),
        ("Kommun", "185 st 46 %"),
        ("Övrigt", "5 st 1 %"),
        # Volyminsatser and their totals.
        ("Förstegscoordinator", "Tillfällen 457"),
        ("Motala Fontänhus", "Deltagare 91"),
        ("Nätverket västra", "Deltagare 213"),
        ("SIP – Samordnad Individuell Plan", "Tillfällen 18"),
        ("Kompetenshöjande insatser", "Deltagare 980"),
        ("Utveckling struktur", "Deltagare 223"),
        ("Totalt", "1 873 109"),
        # ISA avslut.
        ("Avslut totalt", "20 st"),
        ("Avslut till arbete utan subvention", "2 st"),
        ("Avslut till arbete med subvention", "9 st"),
        ("Avslut mot studier", "1 st"),
        ("Avslut åter till huvudman", "8 st"),
        # Avslutsanledning 1:a / 2:a.
        ("Alla individinriktade insatser", "214 st 140 st 65 % 74 st 35 %"),
        ("Enbart försteg", "135 st 79 st 59 % 56 st 41 %"),
    ],
)
def test_acceptanssiffra_i_egen_rad(bilaga_2025, borjan, rad):
    assert _rad(bilaga_2025, borjan) == f"{borjan} {rad}"


def test_struktur_och_rubriker(bilaga_2025):
    text = re.sub(r"\s+", " ", bilaga_2025["text"])
    for rubrik in [
        "SAMORDNINGSFÖRBUNDET VÄSTRA ÖSTERGÖTLAND",
        "Uppföljning FINSAM",
        "1 januari–31 december 2025",
        "Innehållsförteckning",
        "1 Bakgrund",
        "2 Metod",
        "Datauttag i den här bilagan omfattar perioden 1 januari till och med den 31 december"
        " 2025.",
        "Sammanställningen är gjord den 20 januari 2026.",
        "3 Uppföljning av insatser över tid",
        "Diagram 1. Deltagarutveckling i individinriktade insatser för SVÖ under åren 2020–2025",
        "Diagram 2. Deltagarutveckling i förstegsinsatser under åren 2020–2025",
        "KOMMENTAR: Försteg Vadstena påbörjade sin verksamhet under hösten 2021",
        "4 Uppföljning av volyminsatser",
        "5 Uppföljning av individinriktade insatser",
        "Diagram 3. Deltagare i individinsatser för SVÖ 2025 uppdelade i kön",
        "Diagram 4. Nya deltagare i individinsatser för SVÖ 2025",
        "Diagram 5. Avslutade deltagare i individinsatser för SVÖ 2025",
        "Avslutade deltagare i ISA (Individuellt stöd till arbete/studier)",
        "6 Uppföljning av strukturövergripande insatser",
        "60 svar",
        "7 Definitioner och begrepp",
        "Förkortningar",
        "SIP Samordnad individuell plan",
    ]:
        assert rubrik in text, rubrik
    assert "Preliminär" not in text  # every month of 2025 is approved


def test_innehallsforteckning_har_riktiga_sidnummer(bilaga_2025):
    reader = bilaga_2025["reader"]
    sida_med = {}
    for nummer, page in enumerate(reader.pages, start=1):
        for rad in _rader(page.extract_text()):
            if rad in {"4 Uppföljning av volyminsatser", "7 Definitioner och begrepp"}:
                sida_med.setdefault(rad, nummer)
    innehall = _rader(reader.pages[1].extract_text())
    for rubrik, sida in sida_med.items():
        assert any(re.fullmatch(rf"{re.escape(rubrik)} ?\.* ?{sida}", r) for r in innehall), (
            rubrik,
            sida,
            innehall,
        )
    assert _rader(reader.pages[2].extract_text())[-1].endswith(f"Sida 3 av {len(reader.pages)}")


def test_pdf_a_metadata_och_inbaddade_typsnitt(bilaga_2025):
    reader = bilaga_2025["reader"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert "/OutputIntents" in root  # PDF/A
    assert b"pdfaid:part" in root["/Metadata"].get_object().get_data()
    assert reader.metadata.title == (
        "Uppföljning FINSAM 2025 – Samordningsförbundet Västra Östergötland"
    )
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert bilaga_2025["export"].filnamn == "Uppfoljning-FINSAM-SVO-2025.pdf"


@pytest.mark.django_db
def test_preliminar_pa_varje_sida_tills_allt_ar_godkant(tmp_path):
    demodata.ladda(idag=dt.date(2026, 11, 23))
    ut = tmp_path / "2026.pdf"
    call_command("arsrapport", 2026, "-o", str(ut), stdout=io.StringIO())
    reader = PdfReader(ut)
    assert all("Preliminär" in page.extract_text() for page in reader.pages[1:])
    html = tmp_path / "2026.html"
    call_command(
        "arsrapport", 2026, "-o", str(html), "--html", "--forbund", "svö", stdout=io.StringIO()
    )
    assert "Uppföljning FINSAM" in html.read_text(encoding="utf-8")
