"""The 2025 bilaga as a PDF: every acceptance figure of DOMAIN.md in its own table row; the
cover; no page that ends with a heading or a caption; tables that split between rows only and
repeat their head; a tagged PDF/A-3a and PDF/UA-1 document (checked by `page`, a PDF/A and
PDF/UA validator, and by poppler's pdfinfo)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from page import validate_pdf_bytes
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from rapporter import pdf, pdfa
from rapporter.selectors import Logotyp, arsrapport
from registrering import demodata, services


@pytest.fixture(scope="module")
def bilaga_2025(django_db_setup, django_db_blocker):
    """The 2025 PDF of the demo data, rendered once for the module (and rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        forbund = demodata.ladda(idag=dt.date(2026, 11, 23))
        rapport = arsrapport(forbund=forbund, ar=2025, idag=dt.date(2026, 11, 23))
        export = pdf.rendera(rapport)
        transaction.set_rollback(True)
    reader = PdfReader(io.BytesIO(export.innehall))
    text = "\n".join(sida.extract_text() for sida in reader.pages)
    yield {
        "export": export,
        "reader": reader,
        "rader": _rader(text),
        "text": text,
        "rapport": rapport,
        "html": pdf.html(rapport, pdf=True),
    }


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


# --- The cover -------------------------------------------------------------------------------

SVG_LOGOTYP = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 120">'
    b'<rect width="400" height="120" fill="#0b4f6c"/>'
    b'<circle cx="60" cy="60" r="40" fill="#ffffff"/></svg>'
)


def _med_logotyp(rapport, data: bytes = SVG_LOGOTYP, typ: str = "image/svg+xml"):
    logotyp = Logotyp(typ, hashlib.sha256(data).hexdigest(), data)
    return dataclasses.replace(rapport, logotyp=logotyp)


def test_titelsidan_som_i_seed_000(bilaga_2025):
    forsta = bilaga_2025["reader"].pages[0]
    assert " ".join(r for r in _rader(forsta.extract_text()) if r) == (
        "SAMORDNINGSFÖRBUNDET VÄSTRA ÖSTERGÖTLAND Uppföljning FINSAM 1 januari–31 december 2025"
        " Bilaga till årsredovisning 2025 Upprättad av Vera Verksamhetsutvecklare"
        " Sammanställd den 20 januari 2026"
    )
    assert _figurer_per_sida(bilaga_2025["reader"])[0] == 0  # no logo: the name, large
    assert bilaga_2025["reader"].metadata.author == (
        "Vera Verksamhetsutvecklare, Samordningsförbundet Västra Östergötland"
    )


@pytest.mark.parametrize("format_", ["svg", "png"])
def test_titelsidan_med_logotyp(bilaga_2025, format_):
    if format_ == "svg":
        rapport = _med_logotyp(bilaga_2025["rapport"])
    else:
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (800, 240), "#0b4f6c").save(buffer, format="PNG")
        rapport = _med_logotyp(bilaga_2025["rapport"], buffer.getvalue(), "image/png")
    innehall = pdf._bygg(rapport)
    reader = PdfReader(io.BytesIO(innehall))
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "SAMORDNINGSFÖRBUNDET VÄSTRA ÖSTERGÖTLAND Uppföljning FINSAM" in text
    figurer = [e for s, e in _struktur(reader) if s == "/Figure"]
    assert figurer[0]["/Alt"] == "Logotyp för Samordningsförbundet Västra Östergötland"
    assert figurer[0]["/Pg"].get_object() == reader.pages[0].get_object()
    assert _valideringsfel(innehall) == {}


@pytest.mark.django_db
def test_logotypen_lases_fran_lagringen_och_ger_nytt_lagringsnamn(
    settings, tmp_path, forbund, verksamhetsutvecklare
):
    settings.MEDIA_ROOT = tmp_path
    utan = arsrapport(forbund=forbund, ar=2025, idag=dt.date(2026, 2, 1))
    assert utan.logotyp is None
    services.forbund_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        varden={"logotyp": SimpleUploadedFile("logga.svg", SVG_LOGOTYP)},
    )
    forbund.refresh_from_db()
    med = arsrapport(forbund=forbund, ar=2025, idag=dt.date(2026, 2, 1))
    assert med.logotyp is not None
    assert med.logotyp.typ == "image/svg+xml"
    assert med.logotyp.innehall == SVG_LOGOTYP
    assert med.logotyp.data_uri.startswith("data:image/svg+xml;base64,")
    assert pdf.lagringsnamn(med) != pdf.lagringsnamn(utan)
    assert 'alt="Logotyp för Samordningsförbundet Testbygden"' in pdf.html(med)

    (tmp_path / forbund.logotyp.name).unlink()  # a lost file: the name instead, no error
    assert arsrapport(forbund=forbund, ar=2025, idag=dt.date(2026, 2, 1)).logotyp is None


# --- Page breaks -----------------------------------------------------------------------------


class _Oppnare(HTMLParser):
    """What the template emits that must not end a page (headings, tables' captions and heads,
    the "60 svar" under a survey question), and the figures' alternative texts, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.oppnare: list[str] = []
        self.rubriker: list[str] = []
        self.alt: list[str] = []
        self.tabeller = 0
        self._fangar: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        klasser = (dict(attrs).get("class") or "").split()
        if tag in {"h1", "h2", "h3", "caption", "thead"} or "antal-svar" in klasser:
            self._fangar.append([tag])
            if tag.startswith("h"):
                self.rubriker.append(f"/{tag.upper()}")
        self.tabeller += tag == "table"
        if tag == "img":
            self.alt.append(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._fangar and self._fangar[-1][0] == (tag if tag != "p" else "p"):
            self.oppnare.append(_utan_luft("".join(self._fangar.pop()[1:])))

    def handle_data(self, data: str) -> None:
        for fangst in self._fangar:
            fangst.append(data)


def _utan_luft(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", "", text)


def _oppnare(html: str) -> _Oppnare:
    parser = _Oppnare()
    parser.feed(html)
    return parser


SIDFOT = re.compile(r"(Preliminär|UppföljningFINSAM\d{4}|Sida\d+av\d+)$")


def _sidans_slut(sida) -> str:
    """The page's text without whitespace, the running header and footer taken off its end."""
    text = _utan_luft(sida.extract_text())
    while (traff := SIDFOT.search(text)) and traff.start() > 0:
        text = text[: traff.start()]
    return text


def test_ingen_sida_slutar_med_en_rubrik_eller_bildtext(bilaga_2025):
    oppnare = _oppnare(bilaga_2025["html"]).oppnare
    figurer = _figurer_per_sida(bilaga_2025["reader"])
    assert "4Uppföljningavvolyminsatser" in oppnare
    assert "VolyminsatserSVÖ2025" in oppnare  # the table's caption
    assert "60svar" in oppnare
    assert "AntaldeltagareTotaltKvinnorMän" in oppnare  # a table's head
    for nummer, sida in enumerate(bilaga_2025["reader"].pages, start=1):
        slut = _sidans_slut(sida)
        assert slut, f"sida {nummer} är tom"
        for text in oppnare:
            assert not slut.endswith(text), f"sida {nummer} slutar med {text!r}"
        # A chart's caption stands under the chart: never on a page without it.
        bildtexter = re.findall(r"Diagram\d+\.", _utan_luft(sida.extract_text()))
        assert figurer[nummer - 1] == len(bildtexter), (nummer, bildtexter)
    # Section 4 and the first tables of section 5 share a page, as in seed 000.
    sidor = [_utan_luft(s.extract_text()) for s in bilaga_2025["reader"].pages]
    fyra = next(i for i, t in enumerate(sidor[2:], 2) if "4Uppföljningavvolyminsatser" in t)
    assert "Förstegscoordinator" in sidor[fyra] and "SVÖ2025totaltochuppdelatikön" in sidor[fyra]


def test_lang_tabell_delas_mellan_rader_och_upprepar_huvudet(bilaga_2025):
    rapport = bilaga_2025["rapport"]
    forebild = rapport.data.insatser[0]
    insatser = tuple(
        dataclasses.replace(forebild, insats_id=9000 + n, namn=f"Testinsats {n:02d}")
        for n in range(1, 71)
    )
    volym = tuple(
        dataclasses.replace(rapport.data.volym[0], insats_id=9000 + n, namn=f"Volym {n:02d}")
        for n in range(1, 71)
    )
    data = dataclasses.replace(rapport.data, insatser=insatser, volym=volym)
    lang = dataclasses.replace(rapport, data=data)
    reader = PdfReader(io.BytesIO(pdf._bygg(lang)))
    rad = re.compile(r"^Testinsats (\d\d) \d+ st \d+ st \d+ st (\d+ st|–)$")
    hela_rader: list[str] = []
    sidor_med_rader = 0
    for sida in reader.pages:
        rader = _rader(sida.extract_text())
        pa_sidan = [i for i, r in enumerate(rader) if rad.match(r)]
        if not pa_sidan:
            continue
        sidor_med_rader += 1
        huvud = [i for i, r in enumerate(rader) if r.startswith("Insats 2025")]
        assert huvud and huvud[0] < pa_sidan[0], "tabellens huvud saknas överst på sidan"
        hela_rader += [rad.match(rader[i])[1] for i in pa_sidan]
    assert sidor_med_rader >= 2  # the table did split
    # The volume table, split too: its head on each of its pages, its total once, at the end.
    volymsidor = [_utan_luft(s.extract_text()) for s in reader.pages]
    volymsidor = [t for t in volymsidor if re.search(r"Volym\d\d", t)]
    assert len(volymsidor) >= 2
    assert all(t.index("Insats/insatstyp") < t.index("Volym") for t in volymsidor)
    totalt = f"Totalt{data.volym_struktur_totalt}{data.volym_individ_totalt}"
    assert [totalt in t for t in volymsidor].count(True) == 1 and totalt in volymsidor[-1]
    assert hela_rader == [f"{n:02d}" for n in range(1, 71)]  # each row whole, once, in order


def _namncellerna(html: str, namn: str) -> list[tuple[float, float, int]]:
    """Per table row whose header cell holds `namn` in the laid-out PDF: the right edge of the
    name's text, the left edge of the row's next cell, and how many lines the name took."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    dokument = HTML(string=html, base_url=pdfa.BAS, url_fetcher=pdfa.hamtare()).render()
    ut = []
    for sida in dokument.pages:
        for rad in sida._page_box.descendants():
            if not isinstance(rad, boxes.TableRowBox):
                continue
            celler = rad.children
            texter = [b for b in celler[0].descendants() if isinstance(b, boxes.TextBox)]
            if len(celler) > 1 and namn.startswith(texter[0].text if texter else "\0"):
                rader = {round(t.position_y) for t in texter}
                hoger = max(t.position_x + t.width for t in texter)
                ut.append((hoger, celler[1].position_x, len(rader)))
    return ut


@pytest.mark.parametrize(
    "namn",
    [
        "Insatsen med ett namn som är alldeles för långt för att rymmas på en rad i kolumnen",
        "Arbetsmarknadsrehabiliteringssamverkansinsatsen för unga vuxna",
    ],
)
def test_ett_langt_insatsnamn_bryts_inom_sin_kolumn(bilaga_2025, namn):
    """The tables with a row per insats have fixed column widths (laid out without measuring
    every cell, issue 15): a name longer than its column wraps inside it, clear of the figures,
    also a single word longer than the column."""
    rapport = bilaga_2025["rapport"]
    data = dataclasses.replace(
        rapport.data,
        insatser=(dataclasses.replace(rapport.data.insatser[0], namn=namn),),
        volym=(dataclasses.replace(rapport.data.volym[0], namn=namn),),
    )
    celler = _namncellerna(pdf.html(dataclasses.replace(rapport, data=data)), namn)
    assert len(celler) == 2  # the flow table and the volume table
    for hoger, nasta, rader in celler:
        assert rader >= 2
        assert hoger <= nasta


# --- Tags: PDF/A-3a and PDF/UA-1 -------------------------------------------------------------


def _struktur(reader: PdfReader) -> list[tuple[str, DictionaryObject]]:
    """The structure elements depth first, which is the reading order."""
    ut: list[tuple[str, DictionaryObject]] = []

    def besok(objekt) -> None:
        element = objekt.get_object()
        if not isinstance(element, DictionaryObject) or "/S" not in element:
            return
        ut.append((str(element["/S"]), element))
        barn = element.get("/K")
        barn = barn.get_object() if barn is not None else ArrayObject()
        for b in barn if isinstance(barn, ArrayObject) else [barn]:
            if isinstance(b, IndirectObject | DictionaryObject):
                besok(b)

    rot = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    barn = rot["/K"].get_object()
    for b in barn if isinstance(barn, ArrayObject) else [barn]:
        besok(b)
    return ut


def _figurer_per_sida(reader: PdfReader) -> Counter[int]:
    """How many tagged figures each page (0-based) has."""
    sidor = {sida.indirect_reference.idnum: i for i, sida in enumerate(reader.pages)}
    return Counter(sidor[e.raw_get("/Pg").idnum] for s, e in _struktur(reader) if s == "/Figure")


def _valideringsfel(innehall: bytes) -> dict[str, list[str]]:
    """`page`'s findings against PDF/A-3a and PDF/UA-1, by profile (empty: both conform)."""
    fel = {}
    for profil in ("3a", "ua1"):
        rapport = validate_pdf_bytes(innehall, profile=profil)
        if not rapport.is_compliant:
            fel[profil] = [f"{f.rule_id}: {f.message}" for f in rapport.failures]
    return fel


def test_pdf_a_3a_och_pdf_ua_1_enligt_validatorn(bilaga_2025):
    assert _valideringsfel(bilaga_2025["export"].innehall) == {}
    metadata = bilaga_2025["reader"].trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in metadata or b'pdfaid:part="3"' in metadata
    assert b"<pdfuaid:part>1</pdfuaid:part>" in metadata


def test_pdfinfo_sager_taggad(bilaga_2025, tmp_path):
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "pdfinfo saknas: installera poppler-utils (apt-get install poppler-utils)"
    fil = tmp_path / "bilaga.pdf"
    fil.write_bytes(bilaga_2025["export"].innehall)
    utdata = subprocess.run([pdfinfo, str(fil)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", utdata.stdout, re.MULTILINE), utdata.stdout


def test_taggarna_rubriker_tabeller_figurer_och_lasordning(bilaga_2025):
    struktur = _struktur(bilaga_2025["reader"])
    mallen = _oppnare(bilaga_2025["html"])
    # Headings in the template's order and levels: the reading order follows the document.
    assert [s for s, _ in struktur if s in {"/H1", "/H2", "/H3"}] == mallen.rubriker
    assert mallen.rubriker[:3] == ["/H1", "/H2", "/H2"]
    # Every chart a figure with its alternative text, in the order of the charts.
    diagram = [dg.alt for dg in pdf.d.diagram_for(bilaga_2025["rapport"])]
    assert [str(e["/Alt"]) for s, e in struktur if s == "/Figure"] == mallen.alt == diagram
    # Tables: header cells with a scope, data cells that name their headers.
    tabeller = [e for s, e in struktur if s == "/Table"]
    # Volym, flöde, per insats, huvudman, ISA and avslutsanledning, and the three of
    # "8 Resultat och effekter" (the demo förbund has it on); none split in 2025.
    assert len(tabeller) == mallen.tabeller == 9
    rubrikceller = [e for s, e in struktur if s == "/TH"]
    assert rubrikceller and all(e["/A"]["/Scope"] in {"/Column", "/Row"} for e in rubrikceller)
    dataceller = [e for s, e in struktur if s == "/TD"]
    assert dataceller and all(len(e["/A"]["/Headers"]) >= 1 for e in dataceller)
    assert bilaga_2025["reader"].trailer["/Root"]["/MarkInfo"]["/Marked"].value is True


@pytest.mark.django_db
def test_upprattad_av_sparas_pa_textsidan_och_star_pa_titelsidan(
    client, forbund, verksamhetsutvecklare
):
    from registrering.audit import audit_entries_for
    from registrering.models import Arsbilaga

    client.force_login(verksamhetsutvecklare)
    assert "Upprättad av" in client.get("/rapporter/2025/texter/").content.decode()
    svar = client.post(
        "/rapporter/2025/texter/",
        {
            "bakgrund_text": "",
            "metod_text": "",
            "sammanstallningsdatum": "2026-01-20",
            "upprattad_av": "  Anna   Andersson, verksamhetsutvecklare ",
        },
    )
    assert svar.status_code == 302
    bilaga = Arsbilaga.objects.get(forbund=forbund, ar=2025)
    assert bilaga.upprattad_av == "Anna Andersson, verksamhetsutvecklare"
    assert audit_entries_for(bilaga).get().changes["upprattad_av"] == [
        "",
        "Anna Andersson, verksamhetsutvecklare",
    ]
    rapport = arsrapport(forbund=forbund, ar=2025, idag=dt.date(2026, 2, 1))
    titelsida = pdf.html(rapport).split("</section>")[0]
    assert "<p>Upprättad av Anna Andersson, verksamhetsutvecklare</p>" in titelsida
    assert "<p>Sammanställd den 20 januari 2026</p>" in titelsida
    assert "Bilaga till årsredovisning 2025" in titelsida
    assert 'class="forbundsnamn utan-logotyp"' in titelsida


def test_pdfen_byggs_med_farre_skrapsamlingar(bilaga_2025, monkeypatch):
    """While a PDF is laid out and written, Python's cycle collector runs seldom (a quarter of
    a cold bilaga's CPU time at 300 insatser went to it), and its threshold is put back
    afterwards, also when the build fails."""
    import gc

    from weasyprint import HTML

    from registrering.masskrivning import FARRE_SKRAPSAMLINGAR

    fore = gc.get_threshold()
    under: list[tuple[int, ...]] = []

    def write_pdf(self, **kwargs):
        under.append(gc.get_threshold())
        raise RuntimeError("WeasyPrint föll")

    monkeypatch.setattr(HTML, "write_pdf", write_pdf)
    with pytest.raises(RuntimeError):
        pdf._bygg(bilaga_2025["rapport"])
    assert under == [(max(fore[0], FARRE_SKRAPSAMLINGAR), *fore[1:])]
    assert gc.get_threshold() == fore
