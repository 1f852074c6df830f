"""The participant ledger month by month (`Liggare`): pågående at the start and end of every
month of an insats, from the balances, the months' flow, the justeringar and the yearly totals
(the formulas are `registrering.ledger`'s, written once there). The rules ask it whether a change
leaves any month with fewer than zero (`regler.liggaren`); the goal page draws the year's line
from it. Read in a constant number of queries however many insatser are asked for."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum

from registrering.ledger import (
    Flodessummor,
    Kon,
    arstotalernas_slut,
    flodessummor,
    insats_idn,
    nasta_ingaende,
    pagaende,
    utgaende,
)
from registrering.models import (
    Arstotal,
    IngaendeBalans,
    Justering,
    Manadsrapport,
)

_NOLL = Kon()


@dataclass(frozen=True)
class Manadssaldo:
    """One month of one insats: pågående at its start, its flow, and pågående at its end."""

    insats_id: int
    ar: int
    manad: int
    start: Kon
    nya: Kon
    avslutade: Kon
    justering: Kon
    # Computed once, when the month is made: the next month starts from it, and a page of 300
    # insatser asks it several times (a cached_property takes a lock on every read).
    slut: Kon = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "slut", pagaende(self.start, self.nya, self.avslutade, self.justering)
        )

    @property
    def fore_justering(self) -> Kon:
        """Pågående after the month's flow, before its justeringar."""
        return pagaende(self.start, self.nya, self.avslutade)


@dataclass
class Liggare:
    """The months of some insatser from 1 January `fran_ar` on, with what came before summed up.

    The months, justeringar and balances can be replaced in memory (`satt_manad`,
    `lagg_till_justering`, `satt_balans`) to see what a write would lead to before it is made;
    `saldon` then gives every month from `fran_ar` to the last year with data.
    """

    fran_ar: int
    fore: Flodessummor
    manader: dict[tuple[int, int, int], tuple[Kon, Kon]] = field(default_factory=dict)
    justeringar: dict[tuple[int, int, int], Kon] = field(default_factory=dict)
    balanser: dict[tuple[int, int], Kon] = field(default_factory=dict)
    arstotaler: dict[tuple[int, int], Kon] = field(default_factory=dict)
    _sista: dict[int, int] | None = field(default=None, init=False, repr=False)
    # The years of one insats as `_ar_for_ar` walks them, up to the latest year asked: a page asks
    # the same insats's months several times. Emptied with `_sista` by every change in memory.
    _aren: dict[int, tuple[int, list[tuple[int, Kon, list[Manadssaldo]]]]] = field(
        default_factory=dict, init=False, repr=False
    )

    def satt_manad(self, insats_id: int, ar: int, manad: int, nya: Kon, avslutade: Kon) -> None:
        self.satt_manader([(insats_id, ar, manad, nya, avslutade)])

    def satt_manader(self, manader: Iterable[tuple[int, int, int, Kon, Kon]]) -> None:
        """`satt_manad` for many months (insats id, year, month, nya, avslutade) at once: a
        file's 100 000, with the computed months forgotten once."""
        self.manader.update(((i, ar, m), (nya, avslutade)) for i, ar, m, nya, avslutade in manader)
        self._sista = None
        self._aren.clear()

    def lagg_till_justering(self, insats_id: int, ar: int, manad: int, andring: Kon) -> None:
        key = (insats_id, ar, manad)
        self.justeringar[key] = self.justeringar.get(key, Kon()) + andring
        self._sista = None
        self._aren.clear()

    def satt_balans(self, insats_id: int, ar: int, balans: Kon | None) -> None:
        self._sista = None
        self._aren.clear()
        if ar == self.fran_ar:
            if balans is None:
                self.fore.balans.pop((insats_id, ar), None)
            else:
                self.fore.balans[(insats_id, ar)] = balans
        elif balans is None:
            self.balanser.pop((insats_id, ar), None)
        else:
            self.balanser[(insats_id, ar)] = balans

    def sista_ar(self, insats_id: int) -> int:
        """The last year with data for the insats (at least `fran_ar`)."""
        if self._sista is None:
            self._sista = {}
            for nycklar in (self.manader, self.justeringar, self.balanser, self.arstotaler):
                for key in nycklar:
                    self._sista[key[0]] = max(self._sista.get(key[0], self.fran_ar), key[1])
        return self._sista.get(insats_id, self.fran_ar)

    def ingaende(self, insats_id: int, ar: int) -> Kon:
        """The balance on 1 January of `ar` (≥ `fran_ar`), with the changes made in memory."""
        if ar <= self.fran_ar:  # what the first year's months start from: none walked
            return self.fore.ingaende(insats_id, ar)
        for year, ingaende, _manader in self._ar_for_ar(insats_id, till_ar=ar):
            if year == ar:
                return ingaende
        return self.fore.ingaende(insats_id, ar)

    def utgaende(self, insats_id: int, ar: int) -> Kon:
        """The closing balance of `ar` (≥ `fran_ar`): what 1 January of the next year starts
        from unless a balance is entered for it."""
        for year, ingaende, manader in self._ar_for_ar(insats_id, till_ar=ar):
            if year == ar:
                if manader:
                    return manader[-1].slut
                return utgaende(ingaende, None, self.arstotaler.get((insats_id, ar)))
        raise ValueError(f"{ar} är före liggarens första år {self.fran_ar}")

    def saldon(self, insats_id: int, *, till_ar: int | None = None) -> Iterator[Manadssaldo]:
        """Every month from January `fran_ar` to December of the last year with data (a year
        kept as yearly totals has no months)."""
        for _ar, _ingaende, manader in self._ar_for_ar(insats_id, till_ar=till_ar):
            yield from manader

    def _ar_for_ar(
        self, insats_id: int, *, till_ar: int | None
    ) -> list[tuple[int, Kon, list[Manadssaldo]]]:
        till = till_ar or self.sista_ar(insats_id)
        aren = self._aren.get(insats_id)
        if aren is None or aren[0] < till:
            # The years up to a later year begin with the years up to an earlier one: walk to
            # the last year with data at once, and an earlier year is a prefix.
            langst = max(till, self.sista_ar(insats_id))
            aren = self._aren[insats_id] = (langst, list(self._rakna_aren(insats_id, langst)))
        return aren[1] if aren[0] == till else [a for a in aren[1] if a[0] <= till]

    def _rakna_aren(
        self, insats_id: int, till_ar: int
    ) -> Iterator[tuple[int, Kon, list[Manadssaldo]]]:
        start = self.fore.ingaende(insats_id, self.fran_ar)
        for ar in range(self.fran_ar, till_ar + 1):
            if ar > self.fran_ar:
                start = nasta_ingaende(start, self.balanser.get((insats_id, ar)))
            ingaende = start
            har_manader = any(
                (insats_id, ar, m) in self.manader or (insats_id, ar, m) in self.justeringar
                for m in range(1, 13)
            )
            if not har_manader and (insats_id, ar) in self.arstotaler:
                start = utgaende(start, None, self.arstotaler[(insats_id, ar)])
                yield ar, ingaende, []
                continue
            manader = []
            for manad in range(1, 13):
                nya, avslutade = self.manader.get((insats_id, ar, manad), (_NOLL, _NOLL))
                saldo = Manadssaldo(
                    insats_id,
                    ar,
                    manad,
                    start,
                    nya,
                    avslutade,
                    self.justeringar.get((insats_id, ar, manad), _NOLL),
                )
                manader.append(saldo)
                start = saldo.slut
            yield ar, ingaende, manader

    def saldo(self, insats_id: int, ar: int, manad: int) -> Manadssaldo:
        """One month; in a year kept as yearly totals every month starts from 1 January."""
        for saldo in self.saldon(insats_id, till_ar=ar):
            if (saldo.ar, saldo.manad) == (ar, manad):
                return saldo
        return Manadssaldo(insats_id, ar, manad, self.ingaende(insats_id, ar), Kon(), Kon(), Kon())


def manadsrader(
    insats_ids: Iterable[int], *, fran_ar: int, fler: tuple[str, ...] = ()
) -> QuerySet[Manadsrapport, tuple[Any, ...]]:
    """The monthly reports `liggare` reads, from `fran_ar` on: insats id, year, month, nya
    kvinnor and män, avslutade kvinnor and män, then the columns `fler` (a caller that wants
    more of the same rows reads them once: `liggare(…, rader=…)`)."""
    # Without the models' default ordering (joins through the insats to its förbund): keyed.
    return (
        Manadsrapport.objects.filter(insats_id__in=insats_idn(insats_ids), ar__gte=fran_ar)
        .order_by()
        .values_list(
            "insats_id",
            "ar",
            "manad",
            "nya_kvinnor",
            "nya_man",
            "avslutade_kvinnor",
            "avslutade_man",
            *fler,
        )
    )


def liggare(
    insats_ids: Iterable[int],
    *,
    fran_ar: int,
    utgaende_forra: Mapping[int, Kon] | None = None,
    rader: Iterable[tuple[Any, ...]] | None = None,
) -> Liggare:
    """The ledger of `insats_ids` from 1 January `fran_ar` on, in eight queries.

    With `utgaende_forra`, each insats's closing balance of the year before `fran_ar` (as
    `Liggare.utgaende` of an earlier ledger gave it, kept since), the years before are not read:
    four queries, and the same balances. With `rader`, the caller's `manadsrader` of the same
    insatser and `fran_ar`, one query fewer."""
    ids = insats_idn(insats_ids)
    # The balances entered after `fran_ar`; with `utgaende_forra` also `fran_ar`'s own (the
    # years before are not read), in the same query.
    balanser = {
        (insats_id, ar): Kon(kvinnor, man)
        for insats_id, ar, kvinnor, man in IngaendeBalans.objects.filter(
            insats_id__in=ids, ar__gte=fran_ar if utgaende_forra is not None else fran_ar + 1
        )
        .order_by()
        .values_list("insats_id", "ar", "kvinnor", "man")
    }
    if utgaende_forra is None:
        fore = flodessummor(ids, till_ar=fran_ar)
    else:
        balans = {key: kon for key, kon in balanser.items() if key[1] == fran_ar}
        fore = Flodessummor({}, {}, {}, balans, {}, fran_ar, utgaende_fore=utgaende_forra)
    result = Liggare(
        fran_ar=fran_ar,
        fore=fore,
        balanser={key: kon for key, kon in balanser.items() if key[1] > fran_ar},
    )
    # One Kon per pair of counts, shared (it is frozen): a page of 300 insatser reads ~3 000
    # months, whose counts repeat.
    kon: dict[tuple[int, int], Kon] = {}
    delad, manader = kon.get, result.manader
    for m in manadsrader(ids, fran_ar=fran_ar) if rader is None else rader:
        nya = delad(n := (m[3], m[4])) or kon.setdefault(n, Kon(*n))
        avslutade = delad(a := (m[5], m[6])) or kon.setdefault(a, Kon(*a))
        manader[(m[0], m[1], m[2])] = (nya, avslutade)
    for j in (
        Justering.objects.filter(insats_id__in=ids, ar__gte=fran_ar)
        .order_by()
        .values("insats_id", "ar", "manad")
        .annotate(k=Sum("kvinnor"), m=Sum("man"))
    ):
        result.justeringar[(j["insats_id"], j["ar"], j["manad"])] = Kon(j["k"], j["m"])
    result.arstotaler = arstotalernas_slut(
        Arstotal.objects.filter(insats_id__in=ids, ar__gte=fran_ar).order_by()
    )
    return result


def pagaende_vid_manadens_start(*, insats_id: int, ar: int, manad: int) -> Kon:
    """Participants enrolled when `manad` begins: the balance the month's avslutade come from.

    `manad=13` gives the closing balance of the year."""
    bok = liggare([insats_id], fran_ar=ar)
    if manad == 13:
        return bok.saldo(insats_id, ar, 12).slut
    return bok.saldo(insats_id, ar, manad).start
