"""Import and export in the admin: the library's pages in Swedish, with the resources of
`registrering.resources`, which carry the rules (through the services).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import Result, RowResult

from registrering import importlagring
from registrering.admin.bas import administrerar
from registrering.formats import FORMAT, ImportFel, kontrollera_storlek, max_bytes
from registrering.importlagring import ImportLagring


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
        label="Markera importerade månader som godkända",
        required=False,
        help_text="Annars får de status inskickad och räknas som rapporterade. Godkända månader "
        "låses.",
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
    `ImportLagring`, and only a file this session uploaded can be confirmed.
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
            importlagring.registrera(request.session, initial["import_file_name"])
        return initial

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        svar = super().import_action(request, **kwargs)
        self._ta_bort_om_inte_bekraftbar(svar)
        return svar

    def _ta_bort_om_inte_bekraftbar(self, svar: HttpResponse) -> None:
        """A preview with errors offers no confirm step: its file is not kept."""
        if not isinstance(svar, TemplateResponse) or "confirm_form" in (svar.context_data or {}):
            return
        form = (svar.context_data or {}).get("form")
        # The uploaded file itself: a read error takes it out of the form's cleaned_data.
        fil = getattr(form, "files", {}).get("import_file")
        namn = getattr(fil, "tmp_storage_name", None)
        if namn:
            ImportLagring(name=namn).remove()

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Confirm only a file this session uploaded and that is still there; otherwise back
        to the import form with a Swedish message."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        namn = request.POST.get("import_file_name", "")
        kand = importlagring.i_sessionen(request.session, namn)
        if not (kand and ImportLagring(name=namn).finns()):
            if kand:
                importlagring.glom(request.session, namn)
            messages.error(request, importlagring.SAKNAS)
            url = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_import"
            return HttpResponseRedirect(reverse(url))
        svar = super().process_import(request, **kwargs)
        importlagring.glom(request.session, namn)
        return svar

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, ImportFel):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                "Filen kunde inte läsas. Kontrollera att du valt rätt filformat (xlsx eller csv).",
            )

    def add_success_message(self, result: Result, request: HttpRequest) -> None:
        antal = result.totals
        messages.success(
            request,
            f"Importen är klar: {antal[RowResult.IMPORT_TYPE_NEW]} nya, "
            f"{antal[RowResult.IMPORT_TYPE_UPDATE]} ändrade, "
            f"{antal[RowResult.IMPORT_TYPE_DELETE]} borttagna och "
            f"{antal[RowResult.IMPORT_TYPE_SKIP]} oförändrade rader.",
        )
