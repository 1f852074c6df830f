"""Selectors for the styrelse's goal page: goals, prognosis, trend and economy for one year
(the economy in `rapporter.mal_ekonomi`, the summary in words in `rapporter.mal_sammanfattning`,
the year's monthly reports summed per insats in `rapporter.mal_manader`, the outcome goals and
the socio-economic effect in `effekter.selectors`).

`malsida(forbund=…, ar=…)` returns an immutable `Malsida` in a constant number of queries.

The prognosis for the whole year: what has been reported so far, scaled by how last year's
total related to last year's value at the same month (so a slow summer is not mistaken for a
trend). Without a complete last year the scaling is linear (12 / months reported). For a
deltagarflöde insats only the new participants are scaled; the ingående balans is already there.

Pågående month by month, for this year and last, comes from the participant ledger
(`registrering.manadsliggare.liggare`): last year's line has every deltagarflöde insats that was
active last year, also those that have closed since. A year before the product, kept only as
yearly totals (`Arstotal`), has no months: it is one value, pågående 31/12.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from effekter.selectors import ANTAL_AR, Resultat, resultat
from enkater.malfraga import malfraga_resultat
from enkater.selectors import FOR_FA_SVAR, ForFaSvar, Stapel
from rapporter import arscache
from rapporter.arsdata import procent
from rapporter.mal_ekonomi import (
    Ekonomi,
    Medlemsunderlag,
    ekonomi,
    hela_kronor,
    medlemsunderlag,
    planer_for,
)
from rapporter.mal_manader import (
    INGA_MANADER,
    RADKOLUMNER,
    Hittills,
    Rad,
    arets_rader,
    manader_per_insats,
    matt,
    varde,
)
from rapporter.malstatus import NAR_INTE as NAR_INTE  # re-exported: the rule is a leaf's
from rapporter.malstatus import NAR_MALET as NAR_MALET
from rapporter.malstatus import RISK as RISK
from rapporter.malstatus import RISKGRANS as RISKGRANS
from rapporter.malstatus import status_for as status_for
from registrering import dataversion, ledger, manadsliggare
from registrering.ledger import Kon
from registrering.manadsliggare import Liggare
from registrering.models import (
    BudgeteradVolym,
    Forbund,
    Insats,
    Verksamhetsplan,
)
from registrering.selectors import flodesinsatser, i_rapportordning

# Seed 001: "minst 75 % … motsvarade förväntningarna", the goal when the year has no plan.
STANDARDMAL_PROCENT = 75


@dataclass(frozen=True)
class Volymmal:
    insats_id: int
    namn: str
    enhet: str
    mal: int
    hittills: int
    prognos: int
    metod: str  # "säsong" or "linjär"
    ej_godkanda: int

    @property
    def status(self) -> str:
        return status_for(max(self.prognos, self.hittills), self.mal)

    @property
    def andel(self) -> int | None:
        return procent(self.hittills, self.mal)

    @property
    def stapel(self) -> int:
        """Width of the progress bar in percent (capped at 100)."""
        return min(self.andel or 0, 100)


@dataclass(frozen=True)
class Enkatmal:
    """The training survey's goal question in the year against the plan's goal. Below the
    minimum n (`for_fa_svar`) it carries no counts: the selector never gave it any."""

    fraga: str
    positiva_alternativ: tuple[str, ...]
    positiva: int
    antal_svar: int
    mal_procent: int
    for_fa_svar: bool = False

    @property
    def andel(self) -> int | None:
        return procent(self.positiva, self.antal_svar)

    @property
    def status(self) -> str:
        if self.for_fa_svar:
            return FOR_FA_SVAR
        if not self.antal_svar:
            return "Inga svar än"
        # Compared exactly: 74,5 % is below a 75 % goal even though it is shown as 75 %.
        return NAR_MALET if self.positiva * 100 >= self.mal_procent * self.antal_svar else NAR_INTE


@dataclass(frozen=True)
class Manadsflode:
    manad: int
    nya: Kon
    avslutade: Kon
    pagaende: Kon


@dataclass(frozen=True)
class Arsforlopp:
    """Pågående in the individinriktade deltagarflöde insatser during one year: month by month,
    or, for a year kept only as yearly totals, `arstotal`, pågående 31/12 (deltagare −
    avslutade of its Arstotal rows). A year without either has neither."""

    ar: int
    manader: tuple[Manadsflode, ...] = ()
    arstotal: Kon | None = None

    @property
    def som_arstotal(self) -> bool:
        return self.arstotal is not None

    @property
    def har_data(self) -> bool:
        return bool(self.manader) or self.som_arstotal

    @property
    def pagaende_per_manad(self) -> tuple[Kon | None, ...]:
        """January–December; None for a month without a value (a yearly total is December's)."""
        if self.arstotal is not None:
            return (None,) * 11 + (self.arstotal,)
        per_manad = {f.manad: f.pagaende for f in self.manader}
        return tuple(per_manad.get(manad) for manad in range(1, 13))


@dataclass(frozen=True)
class GruppSumma:
    """Inskrivna 1/1 plus nya January–`till_manad`; None for a year kept as yearly totals."""

    grupp: str
    deltagare: int | None
    foregaende: int | None


@dataclass(frozen=True)
class Malsida:
    forbund_namn: str
    kortnamn: str
    ar: int
    till_manad: int
    volymmal: tuple[Volymmal, ...]
    enkatmal: Enkatmal | None
    forlopp: Arsforlopp  # this year, up to `till_manad`
    forlopp_foregaende: Arsforlopp  # last year, all of it
    grupper: tuple[GruppSumma, ...]
    ekonomi: Ekonomi | None
    # The outcome goals per insats and the socio-economic effect per year (effekter.selectors).
    resultat: Resultat | None = None

    @property
    def trend(self) -> tuple[Manadsflode, ...]:
        return self.forlopp.manader

    @property
    def trend_foregaende(self) -> tuple[Manadsflode, ...]:
        return self.forlopp_foregaende.manader


@dataclass(frozen=True)
class Foregaende:
    """What the goal page of `ar` needs of last year, kept by last year's data version
    (`rapporter.arscache`): a write to this year leaves it as it is.

    It keeps the insatser of both years too: which insatser run in a year, their names and
    groups are written only by a förbund-wide write (`dataversion.ALLA_AR`), which moves last
    year's version as well. So are the members; their population before this year is written
    to the years before it."""

    forlopp: Arsforlopp  # last year's line, all of it
    utgaende: Mapping[int, Kon]  # per insats: its closing balance of last year
    # Per insatsgrupp: inskrivna 1/1 plus nya January–month m, for m = 0…12 (index m); None
    # for a year kept as yearly totals.
    grupper: Mapping[str, tuple[int, ...] | None]
    # Per insats with all twelve months reported: its measure after m months (index m).
    varden: Mapping[int, tuple[int, ...]]
    # This year's insatser in report order, and those of them followed by their participant flow.
    insatser: tuple[Insats, ...] = ()
    flodesinsatser: tuple[Insats, ...] = ()
    # The members and their population before this year (`mal_ekonomi.medlemsunderlag`).
    medlemmar: Medlemsunderlag | None = None


def malsida(*, forbund: Forbund, ar: int) -> Malsida:
    """Everything the goal page shows for `forbund` and `ar` (a constant number of queries).

    Last year's figures (`Foregaende`) and the earlier years' effects are kept by their own
    data version: after a write to `ar`, only `ar` is read and computed."""
    # The insatser of both years; the rows are read with them as a subquery
    # (`ledger.insats_idn`), for the ledger every insats of either year.
    bada_aren = Insats.objects.filter(forbund=forbund).aktiva_under_aren(ar - 1, ar)
    alla_ids = bada_aren.values_list("pk", flat=True)
    i_ar = Insats.objects.filter(forbund=forbund).aktiva_under(ar).values_list("pk", flat=True)
    # The monthly reports, read once for the ledger and the volume targets.
    rader: list[tuple[Any, ...]] = []
    lasta: list[Liggare] = []

    def berakna(aren: list[int]) -> dict[int, Foregaende]:
        # The insatser of both years read once; this year's are those active in it.
        alla = list(bada_aren.select_related("grupp"))
        insatser = i_rapportordning(i for i in alla if i.aktiv_under(ar))
        # The deltagarflöde insatser of both years' lines, also those that closed last year.
        flode = flodesinsatser(alla)
        ids = {i.pk for i in (*insatser, *flode)}
        rader.extend(manadsliggare.manadsrader(alla_ids, fran_ar=ar - 1, fler=RADKOLUMNER))
        # Last year's ledger runs on into this year: it serves both.
        lasta.append(manadsliggare.liggare(alla_ids, fran_ar=ar - 1, rader=rader))
        fjol = manader_per_insats(rader, {i.pk for i in insatser}, ar - 1)
        fjolets = _foregaende(
            lasta[0], ids, insatser, [i for i in flode if i.aktiv_under(ar - 1)], fjol, ar - 1
        )
        return {
            ar - 1: replace(
                fjolets,
                insatser=tuple(insatser),
                flodesinsatser=tuple(i for i in flode if i.aktiv_under(ar)),
                medlemmar=medlemsunderlag(forbund=forbund, ar=ar),
            )
        }

    # The earlier years' data versions, read once for last year's figures and the effects.
    versioner = dataversion.versioner_per_ar(forbund.pk, range(ar - ANTAL_AR + 1, ar))
    foregaende = arscache.per_ar(
        "mal.foregaende", forbund.pk, [ar - 1], berakna, versioner=versioner
    )[ar - 1]
    insatser, arets_flodesinsatser = foregaende.insatser, foregaende.flodesinsatser
    if lasta:
        bok = lasta[0]
    else:
        rader.extend(manadsliggare.manadsrader(alla_ids, fran_ar=ar, fler=RADKOLUMNER))
        bok = manadsliggare.liggare(
            alla_ids, fran_ar=ar, utgaende_forra=foregaende.utgaende, rader=rader
        )
    i_ar_ids = {i.pk for i in insatser}
    arets_flodes_ids = {i.pk for i in arets_flodesinsatser}
    per, arets_flode = arets_rader(rader, i_ar_ids, arets_flodes_ids, ar)
    till_manad = max((h.manad for h in per.values()), default=0)
    forlopp = _arsforlopp(bok, [i.pk for i in arets_flodesinsatser], ar, till_manad)
    planer = planer_for(forbund=forbund, ar=ar)
    return Malsida(
        forbund_namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        ar=ar,
        till_manad=till_manad,
        volymmal=_volymmal(insatser, i_ar, per, foregaende, bok, ar),
        enkatmal=_enkatmal(forbund, ar, planer.get(ar)),
        forlopp=forlopp,
        forlopp_foregaende=foregaende.forlopp,
        grupper=_grupper(bok, arets_flodesinsatser, forlopp, foregaende, ar, till_manad),
        ekonomi=ekonomi(forbund=forbund, ar=ar, planer=planer, underlag=foregaende.medlemmar),
        resultat=resultat(
            forbund=forbund,
            ar=ar,
            arets_flodesinsatser=arets_flodesinsatser,
            arets_planer=planer,
            arets_flode=arets_flode,
            versioner=versioner,
        ),
    )


def _foregaende(
    bok: Liggare,
    ids: Iterable[int],
    insatser: Sequence[Insats],
    flode: Sequence[Insats],
    per: Mapping[int, Mapping[int, Rad]],
    ar: int,
) -> Foregaende:
    """Last year (`ar`) as `Foregaende` keeps it, from a ledger of `ids` that begins in `ar`
    and the year's monthly reports of `insatser` (`per`)."""
    forlopp = _arsforlopp(bok, [i.pk for i in flode], ar)
    return Foregaende(
        forlopp=forlopp,
        utgaende={pk: bok.utgaende(pk, ar) for pk in ids},
        grupper=_gruppernas_manader(bok, flode, forlopp, ar),
        varden={
            i.pk: tuple(varde(i, manader, m) for m in range(13))
            for i in insatser
            if len(manader := per.get(i.pk, {})) == 12
        },
    )


# --- Volume targets -----------------------------------------------------------------------


def _skala(
    hittills: int, foregaende_helar: int | None, foregaende_vid: int | None, manader: int
) -> tuple[int, str]:
    """Scale a value reached after `manader` months to the whole year."""
    if foregaende_helar and foregaende_vid:
        return int(hela_kronor(Decimal(hittills) * foregaende_helar / foregaende_vid)), "säsong"
    if not manader:
        return hittills, "linjär"
    return int(hela_kronor(Decimal(hittills) * 12 / manader)), "linjär"


def _volymmal(
    insatser: Sequence[Insats],
    insatsfraga: Iterable[int],
    per: Mapping[int, Hittills],
    foregaende: Foregaende,
    bok: Liggare,
    ar: int,
) -> tuple[Volymmal, ...]:
    # Keyed: without the model's default ordering (it joins through the insats to its förbund).
    budget = dict(
        BudgeteradVolym.objects.filter(insats_id__in=insatsfraga, ar=ar)
        .order_by()
        .values_list("insats_id", "volym")
    )
    return tuple(
        _ett_volymmal(i, budget[pk], per.get(pk, INGA_MANADER), foregaende.varden.get(pk), bok, ar)
        for i in insatser
        if (pk := i.pk) in budget
    )


def _ett_volymmal(
    insats: Insats,
    mal: int,
    i_ar: Hittills,
    forra: Sequence[int] | None,
    bok: Liggare,
    ar: int,
) -> Volymmal:
    """`i_ar`: the year's months so far; `forra`: last year's measure after each month
    (`Foregaende.varden`), None without all twelve months reported."""
    # Each insats is scaled from its own last reported month: one that has not reported
    # October yet is not counted as having had no new participants in October.
    egen_manad = i_ar.manad
    hittills = matt(insats, i_ar)
    prognos, metod = _skala(
        hittills,
        forra[12] if forra else None,
        forra[egen_manad] if forra else None,
        egen_manad,
    )
    enhet = insats.get_volymenhet_display().lower() if insats.ar_volyminsats else "deltagare"
    if not insats.ar_volyminsats:
        ingaende = bok.ingaende(insats.pk, ar).totalt
        hittills, prognos = hittills + ingaende, prognos + ingaende
    return Volymmal(
        insats_id=insats.pk,
        namn=insats.namn,
        enhet=enhet,
        mal=mal,
        hittills=hittills,
        prognos=max(prognos, hittills),
        metod=metod,
        ej_godkanda=i_ar.ej_godkanda,
    )


# --- Participants month by month, from the ledger ----------------------------------------


def _med_manader(bok: Liggare, ar: int) -> set[int]:
    """The insatser with a monthly report or a justering in `ar`."""
    return {k[0] for k in (*bok.manader, *bok.justeringar) if k[1] == ar}


def _arsforlopp(bok: Liggare, ids: Sequence[int], ar: int, till_manad: int = 12) -> Arsforlopp:
    """The insatser's pågående through `ar` (up to `till_manad`), summed from the ledger; a
    year without months but with yearly totals is their closing balance.

    The sum of the insatser's month balances is the ledger's formula (`ledger.pagaende`)
    applied to the sums: their balances on 1 January, then each month's summed flow. An
    insats kept as a yearly total in a year others report by month has no months to add (the
    ledger gives it none); yearly totals belong to the years before the product, so this is
    rare."""
    med_manader = _med_manader(bok, ar)
    if not med_manader.intersection(ids):
        totaler = [bok.arstotaler[(pk, ar)] for pk in ids if (pk, ar) in bok.arstotaler]
        return Arsforlopp(ar, arstotal=Kon.summa(totaler) if totaler else None)
    valda = {pk for pk in ids if pk in med_manader or (pk, ar) not in bok.arstotaler}
    manader = range(1, till_manad + 1)
    nya: dict[int, list[Kon]] = {m: [] for m in manader}
    avslutade: dict[int, list[Kon]] = {m: [] for m in manader}
    justering: dict[int, list[Kon]] = {m: [] for m in manader}
    for (pk, year, manad), (n, a) in bok.manader.items():
        if year == ar and manad <= till_manad and pk in valda:
            nya[manad].append(n)
            avslutade[manad].append(a)
    for (pk, year, manad), j in bok.justeringar.items():
        if year == ar and manad <= till_manad and pk in valda:
            justering[manad].append(j)
    slut = Kon.summa(bok.ingaende(pk, ar) for pk in valda)
    flode = []
    for manad in manader:
        n, a = Kon.summa(nya[manad]), Kon.summa(avslutade[manad])
        slut = ledger.pagaende(slut, n, a, Kon.summa(justering[manad]))
        flode.append(Manadsflode(manad, n, a, slut))
    return Arsforlopp(ar, tuple(flode))


def _gruppernas_manader(
    bok: Liggare, flode: Sequence[Insats], forlopp: Arsforlopp, ar: int
) -> dict[str, tuple[int, ...] | None]:
    """Per insatsgrupp of the insatser `flode`: inskrivna 1/1 plus nya January–month m of
    `ar`, for m = 0…12; None when the year is kept as yearly totals."""
    if forlopp.som_arstotal:
        return {i.grupp.namn: None for i in flode if i.grupp is not None}
    summor: dict[str, list[int]] = {}
    for insats in flode:
        if insats.grupp is None:
            continue
        grupp = summor.setdefault(insats.grupp.namn, [0] * 13)
        pk = insats.pk
        antal = bok.ingaende(pk, ar).totalt
        grupp[0] += antal
        # The ledger's monthly nya (an insats kept as a yearly total has none).
        for manad in range(1, 13):
            if (rad := bok.manader.get((pk, ar, manad))) is not None:
                antal += rad[0].totalt
            grupp[manad] += antal
    return {namn: tuple(v) for namn, v in summor.items()}


def _grupper(
    bok: Liggare,
    flode: Sequence[Insats],
    forlopp: Arsforlopp,
    foregaende: Foregaende,
    ar: int,
    till_manad: int,
) -> tuple[GruppSumma, ...]:
    """Per insatsgrupp and year: inskrivna 1/1 plus nya January–`till_manad`; none when
    both years are kept as yearly totals (nothing to show)."""
    if forlopp.som_arstotal and foregaende.forlopp.som_arstotal:
        return ()
    i_ar = _gruppernas_manader(bok, flode, forlopp, ar)
    namn = sorted({*i_ar, *foregaende.grupper})

    def vid(summor: Mapping[str, tuple[int, ...] | None], grupp: str) -> int | None:
        if grupp not in summor:
            return 0
        manader = summor[grupp]
        return None if manader is None else manader[till_manad]

    return tuple(GruppSumma(g, vid(i_ar, g), vid(foregaende.grupper, g)) for g in namn)


# --- The survey goal ----------------------------------------------------------------------


def _enkatmal(forbund: Forbund, ar: int, plan: Verksamhetsplan | None) -> Enkatmal | None:
    """The goal question's answers in the year, from web answers, paper counts and imports
    alike (`enkater.selectors`, which also suppresses them below the minimum n)."""
    resultat = malfraga_resultat(forbund=forbund, ar=ar)
    if resultat is None:
        return None
    stapel = resultat.stapel
    return Enkatmal(
        fraga=resultat.fraga,
        positiva_alternativ=resultat.positiva_alternativ,
        positiva=stapel.positiva if isinstance(stapel, Stapel) else 0,
        antal_svar=stapel.n if isinstance(stapel, Stapel) else 0,
        mal_procent=plan.enkatmal_procent if plan else STANDARDMAL_PROCENT,
        for_fa_svar=isinstance(stapel, ForFaSvar),
    )
