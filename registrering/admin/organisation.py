"""The förbund, its users, members and their population, huvudmän, insatsgrupper, the
national målgrupper and the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from registrering import permissions, services
from registrering.admin.bas import (
    BasAdmin,
    EndastLasbar,
    GenomTjanst,
    LoggadeRader,
    RelatedOnly,
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


class BefolkningInline(LoggadeRader):
    model = Befolkning
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


@admin.register(Medlem)
class MedlemAdmin(BasAdmin):
    list_display = ("namn", "typ", "ordning")
    list_filter = ("typ",)
    search_fields = ("namn",)
    ordering = ("ordning", "namn")
    inlines = (BefolkningInline,)


@admin.register(Befolkning)
class BefolkningAdmin(BasAdmin):
    forbund_path = "medlem__forbund"
    list_display = ("medlem", visa_ar, "invanare")
    list_filter = ("ar", ("medlem", RelatedOnly))
    list_select_related = ("medlem",)
    search_fields = ("medlem__namn",)
    ordering = ("-ar", "medlem__ordning", "medlem__namn")


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
        BasAdmin.delete_model(self, request, obj)


@admin.register(Insatsgrupp)
class InsatsgruppAdmin(BasAdmin):
    list_display = ("namn",)
    search_fields = ("namn",)
    ordering = ("namn",)
