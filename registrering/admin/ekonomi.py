"""The year's bilaga and plan: comments, the compilation date, the verksamhetsplan, cost
posts and their utfall.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from registrering.admin.bas import BasAdmin, LoggadeRader, RelatedOnly, visa_ar
from registrering.models import (
    Arsbilaga,
    Kommentar,
    Kostnadspost,
    Utfall,
    Verksamhetsplan,
)


class UtfallInline(LoggadeRader):
    model = Utfall
    audit_relation, audit_varde = "utfall", "belopp"

    @classmethod
    def nyckel(cls, rad: Any) -> str:
        return f"månad {rad.manad}" if rad.manad else f"kvartal {rad.kvartal}"


@admin.register(Kommentar)
class KommentarAdmin(BasAdmin):
    list_display = ("avsnitt", visa_ar, "kort_text")
    list_filter = ("ar", "avsnitt")
    search_fields = ("text",)
    ordering = ("-ar", "avsnitt")

    @admin.display(description="kommentar")
    def kort_text(self, obj: Kommentar) -> str:
        return obj.text if len(obj.text) <= 80 else f"{obj.text[:79]}…"


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
