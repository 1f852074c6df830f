from __future__ import annotations

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
