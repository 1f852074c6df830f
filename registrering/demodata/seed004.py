"""Seed 004's three förbund of Jönköpings län with their 2024 figures, as monthly reports.

Seed 004 ("Socioekonomisk beräkning nuvarande modell", 2024): Södra Vätterbygden 18, Finnveden 4
and Höglandet 44 to arbete/studier, medlemsbidrag 11 148 / 5 058 / 8 036 tKr, effect 3 499 / 778
/ 8 554 tKr; per insats SE-Höglandet 42 (of 74 avslutade, 32 kvinnor and 42 män, goal 35 %) →
8 164 800 kr and IT-spåret 2 (of 4 avslutade män) → 388 800 kr.

What the seed gives per category is used as it is: Södra Vätterbygden's table "Avslutade Arbete
Studier Arb.rehab Sjukdom Annat skäl" (Enter, NOVA, FIA; Arbete 11, Studier 7, Arb.rehab 21,
Sjukdom 28, Annat 12) and Finnveden's "Avslut 2024 för 36 deltagare: 4 st till arbete/studier,
15 st arbetslivsinriktade aktiviteter, 10 st avslut p g a sjukdom". Where the seed gives only a
sum (arbete + studier, or the rest of the avslutade) the split below is made up, and says so;
the nya are split between kvinnor and män in the proportion of the avslutade (made up too).

Every avslut is spread over the twelve months of 2024 (one after the other, January first), in
approved monthly reports with avslutade per avslutsanledning. Södra Vätterbygden has its own key
figures for 2024 (the seed's 10 500 and 5 700 kr, with the seed as source); the two others have
none and use the catalogue's defaults, which are the same figures: both paths give the seed's
effect. Nothing here asserts: `tests/effekter/test_seed004.py` does (through the shim
`tests/effekter/seed004.py`); the demo group "Jönköpings län" (`registrering.demodata.samverkan`)
loads the same three förbund.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from registrering.models import (
    AvslutadePerAnledning,
    Avslutsanledning,
    Effektnyckeltal,
    Forbund,
    IngaendeBalans,
    Insats,
    Manadsrapport,
    Utfallsmal,
    Verksamhetsplan,
)

AR = 2024
Kategori = Avslutsanledning.Kategori
#: The categories in the order of the seed's table.
KATEGORIER = (
    Kategori.ARBETE,
    Kategori.STUDIER,
    Kategori.REHABILITERING,
    Kategori.SJUKDOM,
    Kategori.ANNAT,
)


@dataclass(frozen=True)
class Insatsdata:
    namn: str
    avslut: tuple[int, int, int, int, int]  # per KATEGORIER
    kvinnor: int  # of the avslutade; the rest are män
    nya: int
    mal_procent: int | None = None

    @property
    def avslutade(self) -> int:
        return sum(self.avslut)

    @property
    def till_arbete_studier(self) -> int:
        return self.avslut[0] + self.avslut[1]


@dataclass(frozen=True)
class Forbundsdata:
    namn: str
    kortnamn: str
    medlemsbidrag: int
    insatser: tuple[Insatsdata, ...]
    egna_nyckeltal: bool

    @property
    def till_arbete_studier(self) -> int:
        return sum(i.till_arbete_studier for i in self.insatser)


SEED004 = (
    Forbundsdata(
        "Samordningsförbundet Södra Vätterbygden",
        "SÖV",
        11_148_000,
        (
            # The seed's table: Enter has no "Annat skäl", FIA no "Sjukdom" (by the totals).
            Insatsdata("Enter", (6, 3, 2, 12, 0), kvinnor=11, nya=38),
            Insatsdata("NOVA", (1, 3, 18, 16, 8), kvinnor=25, nya=66),
            Insatsdata("FIA", (4, 1, 1, 0, 4), kvinnor=5, nya=11, mal_procent=30),
        ),
        egna_nyckeltal=True,
    ),
    Forbundsdata(
        "Finnvedens samordningsförbund",
        "FIN",
        5_058_000,
        # 4 to arbete/studier (split 3 + 1 made up), 15 arbetslivsinriktade, 10 sjukdom, 7 annat.
        (Insatsdata("Samverkansteam Finnveden", (3, 1, 15, 10, 7), kvinnor=20, nya=30),),
        egna_nyckeltal=False,
    ),
    Forbundsdata(
        "Höglandets samordningsförbund",
        "HÖG",
        8_036_000,
        (
            # 42 of 74 to arbete/studier (57 %); the split of both sums is made up.
            Insatsdata("SE-Höglandet", (30, 12, 14, 8, 10), kvinnor=32, nya=80, mal_procent=35),
            # 2 of 4 (all män); the split is made up.
            Insatsdata("IT-spåret", (1, 1, 0, 0, 2), kvinnor=0, nya=5),
        ),
        egna_nyckeltal=False,
    ),
)


def _manader(antal: int) -> list[int]:
    """The month of each of `antal` avslut, spread over the year: January, February, …"""
    return [n % 12 + 1 for n in range(antal)]


def _skapa_insats(
    forbund: Forbund, data: Insatsdata, anledningar: dict[str, Avslutsanledning]
) -> Insats:
    insats = Insats.objects.create(
        forbund=forbund,
        namn=data.namn,
        inriktning=Insats.Inriktning.INDIVID,
        uppfoljning=Insats.Uppfoljning.DELTAGARFLODE,
        startdatum=dt.date(2020, 1, 1),
    )
    insats.avslutsanledningar.set(anledningar.values())
    # Enough enrolled on 1/1 that no month ends below zero.
    IngaendeBalans.objects.create(
        insats=insats, ar=AR, kvinnor=data.kvinnor, man=data.avslutade - data.kvinnor
    )
    # Each avslut in order: its category and whether it is a kvinna (the first `kvinnor` are).
    avslut = [k for k, n in zip(KATEGORIER, data.avslut, strict=True) for _ in range(n)]
    per_manad: dict[int, list[tuple[str, bool]]] = {m: [] for m in range(1, 13)}
    for nummer, (kategori, manad) in enumerate(zip(avslut, _manader(len(avslut)), strict=True)):
        per_manad[manad].append((kategori, nummer < data.kvinnor))
    # The seed gives no gender split of the nya: they are split as the avslutade are (made up,
    # rounded half up), the kvinnor first, spread over the months like the avslut.
    nya_kvinnor = (data.nya * data.kvinnor * 2 + data.avslutade) // (2 * data.avslutade)
    nya = [(manad, nummer < nya_kvinnor) for nummer, manad in enumerate(_manader(data.nya))]
    for manad, rader in per_manad.items():
        rapport = Manadsrapport.objects.create(
            insats=insats,
            ar=AR,
            manad=manad,
            status=Manadsrapport.Status.GODKAND,
            nya_kvinnor=sum(1 for m, kvinna in nya if m == manad and kvinna),
            nya_man=sum(1 for m, kvinna in nya if m == manad and not kvinna),
            avslutade_kvinnor=sum(1 for _k, kvinna in rader if kvinna),
            avslutade_man=sum(1 for _k, kvinna in rader if not kvinna),
        )
        for kategori in KATEGORIER:
            if antal := sum(1 for k, _kvinna in rader if k == kategori):
                AvslutadePerAnledning.objects.create(
                    rapport=rapport, anledning=anledningar[kategori], antal=antal
                )
    if data.mal_procent is not None:
        Utfallsmal.objects.create(insats=insats, ar=AR, procent=data.mal_procent)
    return insats


def skapa_forbund(data: Forbundsdata) -> Forbund:
    """One of seed 004's förbund with its 2024: insatser, monthly reports, plan, key figures."""
    forbund = Forbund.objects.create(namn=data.namn, kortnamn=data.kortnamn)
    anledningar: dict[str, Avslutsanledning] = {
        kategori: Avslutsanledning.objects.create(
            forbund=forbund,
            namn=Kategori(kategori).label,
            klass=1 if kategori in (Kategori.ARBETE, Kategori.STUDIER) else 2,
            kategori=kategori,
            ordning=nummer,
        )
        for nummer, kategori in enumerate(KATEGORIER)
    }
    for insats in data.insatser:
        _skapa_insats(forbund, insats, anledningar)
    Verksamhetsplan.objects.create(forbund=forbund, ar=AR, tilldelning=data.medlemsbidrag)
    if data.egna_nyckeltal:
        Effektnyckeltal.objects.create(
            forbund=forbund,
            ar=AR,
            kostnad_per_manad=10_500,
            skatt_per_manad=5_700,
            kalla="Medlemssamråd för samordningsförbunden i Jönköpings län (seed 004)",
            kalla_datum=dt.date(2025, 2, 28),
        )
    return forbund


def skapa_alla() -> dict[str, Forbund]:
    """All three, by kortnamn."""
    return {data.kortnamn: skapa_forbund(data) for data in SEED004}
