"""What every admin here shares: scoping to the user's förbund, who may write, the audit
log (old → new) written through `registrering.audit`, and the "Historik" page.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, cast
from weakref import WeakKeyDictionary

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from registrering import permissions, regler
from registrering.audit import audit_entries_for, audit_log, beskriv, diff, snapshot
from registrering.forms import AntalField, KronorField, service_fel_pa_falt
from registrering.models import (
    AuditEntry,
    Forbund,
    User,
)
from registrering.permissions import ADMINISTRERANDE, Roll, roller

RelatedOnly = admin.RelatedOnlyFieldListFilter


Snapshot = dict[str, Any]


def ser_forbundets_data(user: Any) -> bool:
    """The roles that see all of their förbund's data (the insatsansvarig has no admin)."""
    if user.is_superuser:
        return True
    return bool(
        user.is_active and user.forbund_id and roller(user) & (ADMINISTRERANDE | {Roll.STYRELSE})
    )


def administrerar(user: Any) -> bool:
    """May write the förbund's data: `permissions.kan_administrera` for the user's own förbund."""
    if user.is_superuser:
        return True
    return bool(user.forbund_id) and permissions.kan_administrera(user, user.forbund)


def meddelanden(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "Du har inte behörighet att göra detta."


def utan_tomma(data: Snapshot) -> Snapshot:
    return {key: value for key, value in data.items() if value not in (None, "", {}, [])}


def logga(
    request: HttpRequest, obj: models.Model, action: str, andringar: dict[str, list[Any]]
) -> AuditEntry:
    return audit_log(
        user=permissions.inloggad(request), instance=obj, action=action, changes=andringar
    )


@admin.display(description="år", ordering="ar")
def visa_ar(obj: Any) -> str:
    """The year without a thousands separator (USE_THOUSAND_SEPARATOR would print 2 025)."""
    return str(obj.ar)


class KronorModellfalt(KronorField):
    """`KronorField` as the form field of a model's DecimalField (the model checks its digits)."""

    def __init__(
        self, *, max_digits: int | None = None, decimal_places: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)


#: Numbers in every admin form and inline as in the browser: counts read by `regler.las_heltal`
#: and amounts by `regler.las_belopp` (the digits 0–9 only: "٣" and "𝟓" are refused). No lower
#: bound at the field: whether a number may be negative or that large is the rules' to say
#: (the model's own validation stays behind them).
SIFFROR_SOM_I_WEBBLASAREN: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.IntegerField: {"form_class": AntalField, "min_value": None},
    models.BigIntegerField: {"form_class": AntalField, "min_value": None},
    models.DecimalField: {"form_class": KronorModellfalt},
}


class ValInomForbund(BaseModelAdmin):
    """Foreign key and many-to-many choices limited to what the user may see, and numbers read
    as in the browser (admins and inlines)."""

    formfield_overrides = SIFFROR_SOM_I_WEBBLASAREN

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
        if not ser_forbundets_data(user):
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
            forbund_id = permissions.inloggad(request).forbund_id
            kwargs.update(widget=forms.HiddenInput, disabled=True, initial=forbund_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        # A year shown read-only (`visa_ar`) is not also a field to edit: a service that writes
        # per year would otherwise write the edited year's row and leave the old one.
        exclude = super().get_exclude(request, obj)
        skrivskyddade: Sequence[object] = self.get_readonly_fields(request, obj)
        if visa_ar in skrivskyddade:
            return (*(exclude or ()), "ar")
        return exclude

    # Writing needs the model permission (roles.py) and an administrating role in the förbund.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and administrerar(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and administrerar(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and administrerar(request.user)

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
            obj.forbund_id = permissions.inloggad(request).forbund_id
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
            logga(request, form.instance, AuditEntry.Action.SKAPAD, diff({}, utan_tomma(efter)))
        elif andringar := diff(fore, efter):
            logga(request, form.instance, AuditEntry.Action.ANDRAD, andringar)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if isinstance(formset, RaderGenomTjanst):
            formset.spara_genom_tjansten(permissions.inloggad(request))
        else:
            super().save_formset(request, form, formset, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # Rows that a service writes are removed by it too (with their audit rows), not by the
        # cascade.
        for inline in self.inlines:
            if issubclass(inline.formset, RaderGenomTjanst):
                for rad in getattr(obj, inline.formset.relation).all():
                    inline.formset.ta_bort_rad(permissions.inloggad(request), rad)
        logga(
            request,
            obj,
            AuditEntry.Action.BORTTAGEN,
            diff(utan_tomma(self.audit_snapshot(obj)), {}),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    # AuditEntry is the one log (`registrering.audit`); Django's LogEntry is not written too.
    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return None

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return None

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        return None

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[Any]:
        # Only for Django's LogEntry, which is not written (and which would read what a
        # formset saved, `formset.new_objects`, from formsets whose rows a service saves).
        return []

    # --- the "Historik" button ---

    def _etiketter(self) -> dict[str, str]:
        etiketter = {}
        for inline in self.inlines:
            if issubclass(inline, LoggadeRader):
                relation = inline.audit_relation
            elif issubclass(inline.formset, RaderGenomTjanst):
                # The parent's audit rows from before the service wrote its rows name them.
                relation = inline.formset.relation
            else:
                continue
            etiketter[relation] = str(inline.model._meta.verbose_name_plural)
        return etiketter

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
    the parent's cascade is allowed). `borttagning_nekad` says where to go instead.
    """

    borttagning_nekad = "Ändra fördelningen i formuläret för det den hör till."

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
        raise PermissionDenied(self.borttagning_nekad)


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


#: A service's refusal during a save, per request: the form is shown again with its messages.
_NEKAT: WeakKeyDictionary[HttpRequest, ValidationError] = WeakKeyDictionary()


class TjanstenNekade(Exception):
    """A service refused a save that the form had let through (a rule the form did not ask,
    or data that changed in between); carries the service's `ValidationError`."""

    def __init__(self, fel: ValidationError) -> None:
        super().__init__(fel)
        self.fel = fel


class MedTjanstensFel(forms.BaseForm):
    """A form that shows a service's refusal of the same post at the rule's fields."""

    tjanstens_fel: ValidationError
    tjanstens_falt: dict[str, str | None] = {}

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            service_fel_pa_falt(cast(forms.Form, self), self.tjanstens_fel, self.tjanstens_falt)


class GenomTjanst(BasAdmin):
    """An admin whose saves and deletes are a service's: the service checks the rules, writes
    and writes the audit row. The form asks the same rules first (`fel_pa_formular`), so that
    a bad input is shown at its field instead of reaching the service; should the service
    still refuse, nothing is saved and the form is shown again with the service's messages
    (`tjanstens_falt` maps a rule's field to the form's, as in `service_fel_pa_falt`)."""

    tjanstens_falt: dict[str, str | None] = {}

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> models.Model:
        raise NotImplementedError

    def forbund_for(self, request: HttpRequest, form: Any) -> Forbund:
        """The förbund of a record that has its own: the user's, or a superuser's choice."""
        if form.instance.forbund_id:
            forbund: Forbund = form.instance.forbund
            return forbund
        return permissions.forbund_for_user(request.user)

    def ta_bort(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Nothing yet: the service writes in save_related, with the inlines' rows."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        try:
            sparat = self.spara(request, form, formsets, change)
        except ValidationError as exc:
            raise TjanstenNekade(exc) from exc
        form.instance.pk = sparat.pk
        form.instance.refresh_from_db()

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except TjanstenNekade as nekad:
            # The save's transaction is rolled back; the same post again, with the form
            # carrying the service's messages, is the form page with its errors.
            if request in _NEKAT:
                raise
            _NEKAT[request] = nekad.fel
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if (fel := _NEKAT.get(request)) is None:
            return form
        attrs = {"tjanstens_fel": fel, "tjanstens_falt": self.tjanstens_falt}
        return type(form.__name__, (MedTjanstensFel, form), attrs)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.ta_bort(request, obj)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """A deletion the service refuses (the ledger, an approved month) is shown on the
        object's page with the rule's message; nothing is deleted."""
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, meddelanden(exc), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # One at a time through the service, which may refuse with a reason: no bulk delete.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def fel_pa_formular(
    form: Any, fel: list[regler.Fel], falt: dict[str, str | None] | None = None
) -> None:
    """Put the rules' messages on the admin form's fields (the whole form for the rest)."""
    if fel:
        service_fel_pa_falt(form, regler.som_fel(fel), falt)


class RegelForm(forms.ModelForm):
    """An admin form whose check is one rule of `registrering.regler`: `regel` asks it with the
    cleaned values, and its messages land at their fields (only when the fields themselves
    are valid)."""

    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        super().clean()
        if not self.errors:
            fel_pa_formular(self, self.regel(self.cleaned_data))
        return self.cleaned_data


def formset_rader(formset: Any, nyckel: str) -> dict[int, int]:
    """An inline's rows as {key's pk: antal}, without the rows marked for deletion."""
    rader: dict[int, int] = {}
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data and not data.get("DELETE") and data.get(nyckel) is not None and data.get("antal"):
            rader[data[nyckel].pk] = data["antal"]
    return rader


class RaderGenomTjanst(BaseInlineFormSet):
    """An inline's rows, each written by a service (which writes its audit row) instead of by
    the formset, for a parent that has no service of its own: `rad_fel` asks the service's
    rules about a changed row (shown at the row), `spara_rad` and `ta_bort_rad` write. A row
    whose key (`nyckel`) changes is moved: the old row is removed and the new one saved, so
    that no copy is left under the old key. `relation` is the parent's name for the rows."""

    nyckel: tuple[str, ...] = ()
    relation = ""

    def rad_fel(self, data: dict[str, Any]) -> list[regler.Fel]:
        raise NotImplementedError

    def spara_rad(self, user: User, data: dict[str, Any]) -> None:
        raise NotImplementedError

    @classmethod
    def ta_bort_rad(cls, user: User, rad: Any) -> None:
        raise NotImplementedError

    def _andrade(self) -> list[Any]:
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and (form.has_changed() or form.cleaned_data.get("DELETE"))
        ]

    def clean(self) -> None:
        super().clean()
        for form in self._andrade():
            # A field that could not be read has its message already; the rules read the rest.
            lasta = all(falt == NON_FIELD_ERRORS for falt in form.errors)
            if lasta and not form.cleaned_data.get("DELETE"):
                fel_pa_formular(form, self.rad_fel(form.cleaned_data))

    def spara_genom_tjansten(self, user: User) -> None:
        andrade = self._andrade()
        # Removed and moved rows first: a saved row may take the key a moved row had.
        for form in andrade:
            flyttad = any(falt in form.changed_data for falt in self.nyckel)
            if form.instance.pk and (form.cleaned_data.get("DELETE") or flyttad):
                self.ta_bort_rad(user, self.model._default_manager.get(pk=form.instance.pk))
        for form in andrade:
            if not form.cleaned_data.get("DELETE"):
                self.spara_rad(user, form.cleaned_data)
