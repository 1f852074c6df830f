"""An insats: its attributes in Uppföljning Finsam, its period and the people responsible."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from registrering import permissions, regler
from registrering.audit import audit_log, diff, logga_andring, logga_skrivning, snapshot
from registrering.models import (
    AuditEntry,
    Avslutsanledning,
    Forbund,
    Insats,
    Insatsgrupp,
    Malgrupp,
    User,
)
from registrering.regler import Fel
from registrering.services._stod import kraver
from registrering.services.katalog import anledningar_som_standard

INSATSFALT = (
    "namn",
    "inriktning",
    "preciserad_inriktning",
    "grupp",
    "utforande_medlem",
    "startdatum",
    "slutdatum",
    "uppfoljning",
    "volymenhet",
    "esf_finansierad",
    "ordning",
    "beskrivning",
)


def insats_snapshot(insats: Insats) -> dict[str, Any]:
    data = snapshot(insats, INSATSFALT)
    if insats.pk:
        data["malgrupper"] = ", ".join(sorted(m.namn for m in insats.malgrupper.all()))
        data["insatsansvariga"] = ", ".join(
            sorted(u.get_username() for u in insats.insatsansvariga.all())
        )
    return data


def insats_fel(
    *, befintlig: Insats | None, varden: Mapping[str, Any], far_andra_fasta: bool
) -> list[Fel]:
    """The rules of an insats, with the values it will have after the change."""

    def effektiv(falt: str, standard: Any) -> Any:
        if falt in varden:
            return varden[falt]
        return getattr(befintlig, falt) if befintlig is not None else standard

    # Only a changed period can leave reported months outside it.
    andrad_period = befintlig is not None and (
        effektiv("startdatum", None) != befintlig.startdatum
        or effektiv("slutdatum", None) != befintlig.slutdatum
    )
    manader = (
        befintlig.manadsrapporter.order_by("ar", "manad").values_list("ar", "manad")
        if befintlig is not None and andrad_period
        else None
    )
    return (
        regler.insats_fasta_falt(befintlig=befintlig, nya_varden=varden, far_andra=far_andra_fasta)
        + regler.insats(
            inriktning=effektiv("inriktning", ""),
            preciserad=effektiv("preciserad_inriktning", ""),
            uppfoljning=effektiv("uppfoljning", Insats.Uppfoljning.DELTAGARFLODE),
            volymenhet=effektiv("volymenhet", ""),
            startdatum=effektiv("startdatum", None),
            slutdatum=effektiv("slutdatum", None),
        )
        + regler.insats_period(
            startdatum=effektiv("startdatum", None),
            slutdatum=effektiv("slutdatum", None),
            forsta_manad=manader.first() if manader is not None else None,
            sista_manad=manader.last() if manader is not None else None,
        )
    )


def _scoped(
    forbund: Forbund,
    varden: Mapping[str, Any],
    ansvariga: Iterable[User] | None,
    anledningar: Iterable[Avslutsanledning] | None = None,
) -> None:
    """Related objects must belong to the insats's own förbund."""
    for falt in ("grupp", "utforande_medlem"):
        objekt = varden.get(falt)
        if objekt is not None and objekt.forbund_id != forbund.pk:
            regler.kontrollera([Fel(falt, "Välj bland förbundets egna.")])
    if ansvariga is not None and any(u.forbund_id != forbund.pk for u in ansvariga):
        regler.kontrollera([Fel("insatsansvariga", "Välj bland förbundets egna användare.")])
    if anledningar is not None and any(a.forbund_id != forbund.pk for a in anledningar):
        regler.kontrollera(
            [Fel("avslutsanledningar", "Välj bland förbundets egna avslutsanledningar.")]
        )


def _anledningsnamn(insats: Insats) -> str:
    return ", ".join(sorted(str(a) for a in insats.avslutsanledningar.all()))


@transaction.atomic
def insats_spara(
    *,
    user: User,
    forbund: Forbund,
    insats: Insats | None = None,
    varden: Mapping[str, Any],
    malgrupper: Iterable[Malgrupp] | None = None,
    insatsansvariga: Iterable[User] | None = None,
    avslutsanledningar: Iterable[Avslutsanledning] | None = None,
    import_fran: str | None = None,
) -> Insats:
    """Create an insats (`insats=None`) or change one. `varden` holds the fields to set;
    `malgrupper`, `insatsansvariga` and `avslutsanledningar` replace the current ones when
    given. A new insats given no avslutsanledningar uses `anledningar_som_standard` (every
    reason of the förbund's general set, for an insats with a participant flow)."""
    kraver(permissions.kan_administrera(user, forbund))
    befintlig = Insats.objects.select_for_update().get(pk=insats.pk) if insats else None
    regler.kontrollera(
        insats_fel(befintlig=befintlig, varden=varden, far_andra_fasta=user.is_superuser)
    )
    ansvariga = list(insatsansvariga) if insatsansvariga is not None else None
    anledningar = list(avslutsanledningar) if avslutsanledningar is not None else None
    _scoped(forbund, varden, ansvariga, anledningar)
    fore = insats_snapshot(befintlig) if befintlig else {}
    if befintlig is not None and anledningar is not None:
        fore["avslutsanledningar"] = _anledningsnamn(befintlig)
    objekt = befintlig or Insats(forbund=forbund)
    for falt, varde in varden.items():
        setattr(objekt, falt, varde)
    objekt.full_clean()
    objekt.save()
    if malgrupper is not None:
        objekt.malgrupper.set(list(malgrupper))
    if ansvariga is not None:
        objekt.insatsansvariga.set(ansvariga)
    if anledningar is None and befintlig is None:
        anledningar = anledningar_som_standard(objekt)
    efter = insats_snapshot(objekt)
    if anledningar is not None:
        objekt.avslutsanledningar.set(anledningar)
        efter["avslutsanledningar"] = _anledningsnamn(objekt)
    if befintlig is None:
        efter = {k: v for k, v in efter.items() if v not in (None, "", False)}
    logga_andring(
        user=user,
        instance=objekt,
        fore=fore,
        efter=efter,
        fanns=befintlig is not None,
        import_fran=import_fran,
    )
    return objekt


@transaction.atomic
def insatsgrupp_skapa(
    *, user: User, forbund: Forbund, namn: str, import_fran: str | None = None
) -> Insatsgrupp:
    """A new group of insatser (e.g. Försteg), reported together."""
    kraver(permissions.kan_administrera(user, forbund))
    grupp = Insatsgrupp(forbund=forbund, namn=namn.strip())
    grupp.full_clean()
    grupp.save()
    logga_skrivning(
        user=user,
        instance=grupp,
        fanns=False,
        changes={"namn": [None, grupp.namn]},
        import_fran=import_fran,
    )
    return grupp


@transaction.atomic
def insats_ta_bort(*, user: User, insats: Insats) -> None:
    """Remove an insats that has no figures yet (one with figures gets an end date instead)."""
    kraver(permissions.kan_administrera(user, insats.forbund))
    regler.kontrollera(
        regler.insats_borttagning(
            har_data=insats.manadsrapporter.exists()
            or insats.ingaende_balanser.exists()
            or insats.arstotaler.exists()
            # A cost post's budget and utfall belong to the insats (Uppföljning Finsam).
            or insats.kostnadsposter.exists()
        )
    )
    audit_log(
        user=user,
        instance=insats,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff(insats_snapshot(insats), {}),
    )
    insats.delete()
