"""The participant ledger: the one place that knows how many participants an insats has.

DOMAIN.md's rules, each written once:
- **active**: an insats is active in a period if it started on or before the period's last day
  and did not end before its first day (`aktiv`, `aktiv_q`);
- **pågående** at the end of a month = pågående at its start + nya − avslutade + justeringar
  (`pagaende`);
- **ingående balans** on 1 January = the balance entered for the year, else last year's closing
  balance (`nasta_ingaende`); a year's closing balance comes from its months, or, for a year
  before the product, from its yearly totals (`utgaende`);
- the flow sums per insats and year (`Flodessummor`) and per month (`manadsliggare.Liggare`)
  are read in a constant number of queries however many insatser are asked for;
- a volyminsats's volume of the year is the sum of its months, or for unika individer the
  latest count given (`arets_volym`).

`registrering` writes and checks with it; `rapporter` reads with it. It imports nothing above
`registrering.models` and `registrering.kalender`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from registrering.kalender import manadens_forsta, manadens_sista
from registrering.models import (
    Arstotal,
    IngaendeBalans,
    Insats,
    Justering,
    Manadsrapport,
)


@dataclass(frozen=True)
class Kon:
    """A count split by legal gender.

    `utan_kon` is the part known only as a total: a yearly total from before the product whose
    old system had no gender split (`Arstotal.deltagare`). It counts in `totalt` but in neither
    half; a sum that holds any of it is not split (`uppdelad`), and shows its kvinnor and män
    as unknown rather than as a too small number."""

    kvinnor: int = 0
    man: int = 0
    utan_kon: int = 0

    @property
    def totalt(self) -> int:
        return self.kvinnor + self.man + self.utan_kon

    @property
    def uppdelad(self) -> bool:
        """Whether the whole count is split by gender."""
        return not self.utan_kon

    def __add__(self, other: Kon) -> Kon:
        return Kon(
            self.kvinnor + other.kvinnor, self.man + other.man, self.utan_kon + other.utan_kon
        )

    def __sub__(self, other: Kon) -> Kon:
        return Kon(
            self.kvinnor - other.kvinnor, self.man - other.man, self.utan_kon - other.utan_kon
        )

    @classmethod
    def summa(cls, values: Iterable[Kon]) -> Kon:
        # Three integers rather than a Kon per term: a page of 300 insatser sums ~10 000.
        kvinnor = man = utan_kon = 0
        for value in values:
            kvinnor += value.kvinnor
            man += value.man
            utan_kon += value.utan_kon
        return cls(kvinnor, man, utan_kon)

    def par(self) -> tuple[tuple[str, int], tuple[str, int]]:
        """(("kvinnor", n), ("man", n)): the two halves, keyed like the model fields."""
        return (("kvinnor", self.kvinnor), ("man", self.man))


KON_ORD = {"kvinnor": "kvinnor", "man": "män"}


def pagaende(start: Kon, nya: Kon, avslutade: Kon, justering: Kon | None = None) -> Kon:
    """Participants at the end of a period: the start, plus nya, minus avslutade, plus
    justeringar. The one formula for pågående."""
    j = justering or _NOLL
    # One Kon rather than three: a page of 300 insatser computes ~10 000 of these.
    return Kon(
        start.kvinnor + nya.kvinnor - avslutade.kvinnor + j.kvinnor,
        start.man + nya.man - avslutade.man + j.man,
        start.utan_kon + nya.utan_kon - avslutade.utan_kon + j.utan_kon,
    )


_NOLL = Kon()


# --- Active in a year or a month ---------------------------------------------------------------


def period(ar: int, manad: int | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of a year, or of one of its months."""
    if manad is None:
        return dt.date(ar, 1, 1), dt.date(ar, 12, 31)
    return manadens_forsta(ar, manad), manadens_sista(ar, manad)


def aktiv(
    startdatum: dt.date, slutdatum: dt.date | None, ar: int, manad: int | None = None
) -> bool:
    """Whether an insats running from `startdatum` to `slutdatum` ran during the period."""
    forsta, sista = period(ar, manad)
    return startdatum <= sista and (slutdatum is None or slutdatum >= forsta)


def aktiv_q(ar: int, manad: int | None = None, *, prefix: str = "") -> Q:
    """`aktiv` as a query condition on Insats (or, with `prefix="insats__"`, on what has one)."""
    forsta, sista = period(ar, manad)
    return Q(**{f"{prefix}startdatum__lte": sista}) & (
        Q(**{f"{prefix}slutdatum__isnull": True}) | Q(**{f"{prefix}slutdatum__gte": forsta})
    )


def aktiv_under_perioden_q(fran_ar: int, till_ar: int, *, prefix: str = "") -> Q:
    """Active at some time from 1 January `fran_ar` to 31 December `till_ar`."""
    return Q(**{f"{prefix}startdatum__lte": dt.date(till_ar, 12, 31)}) & (
        Q(**{f"{prefix}slutdatum__isnull": True})
        | Q(**{f"{prefix}slutdatum__gte": dt.date(fran_ar, 1, 1)})
    )


def avslutad_under(slutdatum: dt.date | None, ar: int) -> bool:
    """The insats ended on or before 31 December of `ar` (its pågående 31/12 is shown as "–")."""
    return slutdatum is not None and slutdatum <= dt.date(ar, 12, 31)


# --- The year chain -----------------------------------------------------------------------------


def nasta_ingaende(utgaende_forra: Kon, balans: Kon | None) -> Kon:
    """The balance on 1 January: the one entered for the year, else last year's closing."""
    return balans if balans is not None else utgaende_forra


def utgaende(ingaende: Kon, flode: Kon | None, arstotal_slut: Kon | None) -> Kon:
    """A year's closing balance. `flode` is the year's net flow (nya − avslutade +
    justeringar) when it has monthly data; a year before the product has only its yearly
    totals, whose closing balance is deltagare − avslutade."""
    if flode is not None:
        return pagaende(ingaende, flode, Kon())
    if arstotal_slut is not None:
        return arstotal_slut
    return ingaende


@dataclass
class Flodessummor:
    """Per insats and year before `till_ar`: sums of the monthly flow, justeringar, the entered
    balances (up to and including `till_ar`) and the closing balances of yearly totals."""

    nya: dict[tuple[int, int], Kon]
    avslutade: dict[tuple[int, int], Kon]
    justering: dict[tuple[int, int], Kon]
    balans: dict[tuple[int, int], Kon]
    arstotal: dict[tuple[int, int], Kon]
    forsta_ar: int
    # Each insats's closing balance of the year before `forsta_ar`, when the years before were
    # not read but kept (`liggare(…, utgaende_forra=…)`); none: they had no data.
    utgaende_fore: Mapping[int, Kon] = field(default_factory=dict)

    def flode(self, insats_id: int, ar: int) -> Kon | None:
        """The year's net flow, or None when the year has no monthly data or justeringar."""
        key = (insats_id, ar)
        if key not in self.nya and key not in self.justering:
            return None
        return pagaende(
            Kon(), self.nya.get(key, Kon()), self.avslutade.get(key, Kon()), self.justering.get(key)
        )

    def ingaende(self, insats_id: int, ar: int) -> Kon:
        """The balance on 1 January of `ar`, carried forward from the first year with data."""
        carried = self.utgaende_fore.get(insats_id, _NOLL)
        for year in range(self.forsta_ar, ar + 1):
            carried = nasta_ingaende(carried, self.balans.get((insats_id, year)))
            if year == ar:
                return carried
            carried = self.utgaende(insats_id, year, carried)
        return carried

    def utgaende(self, insats_id: int, ar: int, ingaende: Kon | None = None) -> Kon:
        """The closing balance of `ar`, from its balance on 1 January (`ingaende`, when the
        caller walking the years has it, else carried forward from the first year)."""
        if ingaende is None:
            ingaende = self.ingaende(insats_id, ar)
        return utgaende(ingaende, self.flode(insats_id, ar), self.arstotal.get((insats_id, ar)))

    def bekraftad(self, insats_id: int, ar: int) -> bool:
        return (insats_id, ar) in self.balans


def insats_idn(insats_ids: Iterable[int]) -> Iterable[int]:
    """The ids to filter on: a query of ids (`values_list("pk", flat=True)`) stays a query, a
    subquery in SQL (Django prepares a list of 300 ids slower than the rows are read); any
    other iterable is read into a list, used by several queries."""
    return insats_ids if isinstance(insats_ids, QuerySet) else list(insats_ids)


def _per_ar(rows: Iterable[Mapping[str, Any]], k: str, m: str) -> dict[tuple[int, int], Kon]:
    return {(r["insats_id"], r["ar"]): Kon(r[k] or 0, r[m] or 0) for r in rows}


#: The months a joint report may count: approved, or approved and registered with FK.
GODKANDA_STATUSAR = (Manadsrapport.Status.GODKAND, Manadsrapport.Status.REGISTRERAD)


def flodessummor(
    insats_ids: Iterable[int],
    *,
    till_ar: int,
    bara_godkanda: bool = False,
    fran_ar: int | None = None,
    utgaende_fore: Mapping[int, Kon] | None = None,
    manader: Iterable[Mapping[str, Any]] | None = None,
    justering: dict[tuple[int, int], Kon] | None = None,
    arstotal: dict[tuple[int, int], Kon] | None = None,
) -> Flodessummor:
    """Four queries: monthly sums, justeringar and yearly totals of the years before `till_ar`,
    and the balances entered up to and including `till_ar`. With `bara_godkanda` only the
    approved months count (a group's joint report never shows unapproved figures).

    With `fran_ar`, only the years from `fran_ar` on are read, and `utgaende_fore` (kept by the
    caller) is each insats's closing balance of the year before (none: no data before).

    `manader` (rows with insats_id, ar, nk, nm, ak, am, as `arens_flode` gives them),
    `justering` and `arstotal` (the yearly totals' closing balances), per insats and year: what
    the caller has read already of the same insatser and years, not read again."""
    ids = insats_idn(insats_ids)
    aren = Q(ar__gte=fran_ar) if fran_ar is not None else Q()
    if manader is None:
        # `.order_by()`: the models' default ordering goes through the insats to its förbund, and
        # Django keeps those joins even in a GROUP BY; the sums are keyed, so order does not
        # matter.
        manadsrapporter = Manadsrapport.objects.filter(
            aren, insats_id__in=ids, ar__lt=till_ar
        ).order_by()
        if bara_godkanda:
            manadsrapporter = manadsrapporter.filter(status__in=GODKANDA_STATUSAR)
        manader = list(
            manadsrapporter.values("insats_id", "ar").annotate(
                nk=Sum("nya_kvinnor"),
                nm=Sum("nya_man"),
                ak=Sum("avslutade_kvinnor"),
                am=Sum("avslutade_man"),
            )
        )
    if justering is None:
        justering = _per_ar(
            Justering.objects.filter(aren, insats_id__in=ids, ar__lt=till_ar)
            .order_by()
            .values("insats_id", "ar")
            .annotate(k=Sum("kvinnor"), m=Sum("man")),
            "k",
            "m",
        )
    balans = _per_ar(
        IngaendeBalans.objects.filter(aren, insats_id__in=ids, ar__lte=till_ar)
        .order_by()
        .values("insats_id", "ar", "kvinnor", "man"),
        "kvinnor",
        "man",
    )
    if arstotal is None:
        arstotal = arstotalernas_slut(
            Arstotal.objects.filter(aren, insats_id__in=ids, ar__lt=till_ar).order_by()
        )
    nya, avslutade = _per_ar(manader, "nk", "nm"), _per_ar(manader, "ak", "am")
    if fran_ar is not None:
        return Flodessummor(
            nya, avslutade, justering, balans, arstotal, fran_ar, utgaende_fore=utgaende_fore or {}
        )
    years = [key[1] for source in (nya, justering, balans, arstotal) for key in source]
    return Flodessummor(nya, avslutade, justering, balans, arstotal, min(years, default=till_ar))


#: The columns of an `Arstotal` that `arstotal_flode` reads.
ARSTOTAL_KOLUMNER = (
    "deltagare_kvinnor",
    "deltagare_man",
    "deltagare",
    "nya_kvinnor",
    "nya_man",
    "nya",
    "avslutade_kvinnor",
    "avslutade_man",
    "avslutade",
)


@dataclass(frozen=True)
class ArstotalFlode:
    """A yearly total's deltagare, nya and avslutade; without the gender split each is all
    `utan_kon`."""

    deltagare: Kon
    nya: Kon
    avslutade: Kon

    @property
    def ingaende(self) -> Kon:
        """Its deltagare are the balance on 1 January plus the nya."""
        return self.deltagare - self.nya

    @property
    def slut(self) -> Kon:
        """Its closing balance: deltagare less avslutade."""
        return pagaende(Kon(), self.deltagare, self.avslutade)


def arstotal_flode(varden: Mapping[str, int | None]) -> ArstotalFlode:
    """The one reading of an `Arstotal` row (its `ARSTOTAL_KOLUMNER`): the split, or, when the
    row has a total without it, that total as a count without gender."""
    if varden.get("deltagare") is not None:
        return ArstotalFlode(
            *(Kon(utan_kon=varden.get(vad) or 0) for vad in ("deltagare", "nya", "avslutade"))
        )
    return ArstotalFlode(
        *(
            Kon(varden.get(f"{vad}_kvinnor") or 0, varden.get(f"{vad}_man") or 0)
            for vad in ("deltagare", "nya", "avslutade")
        )
    )


def arstotalernas_slut(arstotaler: QuerySet[Arstotal]) -> dict[tuple[int, int], Kon]:
    """Each yearly total's closing balance: its deltagare less its avslutade, keyed by year."""
    return {
        (row["insats_id"], row["ar"]): arstotal_flode(row).slut
        for row in arstotaler.values("insats_id", "ar", *ARSTOTAL_KOLUMNER)
    }


def ingaende_balans(*, insats_id: int, ar: int) -> Kon:
    """The balance on 1 January of `ar`: the entered one, else the previous closing balance."""
    return flodessummor([insats_id], till_ar=ar).ingaende(insats_id, ar)


def arets_flode(
    insats_ids: Iterable[int], ar: int, *, bara_godkanda: bool = False
) -> dict[int, dict[str, int]]:
    """Per insats: the year's sums of nya and avslutade by gender, volume, and how many months
    are reported and approved (one query). With `bara_godkanda` the sums are of the approved
    months only; `rapporterade` still counts every month, so the rest can be named."""
    return arens_flode(insats_ids, [ar], bara_godkanda=bara_godkanda)[ar]


def arens_flode(
    insats_ids: Iterable[int], ar_lista: Iterable[int], *, bara_godkanda: bool = False
) -> dict[int, dict[int, dict[str, int]]]:
    """`arets_flode` of each year of `ar_lista`, year -> insats -> sums (one query)."""
    godkanda = Q(status__in=GODKANDA_STATUSAR)
    villkor = godkanda if bara_godkanda else None
    aren = list(ar_lista)
    result: dict[int, dict[int, dict[str, int]]] = {year: {} for year in aren}
    # Keyed: without the model's default ordering, whose joins Django keeps in a GROUP BY.
    for row in (
        Manadsrapport.objects.filter(insats_id__in=insats_idn(insats_ids), ar__in=aren)
        .order_by()
        .values("insats_id", "ar")
        .annotate(
            nk=Sum("nya_kvinnor", filter=villkor),
            nm=Sum("nya_man", filter=villkor),
            ak=Sum("avslutade_kvinnor", filter=villkor),
            am=Sum("avslutade_man", filter=villkor),
            volym_summa=Sum("volym", filter=villkor),
            rapporterade=Count("id"),
            godkanda=Count("id", filter=godkanda),
        )
    ):
        result[row["ar"]][row["insats_id"]] = row
    return result


def arets_volym(enhet: str, *, summa: int, senaste: int | None) -> int:
    """A volyminsats's volume of the year, or of its months so far, with the unit `enhet`: for
    'unika individer under året' each month gives the count so far this year, so the volume is
    the latest count given (`senaste`, the latest month's that has one), never a sum; for any
    other unit the sum of the months' volumes (`summa`). The bilaga and the goal page both ask
    here for a year of monthly reports (a year kept as a yearly total has that total's volume
    in the bilaga; the goal page's volume targets read months only)."""
    if enhet == Insats.Volymenhet.UNIKA_INDIVIDER:
        return senaste or 0
    return summa


def arets_justering(insats_ids: Iterable[int], ar: int) -> dict[int, Kon]:
    """Per insats: the sum of the year's justeringar (one query)."""
    sums: dict[int, Kon] = defaultdict(Kon)
    for row in (
        Justering.objects.filter(insats_id__in=list(insats_ids), ar=ar)
        .order_by()
        .values("insats_id")
        .annotate(k=Sum("kvinnor"), m=Sum("man"))
    ):
        sums[row["insats_id"]] = Kon(row["k"], row["m"])
    return dict(sums)
