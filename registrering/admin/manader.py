"""Månadsrapporter: the figures through `services.manadsrapport_spara`, the workflow as
actions that call the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from registrering import permissions, regler, resources, services
from registrering.admin.bas import (
    GenomTjanst,
    RelatedOnly,
    fel_pa_formular,
    formset_rader,
    meddelanden,
    visa_ar,
)
from registrering.admin.filer import GodkandBekraftaFormular, GodkandImportFormular, ImportExport
from registrering.admin.fordelningar import (
    AvslutadePerAnledningInline,
    AvslutFormSet,
    NyaHuvudmanFormSet,
    NyaPerHuvudmanInline,
)
from registrering.kalender import MANADER
from registrering.models import (
    PRIVACY_HELP,
    Manadsrapport,
)

ARBETSFLODE_FALT = (
    "status",
    "version",
    "andrad",
    "inskickad_av",
    "inskickad_tid",
    "godkand_av",
    "godkand_tid",
    "registrerad_av",
    "registrerad_datum",
    "returkommentar",
)


class ManadsrapportAdminForm(forms.ModelForm):
    """The month's figures under the rules of `services.manadsrapport_spara` (the breakdowns
    are checked by their inlines' formsets): the month is open, the counts, flow or volume, the
    ledger, and nobody saved in between."""

    oppnad_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["oppnad_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        instance = self.instance
        if instance.pk:
            nu = Manadsrapport.objects.filter(pk=instance.pk).values_list("version", flat=True)
            # A post without the version it was opened with counts as a conflict too.
            if data.get("oppnad_version") != nu.first():
                raise ValidationError(
                    "Någon annan har sparat månaden medan du arbetade. Öppna den igen, "
                    "kontrollera siffrorna och spara på nytt."
                )
        insats = data.get("insats") or (instance.insats if instance.insats_id else None)
        ar, manad = data.get("ar", instance.ar), data.get("manad", instance.manad)
        if insats is None or ar is None or manad is None:
            return data
        fel = regler.manad_redigerbar(
            insats=insats,
            ar=ar,
            manad=manad,
            status=instance.status if instance.pk else None,
            idag=timezone.localdate(),
            kan_godkanna=True,
        )
        if not fel and not self.errors:
            fel = services.manad_fel(
                insats=insats,
                ar=ar,
                manad=manad,
                uppgifter=services.Manadsuppgifter(
                    nya_kvinnor=data.get("nya_kvinnor") or 0,
                    nya_man=data.get("nya_man") or 0,
                    avslutade_kvinnor=data.get("avslutade_kvinnor") or 0,
                    avslutade_man=data.get("avslutade_man") or 0,
                    volym=data.get("volym"),
                ),
            )
        fel_pa_formular(self, fel)
        return data


class MotiveringForm(forms.Form):
    motivering = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text=PRIVACY_HELP,
    )

    def __init__(self, *args: Any, etikett: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motivering"].label = etikett


def manader_text(antal: int) -> str:
    return f"{antal} månad" if antal == 1 else f"{antal} månader"


@admin.register(Manadsrapport)
class ManadsrapportAdmin(ImportExport, GenomTjanst):
    resource_classes = (resources.ManadsdataResource, resources.VolymdataResource)
    import_form_class = GodkandImportFormular
    confirm_form_class = GodkandBekraftaFormular
    forbund_path = "insats__forbund"
    form = ManadsrapportAdminForm
    list_display = (
        "insats",
        visa_ar,
        "manadsnamn",
        "status",
        "nya",
        "avslutade",
        "volym",
        "last",
        "andrad",
        "godkand_av",
    )
    list_filter = ("status", "ar", "manad", ("insats", RelatedOnly), ("insats__grupp", RelatedOnly))
    list_select_related = ("insats", "godkand_av")
    search_fields = ("insats__namn",)
    ordering = ("-ar", "-manad", "insats__ordning", "insats__namn")
    autocomplete_fields = ("insats",)
    inlines = (AvslutadePerAnledningInline, NyaPerHuvudmanInline)
    actions = ("godkann", "markera_registrerade", "returnera", "las_upp")
    fieldsets = (
        (None, {"fields": ("insats", "ar", "manad", "oppnad_version")}),
        (
            "Deltagarflöde",
            {"fields": (("nya_kvinnor", "nya_man"), ("avslutade_kvinnor", "avslutade_man"))},
        ),
        ("Volym", {"fields": ("volym",)}),
        ("Kommentar", {"fields": ("kommentar",)}),
        (
            "Arbetsflöde",
            {
                "description": "Status ändras med åtgärderna i listan över månadsrapporter.",
                "fields": (
                    ("status", "version", "andrad"),
                    ("inskickad_av", "inskickad_tid"),
                    ("godkand_av", "godkand_tid"),
                    ("registrerad_av", "registrerad_datum"),
                    "returkommentar",
                ),
            },
        ),
    )

    @admin.display(description="månad", ordering="manad")
    def manadsnamn(self, obj: Manadsrapport) -> str:
        return MANADER[obj.manad]

    @admin.display(description="nya")
    def nya(self, obj: Manadsrapport) -> int:
        return obj.nya

    @admin.display(description="avslutade")
    def avslutade(self, obj: Manadsrapport) -> int:
        return obj.avslutade

    @admin.display(description="låst", boolean=True)
    def last(self, obj: Manadsrapport) -> bool:
        return obj.last

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.fieldsets
        forsta: tuple[Any, ...] = ("insats", visa_ar, "manadsnamn")
        if self.has_change_permission(request, obj):
            forsta = (*forsta, "oppnad_version")
        return ((None, {"fields": forsta}), *self.fieldsets[1:])

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ("insats", visa_ar, "manadsnamn", *ARBETSFLODE_FALT)
        return ARBETSFLODE_FALT

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.last) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.last) and super().has_delete_permission(request, obj)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if request.method == "GET" and obj is not None:
            for fel in regler.manad_oppen(
                insats=obj.insats, ar=obj.ar, manad=obj.manad, status=obj.status, kan_godkanna=True
            ):
                self.message_user(
                    request,
                    f"{fel.text} Här gör du det med åtgärden ”Lås upp markerade månader” i listan.",
                    messages.INFO,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def spara(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> Manadsrapport:
        data = form.cleaned_data
        instance = form.instance
        avslut = next((fs for fs in formsets if isinstance(fs, AvslutFormSet)), None)
        nya = next((fs for fs in formsets if isinstance(fs, NyaHuvudmanFormSet)), None)
        return services.manadsrapport_spara(
            user=permissions.inloggad(request),
            insats=instance.insats,
            ar=instance.ar,
            manad=instance.manad,
            nya_kvinnor=data.get("nya_kvinnor") or 0,
            nya_man=data.get("nya_man") or 0,
            avslutade_kvinnor=data.get("avslutade_kvinnor") or 0,
            avslutade_man=data.get("avslutade_man") or 0,
            volym=data.get("volym"),
            avslut=formset_rader(avslut, "anledning") if avslut else None,
            nya_huvudman=formset_rader(nya, "huvudman") if nya else None,
            kommentar=data.get("kommentar", ""),
            version=data.get("oppnad_version") if change else 0,
        )

    def ta_bort(self, request: HttpRequest, obj: Manadsrapport) -> None:
        services.manadsrapport_ta_bort(user=permissions.inloggad(request), rapport=obj)

    # --- status changes, only through the services ---

    def has_godkanna_permission(self, request: HttpRequest) -> bool:
        return self.has_change_permission(request)

    def _for_varje(
        self,
        request: HttpRequest,
        queryset: QuerySet[Manadsrapport],
        utfor: Callable[[Manadsrapport], Any],
        klart: str,
    ) -> None:
        lyckade = 0
        for rapport in queryset.select_related("insats__forbund"):
            try:
                utfor(rapport)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{rapport}: {meddelanden(exc)}", messages.ERROR)
            else:
                lyckade += 1
        if lyckade:
            self.message_user(request, f"{manader_text(lyckade)} {klart}.", messages.SUCCESS)

    @admin.action(description="Godkänn markerade månader", permissions=["godkanna"])
    def godkann(self, request: HttpRequest, queryset: QuerySet[Manadsrapport]) -> None:
        self._for_varje(
            request,
            queryset,
            lambda r: services.manadsrapport_godkann(user=permissions.inloggad(request), rapport=r),
            "godkändes och låstes",
        )

    @admin.action(
        description="Markera som registrerade i Uppföljning Finsam", permissions=["godkanna"]
    )
    def markera_registrerade(self, request: HttpRequest, queryset: QuerySet[Manadsrapport]) -> None:
        self._for_varje(
            request,
            queryset,
            lambda r: services.manadsrapport_markera_registrerad(
                user=permissions.inloggad(request), rapport=r
            ),
            "markerades som registrerade i Uppföljning Finsam",
        )

    @admin.action(description="Returnera markerade månader med kommentar", permissions=["godkanna"])
    def returnera(
        self, request: HttpRequest, queryset: QuerySet[Manadsrapport]
    ) -> HttpResponse | None:
        return self._med_motivering(
            request,
            queryset,
            action="returnera",
            titel="Returnera månader till insatsansvarig",
            etikett="Vad behöver rättas?",
            knapp="Returnera",
            utfor=lambda r, text: services.manadsrapport_returnera(
                user=permissions.inloggad(request), rapport=r, kommentar=text
            ),
            klart="returnerades",
        )

    @admin.action(description="Lås upp markerade månader för rättelse", permissions=["godkanna"])
    def las_upp(
        self, request: HttpRequest, queryset: QuerySet[Manadsrapport]
    ) -> HttpResponse | None:
        return self._med_motivering(
            request,
            queryset,
            action="las_upp",
            titel="Lås upp månader för rättelse",
            etikett="Varför låses månaderna upp?",
            knapp="Lås upp",
            utfor=lambda r, text: services.manadsrapport_las_upp(
                user=permissions.inloggad(request), rapport=r, anledning=text
            ),
            klart="låstes upp och måste godkännas igen",
        )

    def _med_motivering(
        self,
        request: HttpRequest,
        queryset: QuerySet[Manadsrapport],
        *,
        action: str,
        titel: str,
        etikett: str,
        knapp: str,
        utfor: Callable[[Manadsrapport, str], Any],
        klart: str,
    ) -> HttpResponse | None:
        """An action that first asks for a comment on an intermediate page."""
        if request.POST.get("bekrafta"):
            form = MotiveringForm(request.POST, etikett=etikett)
            if form.is_valid():
                text = form.cleaned_data["motivering"]
                self._for_varje(request, queryset, lambda r: utfor(r, text), klart)
                return None
        else:
            form = MotiveringForm(etikett=etikett)
        context = {
            **self.admin_site.each_context(request),
            "title": titel,
            "subtitle": None,
            "opts": self.opts,
            "rapporter": list(queryset.select_related("insats")),
            "form": form,
            "action": action,
            "knapp": knapp,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/registrering/manadsrapport/motivering.html", context
        )
