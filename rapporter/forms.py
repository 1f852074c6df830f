from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rapporter import bilagetexter
from registrering.forms import KronorField
from registrering.models import PRIVACY_HELP


class KommentarForm(forms.Form):
    text = forms.CharField(
        label="Kommentar",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Visas som KOMMENTAR under avsnittet. Lämna tomt för att ta bort. "
        + PRIVACY_HELP,
        max_length=4000,
    )


INSATTNINGAR_HJALP = (
    "Gäller alla år. Där årets värden ska stå skriver du «rapportår», «period» eller "
    "«sammanställningsdatum» (eller infogar dem med knapparna); de fylls i för varje år."
)


class TexterForm(forms.Form):
    """The bilaga's texts as a person edits them: the inserts by name (`rapporter.bilagetexter`);
    `cleaned_data` holds them as stored."""

    bakgrund_text = forms.CharField(
        label="1 Bakgrund",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 8, "data-forhandsvisning": "forhandsvisning-bakgrund"}
        ),
        help_text=INSATTNINGAR_HJALP,
        max_length=10000,
    )
    metod_text = forms.CharField(
        label="2 Metod",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-forhandsvisning": "forhandsvisning-metod"}),
        help_text=INSATTNINGAR_HJALP,
        max_length=10000,
    )

    def clean_bakgrund_text(self) -> str:
        return bilagetexter.fran_namn(self.cleaned_data["bakgrund_text"])

    def clean_metod_text(self) -> str:
        return bilagetexter.fran_namn(self.cleaned_data["metod_text"])

    sammanstallningsdatum = forms.DateField(
        label="Sammanställningen gjord",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="För det valda året. Tomt: dagens datum.",
        error_messages={"invalid": "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-01-20."},
    )
    upprattad_av = forms.CharField(
        label="Upprättad av",
        required=False,
        max_length=200,
        help_text="För det valda året: namn och titel, t.ex. ”Anna Andersson, "
        "verksamhetsutvecklare”. Visas på titelsidan.",
    )


class UtfallForm(forms.Form):
    """One amount per cost post for the chosen month or quarter."""

    def __init__(self, *args: Any, poster: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poster = poster
        for post in poster:
            self.fields[f"post_{post.pk}"] = KronorField(
                label=f"{post.namn} {post.kod}".strip(),
                help_text="Kronor. Lämna tomt om inget är bokfört.",
            )

    def belopp(self) -> list[tuple[Any, Decimal | None]]:
        return [(p, self.cleaned_data.get(f"post_{p.pk}")) for p in self.poster]

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's errors, keyed `post_<id>` (or by the rule's field for the whole form)."""
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
