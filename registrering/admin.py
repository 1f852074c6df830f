"""The admin, in Swedish, under the same rules as the rest of the product.

Every queryset is scoped to the user's förbund (a superuser sees all) through
`BasAdmin.forbund_path`; foreign key and many-to-many choices are scoped by the admin of
the related model, so a user can never pick another förbund's objects. Model permissions come
from the groups in `registrering.roles`; on top of them writing requires the administrating roles
of `registrering.permissions`. Every save and delete writes an `AuditEntry` with old → new values,
and the "Historik" button shows those entries instead of Django's own log.

Status changes of a Manadsrapport happen only through admin actions that call the services.
Import and export (`ImportExport`) use the resources of `registrering.resources`: a preview of
every row before confirming, Swedish errors per row and column, and the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet, Sum
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import Result, RowResult

from registrering import ledger, permissions, resources, services
from registrering.audit import audit_entries_for, audit_log, beskriv, diff, snapshot
from registrering.formats import FORMAT, ImportFel, kontrollera_storlek, max_bytes
from registrering.kalender import MANADER, manaden_har_slutat
from registrering.models import (
    PRIVACY_HELP,
    Arsbilaga,
    Arstotal,
    AuditEntry,
    AvslutadePerAnledning,
    Avslutsanledning,
    Befolkning,
    BudgeteradVolym,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Huvudman,
    IngaendeBalans,
    IngaendeBalansHuvudman,
    Insats,
    Insatsgrupp,
    Justering,
    Kommentar,
    Kostnadspost,
    Malgrupp,
    Manadsrapport,
    Medlem,
    NyaPerHuvudman,
    Svarsalternativ,
    User,
    Utfall,
    Verksamhetsplan,
)
from registrering.permissions import ADMINISTRERANDE, Roll, roller

RelatedOnly = admin.RelatedOnlyFieldListFilter
Snapshot = dict[str, Any]


# --- Who may do what --------------------------------------------------------------------------


def _ser_forbundets_data(user: Any) -> bool:
    """The roles that see all of their förbund's data (the insatsansvarig has no admin)."""
    if user.is_superuser:
        return True
    return bool(
        user.is_active and user.forbund_id and roller(user) & (ADMINISTRERANDE | {Roll.STYRELSE})
    )


def _administrerar(user: Any) -> bool:
    """May write the förbund's data: `permissions.kan_administrera` for the user's own förbund."""
    if user.is_superuser:
        return True
    return bool(user.forbund_id) and permissions.kan_administrera(user, user.forbund)


def _meddelanden(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "Du har inte behörighet att göra detta."


# --- Audit ------------------------------------------------------------------------------------


def _utan_tomma(data: Snapshot) -> Snapshot:
    return {key: value for key, value in data.items() if value not in (None, "", {}, [])}


def _logga(
    request: HttpRequest, obj: models.Model, action: str, andringar: dict[str, list[Any]]
) -> AuditEntry:
    entry = audit_log(user=request.user, instance=obj, action=action, changes=andringar)
    if entry.forbund_id is None and isinstance(obj, Forbund):
        # audit.forbund_of() finds the förbund of everything but a förbund itself.
        entry.forbund = obj
        entry.save(update_fields=["forbund"])
    return entry


@admin.display(description="år", ordering="ar")
def visa_ar(obj: Any) -> str:
    """The year without a thousands separator (USE_THOUSAND_SEPARATOR would print 2 025)."""
    return str(obj.ar)


# --- Shared behaviour -------------------------------------------------------------------------


class ValInomForbund(BaseModelAdmin):
    """Foreign key and many-to-many choices limited to what the user may see (admins and
    inlines)."""

    def _begransa_val(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        if "queryset" in kwargs:
            return
        model = db_field.remote_field.model
        qs = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if qs is None:
            qs = model._default_manager.using(kwargs.get("using")).all()
        if self.admin_site.is_registered(model):
            related_admin = self.admin_site.get_model_admin(model)
            if isinstance(related_admin, BasAdmin):
                qs = related_admin.begransa(qs, request)
        kwargs["queryset"] = qs

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._begransa_val(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._begransa_val(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BasAdmin(ValInomForbund, admin.ModelAdmin):
    """Every admin here: scoped to the user's förbund, audits its writes, shows the audit log.

    `forbund_path` is the lookup from the model to its förbund ("" for the förbund itself, None
    for data shared by every förbund).
    """

    forbund_path: str | None = "forbund"

    def begransa(self, qs: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
        user = request.user
        if self.forbund_path is None or user.is_superuser:
            return qs
        if not _ser_forbundets_data(user):
            return qs.none()
        return qs.filter(**{self.forbund_path or "pk": user.forbund_id})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.begransa(super().get_queryset(request), request)

    @property
    def _egen_forbund(self) -> bool:
        return self.forbund_path == "forbund"

    # A superuser sees every förbund: show and filter on which one a row belongs to.
    def get_list_display(self, request: HttpRequest) -> Any:
        list_display = super().get_list_display(request)
        if request.user.is_superuser and self.forbund_path:
            return (*list_display, self.forbund_path)
        return list_display

    def get_list_select_related(self, request: HttpRequest) -> Any:
        related = super().get_list_select_related(request)
        if request.user.is_superuser and self.forbund_path and not isinstance(related, bool):
            return (*related, self.forbund_path)
        return related

    def get_list_filter(self, request: HttpRequest) -> Any:
        list_filter = super().get_list_filter(request)
        if request.user.is_superuser and self.forbund_path:
            return (*list_filter, (self.forbund_path, RelatedOnly))
        return list_filter

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "forbund" and self._egen_forbund and not request.user.is_superuser:
            # The user's own förbund, fixed: a disabled field still takes part in validation
            # (unique per förbund) but ignores what is posted.
            kwargs.update(widget=forms.HiddenInput, disabled=True, initial=request.user.forbund_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Writing needs the model permission (roles.py) and an administrating role in the förbund.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and _administrerar(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and _administrerar(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _administrerar(request.user)

    # --- audit ---

    def audit_snapshot(self, obj: models.Model) -> Snapshot:
        """The object's fields, its many-to-many choices and its inline rows."""
        data = snapshot(obj)
        for field in obj._meta.many_to_many:
            data[field.name] = ", ".join(sorted(str(o) for o in getattr(obj, field.name).all()))
        for inline in self.inlines:
            if issubclass(inline, LoggadeRader):
                data[inline.audit_relation] = inline.audit_rader(obj)
        return data

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and self._egen_forbund and not request.user.is_superuser:
            obj.forbund_id = request.user.forbund_id
        # The state in the database before this save; diffed in save_related, after the
        # many-to-many fields and the inlines are saved too.
        form.finsam_fore = self.audit_snapshot(self._fran_db(obj)) if change else {}
        super().save_model(request, obj, form, change)

    def _fran_db(self, obj: Any) -> Any:
        return self.model._default_manager.select_for_update().get(pk=obj.pk)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        fore = getattr(form, "finsam_fore", {})
        efter = self.audit_snapshot(form.instance)
        if not change:
            _logga(request, form.instance, AuditEntry.Action.SKAPAD, diff({}, _utan_tomma(efter)))
        elif andringar := diff(fore, efter):
            _logga(request, form.instance, AuditEntry.Action.ANDRAD, andringar)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _logga(
            request,
            obj,
            AuditEntry.Action.BORTTAGEN,
            diff(_utan_tomma(self.audit_snapshot(obj)), {}),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    # --- the "Historik" button ---

    def _etiketter(self) -> dict[str, str]:
        return {
            inline.audit_relation: str(inline.model._meta.verbose_name_plural)
            for inline in self.inlines
            if issubclass(inline, LoggadeRader)
        }

    def beskriv_andringar(self, entry: AuditEntry) -> list[dict[str, str]]:
        """The entry's changes as [{falt, fore, efter}], inline rows named like their inline."""
        model = self.model
        etiketter = self._etiketter()
        rader = []
        for key, andring in (entry.changes or {}).items():
            for rad in beskriv({key: andring}, model):
                rader.append({**rad, "falt": etiketter.get(key, rad["falt"])})
        return rader

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("Objektet finns inte.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        handelser = [
            {"entry": entry, "andringar": self.beskriv_andringar(entry)}
            for entry in audit_entries_for(obj).order_by("-tid", "-id")
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Ändringshistorik: {obj}",
            "subtitle": None,
            "module_name": str(opts.verbose_name_plural).capitalize(),
            "object": obj,
            "opts": opts,
            "handelser": handelser,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/registrering/historik.html", context)


class EndastLasbar(BasAdmin):
    """Read-only for everyone, even a superuser."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EndastViaForalder(BasAdmin):
    """A breakdown that must add up to its parent's total: edited only in the parent's inline.

    Its rows can be deleted only together with the parent (the delete permission stays so that
    the parent's cascade is allowed).
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "show_delete": False}
        )

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        raise PermissionDenied("Ändra fördelningen i formuläret för det den hör till.")


# --- Import and export ------------------------------------------------------------------------


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
    file can only touch the user's own förbund.
    """

    formats = FORMAT
    import_form_class = ImportFormular
    export_form_class = ExportFormular
    import_template_name = "admin/registrering/import.html"
    export_template_name = "admin/registrering/export.html"
    # The resources write AuditEntry rows, the log the admin shows; not Django's LogEntry too.
    skip_admin_log = True

    def has_import_permission(self, request: HttpRequest) -> bool:
        return super().has_import_permission(request) and _administrerar(request.user)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return super().has_export_permission(request) and _administrerar(request.user)

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


# --- Inlines ----------------------------------------------------------------------------------


class FordelningFormSet(BaseInlineFormSet):
    """Rows that split a total of the parent (e.g. avslutade per avslutsanledning).

    As in the services, no rows means "not given"; otherwise they must add up to the total,
    and each key must be valid for the parent.
    """

    total_falt: tuple[str, ...] = ()
    nyckel_falt = ""
    vad = ""
    per = ""
    ogiltig = "{nyckel} kan inte användas här."

    def giltiga(self) -> set[int] | None:
        return None

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rader = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        giltiga = self.giltiga()
        if giltiga is not None:
            for rad in rader:
                nyckel = rad.get(self.nyckel_falt)
                if nyckel is not None and nyckel.pk not in giltiga:
                    raise ValidationError(self.ogiltig.format(nyckel=nyckel))
        summa = sum(rad.get("antal") or 0 for rad in rader)
        total = sum(getattr(self.instance, falt) or 0 for falt in self.total_falt)
        if summa and summa != total:
            raise ValidationError(
                f"Fördelningen per {self.per} ({summa}) stämmer inte med antalet "
                f"{self.vad} ({total})."
            )


class AvslutFormSet(FordelningFormSet):
    total_falt = ("avslutade_kvinnor", "avslutade_man")
    nyckel_falt, vad, per = "anledning", "avslutade", "avslutsanledning"
    ogiltig = "Avslutsanledningen {nyckel} används inte av insatsen."

    def giltiga(self) -> set[int] | None:
        if not self.instance.insats_id:
            return None
        return set(self.instance.insats.avslutsanledningar.values_list("pk", flat=True))


class HuvudmanFormSet(FordelningFormSet):
    nyckel_falt, per = "huvudman", "huvudman"
    ogiltig = "Huvudmannen {nyckel} hör till ett annat förbund."

    def giltiga(self) -> set[int] | None:
        if not self.instance.insats_id:
            return None
        forbund_id = self.instance.insats.forbund_id
        return set(Huvudman.objects.filter(forbund_id=forbund_id).values_list("pk", flat=True))


class NyaHuvudmanFormSet(HuvudmanFormSet):
    total_falt, vad = ("nya_kvinnor", "nya_man"), "nya"


class BalansHuvudmanFormSet(HuvudmanFormSet):
    total_falt, vad = ("kvinnor", "man"), "deltagare"


class LoggadeRader(ValInomForbund, admin.TabularInline):
    """An inline whose rows are recorded in the parent's audit entry as {nyckel: värde}."""

    extra = 0
    audit_relation = ""
    audit_nyckel = ""
    audit_varde = "antal"

    @classmethod
    def audit_rader(cls, parent: models.Model) -> dict[str, Any]:
        rader = getattr(parent, cls.audit_relation).all()
        if "." in cls.audit_nyckel:
            rader = rader.select_related(cls.audit_nyckel.rsplit(".", 1)[0].replace(".", "__"))
        return {cls.nyckel(rad): cls.varde(rad) for rad in rader}

    @classmethod
    def nyckel(cls, rad: Any) -> str:
        return str(attrgetter(cls.audit_nyckel)(rad))

    @classmethod
    def varde(cls, rad: Any) -> Any:
        return snapshot(rad, [cls.audit_varde])[cls.audit_varde]


class LastRapportInline(LoggadeRader):
    """A breakdown of a Manadsrapport: read-only once the month is approved."""

    def _last(self, obj: Any) -> bool:
        return obj is not None and obj.last

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._last(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._last(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._last(obj) and super().has_delete_permission(request, obj)


class AvslutadePerAnledningInline(LastRapportInline):
    model = AvslutadePerAnledning
    formset = AvslutFormSet
    audit_relation, audit_nyckel = "avslut", "anledning.namn"


class NyaPerHuvudmanInline(LastRapportInline):
    model = NyaPerHuvudman
    formset = NyaHuvudmanFormSet
    audit_relation, audit_nyckel = "nya_huvudman", "huvudman.namn"


class IngaendeBalansHuvudmanInline(LoggadeRader):
    model = IngaendeBalansHuvudman
    formset = BalansHuvudmanFormSet
    audit_relation, audit_nyckel = "per_huvudman", "huvudman.namn"


class BefolkningInline(LoggadeRader):
    model = Befolkning
    audit_relation, audit_nyckel, audit_varde = "befolkning", "ar", "invanare"


class SvarsalternativInline(LoggadeRader):
    model = Svarsalternativ
    audit_relation, audit_nyckel = "alternativ", "text"

    @classmethod
    def varde(cls, rad: Any) -> Any:
        return f"ordning {rad.ordning}, {'positivt' if rad.positivt else 'inte positivt'}"


def _alternativ_med_fraga(alternativ: Svarsalternativ) -> str:
    return f"{alternativ.fraga.text} – {alternativ.text}"


class EnkatsvarInline(LoggadeRader):
    model = Enkatsvar
    # The same answer ("Ja") can belong to several questions: the key names both.
    audit_relation, audit_nyckel = "svar", "alternativ.fraga.text"

    @classmethod
    def nyckel(cls, rad: Any) -> str:
        return _alternativ_med_fraga(rad.alternativ)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "alternativ":
            field.queryset = field.queryset.select_related("fraga")
            field.label_from_instance = _alternativ_med_fraga
        return field


class UtfallInline(LoggadeRader):
    model = Utfall
    audit_relation, audit_varde = "utfall", "belopp"

    @classmethod
    def nyckel(cls, rad: Any) -> str:
        return f"månad {rad.manad}" if rad.manad else f"kvartal {rad.kvartal}"


# --- Förbund, users and shared lists ----------------------------------------------------------


@admin.register(Forbund)
class ForbundAdmin(BasAdmin):
    forbund_path = ""
    list_display = ("namn", "kortnamn", "organisationsnummer", "rapportdag")
    search_fields = ("namn", "kortnamn", "organisationsnummer")
    ordering = ("namn",)
    fieldsets = (
        (None, {"fields": ("namn", "kortnamn", "organisationsnummer", "rapportdag")}),
        ("Texter i årsbilagan", {"fields": ("bakgrund_text", "metod_text")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return ()
        return ("namn", "kortnamn", "organisationsnummer")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(BasAdmin, DjangoUserAdmin):
    """The verksamhetsutvecklare and förbundschef see their förbund's users; a superuser
    manages them."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personuppgifter", {"fields": ("first_name", "last_name", "email")}),
        (
            "Förbund och roller",
            {"fields": ("forbund", "groups", "is_active", "is_staff", "is_superuser")},
        ),
        ("Enskilda behörigheter", {"classes": ("collapse",), "fields": ("user_permissions",)}),
        ("Viktiga datum", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        ("Förbund och roller", {"fields": ("forbund", "groups", "is_staff")}),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "visa_roller",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    list_select_related = ("forbund",)
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    ordering = ("username",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roller")
    def visa_roller(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all()))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        # Viewing only: no password section (its reset link is for a superuser).
        return (
            (None, {"fields": ("username", "first_name", "last_name", "email")}),
            ("Förbund och roller", {"fields": ("forbund", "groups", "is_active", "is_staff")}),
            ("Viktiga datum", {"fields": ("last_login", "date_joined")}),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Malgrupp)
class MalgruppAdmin(EndastLasbar):
    """The national list of målgrupper, shared by every förbund."""

    forbund_path = None
    list_display = ("namn", "kod", "ordning")
    search_fields = ("namn", "kod")
    ordering = ("ordning", "namn")


@admin.register(AuditEntry)
class AuditEntryAdmin(EndastLasbar):
    list_display = (
        "tid",
        "user",
        "action",
        "content_type",
        "object_repr",
        "andrade_falt",
        "kommentar",
    )
    list_filter = (
        "action",
        ("content_type", RelatedOnly),
        ("user", RelatedOnly),
        "tid",
    )
    list_select_related = ("user", "content_type")
    search_fields = ("object_repr",)
    date_hierarchy = "tid"
    ordering = ("-tid", "-id")
    fields = (
        "tid",
        "user",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "andringar",
        "kommentar",
    )

    def _beskriv(self, entry: AuditEntry) -> list[dict[str, str]]:
        """The entry's changes as described by the admin of the changed model."""
        model = entry.content_type.model_class()
        if model is not None and self.admin_site.is_registered(model):
            model_admin = self.admin_site.get_model_admin(model)
            if isinstance(model_admin, BasAdmin):
                return model_admin.beskriv_andringar(entry)
        return beskriv(entry.changes or {}, model or AuditEntry)

    @admin.display(description="ändrade fält")
    def andrade_falt(self, entry: AuditEntry) -> str:
        return ", ".join(rad["falt"] for rad in self._beskriv(entry))

    @admin.display(description="ändringar (före → efter)")
    def andringar(self, entry: AuditEntry) -> str:
        rader = self._beskriv(entry)
        if not rader:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} → {}</li>",
                ((capfirst(r["falt"]), r["fore"], r["efter"]) for r in rader),
            ),
        )


# --- The förbund's organisation ---------------------------------------------------------------


@admin.register(Medlem)
class MedlemAdmin(BasAdmin):
    list_display = ("namn", "typ", "ordning")
    list_filter = ("typ",)
    search_fields = ("namn",)
    ordering = ("ordning", "namn")
    inlines = (BefolkningInline,)


@admin.register(Befolkning)
class BefolkningAdmin(BasAdmin):
    forbund_path = "medlem__forbund"
    list_display = ("medlem", visa_ar, "invanare")
    list_filter = ("ar", ("medlem", RelatedOnly))
    list_select_related = ("medlem",)
    search_fields = ("medlem__namn",)
    ordering = ("-ar", "medlem__ordning", "medlem__namn")


@admin.register(Huvudman)
class HuvudmanAdmin(BasAdmin):
    list_display = ("namn", "ordning")
    search_fields = ("namn",)
    ordering = ("ordning", "namn")


@admin.register(Insatsgrupp)
class InsatsgruppAdmin(BasAdmin):
    list_display = ("namn",)
    search_fields = ("namn",)
    ordering = ("namn",)


# --- Insatser ---------------------------------------------------------------------------------


class InsatsAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        uppfoljning = data.get("uppfoljning", self.instance.uppfoljning)
        volymenhet = data.get("volymenhet", self.instance.volymenhet)
        if uppfoljning == Insats.Uppfoljning.VOLYM and not volymenhet:
            self.add_error("volymenhet", "Ange volymenhet för en volyminsats.")
        if uppfoljning == Insats.Uppfoljning.DELTAGARFLODE and volymenhet:
            self.add_error("volymenhet", "Volymenhet anges bara för volyminsatser.")
        start, slut = data.get("startdatum"), data.get("slutdatum")
        if start and slut and slut < start:
            self.add_error("slutdatum", "Slutdatum kan inte vara före startdatum.")
        return data


@admin.register(Insats)
class InsatsAdmin(ImportExport, BasAdmin):
    resource_classes = (resources.InsatsResource,)
    form = InsatsAdminForm
    list_display = (
        "namn",
        "inriktning",
        "preciserad_inriktning",
        "uppfoljning",
        "grupp",
        "utforande_medlem",
        "startdatum",
        "slutdatum",
        "ordning",
    )
    list_filter = (
        "inriktning",
        "uppfoljning",
        "esf_finansierad",
        ("grupp", RelatedOnly),
        ("utforande_medlem", RelatedOnly),
    )
    list_select_related = ("grupp", "utforande_medlem")
    search_fields = ("namn", "beskrivning")
    ordering = ("ordning", "namn")
    filter_horizontal = ("malgrupper", "insatsansvariga")
    fieldsets = (
        (None, {"fields": ("forbund", "namn", "grupp", "utforande_medlem", "ordning")}),
        (
            "Inriktning och uppföljning",
            {
                "fields": (
                    "inriktning",
                    "preciserad_inriktning",
                    "malgrupper",
                    "uppfoljning",
                    "volymenhet",
                    "esf_finansierad",
                )
            },
        ),
        ("Period", {"fields": ("startdatum", "slutdatum")}),
        ("Ansvariga och beskrivning", {"fields": ("insatsansvariga", "beskrivning")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not request.user.is_superuser:
            # As in Uppföljning Finsam: fixed once the insats exists.
            return ("inriktning", "uppfoljning", "volymenhet", "esf_finansierad")
        return ()


@admin.register(Avslutsanledning)
class AvslutsanledningAdmin(BasAdmin):
    list_display = ("namn", "uppsattning", "klass", "kategori", "rapportetikett", "ordning")
    list_filter = ("uppsattning", "klass", "kategori")
    search_fields = ("namn", "rapportetikett", "uppsattning")
    ordering = ("uppsattning", "ordning", "namn")
    filter_horizontal = ("insatser",)


# --- Månadsrapporter --------------------------------------------------------------------------

ARBETSFLODE_FALT = (
    "status",
    "version",
    "andrad",
    "inskickad_av",
    "inskickad_tid",
    "godkand_av",
    "godkand_tid",
    "registrerad_av",
    "registrerad_datum",
    "returkommentar",
)


class ManadsrapportAdminForm(forms.ModelForm):
    """The month's figures, with the checks of `services.manadsrapport_spara` that concern a
    single form: the month is over, the insats ran, flow or volume, not more avslutade than
    there were participants, and nobody saved in between."""

    oppnad_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["oppnad_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        instance = self.instance
        if instance.pk:
            nu = Manadsrapport.objects.filter(pk=instance.pk).values_list("version", flat=True)
            oppnad = data.get("oppnad_version")
            if oppnad is not None and oppnad != nu.first():
                raise ValidationError(
                    "Någon annan har sparat månaden medan du arbetade. Öppna den igen, "
                    "kontrollera siffrorna och spara på nytt."
                )
        insats = data.get("insats") or (instance.insats if instance.insats_id else None)
        ar, manad = data.get("ar", instance.ar), data.get("manad", instance.manad)
        if insats is None or not ar or manad not in MANADER:
            return data
        manadsnamn = f"{MANADER[manad]} {ar}"
        if not manaden_har_slutat(ar, manad, timezone.localdate()):
            raise ValidationError(f"{manadsnamn.capitalize()} är inte slut än.")
        if not insats.aktiv_manad(ar, manad):
            raise ValidationError(f"{insats.namn} pågick inte under {manadsnamn}.")
        flodesfalt = ("nya_kvinnor", "nya_man", "avslutade_kvinnor", "avslutade_man")
        if insats.ar_volyminsats:
            if data.get("volym") is None:
                self.add_error("volym", "Ange volymen för en volyminsats.")
            for falt in flodesfalt:
                if data.get(falt):
                    self.add_error(falt, "En volyminsats rapporterar bara volym.")
            return data
        if data.get("volym") is not None:
            self.add_error("volym", "Volym rapporteras bara för volyminsatser.")
        start = ledger.pagaende_vid_manadens_start(insats_id=insats.pk, ar=ar, manad=manad)
        for falt, nya_falt, fanns, kon in (
            ("avslutade_kvinnor", "nya_kvinnor", start.kvinnor, "kvinnor"),
            ("avslutade_man", "nya_man", start.man, "män"),
        ):
            avslutade, nya = data.get(falt) or 0, data.get(nya_falt) or 0
            if avslutade > fanns + nya:
                self.add_error(
                    falt,
                    f"Fler avslutade {kon} ({avslutade}) än det fanns deltagare att avsluta "
                    f"({fanns} pågående vid månadens början + {nya} nya).",
                )
        return data


class MotiveringForm(forms.Form):
    motivering = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text=PRIVACY_HELP,
    )

    def __init__(self, *args: Any, etikett: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motivering"].label = etikett


def _manader(antal: int) -> str:
    return f"{antal} månad" if antal == 1 else f"{antal} månader"


@admin.register(Manadsrapport)
class ManadsrapportAdmin(ImportExport, BasAdmin):
    resource_classes = (resources.ManadsdataResource, resources.VolymdataResource)
    import_form_class = GodkandImportFormular
    confirm_form_class = GodkandBekraftaFormular
    forbund_path = "insats__forbund"
    form = ManadsrapportAdminForm
    list_display = (
        "insats",
        visa_ar,
        "manadsnamn",
        "status",
        "nya",
        "avslutade",
        "volym",
        "last",
        "andrad",
        "godkand_av",
    )
    list_filter = ("status", "ar", "manad", ("insats", RelatedOnly), ("insats__grupp", RelatedOnly))
    list_select_related = ("insats", "godkand_av")
    search_fields = ("insats__namn",)
    ordering = ("-ar", "-manad", "insats__ordning", "insats__namn")
    autocomplete_fields = ("insats",)
    inlines = (AvslutadePerAnledningInline, NyaPerHuvudmanInline)
    actions = ("godkann", "markera_registrerade", "returnera", "las_upp")
    fieldsets = (
        (None, {"fields": ("insats", "ar", "manad", "oppnad_version")}),
        (
            "Deltagarflöde",
            {"fields": (("nya_kvinnor", "nya_man"), ("avslutade_kvinnor", "avslutade_man"))},
        ),
        ("Volym", {"fields": ("volym",)}),
        ("Kommentar", {"fields": ("kommentar",)}),
        (
            "Arbetsflöde",
            {
                "description": "Status ändras med åtgärderna i listan över månadsrapporter.",
                "fields": (
                    ("status", "version", "andrad"),
                    ("inskickad_av", "inskickad_tid"),
                    ("godkand_av", "godkand_tid"),
                    ("registrerad_av", "registrerad_datum"),
                    "returkommentar",
                ),
            },
        ),
    )

    @admin.display(description="månad", ordering="manad")
    def manadsnamn(self, obj: Manadsrapport) -> str:
        return MANADER[obj.manad]

    @admin.display(description="nya")
    def nya(self, obj: Manadsrapport) -> int:
        return obj.nya

    @admin.display(description="avslutade")
    def avslutade(self, obj: Manadsrapport) -> int:
        return obj.avslutade

    @admin.display(description="låst", boolean=True)
    def last(self, obj: Manadsrapport) -> bool:
        return obj.last

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.fieldsets
        forsta = ("insats", visa_ar, "manadsnamn")
        if self.has_change_permission(request, obj):
            forsta = (*forsta, "oppnad_version")
        return ((None, {"fields": forsta}), *self.fieldsets[1:])

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ("insats", visa_ar, "manadsnamn", *ARBETSFLODE_FALT)
        return ARBETSFLODE_FALT

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.last) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.last) and super().has_delete_permission(request, obj)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if request.method == "GET" and obj is not None and obj.last:
            self.message_user(
                request,
                "Månaden är godkänd och låst. Lås upp den med åtgärden ”Lås upp markerade "
                "månader” i listan för att rätta.",
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            # The month form's optimistic lock: every save is a new version.
            obj.version = self._fran_db(obj).version + 1
        super().save_model(request, obj, form, change)

    # --- status changes, only through the services ---

    def has_godkanna_permission(self, request: HttpRequest) -> bool:
        return self.has_change_permission(request)

    def _for_varje(
        self,
        request: HttpRequest,
        queryset: QuerySet[Manadsrapport],
        utfor: Callable[[Manadsrapport], Any],
        klart: str,
    ) -> None:
        lyckade = 0
        for rapport in queryset.select_related("insats__forbund"):
            try:
                utfor(rapport)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{rapport}: {_meddelanden(exc)}", messages.ERROR)
            else:
                lyckade += 1
        if lyckade:
            self.message_user(request, f"{_manader(lyckade)} {klart}.", messages.SUCCESS)

    @admin.action(description="Godkänn markerade månader", permissions=["godkanna"])
    def godkann(self, request: HttpRequest, queryset: QuerySet[Manadsrapport]) -> None:
        self._for_varje(
            request,
            queryset,
            lambda r: services.manadsrapport_godkann(user=request.user, rapport=r),
            "godkändes och låstes",
        )

    @admin.action(
        description="Markera som registrerade i Uppföljning Finsam", permissions=["godkanna"]
    )
    def markera_registrerade(self, request: HttpRequest, queryset: QuerySet[Manadsrapport]) -> None:
        self._for_varje(
            request,
            queryset,
            lambda r: services.manadsrapport_markera_registrerad(user=request.user, rapport=r),
            "markerades som registrerade i Uppföljning Finsam",
        )

    @admin.action(description="Returnera markerade månader med kommentar", permissions=["godkanna"])
    def returnera(
        self, request: HttpRequest, queryset: QuerySet[Manadsrapport]
    ) -> HttpResponse | None:
        return self._med_motivering(
            request,
            queryset,
            action="returnera",
            titel="Returnera månader till insatsansvarig",
            etikett="Vad behöver rättas?",
            knapp="Returnera",
            utfor=lambda r, text: services.manadsrapport_returnera(
                user=request.user, rapport=r, kommentar=text
            ),
            klart="returnerades",
        )

    @admin.action(description="Lås upp markerade månader för rättelse", permissions=["godkanna"])
    def las_upp(
        self, request: HttpRequest, queryset: QuerySet[Manadsrapport]
    ) -> HttpResponse | None:
        return self._med_motivering(
            request,
            queryset,
            action="las_upp",
            titel="Lås upp månader för rättelse",
            etikett="Varför låses månaderna upp?",
            knapp="Lås upp",
            utfor=lambda r, text: services.manadsrapport_las_upp(
                user=request.user, rapport=r, anledning=text
            ),
            klart="låstes upp och måste godkännas igen",
        )

    def _med_motivering(
        self,
        request: HttpRequest,
        queryset: QuerySet[Manadsrapport],
        *,
        action: str,
        titel: str,
        etikett: str,
        knapp: str,
        utfor: Callable[[Manadsrapport, str], Any],
        klart: str,
    ) -> HttpResponse | None:
        """An action that first asks for a comment on an intermediate page."""
        if request.POST.get("bekrafta"):
            form = MotiveringForm(request.POST, etikett=etikett)
            if form.is_valid():
                text = form.cleaned_data["motivering"]
                self._for_varje(request, queryset, lambda r: utfor(r, text), klart)
                return None
        else:
            form = MotiveringForm(etikett=etikett)
        context = {
            **self.admin_site.each_context(request),
            "title": titel,
            "subtitle": None,
            "opts": self.opts,
            "rapporter": list(queryset.select_related("insats")),
            "form": form,
            "action": action,
            "knapp": knapp,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/registrering/manadsrapport/motivering.html", context
        )


@admin.register(AvslutadePerAnledning)
class AvslutadePerAnledningAdmin(ImportExport, EndastViaForalder):
    resource_classes = (resources.AvslutadePerAnledningResource,)
    forbund_path = "rapport__insats__forbund"
    list_display = ("rapport", "anledning", "antal")
    list_filter = ("rapport__ar", ("rapport__insats", RelatedOnly), ("anledning", RelatedOnly))
    list_select_related = ("rapport__insats", "anledning")
    search_fields = ("rapport__insats__namn", "anledning__namn")
    ordering = ("-rapport__ar", "-rapport__manad", "rapport__insats__namn", "anledning__namn")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.rapport.last) and super().has_delete_permission(
            request, obj
        )


@admin.register(NyaPerHuvudman)
class NyaPerHuvudmanAdmin(ImportExport, EndastViaForalder):
    resource_classes = (resources.NyaPerHuvudmanResource,)
    forbund_path = "rapport__insats__forbund"
    list_display = ("rapport", "huvudman", "antal")
    list_filter = ("rapport__ar", ("rapport__insats", RelatedOnly), ("huvudman", RelatedOnly))
    list_select_related = ("rapport__insats", "huvudman")
    search_fields = ("rapport__insats__namn", "huvudman__namn")
    ordering = ("-rapport__ar", "-rapport__manad", "rapport__insats__namn", "huvudman__ordning")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.rapport.last) and super().has_delete_permission(
            request, obj
        )


# --- Balances, corrections, history and targets -----------------------------------------------


@admin.register(IngaendeBalans)
class IngaendeBalansAdmin(ImportExport, BasAdmin):
    resource_classes = (resources.IngaendeBalansResource,)
    forbund_path = "insats__forbund"
    list_display = ("insats", visa_ar, "kvinnor", "man", "totalt", "bekraftad_av", "bekraftad_tid")
    list_filter = ("ar", ("insats", RelatedOnly))
    list_select_related = ("insats", "bekraftad_av")
    search_fields = ("insats__namn",)
    ordering = ("-ar", "insats__ordning", "insats__namn")
    autocomplete_fields = ("insats",)
    readonly_fields = ("bekraftad_av", "bekraftad_tid")
    inlines = (IngaendeBalansHuvudmanInline,)

    @admin.display(description="totalt")
    def totalt(self, obj: IngaendeBalans) -> int:
        return obj.totalt

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.bekraftad_av, obj.bekraftad_tid = request.user, timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(IngaendeBalansHuvudman)
class IngaendeBalansHuvudmanAdmin(EndastViaForalder):
    forbund_path = "balans__insats__forbund"
    list_display = ("balans", "huvudman", "antal")
    list_filter = ("balans__ar", ("huvudman", RelatedOnly))
    list_select_related = ("balans__insats", "huvudman")
    search_fields = ("balans__insats__namn", "huvudman__namn")
    ordering = ("-balans__ar", "balans__insats__namn", "huvudman__ordning")


class JusteringAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kvinnor") == 0 and data.get("man") == 0:
            self.add_error("kvinnor", "En justering måste ändra antalet.")
        return data


@admin.register(Justering)
class JusteringAdmin(BasAdmin):
    forbund_path = "insats__forbund"
    form = JusteringAdminForm
    list_display = (
        "insats",
        visa_ar,
        "manad",
        "kvinnor",
        "man",
        "anledning",
        "skapad_av",
        "skapad_tid",
    )
    list_filter = ("ar", ("insats", RelatedOnly))
    list_select_related = ("insats", "skapad_av")
    search_fields = ("insats__namn", "anledning")
    ordering = ("-ar", "-manad", "insats__namn")
    autocomplete_fields = ("insats",)
    readonly_fields = ("skapad_av", "skapad_tid")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.skapad_av = request.user
        super().save_model(request, obj, form, change)


@admin.register(Arstotal)
class ArstotalAdmin(ImportExport, BasAdmin):
    resource_classes = (resources.ArstotalResource,)
    forbund_path = "insats__forbund"
    list_display = (
        "insats",
        visa_ar,
        "deltagare_kvinnor",
        "deltagare_man",
        "nya_kvinnor",
        "nya_man",
        "avslutade_kvinnor",
        "avslutade_man",
        "volym",
        "kalla",
    )
    list_filter = ("ar", "kalla", ("insats", RelatedOnly))
    list_select_related = ("insats",)
    search_fields = ("insats__namn",)
    ordering = ("-ar", "insats__ordning", "insats__namn")
    autocomplete_fields = ("insats",)


@admin.register(BudgeteradVolym)
class BudgeteradVolymAdmin(ImportExport, BasAdmin):
    resource_classes = (resources.BudgeteradVolymResource,)
    forbund_path = "insats__forbund"
    list_display = ("insats", visa_ar, "volym")
    list_filter = ("ar", ("insats", RelatedOnly))
    list_select_related = ("insats",)
    search_fields = ("insats__namn",)
    ordering = ("-ar", "insats__ordning", "insats__namn")
    autocomplete_fields = ("insats",)


# --- Enkäter ----------------------------------------------------------------------------------


@admin.register(Enkatfraga)
class EnkatfragaAdmin(BasAdmin):
    list_display = ("text", "ordning", "malfraga")
    list_filter = ("malfraga",)
    search_fields = ("text",)
    ordering = ("ordning", "text")
    inlines = (SvarsalternativInline,)


@admin.register(Svarsalternativ)
class SvarsalternativAdmin(BasAdmin):
    forbund_path = "fraga__forbund"
    list_display = ("text", "fraga", "ordning", "positivt")
    list_filter = ("positivt", ("fraga", RelatedOnly))
    list_select_related = ("fraga",)
    search_fields = ("text", "fraga__text")
    ordering = ("fraga__ordning", "ordning")


@admin.register(Enkattillfalle)
class EnkattillfalleAdmin(BasAdmin):
    list_display = ("namn", "datum", "insats", "antal_svar")
    list_filter = ("datum", ("insats", RelatedOnly))
    list_select_related = ("insats",)
    search_fields = ("namn", "insats__namn")
    ordering = ("-datum", "namn")
    date_hierarchy = "datum"
    autocomplete_fields = ("insats",)
    inlines = (EnkatsvarInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(summa_svar=Sum("svar__antal"))

    @admin.display(description="antal svar", ordering="summa_svar")
    def antal_svar(self, obj: Any) -> int:
        return obj.summa_svar or 0


@admin.register(Enkatsvar)
class EnkatsvarAdmin(ImportExport, BasAdmin):
    resource_classes = (resources.EnkatsvarResource,)
    forbund_path = "tillfalle__forbund"
    list_display = ("tillfalle", "fraga", "alternativ", "antal")
    list_filter = (("tillfalle", RelatedOnly), ("alternativ__fraga", RelatedOnly))
    list_select_related = ("tillfalle", "alternativ__fraga")
    search_fields = ("tillfalle__namn", "alternativ__text")
    ordering = ("-tillfalle__datum", "alternativ__fraga__ordning", "alternativ__ordning")
    autocomplete_fields = ("tillfalle",)

    @admin.display(description="fråga", ordering="alternativ__fraga__ordning")
    def fraga(self, obj: Enkatsvar) -> str:
        return obj.alternativ.fraga.text

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "alternativ":
            field.queryset = field.queryset.select_related("fraga")
            field.label_from_instance = _alternativ_med_fraga
        return field


@admin.register(Kommentar)
class KommentarAdmin(BasAdmin):
    list_display = ("avsnitt", visa_ar, "kort_text")
    list_filter = ("ar", "avsnitt")
    search_fields = ("text",)
    ordering = ("-ar", "avsnitt")

    @admin.display(description="kommentar")
    def kort_text(self, obj: Kommentar) -> str:
        return obj.text if len(obj.text) <= 80 else f"{obj.text[:79]}…"


# --- The year's bilaga, plan and economy ------------------------------------------------------


@admin.register(Arsbilaga)
class ArsbilagaAdmin(BasAdmin):
    list_display = (visa_ar, "sammanstallningsdatum", "publicerad_tid", "publicerad_av")
    list_select_related = ("publicerad_av",)
    ordering = ("-ar",)
    # Publishing is the förbundschef's step on the report page, not a field to edit.
    readonly_fields = ("publicerad_tid", "publicerad_av")


@admin.register(Verksamhetsplan)
class VerksamhetsplanAdmin(BasAdmin):
    list_display = (
        visa_ar,
        "tilldelning",
        "enkatmal_procent",
        "kapitaltak_procent",
        "eget_kapital_ingaende",
    )
    ordering = ("-ar",)


@admin.register(Kostnadspost)
class KostnadspostAdmin(BasAdmin):
    list_display = ("namn", "kod", visa_ar, "budget", "ordning")
    list_filter = ("ar",)
    search_fields = ("namn", "kod")
    ordering = ("-ar", "ordning", "namn")
    inlines = (UtfallInline,)


@admin.register(Utfall)
class UtfallAdmin(BasAdmin):
    forbund_path = "post__forbund"
    list_display = ("post", "manad", "kvartal", "belopp", "kommentar")
    list_filter = ("post__ar", ("post", RelatedOnly))
    list_select_related = ("post",)
    search_fields = ("post__namn", "post__kod", "kommentar")
    ordering = ("-post__ar", "post__ordning", "post__namn", "kvartal", "manad")
    autocomplete_fields = ("post",)
