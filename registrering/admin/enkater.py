"""Survey questions, answer options, occasions and answer counts."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

from registrering import resources
from registrering.admin.bas import BasAdmin, LoggadeRader, RelatedOnly
from registrering.admin.filer import ImportExport
from registrering.models import (
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Svarsalternativ,
)


class SvarsalternativInline(LoggadeRader):
    model = Svarsalternativ
    audit_relation, audit_nyckel = "alternativ", "text"

    @classmethod
    def varde(cls, rad: Any) -> Any:
        return f"ordning {rad.ordning}, {'positivt' if rad.positivt else 'inte positivt'}"


def alternativ_med_fraga(alternativ: Svarsalternativ) -> str:
    return f"{alternativ.fraga.text} – {alternativ.text}"


class AlternativMedFraga:
    """The answer option's choices name their question: "Ja" belongs to several questions."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if db_field.name == "alternativ":
            field.queryset = field.queryset.select_related("fraga")
            field.label_from_instance = alternativ_med_fraga
        return field


class EnkatsvarInline(AlternativMedFraga, LoggadeRader):
    model = Enkatsvar
    # The same answer ("Ja") can belong to several questions: the key names both.
    audit_relation, audit_nyckel = "svar", "alternativ.fraga.text"

    @classmethod
    def nyckel(cls, rad: Any) -> str:
        return alternativ_med_fraga(rad.alternativ)


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
class EnkatsvarAdmin(AlternativMedFraga, ImportExport, BasAdmin):
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
