"""What may be saved: every rule once, as a plain function with a Swedish message.

Each rule takes plain values and returns a list of `Fel` (empty when the input may be saved);
`Fel.falt` names the field the message belongs to, "" for the input as a whole. The services
call these before they write; the browser's forms, the admin's forms and the import resources
call the same functions to put the message at the field, the column or the row. None of them
writes a rule of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from registrering import talformat

# The ground every rule shares, and the rules of the insats, the surveys, the effects, the plan
# and the underlag, stand in their own modules (this one would grow past a screenful); every door
# asks for them here, as `regler.<namn>`.
from registrering.effektregler import effektnyckeltal as effektnyckeltal
from registrering.effektregler import ersattningsnyckeltal as ersattningsnyckeltal
from registrering.effektregler import forflyttningar as forflyttningar
from registrering.effektregler import (
    forflyttningar_for_insats as forflyttningar_for_insats,
)
from registrering.effektregler import forflyttningsfel as forflyttningsfel
from registrering.effektregler import inkomstnyckeltal as inkomstnyckeltal
from registrering.effektregler import utfallskategori as utfallskategori
from registrering.effektregler import utfallsmal as utfallsmal
from registrering.enkatregler import enkat_oppen as enkat_oppen
from registrering.enkatregler import enkat_period as enkat_period
from registrering.enkatregler import enkat_tar_emot as enkat_tar_emot
from registrering.enkatregler import enkatfraga as enkatfraga
from registrering.enkatregler import enkatfraga_andringsbar as enkatfraga_andringsbar
from registrering.enkatregler import enkattillfalle_delar as enkattillfalle_delar
from registrering.enkatregler import (
    enkattillfalle_fragor_klara as enkattillfalle_fragor_klara,
)
from registrering.enkatregler import pappersvar as pappersvar
from registrering.enkatregler import svarsalternativ_hor_till as svarsalternativ_hor_till
from registrering.insatsregler import OFORANDERLIGA as OFORANDERLIGA
from registrering.insatsregler import insats as insats
from registrering.insatsregler import insats_borttagning as insats_borttagning
from registrering.insatsregler import insats_fasta_falt as insats_fasta_falt
from registrering.insatsregler import insats_period as insats_period
from registrering.insatsregler import preciserade_for as preciserade_for
from registrering.kalender import (
    MANADER,
    datum_svenskt,
    manaden_har_slutat,
    manadens_sista,
)
from registrering.kalender import manadsnamn as manadsnamn
from registrering.ledger import KON_ORD, Kon, aktiv
from registrering.manadsliggare import Manadssaldo
from registrering.models import Insats, Manadsrapport
from registrering.planregler import kostnadspost_fel as kostnadspost_fel
from registrering.planregler import verksamhetsplan as verksamhetsplan
from registrering.regelgrund import HELA as HELA
from registrering.regelgrund import STORSTA_ANTAL as STORSTA_ANTAL
from registrering.regelgrund import Fel as Fel
from registrering.regelgrund import antal as antal
from registrering.regelgrund import artal as artal
from registrering.regelgrund import kontrollera as kontrollera
from registrering.regelgrund import som_fel as som_fel
from registrering.samfinansieringsregler import andel_text as andel_text
from registrering.samfinansieringsregler import medfinansiering as medfinansiering
from registrering.underlagsregler import arstotal_totaler as arstotal_totaler
from registrering.underlagsregler import arstotal_uppdelning as arstotal_uppdelning
from registrering.underlagsregler import kostnadspost as kostnadspost
from registrering.underlagsregler import underlag_forbund_saknas as underlag_forbund_saknas
from registrering.underlagsregler import underlag_saknas as underlag_saknas

STORSTA_BELOPP = Decimal("1e11")


# --- Numbers as people type them ----------------------------------------------------------------

# Read in one place (`talformat`); every door asks for them here, next to the rules.
las_heltal = talformat.las_heltal
las_belopp = talformat.las_belopp
las_decimaltal = talformat.las_decimaltal
utan_decimaler = talformat.utan_decimaler
tal = talformat.tal


# --- The month ----------------------------------------------------------------------------------


def manad_kan_rapporteras(*, insats: Insats, ar: int, manad: int, idag: dt.date) -> list[Fel]:
    """The month exists, is over, and the insats ran during it."""
    if manad not in MANADER:
        return [Fel("manad", "Månaden måste vara ett tal från 1 till 12.")]
    if fel := artal(ar):
        return fel
    namn = manadsnamn(ar, manad)
    if not manaden_har_slutat(ar, manad, idag):
        fran = datum_svenskt(manadens_sista(ar, manad) + dt.timedelta(days=1))
        return [
            Fel(
                "manad",
                f"{namn.capitalize()} är inte slut än. Månaden kan rapporteras från och med "
                f"{fran}.",
            )
        ]
    if not aktiv(insats.startdatum, insats.slutdatum, ar, manad):
        return [Fel("manad", f"{insats.namn} pågick inte under {namn}.")]
    return []


#: the statuses of a locked month (`Manadsrapport.last`)
LASTA = frozenset({Manadsrapport.Status.GODKAND, Manadsrapport.Status.REGISTRERAD})


def manad_oppen(
    *, insats: Insats, ar: int, manad: int, status: str | None, kan_godkanna: bool
) -> list[Fel]:
    """An approved month is locked until it is unlocked with a reason; a month sent in waits
    for the verksamhetsutvecklare (who may still correct it)."""
    if status in LASTA:
        return [
            Fel(
                HELA,
                f"{insats.namn}, {manadsnamn(ar, manad)} är godkänd och låst. "
                "Verksamhetsutvecklaren kan låsa upp månaden med en motivering.",
            )
        ]
    if status == Manadsrapport.Status.INSKICKAD and not kan_godkanna:
        return [
            Fel(
                HELA,
                "Månaden är inskickad och väntar på granskning. Den kan ändras igen om den "
                "returneras.",
            )
        ]
    return []


def manad_redigerbar(
    *,
    insats: Insats,
    ar: int,
    manad: int,
    status: str | None,
    idag: dt.date,
    kan_godkanna: bool,
) -> list[Fel]:
    """Whether the month's figures may be entered or changed now, and if not, why."""
    return manad_kan_rapporteras(insats=insats, ar=ar, manad=manad, idag=idag) or manad_oppen(
        insats=insats, ar=ar, manad=manad, status=status, kan_godkanna=kan_godkanna
    )


def flode_eller_volym(*, ar_volyminsats: bool, har_flode: bool, har_volym: bool) -> list[Fel]:
    """A volyminsats reports only its volume; a deltagarflöde insats only its flow."""
    if ar_volyminsats and har_flode:
        return [Fel(HELA, "En volyminsats rapporterar bara volym, inte nya och avslutade.")]
    if not ar_volyminsats and har_volym:
        return [Fel("volym", "Volym rapporteras bara för volyminsatser.")]
    return []


FLODESETIKETTER = {
    "nya_kvinnor": "Nya kvinnor",
    "nya_man": "Nya män",
    "avslutade_kvinnor": "Avslutade kvinnor",
    "avslutade_man": "Avslutade män",
}


def flodesantal(varden: Mapping[str, object]) -> list[Fel]:
    """The counts given of a month's flow are whole, non-negative numbers (one not given is
    `flode_ifyllt`'s to name). Depends on the counts alone: a caller may keep its answer for the
    same counts (the month import does)."""
    return [
        f
        for falt, etikett in FLODESETIKETTER.items()
        if falt in varden
        for f in antal(varden[falt], falt=falt, etikett=etikett)
    ]


def flode_ifyllt(varden: Mapping[str, object]) -> list[Fel]:
    """A month sent in has all four counts filled in, 0 where there were none. A draft may
    wait for some: it keeps 0 for them until then."""
    return [
        Fel(falt, "Fyll i ett antal (0 om inga).")
        for falt in FLODESETIKETTER
        if falt in varden and varden[falt] is None
    ]


def flode(*, start: Kon, nya: Kon, avslutade: Kon) -> list[Fel]:
    """No more avslutade than there were participants to end: those enrolled when the month
    began plus the month's nya, per gender."""
    fel = []
    for (kon, fanns), (_k, n), (_a, a) in zip(start.par(), nya.par(), avslutade.par(), strict=True):
        if a > fanns + n:
            fel.append(
                Fel(
                    f"avslutade_{kon}",
                    f"Fler avslutade {KON_ORD[kon]} ({a}) än det fanns deltagare att avsluta "
                    f"({fanns} pågående vid månadens början + {n} nya).",
                )
            )
    return fel


def liggaren(
    saldon: Iterable[Manadssaldo],
    *,
    fran: tuple[int, int],
    orsak: str,
    falt: Mapping[str, str] | None = None,
    utom: Iterable[str] = (),
) -> list[Fel]:
    """After a change from month `fran` on, no later month may end with fewer than zero
    participants, nor end more than it had. One message per gender: the first month it fails.

    `orsak` names the change ("Ändringen", "Justeringen", "Balansen"); `falt` maps "kvinnor"
    and "man" to the field the message belongs to; the genders in `utom` already have a
    message of their own."""
    fel = []
    sett: set[str] = set(utom)
    for saldo in saldon:
        if (saldo.ar, saldo.manad) < fran:
            continue
        for kon in ("kvinnor", "man"):
            fore = getattr(saldo.fore_justering, kon)
            slut = getattr(saldo.slut, kon)
            # After a yearly total without the gender split, a gender's count is not known.
            if kon in sett or min(fore, slut) >= 0 or not saldo.start.uppdelad:
                continue
            sett.add(kon)
            fel.append(
                Fel(
                    (falt or {}).get(kon, HELA),
                    f"{orsak} gör att pågående {KON_ORD[kon]} blir {min(fore, slut)} i "
                    f"{manadsnamn(saldo.ar, saldo.manad)}. Kontrollera siffrorna för den "
                    "månaden först.",
                )
            )
    return fel


def fordelning_rader(
    rader: Mapping[int, object] | None, *, giltiga: Mapping[int, str], per: str, falt: str
) -> list[Fel]:
    """The rows of a breakdown: each key valid for the insats and each count a count."""
    fel = []
    for pk, varde in (rader or {}).items():
        if pk not in giltiga:
            fel.append(Fel(falt, f"Okänd {per} för den här insatsen."))
        else:
            fel += antal(varde, falt=falt, etikett=giltiga[pk])
    return fel


def fordelning_summa(
    rader: Mapping[int, object] | None, *, total: int, vad: str, per: str, falt: str
) -> list[Fel]:
    """A breakdown that is given adds up to its total. Rows of zeros, or none, mean "not
    given"; a breakdown half done may wait in a draft, but not be sent in or approved."""
    summa = sum(int(v) for v in (rader or {}).values())  # type: ignore[call-overload]
    if summa and summa != total:
        return [
            Fel(falt, f"Fördelningen per {per} ({summa}) stämmer inte med antalet {vad} ({total}).")
        ]
    return []


def fordelning(
    rader: Mapping[int, object] | None,
    *,
    giltiga: Mapping[int, str],
    total: int,
    vad: str,
    per: str,
    falt: str,
) -> list[Fel]:
    """A breakdown of a total (avslutade per avslutsanledning, nya per huvudman): its rows
    (`fordelning_rader`) and their sum (`fordelning_summa`). No rows means "not given"."""
    return fordelning_rader(rader, giltiga=giltiga, per=per, falt=falt) or fordelning_summa(
        rader, total=total, vad=vad, per=per, falt=falt
    )


def fordelning_kompletterar(
    *, status: str | None, sparad: Mapping[int, object], ny: Mapping[int, object]
) -> bool:
    """A breakdown given for an approved (or registered) month that had none: it adds the
    missing detail and changes no approved figure, so a locked month takes it (and its audit
    row says so). Whether it adds up is `fordelning`'s rule."""
    return status in LASTA and not sparad and bool(ny)


def fordelning_andras(
    *,
    insats: Insats,
    ar: int,
    manad: int,
    status: str | None,
    kan_godkanna: bool,
    sparad: Mapping[int, object],
    ny: Mapping[int, object],
    per: str,
) -> list[Fel]:
    """Whether a month's breakdown may go from `sparad` to `ny` (key → count, no zeros): as its
    figures in an open month (`manad_oppen`); in a locked month only by one who may approve and
    only where none was given (`fordelning_kompletterar`). A given breakdown of a locked month
    is neither changed nor removed."""
    if dict(ny) == dict(sparad) or (
        kan_godkanna and fordelning_kompletterar(status=status, sparad=sparad, ny=ny)
    ):
        return []
    if status in LASTA and sparad:
        return [
            Fel(
                HELA,
                f"{insats.namn}, {manadsnamn(ar, manad)} är godkänd och låst och har redan en "
                f"fördelning per {per}, som inte kan ändras. Verksamhetsutvecklaren kan låsa upp "
                "månaden med en motivering.",
            )
        ]
    return manad_oppen(insats=insats, ar=ar, manad=manad, status=status, kan_godkanna=kan_godkanna)


def volym(
    *,
    enhet: str,
    enhet_namn: str,
    varde: object,
    tidigare: int | None = None,
    senare: tuple[int, str] | None = None,
) -> list[Fel]:
    """The month's volume in the insats's unit. A count of unique individuals is "so far this
    year", so it is never lower than the previous reported month's (`tidigare`) and never higher
    than a later month's (`senare`: the count and the month's name)."""
    if varde is None or varde == "":
        return [Fel("volym", f"Ange volymen i {enhet_namn.lower()}.")]
    if fel := antal(varde, falt="volym", etikett="Volymen"):
        return fel
    if enhet != Insats.Volymenhet.UNIKA_INDIVIDER:
        return []
    assert isinstance(varde, int)
    if tidigare is not None and varde < tidigare:
        return [
            Fel(
                "volym",
                "Antalet unika individer hittills i år kan inte vara lägre än förra "
                f"rapporterade månadens ({tidigare}).",
            )
        ]
    if senare is not None and varde > senare[0]:
        return [
            Fel(
                "volym",
                f"Antalet unika individer hittills i år kan inte vara högre än i {senare[1]} "
                f"({senare[0]}).",
            )
        ]
    return []


# --- Corrections: justering and ingående balans -------------------------------------------------


def justering(*, kvinnor: object, man: object, anledning: str, manad: int) -> list[Fel]:
    """A justering changes the count, says why, and belongs to a month."""
    fel = []
    for falt, varde, etikett in (("kvinnor", kvinnor, "Kvinnor"), ("man", man, "Män")):
        if isinstance(varde, bool) or not isinstance(varde, int):
            fel.append(Fel(falt, f"{etikett} måste vara ett heltal."))
        elif abs(varde) > STORSTA_ANTAL:
            storsta = tal(STORSTA_ANTAL)
            fel.append(Fel(falt, f"{etikett} kan ändras med högst {storsta} (här {tal(varde)})."))
    if not fel and kvinnor == 0 and man == 0:
        fel.append(Fel("kvinnor", "En justering måste ändra antalet."))
    if not anledning.strip():
        fel.append(Fel("anledning", "Ange anledningen till justeringen."))
    if manad not in MANADER:
        fel.append(Fel("manad", "Månaden måste vara ett tal från 1 till 12."))
    return fel


def justering_pagaende(*, slut_fore: Kon, andring: Kon) -> list[Fel]:
    """A justering may not leave fewer than zero participants at the end of its month."""
    return [
        Fel(
            kon,
            f"Justeringen ger färre än noll pågående {KON_ORD[kon]} "
            f"({tal(fanns)} pågående, justering {tal(delta)}).",
        )
        for (kon, fanns), (_k, delta) in zip(slut_fore.par(), andring.par(), strict=True)
        if fanns + delta < 0
    ]


def ingaende_balans(
    *, balans: Kon, forslag: Kon, har_tidigare_flode: bool, anledning: str
) -> list[Fel]:
    """The balance on 1 January is last December's closing balance; a different headcount needs
    a reason (it becomes a visible justering in last December)."""
    fel = [
        f
        for (kon, varde), etikett in zip(balans.par(), ("Kvinnor", "Män"), strict=True)
        for f in antal(varde, falt=kon, etikett=etikett)
    ]
    if not fel and har_tidigare_flode and balans != forslag and not anledning.strip():
        fel.append(
            Fel(
                "anledning",
                f"Balansen skiljer sig från förra årets utgående ({forslag.kvinnor} kvinnor, "
                f"{forslag.man} män). Ange anledningen.",
            )
        )
    return fel


def ingaende_balans_rattelse(
    *, bekraftad: Kon | None, balans: Kon, far_rata: bool, anledning: str, ar: int
) -> list[Fel]:
    """A confirmed balance on 1 January (`bekraftad`) is read-only to the insatsansvarig: only
    the kansli (`far_rata`) corrects it, and says why when the count changes."""
    if bekraftad is None:
        return []
    if not far_rata:
        return [
            Fel(
                HELA,
                f"Ingående balans 1/1 {ar} är redan bekräftad ({tal(bekraftad.totalt)} "
                "deltagare) och kan bara rättas av verksamhetsutvecklaren eller förbundschefen.",
            )
        ]
    if balans != bekraftad and not anledning.strip():
        return [
            Fel(
                "anledning",
                f"Balansen 1/1 {ar} är bekräftad ({bekraftad.kvinnor} kvinnor, {bekraftad.man} "
                "män). Ange anledningen till rättelsen.",
            )
        ]
    return []


# --- History, economy and the bilaga ------------------------------------------------------------


def arstotal(*, deltagare: Kon, nya: Kon, avslutade: Kon) -> list[Fel]:
    """A year's totals: never more nya or avslutade than deltagare, per gender."""
    fel = []
    for (kon, d), (_k, n), (_a, a) in zip(deltagare.par(), nya.par(), avslutade.par(), strict=True):
        for vad, antal_ in (("nya", n), ("avslutade", a)):
            if antal_ > d:
                fel.append(
                    Fel(
                        f"{vad}_{kon}",
                        f"Fler {vad} {KON_ORD[kon]} ({antal_}) än deltagare {KON_ORD[kon]} ({d}).",
                    )
                )
    return fel


def utfall(*, belopp: object, manad: int | None, kvartal: int | None) -> list[Fel]:
    """An utfall row: a month or a quarter (not both), and an amount in whole kronor."""
    fel = []
    if (manad is None) == (kvartal is None):
        fel.append(Fel(HELA, "Ange antingen en månad eller ett kvartal."))
    elif manad is not None and manad not in MANADER:
        fel.append(Fel("manad", "Månaden måste vara ett tal från 1 till 12."))
    elif kvartal is not None and kvartal not in (1, 2, 3, 4):
        fel.append(Fel("kvartal", "Kvartalet måste vara ett tal från 1 till 4."))
    if belopp is None:
        return fel
    if (
        isinstance(belopp, bool)
        or not isinstance(belopp, Decimal | int)
        or (isinstance(belopp, Decimal) and not belopp.is_finite())
    ):
        fel.append(Fel("belopp", "Ange ett belopp i kronor, t.ex. 125 000."))
    elif abs(Decimal(belopp)) >= STORSTA_BELOPP:
        fel.append(Fel("belopp", "Beloppet är orimligt stort."))
    elif belopp != int(belopp):
        fel.append(Fel("belopp", "Ange beloppet i hela kronor."))
    return fel


def sammanstallningsdatum(datum: dt.date | None, *, ar: int) -> list[Fel]:
    """The bilaga for `ar` is compiled during the year or in the two years after it."""
    if datum is None:
        return []
    forsta, sista = dt.date(ar, 1, 1), dt.date(ar + 2, 12, 31)
    if not forsta <= datum <= sista:
        return [
            Fel(
                "sammanstallningsdatum",
                f"Ange ett datum mellan {datum_svenskt(forsta)} och {datum_svenskt(sista)}.",
            )
        ]
    return []
