"""Insatser financed by several förbund, on the read side: who owns an insats, who co-finances
it and with what share, and its year's participants counted once.

An insats's months are reported once, by the förbund that runs it (its owner); a co-financier
pays a share (`registrering.models.Medfinansiering`) but reports nothing. So that nobody is
counted twice, the participants of an insats always count in its owner's figures and never in
a co-financier's: the co-financier's bilaga lists the insatser it co-finances apart, marked as
jointly financed, and a joint report over several förbund takes each insats once.

- `gemensamma_insatser(forbund_ids=…, ar=…)`: for a joint report over a set of förbund, each
  insats once with its owner and every financier's share, and its figures.
- `bilagans_samfinansiering(forbund=…, ar=…)`: what one förbund's bilaga shows: the insatser it
  co-finances that another förbund runs, and which of its own insatser others co-finance.

Figures of an insats here are from approved months only (they may be another förbund's data,
and a group sees nothing unapproved): deltagare = ingående balans + nya of the approved months,
nya and avslutade of the approved months. A year without any monthly report of an insats takes
its yearly total (`Arstotal`, a year brought in from before the product), as the bilaga does
(`rapporter.arsdata`); a yearly total counts as approved: it is the förbund's final figures.
Both selectors read in a constant number of queries whatever the number of insatser, and write
nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from rapporter import arscache
from rapporter.arsdata import GODKANDA, lista
from registrering import ledger
from registrering.ledger import Kon
from registrering.models import (
    Arstotal,
    Forbund,
    IngaendeBalans,
    Insats,
    Manadsrapport,
    Medfinansiering,
)
from registrering.samfinansieringsregler import HELA_INSATSEN, andel_text


@dataclass(frozen=True)
class Finansiar:
    """One förbund that pays for an insats in the year: its share in percent, and for a
    co-financier its amount in kronor (the owner's amount is not recorded: None)."""

    forbund_id: int
    namn: str
    kortnamn: str
    andel: Decimal
    belopp: int | None
    agare: bool

    @property
    def andel_text(self) -> str:
        return andel_text(self.andel)


@dataclass(frozen=True)
class GemensamInsats:
    """An insats of the year with its owner first among its financiers (the owner's share is
    what the co-financiers leave) and its figures from approved months."""

    insats_id: int
    namn: str
    inriktning: str
    preciserad_inriktning: str
    deltagarflode: bool
    agare_id: int
    agare_namn: str
    finansiarer: tuple[Finansiar, ...]
    ingaende: Kon
    nya: Kon
    avslutade: Kon
    volymenhet: str = ""  # Insats.Volymenhet of a volyminsats
    # Whether the year's figures are its yearly total (no monthly report that year), its source
    # (Arstotal.kalla) and, for a volyminsats, the total's volym.
    arstotal: bool = False
    arstotal_kalla: str = ""
    arstotal_volym: int | None = None

    @property
    def deltagare(self) -> Kon:
        return self.ingaende + self.nya

    @property
    def medfinansiarer(self) -> tuple[Finansiar, ...]:
        return tuple(f for f in self.finansiarer if not f.agare)

    @property
    def samfinansierad(self) -> bool:
        return bool(self.medfinansiarer)

    @property
    def utan_kon(self) -> bool:
        """Whether its figures are a yearly total without the gender split."""
        return not self.deltagare.uppdelad

    def andel(self, forbund_id: int) -> Decimal:
        """The förbund's share of the insats in percent (0 when it pays nothing)."""
        return next((f.andel for f in self.finansiarer if f.forbund_id == forbund_id), Decimal(0))


@dataclass(frozen=True)
class GemensammaInsatser:
    """Every insats of the year that a förbund of `forbund_ids` runs or co-finances, once.

    `egna` are those run by a förbund of the set: their participants are the set's, and the
    totals count them once whoever co-finances them. `utanfor` are run by a förbund outside the
    set and only co-financed from it: listed, never counted (they are their owner's)."""

    forbund_ids: frozenset[int]
    ar: int
    insatser: tuple[GemensamInsats, ...]

    @property
    def egna(self) -> tuple[GemensamInsats, ...]:
        return tuple(i for i in self.insatser if i.agare_id in self.forbund_ids)

    @property
    def utanfor(self) -> tuple[GemensamInsats, ...]:
        return tuple(i for i in self.insatser if i.agare_id not in self.forbund_ids)

    def _summa(self, falt: str) -> Kon:
        return Kon.summa(getattr(i, falt) for i in self.egna if i.deltagarflode)

    @property
    def deltagare(self) -> Kon:
        return self._summa("deltagare")

    @property
    def nya(self) -> Kon:
        return self._summa("nya")

    @property
    def avslutade(self) -> Kon:
        return self._summa("avslutade")

    def per_agare(self) -> dict[int, tuple[GemensamInsats, ...]]:
        """The set's insatser per owning förbund: a per-förbund table counts each insats under
        its owner only."""
        per: dict[int, list[GemensamInsats]] = defaultdict(list)
        for insats in self.egna:
            per[insats.agare_id].append(insats)
        return {forbund_id: tuple(rader) for forbund_id, rader in per.items()}


def arstotaler_utan_manader(insats_ids: Iterable[int], ar: int) -> dict[int, Arstotal]:
    """The year's yearly totals of the insatser without any monthly report (of any status) that
    year (always one query): a year with monthly data is computed from its months, never from
    a yearly total (as in `rapporter.arsdata`). A yearly total counts as approved: it is the
    förbund's final figures for a year before the product."""
    ids = list(insats_ids)
    manader = Manadsrapport.objects.filter(insats_id__in=ids, ar=ar).values("insats_id")
    return {
        a.insats_id: a
        for a in Arstotal.objects.filter(insats_id__in=ids, ar=ar).exclude(insats_id__in=manader)
    }


def _ur_arstotal(total: Arstotal) -> tuple[Kon, Kon, Kon]:
    """Ingående, nya and avslutade of a yearly total (`ledger.arstotal_flode`, its one reader)."""
    flode = ledger.arstotal_flode({f: getattr(total, f) for f in ledger.ARSTOTAL_KOLUMNER})
    return flode.ingaende, flode.nya, flode.avslutade


def _flode(insatser: list[Insats], ar: int) -> tuple[ledger.Flodessummor, dict[int, dict]]:
    """The ingående balans (carried forward by the ledger from approved months and yearly
    totals: `_ingaende`) and the year's approved sums."""
    flodes = [i for i in insatser if not i.ar_volyminsats]
    ids = [i.pk for i in flodes]
    godkanda = {
        row["insats_id"]: row
        for row in Manadsrapport.objects.filter(insats_id__in=ids, ar=ar, status__in=GODKANDA)
        .values("insats_id")
        .annotate(
            nk=Sum("nya_kvinnor"),
            nm=Sum("nya_man"),
            ak=Sum("avslutade_kvinnor"),
            am=Sum("avslutade_man"),
        )
    }
    return _ingaende(flodes, ar), godkanda


def _ingaende(insatser: list[Insats], ar: int) -> ledger.Flodessummor:
    """The ledger from 1 January `ar` on, its `ingaende(insats, ar)` the balance on 1 January.

    Last year's closing balances are kept per owner förbund by its data version of `ar - 1`
    (`arscache.per_forbund`): a write to `ar` leaves them, and a cold joint report reads only
    the year's entered balances (two queries). Those not kept are read with the flow sums over
    all earlier years (`ledger.flodessummor`, four queries and the versions')."""
    per_agare: dict[int, set[int]] = defaultdict(set)
    for insats in insatser:
        per_agare[insats.forbund_id].add(insats.pk)
    if not per_agare:
        return ledger.Flodessummor({}, {}, {}, {}, {}, ar)
    lasta: list[ledger.Flodessummor] = []
    beraknade: set[int] = set()

    def berakna(forbund_ids: list[int]) -> dict[int, dict[int, Kon]]:
        ids = sorted(pk for f in forbund_ids for pk in per_agare[f])
        summor = ledger.flodessummor(ids, till_ar=ar, bara_godkanda=True)
        lasta.append(summor)
        beraknade.update(forbund_ids)
        return {f: {pk: summor.utgaende(pk, ar - 1) for pk in per_agare[f]} for f in forbund_ids}

    utgaende_forra = arscache.per_forbund(
        "utgaende_godkanda",
        ar - 1,
        per_agare,
        berakna,
        # Kept for fewer insatser than asked now (another report's): computed again.
        giltig=lambda f, varde: per_agare[f] <= varde.keys(),
    )
    if beraknade == set(per_agare):
        # Every förbund's were read: the flow sums have the year's entered balances too.
        balans = {key: kon for key, kon in lasta[0].balans.items() if key[1] == ar}
    else:
        balans = {
            (insats_id, ar): Kon(kvinnor, man)
            for insats_id, kvinnor, man in IngaendeBalans.objects.filter(
                insats_id__in=sorted(pk for pks in per_agare.values() for pk in pks), ar=ar
            )
            .order_by()
            .values_list("insats_id", "kvinnor", "man")
        }
    fore = {pk: kon for varden in utgaende_forra.values() for pk, kon in varden.items()}
    return ledger.Flodessummor({}, {}, {}, balans, {}, ar, utgaende_fore=fore)


def _finansiarer(insats: Insats, rader: Iterable[Medfinansiering]) -> tuple[Finansiar, ...]:
    medfinansiarer = tuple(
        Finansiar(
            forbund_id=r.finansiar_id,
            namn=r.finansiar.namn,
            kortnamn=r.finansiar.kortnamn,
            andel=r.andel,
            belopp=r.belopp,
            agare=False,
        )
        for r in sorted(rader, key=lambda r: r.finansiar.namn)
    )
    agare = Finansiar(
        forbund_id=insats.forbund_id,
        namn=insats.forbund.namn,
        kortnamn=insats.forbund.kortnamn,
        andel=HELA_INSATSEN - sum((f.andel for f in medfinansiarer), Decimal(0)),
        belopp=None,
        agare=True,
    )
    return (agare, *medfinansiarer)


def _gemensamma(
    insatser: list[Insats],
    rader: Mapping[int, list[Medfinansiering]],
    ar: int,
) -> tuple[GemensamInsats, ...]:
    if not insatser:
        # Most förbund co-finance nothing: no queries to build (they would select nothing).
        return ()
    summor, godkanda = _flode(insatser, ar)
    arstotaler = arstotaler_utan_manader([i.pk for i in insatser], ar)
    result = []
    for insats in insatser:
        row = godkanda.get(insats.pk, {})
        flode = not insats.ar_volyminsats
        total = arstotaler.get(insats.pk)
        if total is not None and flode:
            ingaende, nya, avslutade = _ur_arstotal(total)
        else:
            ingaende = summor.ingaende(insats.pk, ar) if flode else Kon()
            nya = Kon(row.get("nk") or 0, row.get("nm") or 0)
            avslutade = Kon(row.get("ak") or 0, row.get("am") or 0)
        result.append(
            GemensamInsats(
                insats_id=insats.pk,
                namn=insats.namn,
                inriktning=insats.inriktning,
                preciserad_inriktning=insats.preciserad_inriktning,
                deltagarflode=flode and insats.inriktning == Insats.Inriktning.INDIVID,
                agare_id=insats.forbund_id,
                agare_namn=insats.forbund.namn,
                finansiarer=_finansiarer(insats, rader.get(insats.pk, ())),
                ingaende=ingaende,
                nya=nya,
                avslutade=avslutade,
                volymenhet=insats.volymenhet,
                arstotal=total is not None,
                arstotal_kalla=total.kalla if total is not None else "",
                arstotal_volym=total.volym if total is not None else None,
            )
        )
    return tuple(result)


def _per_insats(rader: Iterable[Medfinansiering]) -> dict[int, list[Medfinansiering]]:
    per: dict[int, list[Medfinansiering]] = defaultdict(list)
    for rad in rader:
        per[rad.insats_id].append(rad)
    return per


def _medfinansierade(forbund_ids: Iterable[int], ar: int) -> QuerySet[Medfinansiering, Any]:
    """The ids of the insatser the förbund co-finance in `ar` (a subquery, not a query)."""
    return Medfinansiering.objects.filter(finansiar_id__in=list(forbund_ids), ar=ar).values(
        "insats_id"
    )


def gemensamma_insatser(*, forbund_ids: Iterable[int], ar: int) -> GemensammaInsatser:
    """Each insats of `ar` that a förbund of `forbund_ids` runs or co-finances, once, with its
    owner and every financier's share and its figures from approved months (eight queries,
    however many insatser and förbund). The totals (`deltagare`, `nya`, `avslutade`) count the
    participants of the insatser run by the set once each, whoever co-finances them."""
    ids = frozenset(forbund_ids)
    insatser = list(
        Insats.objects.filter(Q(forbund_id__in=ids) | Q(pk__in=_medfinansierade(ids, ar)))
        .aktiva_under(ar)
        .select_related("forbund")
        .order_by("forbund__namn", "ordning", "namn")
    )
    rader = Medfinansiering.objects.filter(insats__in=insatser, ar=ar).select_related("finansiar")
    return GemensammaInsatser(
        forbund_ids=ids, ar=ar, insatser=_gemensamma(insatser, _per_insats(rader), ar)
    )


@dataclass(frozen=True)
class Medfinansierad:
    """An insats another förbund runs that the bilaga's förbund co-finances: its amount, its
    share and the insats's figures (which count in the owner's report, not here)."""

    insats: GemensamInsats
    belopp: int
    andel: Decimal

    @property
    def andel_text(self) -> str:
        return andel_text(self.andel)


@dataclass(frozen=True)
class Samfinansiering:
    """What a förbund's bilaga shows of co-financing: `medfinansierade`, the insatser of other
    förbund it co-finances; `markeringar`, per own insats that others co-finance, the words
    "samfinansierad med Finnveden (25 %)"."""

    medfinansierade: tuple[Medfinansierad, ...] = ()
    markeringar: Mapping[int, str] | None = None

    @property
    def tom(self) -> bool:
        return not self.medfinansierade and not self.markeringar

    @property
    def arstotaler(self) -> tuple[GemensamInsats, ...]:
        """The co-financed insatser whose figures of the year are a yearly total."""
        return tuple(m.insats for m in self.medfinansierade if m.insats.arstotal)


def markering(finansiarer: Iterable[Finansiar]) -> str:
    """'samfinansierad med Finnveden (25 %)', '… med A (10 %) och B (20 %)'."""
    return "samfinansierad med " + lista(
        [f"{f.namn} ({f.andel_text})" for f in finansiarer if not f.agare]
    )


def bilagans_samfinansiering(*, forbund: Forbund, ar: int) -> Samfinansiering:
    """The förbund's co-financing in `ar` as its bilaga shows it (one query, and six more when
    it co-finances another förbund's insats)."""
    rader = list(
        Medfinansiering.objects.filter(ar=ar)
        .filter(Q(insats__forbund=forbund) | Q(insats_id__in=_medfinansierade({forbund.pk}, ar)))
        .select_related("insats__forbund", "finansiar")
    )
    per_insats = _per_insats(rader)
    markeringar = {
        insats_id: markering(_finansiarer(egna[0].insats, egna))
        for insats_id, egna in sorted(per_insats.items())
        if egna[0].insats.forbund_id == forbund.pk
    }
    vara = [r for r in rader if r.finansiar_id == forbund.pk and r.insats.aktiv_under(ar)]
    vara.sort(key=lambda r: (r.insats.forbund.namn, r.insats.ordning, r.insats.namn))
    gemensamma = {g.insats_id: g for g in _gemensamma([r.insats for r in vara], per_insats, ar)}
    return Samfinansiering(
        medfinansierade=tuple(
            Medfinansierad(insats=gemensamma[r.insats_id], belopp=r.belopp, andel=r.andel)
            for r in vara
        ),
        markeringar=markeringar or None,
    )
