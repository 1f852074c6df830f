"""The bilaga by data version (`rapporter.bygge`, `rapporter.bilagevyer`):

- a download of a built version reads the stored PDF without computing the report, with the
  same few queries however large the förbund;
- two requests (or processes) that want the same version start one build: the build row's
  unique key decides, also between threads with their own database connections (PostgreSQL);
- while a new version is built, the waiting page offers the previous one, marked as such.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from rapporter import bilagevyer, bygge, lagring, pdf, selectors, sidcache
from rapporter.models import Bilagebygge
from registrering import dataversion, services
from tests.rapporter.test_views import grund, lagg_till_insatser

pytestmark = pytest.mark.django_db

AR = 2025
PDF_URL = f"/rapporter/{AR}/pdf/"
FALSK_PDF = b"%PDF-1.7 bygge"


@pytest.fixture
def byggen(monkeypatch) -> list[str]:
    anrop: list[str] = []

    def bygg(rapport):
        anrop.append(rapport.data.forbund_namn)
        return FALSK_PDF

    monkeypatch.setattr(pdf, "_bygg", bygg)
    return anrop


def _innehall(sida: str) -> str:
    """The report's part of the page (the rest carries a per-request nonce)."""
    return sida[sida.index('<div class="rapporthuvud">') : sida.index("</article>")]


def _far_inte_anropas(**kwargs):
    raise AssertionError("rapporten räknades")


@pytest.mark.parametrize("insatser", [2, 12])
def test_nedladdningen_raknar_inte_rapporten_och_fragorna_ar_lika_manga(
    client, forbund, forbundschef, byggen, monkeypatch, django_assert_num_queries, insatser
):
    lagg_till_insatser(forbund, grund(forbund), 0, insatser)
    client.force_login(forbundschef)
    assert client.get(PDF_URL).content == FALSK_PDF  # built in the request (tests)
    monkeypatch.setattr(bilagevyer, "arsrapport", _far_inte_anropas)
    monkeypatch.setattr(selectors, "arsrapport", _far_inte_anropas)
    # Session, user and roles, the förbund, the version and the build row: six at any size.
    with django_assert_num_queries(6):
        svar = client.get(PDF_URL)
    assert svar.content == FALSK_PDF
    assert svar["Content-Disposition"].startswith('attachment; filename="Uppfoljning-FINSAM-')
    assert byggen == [forbund.namn]


@pytest.mark.parametrize("insatser", [2, 12])
def test_rapportsidan_med_oforandrade_data_raknar_inte_rapporten(
    client, forbund, verksamhetsutvecklare, monkeypatch, django_assert_num_queries, insatser
):
    lagg_till_insatser(forbund, grund(forbund), 0, insatser)
    client.force_login(verksamhetsutvecklare)
    forsta = _innehall(client.get(f"/rapporter/{AR}/").content.decode())
    monkeypatch.setattr(sidcache, "RENDERARE", {})  # nothing may be rendered
    # Session, user and roles, the förbund and the version: five at any size.
    with django_assert_num_queries(5):
        andra = _innehall(client.get(f"/rapporter/{AR}/").content.decode())
    assert andra == forsta
    assert "Insats 01" in andra
    # A write gives a new version: the page is computed again, with the change.
    monkeypatch.undo()
    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Ny text."
    )
    assert "Ny text." in client.get(f"/rapporter/{AR}/").content.decode()


def test_tva_bestallningar_av_samma_version_koar_ett_bygge(forbund, settings, monkeypatch):
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    koade: list[tuple[object, ...]] = []
    monkeypatch.setattr(bygge.uppgifter, "skicka", lambda uppgift, *args: koade.append(args))
    forsta = bygge.bestall(forbund.pk, AR, 7)
    andra = bygge.bestall(forbund.pk, AR, 7)
    assert forsta.pk == andra.pk
    assert koade == [(forbund.pk, AR, 7)]
    # A build that another process claimed is not claimed again.
    assert bygge._gor_ansprak(forbund.pk, AR, 7) is not None
    assert bygge._gor_ansprak(forbund.pk, AR, 7) is None


def test_under_bygget_erbjuds_forra_versionen_markt_som_sadan(
    client, forbund, forbundschef, verksamhetsutvecklare, byggen, settings, monkeypatch
):
    lagg_till_insatser(forbund, grund(forbund), 0, 2)
    client.force_login(forbundschef)
    assert client.get(PDF_URL).content == FALSK_PDF
    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Ny."
    )
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    monkeypatch.setattr(bygge.uppgifter, "skicka", lambda *a, **k: None)  # the worker is busy
    sidan = client.get(PDF_URL).content.decode()
    assert "Bilagan byggs" in sidan
    assert "ladda ned den förra versionen" in sidan
    tidigare = client.get(f"{PDF_URL}?foregaende=1")
    assert tidigare.content == FALSK_PDF
    assert "tidigare-version.pdf" in tidigare["Content-Disposition"]
    assert byggen == [forbund.namn]  # nothing rendered in the request


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite:s delade minnesdatabas i testerna låser hela tabeller mellan trådar; "
    "låset mellan processer prövas på PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_samtidiga_byggen_av_samma_version_ritar_en_gang(forbund, monkeypatch):
    """Two workers (threads with their own connections) take the same version at the same
    moment: one builds, the other returns at once."""
    lagg_till_insatser(forbund, grund(forbund), 0, 2)
    version = dataversion.version(forbund.pk, AR).nummer
    start = threading.Barrier(2)
    ritade: list[int] = []

    def bygg(rapport):
        ritade.append(1)
        return FALSK_PDF

    monkeypatch.setattr(pdf, "_bygg", bygg)
    resultat: list[bool] = []

    def arbetare() -> None:
        from django.db import connections

        try:
            start.wait()
            resultat.append(bygge.bygg(forbund.pk, AR, version))
        finally:
            connections.close_all()

    tradar = [threading.Thread(target=arbetare) for _ in range(2)]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join(30)
    assert sorted(resultat) == [False, True]
    assert ritade == [1]
    assert Bilagebygge.objects.get(forbund=forbund, ar=AR, version=version).tillstand == "klar"


def test_en_byggd_version_vars_fil_forsvunnit_byggs_igen(client, forbund, forbundschef, byggen):
    lagg_till_insatser(forbund, grund(forbund), 0, 2)
    client.force_login(forbundschef)
    assert client.get(PDF_URL).content == FALSK_PDF
    rad = Bilagebygge.objects.get(forbund=forbund, ar=AR)
    lagring.lagring().delete(rad.namn)  # the store was wiped
    assert client.get(PDF_URL).content == FALSK_PDF
    assert byggen == [forbund.namn, forbund.namn]


def test_malsidan_halls_per_version_och_forbereds_efter_en_andring(
    client, forbund, styrelse, verksamhetsutvecklare, byggen, monkeypatch
):
    """The goal page's content is kept by data version: with unchanged data nothing is
    rendered. After a write the rebuild renders it ahead, so the next visitor renders nothing
    either, and sees the change."""
    lagg_till_insatser(forbund, grund(forbund), 0, 2)
    client.force_login(styrelse)
    forsta = client.get("/mal/2026/")
    assert forsta.status_code == 200
    renderare = sidcache.RENDERARE
    monkeypatch.setattr(sidcache, "RENDERARE", {})
    assert client.get("/mal/2026/").status_code == 200  # nothing to render: kept

    monkeypatch.setattr(sidcache, "RENDERARE", renderare)
    services.kommentar_spara(
        user=verksamhetsutvecklare, forbund=forbund, ar=2026, avsnitt="volym", text="Ny."
    )
    bygge.varm(forbund.pk)  # the rebuild after the quiet time (at once in the tests)
    monkeypatch.setattr(sidcache, "RENDERARE", {})
    assert client.get("/mal/2026/").status_code == 200
    assert client.get("/rapporter/2026/").status_code == 200
    client.force_login(verksamhetsutvecklare)
    assert "Ny." in client.get("/rapporter/2026/").content.decode()


@pytest.fixture
def rapporterna(monkeypatch) -> list[int]:
    """The years the report selector computed, in order."""
    ar: list[int] = []
    riktig = selectors.arsrapport

    def arsrapport(**kw):
        ar.append(kw["ar"])
        return riktig(**kw)

    monkeypatch.setattr(selectors, "arsrapport", arsrapport)
    return ar


def test_ombyggnaden_raknar_varje_ars_rapport_en_gang_for_pdf_och_sidor(
    client, forbund, verksamhetsutvecklare, byggen, rapporterna, monkeypatch
):
    """The rebuild after a write builds this year's and last year's PDF and renders their report
    pages (both roles), underlag and goal page from one computation of each year's report."""
    lagg_till_insatser(forbund, grund(forbund), 0, 2)
    assert bygge.varm(forbund.pk) == [2026, 2025]
    assert byggen == [forbund.namn, forbund.namn]
    assert sorted(rapporterna) == [2025, 2026]
    # Everything was rendered ahead: the pages render nothing now.
    monkeypatch.setattr(sidcache, "RENDERARE", {})
    client.force_login(verksamhetsutvecklare)
    assert "Insats 01" in client.get(f"/rapporter/{AR}/").content.decode()
    assert client.get(f"/rapporter/{AR}/underlag/").status_code == 200
    assert sidcache._RAPPORTER.get() is None


def test_ombyggnaden_raknar_om_rapporten_nar_versionen_andrats_efter_pdf_en(
    client, forbund, verksamhetsutvecklare, byggen, rapporterna, monkeypatch
):
    """A write between the PDF's build and the pages gives a newer version: the pages are not
    rendered from the PDF's report (older data) but from one computed again."""
    lagg_till_insatser(forbund, grund(forbund), 0, 2)
    riktig = sidcache.forbered

    def forbered(fb, ar):
        if ar == AR:
            services.kommentar_spara(
                user=verksamhetsutvecklare, forbund=forbund, ar=AR, avsnitt="volym", text="Sent."
            )
        riktig(fb, ar)

    monkeypatch.setattr(sidcache, "forbered", forbered)
    assert bygge.varm(forbund.pk) == [2026, 2025]
    assert sorted(rapporterna) == [2025, 2025, 2026]
    monkeypatch.setattr(sidcache, "RENDERARE", {})
    client.force_login(verksamhetsutvecklare)
    assert "Sent." in client.get(f"/rapporter/{AR}/").content.decode()
