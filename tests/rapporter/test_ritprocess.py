"""The chart process (`rapporter.ritprocess`): the charts of a cold PDF are drawn in a child
process while the PDF is laid out. The same bytes as drawn here, the PNG's size known before it
is drawn, a chart not drawn twice, and a child that fails costs nothing but time."""

from __future__ import annotations

import io
import os
import zlib

import pytest
from PIL import Image
from pypdf import PdfReader

from rapporter import diagram as d
from rapporter import pdf, pdfa, ritprocess
from rapporter.selectors import arsrapport
from tests.rapporter.test_diagram import _manga, _rapport
from tests.rapporter.test_views import grund, lagg_till_insatser


@pytest.fixture(autouse=True)
def tom(settings):
    settings.FINSAM_RITPROCESS = True
    d.tom_cache()
    yield
    d.tom_cache()


@pytest.fixture(scope="module")
def diagrammen():
    return d.diagram_for(_rapport())


def _skickade(monkeypatch) -> list[list[ritprocess.Uppdrag]]:
    """The jobs sent to the child, as they are sent."""
    skickade: list[list[ritprocess.Uppdrag]] = []
    riktig = ritprocess._skicka

    def skicka(jobb):
        skickade.append(list(jobb.uppdrag))
        riktig(jobb)

    monkeypatch.setattr(ritprocess, "_skicka", skicka)
    return skickade


def test_barnet_ritar_samma_bytes_som_har(diagrammen, monkeypatch):
    skickade = _skickade(monkeypatch)
    ritningar = d.rita_i_bakgrunden([(dg, ("svg", "png")) for dg in diagrammen])
    assert len(skickade) == 1 and len(skickade[0]) == len(diagrammen)  # one job, in the child
    for dg, ritning in zip(diagrammen, ritningar, strict=True):
        assert ritning.jobb.har is False
        assert ritning.bytes("svg") == d.rendera(dg, "svg")
        assert ritning.bytes("png") == d.rendera(dg, "png")
    assert ritprocess._BARN.process is not None and ritprocess._BARN.process.poll() is None


@pytest.mark.parametrize("antal", [1, 3, 40, 300])
def test_png_storleken_ar_kand_innan_den_ritas(antal):
    """The layout reserves the chart's place by `pngstorlek`: it is the drawn PNG's size."""
    for dg in d.diagram_for(_manga(antal)):
        png = d.rendera(dg, "png")
        assert d.pngstorlek(dg) == (
            int.from_bytes(png[16:20], "big"),
            int.from_bytes(png[20:24], "big"),
        )


def test_ett_diagram_ritas_inte_tva_ganger(diagrammen, monkeypatch):
    """A chart being drawn (the build asks for SVG and PNG) is not drawn again when the PDF
    asks for its PNG; one asked for in a format it was not drawn in is."""
    skickade = _skickade(monkeypatch)
    bygget = d.rita_i_bakgrunden([(dg, ("svg", "png")) for dg in diagrammen])
    pdfens = d.rita_i_bakgrunden([(dg, ("png",)) for dg in diagrammen])
    assert pdfens == bygget
    assert len(skickade) == 1
    d.tom_cache()
    bara_png = d.rita_i_bakgrunden([(diagrammen[0], ("png",))])
    svg_ocksa = d.rita_i_bakgrunden([(diagrammen[0], ("svg", "png"))])
    assert svg_ocksa[0] is not bara_png[0]
    assert [len(jobb) for jobb in skickade] == [len(diagrammen), 1, 1]
    assert svg_ocksa[0].bytes("svg") == d.rendera(diagrammen[0], "svg")


def test_ett_barn_som_dor_ger_samma_diagram_ritade_har(diagrammen, monkeypatch):
    ritningar = d.rita_i_bakgrunden([(dg, ("png",)) for dg in diagrammen[:2]])
    barn = ritprocess._BARN.process
    assert barn is not None
    barn.kill()
    barn.wait()
    assert [r.bytes("png") for r in ritningar] == [d.rendera(dg, "png") for dg in diagrammen[:2]]
    assert all(r.jobb.har for r in ritningar)  # drawn here
    # The next job starts a new child.
    d.tom_cache()
    nya = d.rita_i_bakgrunden([(diagrammen[0], ("png",))])
    assert ritprocess._BARN.process is not None and ritprocess._BARN.process is not barn
    assert nya[0].bytes("png") == d.rendera(diagrammen[0], "png")
    assert nya[0].jobb.har is False


def test_ett_fel_i_barnet_ritas_om_har(monkeypatch):
    """A chart the child cannot draw is drawn here, where the error is raised as usual."""
    # Two categories, one value: no bars to draw.
    trasig = ritprocess.Uppdrag("kon", ("A", "B"), (("x", (1,)),), None, ("png",), 40)
    (ritning,) = ritprocess.rita_alla([trasig])
    with pytest.raises(Exception):  # noqa: B017 - whatever matplotlib says of the bad chart
        ritning.bytes("png")
    assert ritning.jobb.har
    # The child was given up, and the next chart comes from a new one.
    (ok,) = d.rita_i_bakgrunden([(d.diagram_for(_rapport())[0], ("png",))])
    assert ok.bytes("png")[:4] == b"\x89PNG"


def test_utan_barnprocess_ritas_de_har(diagrammen, settings, monkeypatch):
    settings.FINSAM_RITPROCESS = False
    skickade = _skickade(monkeypatch)
    (ritning,) = d.rita_i_bakgrunden([(diagrammen[0], ("png",))])
    assert ritning.bytes("png") == d.rendera(diagrammen[0], "png")
    assert skickade == [] and ritning.jobb.har


@pytest.mark.django_db
def test_pdfens_bilder_ar_diagrammen_ritade_under_layouten(forbund, monkeypatch):
    """The cold PDF names its charts by `pdfa.bildadress`, lays them out at their known size
    and puts each chart's PNG rows in as they are."""
    lagg_till_insatser(forbund, grund(forbund), 0, 3)
    rapport = arsrapport(forbund=forbund, ar=2025)
    diagrammen = d.diagram_for(rapport)
    assert len(diagrammen) >= 4
    html = pdf._kontext(rapport, pdf=True, diagram=diagrammen, bilder=True)["uri"]
    assert html == {dg.nummer: pdfa.bildadress(dg.version) for dg in diagrammen}
    monkeypatch.setattr(pdf, "lagrade_bilder", lambda rapport, diagram: {})
    innehall = pdf._bygg(rapport)
    strommar = {}  # the pages share their images: each once, by its object number
    for sida in PdfReader(io.BytesIO(innehall)).pages:
        for referens in sida["/Resources"].get("/XObject", {}).values():
            objekt = referens.get_object()
            if objekt["/Subtype"] == "/Image":
                bild = (objekt["/Width"], objekt["/Height"], objekt._data)
                strommar[referens.idnum] = bild
    vantat = [
        (*d.pngstorlek(dg), pdfa._rader(d.rendera(dg, "png"))) for dg in diagrammen
    ]  # every chart of the bilaga, once
    assert sorted(strommar.values()) == sorted(vantat)


def test_ett_jobb_till_ett_dott_barn_far_inte_nasta_jobbs_svar(diagrammen, monkeypatch):
    """A job sent to a child that then died is drawn here, and the next job, sent to a new
    child, gets its own answer: neither gets the other's charts."""
    monkeypatch.setattr(ritprocess, "TIDSGRANS", 5.0)
    (forsta,) = d.rita_i_bakgrunden([(diagrammen[0], ("png",))])
    barn = ritprocess._BARN.process
    assert barn is not None
    barn.kill()
    barn.wait()
    (andra,) = d.rita_i_bakgrunden([(diagrammen[1], ("png",))])
    assert andra.bytes("png") == d.rendera(diagrammen[1], "png") and not andra.jobb.har
    assert forsta.bytes("png") == d.rendera(diagrammen[0], "png") and forsta.jobb.har


# The fork is the point: a process with threads (and the lock) forked, as a server may do.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_i_en_forkad_process_ritar_ett_eget_barn(diagrammen):
    """A process forked from one with a child (and the lock) gets a lock and a child of its
    own; the parent's child goes on serving the parent."""
    vantat = d.rendera(diagrammen[1], "png")
    (fore,) = d.rita_i_bakgrunden([(diagrammen[0], ("png",))])
    foralderns = ritprocess._BARN.process
    pid = os.fork()
    if pid == 0:  # the forked process: exit code 0 when all is as expected
        try:
            (egen,) = d.rita_i_bakgrunden([(diagrammen[1], ("png",))])
            ok = (
                egen.bytes("png") == vantat
                and not egen.jobb.har
                and ritprocess._BARN.process is not foralderns
            )
            ritprocess._stang()
        finally:
            os._exit(0 if ok else 1)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert fore.bytes("png") == d.rendera(diagrammen[0], "png") and not fore.jobb.har
    assert ritprocess._BARN.process is foralderns and foralderns.poll() is None


def test_en_vantande_bild_som_inte_ar_rgb_blir_rgb():
    """The stand-in is RGB: a PNG of another kind is made RGB before it goes into the PDF."""
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 20), (11, 79, 108, 128)).save(buffer, format="PNG")
    html = (
        '<!DOCTYPE html><html lang="sv"><head><title>Bild</title></head><body>'
        f'<img src="{pdfa.bildadress("x")}" alt="En bild"></body></html>'
    )
    innehall = pdfa.skriv(html, {"x": pdfa.Vantande(30, 20, buffer.getvalue)})
    ((bild,),) = [
        [r.get_object() for r in sida["/Resources"]["/XObject"].values()]
        for sida in PdfReader(io.BytesIO(innehall)).pages
    ]
    assert (bild["/Width"], bild["/Height"], bild["/DecodeParms"]["/Colors"]) == (30, 20, 3)
    assert len(zlib.decompress(bild._data)) == 20 * (1 + 30 * 3)  # RGB rows, no alpha
