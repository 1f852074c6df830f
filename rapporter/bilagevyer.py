"""The bilaga's pages, read by data version (`rapporter.bygge`): the report page, its chart SVGs
and the PDF.

- The report page's content is kept by data version and role (`rapporter.sidcache`): a view
  with unchanged data neither computes the report nor renders it.
- A chart SVG (the report's or the goal page's) is served by its hash from the shared store
  (`bygge.diagramnamn`). One that is not stored yet is drawn from the chart the page put in the
  cache when it computed the report, or, in another process without it, from the report.
- The PDF is looked up by the version without computing the report. If that version is not
  built, its build is queued once, and the waiting page offers the previous version, marked as
  such.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from rapporter import bakgrund, bygge, pdf, sidcache
from rapporter import diagram as d
from rapporter.mal import malsida
from rapporter.models import Bilagebygge
from rapporter.selectors import arsrapport
from rapporter.views import Bygge, diagram_svar, ladda_ned, svg_policy, vantesida
from registrering import permissions
from registrering.models import Forbund

T = Bilagebygge.Tillstand


@require_GET
@permissions.ser_rapporter
def arsrapport_sida(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    redigera = permissions.kan_administrera(request.user, forbund)
    innehall = sidcache.innehall("rapport", forbund, ar, redigera=redigera)
    return render(request, "rapporter/arsrapport.html", {"ar": ar, "innehall": innehall})


@require_GET
@permissions.ser_rapporter
@svg_policy
def diagram_svg(request: HttpRequest, forbund: Forbund, ar: int, hash_: str) -> HttpResponse:
    """One chart of the report page as SVG, by the hash of what it shows: the stored one, else
    the one the page left in the cache or, in a process without it, found in the report."""

    def hitta() -> d.Diagram | None:
        valt = cache.get(sidcache.diagramnyckel(forbund.pk, ar, hash_))
        return valt if valt is not None else _sok_diagram(forbund, ar, hash_)

    return diagram_svar(bygge.diagramnamn(forbund.pk, ar, hash_), hash_, hitta)


def _sok_diagram(forbund: Forbund, ar: int, hash_: str) -> d.Diagram | None:
    """The chart with the hash among the report's and the goal page's charts of the year (a
    process that has not the page's copy in its cache)."""
    rapport = arsrapport(forbund=forbund, ar=ar)
    valt = next((dg for dg in d.diagram_for(rapport) if dg.version == hash_), None)
    if valt is None:
        sida = malsida(forbund=forbund, ar=ar)
        valt = next((dg for dg in d.diagram_for_mal(sida) if dg.version == hash_), None)
    return valt


@require_GET
@permissions.ser_rapporter
def arsrapport_pdf(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    """The bilaga as PDF for the data as it is now, by its version: the stored PDF when that
    version is built (no report is computed); else its build is queued (once, whoever asks)
    and a page waits for it, offering the previous version meanwhile (`?foregaende`)."""
    nu = bygge.aktuellt(forbund.pk, ar)
    vantat = "vantat" in request.GET
    if not vantat and (export := _lagrad(nu.klart)):
        return ladda_ned(export)
    adress = reverse("rapporter:pdf", args=[ar])
    foregaende = bygge.foregaende(forbund.pk, ar, nu.version.nummer)
    if "foregaende" in request.GET and (tidigare := _lagrad(foregaende, tidigare=True)):
        return ladda_ned(tidigare)
    rad = bygge.bestall(forbund.pk, ar, nu.version.nummer, igen="igen" in request.GET)
    export = _lagrad(rad)
    if export is not None and not vantat:
        return ladda_ned(export)  # built in the request (tests) or just now
    lage = bakgrund.Lage(
        rad.tillstand,
        rad.koad.timestamp(),
        rad.borjade.timestamp() if rad.borjade else None,
        bygge.typisk_tid(forbund.pk),
    )
    return vantesida(
        request,
        Bygge(
            adress=adress,
            namn="Bilagan",
            rapport=f"Uppföljning FINSAM {ar}",
            sida=reverse("rapporter:arsrapport", args=[ar]),
            ar=ar,
        ),
        lage,
        export,
        foregaende=foregaende if export is None else None,
    )


def _lagrad(rad: Bilagebygge | None, *, tidigare: bool = False) -> pdf.Export | None:
    """The stored PDF of a finished build, or None. `tidigare`: an earlier version, whose file
    name says so: 'Uppfoljning-FINSAM-SVO-2025-tidigare-version.pdf'."""
    if rad is None or rad.tillstand != T.KLAR:
        return None
    filnamn = rad.filnamn
    if tidigare:
        stam, _, andelse = filnamn.rpartition(".")
        filnamn = f"{stam}-tidigare-version.{andelse}"
    return pdf.lagrad(rad.namn, filnamn)
