"""Forms of the systemadministratör's pages (/system/): a förbund, its members with their
population, and the invitation of its first verksamhetsutvecklare. They check the shape of the
input; the rules are `registrering.forbundsregler`'s, asked through the services, and their
messages are put back at the fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory

from registrering.forms import antal_falt, service_fel_pa_falt
from registrering.kalender import MINSTA_AR, STORSTA_AR
from registrering.models import Forbund, Medlem
from registrering.services.medlemmar import Medlemsrad, medlemmar_fel

#: The fields of the förbund on the page; `forbund_spara` decides who may change which.
FORBUNDSFALT = ("namn", "kortnamn", "organisationsnummer", "rapportdag", "logotyp")


class ForbundForm(forms.ModelForm):
    """The förbund's names, deadline and the bilaga's logo (checked by the model's
    `validera_logotyp`)."""

    class Meta:
        model = Forbund
        fields = FORBUNDSFALT
        labels = {"rapportdag": "Sista rapportdag (dag i månaden efter)"}
        help_texts = {"organisationsnummer": "T.ex. 222000-1234."}

    def varden(self) -> dict[str, Any]:
        """What changed, for `forbund_spara` (a new förbund: everything given)."""
        falt = self.changed_data if self.instance.pk else FORBUNDSFALT
        return {f: self.cleaned_data[f] for f in falt if f in self.cleaned_data}


class MedlemForm(forms.Form):
    """One member: its name and type, and a kommun's population at 31/12 of the year."""

    medlem = forms.ModelChoiceField(
        queryset=Medlem.objects.none(), required=False, widget=forms.HiddenInput
    )
    namn = forms.CharField(label="Namn", max_length=200, required=False)
    typ = forms.ChoiceField(
        label="Typ", choices=[("", "Välj typ"), *Medlem.Typ.choices], required=False
    )
    invanare = antal_falt("Invånare 31/12", required=False)

    def __init__(self, *args: Any, forbund: Forbund | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        medlem_falt = self.fields["medlem"]
        assert isinstance(medlem_falt, forms.ModelChoiceField)
        medlem_falt.queryset = (
            Medlem.objects.filter(forbund=forbund) if forbund else Medlem.objects.none()
        )

    def rad(self, ordning: int) -> Medlemsrad | None:
        """The row for the service, or None for an empty new row."""
        data = self.cleaned_data
        medlem = data.get("medlem")
        ta_bort = bool(data.get("DELETE"))
        if medlem is None and (ta_bort or not (data.get("namn") or data.get("typ"))):
            return None
        return Medlemsrad(
            namn=data.get("namn") or "",
            typ=data.get("typ") or "",
            invanare=data.get("invanare"),
            medlem=medlem,
            ordning=ordning,
            ta_bort=ta_bort,
        )


class BaseMedlemFormSet(BaseFormSet):
    """The members, checked together by `medlemmar_fel` (a name twice, a member that runs an
    insats removed) with each message on its row."""

    ar: int = 0

    def rader(self) -> list[tuple[MedlemForm, Medlemsrad]]:
        rader: list[tuple[MedlemForm, Medlemsrad]] = []
        for form in self.forms:
            if not form.is_valid():
                continue
            if (rad := form.rad(ordning=len(rader) + 1)) is not None:
                rader.append((form, rad))
        return rader

    def clean(self) -> None:
        if any(self.errors) or not self.ar:
            return
        par = self.rader()
        fel = medlemmar_fel(rader=[r for _, r in par], ar=self.ar)
        for i, radfel in fel.items():
            form = par[i][0]
            for f in radfel:
                falt = f.falt if f.falt in form.fields else None
                if f.falt == "ta_bort":
                    falt = "DELETE"
                form.add_error(falt, f.text)
        if fel:
            raise ValidationError("Rätta medlemmarna som är markerade.")

    def medlemsrader(self) -> list[Medlemsrad]:
        return [r for _, r in self.rader()]


MedlemFormSet = formset_factory(
    MedlemForm, formset=BaseMedlemFormSet, extra=3, can_delete=True, max_num=100
)


def medlemmar_formset(
    *,
    forbund: Forbund | None,
    ar: int,
    data: Any = None,
    initial: Sequence[dict[str, Any]] | None = None,
) -> BaseMedlemFormSet:
    formset = cast(
        BaseMedlemFormSet,
        MedlemFormSet(data, prefix="medlemmar", initial=initial, form_kwargs={"forbund": forbund}),
    )
    formset.ar = ar
    return formset


class BefolkningsarForm(forms.Form):
    ar = forms.IntegerField(
        label="Befolkning per 31/12 år",
        min_value=MINSTA_AR,
        max_value=STORSTA_AR,
        help_text="SCB:s befolkning 31 december. Kommunernas fjärdedel av tilldelningen "
        "delas efter den.",
        error_messages={
            "required": "Ange året för befolkningen.",
            "invalid": "Ange året med fyra siffror, t.ex. 2025.",
            "min_value": f"Året ska vara mellan {MINSTA_AR} och {STORSTA_AR}.",
            "max_value": f"Året ska vara mellan {MINSTA_AR} och {STORSTA_AR}.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class InbjudanForm(forms.Form):
    """A person to invite: name and e-mail (the e-mail becomes the username)."""

    fornamn = forms.CharField(
        label="Förnamn", max_length=150, error_messages={"required": "Ange förnamnet."}
    )
    efternamn = forms.CharField(
        label="Efternamn", max_length=150, error_messages={"required": "Ange efternamnet."}
    )
    epost = forms.EmailField(
        label="E-postadress",
        max_length=150,
        help_text="Inbjudan skickas hit, och adressen blir användarnamnet.",
        error_messages={
            "required": "Ange e-postadressen.",
            "invalid": "Ange en giltig e-postadress, t.ex. namn@kommun.se.",
        },
    )

    def fel_fran_tjansten(self, fel: ValidationError) -> None:
        service_fel_pa_falt(self, fel)
