"""Survey answers counted per occasion, question and answer option (the training survey)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from registrering import permissions, regler
from registrering.audit import audit_log, diff, logga_andring, snapshot
from registrering.models import (
    AuditEntry,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Insats,
    Respondentgrupp,
    Svarsalternativ,
    User,
)
from registrering.regler import Fel
from registrering.services._stod import kraver
from registrering.services.enkat_hantering import utbildningsenkat


def enkatsvar_fel(*, antal: object) -> list[Fel]:
    return regler.antal(antal, falt="antal", etikett="Antalet svar")


@transaction.atomic
def enkatsvar_spara(
    *,
    user: User,
    forbund: Forbund,
    tillfalle_namn: str,
    datum: dt.date,
    alternativ: Svarsalternativ,
    antal: int,
    insats: Insats | None = None,
    import_fran: str | None = None,
) -> Enkatsvar:
    """The number of answers with `alternativ` at an occasion; the occasion is created (and
    given its insats) when needed."""
    kraver(permissions.kan_administrera(user, forbund))
    regler.kontrollera(enkatsvar_fel(antal=antal))
    tillfalle = Enkattillfalle.objects.filter(
        forbund=forbund, namn__iexact=tillfalle_namn, datum=datum
    ).first()
    if tillfalle is None:
        # A round made here (the import, the demo) is one of the training survey (bilaga §6).
        tillfalle = Enkattillfalle(
            forbund=forbund,
            namn=tillfalle_namn,
            datum=datum,
            insats=insats,
            enkat=utbildningsenkat(forbund),
            respondentgrupp=Respondentgrupp.KURSDELTAGARE,
            kalla=Enkattillfalle.Kalla.IMPORT,
        )
        tillfalle.full_clean()
        tillfalle.save()
        logga_andring(
            user=user,
            instance=tillfalle,
            fore={},
            efter={k: v for k, v in snapshot(tillfalle).items() if v is not None},
            import_fran=import_fran,
        )
    elif insats is not None and tillfalle.insats_id != insats.pk:
        fore = snapshot(tillfalle, ["insats"])
        tillfalle.insats = insats
        tillfalle.save(update_fields=["insats"])
        logga_andring(
            user=user,
            instance=tillfalle,
            fore=fore,
            efter=snapshot(tillfalle, ["insats"]),
            fanns=True,
            import_fran=import_fran,
        )
    return enkatsvar_satt(
        user=user, tillfalle=tillfalle, alternativ=alternativ, antal=antal, import_fran=import_fran
    )


@transaction.atomic
def enkatsvar_satt(
    *,
    user: User,
    tillfalle: Enkattillfalle,
    alternativ: Svarsalternativ,
    antal: int,
    import_fran: str | None = None,
) -> Enkatsvar:
    """The number of answers with `alternativ` at an occasion that exists (the admin's door;
    `enkatsvar_spara` finds or creates the occasion first)."""
    kraver(permissions.kan_administrera(user, tillfalle.forbund))
    regler.kontrollera(
        enkatsvar_fel(antal=antal),
        regler.svarsalternativ_hor_till(
            tillfalle=tillfalle, fraga=alternativ.fraga, alternativ_text=alternativ.text
        ),
    )
    svar = Enkatsvar.objects.filter(tillfalle=tillfalle, alternativ=alternativ).first()
    fore = {"antal": svar.antal} if svar else {}
    svar = svar or Enkatsvar(tillfalle=tillfalle, alternativ=alternativ)
    svar.antal = antal
    svar.full_clean()
    svar.save()
    logga_andring(
        user=user, instance=svar, fore=fore, efter={"antal": antal}, import_fran=import_fran
    )
    return svar


@transaction.atomic
def enkatsvar_ta_bort(*, user: User, svar: Enkatsvar) -> None:
    """Remove the number of answers with one option at one occasion."""
    kraver(permissions.kan_administrera(user, svar.tillfalle.forbund))
    audit_log(
        user=user,
        instance=svar,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff({"antal": svar.antal}, {}),
    )
    svar.delete()
