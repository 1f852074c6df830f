"""Corrections and history: the ingående balans, justeringar, yearly totals before the product
and the budgeted volumes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from registrering import permissions, regler, resources, services
from registrering.admin.bas import (
    BasAdmin,
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
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors:
            fel_pa_formular(
                self,
                regler.arstotal(
                    deltagare=Kon(data["deltagare_kvinnor"], data["deltagare_man"]),
                    nya=Kon(data["nya_kvinnor"], data["nya_man"]),
                    avslutade=Kon(data["avslutade_kvinnor"], data["avslutade_man"]),
                ),
            )
        return data


@admin.register(Arstotal)
class ArstotalAdmin(ImportExport, BasAdmin):
    resource_classes = (resources.ArstotalResource,)
    form = ArstotalAdminForm
    forbund_path = "insats__forbund"
    list_display = ("insats", visa_ar, *ARSTOTALFALT)
    list_filter = ("ar", "kalla", ("insats", RelatedOnly))
    list_select_related = ("insats",)
    search_fields = ("insats__namn",)
    ordering = ("-ar", "insats__ordning", "insats__namn")
    autocomplete_fields = ("insats",)


@admin.register(BudgeteradVolym)
class BudgeteradVolymAdmin(ImportExport, GenomTjanst):
    resource_classes = (resources.BudgeteradVolymResource,)
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
