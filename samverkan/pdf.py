"""The joint report laid out: the page's context and the tagged PDF (PDF/A-3a and PDF/UA-1
through `rapporter.pdfa`, the chart embedded as a PNG `data:` URI). Renders from a
`Samverkansrapport`; never queries the database.

The PDF is built in the request: a few tables and one chart take well under a second, unlike
the bilaga's and the Indikatorer report's many charts that go through the task queue
(`rapporter.views.pdf_svar`). If it grows, it can take the same way.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from rapporter import diagram as d
from rapporter import pdfa
from rapporter.pdf import Export, ascii_namn
from samverkan import diagram
from samverkan.selectors import Samverkansrapport


def kontext(rapport: Samverkansrapport, *, pdf: bool) -> dict[str, object]:
    """What the templates need: the report, and its chart as an image (SVG on screen, PNG in
    the PDF; both embedded, the page has a single chart)."""
    diagram_lista = diagram.diagram_for(rapport)
    return {
        "r": rapport,
        "pdf": pdf,
        "diagram_lista": diagram_lista,
        "uri": {dg.nummer: d.data_uri(dg, "png" if pdf else "svg") for dg in diagram_lista},
    }


def html(rapport: Samverkansrapport) -> str:
    """The standalone HTML document the PDF is made from."""
    return render_to_string("samverkan/rapport_pdf.html", kontext(rapport, pdf=True))


def filnamn(rapport: Samverkansrapport) -> str:
    """'Samverkan-jonkopings-lan-2024.pdf' (ASCII, safe in a Content-Disposition header)."""
    grupp = ascii_namn(rapport.grupp_kortnamn) or ascii_namn(rapport.grupp_namn) or "grupp"
    return f"Samverkan-{grupp}-{rapport.ar}.pdf"


def rendera(rapport: Samverkansrapport) -> Export:
    return Export(filnamn(rapport), "application/pdf", pdfa.skriv(html(rapport)))
