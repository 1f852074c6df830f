"""The year start in the browser: the ingående balans on 1 January of a deltagarflöde insats,
proposed from the previous December, confirmed by the insatsansvarig and corrected by the
kansli with a reason. The view checks permission, validates, calls the service and responds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from registrering import permissions, services
from registrering.audit import historik
from registrering.forms import IngaendeBalansForm
from registrering.models import PRIVACY_HELP, AuditEntry, Huvudman, IngaendeBalans


@login_required
@require_http_methods(["GET", "POST"])
def ingaende_balans(request: HttpRequest, pk: int, ar: int) -> HttpResponse:
    """Year start: the balance on 1 January, proposed from the previous December. Once
    confirmed it is read-only to the insatsansvarig; the kansli corrects it with a reason."""
    insats = permissions.insats_for_user(request.user, pk)
    if insats.ar_volyminsats:
        raise Http404("En volyminsats har ingen ingående balans.")
    huvudman = list(Huvudman.objects.filter(forbund_id=insats.forbund_id).order_by("ordning"))
    forslag = services.ingaende_balans_forslag(insats=insats, ar=ar)
    befintlig = (
        IngaendeBalans.objects.filter(insats=insats, ar=ar)
        .select_related("bekraftad_av")
        .prefetch_related("per_huvudman")
        .first()
    )
    kan_rapportera = permissions.kan_rapportera(request.user, insats)
    kan_andra = kan_rapportera and (
        befintlig is None or permissions.kan_administrera(request.user, insats.forbund)
    )
    if request.method == "POST":
        if not kan_andra:
            raise PermissionDenied(
                "Ingående balansen är bekräftad. Verksamhetsutvecklaren eller förbundschefen "
                "rättar den om det behövs."
            )
        form = _balansformular(request.POST, huvudman, befintlig)
        if form.is_valid():
            try:
                services.ingaende_balans_satt(
                    user=permissions.inloggad(request),
                    insats=insats,
                    ar=ar,
                    kvinnor=form.cleaned_data["kvinnor"],
                    man=form.cleaned_data["man"],
                    per_huvudman=form.per_huvudman(),
                    anledning=form.cleaned_data["anledning"],
                )
                messages.success(
                    request,
                    f"Ingående balans 1/1 {ar} för {insats.namn} är "
                    f"{'rättad' if befintlig else 'bekräftad'}.",
                )
                return redirect("registrering:ingaende_balans", pk=insats.pk, ar=ar)
            except ValidationError as exc:
                form.add_service_errors(exc)
        status = 400
    else:
        if befintlig is not None:
            # A correction says its own reason: the earlier one stays in the history.
            initial = {"kvinnor": befintlig.kvinnor, "man": befintlig.man}
            initial.update(
                {f"huvudman_{r.huvudman_id}": r.antal for r in befintlig.per_huvudman.all()}
            )
        else:
            initial = {"kvinnor": forslag.kon.kvinnor, "man": forslag.kon.man}
            initial.update({f"huvudman_{pk}": antal for pk, antal in forslag.per_huvudman.items()})
        form = _balansformular(None, huvudman, befintlig, initial=initial)
        status = 200
    return render(
        request,
        "registrering/ingaende_balans.html",
        {
            "insats": insats,
            "ar": ar,
            "form": form,
            "forslag": forslag,
            "befintlig": befintlig,
            "kan_andra": kan_andra,
            "last_for_ansvarig": kan_rapportera and not kan_andra,
            "historik": _balanshistorik(befintlig),
            "huvudman": huvudman,
        },
        status=status,
    )


def _balansformular(
    data: Any, huvudman: list[Huvudman], befintlig: IngaendeBalans | None, **kwargs: Any
) -> IngaendeBalansForm:
    form = IngaendeBalansForm(data, huvudman=huvudman, **kwargs)
    if befintlig is not None:
        form.fields["anledning"].label = "Anledning till rättelsen"
        form.fields["anledning"].help_text = (
            "Krävs om antalet ändras. Den tidigare anledningen finns kvar i historiken. "
            + PRIVACY_HELP
        )
    return form


BALANSHANDELSER = {
    AuditEntry.Action.SKAPAD: "Bekräftad",
    AuditEntry.Action.ANDRAD: "Rättad",
    AuditEntry.Action.IMPORTERAD: "Bekräftad genom import",
    AuditEntry.Action.BORTTAGEN: "Borttagen",
}


def _balanshistorik(balans: IngaendeBalans | None) -> list[dict[str, Any]]:
    """The balance's history, each entry named as what it was to the balance: confirmed,
    confirmed again (saved without a change), corrected."""
    poster = historik(balans, IngaendeBalans)
    for h in poster:
        entry = h["entry"]
        h["handelse"] = (
            "Bekräftad igen"
            if entry.action == AuditEntry.Action.ANDRAD and not h["andringar"]
            else BALANSHANDELSER.get(entry.action, entry.get_action_display())
        )
    return poster
