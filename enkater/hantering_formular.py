"""Forms of the verksamhetsutvecklare's survey pages. They check the shape of the input (a date,
a whole number, a choice of the förbund's own); the services of `registrering.services` check
the rules, and their errors are put back on the same fields
(`registrering.forms.service_fel_pa_falt`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from registrering.forms import antal_falt
from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkattillfalle,
    Forbund,
    Insats,
    Respondentgrupp,
    Svarsalternativ,
)

DATUM_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATUM_FEL = {"invalid": "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-11-20."}

#: Rows for answer options in the question form: the national scales have six steps, and a
#: förbund's own may have a "Vet inte" besides. Empty rows are left out.
ANTAL_ALTERNATIVRADER = 8


class TillfalleForm(forms.Form):
    """A new round: which enkät and respondent group, for which insats or training, when, and
    how the answers come in."""

    enkat = forms.ModelChoiceField(
        label="Enkät",
        queryset=Enkat.objects.none(),
        empty_label=None,
        error_messages={"required": "Välj en enkät.", "invalid_choice": "Välj en enkät."},
    )
    respondentgrupp = forms.ChoiceField(
        label="Vilka svarar",
        choices=Respondentgrupp.choices,
        error_messages={"required": "Välj vilka som svarar."},
    )
    insats = forms.ModelChoiceField(
        label="Insats",
        queryset=Insats.objects.none(),
        required=False,
        empty_label="Ingen insats (en utbildning eller förbundet som helhet)",
        help_text="Resultaten kan då följas per insats.",
        error_messages={"invalid_choice": "Välj en insats i listan."},
    )
    namn = forms.CharField(
        label="Namn på tillfället",
        max_length=200,
        required=False,
        help_text="T.ex. utbildningens namn: ”Föreläsning om psykisk ohälsa”. "
        "Tomt: insatsens namn.",
    )
    datum = forms.DateField(
        label="Första svarsdag",
        widget=DATUM_WIDGET,
        help_text="Utbildningens dag, eller dagen då länken börjar ta emot svar.",
        error_messages={"required": "Ange första svarsdag.", **DATUM_FEL},
    )
    slutdatum = forms.DateField(
        label="Sista svarsdag",
        widget=DATUM_WIDGET,
        required=False,
        help_text="Länken tar inte emot svar efter den dagen. Tomt: tills du stänger.",
        error_messages=DATUM_FEL,
    )
    kalla = forms.ChoiceField(
        label="Hur kommer svaren in?",
        choices=[
            (Enkattillfalle.Kalla.LANK, "Med länk och QR-kod (anonymt på webben)"),
            (Enkattillfalle.Kalla.PAPPER, "På papper (du skriver in antalen)"),
        ],
        initial=Enkattillfalle.Kalla.LANK,
        widget=forms.RadioSelect,
        error_messages={"required": "Välj hur svaren kommer in."},
    )

    def __init__(self, *args: Any, forbund: Forbund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enkat_falt = self.fields["enkat"]
        insats_falt = self.fields["insats"]
        assert isinstance(enkat_falt, forms.ModelChoiceField)
        assert isinstance(insats_falt, forms.ModelChoiceField)
        enkat_falt.queryset = Enkat.objects.filter(forbund=forbund).order_by("namn")
        insats_falt.queryset = Insats.objects.filter(forbund=forbund).order_by("namn")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("namn") and data.get("insats") is None and "insats" not in self.errors:
            self.add_error("namn", "Skriv ett namn på tillfället eller välj en insats.")
        elif not data.get("namn") and data.get("insats") is not None:
            data["namn"] = data["insats"].namn
        return data


class PappersvarForm(forms.Form):
    """Counts from paper forms: how many forms, and per question how many chose each option.
    An empty count is 0 (a question a form left blank)."""

    prefix = "papper"
    antal_formular = antal_falt(
        "Antal inlämnade formulär",
        help_text="Alla formulär i bunten, också de där någon fråga lämnats tom.",
    )

    def __init__(self, *args: Any, fragor: Sequence[Enkatfraga], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fragor = list(fragor)
        for fraga in self.fragor:
            for alternativ in fraga.alternativ.all():
                self.fields[self.faltnamn(alternativ)] = antal_falt(alternativ.text, required=False)

    @staticmethod
    def faltnamn(alternativ: Svarsalternativ) -> str:
        return f"alternativ_{alternativ.pk}"

    def grupper(self) -> list[tuple[Enkatfraga, list[forms.BoundField]]]:
        """Per question its options' fields, for a fieldset each."""
        return [
            (fraga, [self[self.faltnamn(a)] for a in fraga.alternativ.all()])
            for fraga in self.fragor
        ]

    def antal(self) -> dict[Svarsalternativ, int]:
        """The counts typed, per option (empty and 0 left out)."""
        result = {}
        for fraga in self.fragor:
            for alternativ in fraga.alternativ.all():
                varde = self.cleaned_data.get(self.faltnamn(alternativ))
                if varde:
                    result[alternativ] = varde
        return result


class FragaForm(forms.Form):
    """A förbund's own question, or a new version of one: its text, who gets it, the indicator
    it measures and its options in scale order, with the ones that count as positive."""

    enkat = forms.ModelChoiceField(
        label="Enkät",
        queryset=Enkat.objects.none(),
        empty_label=None,
        error_messages={"required": "Välj en enkät.", "invalid_choice": "Välj en enkät."},
    )
    respondentgrupp = forms.ChoiceField(
        label="Vilka får frågan",
        choices=[("", "Alla som svarar på enkäten"), *Respondentgrupp.choices],
        required=False,
    )
    indikator = forms.TypedChoiceField(
        label="NNS-indikator",
        choices=[("", "Ingen"), *[(n, f"Indikator {n}") for n in range(1, 17)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    text = forms.CharField(
        label="Fråga",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Skriv enkelt: en sak per fråga, vardagliga ord.",
        error_messages={"required": "Skriv frågan."},
    )
    malfraga = forms.BooleanField(
        label="Följs upp mot målet",
        required=False,
        help_text="Andelen positiva svar jämförs med förbundets mål (t.ex. minst 75 %). "
        "Bara en fråga i taget.",
    )

    def __init__(
        self, *args: Any, forbund: Forbund, fraga: Enkatfraga | None = None, **kwargs: Any
    ) -> None:
        if fraga is not None:
            # Also when bound: a disabled field (the enkät) takes its value from the initial.
            kwargs["initial"] = _initial(fraga)
        super().__init__(*args, **kwargs)
        enkat_falt = self.fields["enkat"]
        assert isinstance(enkat_falt, forms.ModelChoiceField)
        enkat_falt.queryset = Enkat.objects.filter(forbund=forbund).order_by("namn")
        if fraga is not None:
            # A question stays in its enkät; a new version is the same question, reworded.
            enkat_falt.disabled = True
        for i in range(1, ANTAL_ALTERNATIVRADER + 1):
            self.fields[f"alternativ_{i}"] = forms.CharField(
                label=f"Svarsalternativ {i}", max_length=100, required=False
            )
            self.fields[f"positivt_{i}"] = forms.BooleanField(
                label=f"Svarsalternativ {i} räknas som positivt", required=False
            )

    def alternativrader(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"alternativ_{i}"], self[f"positivt_{i}"])
            for i in range(1, ANTAL_ALTERNATIVRADER + 1)
        ]

    def alternativ(self) -> list[tuple[str, bool]]:
        """The options typed, in order: (text, positive)."""
        return [
            (text, bool(self.cleaned_data.get(f"positivt_{i}")))
            for i in range(1, ANTAL_ALTERNATIVRADER + 1)
            if (text := (self.cleaned_data.get(f"alternativ_{i}") or "").strip())
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tomma_positiva = [
            i
            for i in range(1, ANTAL_ALTERNATIVRADER + 1)
            if data.get(f"positivt_{i}") and not (data.get(f"alternativ_{i}") or "").strip()
        ]
        for i in tomma_positiva:
            self.add_error(f"alternativ_{i}", "Skriv alternativet eller ta bort krysset.")
        return data


def _initial(fraga: Enkatfraga) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "enkat": fraga.enkat_id,
        "respondentgrupp": fraga.respondentgrupp,
        "indikator": fraga.indikator,
        "text": fraga.text,
        "malfraga": fraga.malfraga,
    }
    for i, alternativ in enumerate(fraga.alternativ.all(), start=1):
        initial[f"alternativ_{i}"] = alternativ.text
        initial[f"positivt_{i}"] = alternativ.positivt
    return initial
