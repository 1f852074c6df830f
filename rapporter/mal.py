"""Selectors for the styrelse's goal page: goals, prognosis, trend and economy for one year.

`malsida(forbund=…, ar=…)` returns an immutable `Malsida` in a constant number of queries.

The prognosis for the whole year: what has been reported so far, scaled by how last year's
total related to last year's value at the same month (so a slow summer is not mistaken for a
trend). Without a complete last year the scaling is linear (12 / months reported). For a
deltagarflöde insats only the new participants are scaled; the ingående balans is already there.

Pågående month by month, for this year and last, comes from the participant ledger
(`registrering.ledger.liggare`): last year's line has every deltagarflöde insats that was
active last year, also those that have closed since. A year before the product, kept only as
yearly totals (`Arstotal`), has no months: it is one value, pågående 31/12.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum

from rapporter.arsdata import procent
from registrering import ledger
from registrering.ledger import Kon, Liggare, Manadssaldo
from registrering.models import (
    Befolkning,
    BudgeteradVolym,
    Enkatfraga,
    Enkatsvar,
    Forbund,
    Insats,
    Kostnadspost,
    Manadsrapport,
    Medlem,
    Utfall,
    Verksamhetsplan,
)
from registrering.selectors import i_rapportordning

NAR_MALET, RISK, NAR_INTE = "Når målet", "Risk", "Når inte målet"
RISKGRANS = Decimal("0.9")  # a prognosis within 10 % of the goal is a risk, not a failure
STATENS_DEL = Decimal(1) / 2
REGIONENS_DEL = Decimal(1) / 4
# The average tilldelning of the cap is taken over this year and the two before it.
KAPITALTAK_AR = 3
# The default rule of a verksamhetsplan (the model's defaults): share in % and basis.
KAPITALTAK_STANDARD = (
    Verksamhetsplan._meta.get_field("kapitaltak_procent").default,
    Verksamhetsplan._meta.get_field("kapitaltak_bas").default,
)
GODKANDA = (Manadsrapport.Status.GODKAND, Manadsrapport.Status.REGISTRERAD)

# One month's report as read for the volume targets: {"volym": …, "nya_kvinnor": …, …}.
Rad = Mapping[str, Any]


def status_for(prognos: int | Decimal, mal: int | Decimal) -> str:
    if prognos >= mal:
        return NAR_MALET
    if prognos >= mal * RISKGRANS:
        return RISK
    return NAR_INTE


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
    fraga: str
    positiva_alternativ: tuple[str, ...]
    positiva: int
    antal_svar: int
    mal_procent: int

    @property
    def andel(self) -> int | None:
        return procent(self.positiva, self.antal_svar)

    @property
    def status(self) -> str:
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
        return _kr(self.utfall_totalt * 12 / self.utfall_till_manad)

    @property
    def resultat_prognos(self) -> Decimal | None:
        kostnader = self.utfall_prognos
        return None if kostnader is None else self.tilldelning - kostnader

    @property
    def kapitaltak(self) -> Decimal:
        """The förbund's share of this year's tilldelning or of the average tilldelning."""
        summa = sum((t for _ar, t in self.kapitaltak_underlag), Decimal(0))
        return _kr(summa * self.kapitaltak_procent / (100 * len(self.kapitaltak_underlag)))

    @property
    def kapitaltak_tkr(self) -> int:
        return int(_kr(self.kapitaltak / 1000))

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

    @property
    def trend(self) -> tuple[Manadsflode, ...]:
        return self.forlopp.manader

    @property
    def trend_foregaende(self) -> tuple[Manadsflode, ...]:
        return self.forlopp_foregaende.manader


def _kr(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)


def _arsspann(ar: Sequence[int]) -> str:
    """[2024, 2025, 2026] -> '2024–2026'; [2024, 2026] -> '2024 och 2026'; [2026] -> '2026'."""
    ar = sorted(ar)
    if ar == list(range(ar[0], ar[-1] + 1)):
        return str(ar[0]) if len(ar) == 1 else f"{ar[0]}–{ar[-1]}"
    return ", ".join(str(a) for a in ar[:-1]) + f" och {ar[-1]}"


def tilldelning_per_medlem(
    tilldelning: Decimal, medlemmar: list[Medlem], befolkning: dict[int, int]
) -> tuple[MedlemsAndel, ...]:
    """The verksamhetsplan's split: the state 1/2 (through Försäkringskassan), the region 1/4 and
    the kommuner 1/4 by their share of the population, as a percentage with one decimal."""
    statens, regionens = _kr(tilldelning * STATENS_DEL), _kr(tilldelning * REGIONENS_DEL)
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
    kommuner: list[Medlem], befolkning: dict[int, int], kommundel: Decimal
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
    belopp = {m.pk: _kr(kommundel * andelar[m.pk] / 100) for m in kommuner}
    # Rounded shares may not add up to 100,0 %: the largest kommun takes the difference.
    if kommuner and totalt:
        storsta = max(kommuner, key=lambda m: befolkning.get(m.pk, 0))
        belopp[storsta.pk] += kommundel - sum(belopp.values())
    return [
        MedlemsAndel(m.namn, m.typ, befolkning.get(m.pk, 0), andelar[m.pk], belopp[m.pk])
        for m in kommuner
    ]


def malsida(*, forbund: Forbund, ar: int) -> Malsida:
    """Everything the goal page shows for `forbund` and `ar` (a constant number of queries)."""
    insatser = i_rapportordning(
        Insats.objects.filter(forbund=forbund).aktiva_under(ar).select_related("grupp")
    )
    # The deltagarflöde insatser of both years' lines, also those that closed last year.
    flode = list(
        Insats.objects.filter(forbund=forbund)
        .aktiva_under_aren(ar - 1, ar)
        .deltagarflode()
        .select_related("grupp")
    )
    flode_per_ar = {year: [i for i in flode if i.aktiv_under(year)] for year in (ar - 1, ar)}
    per = _manadsrader([i.pk for i in insatser], ar)
    till_manad = max((max(rader) for (_id, year), rader in per.items() if year == ar), default=0)
    bok = ledger.liggare({i.pk for i in (*insatser, *flode)}, fran_ar=ar - 1)
    forlopp = {
        ar - 1: _arsforlopp(bok, [i.pk for i in flode_per_ar[ar - 1]], ar - 1),
        ar: _arsforlopp(bok, [i.pk for i in flode_per_ar[ar]], ar, till_manad),
    }
    planer = {
        p.ar: p
        for p in Verksamhetsplan.objects.filter(
            forbund=forbund, ar__gt=ar - KAPITALTAK_AR, ar__lte=ar
        )
    }
    return Malsida(
        forbund_namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        ar=ar,
        till_manad=till_manad,
        volymmal=_volymmal(insatser, per, bok, ar),
        enkatmal=_enkatmal(forbund, ar, planer.get(ar)),
        forlopp=forlopp[ar],
        forlopp_foregaende=forlopp[ar - 1],
        grupper=_grupper(bok, flode_per_ar, forlopp, ar, till_manad),
        ekonomi=_ekonomi(forbund, ar, planer),
    )


# --- Volume targets -----------------------------------------------------------------------


def _manadsrader(ids: Sequence[int], ar: int) -> dict[tuple[int, int], dict[int, Rad]]:
    """This year's and last year's monthly reports: (insats, år) -> month -> report."""
    per: dict[tuple[int, int], dict[int, Rad]] = defaultdict(dict)
    for r in Manadsrapport.objects.filter(insats_id__in=ids, ar__in=[ar - 1, ar]).values(
        "insats_id", "ar", "manad", "nya_kvinnor", "nya_man", "volym", "status"
    ):
        per[(r["insats_id"], r["ar"])][r["manad"]] = r
    return per


def _varde(insats: Insats, manader: Mapping[int, Rad], manad: int) -> int:
    """The insats's measure after `manad` months (new participants for a flow)."""
    if insats.volymenhet == Insats.Volymenhet.UNIKA_INDIVIDER:
        upp_till = [manader[m]["volym"] or 0 for m in sorted(manader) if m <= manad]
        return upp_till[-1] if upp_till else 0
    if insats.ar_volyminsats:
        return sum(r["volym"] or 0 for m, r in manader.items() if m <= manad)
    return sum(r["nya_kvinnor"] + r["nya_man"] for m, r in manader.items() if m <= manad)


def _skala(
    hittills: int, foregaende_helar: int | None, foregaende_vid: int | None, manader: int
) -> tuple[int, str]:
    """Scale a value reached after `manader` months to the whole year."""
    if foregaende_helar and foregaende_vid:
        return int(_kr(Decimal(hittills) * foregaende_helar / foregaende_vid)), "säsong"
    if not manader:
        return hittills, "linjär"
    return int(_kr(Decimal(hittills) * 12 / manader)), "linjär"


def _volymmal(
    insatser: Sequence[Insats], per: Mapping[tuple[int, int], dict[int, Rad]], bok: Liggare, ar: int
) -> tuple[Volymmal, ...]:
    budget = {
        b.insats_id: b.volym
        for b in BudgeteradVolym.objects.filter(insats_id__in=[i.pk for i in insatser], ar=ar)
    }
    return tuple(_ett_volymmal(i, budget[i.pk], per, bok, ar) for i in insatser if i.pk in budget)


def _ett_volymmal(
    insats: Insats, mal: int, per: Mapping[tuple[int, int], dict[int, Rad]], bok: Liggare, ar: int
) -> Volymmal:
    i_ar, forra = per.get((insats.pk, ar), {}), per.get((insats.pk, ar - 1), {})
    # Each insats is scaled from its own last reported month: one that has not reported
    # October yet is not counted as having had no new participants in October.
    egen_manad = max(i_ar, default=0)
    hittills = _varde(insats, i_ar, egen_manad)
    helt_ar = len(forra) == 12
    prognos, metod = _skala(
        hittills,
        _varde(insats, forra, 12) if helt_ar else None,
        _varde(insats, forra, egen_manad) if helt_ar else None,
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
        ej_godkanda=sum(1 for r in i_ar.values() if r["status"] not in GODKANDA),
    )


# --- Participants month by month, from the ledger ----------------------------------------


def _har_manader(bok: Liggare, ids: Iterable[int], ar: int) -> bool:
    """Whether any of the insatser has a monthly report or a justering in `ar`."""
    valda = set(ids)
    return any(k[0] in valda and k[1] == ar for k in (*bok.manader, *bok.justeringar))


def _arets_saldon(bok: Liggare, insats_id: int, ar: int) -> list[Manadssaldo]:
    return [s for s in bok.saldon(insats_id, till_ar=ar) if s.ar == ar]


def _arsforlopp(bok: Liggare, ids: Sequence[int], ar: int, till_manad: int = 12) -> Arsforlopp:
    """The insatser's pågående through `ar` (up to `till_manad`), summed from the ledger's
    month balances; a year without months but with yearly totals is their closing balance."""
    if not _har_manader(bok, ids, ar):
        totaler = [bok.arstotaler[(pk, ar)] for pk in ids if (pk, ar) in bok.arstotaler]
        return Arsforlopp(ar, arstotal=Kon.summa(totaler) if totaler else None)
    per_manad: dict[int, list[Manadssaldo]] = defaultdict(list)
    for pk in ids:
        # An insats kept as a yearly total in a year others report by month has no months
        # to add; yearly totals belong to the years before the product, so this is rare.
        for saldo in _arets_saldon(bok, pk, ar):
            if saldo.manad <= till_manad:
                per_manad[saldo.manad].append(saldo)
    return Arsforlopp(
        ar,
        tuple(
            Manadsflode(
                manad,
                Kon.summa(s.nya for s in saldon),
                Kon.summa(s.avslutade for s in saldon),
                Kon.summa(s.slut for s in saldon),
            )
            for manad, saldon in sorted(per_manad.items())
        ),
    )


def _grupper(
    bok: Liggare,
    flode_per_ar: Mapping[int, Sequence[Insats]],
    forlopp: Mapping[int, Arsforlopp],
    ar: int,
    till_manad: int,
) -> tuple[GruppSumma, ...]:
    """Per insatsgrupp and year: inskrivna 1/1 plus nya January–`till_manad`; none when
    both years are kept as yearly totals (nothing to show)."""
    if all(f.som_arstotal for f in forlopp.values()):
        return ()
    summor: dict[str, dict[int, int | None]] = defaultdict(lambda: {ar: 0, ar - 1: 0})
    for year, insatser in flode_per_ar.items():
        for insats in insatser:
            if insats.grupp is None:
                continue
            grupp = summor[insats.grupp.namn]
            if forlopp[year].som_arstotal:
                grupp[year] = None
                continue
            nya = Kon.summa(
                s.nya for s in _arets_saldon(bok, insats.pk, year) if s.manad <= till_manad
            )
            grupp[year] = (grupp[year] or 0) + bok.ingaende(insats.pk, year).totalt + nya.totalt
    return tuple(GruppSumma(namn, v[ar], v[ar - 1]) for namn, v in sorted(summor.items()))


# --- The survey goal and the economy ------------------------------------------------------


def _enkatmal(forbund: Forbund, ar: int, plan: Verksamhetsplan | None) -> Enkatmal | None:
    fraga = (
        Enkatfraga.objects.filter(forbund=forbund, malfraga=True)
        .prefetch_related("alternativ")
        .first()
    )
    if fraga is None:
        return None
    antal = {
        row["alternativ_id"]: row["antal"]
        for row in Enkatsvar.objects.filter(alternativ__fraga=fraga, tillfalle__datum__year=ar)
        .values("alternativ_id")
        .annotate(antal=Sum("antal"))
    }
    alternativ = list(fraga.alternativ.all())
    return Enkatmal(
        fraga=fraga.text,
        positiva_alternativ=tuple(a.text for a in alternativ if a.positivt),
        positiva=sum(antal.get(a.pk, 0) for a in alternativ if a.positivt),
        antal_svar=sum(antal.values()),
        mal_procent=plan.enkatmal_procent if plan else 75,
    )


def _befolkning(forbund: Forbund, ar: int) -> tuple[int | None, dict[int, int]]:
    """The latest population figures before `ar` (SCB 31/12), per member."""
    befolkningsar = (
        Befolkning.objects.filter(medlem__forbund=forbund, ar__lt=ar)
        .order_by("-ar")
        .values_list("ar", flat=True)
        .first()
    )
    if befolkningsar is None:
        return None, {}
    return befolkningsar, {
        b.medlem_id: b.invanare
        for b in Befolkning.objects.filter(medlem__forbund=forbund, ar=befolkningsar)
    }


def _kostnader(forbund: Forbund, ar: int) -> tuple[tuple[Kostnadsrad, ...], int]:
    """The year's cost posts with their utfall, and the last month booked."""
    poster = list(Kostnadspost.objects.filter(forbund=forbund, ar=ar).order_by("ordning", "namn"))
    utfall: dict[int, Decimal] = defaultdict(Decimal)
    till_manad = 0
    for u in Utfall.objects.filter(post__in=poster):
        utfall[u.post_id] += u.belopp
        till_manad = max(till_manad, u.sista_manad)
    rader = tuple(
        Kostnadsrad(p.namn, p.kod, p.budget, utfall.get(p.pk, Decimal(0))) for p in poster
    )
    return rader, till_manad


def _kapitaltak_underlag(
    plan: Verksamhetsplan, planer: Mapping[int, Verksamhetsplan]
) -> tuple[tuple[int, Decimal], ...]:
    """(år, tilldelning) of the years the cap is a share of: this year, or the average over
    the years up to `KAPITALTAK_AR` back that have a verksamhetsplan."""
    if plan.kapitaltak_bas == Verksamhetsplan.KapitaltakBas.ARETS:
        return ((plan.ar, plan.tilldelning),)
    return tuple((ar, p.tilldelning) for ar, p in sorted(planer.items()))


def _ekonomi(forbund: Forbund, ar: int, planer: Mapping[int, Verksamhetsplan]) -> Ekonomi | None:
    plan = planer.get(ar)
    if plan is None:
        return None
    medlemmar = list(Medlem.objects.filter(forbund=forbund).order_by("ordning", "namn"))
    befolkningsar, befolkning = _befolkning(forbund, ar)
    poster, till_manad = _kostnader(forbund, ar)
    return Ekonomi(
        tilldelning=plan.tilldelning,
        medlemmar=tilldelning_per_medlem(plan.tilldelning, medlemmar, befolkning),
        befolkningsar=befolkningsar,
        befolkning_totalt=sum(
            befolkning.get(m.pk, 0) for m in medlemmar if m.typ == Medlem.Typ.KOMMUN
        ),
        poster=poster,
        utfall_till_manad=till_manad,
        kapitaltak_procent=plan.kapitaltak_procent,
        kapitaltak_bas=plan.kapitaltak_bas,
        kapitaltak_underlag=_kapitaltak_underlag(plan, planer),
        eget_kapital_ingaende=plan.eget_kapital_ingaende,
        plan_ar=plan.ar,
    )
