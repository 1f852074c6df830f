"""Insatser financed by several förbund: add, change and remove a co-financier of an insats for
a year. Only the kansli of the förbund that runs the insats (`insats.forbund`) writes; the
co-financier sees the row in its bilaga but cannot change it. Every write checks
`regler.medfinansiering`, writes its audit row (old → new, on the owner's log) and tells the
owner's and the co-financier's year that its data changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from registrering import permissions, regler
from registrering.audit import audit_log, diff, logga_andring
from registrering.models import AuditEntry, Forbund, Insats, Medfinansiering, User
from registrering.services._stod import kraver
from registrering.signaler import meddela_andring

MEDFINANSIERINGENS_FALT = ("finansiar", "ar", "belopp", "andel")


def _andel(varde: object) -> Decimal:
    """A share as the column stores it (two decimals), so that "25" and "25.00" are the same."""
    return Decimal(str(varde)).quantize(Decimal("0.01"))


def _bild(finansiar: Forbund, ar: int, belopp: int, andel: Decimal) -> dict[str, Any]:
    """The row as its audit rows show it."""
    return {"finansiar": finansiar.namn, "ar": ar, "belopp": belopp, "andel": str(andel)}


def medfinansiering_fel(
    *,
    insats: Insats,
    finansiar: Forbund | None,
    ar: int,
    belopp: object,
    andel: object,
    rad: Medfinansiering | None = None,
) -> list[regler.Fel]:
    """The rules for a co-financier of `insats` in `ar` (`rad`: the row being changed, left out
    of the other shares and of the duplicates), with the other co-financiers' shares read from
    the database (one query)."""
    ovriga = Medfinansiering.objects.filter(insats=insats, ar=ar)
    if rad is not None and rad.pk:
        ovriga = ovriga.exclude(pk=rad.pk)
    andelar = dict(ovriga.values_list("finansiar_id", "andel"))
    return regler.medfinansiering(
        agare=insats.forbund,
        finansiar=finansiar,
        ar=ar,
        belopp=belopp,
        andel=andel,
        ovriga_andelar=andelar.values(),
        dubblett=finansiar is not None and finansiar.pk in andelar,
    )


@transaction.atomic
def medfinansiering_spara(
    *,
    user: User,
    insats: Insats,
    finansiar: Forbund,
    ar: int,
    belopp: int,
    andel: Decimal | int | str,
    rad: Medfinansiering | None = None,
    import_fran: str | None = None,
) -> Medfinansiering:
    """Add a co-financier of `insats` for `ar`, or change `rad` (a row of the insats): who, the
    year, the amount in kronor and the share in percent. Only the owning förbund's kansli."""
    kraver(permissions.kan_administrera(user, insats.forbund))
    if rad is not None:
        kraver(rad.insats_id == insats.pk)
        rad = Medfinansiering.objects.select_for_update().select_related("finansiar").get(pk=rad.pk)
    # The insats's year is locked: two co-financiers saved at once cannot pass 100 % together.
    list(Medfinansiering.objects.select_for_update().filter(insats=insats, ar=ar))
    regler.kontrollera(
        medfinansiering_fel(
            insats=insats, finansiar=finansiar, ar=ar, belopp=belopp, andel=andel, rad=rad
        )
    )
    fore = _bild(rad.finansiar, rad.ar, rad.belopp, rad.andel) if rad else {}
    forra = (rad.finansiar_id, rad.ar) if rad else None
    rad = rad or Medfinansiering(insats=insats)
    rad.finansiar, rad.ar, rad.belopp, rad.andel = finansiar, ar, belopp, _andel(andel)
    rad.full_clean()
    rad.save()
    logga_andring(
        user=user,
        instance=rad,
        fore=fore,
        efter=_bild(finansiar, ar, belopp, rad.andel),
        import_fran=import_fran,
    )
    _meddela(insats, finansiar.pk, ar)
    if forra is not None and forra != (finansiar.pk, ar):
        _meddela(insats, *forra)
    return rad


@transaction.atomic
def medfinansiering_ta_bort(*, user: User, rad: Medfinansiering) -> None:
    """Remove a co-financier of an insats's year. Only the owning förbund's kansli."""
    insats = rad.insats
    kraver(permissions.kan_administrera(user, insats.forbund))
    audit_log(
        user=user,
        instance=rad,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff(_bild(rad.finansiar, rad.ar, rad.belopp, rad.andel), {}),
    )
    finansiar_id, ar = rad.finansiar_id, rad.ar
    rad.delete()
    _meddela(insats, finansiar_id, ar)


def _meddela(insats: Insats, finansiar_id: int, ar: int) -> None:
    """The owner's bilaga marks the insats, the co-financier's lists it: both years change."""
    meddela_andring(forbund_id=insats.forbund_id, ar=ar)
    meddela_andring(forbund_id=finansiar_id, ar=ar)
