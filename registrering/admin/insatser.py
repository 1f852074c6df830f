"""Insatser and avslutsanledningar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from registrering import resources
from registrering.admin.bas import BasAdmin, RelatedOnly
from registrering.admin.filer import ImportExport
from registrering.models import (
    Avslutsanledning,
    Insats,
)


class InsatsAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        uppfoljning = data.get("uppfoljning", self.instance.uppfoljning)
        volymenhet = data.get("volymenhet", self.instance.volymenhet)
        if uppfoljning == Insats.Uppfoljning.VOLYM and not volymenhet:
            self.add_error("volymenhet", "Ange volymenhet för en volyminsats.")
        if uppfoljning == Insats.Uppfoljning.DELTAGARFLODE and volymenhet:
            self.add_error("volymenhet", "Volymenhet anges bara för volyminsatser.")
        start, slut = data.get("startdatum"), data.get("slutdatum")
        if start and slut and slut < start:
            self.add_error("slutdatum", "Slutdatum kan inte vara före startdatum.")
        return data


@admin.register(Insats)
class InsatsAdmin(ImportExport, BasAdmin):
    resource_classes = (resources.InsatsResource,)
    form = InsatsAdminForm
    list_display = (
        "namn",
        "inriktning",
        "preciserad_inriktning",
        "uppfoljning",
        "grupp",
        "utforande_medlem",
        "startdatum",
        "slutdatum",
        "ordning",
    )
    list_filter = (
        "inriktning",
        "uppfoljning",
        "esf_finansierad",
        ("grupp", RelatedOnly),
        ("utforande_medlem", RelatedOnly),
    )
    list_select_related = ("grupp", "utforande_medlem")
    search_fields = ("namn", "beskrivning")
    ordering = ("ordning", "namn")
    filter_horizontal = ("malgrupper", "insatsansvariga")
    fieldsets = (
        (None, {"fields": ("forbund", "namn", "grupp", "utforande_medlem", "ordning")}),
        (
            "Inriktning och uppföljning",
            {
                "fields": (
                    "inriktning",
                    "preciserad_inriktning",
                    "malgrupper",
                    "uppfoljning",
                    "volymenhet",
                    "esf_finansierad",
                )
            },
        ),
        ("Period", {"fields": ("startdatum", "slutdatum")}),
        ("Ansvariga och beskrivning", {"fields": ("insatsansvariga", "beskrivning")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not request.user.is_superuser:
            # As in Uppföljning Finsam: fixed once the insats exists.
            return ("inriktning", "uppfoljning", "volymenhet", "esf_finansierad")
        return ()


@admin.register(Avslutsanledning)
class AvslutsanledningAdmin(BasAdmin):
    list_display = ("namn", "uppsattning", "klass", "kategori", "rapportetikett", "ordning")
    list_filter = ("uppsattning", "klass", "kategori")
    search_fields = ("namn", "rapportetikett", "uppsattning")
    ordering = ("uppsattning", "ordning", "namn")
    filter_horizontal = ("insatser",)
