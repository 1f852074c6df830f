"""A förbund's members (medlemmar) with their population at 31/12 of a year: added, changed
and removed together, as the systemadministratör's page sets them up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from registrering import forbundsregler, permissions
from registrering.audit import audit_log, diff, logga_andring
from registrering.models import AuditEntry, Befolkning, Forbund, Medlem, User
from registrering.regelgrund import Fel, kontrollera
from registrering.services._stod import kraver


@dataclass(frozen=True)
class Medlemsrad:
    """One member as the form gives it: an existing one (`medlem`) or a new one, its name,
    type and order, its population at 31/12 of the year (None: none that year), or removed."""

    namn: str
    typ: str
    invanare: int | None = None
    medlem: Medlem | None = None
    ordning: int = 0
    ta_bort: bool = False


def kan_hantera_medlemmar(user: User, forbund: Forbund) -> bool:
    """The systemadministratör sets up any förbund's members; the förbund's own
    administrators may keep them up to date."""
    return permissions.kan_hantera_forbund(user) or permissions.kan_administrera(user, forbund)


def _medlem_snapshot(medlem: Medlem, ar: int, invanare: int | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "namn": medlem.namn,
        "typ": medlem.typ,
        "ordning": medlem.ordning,
    }
    if invanare is not None:
        data[f"invånare 31/12 {ar}"] = invanare
    return data


def medlemmar_fel(*, rader: Sequence[Medlemsrad], ar: int) -> dict[int, list[Fel]]:
    """The rules of each row (by its index): the member itself, its name not used by an
    earlier row, and a removed member not running any insats."""
    fel: dict[int, list[Fel]] = {}
    tidigare: list[str] = []
    for i, rad in enumerate(rader):
        if rad.ta_bort:
            if rad.medlem is not None:
                insatser = rad.medlem.insatser.values_list("namn", flat=True)
                radfel = forbundsregler.medlem_ta_bort_fel(
                    namn=rad.medlem.namn, insatser=list(insatser)
                )
            else:
                radfel = []
        else:
            radfel = forbundsregler.medlem_fel(
                namn=rad.namn, typ=rad.typ, invanare=rad.invanare, ar=ar
            ) + forbundsregler.medlem_namn_upprepat(rad.namn, tidigare)
            tidigare.append(rad.namn)
        if radfel:
            fel[i] = radfel
    return fel


def _befolkning_satt(medlem: Medlem, ar: int, invanare: int | None) -> int | None:
    """Store (or, with None, remove) the member's population at 31/12 `ar`; returns the old."""
    befintlig = Befolkning.objects.filter(medlem=medlem, ar=ar).first()
    fore = befintlig.invanare if befintlig is not None else None
    if invanare is None:
        if befintlig is not None:
            befintlig.delete()
    elif befintlig is None:
        Befolkning(medlem=medlem, ar=ar, invanare=invanare).save()
    elif befintlig.invanare != invanare:
        befintlig.invanare = invanare
        befintlig.save(update_fields=["invanare"])
    return fore


def _ta_bort(user: User, medlem: Medlem, ar: int) -> None:
    invanare = Befolkning.objects.filter(medlem=medlem, ar=ar).values_list("invanare", flat=True)
    fore = _medlem_snapshot(medlem, ar, invanare.first())
    audit_log(
        user=user, instance=medlem, action=AuditEntry.Action.BORTTAGEN, changes=diff(fore, {})
    )
    medlem.delete()  # its population goes with it (the cascade)


@transaction.atomic
def medlemmar_spara(
    *, user: User, forbund: Forbund, rader: Sequence[Medlemsrad], ar: int
) -> list[Medlem]:
    """Add, change and remove the förbund's members and set their population at 31/12 `ar`,
    all or nothing. One audit row per member that changed, with old → new (its population
    as "invånare 31/12 <år>"). A member used by an insats cannot be removed (the database
    protects it) and keeps its row."""
    kraver(
        kan_hantera_medlemmar(user, forbund),
        "Medlemmarna ändras av systemadministratören eller förbundets administratör.",
    )
    for rad in rader:
        if rad.medlem is not None and rad.medlem.forbund_id != forbund.pk:
            kraver(False, "Medlemmen hör till ett annat förbund.")
    if fel := medlemmar_fel(rader=rader, ar=ar):
        kontrollera(*fel.values())
    for rad in rader:
        if rad.ta_bort and rad.medlem is not None:
            _ta_bort(user, rad.medlem, ar)
    sparade = []
    for rad in rader:
        if rad.ta_bort:
            continue
        medlem = rad.medlem or Medlem(forbund=forbund)
        befintlig_befolkning = (
            Befolkning.objects.filter(medlem=medlem, ar=ar).values_list("invanare", flat=True)
            if medlem.pk
            else None
        )
        fore = (
            _medlem_snapshot(medlem, ar, befintlig_befolkning.first())
            if befintlig_befolkning is not None
            else {}
        )
        medlem.namn, medlem.typ, medlem.ordning = rad.namn.strip(), rad.typ, rad.ordning
        medlem.full_clean()
        medlem.save()
        _befolkning_satt(medlem, ar, rad.invanare)
        logga_andring(
            user=user,
            instance=medlem,
            fore=fore,
            efter=_medlem_snapshot(medlem, ar, rad.invanare),
            fanns=bool(fore),
        )
        sparade.append(medlem)
    return sparade
