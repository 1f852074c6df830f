"""A month's figures as entered, and what the rules say about them: every message at once,
for the month form, the admin, the import and `manadsrapport_spara` alike. The rules
themselves are `registrering.regler`'s; this module only gathers what a month needs from them
(and reads the insats's other months and ledger where a rule needs them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from registrering import manadsliggare, permissions, regler
from registrering.ledger import Kon
from registrering.models import Insats, Manadsrapport, User
from registrering.regler import Fel
from registrering.services._stod import FLODESFALT

Status = Manadsrapport.Status


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
        return Kon(som_antal(self.nya_kvinnor), som_antal(self.nya_man))

    @property
    def avslutade(self) -> Kon:
        return Kon(som_antal(self.avslutade_kvinnor), som_antal(self.avslutade_man))


def som_antal(varde: object) -> int:
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
        return 0 if falt in trasiga else som_antal(varden.get(falt))

    nya = Kon(tal("nya_kvinnor"), tal("nya_man"))
    avslutade = Kon(tal("avslutade_kvinnor"), tal("avslutade_man"))
    bok = manadsliggare.liggare([insats.pk], fran_ar=ar)
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
        har_flode=any(som_antal(getattr(uppgifter, f)) for f in FLODESFALT)
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
