"""The Indikatorer report laid out: the page's context, the tagged PDF (PDF/A-3a and PDF/UA-1
through `rapporter.pdfa`, charts embedded as PNG `data:` URIs) and the national export (CSV and
XLSX). Renders from an `Indikatorrapport`; never queries the database.

The PDF is built in the request for now: the report is small (some thirty charts) and asked for
rarely, so it does not yet go through the task queue as the bilaga does.
"""

from __future__ import annotations

import tablib
from django.template.loader import render_to_string
from django.urls import reverse

from enkater import indikatordiagram
from enkater.indikatorer import FOR_FA, FOR_FA_INDIKATOR, GRUPPER, Indikatorrapport
from rapporter import pdfa
from rapporter.pdf import Export, _ascii
from registrering.formats import CSV, XLSX
from registrering.resources.enkater import NATIONELLA_KOLUMNER


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
    return _ascii(rapport.kortnamn) or _ascii(rapport.forbund_namn) or "forbund"


def rendera_pdf(rapport: Indikatorrapport) -> Export:
    """'Indikatorer-SVO-2024.pdf', tagged PDF/A-3a and PDF/UA-1."""
    return Export(
        f"Indikatorer-{_forbund(rapport)}-{rapport.ar}.pdf",
        "application/pdf",
        pdfa.skriv(html(rapport)),
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
