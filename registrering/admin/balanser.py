"""Corrections and history: the ingående balans, justeringar, yearly totals before the product
and the budgeted volumes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from registrering import permissions, resources, services
from registrering.admin.bas import (
    GenomTjanst,
    RelatedOnly,
    fel_pa_formular,
    formset_rader,
    visa_ar,
)
from registrering.admin.filer import ImportExport
from registrering.admin.fordelningar import BalansHuvudmanFormSet, IngaendeBalansHuvudmanInline
from registrering.ledger import Kon
from registrering.models import (
    Arstotal,
    BudgeteradVolym,
    IngaendeBalans,
    Justering,
)
from registrering.services.balans import ARSTOTALFALT


class IngaendeBalansAdminForm(forms.ModelForm):
    """The balance under `services.ingaende_balans_fel` (its breakdown by huvudman is checked
    by the inline): a headcount that differs from last December's closing balance needs a
    reason, and no month may end with fewer than zero participants."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        insats = data.get("insats") or (self.instance.insats if self.instance.insats_id else None)
        ar = data.get("ar", self.instance.ar)
        if insats is None or ar is None or self.errors:
            return data
        fel_pa_formular(
            self,
            services.ingaende_balans_fel(
                insats=insats,
                ar=ar,
                balans=Kon(data.get("kvinnor") or 0, data.get("man") or 0),
                anledning=data.get("anledning", ""),
                per_huvudman=None,
            ),
            {"per_huvudman": None},
        )
        return data


@admin.register(IngaendeBalans)
class IngaendeBalansAdmin(ImportExport, GenomTjanst):
    resource_classes = (resources.IngaendeBalansResource,)
    form = IngaendeBalansAdminForm
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ("insats", visa_ar, "bekraftad_av", "bekraftad_tid")
        return self.readonly_fields

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> IngaendeBalans:
        data = form.cleaned_data
        rader = next((fs for fs in formsets if isinstance(fs, BalansHuvudmanFormSet)), None)
        return services.ingaende_balans_satt(
            user=permissions.inloggad(request),
            insats=form.instance.insats,
            ar=form.instance.ar,
            kvinnor=data["kvinnor"],
            man=data["man"],
            per_huvudman=formset_rader(rader, "huvudman") if rader else None,
            anledning=data.get("anledning", ""),
        )

    def ta_bort(self, request: HttpRequest, obj: IngaendeBalans) -> None:
        services.ingaende_balans_ta_bort(user=permissions.inloggad(request), balans=obj)


class JusteringAdminForm(forms.ModelForm):
    """The justering under `services.justering_fel`: it changes the count, says why, and
    leaves no month from its own on with fewer than zero participants."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        insats = data.get("insats") or (self.instance.insats if self.instance.insats_id else None)
        if insats is None or self.errors:
            return data
        fel_pa_formular(
            self,
            services.justering_fel(
                insats=insats,
                ar=data["ar"],
                manad=data["manad"],
                andring=Kon(data["kvinnor"], data["man"]),
                anledning=data.get("anledning", ""),
                ersatter=Justering.objects.get(pk=self.instance.pk) if self.instance.pk else None,
            ),
        )
        return data


@admin.register(Justering)
class JusteringAdmin(ImportExport, GenomTjanst):
    resource_classes = (resources.JusteringResource,)
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ("insats", "skapad_av", "skapad_tid")
        return self.readonly_fields

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Justering:
        data = form.cleaned_data
        falt = {f: data[f] for f in ("ar", "manad", "kvinnor", "man", "anledning")}
        if change:
            return services.justering_andra(
                user=permissions.inloggad(request), justering=form.instance, **falt
            )
        return services.justering_skapa(
            user=permissions.inloggad(request), insats=data["insats"], **falt
        )

    def ta_bort(self, request: HttpRequest, obj: Justering) -> None:
        services.justering_ta_bort(user=permissions.inloggad(request), justering=obj)


class ArstotalAdminForm(forms.ModelForm):
    """The year's totals under `services.arstotal_fel`: counts, a source, the year, and never
    more nya or avslutade than deltagare."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "kalla" in self.fields:  # required by the rule, with its message
            self.fields["kalla"].required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        ar = data.get("ar", self.instance.ar)
        if ar is None or self.errors:
            return data
        varden = {falt: data.get(falt, getattr(self.instance, falt)) for falt in ARSTOTALFALT}
        fel_pa_formular(self, services.arstotal_fel(ar=ar, varden=varden))
        return data


@admin.register(Arstotal)
class ArstotalAdmin(ImportExport, GenomTjanst):
    resource_classes = (resources.ArstotalResource,)
    form = ArstotalAdminForm
    forbund_path = "insats__forbund"
    list_display = ("insats", visa_ar, *ARSTOTALFALT)
    list_filter = ("ar", "kalla", ("insats", RelatedOnly))
    list_select_related = ("insats",)
    search_fields = ("insats__namn",)
    ordering = ("-ar", "insats__ordning", "insats__namn")
    autocomplete_fields = ("insats",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The service writes the totals of an insats and a year: another year is another row.
        return ("insats", visa_ar) if obj is not None else ()

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Arstotal:
        data = form.cleaned_data
        return services.arstotal_spara(
            user=permissions.inloggad(request),
            insats=form.instance.insats,
            ar=form.instance.ar,
            varden={falt: data[falt] for falt in ARSTOTALFALT if falt in data},
        )

    def ta_bort(self, request: HttpRequest, obj: Arstotal) -> None:
        services.arstotal_ta_bort(user=permissions.inloggad(request), arstotal=obj)


class BudgeteradVolymAdminForm(forms.ModelForm):
    """The volume target under `services.budgeterad_volym_fel`: the year and the count."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        ar = data.get("ar", self.instance.ar)
        if ar is None or self.errors:
            return data
        fel_pa_formular(self, services.budgeterad_volym_fel(ar=ar, volym=data.get("volym")))
        return data


@admin.register(BudgeteradVolym)
class BudgeteradVolymAdmin(ImportExport, GenomTjanst):
    resource_classes = (resources.BudgeteradVolymResource,)
    form = BudgeteradVolymAdminForm
    forbund_path = "insats__forbund"
    list_display = ("insats", visa_ar, "volym")
    list_filter = ("ar", ("insats", RelatedOnly))
    list_select_related = ("insats",)
    search_fields = ("insats__namn",)
    ordering = ("-ar", "insats__ordning", "insats__namn")
    autocomplete_fields = ("insats",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("insats", visa_ar) if obj is not None else ()

    def spara(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> BudgeteradVolym:
        return services.budgeterad_volym_satt(
            user=permissions.inloggad(request),
            insats=form.instance.insats,
            ar=form.instance.ar,
            volym=form.cleaned_data["volym"],
        )

    def ta_bort(self, request: HttpRequest, obj: BudgeteradVolym) -> None:
        services.budgeterad_volym_ta_bort(user=permissions.inloggad(request), budget=obj)
