"""The forms of the key figures, the transition matrix and the what-if. They read what people
type (Swedish numbers: "10 500", "20,67"); what a figure may be is the services' rules' to say
(`registrering.effektregler`), whose errors `registrering.forms.service_fel_pa_falt` puts on the
fields (a matrix cell's field is named "fran-till", as the rules name it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from effekter import modell
from registrering import regler
from registrering.effektregler import MAL_UTOVER_ERSATTNING
from registrering.forms import ANTAL_ATTRS, antal_falt
from registrering.models.effekter import Betalare


class ProcentField(forms.CharField):
    """A rate in percent, read by `regler.las_decimaltal` ("20,67" is 20.67 %)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 8}))
        kwargs.setdefault("error_messages", {"required": "Fyll i ett tal i procent."})
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal:
        text = super().clean(value)
        try:
            return regler.las_decimaltal(text)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class HelaKronorField(forms.CharField):
    """An amount in whole kronor ("10 500", "10 500 kr"); decimals are refused, not rounded."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 10}))
        kwargs.setdefault("error_messages", {"required": "Fyll i ett belopp i kronor."})
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int:
        text = super().clean(value)
        try:
            return regler.las_heltal(text.strip().removesuffix("kr"), tusental=True)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


def _kalla() -> forms.CharField:
    return forms.CharField(label="Källa", required=False, max_length=300)


class EnkelForm(forms.Form):
    """The simple model: cost and lost tax per person and month, with their source."""

    kostnad_per_manad = HelaKronorField(label="Kostnad för offentlig försörjning per månad (kr)")
    skatt_per_manad = HelaKronorField(label="Utebliven inkomstskatt per månad (kr)")
    kalla = _kalla()
    kalla_datum = forms.DateField(
        label="Källans datum",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-01-20."},
    )


class ErsattningForm(forms.Form):
    """One benefit of the year; a new code adds one (`kod` is asked only for a new benefit)."""

    kod = forms.SlugField(
        label="Kod",
        max_length=40,
        help_text="Små bokstäver utan mellanslag, t.ex. bostadsbidrag.",
        error_messages={
            "required": "Ange en kod för ersättningen, t.ex. bostadsbidrag.",
            "invalid": "Koden får bara ha bokstäverna a–z, siffror, - och _.",
        },
    )
    namn = forms.CharField(label="Ersättning", max_length=100, required=False)
    betalare = forms.ChoiceField(label="Betalas av", choices=Betalare.choices)
    arsbelopp = HelaKronorField(label="Belopp per person och år (kr)")
    okning = ProcentField(label="Årlig ökning (%)")
    skattepliktig = forms.BooleanField(label="Skattepliktig", required=False)
    kalla = _kalla()

    def __init__(self, *args: Any, ny: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ny:
            del self.fields["kod"]


class InkomstForm(forms.Form):
    """The income side of a person who goes to work."""

    arslon = HelaKronorField(label="Lön per år (kr)", help_text="60 % av medianlönen.")
    loneokning = ProcentField(label="Årlig löneökning (%)")
    kommunalskatt = ProcentField(label="Kommunalskatt (%)")
    regionskatt = ProcentField(label="Regionskatt (%)")
    arbetsgivaravgift = ProcentField(label="Arbetsgivaravgift (%)")
    jobbskatteavdrag = HelaKronorField(
        label="Jobbskatteavdrag per person och år (kr)", help_text="Bärs av staten."
    )
    kalla = _kalla()


def malen(ersattningar: dict[str, str]) -> list[tuple[str, str]]:
    """The matrix's columns: Arbete, Studier, each benefit but studiemedel (going to it is
    Studier), Ingen förflyttning (kod, rubrik)."""
    return [
        (modell.ARBETE, MAL_UTOVER_ERSATTNING[modell.ARBETE]),
        (modell.STUDIER, MAL_UTOVER_ERSATTNING[modell.STUDIER]),
        *((kod, namn) for kod, namn in ersattningar.items() if kod != modell.STUDIEMEDEL),
        (modell.OFORANDRAD, MAL_UTOVER_ERSATTNING[modell.OFORANDRAD]),
    ]


def _gemen(namn: str) -> str:
    return namn[:1].lower() + namn[1:]


def cell_etikett(fran: str, till: str, ersattningar: dict[str, str]) -> str:
    """ "Från försörjningsstöd till arbete", "Från a-kassa: ingen förflyttning"."""
    if till == modell.OFORANDRAD:
        return f"Från {_gemen(ersattningar[fran])}: ingen förflyttning"
    namn = ersattningar.get(till) or MAL_UTOVER_ERSATTNING[till]
    return f"Från {_gemen(ersattningar[fran])} till {_gemen(namn)}"


class ForflyttningForm(forms.Form):
    """The transition matrix of an insats for a year: a count per cell "fran-till", empty is 0.
    A benefit's own column is no cell (staying is "Ingen förflyttning")."""

    def __init__(self, *args: Any, ersattningar: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ersattningar = ersattningar
        self.malen = malen(ersattningar)
        for fran in ersattningar:
            for till, _rubrik in self.malen:
                if till != fran:
                    falt = antal_falt(cell_etikett(fran, till, ersattningar), required=False)
                    falt.widget.attrs = {**ANTAL_ATTRS, "size": 4}
                    self.fields[f"{fran}-{till}"] = falt

    def rader(self) -> list[tuple[str, list[forms.BoundField | None]]]:
        """Per benefit (from): its name and a bound field per column (None on its own)."""
        return [
            (
                namn,
                [None if till == fran else self[f"{fran}-{till}"] for till, _r in self.malen],
            )
            for fran, namn in self.ersattningar.items()
        ]

    def matris(self) -> dict[tuple[str, str], int]:
        """Every cell, as the service takes it (0 removes a cell)."""
        return {
            tuple(namn.split("-", 1)): antal or 0  # type: ignore[misc]
            for namn, antal in self.cleaned_data.items()
        }


class OmForm(forms.Form):
    """What-if: `antal` more from a benefit to work, studies or another benefit."""

    antal = antal_falt("Antal fler", required=True)
    fran = forms.ChoiceField(label="Från")
    till = forms.ChoiceField(label="Till")

    def __init__(self, *args: Any, nyckeltal: modell.Nyckeltal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ersattningar = {e.kod: e.namn for e in nyckeltal.ersattningar}
        self.ersattningar = ersattningar
        cast(forms.ChoiceField, self.fields["fran"]).choices = list(ersattningar.items())
        cast(forms.ChoiceField, self.fields["till"]).choices = [
            (kod, namn) for kod, namn in malen(ersattningar) if kod != modell.OFORANDRAD
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fran") and data.get("fran") == data.get("till"):
            self.add_error("till", "Välj ett annat mål än den ersättning de går från.")
        antal = data.get("antal")
        if antal is not None and not 1 <= antal <= 100_000:
            self.add_error("antal", "Ange ett antal mellan 1 och 100 000.")
        return data

    def text(self) -> str:
        """ "Om 10 fler går från försörjningsstöd till arbete"."""
        d = self.cleaned_data
        till = self.ersattningar.get(d["till"]) or MAL_UTOVER_ERSATTNING[d["till"]]
        return (
            f"Om {regler.tal(d['antal'])} fler går från {_gemen(self.ersattningar[d['fran']])}"
            f" till {_gemen(till)}"
        )
