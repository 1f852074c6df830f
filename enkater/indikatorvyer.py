"""The Indikatorer report's pages: HTML, PDF, the national export and the import of earlier
years. The kansli and the styrelse read the report; the kansli exports and imports."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from enkater import indikatordiagram, indikatorpdf
from enkater.indikatorer import indikatorrapport
from rapporter.views import Bygge, ladda_ned, pdf_svar, svg_policy
from registrering import permissions
from registrering.formats import CSV, XLSX, ImportFel
from registrering.kalender import insamlingsar
from registrering.models import Forbund
from registrering.resources.enkater import NATIONELLA_KOLUMNER, IndikatorsvarImport

FORMAT: dict[str, type[CSV] | type[XLSX]] = {"csv": CSV, "xlsx": XLSX}


class ImportForm(forms.Form):
    fil = forms.FileField(
        label="Fil (CSV eller Excel)",
        help_text="Kolumnerna " + ", ".join(NATIONELLA_KOLUMNER) + ", som i exporten.",
    )


@require_GET
@permissions.ser_rapporter
def index(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """The current collection year's report."""
    return redirect("enkater:indikatorer", ar=insamlingsar(timezone.localdate()))


@require_GET
@permissions.ser_rapporter
def sida(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    rapport = indikatorrapport(forbund=forbund, ar=ar)
    kontext = indikatorpdf.kontext(rapport, pdf=False)
    kontext.update(
        {
            "ar_lista": range(ar - 3, ar + 1),
            "redigera": permissions.kan_administrera(request.user, forbund),
        }
    )
    return render(request, "enkater/indikatorer.html", kontext)


@require_GET
@permissions.ser_rapporter
def pdf(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    """The report as PDF, built in the background as the bilaga is (`rapporter.views.pdf_svar`:
    until it is built, a page that says how it goes and asks again by itself)."""
    rapport = indikatorrapport(forbund=forbund, ar=ar)
    bygge = Bygge(
        adress=reverse("enkater:indikatorer_pdf", args=[ar]),
        namn="Indikatorrapporten",
        rapport=f"Indikatorer {ar}",
        sida=reverse("enkater:indikatorer", args=[ar]),
        ar=ar,
    )
    return pdf_svar(
        request,
        bygge,
        fardig=lambda: indikatorpdf.fardig(rapport),
        forbered=lambda igen: indikatorpdf.forbered(rapport, igen=igen),
    )


@require_GET
@permissions.ser_rapporter
@svg_policy
def diagram(request: HttpRequest, forbund: Forbund, ar: int, fraga: int) -> HttpResponse:
    """One question's chart as SVG (the report's data is read again: four queries)."""
    rapport = indikatorrapport(forbund=forbund, ar=ar)
    valt = next((f for i in rapport.indikatorer for f in i.visade_fragor if f.id == fraga), None)
    if valt is None:
        raise Http404("Diagrammet finns inte.")
    response = HttpResponse(indikatordiagram.rita(valt, "svg"), content_type="image/svg+xml")
    if request.GET.get("v") == indikatordiagram.version(valt):
        response["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
@permissions.administrerar
def export(request: HttpRequest, forbund: Forbund, ar: int, format_: str) -> HttpResponse:
    if format_ not in FORMAT:
        raise Http404("Okänt format.")
    return ladda_ned(indikatorpdf.rendera_export(indikatorrapport(forbund=forbund, ar=ar), format_))


@require_http_methods(["GET", "POST"])
@permissions.administrerar
def importera(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """Earlier years' counts in the national layout: all rows or none, every error per row."""
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    fel: list[str] = []
    if request.method == "POST" and form.is_valid():
        fil = form.cleaned_data["fil"]
        format_ = FORMAT["xlsx" if fil.name.lower().endswith(".xlsx") else "csv"]()
        importen = IndikatorsvarImport(user=permissions.inloggad(request), forbund=forbund)
        try:
            antal = importen.importera(format_.create_dataset(fil.read()), filnamn=fil.name)
        except ImportFel as exc:
            fel = str(exc).split("\n")
        else:
            messages.success(request, f"{antal} rader är importerade.")
            return redirect("enkater:indikatorer_index")
    return render(
        request,
        "enkater/indikatorer_import.html",
        {"form": form, "fel": fel, "kolumner": NATIONELLA_KOLUMNER},
        status=400 if fel or form.errors else 200,
    )
