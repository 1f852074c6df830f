"""Corrections and history: the ingående balans, justeringar, yearly totals before the product
and the budgeted volumes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from registrering import resources
from registrering.admin.bas import BasAdmin, RelatedOnly, visa_ar
from registrering.admin.filer import ImportExport
from registrering.admin.fordelningar import IngaendeBalansHuvudmanInline
from registrering.models import (
    Arstotal,
    BudgeteradVolym,
    IngaendeBalans,
    Justering,
)


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
