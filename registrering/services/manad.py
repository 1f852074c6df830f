"""A month's figures and its workflow: save, send in, return, approve, unlock, registered,
delete. Each function checks permission and the rules, writes, and writes the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registrering import ledger, permissions, regler
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
from registrering.regler import Fel
from registrering.services._stod import (
    FLODESFALT,
    MED_FORDELNINGAR,
    kraver,
    rapport_snapshot,
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


@dataclass(frozen=True)
class Manadsuppgifter:
    """A month's figures as they were entered, before the rules have looked at them.

    A count left empty is None (a draft keeps 0 for it). `avslut` maps avslutsanledning id →
    antal and `nya_huvudman` huvudman id → antal; an empty breakdown means "not given".
    `okanda` names the fields whose text could not be read as a number ("avslut" and
    "nya_huvudman" for a row of theirs): the form says why, and the rules that need them wait."""

    nya_kvinnor: object = 0
    nya_man: object = 0
    avslutade_kvinnor: object = 0
    avslutade_man: object = 0
    volym: object = None
    avslut: Mapping[int, object] | None = None
    nya_huvudman: Mapping[int, object] | None = None
    okanda: frozenset[str] = frozenset()

    @classmethod
    def fran_rapport(cls, rapport: Manadsrapport) -> Manadsuppgifter:
        """The figures of a saved month, with its breakdowns."""
        return cls(
            **{f: getattr(rapport, f) for f in FLODESFALT},
            volym=rapport.volym,
            avslut={a.anledning_id: a.antal for a in rapport.avslut.all()},
            nya_huvudman={n.huvudman_id: n.antal for n in rapport.nya_huvudman.all()},
        )

    @property
    def nya(self) -> Kon:
        return Kon(_tal(self.nya_kvinnor), _tal(self.nya_man))

    @property
    def avslutade(self) -> Kon:
        return Kon(_tal(self.avslutade_kvinnor), _tal(self.avslutade_man))


def _tal(varde: object) -> int:
    """A count the rules have let through; empty (or not readable) counts as 0."""
    return varde if isinstance(varde, int) and not isinstance(varde, bool) else 0


def ar_utkast(status: str | None, *, skicka_in: bool) -> bool:
    """Whether saving leaves the month a draft (new, utkast or returnerad, and not sent in
    with the save): then it may still lack what `manad_brister` names."""
    return not skicka_in and status in (None, Status.UTKAST, Status.RETURNERAD)


def _tidigare_och_senare_volym(
    insats: Insats, ar: int, manad: int
) -> tuple[int | None, tuple[int, str] | None]:
    rader = list(
        Manadsrapport.objects.filter(insats=insats, ar=ar, volym__isnull=False)
        .exclude(manad=manad)
        .order_by("manad")
        .values_list("manad", "volym")
    )
    tidigare = [v or 0 for m, v in rader if m < manad]
    senare = [(v or 0, regler.manadsnamn(ar, m)) for m, v in rader if m > manad]
    return (tidigare[-1] if tidigare else None), (senare[0] if senare else None)


def _volymfel(insats: Insats, ar: int, manad: int, uppgifter: Manadsuppgifter) -> list[Fel]:
    if uppgifter.volym is None or "volym" in uppgifter.okanda:
        return []  # not given: `manad_brister`'s to name
    tidigare, senare = _tidigare_och_senare_volym(insats, ar, manad)
    return regler.volym(
        enhet=insats.volymenhet,
        enhet_namn=insats.get_volymenhet_display(),
        varde=uppgifter.volym,
        tidigare=tidigare,
        senare=senare,
    )


def _fordelningarnas_giltiga(insats: Insats) -> dict[str, tuple[dict[int, str], str]]:
    """Per breakdown: the keys the insats may use, and what one key is called (read through
    the insats and its förbund: a caller that prefetched them, as the month form does, pays no
    query here)."""
    return {
        "avslut": ({a.pk: a.namn for a in insats.avslutsanledningar.all()}, "avslutsanledning"),
        "nya_huvudman": (
            {h.pk: h.namn for h in insats.forbund.huvudman.all()},
            "huvudman",
        ),
    }


def _flodesfel(
    insats: Insats, ar: int, manad: int, uppgifter: Manadsuppgifter
) -> tuple[list[Fel], set[str]]:
    """The rules even a draft must pass: the counts are counts, the breakdowns' rows are valid,
    and no month from this one on ends more participants than it had. Also the fields whose
    value the later rules cannot use (unreadable or refused here)."""
    varden = {
        f: getattr(uppgifter, f)
        for f in FLODESFALT
        if f not in uppgifter.okanda and getattr(uppgifter, f) is not None
    }
    fel = regler.flodesantal(varden)
    trasiga = set(uppgifter.okanda) | {f.falt for f in fel}
    for falt, (giltiga, per) in _fordelningarnas_giltiga(insats).items():
        if falt not in uppgifter.okanda:
            radfel = regler.fordelning_rader(
                getattr(uppgifter, falt), giltiga=giltiga, per=per, falt=falt
            )
            fel += radfel
            trasiga |= {f.falt for f in radfel}
    # Per gender, when both its counts are usable: a gender's ledger does not depend on the
    # other's, so an unreadable count of one does not hide the other's message.
    utom = {k for k in ("kvinnor", "man") if {f"nya_{k}", f"avslutade_{k}"} & trasiga}

    def tal(falt: str) -> int:
        return 0 if falt in trasiga else _tal(varden.get(falt))

    nya = Kon(tal("nya_kvinnor"), tal("nya_man"))
    avslutade = Kon(tal("avslutade_kvinnor"), tal("avslutade_man"))
    bok = ledger.liggare([insats.pk], fran_ar=ar)
    bok.satt_manad(insats.pk, ar, manad, nya, avslutade)
    saldo = bok.saldo(insats.pk, ar, manad)
    flodesfel = [
        f
        for f in regler.flode(start=saldo.start, nya=nya, avslutade=avslutade)
        if f.falt.removeprefix("avslutade_") not in utom
    ]
    fel += flodesfel
    fel += regler.liggaren(
        bok.saldon(insats.pk),
        fran=(ar, manad),
        orsak="Ändringen",
        utom=utom | {f.falt.removeprefix("avslutade_") for f in flodesfel},
    )
    return fel, trasiga


def _brister(insats: Insats, uppgifter: Manadsuppgifter, trasiga: set[str]) -> list[Fel]:
    if insats.ar_volyminsats:
        if uppgifter.volym is None and "volym" not in trasiga:
            return regler.volym(
                enhet=insats.volymenhet, enhet_namn=insats.get_volymenhet_display(), varde=None
            )
        return []
    fel = regler.flode_ifyllt({f: getattr(uppgifter, f) for f in FLODESFALT if f not in trasiga})
    for falt, totalfalt, total, vad, per in (
        ("nya_huvudman", ("nya_kvinnor", "nya_man"), uppgifter.nya, "nya", "huvudman"),
        (
            "avslut",
            ("avslutade_kvinnor", "avslutade_man"),
            uppgifter.avslutade,
            "avslutade",
            "avslutsanledning",
        ),
    ):
        if falt not in trasiga and not trasiga & set(totalfalt):
            fel += regler.fordelning_summa(
                getattr(uppgifter, falt), total=total.totalt, vad=vad, per=per, falt=falt
            )
    return fel


def manad_brister(*, insats: Insats, uppgifter: Manadsuppgifter) -> list[Fel]:
    """What a draft may still lack, and a month sent in or approved may not: every count
    filled in (0 if none), the volume, and each breakdown that is given adding up to its
    total. Shown on a saved draft as what is left before it can be sent in."""
    return _brister(insats, uppgifter, set(uppgifter.okanda))


def manad_fel(
    *, insats: Insats, ar: int, manad: int, uppgifter: Manadsuppgifter, utkast: bool = False
) -> list[Fel]:
    """Every rule a month's figures must pass, all messages at once: the counts, the
    breakdowns, and the ledger (no month from this one on ends with fewer than zero). With
    `utkast`, only what even a draft must pass: what it may still lack is `manad_brister`'s."""
    fel = regler.flode_eller_volym(
        ar_volyminsats=insats.ar_volyminsats,
        har_flode=any(_tal(getattr(uppgifter, f)) for f in FLODESFALT)
        or bool(uppgifter.avslut or uppgifter.nya_huvudman),
        har_volym=uppgifter.volym is not None,
    )
    if insats.ar_volyminsats:
        fel += _volymfel(insats, ar, manad, uppgifter)
        trasiga = set(uppgifter.okanda) | {f.falt for f in fel}
    else:
        flodesfel, trasiga = _flodesfel(insats, ar, manad, uppgifter)
        fel += flodesfel
    if not utkast:
        fel += _brister(insats, uppgifter, trasiga)
    return fel


def manadsrapport_fel(
    *,
    user: User,
    insats: Insats,
    ar: int,
    manad: int,
    uppgifter: Manadsuppgifter,
    skicka_in: bool = False,
    idag: dt.date | None = None,
) -> list[Fel]:
    """What `manadsrapport_spara` would refuse, without writing anything: a form whose other
    fields could not be read shows the rules' messages for the rest in the same round."""
    status = (
        Manadsrapport.objects.filter(insats=insats, ar=ar, manad=manad)
        .values_list("status", flat=True)
        .first()
    )
    return regler.manad_redigerbar(
        insats=insats,
        ar=ar,
        manad=manad,
        status=status,
        idag=idag or timezone.localdate(),
        kan_godkanna=permissions.kan_godkanna(user, insats.forbund),
    ) or manad_fel(
        insats=insats,
        ar=ar,
        manad=manad,
        uppgifter=uppgifter,
        utkast=ar_utkast(status, skicka_in=skicka_in),
    )


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
        all(getattr(rapport, f) == _tal(getattr(uppgifter, f)) for f in FLODESFALT)
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
        setattr(rapport, falt, _tal(getattr(uppgifter, falt)))
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
        bok = ledger.liggare([insats.pk], fran_ar=rapport.ar)
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
