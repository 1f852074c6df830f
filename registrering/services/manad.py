"""A month's figures and its workflow: save, send in, return, approve, unlock, registered,
delete. Each function checks permission and the rules, writes, and writes the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registrering import manadsliggare, permissions, regler
from registrering.audit import Handelse, audit_entries_for, audit_log, diff, skriv_handelser
from registrering.ledger import Kon
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Insats,
    Manadsrapport,
    NyaPerHuvudman,
    User,
)
from registrering.services._stod import (
    FLODESFALT,
    MED_FORDELNINGAR,
    kraver,
    rapport_snapshot,
)
from registrering.services.manad_fel import (
    Manadsuppgifter,
    ar_utkast,
    manad_brister,
    manad_fel,
    som_antal,
)

Status = Manadsrapport.Status


class SamtidigAndring(ValidationError):
    """Someone else saved the month after this form was opened (a lost update was prevented)."""

    def __init__(self, rapport: Manadsrapport, andringar: dict[str, list[Any]]) -> None:
        super().__init__(
            "Någon annan har sparat månaden medan du arbetade. Se vad som ändrats, "
            "kontrollera dina siffror och spara igen."
        )
        self.rapport = rapport
        self.andringar = andringar


def _konflikt(rapport: Manadsrapport, version: int | None) -> None:
    if version is None or version == rapport.version:
        return
    senaste = audit_entries_for(rapport).first()
    andringar = senaste.changes if senaste else diff({}, rapport_snapshot(rapport))
    raise SamtidigAndring(rapport, andringar)


def _skriv_fordelningar(
    rapport: Manadsrapport, avslut: Mapping[int, object], nya_huvudman: Mapping[int, object]
) -> None:
    rapport.avslut.all().delete()
    AvslutadePerAnledning.objects.bulk_create(
        AvslutadePerAnledning(rapport=rapport, anledning_id=pk, antal=cast(int, antal))
        for pk, antal in avslut.items()
        if antal
    )
    rapport.nya_huvudman.all().delete()
    NyaPerHuvudman.objects.bulk_create(
        NyaPerHuvudman(rapport=rapport, huvudman_id=pk, antal=cast(int, antal))
        for pk, antal in nya_huvudman.items()
        if antal
    )


def _nya_fordelningar(uppgifter: Manadsuppgifter) -> tuple[dict[int, object], dict[int, object]]:
    """The breakdowns as they are stored: the rows with a count (id → antal)."""
    return (
        {pk: antal for pk, antal in (uppgifter.avslut or {}).items() if antal},
        {pk: antal for pk, antal in (uppgifter.nya_huvudman or {}).items() if antal},
    )


def _oforandrad(rapport: Manadsrapport, uppgifter: Manadsuppgifter, kommentar: str) -> bool:
    """Whether saving would store exactly what the month holds (its breakdowns prefetched)."""
    avslut, nya_huvudman = _nya_fordelningar(uppgifter)
    return (
        all(getattr(rapport, f) == som_antal(getattr(uppgifter, f)) for f in FLODESFALT)
        and rapport.volym == uppgifter.volym
        and rapport.kommentar == kommentar
        and {a.anledning_id: a.antal for a in rapport.avslut.all()} == avslut
        and {n.huvudman_id: n.antal for n in rapport.nya_huvudman.all()} == nya_huvudman
    )


def _skriv(
    user: User, rapport: Manadsrapport, uppgifter: Manadsuppgifter, kommentar: str
) -> Manadsrapport:
    """Store the month's figures that the rules let through, with its audit row."""
    skapad = rapport.pk is None
    fore = {} if skapad else rapport_snapshot(rapport)
    if skapad:
        rapport.status = Status.UTKAST
    else:
        rapport.version += 1
    for falt in FLODESFALT:
        setattr(rapport, falt, som_antal(getattr(uppgifter, falt)))
    rapport.volym = uppgifter.volym  # type: ignore[assignment]
    rapport.kommentar = kommentar
    # The rules have refused whatever the model's constraints would (counts, month), and the
    # database checks them again on save: not once more here with a query per constraint.
    # The insats is the one the permission check read.
    rapport.full_clean(exclude=["insats"], validate_constraints=False)
    rapport.save()
    getattr(rapport, "_prefetched_objects_cache", {}).clear()  # the rows are written anew
    _skriv_fordelningar(rapport, *_nya_fordelningar(uppgifter))
    andringar = diff(fore, rapport_snapshot(rapport))
    if skapad or andringar:
        audit_log(
            user=user,
            instance=rapport,
            action=AuditEntry.Action.SKAPAD if skapad else AuditEntry.Action.ANDRAD,
            changes=andringar,
        )
    return rapport


@transaction.atomic
def manadsrapport_spara(
    *,
    user: User,
    insats: Insats,
    ar: int,
    manad: int,
    nya_kvinnor: object = 0,
    nya_man: object = 0,
    avslutade_kvinnor: object = 0,
    avslutade_man: object = 0,
    volym: object = None,
    avslut: Mapping[int, object] | None = None,
    nya_huvudman: Mapping[int, object] | None = None,
    kommentar: str = "",
    version: int | None = None,
    idag: dt.date | None = None,
    skicka_in: bool = False,
) -> Manadsrapport:
    """Save a month's figures (a draft, or a correction before approval), and with
    `skicka_in` send it in for review in the same step.

    A draft (`ar_utkast`) may be half done: a count left empty (kept as 0) or a breakdown that
    does not add up yet (`manad_brister`). Numbers that are not counts, or a flow that ends
    more participants than there were, are refused even in a draft. A month sent in, or
    sent in now, must pass every rule; if it does not, nothing is saved.

    `version` is the version the form was opened with (0: before the month existed): if
    someone saved in between, `SamtidigAndring` is raised and nothing is written. Without a
    version (a program, not a form) the month is saved over whatever is there."""
    kraver(permissions.kan_rapportera(user, insats))
    rapport = (
        Manadsrapport.objects.select_for_update()
        .filter(insats=insats, ar=ar, manad=manad)
        .prefetch_related(*MED_FORDELNINGAR)
        .first()
    )
    if rapport is not None:
        rapport.insats = insats  # the same row: its name and förbund without a query each
    regler.kontrollera(
        regler.manad_redigerbar(
            insats=insats,
            ar=ar,
            manad=manad,
            status=rapport.status if rapport else None,
            idag=idag or timezone.localdate(),
            kan_godkanna=permissions.kan_godkanna(user, insats.forbund),
        )
    )
    if rapport is not None:
        _konflikt(rapport, version)
    uppgifter = Manadsuppgifter(
        nya_kvinnor=nya_kvinnor,
        nya_man=nya_man,
        avslutade_kvinnor=avslutade_kvinnor,
        avslutade_man=avslutade_man,
        volym=volym,
        avslut=avslut,
        nya_huvudman=nya_huvudman,
    )
    status = rapport.status if rapport else None
    regler.kontrollera(
        manad_fel(
            insats=insats,
            ar=ar,
            manad=manad,
            uppgifter=uppgifter,
            utkast=ar_utkast(status, skicka_in=skicka_in),
        )
    )

    if rapport is None:
        rapport = _skriv(
            user, Manadsrapport(insats=insats, ar=ar, manad=manad), uppgifter, kommentar
        )
    elif not _oforandrad(rapport, uppgifter, kommentar):
        rapport = _skriv(user, rapport, uppgifter, kommentar)
    # else: the month as it was (a form sent again unchanged): nothing to write or audit, and
    # its version stays, as nobody's figures changed.
    if skicka_in and rapport.status in (Status.UTKAST, Status.RETURNERAD):
        rapport = manadsrapport_skicka_in(user=user, rapport=rapport)
    return rapport


@transaction.atomic
def manadsrapport_ta_bort(*, user: User, rapport: Manadsrapport) -> None:
    """Remove a month that is not approved, if the months after it still add up without it."""
    insats = rapport.insats
    kraver(permissions.kan_administrera(user, insats.forbund))
    rapport = Manadsrapport.objects.select_for_update().get(pk=rapport.pk)
    regler.kontrollera(
        regler.manad_oppen(
            insats=insats,
            ar=rapport.ar,
            manad=rapport.manad,
            status=rapport.status,
            kan_godkanna=True,
        )
    )
    if not insats.ar_volyminsats:
        bok = manadsliggare.liggare([insats.pk], fran_ar=rapport.ar)
        bok.satt_manad(insats.pk, rapport.ar, rapport.manad, Kon(), Kon())
        regler.kontrollera(
            regler.liggaren(
                bok.saldon(insats.pk), fran=(rapport.ar, rapport.manad), orsak="Borttagningen"
            )
        )
    audit_log(
        user=user,
        instance=rapport,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff(rapport_snapshot(rapport), {}),
    )
    rapport.delete()


def _byt_status(
    *,
    user: User,
    rapport: Manadsrapport,
    fran: set[str],
    till: str,
    action: str,
    kommentar: str = "",
    **falt: Any,
) -> Manadsrapport:
    rapport = (
        Manadsrapport.objects.select_related("insats")
        .select_for_update(of=("self",))
        .get(pk=rapport.pk)
    )
    if rapport.status not in fran:
        raise ValidationError(
            f"Månaden har status ”{rapport.get_status_display()}” och kan inte "
            f"få status ”{Status(till).label}”."
        )
    fore = rapport_snapshot(rapport)
    rapport.status = till
    for name, value in falt.items():
        setattr(rapport, name, value)
    rapport.version += 1
    rapport.save()
    audit_log(
        user=user,
        instance=rapport,
        action=action,
        changes=diff(fore, rapport_snapshot(rapport)),
        kommentar=kommentar,
    )  # the audit writer bumps the year's data version (registrering.dataversion)
    return rapport


def _kontrollera_komplett(rapport: Manadsrapport) -> None:
    """A month saved as a draft may be half done; sent in or approved it may not."""
    sparad = Manadsrapport.objects.select_for_update().select_related("insats").get(pk=rapport.pk)
    regler.kontrollera(
        manad_brister(insats=sparad.insats, uppgifter=Manadsuppgifter.fran_rapport(sparad))
    )


@transaction.atomic
def manadsrapport_skicka_in(*, user: User, rapport: Manadsrapport) -> Manadsrapport:
    """The insatsansvarig sends the month to the verksamhetsutvecklare for review: complete,
    with nothing `manad_brister` names."""
    kraver(permissions.kan_rapportera(user, rapport.insats))
    _kontrollera_komplett(rapport)
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.UTKAST, Status.RETURNERAD},
        till=Status.INSKICKAD,
        action=AuditEntry.Action.INSKICKAD,
        inskickad_av=user,
        inskickad_tid=timezone.now(),
    )


@transaction.atomic
def manadsrapport_godkann(*, user: User, rapport: Manadsrapport) -> Manadsrapport:
    """Approve and lock the month: complete, with nothing `manad_brister` names."""
    kraver(permissions.kan_godkanna(user, rapport.insats.forbund))
    _kontrollera_komplett(rapport)
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.UTKAST, Status.INSKICKAD, Status.RETURNERAD},
        till=Status.GODKAND,
        action=AuditEntry.Action.GODKAND,
        godkand_av=user,
        godkand_tid=timezone.now(),
    )


@transaction.atomic
def manadsrapport_returnera(*, user: User, rapport: Manadsrapport, kommentar: str) -> Manadsrapport:
    """Send the month back to the insatsansvarig with a comment they will see."""
    kraver(permissions.kan_godkanna(user, rapport.insats.forbund))
    if not kommentar.strip():
        raise ValidationError({"kommentar": "Skriv vad som behöver rättas."})
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.INSKICKAD},
        till=Status.RETURNERAD,
        action=AuditEntry.Action.RETURNERAD,
        kommentar=kommentar,
        returkommentar=kommentar.strip(),
    )


@transaction.atomic
def manadsrapport_las_upp(*, user: User, rapport: Manadsrapport, anledning: str) -> Manadsrapport:
    """Unlock an approved month for correction; it must be approved (and registered) again."""
    kraver(permissions.kan_godkanna(user, rapport.insats.forbund))
    if not anledning.strip():
        raise ValidationError({"anledning": "Ange varför månaden låses upp."})
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.GODKAND, Status.REGISTRERAD},
        till=Status.INSKICKAD,
        action=AuditEntry.Action.UPPLAST,
        kommentar=anledning,
        godkand_av=None,
        godkand_tid=None,
        registrerad_av=None,
        registrerad_datum=None,
    )


@transaction.atomic
def manadsrapport_markera_registrerad(
    *, user: User, rapport: Manadsrapport, datum: dt.date | None = None
) -> Manadsrapport:
    """Record that the approved month has been entered in Uppföljning Finsam."""
    kraver(permissions.kan_godkanna(user, rapport.insats.forbund))
    return _byt_status(
        user=user,
        rapport=rapport,
        fran={Status.GODKAND},
        till=Status.REGISTRERAD,
        action=AuditEntry.Action.REGISTRERAD,
        registrerad_av=user,
        registrerad_datum=datum or timezone.localdate(),
    )


@transaction.atomic
def manadsrapporter_markera_registrerade(
    *, user: User, registreringar: Sequence[tuple[Manadsrapport, dt.date]]
) -> list[Manadsrapport]:
    """Many approved months entered in Uppföljning Finsam, each on its date: all or none, with
    one audit row per month (as `manadsrapport_markera_registrerad`, in one go)."""
    rapporter = {
        r.pk: r
        for r in Manadsrapport.objects.select_for_update()
        .select_related("insats__forbund")
        .filter(pk__in=[r.pk for r, _d in registreringar])
    }
    for forbund in {r.insats.forbund for r in rapporter.values()}:
        kraver(permissions.kan_godkanna(user, forbund))
    fel = [
        f"{r}: månaden har status ”{r.get_status_display()}” och kan inte få status "
        f"”{Status.REGISTRERAD.label}”."
        for r in rapporter.values()
        if r.status != Status.GODKAND
    ]
    if fel:
        raise ValidationError(fel)
    handelser = []
    for rapport, datum in registreringar:
        sparad = rapporter[rapport.pk]
        fore = {"status": sparad.status, "registrerad_datum": None}
        sparad.status, sparad.registrerad_av, sparad.registrerad_datum = (
            Status.REGISTRERAD,
            user,
            datum,
        )
        sparad.version += 1
        efter = {"status": sparad.status, "registrerad_datum": datum.isoformat()}
        handelser.append(
            Handelse(
                sparad,
                AuditEntry.Action.REGISTRERAD,
                diff(fore, efter),
                "",
                sparad.insats.forbund_id,
            )
        )
    Manadsrapport.objects.bulk_update(
        list(rapporter.values()),
        ["status", "registrerad_av", "registrerad_datum", "version"],
        batch_size=500,
    )
    skriv_handelser(user=user, handelser=handelser)
    return list(rapporter.values())


def rapport_historik(rapport: Manadsrapport) -> Any:
    return audit_entries_for(rapport)
