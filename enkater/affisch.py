"""A round's QR code (SVG, PNG) and its one-page A4 poster (a printable page, and a tagged PDF
through `rapporter.pdfa`). For the kansli, and the insatsansvarig of the round's insats
(`permissions.kan_skriva_ut_enkat`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from enkater import qr
from rapporter import pdfa
from registrering import permissions
from registrering.models import Enkattillfalle

#: The invitation on the poster, in plain Swedish (easy to read for participants): a question
#: in large type, and what answering means.
RUBRIK = "Vad tycker du?"
UNDERRUBRIK = "Svara anonymt – det tar två minuter"
INBJUDAN = f"{RUBRIK} {UNDERRUBRIK}"


@dataclass(frozen=True)
class Affisch:
    """What the poster says. Built from the round before the page or PDF is laid out."""

    enkat: str
    for_vad: str
    lank: str
    kort_lank: str
    qr_data_uri: str
    sista_dag: str
    rubrik: str = RUBRIK
    underrubrik: str = UNDERRUBRIK


def _affisch(tillfalle: Enkattillfalle) -> Affisch:
    lank = qr.publik_lank(tillfalle)
    if not lank:
        raise Http404("Tillfället tar inte emot svar med länk, så det har ingen QR-kod.")
    for_vad = tillfalle.namn
    if tillfalle.insats is not None and tillfalle.insats.namn != tillfalle.namn:
        for_vad = f"{tillfalle.namn} – {tillfalle.insats.namn}"
    slut = tillfalle.slutdatum
    return Affisch(
        enkat=tillfalle.enkat.namn if tillfalle.enkat else "Enkät",
        for_vad=for_vad,
        lank=lank,
        kort_lank=qr.kort_lank(lank),
        qr_data_uri=qr.qr_data_uri(lank),
        sista_dag=f"{slut.day}/{slut.month} {slut.year}" if slut else "",
    )


def _lank(request: HttpRequest, pk: int) -> tuple[Enkattillfalle, str]:
    tillfalle = permissions.enkattillfalle_for_user(request.user, pk, hantera=False)
    lank = qr.publik_lank(tillfalle)
    if not lank:
        raise Http404("Tillfället tar inte emot svar med länk, så det har ingen QR-kod.")
    return tillfalle, lank


def _filnamn(tillfalle: Enkattillfalle, typ: str) -> str:
    return f"enkat-{tillfalle.pk}.{typ}"


@require_GET
@login_required
def qr_svg(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code as SVG (for print shops and posters of one's own)."""
    tillfalle, lank = _lank(request, pk)
    response = HttpResponse(qr.qr_svg(lank), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{_filnamn(tillfalle, "svg")}"'
    return response


@require_GET
@login_required
def qr_png(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code as PNG (for a document or a slide)."""
    tillfalle, lank = _lank(request, pk)
    response = HttpResponse(qr.qr_png(lank), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{_filnamn(tillfalle, "png")}"'
    return response


@require_GET
@login_required
def affisch(request: HttpRequest, pk: int) -> HttpResponse:
    """The poster as a page to print (its print style fills one A4 page)."""
    tillfalle = permissions.enkattillfalle_for_user(request.user, pk, hantera=False)
    return render(
        request,
        "enkater/hantering_affisch.html",
        {
            "tillfalle": tillfalle,
            "a": _affisch(tillfalle),
            "hanterar": permissions.kan_administrera(request.user, tillfalle.forbund),
        },
    )


@require_GET
@login_required
def affisch_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The poster as a tagged one-page A4 PDF."""
    tillfalle = permissions.enkattillfalle_for_user(request.user, pk, hantera=False)
    html = render_to_string("enkater/hantering_affisch_pdf.html", {"a": _affisch(tillfalle)})
    response = HttpResponse(pdfa.skriv(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filnamn(tillfalle, "pdf")}"'
    return response
