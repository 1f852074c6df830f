"""Medfinansieringar: the other förbund that pay part of the förbund's own insatser, per year.

Only the kansli of the förbund that runs the insats sees and writes them here (the co-financier
sees them in its bilaga); every save and delete is `services.medfinansiering_spara` /
`medfinansiering_ta_bort`, and the form asks the same rule first (`medfinansiering_fel`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from registrering import permissions, regler
from registrering.admin.bas import RegelForm, RelatedOnly, visa_ar
from registrering.admin.effekter import EffektAdmin
from registrering.models import Forbund, Medfinansiering
from registrering.resources.samfinansiering import MedfinansieringResource
from registrering.services.samfinansiering import (
    medfinansiering_fel,
    medfinansiering_spara,
    medfinansiering_ta_bort,
)


class MedfinansieringAdminForm(RegelForm):
    """The row under `regler.medfinansiering`, with the other co-financiers of its year."""

    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        insats = data.get("insats") or getattr(self.instance, "insats", None)
        if insats is None:
            return []
        return medfinansiering_fel(
            insats=insats,
            finansiar=data.get("finansiar"),
            ar=data.get("ar", self.instance.ar),
            belopp=data.get("belopp"),
            andel=data.get("andel"),
            rad=self.instance if self.instance.pk else None,
        )


@admin.register(Medfinansiering)
class MedfinansieringAdmin(EffektAdmin):
    resource_classes = (MedfinansieringResource,)
    form = MedfinansieringAdminForm
    forbund_path = "insats__forbund"
    list_display = ("insats", visa_ar, "finansiar", "belopp", "andel")
    list_filter = ("ar", ("insats", RelatedOnly))
    list_select_related = ("insats", "finansiar")
    search_fields = ("insats__namn", "finansiar__namn")
    ordering = ("-ar", "insats__ordning", "insats__namn", "finansiar__namn")
    autocomplete_fields = ("insats",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("insats",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "finansiar":
            # Any other förbund of the installation may co-finance (their names are no secret);
            # the rule refuses the user's own.
            user = permissions.inloggad(request)
            kwargs["queryset"] = Forbund.objects.exclude(pk=user.forbund_id or 0).order_by("namn")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def spara(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> Medfinansiering:
        rad = form.instance if change else None
        if rad is not None:
            # The form has set the posted values on the instance: the service reads the
            # saved row (old → new) itself.
            rad = Medfinansiering.objects.get(pk=rad.pk)
        return medfinansiering_spara(
            user=permissions.inloggad(request),
            insats=rad.insats if rad is not None else form.cleaned_data["insats"],
            finansiar=form.cleaned_data["finansiar"],
            ar=form.cleaned_data["ar"],
            belopp=form.cleaned_data["belopp"],
            andel=form.cleaned_data["andel"],
            rad=rad,
        )

    def ta_bort(self, request: HttpRequest, obj: Medfinansiering) -> None:
        medfinansiering_ta_bort(user=permissions.inloggad(request), rad=obj)
