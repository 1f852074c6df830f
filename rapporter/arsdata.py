"""A year's participant flow and volumes for one förbund, following DOMAIN.md's rules.

`arsdata(forbund=…, ar=…)` returns an immutable `Arsdata` in a constant number of queries,
however many insatser the förbund has. Templates, charts and the PDF only read that object.

The rules, per insats and gender (the formulas themselves live in `registrering.ledger`):
- deltagare totalt = ingående balans + Σ nya
- pågående 31/12  = ingående balans + Σ nya − Σ avslutade + Σ justeringar,
  shown as "–" (None) for an insats that ended during the year and left out of the total
- the ingående balans is the row entered for the year, else the previous year's closing balance
  (from monthly data, or from the yearly totals of years before the product), else 0
- huvudman distribution = ingående balans by huvudman + nya by huvudman
- a volume in 'unika individer under året' is the year's latest count, not a sum of months
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum

from registrering import ledger
from registrering.ledger import Kon
from registrering.models import (
    Arstotal,
    AvslutadePerAnledning,
    Avslutsanledning,
    Forbund,
    Huvudman,
    IngaendeBalans,
    IngaendeBalansHuvudman,
    Insats,
    Manadsrapport,
    NyaPerHuvudman,
)
from registrering.models.insatser import InsatsQuerySet
from registrering.selectors import JusteringRad, flodesinsatser, i_rapportordning, justeringar

UNIKA = Insats.Volymenhet.UNIKA_INDIVIDER
_NOLL = Kon()

EJ_ANGIVEN = "Ej angiven"
ALLMAN = "Allmän"
GODKANDA = (Manadsrapport.Status.GODKAND, Manadsrapport.Status.REGISTRERAD)


def procent(del_: int, helhet: int) -> int | None:
    """Whole percent, rounded half up as people do by hand ("36 %"); None for an empty total."""
    if helhet == 0:
        return None
    return int((Decimal(del_) * 100 / Decimal(helhet)).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class Andel:
    namn: str
    antal: int
    procent: int | None


@dataclass(frozen=True)
class InsatsFlode:
    """One deltagarflöde insats's year."""

    insats_id: int
    namn: str
    grupp: str | None
    avslutad: bool
    ingaende: Kon
    ingaende_bekraftad: bool
    nya: Kon
    avslutade: Kon
    justering: Kon
    avslut_per_anledning: Mapping[int, int]
    rapporterade_manader: int
    godkanda_manader: int
    # The source of the yearly total the year's figures come from ("SUS"); empty: monthly data.
    kalla: str = ""

    @property
    def deltagare_totalt(self) -> Kon:
        return self.ingaende + self.nya

    @property
    def berakat_pagaende(self) -> Kon:
        """Pågående 31/12 by the flow and the justeringar, also for an insats that ended."""
        return ledger.pagaende(self.ingaende, self.nya, self.avslutade, self.justering)

    @property
    def pagaende(self) -> Kon | None:
        return None if self.avslutad else self.berakat_pagaende


@dataclass(frozen=True)
class AvslutKlass:
    """Avslutade split into 1:a (according to plan) and 2:a (other reasons)."""

    namn: str
    totalt: int
    forsta: int
    andra: int

    @property
    def ej_angiven(self) -> int:
        return self.totalt - self.forsta - self.andra

    @property
    def procent_forsta(self) -> int | None:
        return procent(self.forsta, self.totalt)

    @property
    def procent_andra(self) -> int | None:
        return procent(self.andra, self.totalt)


@dataclass(frozen=True)
class AvslutUppsattning:
    """The avslutade of the insatser that use one set of reasons (e.g. ISA), per reason."""

    namn: str
    totalt: int
    rader: tuple[Andel, ...]

    @property
    def ej_angiven(self) -> int:
        return self.totalt - sum(rad.antal for rad in self.rader)


@dataclass(frozen=True)
class VolymRad:
    insats_id: int
    namn: str
    enhet: str
    enhet_namn: str
    inriktning: str
    volym: int
    rapporterade_manader: int
    godkanda_manader: int
    kalla: str = ""  # as InsatsFlode.kalla

    @property
    def enhet_etikett(self) -> str:
        """The unit as the bilaga names it: unique individuals are 'Deltagare' there."""
        return "Tillfällen" if self.enhet == Insats.Volymenhet.TILLFALLEN else "Deltagare"


@dataclass(frozen=True)
class Arsdata:
    forbund_id: int
    forbund_namn: str
    kortnamn: str
    ar: int
    insatser: tuple[InsatsFlode, ...]
    volym: tuple[VolymRad, ...]
    huvudman: tuple[Andel, ...]
    avslut_klasser: tuple[AvslutKlass, ...]
    avslut_uppsattningar: tuple[AvslutUppsattning, ...]
    justeringar: tuple[JusteringRad, ...] = field(default=())
    # Whether any insats of the year has a monthly report; without, the bilaga says so.
    manadsrapporter: bool = True

    @property
    def deltagare_totalt(self) -> Kon:
        return Kon.summa(i.deltagare_totalt for i in self.insatser)

    @property
    def paborjade(self) -> Kon:
        return Kon.summa(i.nya for i in self.insatser)

    @property
    def avslutade(self) -> Kon:
        return Kon.summa(i.avslutade for i in self.insatser)

    @property
    def pagaende(self) -> Kon:
        return Kon.summa(i.pagaende for i in self.insatser if i.pagaende is not None)

    @property
    def volym_struktur_totalt(self) -> int:
        return sum(v.volym for v in self.volym if v.inriktning == Insats.Inriktning.STRUKTUR)

    @property
    def volym_individ_totalt(self) -> int:
        return sum(v.volym for v in self.volym if v.inriktning == Insats.Inriktning.INDIVID)

    def avslut_klass(self, namn: str) -> AvslutKlass | None:
        return next((k for k in self.avslut_klasser if k.namn == namn), None)

    def avslut_uppsattning(self, namn: str) -> AvslutUppsattning | None:
        return next((u for u in self.avslut_uppsattningar if u.namn == namn), None)

    @property
    def tom(self) -> bool:
        return not self.insatser and not self.volym

    @property
    def arstotal_insatser(self) -> tuple[str, ...]:
        """The deltagarflöde insatser whose figures of the year are a yearly total."""
        return tuple(i.namn for i in self.insatser if i.kalla)

    @property
    def utan_kon_insatser(self) -> tuple[str, ...]:
        """The insatser whose figures of the year are a yearly total without the gender split."""
        return tuple(i.namn for i in self.insatser if not i.deltagare_totalt.uppdelad)

    @property
    def arstotal_volymer(self) -> tuple[str, ...]:
        return tuple(v.namn for v in self.volym if v.kalla)

    @property
    def arstotal_kallor(self) -> str:
        """The sources of the year's yearly totals, as a list in Swedish ("SUS och Excel")."""
        kallor = {i.kalla for i in self.insatser} | {v.kalla for v in self.volym}
        return lista(sorted(kallor - {""}))


def lista(delar: Sequence[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    if len(delar) <= 1:
        return "".join(delar)
    return f"{', '.join(delar[:-1])} och {delar[-1]}"


ALLA_INDIVIDINRIKTADE = "Alla individinriktade insatser"


def arets_insatser(*, forbund: Forbund, ar: int) -> list[Insats]:
    """The insatser that ran during `ar`, with their grupp, in the bilaga's order (one query)."""
    return i_rapportordning(_arets(forbund, ar).select_related("grupp"))


def _arets(forbund: Forbund, ar: int) -> InsatsQuerySet:
    """The förbund's insatser active during `ar`: `arets_insatser` as a query."""
    return Insats.objects.filter(forbund=forbund).aktiva_under(ar)


def arets_id(
    forbund: Forbund, ar: int, *, bara_floden: bool = False, fran_ar: int | None = None
) -> QuerySet[Insats, int]:
    """The ids of `arets_insatser` (with `bara_floden`: of its `flodesinsatser`; with `fran_ar`:
    of the insatser active in some year from `fran_ar` to `ar`) as a subquery, for the queries
    of the year's figures: Django took longer to prepare a list of 300 ids for each of them
    than the database took to read the rows (issue 15)."""
    if fran_ar is None:
        insatser = _arets(forbund, ar)
    else:
        insatser = Insats.objects.filter(forbund=forbund).aktiva_under_aren(fran_ar, ar)
    if bara_floden:
        insatser = insatser.deltagarflode()
    return insatser.order_by().values_list("pk", flat=True)


def arsdata(
    *,
    forbund: Forbund,
    ar: int,
    insatser: list[Insats] | None = None,
    summor: ledger.Flodessummor | None = None,
    fordelningar: bool = True,
    arets: Mapping[int, Mapping[str, int]] | None = None,
    arets_justeringar: tuple[JusteringRad, ...] | None = None,
) -> Arsdata:
    """The year's figures for `forbund`, per insats and in total (a constant number of queries).

    Without `fordelningar` (the underlag's figures: its flow and volumes), the breakdowns by
    huvudman and avslutsanledning are not read: `huvudman`, `avslut_klasser`,
    `avslut_uppsattningar` and each insats's `avslut_per_anledning` are empty.

    A caller that has read them already passes `insatser` (`arets_insatser`: the förbund's
    insatser active in `ar`, which the queries select again as a subquery) and `summor`, the
    flow sums of the `flodesinsatser` of the years before `ar` or later (`ledger.flodessummor`
    with `till_ar` above `ar`: only the years before `ar` and the balances up to `ar` are read
    here), so that they are not read twice. Without `summor` last year's closing balances are
    kept by that year's data version (`_summor`). Likewise `arets`, the year's month sums
    (`ledger.arets_flode` of these insatser or more), and `arets_justeringar` (`justeringar`)."""
    if insatser is None:
        insatser = arets_insatser(forbund=forbund, ar=ar)
    ids = [i.pk for i in insatser]
    if arets is None:
        arets = ledger.arets_flode(arets_id(forbund, ar), ar) if insatser else {}
    else:
        arets = {pk: arets[pk] for pk in ids if pk in arets}
    arstotaler = _arstotaler_utan_manader(ids, ar, arets)
    huvudman = (
        list(Huvudman.objects.filter(forbund=forbund).order_by("ordning", "namn"))
        if fordelningar
        else []
    )
    if arets_justeringar is None:
        arets_justeringar = justeringar(forbund=forbund, ar=ar)
    flodes = flodesinsatser(insatser)
    urval = arets_id(forbund, ar, bara_floden=True)
    floden = (
        _floden(
            flodes,
            ar,
            arets,
            arstotaler,
            summor if summor is not None else _summor(forbund, ar, flodes, urval),
            urval if fordelningar else None,
            justering_per_insats(arets_justeringar),
        )
        if flodes
        else []
    )
    fordelning = _per_huvudman(urval, ar) if fordelningar and floden else {}
    anledningar = list(Avslutsanledning.objects.filter(forbund=forbund)) if fordelningar else []
    return Arsdata(
        forbund_id=forbund.pk,
        forbund_namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        ar=ar,
        insatser=tuple(floden),
        volym=_volymer([i for i in insatser if i.ar_volyminsats], ar, arets, arstotaler),
        huvudman=_huvudman_andelar(floden, huvudman, fordelning) if fordelningar else (),
        avslut_klasser=_avslut_klasser(floden, anledningar) if fordelningar else (),
        avslut_uppsattningar=(
            _avslut_uppsattningar(floden, anledningar, _anvands_av(forbund)) if fordelningar else ()
        ),
        justeringar=arets_justeringar,
        manadsrapporter=bool(arets),
    )


def _summor(
    forbund: Forbund, ar: int, insatser: list[Insats], urval: QuerySet[Insats, int]
) -> ledger.Flodessummor:
    """What `_floden` reads of the flow sums of `insatser` (`urval`, their ids as a subquery):
    each one's balance entered for `ar` and its closing balance of `ar - 1`. The closing
    balances are kept by the data version of `ar - 1` (`arscache.per_ar`, which changes with
    anything they are made of): after a write to `ar`, only the year's balances are read (one
    query) rather than the flow of every year before (four)."""
    from rapporter import arscache

    ids = sorted(i.pk for i in insatser)
    slag = "utgaende:" + hashlib.sha256(repr(ids).encode()).hexdigest()[:16]
    lasta: list[ledger.Flodessummor] = []

    def berakna(aren: list[int]) -> dict[int, dict[int, Kon]]:
        lasta.append(ledger.flodessummor(urval, till_ar=ar))
        return {year: {pk: lasta[0].utgaende(pk, year) for pk in ids} for year in aren}

    kept = arscache.per_ar(slag, forbund.pk, [ar - 1], berakna)
    if lasta:
        return lasta[0]
    balans = {
        (insats_id, ar): Kon(kvinnor, man)
        for insats_id, kvinnor, man in IngaendeBalans.objects.filter(insats_id__in=urval, ar=ar)
        .order_by()
        .values_list("insats_id", "kvinnor", "man")
    }
    return ledger.Flodessummor({}, {}, {}, balans, {}, ar, utgaende_fore=kept[ar - 1])


def justering_per_insats(rader: Iterable[JusteringRad]) -> dict[int, Kon]:
    """The year's justeringar summed per insats (`ledger.arets_justering` of the rows read)."""
    per_insats: dict[int, Kon] = {}
    for rad in rader:
        per_insats[rad.insats_id] = per_insats.get(rad.insats_id, _NOLL) + Kon(rad.kvinnor, rad.man)
    return per_insats


def _arstotaler_utan_manader(
    ids: list[int], ar: int, arets: Mapping[int, Mapping[str, int]]
) -> dict[int, Arstotal]:
    """The year's yearly totals of the insatser without a monthly report that year (one query):
    a year with monthly data is computed from them, never from a yearly total. No query when
    every insats has monthly reports."""
    utan_manader = [i for i in ids if i not in arets]
    if not utan_manader:
        return {}
    return {a.insats_id: a for a in Arstotal.objects.filter(insats_id__in=utan_manader, ar=ar)}


def _flode_ur_arstotal(total: Arstotal) -> tuple[Kon, Kon, Kon]:
    """Ingående, nya and avslutade of a yearly total: its deltagare are ingående plus nya."""
    flode = ledger.arstotal_flode({f: getattr(total, f) for f in ledger.ARSTOTAL_KOLUMNER})
    return flode.ingaende, flode.nya, flode.avslutade


def _floden(
    insatser: list[Insats],
    ar: int,
    arets: Mapping[int, Mapping[str, int]],
    arstotaler: Mapping[int, Arstotal],
    summor: ledger.Flodessummor,
    urval: QuerySet[Insats, int] | None,
    justering: Mapping[int, Kon],
) -> list[InsatsFlode]:
    """Each deltagarflöde insats's year: ingående balans, flow, justeringar and avslutade per
    avslutsanledning; from its yearly total when the year has no monthly report of it.
    `urval`: the ids of `insatser` as a subquery for the avslutade per anledning (None: none
    read); `justering`: the year's justeringar per insats."""
    avslut = _avslut_per_anledning(urval, ar) if urval is not None else {}
    floden = []
    for insats in insatser:
        row = arets.get(insats.pk, {})
        total = arstotaler.get(insats.pk)
        if total is not None:
            ingaende, nya, avslutade = _flode_ur_arstotal(total)
        else:
            ingaende = summor.ingaende(insats.pk, ar)
            nya = Kon(row.get("nk") or 0, row.get("nm") or 0)
            avslutade = Kon(row.get("ak") or 0, row.get("am") or 0)
        floden.append(
            InsatsFlode(
                insats_id=insats.pk,
                namn=insats.namn,
                grupp=insats.grupp.namn if insats.grupp else None,
                avslutad=ledger.avslutad_under(insats.slutdatum, ar),
                ingaende=ingaende,
                ingaende_bekraftad=summor.bekraftad(insats.pk, ar),
                nya=nya,
                avslutade=avslutade,
                justering=justering.get(insats.pk, Kon()),
                avslut_per_anledning=dict(avslut.get(insats.pk, {})),
                rapporterade_manader=row.get("rapporterade", 0),
                godkanda_manader=row.get("godkanda", 0),
                kalla=total.kalla if total is not None else "",
            )
        )
    return floden


def _per_huvudman(ids: QuerySet[Insats, int], ar: int) -> dict[int, int]:
    """Per huvudman, over the insatser `ids`: the ingående balans plus the year's nya (two
    queries). Summed in the database over the insatser: the bilaga shows the förbund's split
    only, not each insats's (300 insatser × huvudmän rows, issue 15)."""
    per_huvudman: dict[int, int] = defaultdict(int)
    for huvudman_id, antal in (
        IngaendeBalansHuvudman.objects.filter(balans__insats_id__in=ids, balans__ar=ar)
        .order_by()
        .values("huvudman_id")
        .annotate(antal=Sum("antal"))
        .values_list("huvudman_id", "antal")
    ):
        per_huvudman[huvudman_id] += antal
    for huvudman_id, antal in (
        NyaPerHuvudman.objects.filter(rapport__insats_id__in=ids, rapport__ar=ar)
        .order_by()
        .values("huvudman_id")
        .annotate(antal=Sum("antal"))
        .values_list("huvudman_id", "antal")
    ):
        per_huvudman[huvudman_id] += antal
    return per_huvudman


def _avslut_per_anledning(ids: QuerySet[Insats, int], ar: int) -> dict[int, dict[int, int]]:
    avslut: dict[int, dict[int, int]] = defaultdict(dict)
    for insats_id, anledning_id, antal in (
        AvslutadePerAnledning.objects.filter(rapport__insats_id__in=ids, rapport__ar=ar)
        .values("rapport__insats_id", "anledning_id")
        .annotate(antal=Sum("antal"))
        .values_list("rapport__insats_id", "anledning_id", "antal")
    ):
        avslut[insats_id][anledning_id] = antal
    return avslut


def _anvands_av(forbund: Forbund) -> dict[int, set[int]]:
    """Per avslutsanledning: the insatser that use it."""
    anvands_av: dict[int, set[int]] = defaultdict(set)
    for anledning_id, insats_id in Avslutsanledning.insatser.through.objects.filter(
        avslutsanledning__forbund=forbund
    ).values_list("avslutsanledning_id", "insats_id"):
        anvands_av[anledning_id].add(insats_id)
    return anvands_av


def _volymer(
    insatser: list[Insats],
    ar: int,
    arets: Mapping[int, Mapping[str, int]],
    arstotaler: Mapping[int, Arstotal],
) -> tuple[VolymRad, ...]:
    """The year's volume per volyminsats: the sum of its months, or for unique individuals the
    year's latest count; without monthly reports, the yearly total's volume."""
    senaste_volym = dict(
        Manadsrapport.objects.filter(
            insats_id__in=[i.pk for i in insatser if i.volymenhet == UNIKA],
            ar=ar,
            volym__isnull=False,
        )
        .order_by("insats_id", "manad")
        .values_list("insats_id", "volym")
    )
    rader = []
    for insats in insatser:
        row = arets.get(insats.pk, {})
        total = arstotaler.get(insats.pk)
        if total is not None:
            volym = total.volym or 0
        else:
            volym = ledger.arets_volym(
                insats.volymenhet,
                summa=row.get("volym_summa") or 0,
                senaste=senaste_volym.get(insats.pk),
            )
        rader.append(
            VolymRad(
                insats_id=insats.pk,
                namn=insats.namn,
                enhet=insats.volymenhet,
                enhet_namn=insats.get_volymenhet_display(),
                inriktning=insats.inriktning,
                volym=volym,
                rapporterade_manader=row.get("rapporterade", 0),
                godkanda_manader=row.get("godkanda", 0),
                kalla=total.kalla if total is not None else "",
            )
        )
    return tuple(rader)


def _huvudman_andelar(
    floden: list[InsatsFlode], huvudman: list[Huvudman], fordelning: Mapping[int, int]
) -> tuple[Andel, ...]:
    """The participants by huvudman (`fordelning`, the insatser's breakdowns summed); what
    the breakdowns leave out of the deltagare is "Ej angiven"."""
    antal: dict[str, int] = {h.namn: 0 for h in huvudman}
    for h in huvudman:
        antal[h.namn] += fordelning.get(h.pk, 0)
    deltagare = sum(f.ingaende.totalt + f.nya.totalt for f in floden)
    if ej_angiven := deltagare - sum(fordelning.values()):
        antal[EJ_ANGIVEN] = antal.get(EJ_ANGIVEN, 0) + ej_angiven
    if not antal.get(EJ_ANGIVEN):
        antal.pop(EJ_ANGIVEN, None)
    helhet = sum(antal.values())
    return tuple(Andel(namn, n, procent(n, helhet)) for namn, n in antal.items())


def _klass(namn: str, floden: Iterable[InsatsFlode], klass_av: Mapping[int, int]) -> AvslutKlass:
    totalt = forsta = andra = 0
    for flode in floden:
        totalt += flode.avslutade.totalt
        for anledning_id, antal in flode.avslut_per_anledning.items():
            if klass_av.get(anledning_id) == Avslutsanledning.Klass.FORSTA:
                forsta += antal
            elif klass_av.get(anledning_id) == Avslutsanledning.Klass.ANDRA:
                andra += antal
    return AvslutKlass(namn=namn, totalt=totalt, forsta=forsta, andra=andra)


def _avslut_klasser(
    floden: list[InsatsFlode], anledningar: list[Avslutsanledning]
) -> tuple[AvslutKlass, ...]:
    """1:a/2:a for all individinriktade insatser, then for each insatsgrupp ("Enbart försteg")."""
    klass_av = {a.pk: a.klass for a in anledningar}
    grupper = sorted({f.grupp for f in floden if f.grupp})
    return (
        _klass(ALLA_INDIVIDINRIKTADE, floden, klass_av),
        *(
            _klass(
                f"Enbart {grupp.lower() if grupp.istitle() else grupp}",
                [f for f in floden if f.grupp == grupp],
                klass_av,
            )
            for grupp in grupper
        ),
    )


def _avslut_uppsattningar(
    floden: list[InsatsFlode],
    anledningar: list[Avslutsanledning],
    anvands_av: Mapping[int, set[int]],
) -> tuple[AvslutUppsattning, ...]:
    """Per set of reasons other than the general one: the avslutade of the insatser using it."""
    result = []
    for namn in sorted({a.uppsattning for a in anledningar} - {ALLMAN}):
        egna = [a for a in anledningar if a.uppsattning == namn]
        insats_ids = set().union(*(anvands_av.get(a.pk, set()) for a in egna))
        anvandare = [f for f in floden if f.insats_id in insats_ids]
        rader = tuple(
            Andel(
                a.etikett,
                sum(f.avslut_per_anledning.get(a.pk, 0) for f in anvandare),
                None,
            )
            for a in sorted(egna, key=lambda a: (a.ordning, a.namn))
        )
        result.append(
            AvslutUppsattning(
                namn=namn, totalt=sum(f.avslutade.totalt for f in anvandare), rader=rader
            )
        )
    return tuple(result)
