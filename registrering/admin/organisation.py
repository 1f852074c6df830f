"""The förbund, its users, members and their population, huvudmän, insatsgrupper, the
national målgrupper and the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from registrering import forbundsregler, permissions, regler, services
from registrering.admin.bas import (
    BasAdmin,
    EndastLasbar,
    GenomTjanst,
    LoggadeRader,
    RegelForm,
    RelatedOnly,
    fel_pa_formular,
    visa_ar,
)
from registrering.audit import beskriv
from registrering.models import (
    AuditEntry,
    Befolkning,
    Forbund,
    Huvudman,
    Insatsgrupp,
    Malgrupp,
    Medlem,
    User,
)
from registrering.services.katalog import HUVUDMANSFALT, huvudman_spara
from registrering.services.medlemmar import medlem_spara, medlem_ta_bort


class BefolkningFormSet(BaseInlineFormSet):
    """A member's population per year, the whole of it: each row kept is asked
    `forbundsregler.medlem_fel` with the member's name and type as the form gives them (only a
    kommun has a population) and `regler.artal`, its messages at the row's fields; the years
    saved before and kept must still be a kommun's (`forbundsregler.medlem_typ_fel`)."""

    def kvar(self) -> list[Any]:
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        namn, typ = self.instance.namn or "", self.instance.typ or ""
        for form in self.kvar():
            data = form.cleaned_data
            if data.get("ar") is None or data.get("invanare") is None:
                continue
            fel = regler.artal(data["ar"]) + forbundsregler.medlem_fel(
                namn=namn, typ=typ, invanare=data["invanare"], ar=data["ar"]
            )
            fel_pa_formular(form, [f for f in fel if f.falt in ("ar", "invanare")])
        sparade = [form.initial["ar"] for form in self.kvar() if form.instance.pk]
        if fel := forbundsregler.medlem_typ_fel(typ=typ, ar_med_befolkning=sparade):
            raise ValidationError([f.text for f in fel])

    def befolkning(self) -> dict[int, int]:
        """The years kept, as {år: invånare}."""
        return {
            form.cleaned_data["ar"]: form.cleaned_data["invanare"]
            for form in self.kvar()
            if form.cleaned_data.get("ar") is not None
        }

    def borttagna_ar(self) -> list[int]:
        """The saved years whose row is deleted or moved to another year."""
        return [
            form.initial["ar"]
            for form in self.forms
            if form.instance.pk
            and getattr(form, "cleaned_data", None)
            and (form.cleaned_data.get("DELETE") or "ar" in form.changed_data)
        ]


class BefolkningInline(LoggadeRader):
    """The member's population per year, saved with the member by `medlem_spara` (the audit
    rows before that recorded it as {år: invånare}, named by this inline in the history)."""

    model = Befolkning
    formset = BefolkningFormSet
    audit_relation, audit_nyckel, audit_varde = "befolkning", "ar", "invanare"


@admin.register(Forbund)
class ForbundAdmin(GenomTjanst):
    """The förbund, saved by `forbund_spara` (the logo's file through the storage API)."""

    forbund_path = ""
    list_display = ("namn", "kortnamn", "organisationsnummer", "rapportdag")
    search_fields = ("namn", "kortnamn", "organisationsnummer")
    ordering = ("namn",)
    fieldsets = (
        (None, {"fields": ("namn", "kortnamn", "organisationsnummer", "rapportdag")}),
        (
            "Årsbilagan",
            {"fields": ("logotyp", "bakgrund_text", "metod_text", "effekter_i_bilagan")},
        ),
        (
            "Påminnelser med e-post",
            {
                "fields": (
                    "paminnelser_pa",
                    "paminnelse_dagar_fore",
                    "paminnelse_dagar_efter",
                    "sammanfattning_veckodag",
                )
            },
        ),
    )

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Forbund:
        return services.forbund_spara(
            user=permissions.inloggad(request),
            forbund=form.instance if change else None,
            varden={falt: form.cleaned_data[falt] for falt in form.changed_data},
        )

    def ta_bort(self, request: HttpRequest, obj: Forbund) -> None:
        services.forbund_ta_bort(user=permissions.inloggad(request), forbund=obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return ()
        return ("namn", "kortnamn", "organisationsnummer")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(BasAdmin, DjangoUserAdmin):
    """The verksamhetsutvecklare and förbundschef see their förbund's users; a superuser
    manages them."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personuppgifter", {"fields": ("first_name", "last_name", "email")}),
        (
            "Förbund och roller",
            {"fields": ("forbund", "groups", "is_active", "is_staff", "is_superuser")},
        ),
        ("Enskilda behörigheter", {"classes": ("collapse",), "fields": ("user_permissions",)}),
        ("Viktiga datum", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        ("Förbund och roller", {"fields": ("forbund", "groups", "is_staff")}),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "visa_roller",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    list_select_related = ("forbund",)
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    ordering = ("username",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roller")
    def visa_roller(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all()))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        # Viewing only: no password section (its reset link is for a superuser).
        return (
            (None, {"fields": ("username", "first_name", "last_name", "email")}),
            ("Förbund och roller", {"fields": ("forbund", "groups", "is_active", "is_staff")}),
            ("Viktiga datum", {"fields": ("last_login", "date_joined")}),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Malgrupp)
class MalgruppAdmin(EndastLasbar):
    """The national list of målgrupper, shared by every förbund."""

    forbund_path = None
    list_display = ("namn", "kod", "ordning")
    search_fields = ("namn", "kod")
    ordering = ("ordning", "namn")


@admin.register(AuditEntry)
class AuditEntryAdmin(EndastLasbar):
    list_display = (
        "tid",
        "user",
        "action",
        "content_type",
        "object_repr",
        "andrade_falt",
        "kommentar",
    )
    list_filter = (
        "action",
        ("content_type", RelatedOnly),
        ("user", RelatedOnly),
        "tid",
    )
    list_select_related = ("user", "content_type")
    search_fields = ("object_repr",)
    date_hierarchy = "tid"
    ordering = ("-tid", "-id")
    fields = (
        "tid",
        "user",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "andringar",
        "kommentar",
    )

    def _beskriv(self, entry: AuditEntry) -> list[dict[str, str]]:
        """The entry's changes as described by the admin of the changed model."""
        model = entry.content_type.model_class()
        if model is not None and self.admin_site.is_registered(model):
            model_admin = self.admin_site.get_model_admin(model)
            if isinstance(model_admin, BasAdmin):
                return model_admin.beskriv_andringar(entry)
        return beskriv(entry.changes or {}, model or AuditEntry)

    @admin.display(description="ändrade fält")
    def andrade_falt(self, entry: AuditEntry) -> str:
        return ", ".join(rad["falt"] for rad in self._beskriv(entry))

    @admin.display(description="ändringar (före → efter)")
    def andringar(self, entry: AuditEntry) -> str:
        rader = self._beskriv(entry)
        if not rader:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} → {}</li>",
                ((capfirst(r["falt"]), r["fore"], r["efter"]) for r in rader),
            ),
        )


class MedlemAdminForm(RegelForm):
    """The member under `forbundsregler.medlem_fel` (a name and a known type) and
    `medlem_namn_upprepat` against the förbund's other members; its population is the
    inline's (`BefolkningFormSet`)."""

    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        namn, typ = data.get("namn", ""), data.get("typ", "")
        forbund_id = self.instance.forbund_id or getattr(data.get("forbund"), "pk", None)
        ovriga: list[str] = []
        if forbund_id is not None:
            medlemmar = Medlem.objects.filter(forbund_id=forbund_id).exclude(pk=self.instance.pk)
            ovriga = list(medlemmar.values_list("namn", flat=True))
        return forbundsregler.medlem_fel(
            namn=namn, typ=typ, invanare=None, ar=0
        ) + forbundsregler.medlem_namn_upprepat(namn, ovriga)


@admin.register(Medlem)
class MedlemAdmin(GenomTjanst):
    """A member with its population per year, saved by `medlem_spara` and removed by
    `medlem_ta_bort` (not while it runs an insats), which ask the rules and write the audit
    row; the form and the inline ask the same rules first."""

    form = MedlemAdminForm
    list_display = ("namn", "typ", "ordning")
    list_filter = ("typ",)
    search_fields = ("namn",)
    ordering = ("ordning", "namn")
    inlines = (BefolkningInline,)
    tjanstens_falt = {"invanare": None, "ar": None, "ta_bort": None}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A member stays in its förbund (the service writes it there).
        if obj is not None and request.user.is_superuser:
            return ("forbund",)
        return ()

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Medlem:
        data = form.cleaned_data
        rader = next((fs for fs in formsets if isinstance(fs, BefolkningFormSet)), None)
        return medlem_spara(
            user=permissions.inloggad(request),
            forbund=form.instance.forbund if change else self.forbund_for(request, form),
            medlem=form.instance if change else None,
            namn=data["namn"],
            typ=data["typ"],
            ordning=data.get("ordning"),
            befolkning=rader.befolkning() if rader else None,
            ta_bort_ar=rader.borttagna_ar() if rader else (),
        )

    def ta_bort(self, request: HttpRequest, obj: Medlem) -> None:
        medlem_ta_bort(user=permissions.inloggad(request), medlem=obj)


class BefolkningAdminForm(RegelForm):
    """One year of one member under the member's rules (`forbundsregler.medlem_fel`: only a
    kommun has a population) and `regler.artal`; on the change page the member and the year
    are read-only, the row's own."""

    def regel(self, data: dict[str, Any]) -> list[regler.Fel]:
        medlem = data.get("medlem") or (self.instance.medlem if self.instance.pk else None)
        ar = data.get("ar", self.instance.ar)
        if medlem is None or ar is None or data.get("invanare") is None:
            return []
        return regler.artal(ar) + forbundsregler.medlem_fel(
            namn=medlem.namn, typ=medlem.typ, invanare=data["invanare"], ar=ar
        )


@admin.register(Befolkning)
class BefolkningAdmin(GenomTjanst):
    """One year of one member's population, written through the member's service
    (`medlem_spara` with that year, `ta_bort_ar` to remove it), so the member's rules and
    audit row are the same as on the member's page; the audit row is the member's."""

    form = BefolkningAdminForm
    forbund_path = "medlem__forbund"
    list_display = ("medlem", visa_ar, "invanare")
    list_filter = ("ar", ("medlem", RelatedOnly))
    list_select_related = ("medlem",)
    search_fields = ("medlem__namn",)
    ordering = ("-ar", "medlem__ordning", "medlem__namn")
    tjanstens_falt = {"namn": None, "typ": None}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ("medlem", visa_ar)
        return ()

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Befolkning:
        medlem = form.instance.medlem
        ar = form.instance.ar
        medlem_spara(
            user=permissions.inloggad(request),
            forbund=medlem.forbund,
            medlem=medlem,
            namn=medlem.namn,
            typ=medlem.typ,
            befolkning={ar: form.cleaned_data["invanare"]},
        )
        return Befolkning.objects.get(medlem=medlem, ar=ar)

    def ta_bort(self, request: HttpRequest, obj: Befolkning) -> None:
        medlem = obj.medlem
        medlem_spara(
            user=permissions.inloggad(request),
            forbund=medlem.forbund,
            medlem=medlem,
            namn=medlem.namn,
            typ=medlem.typ,
            ta_bort_ar=[obj.ar],
        )


@admin.register(Huvudman)
class HuvudmanAdmin(GenomTjanst):
    list_display = ("namn", "ordning")
    search_fields = ("namn",)
    ordering = ("ordning", "namn")

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Huvudman:
        data = form.cleaned_data
        return huvudman_spara(
            user=permissions.inloggad(request),
            forbund=form.instance.forbund if change else self.forbund_for(request, form),
            huvudman=form.instance if change else None,
            varden={f: data[f] for f in HUVUDMANSFALT if f in data},
        )

    def ta_bort(self, request: HttpRequest, obj: Huvudman) -> None:
        services.huvudman_ta_bort(user=permissions.inloggad(request), huvudman=obj)


@admin.register(Insatsgrupp)
class InsatsgruppAdmin(BasAdmin):
    list_display = ("namn",)
    search_fields = ("namn",)
    ordering = ("namn",)
