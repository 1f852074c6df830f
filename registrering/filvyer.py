"""Import and export in the product's own pages (/data/), for the kansli: what can be imported,
in the order a new förbund imports it, with an empty template and the current data of each, and
the import in three steps (upload, preview, confirm) without the Django admin.

The flow is `registrering.importflode`'s, the same as the admin's: the file waits between
preview and confirm in `ImportLagring`, only this session's own file can be confirmed, and a
large file is imported by the task queue while a status page asks again by itself. The
resources carry the rules and write through the services; an export is the resource's own,
scoped to the user's förbund.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from import_export.results import Result, RowResult

from registrering import importflode, importlagring, importuppgifter, permissions
from registrering.formats import ImportFel, kontrollera_storlek, max_bytes
from registrering.models import Forbund
from registrering.permissions import administrerar
from registrering.resources import RESURSER, FinsamResource, bas

app_name = "data"

#: The door whose status page shows a queued job (the admin's are model labels).
SIDAN = "data"
RADTYP = {
    RowResult.IMPORT_TYPE_NEW: "Ny",
    RowResult.IMPORT_TYPE_UPDATE: "Ändrad",
    RowResult.IMPORT_TYPE_DELETE: "Tas bort",
    RowResult.IMPORT_TYPE_SKIP: "Oförändrad",
}
FORMATNAMN = {"csv": "CSV", "xlsx": "Excel (xlsx)"}


# --- what can be imported and exported -----------------------------------------------------------


def slug(resurs: type[FinsamResource]) -> str:
    """The resource's name in addresses: InsatsResource → insats."""
    return resurs.__name__.removesuffix("Resource").lower()


def resurs_for(namn: str) -> type[FinsamResource]:
    resurs = next((r for r in RESURSER if slug(r) == namn), None)
    if resurs is None:
        raise Http404("Det finns inget sådant att importera eller exportera.")
    return resurs


def format_for(namn: str) -> type:
    format_ = importflode.format_med_namn(namn)
    if format_ is None:
        raise Http404("Okänt filformat.")
    return format_


def kan_importeras(resurs: type[FinsamResource]) -> bool:
    """A resource marked `bara_export` (the national lists) is exported only."""
    return not getattr(resurs, "bara_export", False)


def rubrik_och_text(resurs: type[FinsamResource]) -> tuple[str, str]:
    """The resource's name and its one-line description, from its docstring's first paragraph:
    "Insatser: namn, inriktning …" or "Nya per huvudman och månad (valfri: …)." (a parenthesis
    that comes before any colon holds the description, colon and all)."""
    stycke = " ".join((resurs.__doc__ or resurs.__name__).strip().split("\n\n")[0].split())
    stycke = stycke.rstrip(".")
    kolon, parentes = stycke.find(": "), stycke.find(" (")
    if parentes != -1 and (kolon == -1 or parentes < kolon):
        rubrik, _, text = stycke.partition(" (")
        text = text.removesuffix(")")
    else:
        rubrik, _, text = stycke.partition(": ")
    text = text.rstrip(".")
    return rubrik, (text[:1].upper() + text[1:] + ".") if text else ""


@dataclass(frozen=True)
class Post:
    """One thing that can be imported or exported, as the list shows it."""

    slug: str
    rubrik: str
    text: str
    importeras: bool
    kolumner: tuple[str, ...]


def poster() -> list[Post]:
    result = []
    for resurs in RESURSER:
        rubrik, text = rubrik_och_text(resurs)
        obligatoriska = resurs.obligatoriska
        result.append(Post(slug(resurs), rubrik, text, kan_importeras(resurs), obligatoriska))
    return result


# --- the forms -----------------------------------------------------------------------------------


def _resursval(bara_import: bool = True) -> list[tuple[str, str]]:
    return [
        (slug(r), rubrik_och_text(r)[0]) for r in RESURSER if kan_importeras(r) or not bara_import
    ]


class ImportSidformular(forms.Form):
    """The first step: what the file contains, the file, its format and the approval choice."""

    resurs = forms.ChoiceField(label="Filen innehåller", choices=_resursval)
    fil = forms.FileField(
        label="Fil att importera",
        help_text="Excel (xlsx) eller CSV med semikolon eller komma, i UTF-8 eller "
        f"Windows-1252, högst {max_bytes() // (1024 * 1024)} MB. Första raden är "
        "kolumnrubrikerna, som i mallen.",
    )
    format = forms.ChoiceField(
        label="Filformat",
        required=False,
        choices=[("", "Efter filens ändelse"), *FORMATNAMN.items()],
    )
    godkand = forms.BooleanField(
        label=importflode.GODKAND_ETIKETT,
        required=False,
        help_text=importflode.GODKAND_HJALP + " Gäller månadsdata och volymdata.",
    )

    def clean_fil(self) -> UploadedFile:
        fil: UploadedFile = self.cleaned_data["fil"]
        try:
            kontrollera_storlek(fil.size or 0)
        except ImportFel as exc:
            raise forms.ValidationError(str(exc)) from exc
        return fil

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fil = data.get("fil")
        if fil is not None and not data.get("format"):
            andelse = (fil.name or "").rsplit(".", 1)[-1].lower()
            if andelse not in FORMATNAMN:
                self.add_error(
                    "format", "Välj filformat: filens namn slutar inte på .xlsx eller .csv."
                )
            else:
                data["format"] = andelse
        return data


class BekraftaFormular(forms.Form):
    """The confirm step: the previewed file's stored name. What it was previewed as (the
    resource, the format, whether its months are approved) stays in the session
    (`importflode.minns`), not in the page, so a confirm cannot change it."""

    namn = forms.CharField(widget=forms.HiddenInput)


# --- the list, templates and exports -----------------------------------------------------------


@require_GET
@administrerar
def oversikt(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """What can be imported and exported, in the order a new förbund imports it."""
    return render(
        request,
        "registrering/data.html",
        {"forbund": forbund, "poster": poster(), "format": FORMATNAMN},
    )


def _urval(resurs: type[FinsamResource], forbund: Forbund) -> QuerySet[Any]:
    """The rows of `forbund` (every row of a national list, which belongs to no förbund)."""
    qs = resurs._meta.model.objects.all()
    return qs.filter(**{resurs.forbund_via: forbund}) if resurs.forbund_via else qs


def _fil(
    forbund: Forbund, resurs: type[FinsamResource], format_: type, data: Any, del_: str
) -> HttpResponse:
    """The file as a download named e.g. insats-mall-SVÖ.xlsx."""
    fmt = format_()
    innehall = fmt.export_data(data)
    namn = f"{slug(resurs)}-{del_}-{forbund.kortnamn or forbund.pk}.{fmt.get_extension()}"
    svar = HttpResponse(innehall, content_type=fmt.get_content_type())
    svar["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=namn) or ""
    )
    return svar


@require_GET
@administrerar
def mall(request: HttpRequest, forbund: Forbund, resurs: str, format_: str) -> HttpResponse:
    """An empty file with the column headers only."""
    klass, fmt = resurs_for(resurs), format_for(format_)
    data = klass(user=permissions.inloggad(request)).export(queryset=_urval(klass, forbund).none())
    return _fil(forbund, klass, fmt, data, "mall")


@require_GET
@administrerar
def export(request: HttpRequest, forbund: Forbund, resurs: str, format_: str) -> HttpResponse:
    """The förbund's current data (only its own rows leave)."""
    klass, fmt = resurs_for(resurs), format_for(format_)
    data = klass(user=permissions.inloggad(request)).export(queryset=_urval(klass, forbund))
    idag = dt.date.today().isoformat()
    return _fil(forbund, klass, fmt, data, idag)


# --- the import ----------------------------------------------------------------------------------


_STIL = re.compile(r' style="[^"]*"')


def _utan_stil(diff: list[Any] | None) -> list[SafeString]:
    """The preview's cells: the library's diff, whose only markup is <ins>, <del> and <span>
    with inline styles (which the CSP refuses), without the styles."""
    return [mark_safe(_STIL.sub("", str(cell))) for cell in diff or []]


def _forhandsrader(result: Result) -> list[dict[str, Any]]:
    return [
        {
            "nr": nr,
            "typ": RADTYP.get(rad.import_type, rad.import_type),
            "celler": _utan_stil(rad.diff),
        }
        for nr, rad in enumerate(result.valid_rows()[: bas.VISADE_RADER], 2)
    ]


def _importsida(
    request: HttpRequest, forbund: Forbund, form: ImportSidformular, **extra: Any
) -> HttpResponse:
    kontext = {"forbund": forbund, "form": form, "poster": poster(), **extra}
    return render(request, "registrering/data_import.html", kontext)


@require_http_methods(["GET", "POST"])
@administrerar
def importera(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """Choose and upload a file; a POST previews it (nothing is saved) and offers the confirm
    step when every row is right."""
    if request.method != "POST":
        form = ImportSidformular(initial={"resurs": request.GET.get("resurs", "")})
        return _importsida(request, forbund, form)
    form = ImportSidformular(request.POST, request.FILES)
    if not form.is_valid():
        return _importsida(request, forbund, form)
    data = form.cleaned_data
    resurs, format_ = resurs_for(data["resurs"]), format_for(data["format"])
    try:
        granskning = importflode.forhandsgranska(
            session=request.session,
            user=permissions.inloggad(request),
            resurs=resurs,
            format_=format_,
            fil=data["fil"],
            godkand=bool(data.get("godkand")),
        )
    except ImportFel as exc:
        form.add_error("fil", str(exc))
        return _importsida(request, forbund, form)
    result = granskning.result
    bekrafta_form = None
    if granskning.bekraftbar:
        bekrafta_form = BekraftaFormular(initial={"namn": granskning.namn})
    return _importsida(
        request,
        forbund,
        form,
        granskad=rubrik_och_text(resurs)[0],
        filnamn=granskning.filnamn,
        result=result,
        rader=_forhandsrader(result) if granskning.bekraftbar else [],
        fler_rader=max(0, len(result.valid_rows()) - bas.VISADE_RADER),
        bekrafta_form=bekrafta_form,
        godkand=bool(data.get("godkand")) and resurs in importflode.MED_GODKAND,
    )


@require_POST
@administrerar
def bekrafta(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """Import the previewed file for real: only this session's own, still stored file."""
    user = permissions.inloggad(request)
    form = BekraftaFormular(request.POST)
    namn = request.POST.get("namn", "")
    if not form.is_valid():
        if importlagring.i_sessionen(request.session, namn):
            importflode.kassera(namn)
            importlagring.glom(request.session, namn)
        messages.error(request, importlagring.SAKNAS)
        return redirect("data:importera")
    utfall = importflode.bekrafta(
        session=request.session, user=user, namn=form.cleaned_data["namn"], modell=SIDAN
    )
    if utfall.jobb_id:
        return redirect("data:jobb", jobb_id=utfall.jobb_id)
    if utfall.result is None:
        messages.error(request, importlagring.SAKNAS)
        return redirect("data:importera")
    result = utfall.result
    if result.has_errors() or result.has_validation_errors():
        # The data changed since the preview: nothing was saved; the errors as on the status page.
        return _resultatsida(request, "fel", importuppgifter.sammanfatta(result), utfall.filnamn)
    messages.success(request, importuppgifter.klar_text(result.totals))
    return redirect("data:oversikt")


@require_GET
@administrerar
def jobb(request: HttpRequest, forbund: Forbund, jobb_id: str) -> HttpResponse:
    """Where a queued import stands (the page asks again by itself), then its outcome; only
    for the user who started it (404 for anyone else)."""
    stand = importuppgifter.jobb_for(jobb_id, request.user, SIDAN)
    if stand is None:
        raise Http404("Importen finns inte.")
    return _resultatsida(request, stand["status"], stand["resultat"], stand["filnamn"])


def _resultatsida(
    request: HttpRequest, status: str, resultat: dict[str, Any] | None, filnamn: str
) -> HttpResponse:
    klar = status == "klar" and resultat is not None
    kontext = {
        "status": status,
        "pagar": status in ("köad", "pågår"),
        "result": resultat,
        "filnamn": filnamn,
        "klar_text": importuppgifter.klar_text(resultat["totals"]) if klar and resultat else "",
        "oversikt_url": reverse("data:oversikt"),
    }
    return render(request, "registrering/data_jobb.html", kontext)


urlpatterns = [
    path("", oversikt, name="oversikt"),
    path("mall/<slug:resurs>/<slug:format_>/", mall, name="mall"),
    path("export/<slug:resurs>/<slug:format_>/", export, name="export"),
    path("importera/", importera, name="importera"),
    path("importera/bekrafta/", bekrafta, name="bekrafta"),
    path("importera/jobb/<str:jobb_id>/", jobb, name="jobb"),
]
