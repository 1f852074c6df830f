"""The Indikatorer PDF goes the bilaga's way (enkater/indikatorpdf.py, enkater/tasks.py,
rapporter.views.pdf_svar): built once by the task queue, stored under a name derived from the
report's data in a folder of its own, served from storage afterwards; a waiting page while it is
built, a failure page with "Försök igen"; the same readers as before.

Builds run in the request in the tests (`FINSAM_BYGG_I_BAKGRUNDEN = False`) unless a test takes
the queue (`ko`, which keeps what is submitted until the test runs it). The WeasyPrint step is
replaced by a stub that counts its calls; tests/enkater/test_indikatorer.py reads a real PDF."""

from __future__ import annotations

import datetime as dt
import logging
import os
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from enkater import indikatorpdf
from enkater.indikatorer import indikatorrapport
from enkater.tasks import bygg_indikatorer
from finsam import uppgifter
from rapporter import lagring, views
from rapporter import pdf as bilaga_pdf
from tests.enkater import indikatordata as data
from tests.rapporter.test_vantan import Ko, meta_refresh, soppa

PDF_URL = "/enkater/indikatorer/2024/pdf/"
SIDA = "/enkater/indikatorer/2024/"
BYGGER = "Indikatorrapporten byggs – det tar några sekunder"


def pdf_for(forbund_namn: str) -> bytes:
    """What the stub builds for a förbund's report."""
    return b"%PDF-1.7 " + forbund_namn.encode()


@pytest.fixture(autouse=True)
def byggen(monkeypatch) -> list[str]:
    """Every call of the WeasyPrint step, by förbund name (the cache emptied first)."""
    cache.clear()
    anrop: list[str] = []

    def bygg(rapport):
        anrop.append(rapport.forbund_namn)
        return pdf_for(rapport.forbund_namn)

    monkeypatch.setattr(indikatorpdf, "_bygg", bygg)
    return anrop


@pytest.fixture
def ko(settings, monkeypatch) -> Ko:
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    kon = Ko()
    monkeypatch.setattr(uppgifter, "_traadpool", lambda: kon)
    return kon


@pytest.fixture
def nns(forbund, verksamhetsutvecklare):
    data.nns_enkat(forbund)
    data.svar(forbund, verksamhetsutvecklare)
    return forbund


def _rapport(forbund):
    return indikatorrapport(forbund=forbund, ar=2024)


def _lagrade() -> list[str]:
    """Every stored file, as its name in the storage."""
    rot = lagring.lagring().path("")
    return sorted(
        os.path.relpath(os.path.join(mapp, fil), rot)
        for mapp, _, filer in os.walk(rot)
        for fil in filer
    )


def _aldra(namn: str) -> None:
    """Make a stored file an hour old (older than `lagring.BEHALL_GAMLA`)."""
    forr = (dt.datetime.now() - dt.timedelta(hours=1)).timestamp()
    os.utime(lagring.lagring().path(namn), (forr, forr))


# --- Stored, and served from storage ---------------------------------------------------------


def test_byggd_pdf_lagras_och_nasta_hamtning_bygger_inte(nns, client, forbundschef, byggen):
    client.force_login(forbundschef)

    forsta = client.get(PDF_URL)

    assert forsta.status_code == 200
    assert forsta["Content-Type"] == "application/pdf"
    assert forsta["Content-Disposition"] == 'attachment; filename="Indikatorer-STB-2024.pdf"'
    assert forsta["Cache-Control"] == "private, no-store"
    assert forsta.content == pdf_for("Samordningsförbundet Testbygden")
    namn = indikatorpdf.lagringsnamn(_rapport(nns))
    assert namn.startswith(f"{nns.pk}/indikatorer/2024/") and namn.endswith(".pdf")
    assert _lagrade() == [namn]
    assert lagring.las(namn) == forsta.content
    assert byggen == ["Samordningsförbundet Testbygden"]

    andra = client.get(PDF_URL)

    assert andra.status_code == 200
    assert andra.content == forsta.content
    assert byggen == ["Samordningsförbundet Testbygden"]  # read from storage, not built again
    # `rendera_pdf` (what the tests of the PDF's text use) reads the stored one too.
    assert indikatorpdf.rendera_pdf(_rapport(nns)).innehall == forsta.content
    assert len(byggen) == 1


def test_andrade_svar_ger_ett_nytt_namn_och_ett_nytt_bygge(
    nns, client, styrelse, verksamhetsutvecklare, byggen, monkeypatch
):
    client.force_login(styrelse)
    client.get(PDF_URL)
    forra = indikatorpdf.lagringsnamn(_rapport(nns))
    assert indikatorpdf.lagringsnamn(_rapport(nns)) == forra  # the same data, the same name

    data.svar(nns, verksamhetsutvecklare, {(data.NYTTA_P, 2024): (1, 1, 1, 1, 1, 1)})

    nytt = indikatorpdf.lagringsnamn(_rapport(nns))
    assert nytt != forra
    assert nytt.rpartition("/")[0] == forra.rpartition("/")[0]
    assert not indikatorpdf.finns(_rapport(nns))
    assert client.get(PDF_URL).status_code == 200
    assert len(byggen) == 2
    assert indikatorpdf.finns(_rapport(nns))
    # A new version of the PDF code gives a new name for the same data.
    monkeypatch.setattr(indikatorpdf, "PDF_VERSION", indikatorpdf.PDF_VERSION + "-ny")
    assert indikatorpdf.lagringsnamn(_rapport(nns)) not in (forra, nytt)


def test_egen_mapp_bilagans_stadning_ror_den_inte_och_tvartom(nns, verksamhetsutvecklare):
    """`lagring.spara` removes the older files of the folder it writes to: a new bilaga for
    the same förbund and year must leave the Indikatorer PDF alone, and a new Indikatorer PDF
    the bilaga."""
    indikator = indikatorpdf.lagringsnamn(_rapport(nns))
    indikatorpdf.spara(_rapport(nns))
    _aldra(indikator)
    bilaga = bilaga_pdf.lagringsnamn(
        SimpleNamespace(ar=2024, data=SimpleNamespace(forbund_id=nns.pk))
    )
    assert bilaga.rpartition("/")[0] == f"{nns.pk}/2024"

    lagring.spara(bilaga, b"%PDF bilaga")
    _aldra(bilaga)
    assert _lagrade() == sorted([bilaga, indikator])

    data.svar(nns, verksamhetsutvecklare, {(data.NYTTA_P, 2024): (1, 1, 1, 1, 1, 1)})
    ny = indikatorpdf.lagringsnamn(_rapport(nns))
    indikatorpdf.spara(_rapport(nns))

    # The older Indikatorer PDF beside it is removed; the bilaga is not.
    assert _lagrade() == sorted([bilaga, ny])


# --- Built in the background: the waiting page, the failure page ------------------------------


def test_kall_pdf_ger_en_vantesida_och_sedan_pdf(nns, client, forbundschef, ko, byggen):
    client.force_login(forbundschef)

    response = client.get(PDF_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-store"
    assert "Content-Disposition" not in response
    sidan = soppa(response)
    assert sidan.en("h1").text == BYGGER
    assert sidan.en("title").text.startswith("Indikatorrapporten byggs – Indikatorer 2024")
    assert "Indikatorrapporten står i kö" in sidan.en("p", role_="status").text
    # Without JavaScript the page asks again by itself.
    assert meta_refresh(response) == f"{views.VANTA_SEKUNDER}; url={PDF_URL}?vantat=1"
    assert sidan.en("noscript").en("meta", **{"http-equiv": "refresh"})
    assert sidan.lank("fråga igen nu") == f"{PDF_URL}?vantat=1"
    assert sidan.lank("rapportsidan för 2024") == SIDA
    assert sidan.lank("← Indikatorer 2024") == SIDA
    assert byggen == []
    # A second request joins the queued build.
    assert soppa(client.get(f"{PDF_URL}?vantat=1")).en("h1").text == BYGGER
    assert len(ko.jobb) == 1

    ko.kor()

    klar = client.get(f"{PDF_URL}?vantat=1")
    assert klar.status_code == 200
    assert soppa(klar).en("h1").text == "Indikatorrapporten är klar"
    assert meta_refresh(klar) == f"0; url={PDF_URL}"
    assert soppa(klar).lank("Ladda ned Indikatorer-STB-2024.pdf") == PDF_URL
    pdf_svar = client.get(PDF_URL)
    assert pdf_svar["Content-Type"] == "application/pdf"
    assert pdf_svar.content == pdf_for("Samordningsförbundet Testbygden")
    assert byggen == ["Samordningsförbundet Testbygden"]
    assert ko.jobb == []


def test_misslyckat_bygge_ger_felsida_med_forsok_igen(
    nns, client, styrelse, ko, byggen, monkeypatch, caplog
):
    def trasig(rapport):
        raise RuntimeError("WeasyPrint föll")

    monkeypatch.setattr(indikatorpdf, "_bygg", trasig)
    client.force_login(styrelse)
    client.get(PDF_URL)
    with caplog.at_level(logging.ERROR, logger="rapporter.bakgrund"):
        ko.kor()
    assert "WeasyPrint föll" in caplog.text

    for adress in (PDF_URL, f"{PDF_URL}?vantat=1"):
        response = client.get(adress)
        assert response.status_code == 500
        sidan = soppa(response)
        assert sidan.en("h1").text == "Indikatorrapporten kunde inte byggas"
        assert (
            "Något gick fel när PDF:en för 2024 skulle byggas" in sidan.en("p", role_="status").text
        )
        assert sidan.lank("Försök igen") == f"{PDF_URL}?igen=1"
        assert sidan.lank("rapportsidan för 2024") == SIDA
        assert meta_refresh(response) is None  # it does not retry by itself
    assert ko.jobb == []

    monkeypatch.setattr(indikatorpdf, "_bygg", lambda rapport: b"%PDF igen")
    igen = client.get(f"{PDF_URL}?igen=1")
    assert igen.status_code == 200
    assert soppa(igen).en("h1").text == BYGGER
    assert len(ko.jobb) == 1
    ko.kor()
    assert client.get(PDF_URL).content == b"%PDF igen"


def test_uppgiften_heter_enkater_bygg_indikatorer_och_klarar_ett_borttaget_forbund(nns, byggen):
    assert bygg_indikatorer.name == "enkater.bygg_indikatorer"
    rapport = _rapport(nns)
    nyckel = indikatorpdf.bygg_nyckel(rapport)
    bygg_indikatorer.apply(args=(nns.pk, 2024, nyckel), throw=True)
    assert indikatorpdf.finns(rapport)
    bygg_indikatorer.apply(args=(nns.pk, 2024, nyckel), throw=True)  # built: not again
    bygg_indikatorer.apply(args=(nns.pk + 1000, 2024, "finsam:indikatorer:borta"), throw=True)
    assert byggen == ["Samordningsförbundet Testbygden"]


# --- Who may download it ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("verksamhetsutvecklare", 200),
        ("forbundschef", 200),
        ("styrelse", 200),
        ("insatsansvarig", 403),
    ],
)
def test_behorighet(nns, client, request, persona, status, byggen):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(PDF_URL)
    assert response.status_code == status
    if status == 200:
        assert response.content == pdf_for("Samordningsförbundet Testbygden")
    else:
        assert byggen == []
        assert not indikatorpdf.finns(_rapport(nns))


def test_ett_annat_forbund_far_aldrig_var_pdf(
    nns, annat_forbund, client, styrelse, utomstaende, byggen
):
    """A user of another förbund asking at our address gets their own förbund's report, built
    and stored under their own name, never our stored file."""
    client.force_login(styrelse)
    var = client.get(PDF_URL).content
    client.force_login(utomstaende)

    response = client.get(PDF_URL)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Indikatorer-SAS-2024.pdf"'
    assert response.content == pdf_for("Samordningsförbundet Annanstans")
    assert response.content != var
    assert byggen == ["Samordningsförbundet Testbygden", "Samordningsförbundet Annanstans"]
    assert [n.rpartition("/")[0] for n in _lagrade()] == sorted(
        [f"{nns.pk}/indikatorer/2024", f"{annat_forbund.pk}/indikatorer/2024"]
    )


def test_anonym_loggar_in(client, nns, byggen):
    response = client.get(PDF_URL)
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")
    assert byggen == []
