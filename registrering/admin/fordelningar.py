"""Breakdowns of a total (avslutade per avslutsanledning, nya per huvudman, the ingående
balans per huvudman): edited only as inlines of what they split, checked by `regler.fordelning`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from registrering import resources
from registrering.admin.bas import EndastViaForalder, LoggadeRader, RelatedOnly
from registrering.admin.filer import ImportExport
from registrering.models import (
    AvslutadePerAnledning,
    Huvudman,
    IngaendeBalansHuvudman,
    NyaPerHuvudman,
)


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


@admin.register(IngaendeBalansHuvudman)
class IngaendeBalansHuvudmanAdmin(EndastViaForalder):
    forbund_path = "balans__insats__forbund"
    list_display = ("balans", "huvudman", "antal")
    list_filter = ("balans__ar", ("huvudman", RelatedOnly))
    list_select_related = ("balans__insats", "huvudman")
    search_fields = ("balans__insats__namn", "huvudman__namn")
    ordering = ("-balans__ar", "balans__insats__namn", "huvudman__ordning")
