"""Forms of the registration pages. They check the shape of the input; the services check the
rules (breakdowns, balances, workflow) and their errors are put back on the same fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from registrering import regler
from registrering.models import PRIVACY_HELP, Avslutsanledning, Huvudman, Insats

HELTAL_FEL = {
    "required": "Fyll i ett antal (0 om inga).",
    "invalid": "Ange ett heltal, t.ex. 3.",
    "min_value": "Antalet kan inte vara negativt.",
    "max_value": "Antalet är orimligt stort.",
}


class AntalField(forms.IntegerField):
    """A count typed with the digits 0–9 (`regler.las_heltal`): "1,5", "٣" and "𝟓" are refused
    with a message instead of being read as 15, 3 and 5."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return regler.las_heltal(str(value), tusental=True)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


def antal_falt(label: str, *, required: bool = True, help_text: str = "") -> forms.IntegerField:
    """A count; whether it may be negative or that large is the rules' to say (`regler.antal`),
    with the same message in every door."""
    return AntalField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages=HELTAL_FEL,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def service_fel_pa_falt(
    form: forms.Form, error: ValidationError, falt: dict[str, str | None] | None = None
) -> None:
    """Put a service's errors (keyed by the rule's field) on the form's fields; `falt` maps a
    rule's field to the form's (None: the form as a whole)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        field = (falt or {}).get(key, key)
        if field not in form.fields:
            field = None
        for message in messages:
            form.add_error(field, message)


class KronorField(forms.CharField):
    """An amount in kronor as people write it ("1 234 567", "125 000 kr"), read by
    `regler.las_belopp`; what it may be is `regler.utfall`'s to say."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return regler.las_belopp(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ManadForm(forms.Form):
    """One month of an insats: the flow by gender with its breakdowns, or the volume."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kommentar = forms.CharField(
        label="Kommentar till verksamhetsutvecklaren",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PRIVACY_HELP,
        max_length=2000,
    )

    def __init__(
        self,
        *args: Any,
        insats: Insats,
        anledningar: list[Avslutsanledning],
        huvudman: list[Huvudman],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.insats = insats
        self.anledningar = anledningar
        self.huvudman = huvudman
        if insats.ar_volyminsats:
            help_text = (
                "Antal unika individer hittills i år, inte bara under månaden."
                if insats.volymenhet == Insats.Volymenhet.UNIKA_INDIVIDER
                else ""
            )
            self.fields["volym"] = antal_falt(
                f"Volym ({insats.get_volymenhet_display().lower()})", help_text=help_text
            )
            return
        self.fields["nya_kvinnor"] = antal_falt("Nya kvinnor")
        self.fields["nya_man"] = antal_falt("Nya män")
        self.fields["avslutade_kvinnor"] = antal_falt("Avslutade kvinnor")
        self.fields["avslutade_man"] = antal_falt("Avslutade män")
        for anledning in anledningar:
            self.fields[f"avslut_{anledning.pk}"] = antal_falt(
                f"{anledning.namn} ({anledning.klass}:a)", required=False
            )
        for hm in huvudman:
            self.fields[f"huvudman_{hm.pk}"] = antal_falt(hm.namn, required=False)

    # Groups of fields for the template.
    def flodesfalt(self) -> list[forms.BoundField]:
        return [self[n] for n in ("nya_kvinnor", "nya_man", "avslutade_kvinnor", "avslutade_man")]

    def avslutsfalt(self) -> list[forms.BoundField]:
        return [self[f"avslut_{a.pk}"] for a in self.anledningar]

    def huvudmansfalt(self) -> list[forms.BoundField]:
        return [self[f"huvudman_{h.pk}"] for h in self.huvudman]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.insats.ar_volyminsats:
            return {"volym": data["volym"], "kommentar": data.get("kommentar", "")}
        return {
            "nya_kvinnor": data["nya_kvinnor"],
            "nya_man": data["nya_man"],
            "avslutade_kvinnor": data["avslutade_kvinnor"],
            "avslutade_man": data["avslutade_man"],
            "avslut": {
                a.pk: data.get(f"avslut_{a.pk}") or 0
                for a in self.anledningar
                if data.get(f"avslut_{a.pk}")
            },
            "nya_huvudman": {
                h.pk: data.get(f"huvudman_{h.pk}") or 0
                for h in self.huvudman
                if data.get(f"huvudman_{h.pk}")
            },
            "kommentar": data.get("kommentar", ""),
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's errors on the matching fields; a breakdown's error belongs to its
        group of fields (`fordelningsfel`) and is shown on its first field too."""
        if hasattr(error, "error_dict"):
            for key in ("avslut", "nya_huvudman"):
                if key in error.message_dict:
                    self.fordelningsfel[key] = error.message_dict[key]
        service_fel_pa_falt(
            self,
            error,
            {
                "avslut": f"avslut_{self.anledningar[0].pk}" if self.anledningar else None,
                "nya_huvudman": f"huvudman_{self.huvudman[0].pk}" if self.huvudman else None,
                "manad": None,
            },
        )

    @property
    def fordelningsfel(self) -> dict[str, list[str]]:
        if not hasattr(self, "_fordelningsfel"):
            self._fordelningsfel: dict[str, list[str]] = {}
        return self._fordelningsfel


class InloggningForm(AuthenticationForm):
    """Django's login form without autofocus: a keyboard user arriving at the page meets the
    skip link and the heading first, as on every other page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class ReturneraForm(forms.Form):
    kommentar = forms.CharField(
        label="Vad behöver rättas?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PRIVACY_HELP,
        max_length=2000,
        error_messages={"required": "Skriv vad som behöver rättas."},
    )


class LasUppForm(forms.Form):
    anledning = forms.CharField(
        label="Varför ska månaden låsas upp?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=PRIVACY_HELP,
        max_length=2000,
        error_messages={"required": "Ange varför månaden låses upp."},
    )


class RegistreradForm(forms.Form):
    datum = forms.DateField(
        label="Registrerad i Uppföljning Finsam den",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Ange datumet.",
            "invalid": "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-11-20.",
        },
    )


class IngaendeBalansForm(forms.Form):
    """The balance on 1 January: confirm the proposal or correct it with a reason."""

    kvinnor = antal_falt("Kvinnor")
    man = antal_falt("Män")
    anledning = forms.CharField(
        label="Anledning till korrigering",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Krävs om antalet skiljer sig från förslaget. " + PRIVACY_HELP,
        max_length=2000,
    )

    def __init__(self, *args: Any, huvudman: list[Huvudman], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.huvudman = huvudman
        for hm in huvudman:
            self.fields[f"huvudman_{hm.pk}"] = antal_falt(hm.namn, required=False)

    def huvudmansfalt(self) -> list[forms.BoundField]:
        return [self[f"huvudman_{h.pk}"] for h in self.huvudman]

    def per_huvudman(self) -> dict[int, int]:
        return {
            h.pk: self.cleaned_data[f"huvudman_{h.pk}"]
            for h in self.huvudman
            if self.cleaned_data.get(f"huvudman_{h.pk}")
        }

    def add_service_errors(self, error: ValidationError) -> None:
        service_fel_pa_falt(
            self,
            error,
            {"per_huvudman": f"huvudman_{self.huvudman[0].pk}" if self.huvudman else None},
        )


class JusteringForm(forms.Form):
    """A headcount that disagrees with the flow, recorded as a visible justering of the month."""

    kvinnor = AntalField(
        label="Ändring kvinnor",
        help_text="Negativt tal minskar pågående, t.ex. -2.",
        error_messages=HELTAL_FEL,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    man = AntalField(
        label="Ändring män",
        help_text="Negativt tal minskar pågående.",
        error_messages=HELTAL_FEL,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    anledning = forms.CharField(
        label="Anledning",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="T.ex. inventering av pågående deltagare. " + PRIVACY_HELP,
        max_length=2000,
        error_messages={"required": "Ange anledningen till justeringen."},
    )


class OversiktFilterForm(forms.Form):
    grupp = forms.TypedChoiceField(label="Grupp", required=False, coerce=int, empty_value=None)
    inriktning = forms.ChoiceField(
        label="Inriktning",
        required=False,
        choices=[("", "Alla inriktningar"), *Insats.Inriktning.choices],
    )

    def __init__(self, *args: Any, grupper: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grupp = cast(forms.TypedChoiceField, self.fields["grupp"])
        grupp.choices = [("", "Alla grupper"), *[(g.pk, g.namn) for g in grupper]]
