"""Forms of the förbund's own account pages (/konton/anvandare/): roles and insatser, and the
invitation of a new user. The rules (which roles, insatser only for an insatsansvarig, nothing
against one's own account) are `registrering.forbundsregler`'s, asked by the services."""

from __future__ import annotations

from typing import Any

from django import forms

from registrering.models import Forbund, Insats
from registrering.permissions import Roll
from registrering.systemformular import InbjudanForm

#: The förbund's roles in the order the page lists them, with what each may.
ROLLVAL = [
    (str(Roll.VERKSAMHETSUTVECKLARE), "Verksamhetsutvecklare – allt om förbundets data"),
    (str(Roll.FORBUNDSCHEF), "Förbundschef – som verksamhetsutvecklaren, och bilagan"),
    (str(Roll.STYRELSE), "Styrelse – läser målsidan och bilagan"),
    (str(Roll.INSATSANSVARIG), "Insatsansvarig – rapporterar sina insatsers månader"),
]


class RollerForm(forms.Form):
    roller = forms.MultipleChoiceField(
        label="Roller",
        choices=ROLLVAL,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Välj bland förbundets roller."},
    )
    insatser = forms.ModelMultipleChoiceField(
        label="Insatser (för en insatsansvarig)",
        queryset=Insats.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="De insatser personen rapporterar månadssiffror för och ser.",
        error_messages={"invalid_choice": "Välj bland förbundets insatser."},
    )

    def __init__(self, *args: Any, forbund: Forbund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        insatser = self.fields["insatser"]
        assert isinstance(insatser, forms.ModelMultipleChoiceField)
        insatser.queryset = Insats.objects.filter(forbund=forbund).order_by("ordning", "namn")


class NyAnvandareForm(InbjudanForm, RollerForm):
    """Name, e-mail, roles and insatser of a new user."""
