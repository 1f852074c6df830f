"""The goal page's economy: the year's tilldelning split between the members, the cost posts
against their utfall, and the eget kapital against its recommended cap (seed 001, seed 004).

`ekonomi(forbund=…, ar=…, planer=…)` is called by `rapporter.mal.malsida`; it reads the
verksamhetsplaner of the cap's years once, passed in as `planer`, and the members with their
population (`medlemsunderlag`), which the goal page keeps with last year's figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Subquery

from rapporter.arsdata import procent
from registrering.models import (
    Befolkning,
    Forbund,
    Kostnadspost,
    Medlem,
    Utfall,
    Verksamhetsplan,
)

STATENS_DEL = Decimal(1) / 2
REGIONENS_DEL = Decimal(1) / 4
# The average tilldelning of the cap is taken over this year and the two before it.
KAPITALTAK_AR = 3
# The default rule of a verksamhetsplan (the model's defaults): share in % and basis.
KAPITALTAK_STANDARD = (
    Verksamhetsplan._meta.get_field("kapitaltak_procent").default,
    Verksamhetsplan._meta.get_field("kapitaltak_bas").default,
)


@dataclass(frozen=True)
class MedlemsAndel:
    namn: str
    typ: str
    invanare: int | None
    procent: Decimal | None
    belopp: Decimal


@dataclass(frozen=True)
class Kostnadsrad:
    namn: str
    kod: str
    budget: Decimal
    utfall: Decimal
    typ: str = Kostnadspost.Typ.INSATS  # administration or insatser (Uppföljning Finsam)
    insats_id: int | None = None  # the one insats the post is the cost of, if any

    @property
    def kvar(self) -> Decimal:
        return self.budget - self.utfall

    @property
    def forbrukat(self) -> int | None:
        return procent(int(self.utfall), int(self.budget))


@dataclass(frozen=True)
class Ekonomi:
    """The year's money. Without cost posts the year has no budget, and no result, prognosis
    or cap status is computed (no costs registered is not costs of 0 kr)."""

    tilldelning: Decimal
    medlemmar: tuple[MedlemsAndel, ...]
    befolkningsar: int | None
    befolkning_totalt: int
    poster: tuple[Kostnadsrad, ...]
    utfall_till_manad: int
    kapitaltak_procent: int
    kapitaltak_bas: str  # Verksamhetsplan.KapitaltakBas
    kapitaltak_underlag: tuple[tuple[int, Decimal], ...]  # (år, tilldelning) the cap is of
    eget_kapital_ingaende: Decimal | None
    plan_ar: int

    @property
    def har_budget(self) -> bool:
        return bool(self.poster)

    @property
    def budget_totalt(self) -> Decimal:
        return sum((p.budget for p in self.poster), Decimal(0))

    @property
    def utfall_totalt(self) -> Decimal:
        return sum((p.utfall for p in self.poster), Decimal(0))

    @property
    def utfall_prognos(self) -> Decimal | None:
        """The year's costs if they go on at the same pace (linear); the budget before any
        utfall is booked."""
        if not self.har_budget:
            return None
        if not self.utfall_till_manad:
            return self.budget_totalt
        return hela_kronor(self.utfall_totalt * 12 / self.utfall_till_manad)

    @property
    def resultat_prognos(self) -> Decimal | None:
        kostnader = self.utfall_prognos
        return None if kostnader is None else self.tilldelning - kostnader

    @property
    def kapitaltak(self) -> Decimal:
        """The förbund's share of this year's tilldelning or of the average tilldelning."""
        return kapitaltak(self.kapitaltak_procent, self.kapitaltak_underlag)

    @property
    def kapitaltak_tkr(self) -> int:
        return int(hela_kronor(self.kapitaltak / 1000))

    @property
    def kapitaltak_regel(self) -> str:
        """'15 % av genomsnittlig tilldelning 2024–2026' or '15 % av årets tilldelning'."""
        regel = f"{self.kapitaltak_procent}\u00a0% av {self.kapitaltak_bas_text}"
        if self.kapitaltak_bas == Verksamhetsplan.KapitaltakBas.ARETS:
            return regel
        ar = [ar for ar, _t in self.kapitaltak_underlag]
        if len(ar) == 1:
            return f"{regel} {ar[0]}, det enda året med verksamhetsplan"
        return f"{regel} {_arsspann(ar)}"

    @property
    def kapitaltak_kalla(self) -> str:
        """Where the cap's rule comes from: the default, or the förbund's own choice."""
        standard = (
            f"Nationella rådets rekommendation om rimlig storlek på eget kapital "
            f"({KAPITALTAK_STANDARD[0]}\u00a0% av "
            f"{Verksamhetsplan.KapitaltakBas(KAPITALTAK_STANDARD[1]).label})"
        )
        if (self.kapitaltak_procent, self.kapitaltak_bas) == KAPITALTAK_STANDARD:
            return f"{standard}; förbundet kan ändra regeln i verksamhetsplanen."
        return f"förbundets egen regel i verksamhetsplanen {self.plan_ar} (standard är {standard})."

    @property
    def kapitaltak_bas_text(self) -> str:
        return Verksamhetsplan.KapitaltakBas(self.kapitaltak_bas).label

    @property
    def eget_kapital_prognos(self) -> Decimal | None:
        resultat = self.resultat_prognos
        if self.eget_kapital_ingaende is None or resultat is None:
            return None
        return self.eget_kapital_ingaende + resultat

    @property
    def over_tak(self) -> bool | None:
        prognos = self.eget_kapital_prognos
        return None if prognos is None else prognos > self.kapitaltak


def kapitaltak(procent_: int, underlag: Sequence[tuple[int, Decimal]]) -> Decimal:
    """The cap on eget kapital: `procent_` of the average tilldelning of `underlag` ((år,
    tilldelning) of the years the cap is of, `kapitaltak_underlag`), in whole kronor."""
    summa = sum((t for _ar, t in underlag), Decimal(0))
    return hela_kronor(summa * procent_ / (100 * len(underlag)))


def hela_kronor(value: Decimal) -> Decimal:
    """Rounded to whole kronor, half up."""
    return Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)


def _arsspann(ar: Sequence[int]) -> str:
    """[2024, 2025, 2026] -> '2024–2026'; [2024, 2026] -> '2024 och 2026'; [2026] -> '2026'."""
    ar = sorted(ar)
    if ar == list(range(ar[0], ar[-1] + 1)):
        return str(ar[0]) if len(ar) == 1 else f"{ar[0]}–{ar[-1]}"
    return ", ".join(str(a) for a in ar[:-1]) + f" och {ar[-1]}"


def tilldelning_per_medlem(
    tilldelning: Decimal, medlemmar: Sequence[Medlem], befolkning: Mapping[int, int]
) -> tuple[MedlemsAndel, ...]:
    """The verksamhetsplan's split: the state 1/2 (through Försäkringskassan), the region 1/4 and
    the kommuner 1/4 by their share of the population, as a percentage with one decimal."""
    statens = hela_kronor(tilldelning * STATENS_DEL)
    regionens = hela_kronor(tilldelning * REGIONENS_DEL)
    rader: list[MedlemsAndel] = []
    for medlem in medlemmar:
        if medlem.typ == Medlem.Typ.STAT:
            # The state pays through Försäkringskassan; the verksamhetsplan names it so.
            rader.append(MedlemsAndel("Staten genom FK", medlem.typ, None, None, statens))
        elif medlem.typ == Medlem.Typ.REGION:
            rader.append(MedlemsAndel(medlem.namn, medlem.typ, None, None, regionens))
    kommuner = [m for m in medlemmar if m.typ == Medlem.Typ.KOMMUN]
    # The kommuner take what is left, so the rows always add up to the tilldelning exactly.
    return (*rader, *_kommunandelar(kommuner, befolkning, tilldelning - statens - regionens))


def _kommunandelar(
    kommuner: list[Medlem], befolkning: Mapping[int, int], kommundel: Decimal
) -> list[MedlemsAndel]:
    """`kommundel` split by each kommun's share of their population (one decimal)."""
    totalt = sum(befolkning.get(m.pk, 0) for m in kommuner)
    andelar = {
        m.pk: (Decimal(befolkning.get(m.pk, 0)) * 100 / totalt).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        if totalt
        else Decimal(0)
        for m in kommuner
    }
    belopp = {m.pk: hela_kronor(kommundel * andelar[m.pk] / 100) for m in kommuner}
    # Rounded shares may not add up to 100,0 %: the largest kommun takes the difference.
    if kommuner and totalt:
        storsta = max(kommuner, key=lambda m: befolkning.get(m.pk, 0))
        belopp[storsta.pk] += kommundel - sum(belopp.values())
    return [
        MedlemsAndel(m.namn, m.typ, befolkning.get(m.pk, 0), andelar[m.pk], belopp[m.pk])
        for m in kommuner
    ]


@dataclass(frozen=True)
class Medlemsunderlag:
    """What the year's tilldelning is split by: the members, and the latest population figures
    before the year (SCB 31/12 of `befolkningsar`, per member; None without any). Written only
    by a förbund-wide write (a member) or one to a year before (its population): a goal page
    may keep it by last year's data version."""

    medlemmar: tuple[Medlem, ...]
    befolkningsar: int | None
    befolkning: Mapping[int, int]


def medlemsunderlag(*, forbund: Forbund, ar: int) -> Medlemsunderlag:
    """The members and their population before `ar` (two queries)."""
    medlemmar = tuple(Medlem.objects.filter(forbund=forbund).order_by("ordning", "namn"))
    befolkningsar, befolkning = _befolkning(forbund, ar)
    return Medlemsunderlag(medlemmar, befolkningsar, befolkning)


def _befolkning(forbund: Forbund, ar: int) -> tuple[int | None, dict[int, int]]:
    """The latest population figures before `ar` (SCB 31/12), per member (one query)."""
    senaste = (
        Befolkning.objects.filter(medlem__forbund=forbund, ar__lt=ar).order_by("-ar").values("ar")
    )
    rader = list(
        Befolkning.objects.filter(medlem__forbund=forbund, ar=Subquery(senaste[:1]))
        .order_by()
        .values_list("ar", "medlem_id", "invanare")
    )
    if not rader:
        return None, {}
    return rader[0][0], {medlem_id: invanare for _ar, medlem_id, invanare in rader}


def _kostnader(forbund: Forbund, ar: int) -> tuple[tuple[Kostnadsrad, ...], int]:
    """The year's cost posts with their utfall, and the last month booked."""
    poster = list(Kostnadspost.objects.filter(forbund=forbund, ar=ar).order_by("ordning", "namn"))
    utfall: dict[int, Decimal] = defaultdict(Decimal)
    till_manad = 0
    for u in Utfall.objects.filter(post__in=poster):
        utfall[u.post_id] += u.belopp
        till_manad = max(till_manad, u.sista_manad)
    rader = tuple(
        Kostnadsrad(p.namn, p.kod, p.budget, utfall.get(p.pk, Decimal(0)), p.typ, p.insats_id)
        for p in poster
    )
    return rader, till_manad


def kapitaltak_underlag(
    plan: Verksamhetsplan, planer: Mapping[int, Verksamhetsplan]
) -> tuple[tuple[int, Decimal], ...]:
    """(år, tilldelning) of the years the cap is a share of: this year, or the average over
    the years up to `KAPITALTAK_AR` back that have a verksamhetsplan."""
    if plan.kapitaltak_bas == Verksamhetsplan.KapitaltakBas.ARETS:
        return ((plan.ar, plan.tilldelning),)
    return tuple((ar, p.tilldelning) for ar, p in sorted(planer.items()))


def planer_for(*, forbund: Forbund, ar: int) -> dict[int, Verksamhetsplan]:
    """The verksamhetsplaner `ekonomi` needs for `ar`: the year's and those of the cap's years
    before it (one query)."""
    return {
        p.ar: p
        for p in Verksamhetsplan.objects.filter(
            forbund=forbund, ar__gt=ar - KAPITALTAK_AR, ar__lte=ar
        )
    }


def ekonomi(
    *,
    forbund: Forbund,
    ar: int,
    planer: Mapping[int, Verksamhetsplan],
    underlag: Medlemsunderlag | None = None,
) -> Ekonomi | None:
    """The year's money, or None without a verksamhetsplan for the year. `underlag`: the
    members and their population (`medlemsunderlag`) when the caller has them."""
    plan = planer.get(ar)
    if plan is None:
        return None
    if underlag is None:
        underlag = medlemsunderlag(forbund=forbund, ar=ar)
    medlemmar, befolkning = underlag.medlemmar, underlag.befolkning
    poster, till_manad = _kostnader(forbund, ar)
    return Ekonomi(
        tilldelning=plan.tilldelning,
        medlemmar=tilldelning_per_medlem(plan.tilldelning, medlemmar, befolkning),
        befolkningsar=underlag.befolkningsar,
        befolkning_totalt=sum(
            befolkning.get(m.pk, 0) for m in medlemmar if m.typ == Medlem.Typ.KOMMUN
        ),
        poster=poster,
        utfall_till_manad=till_manad,
        kapitaltak_procent=plan.kapitaltak_procent,
        kapitaltak_bas=plan.kapitaltak_bas,
        kapitaltak_underlag=kapitaltak_underlag(plan, planer),
        eget_kapital_ingaende=plan.eget_kapital_ingaende,
        plan_ar=plan.ar,
    )
