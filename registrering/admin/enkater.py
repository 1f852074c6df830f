"""Survey questions, answer options, occasions and answer counts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest

from registrering import permissions, resources, services
from registrering.admin.bas import (
    BasAdmin,
    GenomTjanst,
    LoggadeRader,
    RaderGenomTjanst,
    RelatedOnly,
    ValInomForbund,
    fel_pa_formular,
)
from registrering.admin.filer import ImportExport
from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Svarsalternativ,
    User,
)
from registrering.regler import Fel


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


class EnkatsvarFormSet(RaderGenomTjanst):
    """An occasion's answers, each row under `services.enkatsvar_fel` and written (and
    audited) by `services.enkatsvar_satt`, as in the Enkätsvar list and the import. A row moved
    to another answer option is removed there and saved here."""

    nyckel = ("alternativ",)
    relation = "svar"

    def rad_fel(self, data: dict[str, Any]) -> list[Fel]:
        return services.enkatsvar_fel(antal=data.get("antal"))

    def spara_rad(self, user: User, data: dict[str, Any]) -> None:
        services.enkatsvar_satt(
            user=user, tillfalle=self.instance, alternativ=data["alternativ"], antal=data["antal"]
        )

    @classmethod
    def ta_bort_rad(cls, user: User, rad: Enkatsvar) -> None:
        services.enkatsvar_ta_bort(user=user, svar=rad)


class EnkatsvarInline(AlternativMedFraga, ValInomForbund, admin.TabularInline):
    model = Enkatsvar
    formset = EnkatsvarFormSet
    extra = 0


class EnkatsvarAdminForm(forms.ModelForm):
    """The number of answers under `services.enkatsvar_fel`."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "antal" in data:
            fel_pa_formular(self, services.enkatsvar_fel(antal=data["antal"]))
        return data


@admin.register(Enkat)
class EnkatAdmin(GenomTjanst):
    """The förbund's question sets (the NNS catalogue's and the training survey come with the
    förbund); created and renamed through `services.enkat_spara`. An enkät is not deleted: its
    rounds keep their answers."""

    list_display = ("namn", "slag", "antal_fragor")
    list_filter = ("slag",)
    search_fields = ("namn", "beskrivning")
    ordering = ("namn",)
    fields = ("namn", "slag", "beskrivning")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(antal_fragor_=Count("fragor"))

    @admin.display(description="frågor", ordering="antal_fragor_")
    def antal_fragor(self, obj: Any) -> int:
        return int(obj.antal_fragor_ or 0)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Enkat:
        data = form.cleaned_data
        return services.enkat_spara(
            user=permissions.inloggad(request),
            enkat=form.instance if change else None,
            forbund=self.forbund_for(request, form),
            namn=data["namn"],
            beskrivning=data.get("beskrivning", ""),
            slag=data["slag"],
        )


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
    # The enkät, group, source, link and state are set by the services (enkattillfalle_skapa,
    # _stang, _oppna) and the answers: here they are shown, not changed.
    readonly_fields = ("enkat", "respondentgrupp", "kalla", "lank", "stangd", "antal_svar")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(summa_svar=Sum("svar__antal"))

    @admin.display(description="antal svar", ordering="summa_svar")
    def antal_svar(self, obj: Any) -> int:
        return obj.summa_svar or 0


@admin.register(Enkatsvar)
class EnkatsvarAdmin(AlternativMedFraga, ImportExport, GenomTjanst):
    resource_classes = (resources.EnkatsvarResource,)
    form = EnkatsvarAdminForm
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The service writes the count of an occasion and an option: another is another row.
        return ("tillfalle", "alternativ") if obj is not None else ()

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Enkatsvar:
        return services.enkatsvar_satt(
            user=permissions.inloggad(request),
            tillfalle=form.instance.tillfalle,
            alternativ=form.instance.alternativ,
            antal=form.cleaned_data["antal"],
        )

    def ta_bort(self, request: HttpRequest, obj: Enkatsvar) -> None:
        services.enkatsvar_ta_bort(user=permissions.inloggad(request), svar=obj)
