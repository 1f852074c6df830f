"""The demo's figures, computed from `data.py`: every month, balance and yearly total.

The yearly figures are split by gender and month by the rules here: largest remainder over
seasonal weights, avslut moved later until no month ends below zero, and labels (huvudman,
avslutsanledning) dealt out by a seeded shuffle, so every run gives the same figures. Nothing
here touches the database: `loader.py` writes the result through the services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from registrering import models as m
from registrering.demodata import data as demo
from registrering.kalender import manaden_har_slutat
from registrering.ledger import Kon, pagaende

Status = m.Manadsrapport.Status
LASTA = frozenset({Status.GODKAND, Status.REGISTRERAD})


def fordela(total: int, vikter: Sequence[float]) -> list[int]:
    """Split `total` over `vikter` by largest remainder: the parts sum exactly to `total`."""
    summa = sum(vikter)
    if total == 0 or summa == 0:
        return [0] * len(vikter)
    exakta = [total * v / summa for v in vikter]
    delar = [int(x) for x in exakta]
    ordning = sorted(range(len(vikter)), key=lambda i: (-(exakta[i] - delar[i]), i))
    for i in ordning[: total - sum(delar)]:
        delar[i] += 1
    return delar


def _utan_negativt(ingaende: int, nya: list[int], avslutade: list[int]) -> list[int]:
    """Move avslut later until no month ends with fewer than zero participants."""
    avslutade = list(avslutade)
    while True:
        saldo = ingaende
        for i, (n, a) in enumerate(zip(nya, avslutade, strict=True)):
            saldo += n - a
            if saldo < 0:
                j = max(k for k in range(i + 1) if avslutade[k] > 0)
                avslutade[j] -= 1
                avslutade[i + 1 if i + 1 < len(avslutade) else -1] += 1
                break
        else:
            return avslutade


def _etiketter(antal: dict[str, int], per_manad: Sequence[int], seed: str) -> list[dict[str, int]]:
    """Deal out labelled counts (huvudman, avslutsanledning) to months with the given totals."""
    pott = [namn for namn, n in antal.items() for _ in range(n)]
    random.Random(seed).shuffle(pott)
    assert len(pott) == sum(per_manad), (seed, len(pott), sum(per_manad))
    result, start = [], 0
    for n in per_manad:
        manad: dict[str, int] = {}
        for namn in pott[start : start + n]:
            manad[namn] = manad.get(namn, 0) + 1
        result.append(manad)
        start += n
    return result


@dataclass(frozen=True)
class Manad:
    """One month of one insats as the demo has it: figures, breakdowns by name, and status.

    `nu` marks the month being reported now (October 2026): it is entered and sent in the
    browser's way rather than imported."""

    insats: str
    ar: int
    manad: int
    status: str
    nya: Kon = field(default_factory=Kon)
    avslutade: Kon = field(default_factory=Kon)
    volym: int | None = None
    avslut: Mapping[str, int] = field(default_factory=dict)
    nya_huvudman: Mapping[str, int] = field(default_factory=dict)
    nu: bool = False

    @property
    def importeras(self) -> bool:
        """Part of the förbund's first import: an approved month of the past."""
        return self.status in LASTA and not self.nu


@dataclass(frozen=True)
class Balans:
    """The ingående balans of an insats on 1 January, by gender and by huvudman (name)."""

    insats: str
    ar: int
    kon: Kon
    per_huvudman: Mapping[str, int]


def _flode_delar(
    namn: str,
    ar: int,
    ingaende: tuple[int, int],
    nya: tuple[int, int],
    avslutade: tuple[int, int],
    manader: int,
    nya_huvudman: dict[str, int],
    avslut: dict[str, int],
) -> list[dict[str, Any]]:
    """A year's flow of one insats split over its first `manader` months."""
    kon = []
    for g in range(2):
        n = fordela(nya[g], demo.NYA_VIKT[:manader])
        a = _utan_negativt(ingaende[g], n, fordela(avslutade[g], demo.AVSLUT_VIKT[:manader]))
        kon.append((n, a))
    totalt_nya = [kon[0][0][i] + kon[1][0][i] for i in range(manader)]
    totalt_avsl = [kon[0][1][i] + kon[1][1][i] for i in range(manader)]
    hm = _etiketter(nya_huvudman, totalt_nya, f"{namn}{ar}hm")
    an = _etiketter(avslut, totalt_avsl, f"{namn}{ar}av")
    return [
        {
            "nya": Kon(kon[0][0][i], kon[1][0][i]),
            "avslutade": Kon(kon[0][1][i], kon[1][1][i]),
            "nya_huvudman": hm[i],
            "avslut": an[i],
        }
        for i in range(manader)
    ]


def _allman_avslut(forsta: int, andra: int) -> dict[str, int]:
    result: dict[str, int] = {}
    for klass, antal in ((1, forsta), (2, andra)):
        namn = list(demo.ALLMAN_ANDEL[klass])
        for n, d in zip(namn, fordela(antal, list(demo.ALLMAN_ANDEL[klass].values())), strict=True):
            result[n] = d
    return result


def _volym_delar(namn: str, total: int, manader: int) -> list[dict[str, Any]]:
    enhet = m.Insats.Volymenhet(demo.INSATSER[namn].volymenhet)
    if enhet == m.Insats.Volymenhet.UNIKA_INDIVIDER:
        # The count so far this year: many visitors early, fewer new ones later in the year.
        tillskott = fordela(total, demo.TILLSKOTT_VIKT[:manader])
        return [{"volym": sum(tillskott[: i + 1])} for i in range(manader)]
    return [{"volym": v} for v in fordela(total, demo.VOLYM_VIKT[enhet][:manader])]


def _utgaende_2025(f: demo.Flode2025) -> tuple[int, int]:
    """2025's closing balance per gender, which is 2026's ingående."""
    slut = pagaende(Kon(*f.ingaende), Kon(*f.nya), Kon(*f.avslutade), Kon(*f.justering))
    return slut.kvinnor, slut.man


def slutade_manader(ar: int, hogst: int, idag: dt.date) -> int:
    """How many of the year's first `hogst` months are over by `idag`: only those can exist."""
    return sum(manaden_har_slutat(ar, manad, idag) for manad in range(1, hogst + 1))


def _status_2025(_insats: str, _manad: int) -> str | None:
    return Status.REGISTRERAD


def _status_2026(insats: str, manad: int) -> str | None:
    if manad == demo.MANADER_2026:
        return demo.OKTOBER_2026[insats]
    return Status.REGISTRERAD if manad <= demo.REGISTRERADE_2026 else Status.GODKAND


def _manader(
    namn: str,
    ar: int,
    delar: Sequence[dict[str, Any]],
    status: Callable[[str, int], str | None],
) -> list[Manad]:
    """One month per part from January; a month whose status is None is left out."""
    return [
        Manad(insats=namn, ar=ar, manad=i, status=s, nu=(ar, i) == (2026, demo.MANADER_2026), **d)
        for i, d in enumerate(delar, start=1)
        if (s := status(namn, i)) is not None
    ]


def manader_2025(idag: dt.date) -> list[Manad]:
    """2025 as in the bilaga: every month registered in Uppföljning Finsam."""
    sista = slutade_manader(2025, 12, idag)
    result = []
    for namn, f in demo.FLODE_2025.items():
        hm_in = fordela(sum(f.ingaende), f.huvudman)
        nya_hm = {h: t - i for h, t, i in zip(demo.HUVUDMAN, f.huvudman, hm_in, strict=True)}
        avslut = demo.ISA_2025 if namn == demo.ISA_INSATS else _allman_avslut(*f.forsta_andra)
        delar = _flode_delar(namn, 2025, f.ingaende, f.nya, f.avslutade, 12, nya_hm, avslut)
        result += _manader(namn, 2025, delar[:sista], _status_2025)
    for namn, total in demo.VOLYM_2025.items():
        result += _manader(namn, 2025, _volym_delar(namn, total, 12)[:sista], _status_2025)
    return result


def manader_2026(idag: dt.date) -> list[Manad]:
    """2026 January–October, up to `idag`: approved, and October in every state."""
    sista = slutade_manader(2026, demo.MANADER_2026, idag)
    result = []
    for namn, (nya, avslutade) in demo.FLODE_2026.items():
        f = demo.FLODE_2025[namn]
        nya_hm = dict(zip(demo.HUVUDMAN, fordela(sum(nya), f.huvudman), strict=True))
        avslut = _allman_avslut(*fordela(sum(avslutade), f.forsta_andra))
        delar = _flode_delar(
            namn, 2026, _utgaende_2025(f), nya, avslutade, demo.MANADER_2026, nya_hm, avslut
        )
        result += _manader(namn, 2026, delar[:sista], _status_2026)
    for namn, total in demo.VOLYM_2026.items():
        delar = _volym_delar(namn, total, demo.MANADER_2026)
        result += _manader(namn, 2026, delar[:sista], _status_2026)
    return result


def _balans(namn: str, ar: int, kon: tuple[int, int], huvudman: Sequence[int]) -> Balans:
    """The balance by huvudman: the year's distribution of participants, scaled to it."""
    per_huvudman = zip(demo.HUVUDMAN, fordela(sum(kon), huvudman), strict=True)
    return Balans(namn, ar, Kon(*kon), {h: n for h, n in per_huvudman if n})


def balanser_2025() -> list[Balans]:
    return [_balans(namn, 2025, f.ingaende, f.huvudman) for namn, f in demo.FLODE_2025.items()]


def balanser_2026() -> list[Balans]:
    """2026's balances: 2025's closing balances (after the justeringar), confirmed."""
    return [
        _balans(namn, 2026, _utgaende_2025(demo.FLODE_2025[namn]), demo.FLODE_2025[namn].huvudman)
        for namn in demo.FLODE_2026
    ]


def justeringar_2025() -> list[tuple[str, Kon]]:
    """The five insatser whose pågående 31/12 2025 do not follow from the flow."""
    return [(n, Kon(*f.justering)) for n, f in demo.FLODE_2025.items() if f.justering != (0, 0)]


def _arstotal(f: demo.Flode2025, faktor: float, *, forsta_aret: bool) -> dict[str, object]:
    """The totals of a year before 2025, ending in 2025's ingående (the first year starts
    from nobody)."""
    ingaende, nya = f.ingaende, tuple(round(n * faktor) for n in f.nya)
    avsl = nya
    if forsta_aret:
        avsl = tuple(round(n * 0.4) for n in nya)
        nya = tuple(max(n, i + a) for n, i, a in zip(nya, f.ingaende, avsl, strict=True))
        ingaende, avsl = (0, 0), tuple(n - i for n, i in zip(nya, f.ingaende, strict=True))
    return {
        "deltagare_kvinnor": ingaende[0] + nya[0],
        "deltagare_man": ingaende[1] + nya[1],
        "nya_kvinnor": nya[0],
        "nya_man": nya[1],
        "avslutade_kvinnor": avsl[0],
        "avslutade_man": avsl[1],
        "kalla": demo.DEMO_KALLA,
    }


def arstotaler() -> list[tuple[str, int, dict[str, object]]]:
    """Yearly totals 2020–2024 that end in 2025's ingående balans (Diagram 1 and 2)."""
    result = []
    for namn, f in demo.FLODE_2025.items():
        start = demo.INSATSER[namn].start.year
        for ar, faktor in demo.ARSFAKTOR.items():
            if start <= ar:
                result.append((namn, ar, _arstotal(f, faktor, forsta_aret=start == ar)))
    return result


def utfall(namn: str, budget: int, manader: int) -> list[tuple[int | None, int | None, int]]:
    """(månad, kvartal, belopp) of a post's booked months; a post booked per quarter books
    each complete quarter."""
    per_manad = fordela(budget, demo.UTFALL_VIKT)[:manader]
    if namn in demo.KVARTALSPOSTER:
        return [
            (None, k, sum(per_manad[(k - 1) * 3 : k * 3]))
            for k in range(1, len(per_manad) // 3 + 1)
        ]
    return [(manad, None, belopp) for manad, belopp in enumerate(per_manad, start=1)]


def uppsattning(insats: str) -> str:
    """The set of avslutsanledningar the insats reports on."""
    return "ISA" if insats == demo.ISA_INSATS else "Allmän"
