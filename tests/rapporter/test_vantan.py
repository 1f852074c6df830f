"""No wait without a word: a cold PDF answers at once with a page that says how its build goes
and then gives the PDF; the build starts once however many ask; a failed build says so and can
be retried; the PDF's file name; the report page never draws its charts in the request.

Builds normally run in the request in the tests (`FINSAM_BYGG_I_BAKGRUNDEN = False`). Here they
run "in the background" on a queue that the test empties when it wants (`ko`), or on the real
thread pool (one test). WeasyPrint is replaced by a stub that counts its calls."""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from finsam import uppgifter
from rapporter import bilagevyer, pdf, views
from rapporter import diagram as d
from rapporter.models import Bilagebygge
from registrering.models import Manadsrapport
from tests import factories as f
from tests.rapporter.test_views import grund, lagg_till_insatser, text

pytestmark = pytest.mark.django_db

IDAG = dt.date(2026, 11, 23)
FALSK_PDF = b"%PDF-1.7 vantan"
PDF_URL = "/rapporter/2025/pdf/"
BYGGER = "Bilagan byggs – det tar några sekunder"


class Ko:
    """Stands in for the in-process task pool: keeps what is submitted until the test runs it."""

    def __init__(self) -> None:
        self.jobb: list[Callable[[], None]] = []

    def submit(self, arbete: Callable[..., None], *args: object) -> None:
        self.jobb.append(lambda: arbete(*args))

    def kor(self) -> None:
        while self.jobb:
            self.jobb.pop(0)()


@pytest.fixture(autouse=True)
def fryst_idag(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)


@pytest.fixture(autouse=True)
def byggen(monkeypatch) -> list[str]:
    """Every call of the WeasyPrint step, by förbund name (the cache emptied first)."""
    cache.clear()
    anrop: list[str] = []

    def bygg(rapport):
        anrop.append(rapport.data.forbund_namn)
        return FALSK_PDF

    monkeypatch.setattr(pdf, "_bygg", bygg)
    return anrop


@pytest.fixture
def ko(settings, monkeypatch) -> Ko:
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    kon = Ko()
    monkeypatch.setattr(uppgifter, "_traadpool", lambda: kon)
    return kon


@pytest.fixture
def data(forbund, annat_forbund):
    lagg_till_insatser(forbund, grund(forbund), 0, 3)
    lagg_till_insatser(annat_forbund, grund(annat_forbund), 0, 1)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    delar: list[str] = field(default_factory=list)
    barn: list[Element] = field(default_factory=list)

    @property
    def text(self) -> str:
        return re.sub(r"[\s\u00a0\u202f]+", " ", "".join(self.delar)).strip()

    def alla(self, tag: str, **attrs: str) -> list[Element]:
        """Every element below this one with the tag and attributes (role_="status" for role)."""
        onskat = {k.rstrip("_"): v for k, v in attrs.items()}
        return [
            e
            for e in self.barn
            if e.tag == tag and all(e.attrs.get(k) == v for k, v in onskat.items())
        ]

    def en(self, tag: str, **attrs: str) -> Element:
        traffar = self.alla(tag, **attrs)
        assert len(traffar) == 1, f"{len(traffar)} <{tag} {attrs}>"
        return traffar[0]

    def lank(self, text: str) -> str:
        """The href of the one link whose text is `text`."""
        hrefs = [a.attrs["href"] for a in self.alla("a") if a.text == text]
        assert len(hrefs) == 1, f"{len(hrefs)} länkar {text!r}"
        return hrefs[0]


class _Tolk(HTMLParser):
    TOMMA = {"img", "meta", "link", "br", "input", "hr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rot = Element("dokument", {})
        self.oppna: list[Element] = [self.rot]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        for e in self.oppna:
            e.barn.append(element)
        if tag not in self.TOMMA:
            self.oppna.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.oppna) - 1, 0, -1):
            if self.oppna[i].tag == tag:
                del self.oppna[i:]
                return

    def handle_data(self, data: str) -> None:
        for e in self.oppna:
            e.delar.append(data)


def soppa(response) -> Element:
    """The page as elements; <noscript> is read as markup, as a browser without JavaScript
    reads it."""
    tolk = _Tolk()
    tolk.feed(response.content.decode())
    return tolk.rot


def h1(response) -> str:
    return soppa(response).en("h1").text


def meta_refresh(response) -> str | None:
    """The content of the page's meta refresh, also one inside <noscript> (parsed as markup,
    as a browser without JavaScript does)."""
    html = response.content.decode()
    traff = re.search(r'<meta http-equiv="refresh" content="([^"]*)"', html)
    return traff.group(1) if traff else None


# --- A cold PDF --------------------------------------------------------------------------


def test_kall_pdf_svarar_direkt_med_en_sida_och_sedan_med_pdf(client, data, forbundschef, ko):
    client.force_login(forbundschef)

    response = client.get(PDF_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-store"
    assert "Content-Disposition" not in response
    sidan = soppa(response)
    assert sidan.en("h1").text == BYGGER
    assert sidan.en("title").text.startswith("Bilagan byggs – Uppföljning FINSAM 2025")
    assert "Bilagan står i kö" in sidan.en("p", role_="status").text
    # Without JavaScript the page asks again by itself; with it, bygger.js does in place.
    assert meta_refresh(response) == f"{views.VANTA_SEKUNDER}; url={PDF_URL}?vantat=1"
    assert sidan.en("noscript").en("meta", **{"http-equiv": "refresh"})
    assert sidan.lank("fråga igen nu") == f"{PDF_URL}?vantat=1"
    assert sidan.lank("rapportsidan för 2025") == "/rapporter/2025/"
    assert sidan.en("script", src="/static/js/bygger.js")
    assert len(ko.jobb) == 1

    ko.kor()

    # The waiting page's question is answered with a page that starts the download …
    klar = client.get(f"{PDF_URL}?vantat=1")
    assert klar.status_code == 200
    assert h1(klar) == "Bilagan är klar"
    assert meta_refresh(klar) == f"0; url={PDF_URL}"
    assert soppa(klar).lank("Ladda ned Uppfoljning-FINSAM-STB-2025-preliminar.pdf") == PDF_URL
    # … and the same address now gives the PDF.
    pdf_svar = client.get(PDF_URL)
    assert pdf_svar.status_code == 200
    assert pdf_svar["Content-Type"] == "application/pdf"
    assert pdf_svar.content == FALSK_PDF
    assert ko.jobb == []


def test_sidan_sager_hur_lange_bygget_pagatt_och_hur_lang_tid_forra_tog(
    client, data, forbund, forbundschef, verksamhetsutvecklare, ko, byggen, monkeypatch
):
    client.force_login(forbundschef)
    under_bygget: list[str] = []

    def bygg(rapport):
        # What the waiting page says while the build is under way, 3 s in.
        Bilagebygge.objects.filter(tillstand="bygger").update(
            borjade=timezone.now() - dt.timedelta(seconds=3)
        )
        under_bygget.append(text(client.get(f"{PDF_URL}?vantat=1").content.decode()))
        byggen.append(rapport.data.forbund_namn)
        return FALSK_PDF

    monkeypatch.setattr(pdf, "_bygg", bygg)
    client.get(PDF_URL)
    ko.kor()
    assert "Bygget har pågått i 3 sekunder." in under_bygget[0]
    Bilagebygge.objects.filter(tillstand="klar").update(sekunder=4.2)

    # New data: the next build knows how long the last one took (4 s).
    from registrering import services

    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=2025, avsnitt="volym", text="Ny."
    )
    assert h1(client.get(PDF_URL)) == BYGGER
    ko.kor()
    assert "Bygget har pågått i 3 sekunder; förra bygget tog 4 sekunder." in under_bygget[1]


def test_tva_fragor_startar_ett_bygge(client, data, forbundschef, styrelse, ko, byggen, settings):
    settings.FINSAM_FORBERED_PDF = True
    client.force_login(forbundschef)
    assert client.get("/rapporter/2025/").status_code == 200  # the page builds nothing …
    assert client.get(PDF_URL).status_code == 200  # … the download queues the build
    client.force_login(styrelse)
    assert h1(client.get(PDF_URL)) == BYGGER
    assert len(ko.jobb) == 1
    assert byggen == []  # nothing was built in a request

    ko.kor()

    assert client.get(PDF_URL).content == FALSK_PDF
    assert client.get("/rapporter/2025/").status_code == 200
    assert ko.jobb == []
    assert byggen == ["Samordningsförbundet Testbygden"]


def test_varje_forbund_och_ar_har_sitt_bygge(client, data, forbundschef, utomstaende, ko, byggen):
    client.force_login(forbundschef)
    client.get(PDF_URL)
    client.get("/rapporter/2024/pdf/")
    client.force_login(utomstaende)
    client.get(PDF_URL)
    assert len(ko.jobb) == 3
    ko.kor()
    assert client.get(PDF_URL).content == FALSK_PDF
    assert sorted(byggen) == [
        "Samordningsförbundet Annanstans",
        "Samordningsförbundet Testbygden",
        "Samordningsförbundet Testbygden",
    ]


def test_ett_bygge_i_en_annan_process_raknas(client, data, forbund, forbundschef, ko):
    """The build's row is the lock: a build claimed by another process (another gunicorn
    worker, another machine) is waited for, not started again."""
    from registrering import dataversion

    version = dataversion.version(forbund.pk, 2025).nummer
    nu = timezone.now()
    Bilagebygge.objects.create(
        forbund=forbund, ar=2024, version=0, tillstand="klar", koad=nu, klar=nu, sekunder=4.2
    )
    Bilagebygge.objects.create(
        forbund=forbund,
        ar=2025,
        version=version,
        tillstand="bygger",
        koad=nu - dt.timedelta(seconds=8),
        borjade=nu - dt.timedelta(seconds=7),
    )
    client.force_login(forbundschef)
    sidan = text(client.get(PDF_URL).content.decode())
    assert "Bygget har pågått i 7 sekunder; förra bygget tog 4 sekunder." in sidan
    assert ko.jobb == []


def test_misslyckat_bygge_sags_loggas_och_kan_goras_om(
    client, data, forbundschef, ko, byggen, monkeypatch, caplog
):
    def trasig(rapport):
        raise RuntimeError("WeasyPrint föll")

    monkeypatch.setattr(pdf, "_bygg", trasig)
    client.force_login(forbundschef)
    client.get(PDF_URL)
    with caplog.at_level(logging.ERROR, logger="rapporter.bygge"):
        ko.kor()
    assert "misslyckades" in caplog.text
    assert "WeasyPrint föll" in caplog.text

    for adress in (PDF_URL, f"{PDF_URL}?vantat=1"):
        response = client.get(adress)
        assert response.status_code == 500
        sidan = soppa(response)
        assert sidan.en("h1").text == "Bilagan kunde inte byggas"
        assert "Felet är loggat" in sidan.en("p", role_="status").text
        assert sidan.lank("Försök igen") == f"{PDF_URL}?igen=1"
        assert meta_refresh(response) is None  # it does not retry by itself
        assert sidan.alla("script") == []
    assert ko.jobb == []

    monkeypatch.setattr(pdf, "_bygg", lambda rapport: FALSK_PDF)
    igen = client.get(f"{PDF_URL}?igen=1")
    assert igen.status_code == 200
    assert h1(igen) == BYGGER
    assert meta_refresh(igen) == f"{views.VANTA_SEKUNDER}; url={PDF_URL}?vantat=1"
    client.get(f"{PDF_URL}?igen=1")  # a second retry joins the first
    assert len(ko.jobb) == 1
    ko.kor()
    assert client.get(PDF_URL).content == FALSK_PDF


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the pool thread reads the data
def test_riktiga_tradar_bygger_en_gang(client, data, forbundschef, settings, monkeypatch, byggen):
    """With the real pool: requests that come while the build runs join it, and the next
    request after it gets the PDF."""
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    pagar, slapp = threading.Event(), threading.Event()

    def bygg(rapport):
        pagar.set()
        assert slapp.wait(10)
        byggen.append(rapport.data.forbund_namn)
        return FALSK_PDF

    monkeypatch.setattr(pdf, "_bygg", bygg)
    client.force_login(forbundschef)
    try:
        assert h1(client.get(PDF_URL)) == BYGGER
        assert pagar.wait(10)
        under = soppa(client.get(PDF_URL)).en("p", role_="status").text
        assert under.startswith(("Bygget har just börjat", "Bygget har pågått i"))
    finally:
        slapp.set()
    # The build ends when its charts are stored too (drawn while the PDF was made).
    for _ in range(200):
        if Bilagebygge.objects.filter(tillstand=Bilagebygge.Tillstand.KLAR).exists():
            break
        time.sleep(0.05)
    assert pdf.finns(_rapport(forbundschef))
    assert client.get(PDF_URL).content == FALSK_PDF
    assert byggen == ["Samordningsförbundet Testbygden"]


def _rapport(user):
    from rapporter.selectors import arsrapport

    return arsrapport(forbund=user.forbund, ar=2025)


def test_kommandot_och_rendera_bygger_direkt(data, forbund, tmp_path, byggen, ko):
    """`manage.py arsrapport` and `pdf.rendera` build at once, also with background builds on."""
    from django.core.management import call_command

    ut = tmp_path / "bilaga.pdf"
    call_command("arsrapport", "2025", "-o", str(ut), "--forbund", "STB")
    assert ut.read_bytes() == FALSK_PDF
    assert ko.jobb == []


# --- The file name -----------------------------------------------------------------------


def test_pdf_heter_uppfoljning_finsam_forbund_ar(client, verksamhetsutvecklare, forbund):
    """A year with every month approved: 'Uppfoljning-FINSAM-<kortnamn>-<år>.pdf'."""
    forbund.kortnamn = "SVÖ"
    forbund.save()
    insats = f.InsatsFactory(forbund=forbund, startdatum=dt.date(2025, 1, 1), slutdatum=None)
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=1, man=1)
    for manad in range(1, 13):
        f.ManadsrapportFactory(
            insats=insats, ar=2025, manad=manad, status=Manadsrapport.Status.GODKAND
        )
    client.force_login(verksamhetsutvecklare)
    response = client.get(PDF_URL)
    assert response["Content-Disposition"] == (
        'attachment; filename="Uppfoljning-FINSAM-SVO-2025.pdf"'
    )


@pytest.mark.parametrize(
    ("kortnamn", "namn", "preliminar", "vantat"),
    [
        (
            "SVO",
            "Samordningsförbundet Västra Östergötland",
            False,
            "Uppfoljning-FINSAM-SVO-2025.pdf",
        ),
        ("Åsa/Älv", "x", False, "Uppfoljning-FINSAM-Asa-Alv-2025.pdf"),
        (
            "",
            "Samordningsförbundet Västra Östergötland",
            False,
            "Uppfoljning-FINSAM-Samordningsforbundet-Vastra-Ostergotland-2025.pdf",
        ),
        ("«»", "Ω", False, "Uppfoljning-FINSAM-forbund-2025.pdf"),
        ("SVO", "x", True, "Uppfoljning-FINSAM-SVO-2025-preliminar.pdf"),
    ],
)
def test_filnamnet_ar_ascii(kortnamn, namn, preliminar, vantat):
    rapport = SimpleNamespace(
        ar=2025,
        data=SimpleNamespace(kortnamn=kortnamn, forbund_namn=namn),
        kvalitet=SimpleNamespace(preliminar=preliminar),
    )
    namnet = pdf.filnamn(rapport)
    assert namnet == vantat
    assert namnet.isascii()
    assert '"' not in namnet


# --- The report page does not wait for its charts ------------------------------------------


def test_rapportsidan_ritar_inga_diagram(client, data, verksamhetsutvecklare, monkeypatch):
    ritade: list[str] = []
    riktig = d._rita

    def rita(diagram):
        ritade.append(diagram.typ)
        return riktig(diagram)

    d.tom_cache()
    monkeypatch.setattr(d, "_rita", rita)
    client.force_login(verksamhetsutvecklare)

    response = client.get("/rapporter/2025/")

    assert response.status_code == 200
    assert ritade == []
    figurer = soppa(response).alla("figure", **{"class": "diagram"})
    assert len(figurer) >= 4
    bilder = [figur.en("img").attrs for figur in figurer]
    for figur, bild in zip(figurer, bilder, strict=True):
        assert re.fullmatch(r"/rapporter/2025/diagram/[0-9a-f]{16}\.svg", bild["src"])
        assert bild["alt"]
        assert int(bild["width"]) == 691
        assert 150 < int(bild["height"]) < 900
        assert bild["loading"] == "lazy"
        # The figures are on the page at once, beside each chart.
        assert figur.en("details").en("table").alla("td")

    # Each chart is drawn by its own request, at the size the page reserved for it.
    svar = client.get(bilder[0]["src"])
    assert svar.status_code == 200
    assert svar["Content-Type"] == "image/svg+xml"
    assert len(ritade) == 1
    bredd = re.search(rb'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svar.content)
    assert round(float(bredd.group(1)) * 96 / 72) == int(bilder[0]["width"])
    assert round(float(bredd.group(2)) * 96 / 72) == int(bilder[0]["height"])


def test_ritat_diagram_kommer_ur_cachen_utan_rapporten(
    client, data, forbund, verksamhetsutvecklare, styrelse, utomstaende, monkeypatch
):
    """A chart once drawn for its data is served to the next user (any process) without
    computing the report or drawing again; another förbund never gets it."""
    client.force_login(verksamhetsutvecklare)
    figur = soppa(client.get("/rapporter/2025/")).alla("figure", **{"class": "diagram"})[0]
    src = figur.en("img").attrs["src"]
    forsta = client.get(src)
    assert forsta["Cache-Control"] == "private, max-age=31536000, immutable"

    d.tom_cache()
    raknade: list[int] = []
    riktig = bilagevyer.arsrapport
    with monkeypatch.context() as mp:
        mp.setattr(bilagevyer, "arsrapport", lambda **kw: raknade.append(1) or riktig(**kw))
        mp.setattr(d, "_rita", lambda diagram: pytest.fail("ritade igen"))
        client.force_login(styrelse)
        andra = client.get(src)
    assert andra.content == forsta.content
    assert raknade == []

    # Another förbund's user asking with our address finds no such chart of theirs.
    client.force_login(utomstaende)
    hos_dem = client.get(src)
    assert hos_dem.status_code == 404
    assert hos_dem.content != forsta.content
