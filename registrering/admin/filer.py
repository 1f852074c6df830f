"""Import and export in the admin: the library's pages in Swedish, with the resources of
`registrering.resources`, which carry the rules (through the services).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import Result

from registrering import importflode, importlagring, importuppgifter
from registrering.admin.bas import administrerar
from registrering.formats import FORMAT, ImportFel, kontrollera_storlek, max_bytes
from registrering.importlagring import ImportLagring
from registrering.resources import bas as resursbas


class ImportFormular(ImportForm):
    """The library's first import step, in Swedish, with the size limit checked up front."""

    def __init__(self, formats: Any, resurser: Any, **kwargs: Any) -> None:
        super().__init__(formats, resurser, **kwargs)
        self.fields["resource"].label = "Filen innehåller"
        self.fields["import_file"].label = "Fil att importera"
        self.fields["import_file"].help_text = (
            "Excel (xlsx) eller CSV med semikolon eller komma, i UTF-8 eller Windows-1252, "
            f"högst {max_bytes() // (1024 * 1024)} MB."
        )
        self.fields["format"].label = "Filformat"

    def clean_import_file(self) -> Any:
        fil = self.cleaned_data["import_file"]
        try:
            kontrollera_storlek(fil.size)
        except ImportFel as exc:
            raise ValidationError(str(exc)) from exc
        return fil


class GodkandImportFormular(ImportFormular):
    godkand = forms.BooleanField(
        label=importflode.GODKAND_ETIKETT, required=False, help_text=importflode.GODKAND_HJALP
    )


class GodkandBekraftaFormular(ConfirmImportForm):
    godkand = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ExportFormular(ExportForm):
    def __init__(self, formats: Any, resurser: Any, **kwargs: Any) -> None:
        super().__init__(formats, resurser, **kwargs)
        self.fields["resource"].label = "Exportera"
        self.fields["format"].label = "Filformat"


class ImportExport(ImportExportMixin):
    """Import (with a preview of every row before confirming) and export with the resources of
    `registrering.resources`, which carry the rules: who may, locked months, the audit log.

    Only the administrating roles see the buttons; the resources get the logged-in user, so a
    file can only touch the user's own förbund. Between preview and confirm the file waits in
    `ImportLagring`, and only a file this session uploaded can be confirmed. A file with more
    than `FINSAM_IMPORT_KO_RADER` rows is imported by a task (`registrering.importuppgifter`)
    and the user follows it on a status page.
    """

    formats = FORMAT
    tmp_storage_class = ImportLagring
    import_form_class = ImportFormular
    export_form_class = ExportFormular
    import_template_name = "admin/registrering/import.html"
    export_template_name = "admin/registrering/export.html"
    # The resources write AuditEntry rows, the log the admin shows; not Django's LogEntry too.
    skip_admin_log = True

    def has_import_permission(self, request: HttpRequest) -> bool:
        return super().has_import_permission(request) and administrerar(request.user)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return super().has_export_permission(request) and administrerar(request.user)

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        data = getattr(form, "cleaned_data", None) or {}
        # In the admin the row errors are shown per row and column, not summed up as well.
        return {
            "user": request.user,
            "godkand": bool(data.get("godkand")),
            "radfel_som_filfel": False,
        }

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {"user": request.user}

    def get_confirm_form_initial(self, request: HttpRequest, import_form: Any) -> dict[str, Any]:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["godkand"] = bool(import_form.cleaned_data.get("godkand"))
        return initial

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The library's preview; then, as on the product's page (`importflode`), a file that
        can be confirmed is recorded in the session with its row count, and one that cannot
        is not kept."""
        svar = super().import_action(request, **kwargs)
        kontext = getattr(svar, "context_data", None) or {}
        if kontext.get("result") is not None:
            # The preview shows the rows the resource gave their values (`VISADE_RADER`).
            giltiga = kontext["result"].valid_rows()
            kontext["visade_rader"] = giltiga[: resursbas.VISADE_RADER]
            kontext["fler_rader"] = max(0, len(giltiga) - resursbas.VISADE_RADER)
        if "confirm_form" in kontext and kontext.get("result") is not None:
            initial, form = kontext["confirm_form"].initial, kontext["form"]
            val = importflode.Val(
                resurs=self.choose_import_resource_class(form, request),
                format_=self.get_import_formats()[int(form.cleaned_data["format"])],
                filnamn=initial.get("original_file_name") or "",
                godkand=bool(form.cleaned_data.get("godkand")),
            )
            importflode.minns(
                request.session, initial["import_file_name"], kontext["result"].total_rows, val
            )
        elif isinstance(svar, TemplateResponse):
            # The uploaded file itself: a read error takes it out of the form's cleaned_data.
            fil = getattr(kontext.get("form"), "files", {}).get("import_file")
            importflode.kassera(getattr(fil, "tmp_storage_name", None))
        return svar

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Confirm only a file this session previewed and that is still there (otherwise back
        to the import form with a Swedish message), through `importflode.bekrafta`."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        namn = request.POST.get("import_file_name", "")
        if (stopp := importflode.hinder(request.session, request.user, namn)) is not None:
            return self._svar(request, stopp)
        form = self.create_confirm_form(request)
        if not form.is_valid():
            importlagring.glom(request.session, namn)
            return super().process_import(request)  # the library's page with the form's errors
        # Imported as previewed (the session's record), whatever the confirm form posts.
        utfall = importflode.bekrafta(
            session=request.session,
            user=request.user,  # type: ignore[arg-type]  # the admin's user is logged in
            namn=namn,
            modell=self.opts.label_lower,
        )
        return self._svar(request, utfall)

    def _svar(self, request: HttpRequest, utfall: importflode.Bekraftelse) -> HttpResponse:
        if utfall.jobb_id:
            return HttpResponseRedirect(self._jobb_url(utfall.jobb_id))
        if utfall.result is not None:
            return self.process_result(utfall.result, request)
        messages.error(request, importlagring.SAKNAS)
        url = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_import"
        return HttpResponseRedirect(reverse(url))

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        """A confirmed import that failed after all (the data changed since the preview) shows
        its errors, as the status page of a queued one does; a done one goes to the list."""
        if result.has_errors() or result.has_validation_errors():
            return self._resultatsida(request, "fel", importuppgifter.sammanfatta(result), "")
        return super().process_result(result, request)

    # --- the status page of a queued import ------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        app, modell = self.get_model_info()
        egna = [
            path(
                "import/jobb/<str:jobb_id>/",
                self.admin_site.admin_view(self.importjobb_view),
                name=f"{app}_{modell}_importjobb",
            )
        ]
        return egna + super().get_urls()

    def _jobb_url(self, jobb_id: str) -> str:
        app, modell = self.get_model_info()
        return reverse(f"{self.admin_site.name}:{app}_{modell}_importjobb", args=[jobb_id])

    @method_decorator(require_GET)
    def importjobb_view(self, request: HttpRequest, jobb_id: str) -> HttpResponse:
        """Where a queued import stands (it asks again by itself until it is done), then its
        outcome; only for the user who started it (404 for anyone else)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        jobb = importuppgifter.jobb_for(jobb_id, request.user, self.opts.label_lower)
        if jobb is None:
            raise Http404("Importen finns inte.")
        return self._resultatsida(request, jobb["status"], jobb["resultat"], jobb["filnamn"])

    def _resultatsida(
        self, request: HttpRequest, status: str, resultat: dict[str, Any] | None, filnamn: str
    ) -> TemplateResponse:
        app, modell = self.get_model_info()
        kontext = {
            **self.admin_site.each_context(request),
            "title": "Import",
            "opts": self.opts,
            "status": status,
            "pagar": status in ("köad", "pågår"),
            "result": resultat,
            "filnamn": filnamn,
            "klar_text": importuppgifter.klar_text(resultat["totals"])
            if status == "klar" and resultat
            else "",
            "lista_url": reverse(f"{self.admin_site.name}:{app}_{modell}_changelist"),
            "import_url": reverse(f"{self.admin_site.name}:{app}_{modell}_import"),
        }
        return TemplateResponse(request, ["admin/registrering/importjobb.html"], kontext)

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, ImportFel):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                "Filen kunde inte läsas. Kontrollera att du valt rätt filformat (xlsx eller csv).",
            )

    def add_success_message(self, result: Result, request: HttpRequest) -> None:
        messages.success(request, importuppgifter.klar_text(result.totals))
