"""Insatser and avslutsanledningar."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Model
from django.http import HttpRequest

from registrering import permissions, resources, services
from registrering.admin.bas import GenomTjanst, RelatedOnly, fel_pa_formular
from registrering.admin.filer import ImportExport
from registrering.adresser import adressmall
from registrering.models import (
    Avslutsanledning,
    Insats,
)
from registrering.services.insats import INSATSFALT
from registrering.services.katalog import ANLEDNINGSFALT, avslutsanledning_spara


class InsatsAdminForm(forms.ModelForm):
    """The insats under `services.insats_fel`: its attributes agree, and inriktning,
    uppföljning, volymenhet and ESF-finansiering stay as they are once it exists."""

    far_andra_fasta = False  # set per request by InsatsAdmin.get_form

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        befintlig = Insats.objects.get(pk=self.instance.pk) if self.instance.pk else None
        varden = {f: data[f] for f in INSATSFALT if f in data}
        fel_pa_formular(
            self,
            services.insats_fel(
                befintlig=befintlig, varden=varden, far_andra_fasta=self.far_andra_fasta
            ),
        )
        return data


class InsatsLista(ChangeList):
    """The insats list, whose rows link to their change page with one `reverse()` for the
    page instead of one per row (issue 15: 100 rows a page at 300 insatser). As Django's own
    for the site it is on; an insats's key is a whole number, which `quote()` leaves as it is."""

    @cached_property
    def _andra(self) -> Callable[..., str]:
        return adressmall(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            1,
            current_app=self.model_admin.admin_site.name,
        )

    def url_for_result(self, result: Model) -> str:
        return self._andra(result.pk)


@admin.register(Insats)
class InsatsAdmin(ImportExport, GenomTjanst):
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

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return InsatsLista

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"far_andra_fasta": request.user.is_superuser})

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Insats:
        data = form.cleaned_data
        forbund = form.instance.forbund if change else self.forbund_for(request, form)
        return services.insats_spara(
            user=permissions.inloggad(request),
            forbund=forbund,
            insats=form.instance if change else None,
            varden={f: data[f] for f in INSATSFALT if f in data},
            malgrupper=data.get("malgrupper"),
            insatsansvariga=data.get("insatsansvariga"),
        )

    def ta_bort(self, request: HttpRequest, obj: Insats) -> None:
        services.insats_ta_bort(user=permissions.inloggad(request), insats=obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not request.user.is_superuser:
            # As in Uppföljning Finsam: fixed once the insats exists.
            return ("inriktning", "uppfoljning", "volymenhet", "esf_finansierad")
        return ()


@admin.register(Avslutsanledning)
class AvslutsanledningAdmin(ImportExport, GenomTjanst):
    # The import sets only the outcome category, through `avslutsanledning_kategori_satt`.
    resource_classes = (resources.AvslutsanledningKategoriResource,)
    list_display = ("namn", "uppsattning", "klass", "kategori", "rapportetikett", "ordning")
    list_filter = ("uppsattning", "klass", "kategori")
    search_fields = ("namn", "rapportetikett", "uppsattning")
    ordering = ("uppsattning", "ordning", "namn")
    filter_horizontal = ("insatser",)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "insatser":
            kwargs["help_text"] = (
                "Tomt för en ny anledning: alla förbundets insatser med deltagarflöde (i en egen "
                "uppsättning, t.ex. ISA: de insatser som redan använder den)."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def spara(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> Avslutsanledning:
        """Through `avslutsanledning_spara`: a new reason with no insatser chosen gets the
        default ones (`insatser_som_standard`)."""
        data = form.cleaned_data
        valda = list(data.get("insatser") or [])
        return avslutsanledning_spara(
            user=permissions.inloggad(request),
            forbund=form.instance.forbund if change else self.forbund_for(request, form),
            anledning=form.instance if change else None,
            varden={f: data[f] for f in ANLEDNINGSFALT if f in data},
            insatser=valda if change or valda else None,
        )

    def ta_bort(self, request: HttpRequest, obj: Avslutsanledning) -> None:
        services.avslutsanledning_ta_bort(user=permissions.inloggad(request), anledning=obj)
