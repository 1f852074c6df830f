"""The Indikatorer report laid out: the page's context, the tagged PDF (PDF/A-3a and PDF/UA-1
through `rapporter.pdfa`, charts embedded as PNG `data:` URIs) and the national export (CSV and
XLSX). Renders from an `Indikatorrapport`; never queries the database.

The PDF goes the bilaga's way (`rapporter.pdf`): drawing some thirty charts takes seconds, so
`forbered` has it built by the task queue (`enkater.tasks.bygg_indikatorer`, once per name,
through `rapporter.bakgrund`), and it is stored (`rapporter.lagring`) under a name derived from
the report's own data, `<förbund>/indikatorer/<år>/<digest>.pdf`: a folder of its own, so that
storing a new bilaga never removes it, nor it a bilaga. A repeated download with unchanged answers
reads the stored file (`fardig`), from whichever process or machine built it; any change to the
answers, the settings the report shows or `PDF_VERSION` gives a new name.
"""

from __future__ import annotations

import tablib
from django.template.loader import render_to_string
from django.urls import reverse

from enkater import indikatordiagram
from enkater.indikatorer import FOR_FA, FOR_FA_INDIKATOR, GRUPPER, Indikatorrapport
from rapporter import bakgrund, lagring, pdfa
from rapporter.pdf import Export, ascii_namn, lagrad
from registrering.formats import CSV, XLSX
from registrering.resources.enkater import NATIONELLA_KOLUMNER

PDF_VERSION = "1"  # bump when the template or the PDF code changes what the PDF looks like
#: The builds' kind in `rapporter.bakgrund` (how long the last one took is kept per kind).
SLAG = "indikatorer"


def kontext(rapport: Indikatorrapport, *, pdf: bool) -> dict[str, object]:
    """What the templates need: the report and, per shown question, its chart and alt text."""
    fragor = [f for i in rapport.indikatorer for f in i.visade_fragor]
    diagram: dict[int, tuple[object, ...]]
    if pdf:
        diagram = {
            f.id: (indikatordiagram.data_uri(f, "png"), indikatordiagram.alt_text(f))
            for f in fragor
        }
    else:
        # On screen each chart is its own (cacheable) image: the page does not wait for some
        # thirty charts to be drawn.
        diagram = {}
        for f in fragor:
            dg = indikatordiagram.diagram(f)
            adress = reverse("enkater:indikatorer_diagram", args=[rapport.ar, f.id])
            diagram[f.id] = (f"{adress}?v={dg.version}", dg.alt, dg.bredd_px, dg.hojd_px)
    return {
        "r": rapport,
        "pdf": pdf,
        "diagram": diagram,
        "for_fa": FOR_FA,
        "for_fa_indikator": FOR_FA_INDIKATOR,
    }


def html(rapport: Indikatorrapport) -> str:
    """The standalone HTML document the PDF is made from."""
    return render_to_string("enkater/indikatorer_pdf.html", kontext(rapport, pdf=True))


def _forbund(rapport: Indikatorrapport) -> str:
    return ascii_namn(rapport.kortnamn) or ascii_namn(rapport.forbund_namn) or "forbund"


def filnamn(rapport: Indikatorrapport) -> str:
    """'Indikatorer-SVO-2024.pdf' (ASCII, safe in a Content-Disposition header)."""
    return f"Indikatorer-{_forbund(rapport)}-{rapport.ar}.pdf"


def _digest(rapport: Indikatorrapport) -> str:
    return lagring.digest(PDF_VERSION, rapport)


def bygg_nyckel(rapport: Indikatorrapport) -> str:
    """The build's key in the shared cache (its state while it is queued or built)."""
    return f"finsam:indikatorer:{rapport.forbund_id}:{rapport.ar}:{_digest(rapport)}"


def lagringsnamn(rapport: Indikatorrapport) -> str:
    """Where the PDF for the report's current data is stored:
    `<förbund>/indikatorer/<år>/<digest>.pdf`."""
    return f"{rapport.forbund_id}/indikatorer/{rapport.ar}/{_digest(rapport)}.pdf"


def _bygg(rapport: Indikatorrapport) -> bytes:
    return pdfa.skriv(html(rapport))


def rendera_pdf(rapport: Indikatorrapport) -> Export:
    """The report as a tagged PDF/A-3a and PDF/UA-1 document: the stored one when the data is
    unchanged, built and stored here and now otherwise (the web waits for `forbered` instead)."""
    return fardig(rapport) or Export(filnamn(rapport), "application/pdf", spara(rapport))


def spara(rapport: Indikatorrapport) -> bytes:
    """Build the PDF and store it under the report's name; returns the bytes."""
    innehall = _bygg(rapport)
    lagring.spara(lagringsnamn(rapport), innehall)
    return innehall


def fardig(rapport: Indikatorrapport) -> Export | None:
    """The PDF for the report's current data if it is built, else None (nothing is started)."""
    return lagrad(lagringsnamn(rapport), filnamn(rapport))


def finns(rapport: Indikatorrapport) -> bool:
    """Whether the PDF for the report's current data is built."""
    return lagring.finns(lagringsnamn(rapport))


def forbered(rapport: Indikatorrapport, *, igen: bool = False) -> bakgrund.Lage:
    """Queue the PDF's build unless it is built, queued or being built (a failed build only with
    `igen`). Returns where the build stands. The task reads the report again in the worker."""
    from enkater.tasks import bygg_indikatorer

    return bakgrund.starta(
        bygg_nyckel(rapport),
        bygg_indikatorer,
        rapport.forbund_id,
        rapport.ar,
        slag=SLAG,
        klar=lambda: finns(rapport),
        igen=igen,
    )


def dataset(rapport: Indikatorrapport) -> tablib.Dataset:
    """The answer counts in the national tool's layout: a row per collection year, respondent
    group, indicator, question and option, for the years the report compares. Years below the
    minimum n are left out entirely (they are "för få svar" everywhere)."""
    ordning = {g.value: i for i, g in enumerate(GRUPPER)}
    rader = []
    for ind in rapport.indikatorer:
        for fraga in ind.fragor:
            for stapel in fraga.staplar:
                if stapel.antal is None:
                    continue
                for alt, antal in zip(fraga.alternativ, stapel.antal, strict=True):
                    nyckel = (stapel.ar, ordning.get(fraga.respondentgrupp, 99), ind.nummer)
                    rader.append(
                        (nyckel, (stapel.ar, fraga.grupp_namn, ind.nummer, fraga.text, alt, antal))
                    )
    # Stable: within a year, group and indicator the questions and options keep their order.
    rader.sort(key=lambda r: r[0])
    data = tablib.Dataset(headers=list(NATIONELLA_KOLUMNER), title="Indikatorer")
    for _nyckel, rad in rader:
        data.append(rad)
    return data


def rendera_export(rapport: Indikatorrapport, format_: str) -> Export:
    """The national layout as CSV (semicolons, UTF-8 with BOM, as Excel opens it) or XLSX."""
    data = dataset(rapport)
    namn = f"Indikatorer-{_forbund(rapport)}-{rapport.ar}"
    if format_ == "xlsx":
        innehall = XLSX().export_data(data)
        typ = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Export(f"{namn}.xlsx", typ, innehall)
    return Export(f"{namn}.csv", CSV().get_content_type(), CSV().export_data(data))
