from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms

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


class TexterForm(forms.Form):
    bakgrund_text = forms.CharField(
        label="1 Bakgrund",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Gäller alla år.",
        max_length=10000,
    )
    metod_text = forms.CharField(
        label="2 Metod",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Gäller alla år. {period}, {sammanstallningsdatum} och {ar} fylls i.",
        max_length=10000,
    )
    sammanstallningsdatum = forms.DateField(
        label="Sammanställningen gjord",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="För det valda året. Tomt: dagens datum.",
        error_messages={"invalid": "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-01-20."},
    )


def tolka_kronor(text: str) -> Decimal:
    """'1 234 567', '1234567', '1 234,50' -> Decimal kronor, rounded to whole kronor."""
    rensad = text.replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    if rensad.endswith("kr"):
        rensad = rensad[:-2]
    try:
        return Decimal(rensad).quantize(Decimal(1), ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise forms.ValidationError("Ange ett belopp i kronor, t.ex. 125 000.") from exc


class KronorField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        value = super().clean(value)
        if value in (None, ""):
            return None
        belopp = tolka_kronor(value)
        if abs(belopp) >= Decimal("1e11"):
            raise forms.ValidationError("Beloppet är orimligt stort.")
        return belopp


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
