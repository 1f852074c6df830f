"""The joint report laid out: the page's context and the tagged PDF (PDF/A-3a and PDF/UA-1
through `rapporter.pdfa`, the chart embedded as a PNG `data:` URI). Renders from a
`Samverkansrapport`; never queries the database.

The PDF goes the bilaga's and the Indikatorer report's way (`rapporter.pdf`,
`enkater.indikatorpdf`): a request never renders it. `forbered` has it built by the task queue
(`samverkan.tasks.bygg_rapport`, once per name, through `rapporter.bakgrund`), and it is stored
(`rapporter.lagring`) under a name derived from the report's own data,
`grupper/<grupp-kortnamn>/<år>/<digest>.pdf`: a folder of the group's own, not a förbund's, so
that storing a förbund's bilaga or Indikatorer PDF never removes it, nor it theirs. The report
holds every figure the PDF shows from each förbund of the group (approved months, plans,
co-financing, key figures), so any change to a förbund's approved data, to the group or to
`PDF_VERSION` gives a new name; a repeated download with unchanged data reads the stored file
(`fardig`), from whichever process or machine built it.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from rapporter import bakgrund, lagring, pdfa
from rapporter import diagram as d
from rapporter.pdf import Export, ascii_namn, lagrad
from samverkan import diagram
from samverkan.selectors import Samverkansrapport

PDF_VERSION = "1"  # bump when the template or the PDF code changes what the PDF looks like
#: The builds' kind in `rapporter.bakgrund` (how long the last one took is kept per kind).
SLAG = "samverkan"


def kontext(rapport: Samverkansrapport, *, pdf: bool) -> dict[str, object]:
    """What the templates need: the report, and its chart as an image: a PNG embedded in the
    PDF; on the page an SVG by its address (`samverkan.views.diagram_svg`), so that the page
    does not wait for the chart to be drawn and the browser keeps an unchanged chart."""
    diagram_lista = diagram.diagram_for(rapport)
    if pdf:
        uri = {dg.nummer: d.data_uri(dg, "png") for dg in diagram_lista}
    else:
        uri = {
            dg.nummer: reverse(
                "samverkan:diagram", args=[rapport.grupp_kortnamn, rapport.ar, dg.version]
            )
            for dg in diagram_lista
        }
    return {"r": rapport, "pdf": pdf, "diagram_lista": diagram_lista, "uri": uri}


def html(rapport: Samverkansrapport) -> str:
    """The standalone HTML document the PDF is made from."""
    return render_to_string("samverkan/rapport_pdf.html", kontext(rapport, pdf=True))


def filnamn(rapport: Samverkansrapport) -> str:
    """'Samverkan-jonkopings-lan-2024.pdf' (ASCII, safe in a Content-Disposition header)."""
    grupp = ascii_namn(rapport.grupp_kortnamn) or ascii_namn(rapport.grupp_namn) or "grupp"
    return f"Samverkan-{grupp}-{rapport.ar}.pdf"


def _digest(rapport: Samverkansrapport) -> str:
    return lagring.digest(PDF_VERSION, rapport)


def bygg_nyckel(rapport: Samverkansrapport) -> str:
    """The build's key in the shared cache (its state while it is queued or built)."""
    return f"finsam:samverkan:{rapport.grupp_id}:{rapport.ar}:{_digest(rapport)}"


def lagringsnamn(rapport: Samverkansrapport) -> str:
    """Where the PDF for the report's current data is stored:
    `grupper/<grupp-kortnamn>/<år>/<digest>.pdf`."""
    return f"grupper/{rapport.grupp_kortnamn}/{rapport.ar}/{_digest(rapport)}.pdf"


def diagramnamn(grupp_kortnamn: str, ar: int, hash_: str) -> str:
    """Where the page's chart is stored, by its hash: beside the group's PDFs, in a folder
    their clean-up (`lagring.spara`) leaves alone."""
    return f"grupper/{grupp_kortnamn}/{ar}/diagram/{hash_}.svg"


def _bygg(rapport: Samverkansrapport) -> bytes:
    return pdfa.skriv(html(rapport))


def spara(rapport: Samverkansrapport) -> bytes:
    """Build the PDF and store it under the report's name; returns the bytes."""
    innehall = _bygg(rapport)
    lagring.spara(lagringsnamn(rapport), innehall)
    return innehall


def fardig(rapport: Samverkansrapport) -> Export | None:
    """The PDF for the report's current data if it is built, else None (nothing is started)."""
    return lagrad(lagringsnamn(rapport), filnamn(rapport))


def finns(rapport: Samverkansrapport) -> bool:
    """Whether the PDF for the report's current data is built."""
    return lagring.finns(lagringsnamn(rapport))


def forbered(rapport: Samverkansrapport, *, igen: bool = False) -> bakgrund.Lage:
    """Queue the PDF's build unless it is built, queued or being built (a failed build only with
    `igen`). Returns where the build stands. The task reads the report again in the worker."""
    from samverkan.tasks import bygg_rapport

    return bakgrund.starta(
        bygg_nyckel(rapport),
        bygg_rapport,
        rapport.grupp_id,
        rapport.ar,
        slag=SLAG,
        klar=lambda: finns(rapport),
        igen=igen,
    )
