"""The review on the month page: which month waits next, and the review's small forms
(return, unlock, registered) sent back to the month's own address when they have an error.

The queue is a read, scoped to the förbund and to the insatser the user may see.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from registrering import permissions
from registrering.forms import LasUppForm, RegistreradForm, ReturneraForm
from registrering.kalender import MANADER
from registrering.models import Forbund, Manadsrapport
from registrering.permissions import Anvandare


def nasta_att_granska(
    *, user: Anvandare, forbund: Forbund, utom: Manadsrapport | None = None
) -> Manadsrapport | None:
    """The month sent in that has waited longest: the oldest month first, and within a month
    the insatser in the order of the månadsöversikt. `utom` is the month on the screen."""
    vantande = Manadsrapport.objects.filter(
        insats__in=permissions.insatser_for_user(user, forbund),
        status=Manadsrapport.Status.INSKICKAD,
    )
    if utom is not None:
        vantande = vantande.exclude(pk=utom.pk)
    return (
        vantande.select_related("insats")
        .order_by("ar", "manad", "insats__ordning", "insats__namn", "insats__pk")
        .first()
    )


#: The review's small forms on the month page: prefix → (context name, form, field to return to).
GRANSKNINGSFORMULAR: dict[str, tuple[str, type[forms.Form], str]] = {
    "retur": ("returnera_form", ReturneraForm, "kommentar"),
    "upplasning": ("las_upp_form", LasUppForm, "anledning"),
    "registrerad": ("registrerad_form", RegistreradForm, "datum"),
}
SPARAT_FORMULAR = "manadens_granskningsformular"


def tillbaka_med_fel(request: HttpRequest, rapport: Manadsrapport, prefix: str) -> HttpResponse:
    """A review form with an error goes back to the month's own address, at the field: what
    was typed waits in the session for the month page to show with its message."""
    request.session[SPARAT_FORMULAR] = {
        "manad": rapport.pk,
        "prefix": prefix,
        "data": {k: v for k, v in request.POST.items() if k.startswith(f"{prefix}-")},
    }
    falt = GRANSKNINGSFORMULAR[prefix][2]
    url = reverse("registrering:manad", args=[rapport.insats_id, rapport.ar, rapport.manad])
    return redirect(f"{url}#id_{prefix}-{falt}")


def sparat_formular(request: HttpRequest, rapport: Manadsrapport | None) -> dict[str, forms.Form]:
    """The review form sent back by `tillbaka_med_fel`, bound again to show its message."""
    sparat = request.session.pop(SPARAT_FORMULAR, None)
    if not sparat or rapport is None or sparat.get("manad") != rapport.pk:
        return {}
    namn, klass, _falt = GRANSKNINGSFORMULAR[sparat["prefix"]]
    form = klass(sparat["data"], prefix=sparat["prefix"])
    form.is_valid()
    return {namn: form}


def nasta_text(request: HttpRequest, rapport: Manadsrapport) -> str:
    nasta = nasta_att_granska(user=request.user, forbund=rapport.insats.forbund, utom=rapport)
    if nasta is None:
        return "Inga fler månader väntar på granskning."
    return format_html(
        'Nästa att granska: <a href="{}">{}, {} {}</a>.',
        reverse("registrering:manad", args=[nasta.insats_id, nasta.ar, nasta.manad]),
        nasta.insats.namn,
        MANADER[nasta.manad],
        nasta.ar,
    )
