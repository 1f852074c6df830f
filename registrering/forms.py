"""Forms of the registration pages. They check the shape of the input; the services check the
rules (breakdowns, balances, workflow) and their errors are put back on the same fields."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from registrering import regler
from registrering.models import PRIVACY_HELP, Avslutsanledning, Huvudman, Insats
from registrering.services import Manadsuppgifter

HELTAL_FEL = {
    "required": "Fyll i ett antal (0 om inga).",
    "invalid": "Ange ett heltal, t.ex. 3.",
    "min_value": "Antalet kan inte vara negativt.",
    "max_value": "Antalet är orimligt stort.",
}


#: A count's input: the phone shows its digit keyboard (no decimal comma to type by mistake).
ANTAL_ATTRS = {"inputmode": "numeric", "pattern": "[0-9 ]*", "autocomplete": "off"}


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
        widget=forms.TextInput(attrs=ANTAL_ATTRS),
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


@dataclass(frozen=True)
class Gruppmeddelande:
    """A message under a group's legend: an error, or a warning on a saved draft; `falt` is
    the label of the field it is about (none: the group's own, e.g. its sum)."""

    id: str
    text: str
    fel: bool
    falt: str = ""


@dataclass(frozen=True)
class Grupp:
    meddelanden: list[Gruppmeddelande]
    beskrivs_av: str  # the ids of the group's own messages, for the fieldset


def gruppens_meddelanden(
    falt: list[forms.BoundField],
    *,
    id: str = "",
    fel: list[str] | None = None,
    varningar: list[str] | None = None,
) -> Grupp:
    """The messages under a group's legend (includes/gruppfel.html): the group's own errors
    and warnings (ids from `id`), then its fields' errors (ids as `widget_med_aria` gives)."""
    egna = [
        Gruppmeddelande(f"{id}-{slag}{i}", text, fel=slag == "fel")
        for slag, texter in (("fel", fel or []), ("varning", varningar or []))
        for i, text in enumerate(texter, 1)
    ]
    falten = [
        Gruppmeddelande(
            f"{f.id_for_label}-fel{i}",
            str(e),
            fel=True,
            # Away from its field a message says which it is about, unless it does.
            falt="" if str(f.label).lower() in str(e).lower() else str(f.label),
        )
        for f in falt
        for i, e in enumerate(f.errors, 1)
    ]
    return Grupp(egna + falten, " ".join(m.id for m in egna))


class ManadForm(forms.Form):
    """One month of an insats: the flow by gender with its breakdowns, or the volume.

    The form reads the numbers; what must be filled in, and when, is the rules' to say: a
    draft may leave a count empty, a month sent in may not (`services.manad_brister`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kommentar = forms.CharField(
        label="Kommentar till verksamhetsutvecklaren",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PRIVACY_HELP,
        max_length=2000,
    )

    #: The groups of fields whose sum is checked, with the legend's id.
    GRUPPER = {"nya_huvudman": "grupp-nya_huvudman", "avslut": "grupp-avslut"}

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
        self.gruppfel: dict[str, list[str]] = {}
        self.gruppvarning: dict[str, list[str]] = {}
        self.brister: list[tuple[str, str]] = []
        if insats.ar_volyminsats:
            help_text = (
                "Antal unika individer hittills i år, inte bara under månaden."
                if insats.volymenhet == Insats.Volymenhet.UNIKA_INDIVIDER
                else ""
            )
            self.fields["volym"] = antal_falt(
                f"Volym ({insats.get_volymenhet_display().lower()})",
                required=False,
                help_text=help_text,
            )
            return
        for namn, etikett in regler.FLODESETIKETTER.items():
            self.fields[namn] = antal_falt(etikett, required=False)
        for anledning in anledningar:
            self.fields[f"avslut_{anledning.pk}"] = antal_falt(
                f"{anledning.namn} ({anledning.klass}:a)", required=False
            )
        for hm in huvudman:
            self.fields[f"huvudman_{hm.pk}"] = antal_falt(hm.namn, required=False)

    # Groups of fields for the template.
    def flodesfalt(self) -> list[forms.BoundField]:
        return [self[n] for n in regler.FLODESETIKETTER]

    def avslutsfalt(self) -> list[forms.BoundField]:
        return [self[f"avslut_{a.pk}"] for a in self.anledningar]

    def huvudmansfalt(self) -> list[forms.BoundField]:
        return [self[f"huvudman_{h.pk}"] for h in self.huvudman]

    def _fordelning(self, prefix: str, nycklar: list[int]) -> dict[int, object]:
        data = self.cleaned_data
        return {pk: data[f"{prefix}_{pk}"] for pk in nycklar if data.get(f"{prefix}_{pk}")}

    def service_kwargs(self) -> dict[str, Any]:
        """The figures as far as they could be read, and the comment (`manadsrapport_spara`)."""
        data = self.cleaned_data
        if self.insats.ar_volyminsats:
            return {"volym": data.get("volym"), "kommentar": data.get("kommentar", "")}
        return {
            **{f: data.get(f) for f in regler.FLODESETIKETTER},
            "avslut": self._fordelning("avslut", [a.pk for a in self.anledningar]),
            "nya_huvudman": self._fordelning("huvudman", [h.pk for h in self.huvudman]),
            "kommentar": data.get("kommentar", ""),
        }

    def clean(self) -> dict[str, Any]:
        # The figures as read, before any rule's message is added to a field (which would
        # take the field out of cleaned_data).
        kwargs = self.service_kwargs()
        kwargs.pop("kommentar")
        okanda = set(self.errors)
        for grupp, prefix in (("avslut", "avslut_"), ("nya_huvudman", "huvudman_")):
            if any(f.startswith(prefix) for f in self.errors):
                okanda.add(grupp)
        self._uppgifter = Manadsuppgifter(**kwargs, okanda=frozenset(okanda))
        return self.cleaned_data

    def uppgifter(self) -> Manadsuppgifter:
        """The figures for the rules as far as they could be read; the fields that could not
        be read are named as `okanda`."""
        if not hasattr(self, "_uppgifter"):  # not cleaned yet; cleaning reads them (`clean`)
            self.full_clean()
        return self._uppgifter

    def tomma(self) -> list[str]:
        """The labels of the counts left empty (a draft keeps 0 for them)."""
        return [
            str(self.fields[f].label)
            for f in ("volym", *regler.FLODESETIKETTER)
            if f in self.fields and self.cleaned_data.get(f) is None
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's errors on the matching fields; a breakdown's sum belongs to its
        group of fields (`gruppfel`), shown under the group's legend."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, meddelanden in error.message_dict.items():
            if key in self.GRUPPER:
                self.gruppfel.setdefault(key, []).extend(meddelanden)
                continue
            for meddelande in meddelanden:
                self.add_error(key if key in self.fields else None, meddelande)

    def fellista(self) -> list[tuple[str, str]]:
        """The error summary in the order of the page: (link, text); a group's sum links to
        its legend, a field's message to the field."""
        rader = [("", str(e)) for e in self.non_field_errors()]

        def falten(falt: list[forms.BoundField]) -> list[tuple[str, str]]:
            return [(f"#{f.id_for_label}", f"{f.label}: {e}") for f in falt for e in f.errors]

        if self.insats.ar_volyminsats:
            rader += falten([self["volym"]])
        else:
            rader += falten(self.flodesfalt())
            for grupp, falt in (
                ("nya_huvudman", self.huvudmansfalt()),
                ("avslut", self.avslutsfalt()),
            ):
                rader += [(f"#{self.GRUPPER[grupp]}", e) for e in self.gruppfel.get(grupp, [])]
                rader += falten(falt)
        return rader + falten([self["kommentar"]])

    def har_fel(self) -> bool:
        return bool(self.errors or self.gruppfel)

    def visa_brister(self, brister: list[regler.Fel]) -> None:
        """What the saved draft still lacks (`services.manad_brister`), as warnings: listed
        at the top, and a sum's also under its group's legend."""
        for fel in brister:
            if fel.falt in self.GRUPPER:
                self.gruppvarning.setdefault(fel.falt, []).append(fel.text)
                self.brister.append((f"#{self.GRUPPER[fel.falt]}", fel.text))
            elif fel.falt in self.fields:
                falt = self[fel.falt]
                self.brister.append((f"#{falt.id_for_label}", f"{falt.label}: {fel.text}"))
            else:
                self.brister.append(("", fel.text))

    def grupper(self) -> dict[str, Grupp]:
        """Per group of fields (the flow and each breakdown): its messages under the legend,
        as wide as the group. A sum's message is the group's own (the fieldset is described by
        it); a field's is tied to its field (`widget_med_aria` gives the same ids)."""

        def grupp(namn: str, falt: list[forms.BoundField]) -> Grupp:
            return gruppens_meddelanden(
                falt,
                id=self.GRUPPER.get(namn, namn),
                fel=self.gruppfel.get(namn, []),
                varningar=self.gruppvarning.get(namn, []),
            )

        if self.insats.ar_volyminsats:
            return {}
        return {
            "flode": grupp("flode", self.flodesfalt()),
            "nya_huvudman": grupp("nya_huvudman", self.huvudmansfalt()),
            "avslut": grupp("avslut", self.avslutsfalt()),
        }


class InloggningForm(AuthenticationForm):
    """Django's login form without autofocus: a keyboard user arriving at the page meets the
    skip link and the heading first, as on every other page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        # FINSAM_LOKAL_INLOGGNING off: only the identity provider logs in (registrering.oidc).
        if not settings.FINSAM_LOKAL_INLOGGNING:
            raise ValidationError(
                f"Inloggning med lösenord är avstängd. Logga in med {settings.FINSAM_OIDC_NAMN}.",
                code="lokal_inloggning_av",
            )
        return super().clean()


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

    def antalens_meddelanden(self) -> Grupp:
        """The two changes sit side by side: their messages go under them, as wide as both."""
        return gruppens_meddelanden([self["kvinnor"], self["man"]])


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
