"""Breakdowns of a total (avslutade per avslutsanledning, nya per huvudman, the ingående
balans per huvudman): edited only as inlines of what they split, checked by `regler.fordelning`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from registrering import regler, resources
from registrering.admin.bas import EndastViaForalder, LoggadeRader, RelatedOnly, formset_rader
from registrering.admin.filer import ImportExport
from registrering.models import (
    AvslutadePerAnledning,
    Huvudman,
    IngaendeBalansHuvudman,
    NyaPerHuvudman,
)


class FordelningFormSet(BaseInlineFormSet):
    """Rows that split a total of the parent (e.g. avslutade per avslutsanledning), checked by
    `regler.fordelning` as in the services: no rows means "not given"; otherwise each key must
    be valid for the parent and the rows must add up to the total."""

    total_falt: tuple[str, ...] = ()
    nyckel_falt = ""
    vad = ""
    per = ""

    def giltiga(self) -> dict[int, str]:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        fel = regler.fordelning(
            formset_rader(self, self.nyckel_falt),
            giltiga=self.giltiga(),
            total=sum(getattr(self.instance, falt) or 0 for falt in self.total_falt),
            vad=self.vad,
            per=self.per,
            falt=self.nyckel_falt,
        )
        if fel:
            raise ValidationError([f.text for f in fel])


class AvslutFormSet(FordelningFormSet):
    total_falt = ("avslutade_kvinnor", "avslutade_man")
    nyckel_falt, vad, per = "anledning", "avslutade", "avslutsanledning"

    def giltiga(self) -> dict[int, str]:
        if not self.instance.insats_id:
            return {}
        return {a.pk: a.namn for a in self.instance.insats.avslutsanledningar.all()}


class HuvudmanFormSet(FordelningFormSet):
    nyckel_falt, per = "huvudman", "huvudman"

    def giltiga(self) -> dict[int, str]:
        if not self.instance.insats_id:
            return {}
        forbund_id = self.instance.insats.forbund_id
        return {h.pk: h.namn for h in Huvudman.objects.filter(forbund_id=forbund_id)}


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


class ManadensFordelningAdmin(ImportExport, EndastViaForalder):
    """A breakdown of one month: in a locked month it cannot be removed."""

    forbund_path = "rapport__insats__forbund"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.rapport.last) and super().has_delete_permission(
            request, obj
        )


@admin.register(AvslutadePerAnledning)
class AvslutadePerAnledningAdmin(ManadensFordelningAdmin):
    resource_classes = (resources.AvslutadePerAnledningResource,)
    list_display = ("rapport", "anledning", "antal")
    list_filter = ("rapport__ar", ("rapport__insats", RelatedOnly), ("anledning", RelatedOnly))
    list_select_related = ("rapport__insats", "anledning")
    search_fields = ("rapport__insats__namn", "anledning__namn")
    ordering = ("-rapport__ar", "-rapport__manad", "rapport__insats__namn", "anledning__namn")


@admin.register(NyaPerHuvudman)
class NyaPerHuvudmanAdmin(ManadensFordelningAdmin):
    resource_classes = (resources.NyaPerHuvudmanResource,)
    list_display = ("rapport", "huvudman", "antal")
    list_filter = ("rapport__ar", ("rapport__insats", RelatedOnly), ("huvudman", RelatedOnly))
    list_select_related = ("rapport__insats", "huvudman")
    search_fields = ("rapport__insats__namn", "huvudman__namn")
    ordering = ("-rapport__ar", "-rapport__manad", "rapport__insats__namn", "huvudman__ordning")


@admin.register(IngaendeBalansHuvudman)
class IngaendeBalansHuvudmanAdmin(EndastViaForalder):
    forbund_path = "balans__insats__forbund"
    list_display = ("balans", "huvudman", "antal")
    list_filter = ("balans__ar", ("huvudman", RelatedOnly))
    list_select_related = ("balans__insats", "huvudman")
    search_fields = ("balans__insats__namn", "huvudman__namn")
    ordering = ("-balans__ar", "balans__insats__namn", "huvudman__ordning")
