"""Outcomes and effects: outcome goals per insats and year, the förbund's key figures per year
and the transition matrices' cells. Every save (and delete) is a service's of
`registrering.services.effekter`, and every form asks the same rules first. Key figures are
versioned per year and never deleted (a year without them gets the previous year's again).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from registrering import permissions, regler, resources, services
from registrering.admin.bas import GenomTjanst, RegelForm, RelatedOnly, fel_pa_formular, visa_ar
from registrering.admin.filer import ImportExport
from registrering.models import (
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Forflyttning,
    Inkomstnyckeltal,
    Utfallsmal,
)
from registrering.services.effekter import ENKLA_FALT, INKOMSTENS_FALT


class ProcentFalt(forms.CharField):
    """A rate as people write it ("20,67", "31,42 %"), read by `regler.las_decimaltal`; what
    it may be is the rules' to say."""

    def __init__(
        self, *, max_digits: int | None = None, decimal_places: int | None = None, **kwargs: Any
    ) -> None:
        kwargs.pop("max_length", None)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            text = f"{value:f}"
            return (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")
        return value

    def clean(self, value: Any) -> Decimal | None:
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return regler.las_decimaltal(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class EffektAdmin(ImportExport, GenomTjanst):
    """What the admins of this module share: rates read with a decimal comma."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.get_internal_type() == "DecimalField":
            return db_field.formfield(form_class=ProcentFalt, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _ar(form: forms.ModelForm) -> Any:
    return form.cleaned_data.get("ar", form.instance.ar)


# --- Outcome goals ------------------------------------------------------------------------------


class UtfallsmalAdminForm(RegelForm):
    """The goal under `regler.utfallsmal`: a whole percentage 0–100."""

    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        return regler.utfallsmal(data.get("procent"))


@admin.register(Utfallsmal)
class UtfallsmalAdmin(EffektAdmin):
    resource_classes = (resources.UtfallsmalResource,)
    form = UtfallsmalAdminForm
    forbund_path = "insats__forbund"
    list_display = ("insats", visa_ar, "procent")
    list_filter = ("ar", ("insats", RelatedOnly))
    list_select_related = ("insats",)
    search_fields = ("insats__namn",)
    ordering = ("-ar", "insats__ordning", "insats__namn")
    autocomplete_fields = ("insats",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("insats", visa_ar) if obj is not None else ()

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Utfallsmal:
        return services.utfallsmal_satt(
            user=permissions.inloggad(request),
            insats=form.instance.insats,
            ar=form.instance.ar,
            procent=form.cleaned_data["procent"],
        )

    def ta_bort(self, request: HttpRequest, obj: Utfallsmal) -> None:
        services.utfallsmal_ta_bort(user=permissions.inloggad(request), mal=obj)


# --- Key figures --------------------------------------------------------------------------------


class NyckeltalAdmin(EffektAdmin):
    """A year's key figures of the förbund: saved through a service, never deleted."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (visa_ar,) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EffektnyckeltalAdminForm(RegelForm):
    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        return regler.effektnyckeltal(
            kostnad_per_manad=data.get("kostnad_per_manad"),
            skatt_per_manad=data.get("skatt_per_manad"),
        )


@admin.register(Effektnyckeltal)
class EffektnyckeltalAdmin(NyckeltalAdmin):
    resource_classes = (resources.EffektnyckeltalResource,)
    form = EffektnyckeltalAdminForm
    list_display = (visa_ar, *ENKLA_FALT)
    list_filter = ("ar",)
    ordering = ("-ar",)

    def spara(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> Effektnyckeltal:
        data = form.cleaned_data
        return services.effektnyckeltal_spara(
            user=permissions.inloggad(request),
            forbund=self.forbund_for(request, form),
            ar=form.instance.ar,
            kostnad_per_manad=data["kostnad_per_manad"],
            skatt_per_manad=data["skatt_per_manad"],
            kalla=data.get("kalla", ""),
            kalla_datum=data.get("kalla_datum"),
        )


class ErsattningsnyckeltalAdminForm(RegelForm):
    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        return regler.ersattningsnyckeltal(
            kod=data.get("kod", self.instance.kod) or "",
            namn=data.get("namn") or "",
            betalare=data.get("betalare") or "",
            arsbelopp=data.get("arsbelopp"),
            okning=data.get("okning"),
        )


@admin.register(Ersattningsnyckeltal)
class ErsattningsnyckeltalAdmin(NyckeltalAdmin):
    resource_classes = (resources.ErsattningsnyckeltalResource,)
    form = ErsattningsnyckeltalAdminForm
    exclude = ("ordning",)  # the service's: a new benefit comes last
    list_display = ("namn", "kod", visa_ar, "betalare", "arsbelopp", "okning", "skattepliktig")
    list_filter = ("ar", "betalare")
    search_fields = ("namn", "kod")
    ordering = ("-ar", "ordning", "namn")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (visa_ar, "kod") if obj is not None else ()

    def spara(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> Ersattningsnyckeltal:
        data = form.cleaned_data
        return services.ersattningsnyckeltal_spara(
            user=permissions.inloggad(request),
            forbund=self.forbund_for(request, form),
            ar=form.instance.ar,
            kod=form.instance.kod,
            namn=data["namn"],
            betalare=data["betalare"],
            arsbelopp=data["arsbelopp"],
            okning=data["okning"],
            skattepliktig=data.get("skattepliktig", False),
            kalla=data.get("kalla", ""),
        )


class InkomstnyckeltalAdminForm(RegelForm):
    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        return regler.inkomstnyckeltal(**{k: data.get(k) for k in INKOMSTENS_FALT if k != "kalla"})


@admin.register(Inkomstnyckeltal)
class InkomstnyckeltalAdmin(NyckeltalAdmin):
    resource_classes = (resources.InkomstnyckeltalResource,)
    form = InkomstnyckeltalAdminForm
    list_display = (visa_ar, "arslon", "kommunalskatt", "regionskatt", "arbetsgivaravgift")
    list_filter = ("ar",)
    ordering = ("-ar",)

    def spara(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> Inkomstnyckeltal:
        data = form.cleaned_data
        return services.inkomstnyckeltal_spara(
            user=permissions.inloggad(request),
            forbund=self.forbund_for(request, form),
            ar=form.instance.ar,
            varden={k: data.get(k, "") for k in INKOMSTENS_FALT},
        )


# --- Transitions --------------------------------------------------------------------------------


class ForflyttningAdminForm(forms.ModelForm):
    """One cell under `regler.forflyttningar`, against the year's benefits (or those the year
    will get: `services.ersattningar_infor_aret`). A cell is removed by deleting it."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        insats = data.get("insats") or getattr(self.instance, "insats", None)
        if self.errors or insats is None:
            return data
        fran = data.get("fran", self.instance.fran)
        till = data.get("till", self.instance.till)
        ersattningar = services.ersattningar_infor_aret(insats.forbund, _ar(self))
        # The rule names the part of the cell (fran, till, antal): the form's field of it.
        fel = [
            regler.Fel(del_, text)
            for del_, text in regler.forflyttningsfel(
                fran, till, data.get("antal"), ersattningar=ersattningar
            )
        ]
        fel_pa_formular(self, fel)
        if not fel and data.get("antal") == 0:
            self.add_error("antal", "Antalet 0 tar bort förflyttningen: ta bort raden i stället.")
        return data


@admin.register(Forflyttning)
class ForflyttningAdmin(EffektAdmin):
    resource_classes = (resources.ForflyttningResource,)
    form = ForflyttningAdminForm
    forbund_path = "insats__forbund"
    list_display = ("insats", visa_ar, "fran", "till", "antal")
    list_filter = ("ar", ("insats", RelatedOnly))
    list_select_related = ("insats",)
    search_fields = ("insats__namn", "fran", "till")
    ordering = ("-ar", "insats__ordning", "insats__namn", "fran", "till")
    autocomplete_fields = ("insats",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("insats", visa_ar, "fran", "till") if obj is not None else ()

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Forflyttning:
        rad = form.instance
        services.forflyttningar_spara(
            user=permissions.inloggad(request),
            insats=rad.insats,
            ar=rad.ar,
            matris={(rad.fran, rad.till): form.cleaned_data["antal"]},
        )
        return Forflyttning.objects.get(insats=rad.insats, ar=rad.ar, fran=rad.fran, till=rad.till)

    def ta_bort(self, request: HttpRequest, obj: Forflyttning) -> None:
        services.forflyttningar_spara(
            user=permissions.inloggad(request),
            insats=obj.insats,
            ar=obj.ar,
            matris={(obj.fran, obj.till): 0},
        )
