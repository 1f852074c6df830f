"""The page Påminnelser (/konton/paminnelser/): the logged-in user turns their own reminders by
e-mail on and off (registrering.paminnelser)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from registrering import permissions, services
from registrering.models import Forbund, User
from registrering.paminnelser import anvandarens_slag

HJALP = {
    "paminnelse_manad": "Månader som saknas eller är returnerade, några dagar före och efter "
    "sista rapportdagen.",
    "paminnelse_vecka": "Per insats: månader som inte är inskickade, väntar på granskning "
    "eller är returnerade.",
}


class PaminnelserForm(forms.Form):
    """A checkbox for each kind of mail the user's roles get."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for falt, etikett in anvandarens_slag(user):
            self.fields[falt] = forms.BooleanField(
                label=etikett,
                required=False,
                initial=getattr(user, falt),
                help_text=HJALP[falt],
            )


def _schema(forbund: Forbund, falt: set[str]) -> list[str]:
    """When the förbund sends the user's kinds of mail, in words."""
    if not forbund.paminnelser_pa:
        return [f"{forbund.namn} skickar inga påminnelser med e-post just nu."]
    text = []
    if "paminnelse_manad" in falt:
        fore = forbund.paminnelse_dagar_fore
        fore_text = (
            "på sista rapportdagen" if fore == 0 else f"{fore} dagar före sista rapportdagen"
        )
        text.append(
            f"Sista rapportdag är den {forbund.rapportdag}:e i månaden efter. Påminnelser "
            f"skickas {fore_text} och {forbund.paminnelse_dagar_efter} dagar efter, bara när "
            "någon av dina månader väntar."
        )
    if "paminnelse_vecka" in falt:
        veckodag = forbund.get_sammanfattning_veckodag_display()
        text.append(f"Veckosammanfattningen skickas på {veckodag}ar.")
    return text


@login_required
@require_http_methods(["GET", "POST"])
def paminnelser(request: HttpRequest) -> HttpResponse:
    user = permissions.inloggad(request)
    slag = anvandarens_slag(user)
    if not slag:
        raise PermissionDenied("Det finns inga påminnelser med e-post för din roll.")
    form = PaminnelserForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        services.paminnelser_spara(user=user, varden=form.cleaned_data)
        messages.success(request, "Dina val för påminnelser är sparade.")
        return redirect("paminnelser")
    return render(
        request,
        "registrering/paminnelser.html",
        {
            "form": form,
            "schema": _schema(permissions.forbund_for_user(user), {falt for falt, _ in slag}),
        },
    )
