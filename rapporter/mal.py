"""Selectors for the styrelse's goal page: goals, prognosis, trend and economy for one year.

`malsida(forbund=…, ar=…)` returns an immutable `Malsida` in a constant number of queries.

The prognosis for the whole year: what has been reported so far, scaled by how last year's
total related to last year's value at the same month (so a slow summer is not mistaken for a
trend). Without a complete last year the scaling is linear (12 / months reported). For a
deltagarflöde insats only the new participants are scaled; the ingående balans is already there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from rapporter.arsdata import procent
from registrering import ledger
from registrering.ledger import Kon
from registrering.models import (
    Befolkning,
    BudgeteradVolym,
    Enkatfraga,
    Enkatsvar,
    Forbund,
    Insats,
    Justering,
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
class GruppSumma:
    grupp: str
    deltagare: int
    foregaende: int


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
    tilldelning: Decimal
    medlemmar: tuple[MedlemsAndel, ...]
    befolkningsar: int | None
    befolkning_totalt: int
    poster: tuple[Kostnadsrad, ...]
    utfall_till_manad: int
    kapitaltak_procent: int
    eget_kapital_ingaende: Decimal | None

    @property
    def budget_totalt(self) -> Decimal:
        return sum((p.budget for p in self.poster), Decimal(0))

    @property
    def utfall_totalt(self) -> Decimal:
        return sum((p.utfall for p in self.poster), Decimal(0))

    @property
    def utfall_prognos(self) -> Decimal:
        """The year's costs if they go on at the same pace (linear)."""
        if not self.utfall_till_manad:
            return self.budget_totalt
        return _kr(self.utfall_totalt * 12 / self.utfall_till_manad)

    @property
    def resultat_prognos(self) -> Decimal:
        return self.tilldelning - self.utfall_prognos

    @property
    def kapitaltak(self) -> Decimal:
        return _kr(self.tilldelning * self.kapitaltak_procent / 100)

    @property
    def eget_kapital_prognos(self) -> Decimal | None:
        if self.eget_kapital_ingaende is None:
            return None
        return self.eget_kapital_ingaende + self.resultat_prognos

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
    trend: tuple[Manadsflode, ...]
    trend_foregaende: tuple[Manadsflode, ...]
    grupper: tuple[GruppSumma, ...]
    ekonomi: Ekonomi | None


def _kr(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)


def tilldelning_per_medlem(
    tilldelning: Decimal, medlemmar: list[Medlem], befolkning: dict[int, int]
) -> tuple[MedlemsAndel, ...]:
    """The verksamhetsplan's split: the state 1/2 (through Försäkringskassan), the region 1/4 and
    the kommuner 1/4 by their share of the population, as a percentage with one decimal."""
    kommuner = [m for m in medlemmar if m.typ == Medlem.Typ.KOMMUN]
    totalt = sum(befolkning.get(m.pk, 0) for m in kommuner)
    statens, regionens = _kr(tilldelning * STATENS_DEL), _kr(tilldelning * REGIONENS_DEL)
    # The kommuner take what is left, so the rows always add up to the tilldelning exactly.
    kommundel = tilldelning - statens - regionens
    rader: list[MedlemsAndel] = []
    for medlem in medlemmar:
        if medlem.typ == Medlem.Typ.STAT:
            # The state pays through Försäkringskassan; the verksamhetsplan names it so.
            rader.append(MedlemsAndel("Staten genom FK", medlem.typ, None, None, statens))
        elif medlem.typ == Medlem.Typ.REGION:
            rader.append(MedlemsAndel(medlem.namn, medlem.typ, None, None, regionens))
    kommunrader = []
    for medlem in kommuner:
        invanare = befolkning.get(medlem.pk, 0)
        andel = (
            (Decimal(invanare) * 100 / totalt).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if totalt
            else Decimal(0)
        )
        kommunrader.append([medlem, invanare, andel, _kr(kommundel * andel / 100)])
    # Rounded shares may not add up to 100,0 %: the largest kommun takes the difference.
    if kommunrader and totalt:
        skillnad = kommundel - sum(r[3] for r in kommunrader)
        max(kommunrader, key=lambda r: r[1])[3] += skillnad
    rader += [
        MedlemsAndel(m.namn, m.typ, inv, andel, belopp) for m, inv, andel, belopp in kommunrader
    ]
    return tuple(rader)


def _skala(
    hittills: int, foregaende_helar: int | None, foregaende_vid: int | None, manader: int
) -> tuple[int, str]:
    """Scale a value reached after `manader` months to the whole year."""
    if foregaende_helar and foregaende_vid:
        return int(_kr(Decimal(hittills) * foregaende_helar / foregaende_vid)), "säsong"
    if not manader:
        return hittills, "linjär"
    return int(_kr(Decimal(hittills) * 12 / manader)), "linjär"


def malsida(*, forbund: Forbund, ar: int) -> Malsida:
    """Everything the goal page shows for `forbund` and `ar` (a constant number of queries)."""
    insatser = i_rapportordning(
        Insats.objects.filter(forbund=forbund).aktiva_under(ar).select_related("grupp")
    )
    ids = [i.pk for i in insatser]
    rader = list(
        Manadsrapport.objects.filter(insats_id__in=ids, ar__in=[ar - 1, ar]).values(
            "insats_id",
            "ar",
            "manad",
            "nya_kvinnor",
            "nya_man",
            "avslutade_kvinnor",
            "avslutade_man",
            "volym",
            "status",
        )
    )
    till_manad = max((r["manad"] for r in rader if r["ar"] == ar), default=0)
    per: dict[tuple[int, int], dict[int, dict]] = defaultdict(dict)
    for r in rader:
        per[(r["insats_id"], r["ar"])][r["manad"]] = r
    summor = ledger.flodessummor(ids, till_ar=ar)
    justeringar: dict[tuple[int, int], dict[int, Kon]] = defaultdict(dict)
    for j in (
        Justering.objects.filter(insats_id__in=ids, ar__in=[ar - 1, ar])
        .values("insats_id", "ar", "manad")
        .annotate(k=Sum("kvinnor"), m=Sum("man"))
    ):
        justeringar[(j["insats_id"], j["ar"])][j["manad"]] = Kon(j["k"], j["m"])
    budget = {
        b.insats_id: b.volym for b in BudgeteradVolym.objects.filter(insats_id__in=ids, ar=ar)
    }

    def varde(insats: Insats, year: int, manad: int) -> int:
        """The insats's measure after `manad` months of `year` (new participants for a flow)."""
        manader = per.get((insats.pk, year), {})
        if insats.volymenhet == Insats.Volymenhet.UNIKA_INDIVIDER:
            upp_till = [manader[m]["volym"] or 0 for m in sorted(manader) if m <= manad]
            return upp_till[-1] if upp_till else 0
        if insats.ar_volyminsats:
            return sum(r["volym"] or 0 for m, r in manader.items() if m <= manad)
        return sum(r["nya_kvinnor"] + r["nya_man"] for m, r in manader.items() if m <= manad)

    volymmal = []
    for insats in insatser:
        if insats.pk not in budget:
            continue
        foregaende = per.get((insats.pk, ar - 1), {})
        helt_ar = len(foregaende) == 12
        # Each insats is scaled from its own last reported month: one that has not reported
        # October yet is not counted as having had no new participants in October.
        egen_manad = max(per.get((insats.pk, ar), {}), default=0)
        hittills = varde(insats, ar, egen_manad)
        prognos, metod = _skala(
            hittills,
            varde(insats, ar - 1, 12) if helt_ar else None,
            varde(insats, ar - 1, egen_manad) if helt_ar else None,
            egen_manad,
        )
        if not insats.ar_volyminsats:
            ingaende = summor.ingaende(insats.pk, ar).totalt
            hittills, prognos = hittills + ingaende, prognos + ingaende
        volymmal.append(
            Volymmal(
                insats_id=insats.pk,
                namn=insats.namn,
                enhet="deltagare"
                if not insats.ar_volyminsats
                else insats.get_volymenhet_display().lower(),
                mal=budget[insats.pk],
                hittills=hittills,
                prognos=max(prognos, hittills),
                metod=metod,
                ej_godkanda=sum(
                    1
                    for r in per.get((insats.pk, ar), {}).values()
                    if r["status"] not in ("godkand", "registrerad")
                ),
            )
        )

    flode = [
        i for i in insatser if i.inriktning == Insats.Inriktning.INDIVID and not i.ar_volyminsats
    ]
    foregaende_flode = list(
        Insats.objects.filter(forbund=forbund)
        .aktiva_under(ar - 1)
        .deltagarflode()
        .select_related("grupp")
    )
    summor_fg = ledger.flodessummor([i.pk for i in foregaende_flode], till_ar=ar - 1)
    forsta_ar = forsta_fg = 0

    def trend(year: int, grupp: list[Insats], summ: object, forsta: int) -> tuple[Manadsflode, ...]:
        pagaende = Kon.summa(summ.ingaende(i.pk, year) for i in grupp)  # type: ignore[attr-defined]
        result = []
        for manad in range(1, 13):
            nya = avsl = just = Kon()
            for i in grupp:
                r = per.get((i.pk, year), {}).get(manad)
                if r:
                    nya += Kon(r["nya_kvinnor"], r["nya_man"])
                    avsl += Kon(r["avslutade_kvinnor"], r["avslutade_man"])
                just += justeringar.get((i.pk, year), {}).get(manad, Kon())
            pagaende = pagaende + nya - avsl + just
            result.append(Manadsflode(manad, nya, avsl, pagaende))
        return tuple(result)

    grupper: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for year, grupp_insatser, summ, _forsta, index in (
        (ar, flode, summor, forsta_ar, 0),
        (ar - 1, foregaende_flode, summor_fg, forsta_fg, 1),
    ):
        for i in grupp_insatser:
            if i.grupp:
                grupper[i.grupp.namn][index] += summ.ingaende(i.pk, year).totalt + sum(
                    r["nya_kvinnor"] + r["nya_man"]
                    for m, r in per.get((i.pk, year), {}).items()
                    if m <= till_manad
                )

    return Malsida(
        forbund_namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        ar=ar,
        till_manad=till_manad,
        volymmal=tuple(volymmal),
        enkatmal=_enkatmal(forbund, ar),
        trend=trend(ar, flode, summor, forsta_ar)[: till_manad or 0],
        trend_foregaende=trend(ar - 1, foregaende_flode, summor_fg, forsta_fg),
        grupper=tuple(GruppSumma(namn, v[0], v[1]) for namn, v in sorted(grupper.items())),
        ekonomi=_ekonomi(forbund, ar),
    )


def _enkatmal(forbund: Forbund, ar: int) -> Enkatmal | None:
    plan = Verksamhetsplan.objects.filter(forbund=forbund, ar=ar).first()
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


def _ekonomi(forbund: Forbund, ar: int) -> Ekonomi | None:
    plan = Verksamhetsplan.objects.filter(forbund=forbund, ar=ar).first()
    if plan is None:
        return None
    medlemmar = list(Medlem.objects.filter(forbund=forbund).order_by("ordning", "namn"))
    befolkningsar = (
        Befolkning.objects.filter(medlem__forbund=forbund, ar__lt=ar)
        .order_by("-ar")
        .values_list("ar", flat=True)
        .first()
    )
    befolkning = {
        b.medlem_id: b.invanare
        for b in Befolkning.objects.filter(medlem__forbund=forbund, ar=befolkningsar)
    }
    poster = list(Kostnadspost.objects.filter(forbund=forbund, ar=ar).order_by("ordning", "namn"))
    utfall: dict[int, Decimal] = defaultdict(Decimal)
    till_manad = 0
    for u in Utfall.objects.filter(post__in=poster):
        utfall[u.post_id] += u.belopp
        till_manad = max(till_manad, u.sista_manad)
    return Ekonomi(
        tilldelning=plan.tilldelning,
        medlemmar=tilldelning_per_medlem(plan.tilldelning, medlemmar, befolkning),
        befolkningsar=befolkningsar,
        befolkning_totalt=sum(
            befolkning.get(m.pk, 0) for m in medlemmar if m.typ == Medlem.Typ.KOMMUN
        ),
        poster=tuple(
            Kostnadsrad(p.namn, p.kod, p.budget, utfall.get(p.pk, Decimal(0))) for p in poster
        ),
        utfall_till_manad=till_manad,
        kapitaltak_procent=plan.kapitaltak_procent,
        eget_kapital_ingaende=plan.eget_kapital_ingaende,
    )
