"""The year's bilaga and plan: comments, the compilation date, the verksamhetsplan, cost
posts and their utfall.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from registrering import permissions, regler, resources, services
from registrering.admin.bas import (
    GenomTjanst,
    RaderGenomTjanst,
    RegelForm,
    RelatedOnly,
    ValInomForbund,
    fel_pa_formular,
    visa_ar,
)
from registrering.admin.filer import ImportExport
from registrering.models import (
    Arsbilaga,
    Kommentar,
    Kostnadspost,
    User,
    Utfall,
    Verksamhetsplan,
)
from registrering.services.plan import PLANFALT, POSTFALT


class UtfallFormSet(RaderGenomTjanst):
    """A post's utfall, each row under `regler.utfall` and written (and audited) by
    `services.utfall_spara`, as in the browser. A row moved to another month or quarter is
    removed there and saved here."""

    nyckel = ("manad", "kvartal")
    relation = "utfall"

    def rad_fel(self, data: dict[str, Any]) -> list[regler.Fel]:
        return regler.utfall(
            belopp=data.get("belopp"), manad=data.get("manad"), kvartal=data.get("kvartal")
        )

    def spara_rad(self, user: User, data: dict[str, Any]) -> None:
        services.utfall_spara(
            user=user,
            post=self.instance,
            belopp=data["belopp"],
            manad=data.get("manad"),
            kvartal=data.get("kvartal"),
            kommentar=data.get("kommentar", ""),
        )

    @classmethod
    def ta_bort_rad(cls, user: User, rad: Utfall) -> None:
        services.utfall_spara(
            user=user, post=rad.post, belopp=None, manad=rad.manad, kvartal=rad.kvartal
        )


class UtfallInline(ValInomForbund, admin.TabularInline):
    model = Utfall
    formset = UtfallFormSet
    extra = 0


class UtfallAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "manad" in self.errors or "kvartal" in self.errors:
            return data
        # On the change page the month and the quarter are read-only: the row's own.
        manad, kvartal = (
            data.get(falt) if falt in self.fields else getattr(self.instance, falt)
            for falt in ("manad", "kvartal")
        )
        fel_pa_formular(
            self, regler.utfall(belopp=data.get("belopp"), manad=manad, kvartal=kvartal)
        )
        return data


class KommentarAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        fel_pa_formular(self, regler.artal(data["ar"]) if "ar" in data else [])
        return data


class ArsbilagaAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        ar = data.get("ar", self.instance.ar)
        if ar is not None and not self.errors:
            fel_pa_formular(
                self, regler.sammanstallningsdatum(data.get("sammanstallningsdatum"), ar=ar)
            )
        return data


@admin.register(Kommentar)
class KommentarAdmin(GenomTjanst):
    form = KommentarAdminForm
    list_display = ("avsnitt", visa_ar, "kort_text")
    list_filter = ("ar", "avsnitt")
    search_fields = ("text",)
    ordering = ("-ar", "avsnitt")

    @admin.display(description="kommentar")
    def kort_text(self, obj: Kommentar) -> str:
        return obj.text if len(obj.text) <= 80 else f"{obj.text[:79]}…"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("avsnitt", visa_ar) if obj is not None else ()

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Kommentar:
        kommentar = services.kommentar_spara(
            user=permissions.inloggad(request),
            forbund=self.forbund_for(request, form),
            ar=form.instance.ar,
            avsnitt=form.instance.avsnitt,
            text=form.cleaned_data["text"],
        )
        assert kommentar is not None  # the form requires a text
        return kommentar

    def ta_bort(self, request: HttpRequest, obj: Kommentar) -> None:
        services.kommentar_spara(
            user=permissions.inloggad(request),
            forbund=obj.forbund,
            ar=obj.ar,
            avsnitt=obj.avsnitt,
            text="",
        )


@admin.register(Arsbilaga)
class ArsbilagaAdmin(GenomTjanst):
    form = ArsbilagaAdminForm
    list_display = (
        visa_ar,
        "sammanstallningsdatum",
        "upprattad_av",
        "publicerad_tid",
        "publicerad_av",
    )
    list_select_related = ("publicerad_av",)
    ordering = ("-ar",)
    # Publishing is the förbundschef's step on the report page, not a field to edit.
    readonly_fields = ("publicerad_tid", "publicerad_av")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return (visa_ar, *self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Arsbilaga:
        return services.arsbilaga_spara(
            user=permissions.inloggad(request),
            forbund=self.forbund_for(request, form),
            ar=form.instance.ar,
            sammanstallningsdatum=form.cleaned_data.get("sammanstallningsdatum"),
            upprattad_av=form.cleaned_data.get("upprattad_av", ""),
        )


class VerksamhetsplanAdminForm(RegelForm):
    """The plan under `regler.verksamhetsplan`, as the import asks it."""

    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        ar = data.get("ar", self.instance.ar)
        if ar is None:
            return []
        return services.verksamhetsplan_fel(
            ar=ar, varden={f: data.get(f) for f in PLANFALT if f in data}, plan=None
        )


@admin.register(Verksamhetsplan)
class VerksamhetsplanAdmin(ImportExport, GenomTjanst):
    resource_classes = (resources.VerksamhetsplanResource,)
    form = VerksamhetsplanAdminForm
    list_display = (
        visa_ar,
        "tilldelning",
        "enkatmal_procent",
        "kapitaltak_procent",
        "eget_kapital_ingaende",
    )
    ordering = ("-ar",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (visa_ar,) if obj is not None else ()

    def spara(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> Verksamhetsplan:
        return services.verksamhetsplan_spara(
            user=permissions.inloggad(request),
            forbund=self.forbund_for(request, form),
            ar=form.instance.ar,
            varden={f: form.cleaned_data[f] for f in PLANFALT if f in form.cleaned_data},
        )

    def ta_bort(self, request: HttpRequest, obj: Verksamhetsplan) -> None:
        services.verksamhetsplan_ta_bort(user=permissions.inloggad(request), plan=obj)


class KostnadspostAdminForm(RegelForm):
    """A cost post under `regler.kostnadspost_fel` (which asks `regler.kostnadspost`: an insats
    only for a cost of insatser, of the förbund and running in the post's year), as the import
    asks it. Without a kind given it is a cost of insatser."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "typ" in self.fields:
            self.fields["typ"].required = False

    def clean_typ(self) -> str:
        return self.cleaned_data.get("typ") or Kostnadspost.Typ.INSATS

    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        forbund = data.get("forbund") or getattr(self.instance, "forbund", None)
        return regler.kostnadspost_fel(
            ar=data.get("ar", self.instance.ar),
            namn=data.get("namn", ""),
            budget=data.get("budget"),
            typ=data.get("typ") or Kostnadspost.Typ.INSATS,
            insats=data.get("insats"),
            forbund_id=forbund.pk if forbund is not None else None,
        )


@admin.register(Kostnadspost)
class KostnadspostAdmin(ImportExport, GenomTjanst):
    resource_classes = (resources.KostnadspostResource,)
    form = KostnadspostAdminForm
    list_display = ("namn", "kod", visa_ar, "typ", "insats", "budget", "ordning")
    list_filter = ("ar", "typ")
    list_select_related = ("insats",)
    search_fields = ("namn", "kod")
    ordering = ("-ar", "ordning", "namn")
    inlines = (UtfallInline,)

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Kostnadspost:
        """The post through `services.kostnadspost_spara`, then its utfall rows through
        `services.utfall_spara` (the inline's formset)."""
        user = permissions.inloggad(request)
        post = services.kostnadspost_spara(
            user=user,
            forbund=self.forbund_for(request, form),
            ar=form.cleaned_data["ar"],
            namn=form.cleaned_data["namn"],
            varden={f: form.cleaned_data[f] for f in POSTFALT if f in form.cleaned_data},
            post=form.instance if change else None,
        )
        form.instance.pk = post.pk
        for formset in formsets:
            formset.instance = post
            self.save_formset(request, form, formset, change)
        return post

    def ta_bort(self, request: HttpRequest, obj: Kostnadspost) -> None:
        services.kostnadspost_ta_bort(user=permissions.inloggad(request), post=obj)


@admin.register(Utfall)
class UtfallAdmin(ImportExport, GenomTjanst):
    resource_classes = (resources.UtfallResource,)
    form = UtfallAdminForm
    forbund_path = "post__forbund"
    list_display = ("post", "manad", "kvartal", "belopp", "kommentar")
    list_filter = ("post__ar", ("post", RelatedOnly))
    list_select_related = ("post",)
    search_fields = ("post__namn", "post__kod", "kommentar")
    ordering = ("-post__ar", "post__ordning", "post__namn", "kvartal", "manad")
    autocomplete_fields = ("post",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("post", "manad", "kvartal") if obj is not None else ()

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Utfall:
        instance = form.instance
        utfall = services.utfall_spara(
            user=permissions.inloggad(request),
            post=instance.post,
            belopp=form.cleaned_data["belopp"],
            manad=instance.manad,
            kvartal=instance.kvartal,
            kommentar=form.cleaned_data.get("kommentar", ""),
        )
        assert utfall is not None
        return utfall

    def ta_bort(self, request: HttpRequest, obj: Utfall) -> None:
        services.utfall_spara(
            user=permissions.inloggad(request),
            post=obj.post,
            belopp=None,
            manad=obj.manad,
            kvartal=obj.kvartal,
        )
