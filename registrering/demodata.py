"""Demo data: Samordningsförbundet Västra Östergötland (SVÖ) with its real 2025 figures.

The 2025 year reproduces every table of the bilaga "Uppföljning FINSAM 2025" (seed 000): the
yearly figures per insats below are the seed's, split by gender and month by rules written here,
and the five insatser whose pågående do not reconcile carry explicit justeringar. The members,
populations, budgeted volumes and allocation are the verksamhetsplan 2026's (seed 001). Yearly
totals 2020–2024, the gender and month splits and all of 2026 are invented but plausible, and
marked as demo data.

`ladda(idag=…)` is idempotent: every row is matched on its natural key.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from registrering import models as m
from registrering.kalender import manadens_sista
from registrering.permissions import Roll

FORBUND_NAMN = "Samordningsförbundet Västra Östergötland"
DEMO_LOSENORD = "finsam-demo"
DEMO_KALLA = "Demodata (uppskattade årstotaler, ej SVÖ:s verkliga siffror)"
K, M = "kvinnor", "man"

BAKGRUND = (
    "Fram till 31 december 2022 använde Samordningsförbundet nationellt SUS (Sektorsövergripande "
    "system för uppföljning av samverkan och finansiell samordning inom rehabiliteringsområdet) "
    "som var ett webbaserat system som gjorde det möjligt för förbundsmedlemmarna att följa upp "
    "resultatet av bland annat samordningsförbundens insatser. Vid årsskiftet 2022/2023 var "
    "tanken att SUS skulle avslutas och ersättas av ett nytt system för uppföljning, Uppföljning "
    "FINSAM. Under processen av framtagandet av det nya systemet upptäckte Försäkringskassan, som "
    "är systemägare, och ansvarar för drift, förvaltning och utveckling, att det saknades lagstöd "
    "för insamling och registrering av personuppgifter. Detta innebär att så länge ingen "
    "lagändring finns på plats finns enbart möjlighet att registrera deltagare i form av antal "
    "uppdelat i kön och därmed är redovisningen begränsad utifrån dessa premisser. Läs mer om "
    "detta på finsam.se."
)
METOD = (
    "Datauttag i den här bilagan omfattar perioden {period}.\n\n"
    "Insamlande av data sker genom att ansvarig för respektive insats månatligen rapporterar in "
    "deltagarflöde till verksamhetsutvecklare som i sin tur registrerar i Uppföljning FINSAM. "
    "Sammanställningen är gjord den {sammanstallningsdatum}. Insatserna är i denna "
    "sammanställning redovisade på samma sätt som de gjordes tidigare med en uppdelning "
    "volyminsatser (i sin tur delat i strukturövergripande insatser och individinriktade) samt "
    "individinriktade (som tidigare kunde registreras på personnivå).\n\n"
    "Insamlandet av data gällande de strukturövergripande insatserna har genomförts via digitala "
    "enkäter. Efter avslutad utbildningsinsats eller föreläsning har samtliga deltagare fått en "
    "enkät skickad till sig med tre frågor. De svar som sedan inkommit är helt anonyma och "
    "redovisas i detta fall som ett ackumulerat resultat över hela {ar}.\n\n"
    "Definitioner och begrepp som används i diagrammen och tabellerna förklaras längst bak i "
    "bilagan."
)

MEDLEMMAR = [
    ("Försäkringskassan", m.Medlem.Typ.STAT, None),
    ("Arbetsförmedlingen", m.Medlem.Typ.AF, None),
    ("Region Östergötland", m.Medlem.Typ.REGION, None),
    ("Motala kommun", m.Medlem.Typ.KOMMUN, 43_505),
    ("Mjölby kommun", m.Medlem.Typ.KOMMUN, 28_695),
    ("Vadstena kommun", m.Medlem.Typ.KOMMUN, 7_490),
    ("Boxholms kommun", m.Medlem.Typ.KOMMUN, 5_517),
    ("Ödeshögs kommun", m.Medlem.Typ.KOMMUN, 5_237),
]
BEFOLKNING_AR = 2024  # SCB 31/12 2024, the basis of the 2026 budget
HUVUDMAN = ["Försäkringskassan", "Arbetsförmedlingen", "Kommun", "Övrigt"]

ALLMAN = [  # (namn, etikett, klass, kategori)
    ("Arbete", "", 1, m.Avslutsanledning.Kategori.ARBETE),
    ("Studier", "", 1, m.Avslutsanledning.Kategori.STUDIER),
    ("Arbetslivsinriktad rehabilitering", "", 1, m.Avslutsanledning.Kategori.REHABILITERING),
    ("Sjukdom", "", 2, m.Avslutsanledning.Kategori.SJUKDOM),
    ("Annat skäl", "", 2, m.Avslutsanledning.Kategori.ANNAT),
]
ISA = [
    (
        "Arbete utan subvention",
        "Avslut till arbete utan subvention",
        1,
        m.Avslutsanledning.Kategori.ARBETE,
    ),
    (
        "Arbete med subvention",
        "Avslut till arbete med subvention",
        1,
        m.Avslutsanledning.Kategori.ARBETE,
    ),
    ("Studier", "Avslut mot studier", 1, m.Avslutsanledning.Kategori.STUDIER),
    (
        "Åter till huvudman",
        "Avslut åter till huvudman",
        2,
        m.Avslutsanledning.Kategori.ATER_TILL_HUVUDMAN,
    ),
]
# How a class of avslutade is split over the general reasons.
ALLMAN_ANDEL = {
    1: {"Arbete": 45, "Studier": 15, "Arbetslivsinriktad rehabilitering": 40},
    2: {"Sjukdom": 50, "Annat skäl": 50},
}

P = m.Insats.PreciseradInriktning


@dataclass(frozen=True)
class Flode2025:
    """An individinriktad insats's 2025 as in seed 000, split by gender (K, M)."""

    ingaende: tuple[int, int]
    nya: tuple[int, int]
    avslutade: tuple[int, int]
    justering: tuple[int, int]
    huvudman: tuple[int, int, int, int]  # all participants: FK, AF, Kommun, Övrigt
    forsta_andra: tuple[int, int]  # avslutade 1:a, 2:a


# Seed 000: totalt / nya / avslutade / pågående per insats; totals 402 / 217 / 214 / 116.
FLODE_2025 = {
    "Digitaliseringscenter": Flode2025(
        (6, 10), (14, 13), (18, 21), (0, 0), (12, 10, 21, 0), (32, 7)
    ),
    "Försteg Boxholm": Flode2025((4, 5), (8, 8), (9, 10), (-1, -1), (9, 4, 12, 0), (11, 8)),
    "Försteg Mjölby/Skänninge": Flode2025(
        (17, 22), (36, 29), (26, 26), (-8, -7), (38, 16, 49, 1), (30, 22)
    ),
    "Försteg Motala": Flode2025((7, 11), (17, 15), (17, 19), (0, 0), (18, 8, 23, 1), (21, 15)),
    "Försteg Vadstena": Flode2025((5, 7), (4, 4), (5, 7), (0, -1), (7, 3, 10, 0), (7, 5)),
    "Försteg Ödeshög": Flode2025((5, 6), (9, 8), (8, 8), (-2, -1), (10, 5, 13, 0), (10, 6)),
    "ISA navigator": Flode2025((8, 11), (9, 8), (6, 7), (0, 0), (13, 7, 15, 1), (11, 2)),
    "ISA Västra": Flode2025((11, 15), (8, 9), (9, 11), (0, 0), (15, 8, 19, 1), (12, 8)),
    "Stöd mot sysselsättning": Flode2025(
        (19, 16), (13, 5), (6, 1), (-1, 0), (22, 7, 23, 1), (6, 1)
    ),
}
ISA_2025 = {
    "Arbete utan subvention": 2,
    "Arbete med subvention": 9,
    "Studier": 1,
    "Åter till huvudman": 8,
}
JUSTERING_ANLEDNING = (
    "Inventering av pågående deltagare 31/12 2025: färre pågående än flödet anger "
    "(avslut som inte rapporterats under året)."
)

# Seed 000 §4: volumes 2025.
# The order of seed 000's volume table.
VOLYM_ORDNING = {
    namn: i
    for i, namn in enumerate(
        [
            "Förstegscoordinator",
            "Motala Fontänhus",
            "Nätverket västra",
            "SIP – Samordnad Individuell Plan",
            "Kompetenshöjande insatser",
            "Utveckling struktur",
        ],
        start=1,
    )
}
VOLYM_2025 = {
    "Förstegscoordinator": 457,
    "Motala Fontänhus": 91,
    "Nätverket västra": 213,
    "SIP – Samordnad Individuell Plan": 18,
    "Kompetenshöjande insatser": 980,
    "Utveckling struktur": 223,
}

# name: (inriktning, preciserad, grupp, utförande medlem, start, slut, enhet or "", målgrupper)
IND, S = m.Insats.Inriktning.INDIVID, m.Insats.Inriktning.STRUKTUR
V = m.Insats.Volymenhet
SLUT_2025 = dt.date(2025, 12, 31)
INSATSER = {
    "Digitaliseringscenter": (
        IND,
        P.FORBEREDANDE,
        None,
        "Motala kommun",
        dt.date(2023, 1, 1),
        SLUT_2025,
        "",
        ["ingen-specifik-malgrupp"],
    ),
    "Försteg Boxholm": (
        IND,
        P.FORBEREDANDE,
        "Försteg",
        "Boxholms kommun",
        dt.date(2016, 1, 1),
        None,
        "",
        ["ingen-specifik-malgrupp"],
    ),
    "Försteg Mjölby/Skänninge": (
        IND,
        P.FORBEREDANDE,
        "Försteg",
        "Mjölby kommun",
        dt.date(2016, 1, 1),
        None,
        "",
        ["ingen-specifik-malgrupp"],
    ),
    "Försteg Motala": (
        IND,
        P.FORBEREDANDE,
        "Försteg",
        "Motala kommun",
        dt.date(2016, 1, 1),
        None,
        "",
        ["ingen-specifik-malgrupp"],
    ),
    "Försteg Vadstena": (
        IND,
        P.FORBEREDANDE,
        "Försteg",
        "Vadstena kommun",
        dt.date(2021, 9, 1),
        None,
        "",
        ["ingen-specifik-malgrupp"],
    ),
    "Försteg Ödeshög": (
        IND,
        P.FORBEREDANDE,
        "Försteg",
        "Ödeshögs kommun",
        dt.date(2016, 1, 1),
        None,
        "",
        ["ingen-specifik-malgrupp"],
    ),
    "ISA navigator": (
        IND,
        P.ARBETSLIVSINRIKTAD,
        "ISA",
        "Mjölby kommun",
        dt.date(2022, 1, 1),
        SLUT_2025,
        "",
        ["unga"],
    ),
    "ISA Västra": (
        IND,
        P.ARBETSLIVSINRIKTAD,
        "ISA",
        "Motala kommun",
        dt.date(2019, 1, 1),
        SLUT_2025,
        "",
        ["ingen-specifik-malgrupp"],
    ),
    "Stöd mot sysselsättning": (
        IND,
        P.ARBETSLIVSINRIKTAD,
        None,
        "Region Östergötland",
        dt.date(2020, 1, 1),
        None,
        "",
        ["langtidssjukskrivna"],
    ),
    "Förstegscoordinator": (
        S,
        P.UTVECKLA_SAMVERKAN,
        None,
        None,
        dt.date(2019, 1, 1),
        None,
        V.TILLFALLEN,
        [],
    ),
    "Motala Fontänhus": (
        IND,
        P.FOREBYGGANDE,
        None,
        None,
        dt.date(2021, 1, 1),
        None,
        V.UNIKA_INDIVIDER,
        ["ingen-specifik-malgrupp"],
    ),
    "Nätverket västra": (
        S,
        P.UTVECKLA_SAMVERKAN,
        None,
        None,
        dt.date(2016, 1, 1),
        None,
        V.DELTAGARE,
        [],
    ),
    "SIP – Samordnad Individuell Plan": (
        IND,
        P.IDENTIFIERA_BEHOV,
        None,
        None,
        dt.date(2016, 1, 1),
        None,
        V.TILLFALLEN,
        ["ingen-specifik-malgrupp"],
    ),
    "Kompetenshöjande insatser": (
        S,
        P.KOMPETENSHOJANDE,
        None,
        None,
        dt.date(2016, 1, 1),
        None,
        V.DELTAGARE,
        [],
    ),
    "Utveckling struktur": (
        S,
        P.UTVECKLA_SAMVERKAN,
        None,
        None,
        dt.date(2022, 1, 1),
        None,
        V.DELTAGARE,
        [],
    ),
}
# Verksamhetsplan 2026, Bilaga 3.
BUDGET_2026 = {
    "Försteg Mjölby/Skänninge": 90,
    "Försteg Vadstena": 25,
    "Försteg Motala": 55,
    "Försteg Ödeshög": 25,
    "Försteg Boxholm": 25,
    "Stöd mot sysselsättning": 50,
    "Kompetenshöjande insatser": 900,
    "Nätverket västra": 180,
}
# 2026 January–October (invented): nya (K, M), avslutade (K, M).
FLODE_2026 = {
    "Försteg Boxholm": ((9, 8), (6, 6)),
    "Försteg Mjölby/Skänninge": ((25, 22), (20, 18)),
    "Försteg Motala": ((18, 16), (14, 13)),
    "Försteg Vadstena": ((6, 6), (4, 5)),
    "Försteg Ödeshög": ((7, 7), (6, 5)),
    "Stöd mot sysselsättning": ((4, 2), (5, 2)),
}
VOLYM_2026 = {  # January–October
    "Förstegscoordinator": 390,
    "Motala Fontänhus": 78,
    "Nätverket västra": 150,
    "SIP – Samordnad Individuell Plan": 14,
    "Kompetenshöjande insatser": 700,
    "Utveckling struktur": 170,
}
# October 2026, the month being reported now: state per insats (None: not reported yet).
OKTOBER_2026 = {
    "Försteg Boxholm": m.Manadsrapport.Status.GODKAND,
    "Försteg Mjölby/Skänninge": m.Manadsrapport.Status.INSKICKAD,
    "Försteg Motala": m.Manadsrapport.Status.UTKAST,
    "Försteg Vadstena": None,
    "Försteg Ödeshög": m.Manadsrapport.Status.RETURNERAD,
    "Stöd mot sysselsättning": m.Manadsrapport.Status.INSKICKAD,
    "Förstegscoordinator": None,
    "Motala Fontänhus": m.Manadsrapport.Status.INSKICKAD,
    "Nätverket västra": m.Manadsrapport.Status.INSKICKAD,
    "SIP – Samordnad Individuell Plan": m.Manadsrapport.Status.UTKAST,
    "Kompetenshöjande insatser": m.Manadsrapport.Status.GODKAND,
    "Utveckling struktur": None,
}
RETURKOMMENTAR = (
    "Avslutade män är fler än i närvarolistan för oktober. Kontrollera och skicka in igen."
)
# Diagram 1–2: deltagare per year before the product, as a share of 2025's nya.
ARSFAKTOR = {2020: 0.80, 2021: 0.85, 2022: 0.90, 2023: 1.00, 2024: 1.05}

ENKATFRAGOR = [
    (
        "Hur relevant upplever du att föreläsningen var för ditt ordinarie arbete?",
        False,
        [
            ("Mycket relevant", True),
            ("Ganska relevant", True),
            ("Lite relevant", False),
            ("Inte alls relevant", False),
        ],
    ),
    (
        "Hur upplevde du att tekniken fungerade?",
        False,
        [("Mycket bra", True), ("Bra", True), ("Mindre bra", False), ("Dåligt", False)],
    ),
    (
        "Hur väl upplevde du att föreläsningen motsvarade dina förväntningar?",
        True,
        [("Mycket väl", True), ("Väl", True), ("Delvis", False), ("Inte alls", False)],
    ),
]
ENKATER = {  # year: (occasions (name, date, answers), totals per question and option)
    2025: (
        [
            ("Föreläsning: Motiverande samtal (MI)", dt.date(2025, 3, 12), 18),
            ("Föreläsning: Neuropsykiatri i arbetslivet", dt.date(2025, 5, 20), 15),
            ("Utbildning: Våld i nära relation", dt.date(2025, 9, 24), 14),
            ("Föreläsning: SIP i praktiken", dt.date(2025, 11, 13), 13),
        ],
        [(34, 21, 4, 1), (29, 24, 6, 1), (27, 22, 9, 2)],
    ),
    2026: (
        [
            ("Föreläsning: Supported Employment", dt.date(2026, 2, 18), 17),
            ("Utbildning: BIP – bedömning av individens förutsättningar", dt.date(2026, 4, 22), 15),
            ("Föreläsning: Jämlikhet i rehabiliteringen", dt.date(2026, 9, 30), 13),
        ],
        [(25, 15, 4, 1), (22, 18, 4, 1), (17, 16, 10, 2)],
    ),
}
KOMMENTARER_2025 = {
    m.Kommentar.Avsnitt.OVER_TID: "Försteg Vadstena påbörjade sin verksamhet under hösten 2021",
    m.Kommentar.Avsnitt.VOLYM: (
        "Motala fontänhus mäts i antalet unika individer som besökt huset under året. Insatsen "
        "SIP mäts i antalet möten som genomförts med stöd och mötesledning från "
        "samordningsförbundet"
    ),
    m.Kommentar.Avsnitt.PER_INSATS: (
        "Digitaliseringscenter, ISA navigator och ISA västra avslutades som insats 31/12 2025."
    ),
    m.Kommentar.Avsnitt.HUVUDMAN: (
        "De som faller under kategorin övrigt har oftast en kontakt med regionen och insatsen "
        "har initierats den vägen, men har för stunden inte någon ersättning från annat håll."
    ),
    m.Kommentar.Avsnitt.AVSLUTSANLEDNING: (
        "De som avslutas som en 1:a innebär att de avslutades enligt plan medan de som "
        "registreras som en 2:a har avslutats av andra orsaker som inte var planerade"
    ),
}
# Verksamhetsplan 2026, Bilaga 2: the allocation and the planned costs per post. 2025's
# allocation was 30 000 kr higher (the plan's text). Eget kapital and utfall are invented.
TILLDELNING = {2025: 8_614_000, 2026: 8_584_000}
EGET_KAPITAL_1_1 = {2025: 1_010_000, 2026: 950_000}
KOSTNADSPOSTER_2026 = [
    ("Kansli", "1.0", 1_875_000),
    ("Nätverk", "2.4.1", 2_500_000),
    ("Försteg", "4.0", 2_400_000),
    ("Utbildning", "11.1", 459_000),
    ("Utveckling-struktur", "11.7", 1_350_000),
]
# Share of the post's budget booked per month January–September 2026 (demo): a slow summer.
UTFALL_VIKT = (8, 8, 9, 8, 9, 8, 4, 6, 9)
KVARTALSPOSTER = {"Utbildning"}  # booked per quarter

ANVANDARE = [  # username, first name, last name, role, staff, insatser they answer for
    (
        "verksamhetsutvecklare",
        "Vera",
        "Verksamhetsutvecklare",
        Roll.VERKSAMHETSUTVECKLARE,
        True,
        [],
    ),
    (
        "insatsansvarig",
        "Ivar",
        "Insatsansvarig",
        Roll.INSATSANSVARIG,
        False,
        ["Försteg Motala", "Försteg Vadstena"],
    ),
    ("forbundschef", "Frida", "Förbundschef", Roll.FORBUNDSCHEF, True, []),
    ("styrelse", "Stig", "Styrelseledamot", Roll.STYRELSE, True, []),
]

# Seasonal weights: fewer starts in July, more avslut before summer and at the year's end.
NYA_VIKT = (10, 10, 11, 10, 10, 8, 3, 8, 12, 11, 10, 7)
AVSLUT_VIKT = (7, 8, 9, 9, 10, 12, 4, 7, 9, 9, 10, 13)
VOLYM_VIKT = {
    V.TILLFALLEN: (10, 10, 10, 10, 10, 8, 2, 6, 10, 10, 10, 8),
    V.DELTAGARE: (9, 11, 12, 10, 11, 6, 0, 4, 12, 12, 12, 7),
}


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


@dataclass
class _Manad:
    nya: tuple[int, int] = (0, 0)
    avslutade: tuple[int, int] = (0, 0)
    nya_huvudman: dict[str, int] | None = None
    avslut: dict[str, int] | None = None
    volym: int | None = None


def _flode_manader(
    namn: str,
    ar: int,
    ingaende: tuple[int, int],
    nya: tuple[int, int],
    avslutade: tuple[int, int],
    manader: int,
    nya_huvudman: dict[str, int],
    avslut: dict[str, int],
) -> list[_Manad]:
    kon = []
    for g in range(2):
        n = fordela(nya[g], NYA_VIKT[:manader])
        a = _utan_negativt(ingaende[g], n, fordela(avslutade[g], AVSLUT_VIKT[:manader]))
        kon.append((n, a))
    totalt_nya = [kon[0][0][i] + kon[1][0][i] for i in range(manader)]
    totalt_avsl = [kon[0][1][i] + kon[1][1][i] for i in range(manader)]
    hm = _etiketter(nya_huvudman, totalt_nya, f"{namn}{ar}hm")
    an = _etiketter(avslut, totalt_avsl, f"{namn}{ar}av")
    return [
        _Manad(
            nya=(kon[0][0][i], kon[1][0][i]),
            avslutade=(kon[0][1][i], kon[1][1][i]),
            nya_huvudman=hm[i],
            avslut=an[i],
        )
        for i in range(manader)
    ]


def _huvudman_ingaende(ingaende: int, totalt: Sequence[int]) -> list[int]:
    """The ingående balance by huvudman: the year's distribution, scaled to the balance."""
    return fordela(ingaende, totalt)


def _allman_avslut(forsta: int, andra: int) -> dict[str, int]:
    result: dict[str, int] = {}
    for klass, antal in ((1, forsta), (2, andra)):
        namn = list(ALLMAN_ANDEL[klass])
        for n, d in zip(namn, fordela(antal, list(ALLMAN_ANDEL[klass].values())), strict=True):
            result[n] = d
    return result


def _volym_manader(enhet: str, total: int, manader: int) -> list[int]:
    if enhet == V.UNIKA_INDIVIDER:
        # The count so far this year: many visitors early, fewer new ones later in the year.
        tillskott = fordela(total, (30, 12, 9, 8, 7, 6, 3, 4, 6, 5, 5, 5)[:manader])
        return [sum(tillskott[: i + 1]) for i in range(manader)]
    return fordela(total, VOLYM_VIKT[enhet][:manader])


class _Laddare:
    """Writes the demo data row by row on natural keys, so a second run changes nothing."""

    def __init__(self, idag: dt.date) -> None:
        self.idag = idag
        self.skapade_rapporter: list[m.Manadsrapport] = []

    def kor(self) -> m.Forbund:
        forbund, _ = m.Forbund.objects.update_or_create(
            namn=FORBUND_NAMN,
            defaults={
                "kortnamn": "SVÖ",
                "rapportdag": 10,
                "bakgrund_text": BAKGRUND,
                "metod_text": METOD,
            },
        )
        self.forbund = forbund
        self._medlemmar()
        self.huvudman = {
            namn: m.Huvudman.objects.update_or_create(
                forbund=forbund, namn=namn, defaults={"ordning": i}
            )[0]
            for i, namn in enumerate(HUVUDMAN, start=1)
        }
        self._anvandare()
        self._insatser()
        self._anledningar()
        self._ar_2025()
        self._ar_2026()
        self._arstotaler()
        self._enkater()
        for avsnitt, text in KOMMENTARER_2025.items():
            m.Kommentar.objects.update_or_create(
                forbund=forbund, ar=2025, avsnitt=avsnitt, defaults={"text": text}
            )
        self._ekonomi()
        m.Arsbilaga.objects.update_or_create(
            forbund=forbund, ar=2025, defaults={"sammanstallningsdatum": dt.date(2026, 1, 20)}
        )
        for namn, volym in BUDGET_2026.items():
            m.BudgeteradVolym.objects.update_or_create(
                insats=self.insatser[namn], ar=2026, defaults={"volym": volym}
            )
        self._logga_skapade()
        return forbund

    def _medlemmar(self) -> None:
        self.medlemmar = {}
        for ordning, (namn, typ, invanare) in enumerate(MEDLEMMAR, start=1):
            medlem, _ = m.Medlem.objects.update_or_create(
                forbund=self.forbund, namn=namn, defaults={"typ": typ, "ordning": ordning}
            )
            self.medlemmar[namn] = medlem
            if invanare:
                m.Befolkning.objects.update_or_create(
                    medlem=medlem, ar=BEFOLKNING_AR, defaults={"invanare": invanare}
                )

    def _anvandare(self) -> None:
        self.anvandare = {}
        for username, first, last, roll, staff, _insatser in ANVANDARE:
            user, created = m.User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "forbund": self.forbund,
                    "is_staff": staff,
                },
            )
            if created or not user.has_usable_password():
                user.set_password(DEMO_LOSENORD)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=str(roll)))
            self.anvandare[username] = user
        self.vu = self.anvandare["verksamhetsutvecklare"]

    def _insatser(self) -> None:
        grupper = {
            namn: m.Insatsgrupp.objects.get_or_create(forbund=self.forbund, namn=namn)[0]
            for namn in ("Försteg", "ISA")
        }
        malgrupper = {mg.kod: mg for mg in m.Malgrupp.objects.all()}
        self.insatser = {}
        for namn, (inr, prec, grupp, medlem, start, slut, enhet, mg) in INSATSER.items():
            insats, _ = m.Insats.objects.update_or_create(
                forbund=self.forbund,
                namn=namn,
                defaults={
                    "inriktning": inr,
                    "preciserad_inriktning": prec,
                    "grupp": grupper.get(grupp) if grupp else None,
                    "utforande_medlem": self.medlemmar.get(medlem) if medlem else None,
                    "startdatum": start,
                    "slutdatum": slut,
                    "uppfoljning": m.Insats.Uppfoljning.VOLYM
                    if enhet
                    else m.Insats.Uppfoljning.DELTAGARFLODE,
                    "volymenhet": enhet,
                    "ordning": VOLYM_ORDNING.get(namn, 0),
                },
            )
            insats.malgrupper.set([malgrupper[kod] for kod in mg])
            self.insatser[namn] = insats
        for username, *_rest, ansvar in ANVANDARE:
            for namn in ansvar:
                self.insatser[namn].insatsansvariga.add(self.anvandare[username])

    def _anledningar(self) -> None:
        self.anledningar: dict[tuple[str, str], m.Avslutsanledning] = {}
        for uppsattning, rader in (("Allmän", ALLMAN), ("ISA", ISA)):
            for ordning, (namn, etikett, klass, kategori) in enumerate(rader, start=1):
                self.anledningar[(uppsattning, namn)] = m.Avslutsanledning.objects.update_or_create(
                    forbund=self.forbund,
                    uppsattning=uppsattning,
                    namn=namn,
                    defaults={
                        "rapportetikett": etikett,
                        "klass": klass,
                        "kategori": kategori,
                        "ordning": ordning,
                    },
                )[0]
        for namn, insats in self.insatser.items():
            if insats.ar_volyminsats:
                continue
            uppsattning = "ISA" if namn == "ISA Västra" else "Allmän"
            insats.avslutsanledningar.set(
                [a for (u, _n), a in self.anledningar.items() if u == uppsattning]
            )

    def _rapport(self, insats: m.Insats, ar: int, manad: int, data: _Manad, status: str) -> None:
        S = m.Manadsrapport.Status
        slut = manadens_sista(ar, manad)
        godkand = status in (S.GODKAND, S.REGISTRERAD)
        tid = dt.datetime.combine(slut + dt.timedelta(days=5), dt.time(10), tzinfo=dt.UTC)
        rapport, created = m.Manadsrapport.objects.update_or_create(
            insats=insats,
            ar=ar,
            manad=manad,
            defaults={
                "status": status,
                "nya_kvinnor": data.nya[0],
                "nya_man": data.nya[1],
                "avslutade_kvinnor": data.avslutade[0],
                "avslutade_man": data.avslutade[1],
                "volym": data.volym,
                "returkommentar": RETURKOMMENTAR if status == S.RETURNERAD else "",
                "inskickad_av": self._ansvarig(insats) if status != S.UTKAST else None,
                "inskickad_tid": tid if status != S.UTKAST else None,
                "godkand_av": self.vu if godkand else None,
                "godkand_tid": tid + dt.timedelta(days=2) if godkand else None,
                "registrerad_av": self.vu if status == S.REGISTRERAD else None,
                "registrerad_datum": slut + dt.timedelta(days=15)
                if status == S.REGISTRERAD
                else None,
            },
        )
        if created:
            self.skapade_rapporter.append(rapport)
        uppsattning = "ISA" if insats.namn == "ISA Västra" else "Allmän"
        for namn, antal in (data.avslut or {}).items():
            m.AvslutadePerAnledning.objects.update_or_create(
                rapport=rapport,
                anledning=self.anledningar[(uppsattning, namn)],
                defaults={"antal": antal},
            )
        for namn, antal in (data.nya_huvudman or {}).items():
            m.NyaPerHuvudman.objects.update_or_create(
                rapport=rapport, huvudman=self.huvudman[namn], defaults={"antal": antal}
            )

    def _ansvarig(self, insats: m.Insats) -> m.User:
        for username, *_rest, ansvar in ANVANDARE:
            if insats.namn in ansvar:
                return self.anvandare[username]
        return self.vu

    def _balans(self, insats: m.Insats, ar: int, kon: tuple[int, int], hm: Sequence[int]) -> None:
        balans, _ = m.IngaendeBalans.objects.update_or_create(
            insats=insats,
            ar=ar,
            defaults={
                "kvinnor": kon[0],
                "man": kon[1],
                "bekraftad_av": self.vu,
                "bekraftad_tid": dt.datetime(ar, 1, 15, 9, tzinfo=dt.UTC),
            },
        )
        for namn, antal in zip(HUVUDMAN, hm, strict=True):
            if antal:
                m.IngaendeBalansHuvudman.objects.update_or_create(
                    balans=balans, huvudman=self.huvudman[namn], defaults={"antal": antal}
                )

    def _ar_2025(self) -> None:
        registrerad = m.Manadsrapport.Status.REGISTRERAD
        for namn, f in FLODE_2025.items():
            insats = self.insatser[namn]
            hm_in = _huvudman_ingaende(sum(f.ingaende), f.huvudman)
            self._balans(insats, 2025, f.ingaende, hm_in)
            nya_hm = {h: t - i for h, t, i in zip(HUVUDMAN, f.huvudman, hm_in, strict=True)}
            avslut = ISA_2025 if namn == "ISA Västra" else _allman_avslut(*f.forsta_andra)
            for manad, data in enumerate(
                _flode_manader(namn, 2025, f.ingaende, f.nya, f.avslutade, 12, nya_hm, avslut),
                start=1,
            ):
                self._rapport(insats, 2025, manad, data, registrerad)
            if f.justering != (0, 0):
                m.Justering.objects.get_or_create(
                    insats=insats,
                    ar=2025,
                    manad=12,
                    anledning=JUSTERING_ANLEDNING,
                    defaults={
                        "kvinnor": f.justering[0],
                        "man": f.justering[1],
                        "skapad_av": self.vu,
                    },
                )
        for namn, total in VOLYM_2025.items():
            insats = self.insatser[namn]
            for manad, volym in enumerate(_volym_manader(insats.volymenhet, total, 12), start=1):
                self._rapport(insats, 2025, manad, _Manad(volym=volym), registrerad)

    def _ar_2026(self) -> None:
        S = m.Manadsrapport.Status
        # Only months that are over by `idag` can exist; October is the month being reported.
        sista = 10
        if self.idag <= manadens_sista(2026, 10):
            sista = max(0, self.idag.month - 1) if self.idag.year == 2026 else 0

        def status(namn: str, manad: int) -> str | None:
            if manad == 10:
                return OKTOBER_2026[namn]
            return S.REGISTRERAD if manad <= 8 else S.GODKAND

        for namn, (nya, avslutade) in FLODE_2026.items():
            insats = self.insatser[namn]
            f = FLODE_2025[namn]
            ingaende = (
                f.ingaende[0] + f.nya[0] - f.avslutade[0] + f.justering[0],
                f.ingaende[1] + f.nya[1] - f.avslutade[1] + f.justering[1],
            )
            hm_in = _huvudman_ingaende(sum(ingaende), f.huvudman)
            self._balans(insats, 2026, ingaende, hm_in)
            nya_hm = dict(zip(HUVUDMAN, fordela(sum(nya), f.huvudman), strict=True))
            avslut = _allman_avslut(*fordela(sum(avslutade), f.forsta_andra))
            manader = _flode_manader(namn, 2026, ingaende, nya, avslutade, 10, nya_hm, avslut)
            for manad, data in enumerate(manader[:sista], start=1):
                if (s := status(namn, manad)) is not None:
                    self._rapport(insats, 2026, manad, data, s)
        for namn, total in VOLYM_2026.items():
            insats = self.insatser[namn]
            volymer = _volym_manader(insats.volymenhet, total, 10)
            for manad, volym in enumerate(volymer[:sista], start=1):
                if (s := status(namn, manad)) is not None:
                    self._rapport(insats, 2026, manad, _Manad(volym=volym), s)

    def _arstotaler(self) -> None:
        """Yearly totals 2020–2024 that end in 2025's ingående balans (Diagram 1 and 2)."""
        for namn, f in FLODE_2025.items():
            insats = self.insatser[namn]
            for ar, faktor in ARSFAKTOR.items():
                if insats.startdatum.year > ar:
                    continue
                nya = tuple(round(n * faktor) for n in f.nya)
                if insats.startdatum.year == ar:  # the first year starts from nobody
                    avsl = tuple(round(n * 0.4) for n in nya)
                    nya = tuple(
                        max(n, i + a) for n, i, a in zip(nya, f.ingaende, avsl, strict=True)
                    )
                    avsl = tuple(n - i for n, i in zip(nya, f.ingaende, strict=True))
                    ingaende = (0, 0)
                else:
                    avsl, ingaende = nya, f.ingaende
                m.Arstotal.objects.update_or_create(
                    insats=insats,
                    ar=ar,
                    defaults={
                        "deltagare_kvinnor": ingaende[0] + nya[0],
                        "deltagare_man": ingaende[1] + nya[1],
                        "nya_kvinnor": nya[0],
                        "nya_man": nya[1],
                        "avslutade_kvinnor": avsl[0],
                        "avslutade_man": avsl[1],
                        "kalla": DEMO_KALLA,
                    },
                )

    def _enkater(self) -> None:
        fragor = []
        for ordning, (text, malfraga, alternativ) in enumerate(ENKATFRAGOR, start=1):
            fraga, _ = m.Enkatfraga.objects.update_or_create(
                forbund=self.forbund, text=text, defaults={"ordning": ordning, "malfraga": malfraga}
            )
            alt = [
                m.Svarsalternativ.objects.update_or_create(
                    fraga=fraga, text=a, defaults={"ordning": i, "positivt": positivt}
                )[0]
                for i, (a, positivt) in enumerate(alternativ, start=1)
            ]
            fragor.append(alt)
        kompetens = self.insatser["Kompetenshöjande insatser"]
        for ar, (tillfallen, totaler) in ENKATER.items():
            if dt.date(ar, 1, 1) > self.idag:
                continue
            storlek = [n for _namn, _datum, n in tillfallen]
            # Each question's totals dealt out over the occasions in proportion to their answers.
            for alternativ, total in zip(fragor, totaler, strict=True):
                per_alt = [fordela(t, storlek) for t in total]
                for t_index, (namn, datum, _n) in enumerate(tillfallen):
                    if datum > self.idag:
                        continue
                    tillfalle, _ = m.Enkattillfalle.objects.update_or_create(
                        forbund=self.forbund,
                        namn=namn,
                        datum=datum,
                        defaults={"insats": kompetens},
                    )
                    for a, fordelning in zip(alternativ, per_alt, strict=True):
                        m.Enkatsvar.objects.update_or_create(
                            tillfalle=tillfalle,
                            alternativ=a,
                            defaults={"antal": fordelning[t_index]},
                        )

    def _ekonomi(self) -> None:
        for ar, tilldelning in TILLDELNING.items():
            m.Verksamhetsplan.objects.update_or_create(
                forbund=self.forbund,
                ar=ar,
                defaults={
                    "tilldelning": tilldelning,
                    "enkatmal_procent": 75,
                    "kapitaltak_procent": 15,
                    "eget_kapital_ingaende": EGET_KAPITAL_1_1[ar],
                },
            )
        manader = 9 if self.idag > manadens_sista(2026, 9) else max(0, self.idag.month - 1)
        if self.idag.year < 2026:
            manader = 0
        for ordning, (namn, kod, budget) in enumerate(KOSTNADSPOSTER_2026, start=1):
            post, _ = m.Kostnadspost.objects.update_or_create(
                forbund=self.forbund,
                ar=2026,
                namn=namn,
                defaults={"kod": kod, "budget": budget, "ordning": ordning},
            )
            # The budget spread over the year with a slow summer; January–September booked.
            per_manad = fordela(budget, [*UTFALL_VIKT, 8, 8, 8])[:manader]
            if namn in KVARTALSPOSTER:
                for kvartal in range(1, manader // 3 + 1):
                    m.Utfall.objects.update_or_create(
                        post=post,
                        kvartal=kvartal,
                        defaults={"belopp": sum(per_manad[(kvartal - 1) * 3 : kvartal * 3])},
                    )
            else:
                for manad, belopp in enumerate(per_manad, start=1):
                    m.Utfall.objects.update_or_create(
                        post=post, manad=manad, defaults={"belopp": belopp}
                    )

    def _logga_skapade(self) -> None:
        if not self.skapade_rapporter:
            return
        ct = ContentType.objects.get_for_model(m.Manadsrapport)
        m.AuditEntry.objects.bulk_create(
            m.AuditEntry(
                forbund=self.forbund,
                user=None,
                action=m.AuditEntry.Action.IMPORTERAD,
                content_type=ct,
                object_id=str(r.pk),
                object_repr=str(r)[:300],
                kommentar="Demodata inläst",
            )
            for r in self.skapade_rapporter
        )


def ladda(*, idag: dt.date | None = None) -> m.Forbund:
    """Load (or refresh) the demo förbund. Months after `idag` are not created."""
    from django.utils import timezone

    with transaction.atomic():
        return _Laddare(idag or timezone.localdate()).kor()


def demo_anvandare() -> Iterable[tuple[str, str]]:
    """(username, role) of the demo users, for printing."""
    return [(username, str(roll)) for username, _f, _l, roll, _s, _i in ANVANDARE]
