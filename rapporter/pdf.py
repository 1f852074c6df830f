"""The bilaga as HTML and PDF. Renders from an `Arsrapport`; never queries the database.

A built PDF is stored (`rapporter.lagring`, the storage `bilagor`) under a name derived from the
report's own data (`lagringsnamn`), so that a rebuild with unchanged figures, comments and texts
finds the stored file. `rapporter.bygge` builds it ahead by data version and records the name;
the download reads that record, not the report.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import partial

from django.template.loader import render_to_string
from django.urls import reverse

from rapporter import diagram as d
from rapporter import lagring, pdfa
from rapporter.selectors import Arsrapport

logger = logging.getLogger(__name__)
PDF_VERSION = "12"  # bump when the template or the PDF code changes what the PDF looks like

FORKORTNINGAR = {
    "SUS": "Sektorsövergripande system för uppföljning av samverkan och finansiell samordning "
    "inom rehabiliteringsområdet",
    "ISA": "Individuellt stöd till arbete/studier",
    "SIP": "Samordnad individuell plan",
}


@dataclass(frozen=True)
class Export:
    """What an exporter returns: file name, content type and the bytes."""

    filnamn: str
    content_type: str
    innehall: bytes


def lagrade_bilder(rapport: Arsrapport, diagram: list[d.Diagram]) -> dict[str, bytes]:
    """The charts' PNGs that a build (`rapporter.bygge`) stored, by the chart's hash: the PDF
    does not draw them again."""
    from rapporter.bygge import diagramnamn

    bilder = {}
    for dg in diagram:
        namn = diagramnamn(rapport.data.forbund_id, rapport.ar, dg.version, d.PNG_FORMAT)
        if (bild := lagring.las(namn)) is not None:
            bilder[dg.version] = bild
    return bilder


def pdfbilder(rapport: Arsrapport, diagram: list[d.Diagram]) -> dict[str, pdfa.Vantande]:
    """The charts' PNGs for the PDF, by the chart's hash: stored ones as they are, the others
    drawn in the chart process while the PDF is laid out (`rapporter.ritprocess`; one being
    drawn already, as a build does, is not drawn again)."""
    lagrade = lagrade_bilder(rapport, diagram)
    saknade = [dg for dg in diagram if dg.version not in lagrade]
    ritningar = d.rita_i_bakgrunden([(dg, ("png",)) for dg in saknade])
    hamtare = {h: partial(bytes, bild) for h, bild in lagrade.items()}
    for dg, ritning in zip(saknade, ritningar, strict=True):
        hamtare[dg.version] = partial(ritning.bytes, "png")
    return {dg.version: pdfa.Vantande(*d.pngstorlek(dg), hamtare[dg.version]) for dg in diagram}


def _kontext(
    rapport: Arsrapport, *, pdf: bool, diagram: list[d.Diagram] | None = None, bilder: bool = False
) -> dict[str, object]:
    """`pdf`: the standalone document, its charts as PNG data URIs, or with `bilder` named by
    `pdfa.bildadress` (drawn while `pdfa.skriv` lays it out)."""
    if diagram is None:
        diagram = d.diagram_for(rapport)
    if bilder:
        uris = {dg.nummer: pdfa.bildadress(dg.version) for dg in diagram}
    elif pdf:
        uris = d.rendera_alla(diagram, "png", lagrade_bilder(rapport, diagram))
    else:
        # On screen each chart is its own cacheable image: the page itself need not wait for
        # eight charts to be drawn.
        uris = {
            dg.nummer: reverse("rapporter:diagram", args=[rapport.ar, dg.version]) for dg in diagram
        }
    forkortningar = [("n", "antal"), (rapport.data.kortnamn, rapport.data.forbund_namn)]
    forkortningar += sorted(FORKORTNINGAR.items())
    klasser = [
        k
        for k in rapport.data.avslut_klasser
        if k.namn == "Alla individinriktade insatser"
        or (rapport.grupp_namn and k.namn.lower() == f"enbart {rapport.grupp_namn.lower()}")
    ]
    return {
        "r": rapport,
        "a": rapport.data,
        "pdf": pdf,
        "diagram": {dg.nummer: dg for dg in diagram},
        "diagram_lista": diagram,
        "uri": uris,
        "forkortningar": forkortningar,
        "klasser": klasser,
        "klasser_ej_angiven": any(k.ej_angiven for k in klasser),
    }


def html(rapport: Arsrapport, *, pdf: bool = True) -> str:
    """The standalone HTML document the PDF is made from (`--html` on the command line)."""
    return render_to_string("rapporter/bilaga_pdf.html", _kontext(rapport, pdf=pdf))


def sidkontext(rapport: Arsrapport) -> dict[str, object]:
    """Context for the report page in the browser (charts as SVG images by URL, their tables
    behind a toggle)."""
    return _kontext(rapport, pdf=False)


def _digest(rapport: Arsrapport) -> str:
    return lagring.digest(PDF_VERSION, rapport)


def lagringsnamn(rapport: Arsrapport) -> str:
    """Where the PDF for the report's current data is stored: `<förbund>/<år>/<digest>.pdf`."""
    return f"{rapport.data.forbund_id}/{rapport.ar}/{_digest(rapport)}.pdf"


def filnamn(rapport: Arsrapport) -> str:
    """An ASCII file name, safe in a Content-Disposition header: 'Uppfoljning-FINSAM-SVO-2025.pdf'
    (the förbund's kortnamn, or its name when it has none; '-preliminar' until the year is
    approved, as every page of such a PDF says)."""
    forbund = (
        ascii_namn(rapport.data.kortnamn) or ascii_namn(rapport.data.forbund_namn) or "forbund"
    )
    preliminar = "-preliminar" if rapport.kvalitet.preliminar else ""
    return f"Uppfoljning-FINSAM-{forbund}-{rapport.ar}{preliminar}.pdf"


def ascii_namn(namn: str) -> str:
    """'Samordningsförbundet Västra Östergötland' -> 'Samordningsforbundet-Vastra-Ostergotland'
    (letters without their accents, case kept, anything else a single hyphen)."""
    bokstaver = unicodedata.normalize("NFKD", namn).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", bokstaver).strip("-")


def _bygg(rapport: Arsrapport) -> bytes:
    """The PDF; the charts not stored are drawn while its pages are laid out."""
    diagram = d.diagram_for(rapport)
    bilder = pdfbilder(rapport, diagram)
    kontext = _kontext(rapport, pdf=True, diagram=diagram, bilder=True)
    return pdfa.skriv(render_to_string("rapporter/bilaga_pdf.html", kontext), bilder)


def rendera(rapport: Arsrapport) -> Export:
    """The bilaga as a tagged PDF/A-3a and PDF/UA-1 document (`rapporter.pdfa`), the stored one
    when the data is unchanged, built and stored here and now otherwise (the `arsrapport`
    command; the web reads what `rapporter.bygge` built)."""
    innehall = lagring.las(lagringsnamn(rapport))
    if innehall is None:
        innehall = spara(rapport)
    return Export(filnamn(rapport), "application/pdf", innehall)


def spara(rapport: Arsrapport) -> bytes:
    """Build the PDF and store it under the report's name; returns the bytes."""
    innehall = _bygg(rapport)
    lagring.spara(lagringsnamn(rapport), innehall)
    return innehall


def lagrad(namn: str, filnamn: str) -> Export | None:
    """The stored PDF `namn` as the download `filnamn`, or None when it is not (yet) built."""
    innehall = lagring.las(namn)
    return None if innehall is None else Export(filnamn, "application/pdf", innehall)


def finns(rapport: Arsrapport) -> bool:
    """Whether the PDF for the report's current data is built."""
    return lagring.finns(lagringsnamn(rapport))
