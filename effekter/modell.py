"""Socio-economic effects of a group's outcomes: pure arithmetic, no Django and no database.

Two models, both for a GROUP of participants, never for one person.

1. The simple model (seed 004, "194 400 kronor per år och individ")
   effect per person and year  E = 12 × (K + S)
       K = cost of public support per month (default 10 500 kr),
       S = lost income tax per month (default 5 700 kr);
   effect of n people to arbete/studier = n × E. With the defaults E = 12 × 16 200 = 194 400 kr.
   Shown in tKr as round(belopp / 1 000) half up (3 499 200 → 3 499, 777 600 → 778), and beside the
   members' contributions as effect per krona contributed = belopp / bidrag (2 decimals, half up).

2. The transition model (RISE, "ekonomisk modell för stegförflyttning")
   Key figures: per benefit k its payer p(k) ∈ {kommun, region, stat}, yearly amount per person
   B_k in the base year, yearly increase g_k and whether it is taxable; the income side: yearly
   wage L, kommunalskatt t_k, regionskatt t_r, arbetsgivaravgift a, yearly wage increase w and
   jobbskatteavdrag J per person and year (borne by the stat). For year y = 1 … H (y = 1 is the
   base year):
       B_k(y) = B_k · (1 + g_k)^(y−1)      L(y) = L · (1 + w)^(y−1)      J(y) = J · (1 + w)^(y−1)
   Status quo: everyone keeps the benefit they started with for the whole horizon. The effect in
   year y is the new state minus status quo, per person of a row "from k to x":
     leaving k:       p(k) gains B_k(y); if k is taxable, kommun loses t_k·B_k(y) and region
                      loses t_r·B_k(y) (the tax the person paid on it);
     to "arbete":     kommun gains t_k·L(y), region t_r·L(y); stat gains a·L(y) − J(y)
                      (no state income tax at this wage);
     to "studier":    as to the benefit "studiemedel" (stat, not taxable);
     to benefit j:    p(j) pays B_j(y); if j is taxable kommun gains t_k·B_j(y), region t_r·B_j(y);
     "oforandrad":    0 (neither leaving nor arriving).
   A row of n people contributes n times that. Every cell (row or group, year, payer) is computed
   exactly with Decimal and rounded once to whole kronor, half up (away from zero). Totals per
   year and the cumulative sums add the rounded cells, so the tables add up; a group's cell may
   differ by a krona or two from the sum of its rows' rounded cells.
   What-if: the effect of assumed extra rows is the model on those rows alone, and on the matrix
   with them added; the model is linear in the counts (up to the rounding of each cell).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from typing import Literal

from registrering.talformat import tal  # pure: no Django

Betalare = Literal["kommun", "region", "stat"]
BETALARE: tuple[Betalare, ...] = ("kommun", "region", "stat")
ARBETE = "arbete"
STUDIER = "studier"
OFORANDRAD = "oforandrad"
STUDIEMEDEL = "studiemedel"
STANDARDHORISONT = 2
STORSTA_HORISONT = 10

KOSTNAD_PER_MANAD = 10_500  # seed 004: "Kostnader ca 10 500 kronor per månad"
SKATT_PER_MANAD = 5_700  # seed 004: "Utebliven inkomstskatt ca 5 700 kronor per månad"

_KRONA = Decimal(1)
_ORE = Decimal("0.01")


def kronor(belopp: Decimal | int) -> int:
    """Whole kronor, half up (away from zero): 0.5 → 1, −0.5 → −1."""
    return int(Decimal(belopp).quantize(_KRONA, ROUND_HALF_UP))


def _kr(belopp: Decimal | int) -> str:
    """ "10 500 kr"; "10 500,50 kr" when the amount has öre."""
    ore = int(Decimal(belopp).quantize(_ORE, ROUND_HALF_UP) * 100)
    kr = tal(abs(ore) // 100)
    tecken = "−" if ore < 0 else ""
    return f"{tecken}{kr},{abs(ore) % 100:02d} kr" if ore % 100 else f"{tecken}{kr} kr"


# --- 1. The simple model -------------------------------------------------------------------


@dataclass(frozen=True)
class EnkelEffekt:
    """The simple model's effect of `antal` people to arbete/studier, with how it was computed."""

    antal: int
    per_person_och_ar: int
    belopp: int
    berakning: str  # "42 × 194 400 kr = 8 164 800 kr"
    berakning_per_person: str  # "12 × (10 500 kr + 5 700 kr) = 194 400 kr per person och år"

    @property
    def tkr(self) -> str:
        return tkr(self.belopp)


# Kept per (antal, key figures): the goal page asks it for each of 300 insatser, most of
# them with the same few numbers; the result is immutable.
@functools.lru_cache(maxsize=1024)
def enkel_effekt(
    antal: int,
    *,
    kostnad_per_manad: Decimal | int = KOSTNAD_PER_MANAD,
    skatt_per_manad: Decimal | int = SKATT_PER_MANAD,
) -> EnkelEffekt:
    """The effect per year of `antal` people to arbete/studier: antal × 12 × (K + S), exact."""
    per_person = 12 * (Decimal(kostnad_per_manad) + Decimal(skatt_per_manad))
    belopp = kronor(antal * per_person)
    return EnkelEffekt(
        antal=antal,
        per_person_och_ar=kronor(per_person),
        belopp=belopp,
        berakning=f"{tal(antal)} × {_kr(per_person)} = {_kr(belopp)}",
        berakning_per_person=(
            f"12 × ({_kr(kostnad_per_manad)} + {_kr(skatt_per_manad)}) = {_kr(per_person)}"
            " per person och år"
        ),
    )


def tusental_kronor(belopp: Decimal | int) -> int:
    """Kronor to tKr, half up: 3 499 200 → 3 499, 777 600 → 778, 1 500 → 2."""
    return kronor(Decimal(belopp) / 1000)


def tkr(belopp: Decimal | int) -> str:
    """Kronor written in tKr as seed 004 does: 8 553 600 → "8 554" (non-breaking space)."""
    return tal(tusental_kronor(belopp))


def effekt_per_bidragskrona(effekt: Decimal | int, bidrag: Decimal | int) -> Decimal | None:
    """The effect per krona of the members' contributions, 2 decimals half up; None without a
    contribution. Both in the same unit (kronor or tKr)."""
    if not bidrag:
        return None
    return (Decimal(effekt) / Decimal(bidrag)).quantize(_ORE, ROUND_HALF_UP)


# --- 2. The transition model: inputs ------------------------------------------------------


@dataclass(frozen=True)
class Ersattning:
    """A benefit on the cost side: who pays it and what it costs per person and year."""

    kod: str
    namn: str
    betalare: Betalare
    arsbelopp: Decimal  # per person, in the base year
    arlig_okning: Decimal  # fraction: 0.02 is 2 % a year
    skattepliktig: bool
    kalla: str = ""


@dataclass(frozen=True)
class Inkomstsida:
    """The income side when a person goes to work. Rates are fractions (0.2067 is 20.67 %)."""

    arslon: Decimal
    kommunalskatt: Decimal
    regionskatt: Decimal
    arbetsgivaravgift: Decimal
    arlig_loneokning: Decimal
    jobbskatteavdrag: Decimal = Decimal(0)  # per person and year, borne by the stat
    kalla: str = ""


@dataclass(frozen=True)
class Nyckeltal:
    """The key figures of one base year."""

    basar: int
    ersattningar: tuple[Ersattning, ...]
    inkomstsida: Inkomstsida

    def ersattning(self, kod: str) -> Ersattning | None:
        return next((e for e in self.ersattningar if e.kod == kod), None)


@dataclass(frozen=True)
class Forflyttning:
    """A row of a group's transition matrix: `antal` people from a benefit to `till`
    ("arbete", "studier", another benefit's kod or "oforandrad")."""

    fran: str
    till: str
    antal: int


# --- Outputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arseffekt:
    """The effect in one calendar year (or, in `Effekt.kumulativt`, up to it), whole kronor."""

    ar: int
    kommun: int
    region: int
    stat: int

    @property
    def totalt(self) -> int:
        return self.kommun + self.region + self.stat

    def for_betalare(self, betalare: Betalare) -> int:
        return {"kommun": self.kommun, "region": self.region, "stat": self.stat}[betalare]


@dataclass(frozen=True)
class Radeffekt:
    """One transition row's contribution, year by year."""

    forflyttning: Forflyttning
    text: str  # "3 från Försörjningsstöd till arbete"
    per_ar: tuple[Arseffekt, ...]

    @property
    def totalt(self) -> int:
        return sum(a.totalt for a in self.per_ar)


@dataclass(frozen=True)
class Effekt:
    """A group's effect against status quo: per year, cumulative, and per row."""

    per_ar: tuple[Arseffekt, ...]
    kumulativt: tuple[Arseffekt, ...]
    rader: tuple[Radeffekt, ...]

    @property
    def totalt(self) -> int:
        return self.kumulativt[-1].totalt if self.kumulativt else 0


@dataclass(frozen=True)
class OmEffekt:
    """What-if: the matrix as it is, the assumed extra rows alone, and both together."""

    matris: Effekt
    tillagg: Effekt
    med_tillagg: Effekt


# --- Validation -------------------------------------------------------------------------------


def validera(
    nyckeltal: Nyckeltal, rader: Iterable[Forflyttning], horisont: int = STANDARDHORISONT
) -> list[str]:
    """Swedish messages for everything that stops a computation; empty when it can run."""
    fel = _fel_i_nyckeltal(nyckeltal)
    if not 1 <= horisont <= STORSTA_HORISONT:
        fel.append(f"Tidshorisonten ska vara 1–{STORSTA_HORISONT} år (inte {horisont}).")
    for nummer, rad in enumerate(rader, start=1):
        fel.extend(f"Rad {nummer}: {m}" for m in _fel_i_rad(nyckeltal, rad))
    return fel


def _fel_i_nyckeltal(nyckeltal: Nyckeltal) -> list[str]:
    fel: list[str] = []
    koder = [e.kod for e in nyckeltal.ersattningar]
    for kod in sorted({k for k in koder if koder.count(k) > 1}):
        fel.append(f"Ersättningen ”{kod}” finns flera gånger bland nyckeltalen.")
    for e in nyckeltal.ersattningar:
        if e.kod in (ARBETE, STUDIER, OFORANDRAD):
            fel.append(f"”{e.kod}” kan inte vara en ersättnings kod.")
        if e.betalare not in BETALARE:
            fel.append(f"{e.namn}: betalaren ska vara kommun, region eller stat.")
        if e.arsbelopp < 0:
            fel.append(f"{e.namn}: årsbeloppet får inte vara negativt.")
    ink = nyckeltal.inkomstsida
    if ink.arslon < 0 or ink.jobbskatteavdrag < 0:
        fel.append("Årslönen och jobbskatteavdraget får inte vara negativa.")
    for namn, sats in (
        ("Kommunalskatten", ink.kommunalskatt),
        ("Regionskatten", ink.regionskatt),
        ("Arbetsgivaravgiften", ink.arbetsgivaravgift),
    ):
        if not 0 <= sats < 1:
            fel.append(f"{namn} ska anges som andel mellan 0 och 1 (0,2067 för 20,67 %).")
    return fel


def _fel_i_rad(nyckeltal: Nyckeltal, rad: Forflyttning) -> list[str]:
    fel: list[str] = []
    if nyckeltal.ersattning(rad.fran) is None:
        fel.append(f"okänd ersättning ”{rad.fran}” att gå från.")
    if rad.till == STUDIER and nyckeltal.ersattning(STUDIEMEDEL) is None:
        fel.append("studier kräver nyckeltal för studiemedel.")
    elif rad.till not in (ARBETE, STUDIER, OFORANDRAD) and nyckeltal.ersattning(rad.till) is None:
        fel.append(f"okänt mål ”{rad.till}” (arbete, studier, oförändrad eller en ersättning).")
    if rad.antal < 0:
        fel.append(f"antalet får inte vara negativt ({rad.antal}).")
    return fel


# --- Computation --------------------------------------------------------------------------------


def berakna_effekt(
    nyckeltal: Nyckeltal, rader: Sequence[Forflyttning], horisont: int = STANDARDHORISONT
) -> Effekt:
    """The effect per payer and year of a group's transitions against status quo (see the module
    docstring). Call `validera` first: invalid input raises ValueError here."""
    fel = validera(nyckeltal, rader, horisont)
    if fel:
        raise ValueError(" ".join(fel))
    ar = [nyckeltal.basar + i for i in range(horisont)]
    exakt = [[_rad_exakt(nyckeltal, rad, y) for y in range(1, horisont + 1)] for rad in rader]
    grupp = [_summa(cell[i] for cell in exakt) for i in range(horisont)]
    per_ar = tuple(_arseffekt(a, belopp) for a, belopp in zip(ar, grupp, strict=True))
    return Effekt(
        per_ar=per_ar,
        kumulativt=_kumulativt(per_ar),
        rader=tuple(
            Radeffekt(
                forflyttning=rad,
                text=_radtext(nyckeltal, rad),
                per_ar=tuple(_arseffekt(a, b) for a, b in zip(ar, celler, strict=True)),
            )
            for rad, celler in zip(rader, exakt, strict=True)
        ),
    )


def om_effekt(
    nyckeltal: Nyckeltal,
    matris: Sequence[Forflyttning],
    tillagg: Sequence[Forflyttning],
    horisont: int = STANDARDHORISONT,
) -> OmEffekt:
    """What-if ("om 10 fler går till arbete från försörjningsstöd"): the effect of the assumed
    extra rows alone and of the matrix with them added."""
    return OmEffekt(
        matris=berakna_effekt(nyckeltal, matris, horisont),
        tillagg=berakna_effekt(nyckeltal, tillagg, horisont),
        med_tillagg=berakna_effekt(nyckeltal, [*matris, *tillagg], horisont),
    )


_Belopp = dict[Betalare, Decimal]


def _noll() -> _Belopp:
    return {b: Decimal(0) for b in BETALARE}


def _summa(delar: Iterable[_Belopp]) -> _Belopp:
    totalt = _noll()
    for del_ in delar:
        for b in BETALARE:
            totalt[b] += del_[b]
    return totalt


def _arseffekt(ar: int, belopp: _Belopp) -> Arseffekt:
    return Arseffekt(ar, *(kronor(belopp[b]) for b in BETALARE))


def _kumulativt(per_ar: Sequence[Arseffekt]) -> tuple[Arseffekt, ...]:
    """Running sums; each carries the year it runs up to."""

    def plus(fore: Arseffekt, a: Arseffekt) -> Arseffekt:
        return Arseffekt(a.ar, fore.kommun + a.kommun, fore.region + a.region, fore.stat + a.stat)

    return tuple(accumulate(per_ar, plus))


def _index(okning: Decimal, y: int) -> Decimal:
    return (1 + okning) ** (y - 1)


def _rad_exakt(nyckeltal: Nyckeltal, rad: Forflyttning, y: int) -> _Belopp:
    """Row × year, unrounded: antal × the per-person effect of leaving `fran` for `till`."""
    per_person = _noll()
    if rad.till != OFORANDRAD:
        _lamna(per_person, _ersattning(nyckeltal, rad.fran), nyckeltal.inkomstsida, y)
        if rad.till == ARBETE:
            _arbeta(per_person, nyckeltal.inkomstsida, y)
        else:
            kod = STUDIEMEDEL if rad.till == STUDIER else rad.till
            _fa(per_person, _ersattning(nyckeltal, kod), nyckeltal.inkomstsida, y)
    return {b: rad.antal * per_person[b] for b in BETALARE}


def _ersattning(nyckeltal: Nyckeltal, kod: str) -> Ersattning:
    ersattning = nyckeltal.ersattning(kod)
    if ersattning is None:  # pragma: no cover - validera refuses unknown codes first
        raise ValueError(kod)
    return ersattning


def _lamna(belopp: _Belopp, e: Ersattning, ink: Inkomstsida, y: int) -> None:
    b = e.arsbelopp * _index(e.arlig_okning, y)
    belopp[e.betalare] += b
    if e.skattepliktig:
        belopp["kommun"] -= ink.kommunalskatt * b
        belopp["region"] -= ink.regionskatt * b


def _fa(belopp: _Belopp, e: Ersattning, ink: Inkomstsida, y: int) -> None:
    b = e.arsbelopp * _index(e.arlig_okning, y)
    belopp[e.betalare] -= b
    if e.skattepliktig:
        belopp["kommun"] += ink.kommunalskatt * b
        belopp["region"] += ink.regionskatt * b


def _arbeta(belopp: _Belopp, ink: Inkomstsida, y: int) -> None:
    index = _index(ink.arlig_loneokning, y)
    lon = ink.arslon * index
    belopp["kommun"] += ink.kommunalskatt * lon
    belopp["region"] += ink.regionskatt * lon
    belopp["stat"] += ink.arbetsgivaravgift * lon - ink.jobbskatteavdrag * index


def _radtext(nyckeltal: Nyckeltal, rad: Forflyttning) -> str:
    """ "3 från Försörjningsstöd till arbete"."""
    fran = _gemen(_ersattning(nyckeltal, rad.fran).namn)
    if rad.till == OFORANDRAD:
        return f"{tal(rad.antal)} med {fran} oförändrat"
    till = rad.till
    if till not in (ARBETE, STUDIER):
        till = _gemen(_ersattning(nyckeltal, till).namn)
    return f"{tal(rad.antal)} från {fran} till {till}"


def _gemen(namn: str) -> str:
    return namn[:1].lower() + namn[1:]
