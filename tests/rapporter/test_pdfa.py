"""What `rapporter.pdfa` does for speed, and that it changes nothing in the PDF: a chart's PNG
goes into the PDF as it is (its compressed rows are the image stream), any other image the
usual way, and every PDF object is serialised once with the same bytes as twice."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from rapporter import bygge, lagring, pdf, pdfa, ritning, ritprocess
from rapporter import diagram as d
from rapporter.models import Bilagebygge
from registrering import dataversion
from tests.rapporter.test_views import grund, lagg_till_insatser


def _sida(*png: bytes) -> str:
    bilder = "".join(
        f'<img src="data:image/png;base64,{base64.b64encode(p).decode()}" alt="Bild {i}">'
        for i, p in enumerate(png)
    )
    huvud = '<!DOCTYPE html><html lang="sv"><head><title>Bilder</title></head>'
    return f"{huvud}<body>{bilder}</body></html>"


def _diagrampng() -> bytes:
    fig = ritning.rita_staplar("kon", ["A", "B"], (("Kvinnor", (3, 4)), ("Män", (5, None))), None)
    return ritning.till_bytes(fig, "png", 40)


def _bildstrommar(innehall: bytes) -> list[bytes]:
    """The raw (still compressed) data of every image in the PDF, page by page."""
    strommar = []
    for sida in PdfReader(io.BytesIO(innehall)).pages:
        for objekt in sida["/Resources"].get("/XObject", {}).values():
            objekt = objekt.get_object()
            if objekt["/Subtype"] == "/Image":
                strommar.append(objekt._data)
    return strommar


def test_diagrammets_png_gar_in_som_den_ar():
    png = _diagrampng()
    rader = pdfa._rader(png)
    assert rader  # 8-bit RGB, not interlaced: as ritning draws it
    assert _bildstrommar(pdfa.skriv(_sida(png))) == [rader]


def test_andra_bilder_laddas_som_vanligt():
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 10), (11, 79, 108, 128)).save(buffer, format="PNG")
    rgba = buffer.getvalue()
    assert pdfa._rader(rgba) is None  # an alpha channel: WeasyPrint splits off its mask
    assert pdfa._rader(b"GIF89a") is None
    assert list(pdfa._bildcache(_sida(rgba))) == []
    strommar = _bildstrommar(pdfa.skriv(_sida(rgba, _diagrampng())))
    assert len(strommar) == 2
    assert strommar[1] == pdfa._rader(_diagrampng())


def test_varje_objekt_serialiseras_en_gang_med_samma_bytes(monkeypatch):
    html = _sida(_diagrampng())
    en_gang = pdfa.skriv(html)
    monkeypatch.setattr(pdfa, "_en_gang", lambda _pdf: None)
    assert pdfa.skriv(html) == en_gang


@pytest.mark.django_db
def test_bygget_lagrar_diagrammens_png_och_ritar_inte_om_dem(forbund, monkeypatch):
    lagg_till_insatser(forbund, grund(forbund), 0, 3)
    version = dataversion.version(forbund.pk, 2025).nummer
    assert bygge.bygg(forbund.pk, 2025, version)
    rad = Bilagebygge.objects.get(forbund=forbund, ar=2025, version=version)
    for hash_ in rad.diagram:
        for fmt in ("svg", d.PNG_FORMAT):
            assert lagring.finns(bygge.diagramnamn(forbund.pk, 2025, hash_, fmt))
    # The same charts in a new PDF (a new name): read from the store, none drawn again.
    d.tom_cache()
    monkeypatch.setattr(pdf, "PDF_VERSION", pdf.PDF_VERSION + "-ny")
    monkeypatch.setattr(d, "_rita", _far_inte_ritas)
    monkeypatch.setattr(ritprocess, "rita", _far_inte_ritas)
    bestallda: list[ritprocess.Uppdrag] = []
    riktig = ritprocess.rita_alla
    monkeypatch.setattr(
        ritprocess, "rita_alla", lambda u, **kw: bestallda.extend(u) or riktig(u, **kw)
    )
    assert bygge.bygg(forbund.pk, 2025, version + 1)
    assert lagring.finns(Bilagebygge.objects.get(forbund=forbund, version=version + 1).namn)
    assert bestallda == []


def _far_inte_ritas(*args, **kwargs):
    raise AssertionError("diagrammet ritades igen")
