"""The demo data: Samordningsförbundet Västra Östergötland (SVÖ), 2020–2026.

Every block says where it comes from: seed 000 is the bilaga "Uppföljning FINSAM 2025", seed 001
the verksamhetsplan 2026. Everything else is invented demo data: plausible, but not SVÖ's. The
code that writes it to the database is in `loader.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from registrering import models as m
from registrering.permissions import ADMINISTRERANDE, Roll

P = m.Insats.PreciseradInriktning
IND, S = m.Insats.Inriktning.INDIVID, m.Insats.Inriktning.STRUKTUR
V = m.Insats.Volymenhet

# Seed 000's title page; the rapportdag is demo data.
FORBUND_NAMN = "Samordningsförbundet Västra Östergötland"
FORBUND_KORTNAMN = "SVÖ"
RAPPORTDAG = 10
# Demo data: the demo users' password, and the source given for the invented yearly totals.
DEMO_LOSENORD = "finsam-demo"
DEMO_KALLA = "Demodata (uppskattade årstotaler, ej SVÖ:s verkliga siffror)"

# Seed 000 §1 and §2, the method with placeholders for the period and the dates.
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
# Seed 000: the date the 2025 bilaga was compiled.
SAMMANSTALLNINGSDATUM_2025 = dt.date(2026, 1, 20)
UPPRATTAD_AV_2025 = "Vera Verksamhetsutvecklare"  # the demo's verksamhetsutvecklare

# Seed 001: the members (financing) and the municipalities' populations (Bilaga 2).
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
# Seed 000: the huvudman table.
HUVUDMAN = ["Försäkringskassan", "Arbetsförmedlingen", "Kommun", "Övrigt"]

# Demo data: the general avslutsanledningar (class 1:a or 2:a as defined in seed 000).
ALLMAN = [  # (namn, etikett, klass, kategori)
    ("Arbete", "", 1, m.Avslutsanledning.Kategori.ARBETE),
    ("Studier", "", 1, m.Avslutsanledning.Kategori.STUDIER),
    ("Arbetslivsinriktad rehabilitering", "", 1, m.Avslutsanledning.Kategori.REHABILITERING),
    ("Sjukdom", "", 2, m.Avslutsanledning.Kategori.SJUKDOM),
    ("Annat skäl", "", 2, m.Avslutsanledning.Kategori.ANNAT),
]
# Seed 000: the reasons of the ISA table.
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
# Demo data: how a class of avslutade is split over the general reasons.
ALLMAN_ANDEL = {
    1: {"Arbete": 45, "Studier": 15, "Arbetslivsinriktad rehabilitering": 40},
    2: {"Sjukdom": 50, "Annat skäl": 50},
}


@dataclass(frozen=True)
class Flode2025:
    """An individinriktad insats's 2025 as in seed 000, split by gender (K, M)."""

    ingaende: tuple[int, int]
    nya: tuple[int, int]
    avslutade: tuple[int, int]
    justering: tuple[int, int]
    huvudman: tuple[int, int, int, int]  # all participants: FK, AF, Kommun, Övrigt
    forsta_andra: tuple[int, int]  # avslutade 1:a, 2:a


# Seed 000 §5: totalt / nya / avslutade / pågående per insats (totals 402 / 217 / 214 / 116) and
# the totals by gender, huvudman and 1:a/2:a; each insats's split of those totals is demo data.
# The justeringar make pågående match the seed where the flow alone does not.
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
# Seed 000: the ISA table, which is ISA Västra's 20 avslutade; the other insatser use ALLMAN.
ISA_INSATS = "ISA Västra"
ISA_2025 = {
    "Arbete utan subvention": 2,
    "Arbete med subvention": 9,
    "Studier": 1,
    "Åter till huvudman": 8,
}
# Demo data: why pågående were adjusted at the end of 2025.
JUSTERING_ANLEDNING = (
    "Inventering av pågående deltagare 31/12 2025: färre pågående än flödet anger "
    "(avslut som inte rapporterats under året)."
)

# Seed 000 §4: the volume table, its order and its 2025 volumes.
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


@dataclass(frozen=True)
class DemoInsats:
    """An insats of the demo förbund; `volymenhet` is "" for one followed by deltagarflöde."""

    inriktning: str
    preciserad: str
    start: dt.date
    slut: dt.date | None = None
    medlem: str | None = None  # utförande medlem
    grupp: str | None = None
    volymenhet: str = ""
    malgrupper: tuple[str, ...] = ()


# Seed 000: the insatser, their volume units and the three that ended 31/12 2025; seed 001
# (Bilaga 3): who runs the försteg; seed 000: Försteg Vadstena started in the autumn of 2021.
# The other start dates, the groups and the målgrupper are demo data.
SLUT_2025 = dt.date(2025, 12, 31)
INGEN = ("ingen-specifik-malgrupp",)
INSATSGRUPPER = ("Försteg", "ISA")
INSATSER = {
    "Digitaliseringscenter": DemoInsats(
        IND,
        P.FORBEREDANDE,
        dt.date(2023, 1, 1),
        SLUT_2025,
        medlem="Motala kommun",
        malgrupper=INGEN,
    ),
    "Försteg Boxholm": DemoInsats(
        IND,
        P.FORBEREDANDE,
        dt.date(2016, 1, 1),
        medlem="Boxholms kommun",
        grupp="Försteg",
        malgrupper=INGEN,
    ),
    "Försteg Mjölby/Skänninge": DemoInsats(
        IND,
        P.FORBEREDANDE,
        dt.date(2016, 1, 1),
        medlem="Mjölby kommun",
        grupp="Försteg",
        malgrupper=INGEN,
    ),
    "Försteg Motala": DemoInsats(
        IND,
        P.FORBEREDANDE,
        dt.date(2016, 1, 1),
        medlem="Motala kommun",
        grupp="Försteg",
        malgrupper=INGEN,
    ),
    "Försteg Vadstena": DemoInsats(
        IND,
        P.FORBEREDANDE,
        dt.date(2021, 9, 1),
        medlem="Vadstena kommun",
        grupp="Försteg",
        malgrupper=INGEN,
    ),
    "Försteg Ödeshög": DemoInsats(
        IND,
        P.FORBEREDANDE,
        dt.date(2016, 1, 1),
        medlem="Ödeshögs kommun",
        grupp="Försteg",
        malgrupper=INGEN,
    ),
    "ISA navigator": DemoInsats(
        IND,
        P.ARBETSLIVSINRIKTAD,
        dt.date(2022, 1, 1),
        SLUT_2025,
        medlem="Mjölby kommun",
        grupp="ISA",
        malgrupper=("unga",),
    ),
    "ISA Västra": DemoInsats(
        IND,
        P.ARBETSLIVSINRIKTAD,
        dt.date(2019, 1, 1),
        SLUT_2025,
        medlem="Motala kommun",
        grupp="ISA",
        malgrupper=INGEN,
    ),
    "Stöd mot sysselsättning": DemoInsats(
        IND,
        P.ARBETSLIVSINRIKTAD,
        dt.date(2020, 1, 1),
        medlem="Region Östergötland",
        malgrupper=("langtidssjukskrivna",),
    ),
    "Förstegscoordinator": DemoInsats(
        S, P.UTVECKLA_SAMVERKAN, dt.date(2019, 1, 1), volymenhet=V.TILLFALLEN, malgrupper=INGEN
    ),
    "Motala Fontänhus": DemoInsats(
        IND, P.FOREBYGGANDE, dt.date(2021, 1, 1), volymenhet=V.UNIKA_INDIVIDER, malgrupper=INGEN
    ),
    "Nätverket västra": DemoInsats(
        S, P.UTVECKLA_SAMVERKAN, dt.date(2016, 1, 1), volymenhet=V.DELTAGARE, malgrupper=INGEN
    ),
    "SIP – Samordnad Individuell Plan": DemoInsats(
        IND, P.IDENTIFIERA_BEHOV, dt.date(2016, 1, 1), volymenhet=V.TILLFALLEN, malgrupper=INGEN
    ),
    "Kompetenshöjande insatser": DemoInsats(
        S, P.KOMPETENSHOJANDE, dt.date(2016, 1, 1), volymenhet=V.DELTAGARE, malgrupper=INGEN
    ),
    "Utveckling struktur": DemoInsats(
        S, P.UTVECKLA_SAMVERKAN, dt.date(2022, 1, 1), volymenhet=V.DELTAGARE, malgrupper=INGEN
    ),
}
# Seed 001, Bilaga 3: the budgeted volumes 2026.
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
# Demo data: the budgeted volumes 2025, so that the underlag to Uppföljning Finsam for 2025 has
# every insats's budgeted number.
BUDGET_2025 = {
    "Digitaliseringscenter": 40,
    "Försteg Boxholm": 25,
    "Försteg Mjölby/Skänninge": 90,
    "Försteg Motala": 55,
    "Försteg Vadstena": 25,
    "Försteg Ödeshög": 25,
    "ISA navigator": 35,
    "ISA Västra": 40,
    "Stöd mot sysselsättning": 50,
    "Förstegscoordinator": 450,
    "Motala Fontänhus": 90,
    "Nätverket västra": 200,
    "SIP – Samordnad Individuell Plan": 20,
    "Kompetenshöjande insatser": 900,
    "Utveckling struktur": 200,
}
# Demo data: 2026 runs January–October, and October is the month being reported now.
MANADER_2026 = 10
# Demo data: 2026 January–October, nya (K, M) and avslutade (K, M) per insats.
FLODE_2026 = {
    "Försteg Boxholm": ((9, 8), (6, 6)),
    "Försteg Mjölby/Skänninge": ((25, 22), (20, 18)),
    "Försteg Motala": ((18, 16), (14, 13)),
    "Försteg Vadstena": ((6, 6), (4, 5)),
    "Försteg Ödeshög": ((7, 7), (6, 5)),
    "Stöd mot sysselsättning": ((4, 2), (5, 2)),
}
# Demo data: the volumes 2026, January–October.
VOLYM_2026 = {
    "Förstegscoordinator": 390,
    "Motala Fontänhus": 78,
    "Nätverket västra": 150,
    "SIP – Samordnad Individuell Plan": 14,
    "Kompetenshöjande insatser": 700,
    "Utveckling struktur": 170,
}
# Demo data: the state of October 2026 per insats (None: not reported yet).
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
# Demo data: January–August 2026 are registrerade, September is godkänd.
REGISTRERADE_2026 = 8
# Demo data: the comment on the returned report.
RETURKOMMENTAR = (
    "Avslutade män är fler än i närvarolistan för oktober. Kontrollera och skicka in igen."
)
# Demo data: deltagare per year before 2025 (Diagram 1–2), as a share of 2025's nya.
ARSFAKTOR = {2020: 0.80, 2021: 0.85, 2022: 0.90, 2023: 1.00, 2024: 1.05}

# Seed 000 §6: the three questions (seed 001: the third is the goal question); the answer
# options and which of them count as positive are demo data.
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
# Seed 001: the survey goes to those who take part in the kompetenshöjande insatser.
ENKATINSATS = "Kompetenshöjande insatser"
# Seed 000 §6: 60 answers per question in 2025; their split over options and occasions, and all
# of 2026, are demo data.
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
# Seed 000: the comments of the 2025 bilaga, per section.
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

# Seed 001, Bilaga 2: the allocation and the planned costs per post; 2025's allocation was
# 30 000 kr higher (the plan's text). Seed 001: the goal of 75 % positive answers. The capital
# ceiling, eget kapital and utfall are demo data.
TILLDELNING = {2025: 8_614_000, 2026: 8_584_000}
EGET_KAPITAL_1_1 = {2025: 1_010_000, 2026: 950_000}
ADM = m.Kostnadspost.Typ.ADMINISTRATION
INS = m.Kostnadspost.Typ.INSATS
# (post, kod, budget, kostnad för, the insats it is the cost of). Försteg is the cost of five.
KOSTNADSPOSTER_2026 = [
    ("Kansli", "1.0", 1_875_000, ADM, None),
    ("Nätverk", "2.4.1", 2_500_000, INS, "Nätverket västra"),
    ("Försteg", "4.0", 2_400_000, INS, None),
    ("Utbildning", "11.1", 459_000, INS, "Kompetenshöjande insatser"),
    ("Utveckling-struktur", "11.7", 1_350_000, INS, "Utveckling struktur"),
]
# Demo data: 2025 with one post per insats (the national system's budget and utfall per insats),
# booked in full; the costs, 8 674 000 kr, against the tilldelning of 8 614 000 kr give the
# result −60 000 kr that takes the eget kapital from 1 010 000 to 950 000 kr.
KOSTNADSPOSTER_2025 = [
    ("Kansli", "1.0", 1_850_000, ADM, None),
    *(
        (namn, "", budget, INS, namn)
        for namn, budget in (
            ("Digitaliseringscenter", 420_000),
            ("Försteg Boxholm", 380_000),
            ("Försteg Mjölby/Skänninge", 1_020_000),
            ("Försteg Motala", 610_000),
            ("Försteg Vadstena", 300_000),
            ("Försteg Ödeshög", 330_000),
            ("ISA navigator", 450_000),
            ("ISA Västra", 520_000),
            ("Stöd mot sysselsättning", 700_000),
            ("Förstegscoordinator", 260_000),
            ("Motala Fontänhus", 400_000),
            ("Nätverket västra", 380_000),
            ("SIP – Samordnad Individuell Plan", 104_000),
            ("Kompetenshöjande insatser", 450_000),
            ("Utveckling struktur", 500_000),
        )
    ),
]
ENKATMAL_PROCENT = 75
KAPITALTAK_PROCENT = 15
# Demo data: the share of a post's budget booked per month (a slow summer); January–September
# 2026 are booked, Utbildning per quarter.
UTFALL_VIKT = (8, 8, 9, 8, 9, 8, 4, 6, 9, 8, 8, 8)
UTFALL_MANADER = 9
KVARTALSPOSTER = {"Utbildning"}


@dataclass(frozen=True)
class DemoAnvandare:
    """A demo user and the insatser they answer for."""

    username: str
    first_name: str
    last_name: str
    roll: Roll
    ansvar: tuple[str, ...] = ()

    @property
    def is_staff(self) -> bool:
        """The admin's flag follows the role: the kansli only (`permissions.kan_oppna_admin`)."""
        return self.roll in ADMINISTRERANDE


# Demo data: one user per role.
ANVANDARE = [
    DemoAnvandare(
        "verksamhetsutvecklare", "Vera", "Verksamhetsutvecklare", Roll.VERKSAMHETSUTVECKLARE
    ),
    DemoAnvandare(
        "insatsansvarig",
        "Ivar",
        "Insatsansvarig",
        Roll.INSATSANSVARIG,
        ("Försteg Motala", "Försteg Vadstena"),
    ),
    DemoAnvandare("forbundschef", "Frida", "Förbundschef", Roll.FORBUNDSCHEF),
    DemoAnvandare("styrelse", "Stig", "Styrelseledamot", Roll.STYRELSE),
]
# The installation's systemadministratör (no förbund): förbund, groups and their invitations on
# /system/, and none of the förbund's figures.
SYSTEMADMINISTRATOR = "system"
SYSTEMADMINISTRATOR_EPOST = "system@demo.example"

# Demo data, seasonal weights for the month split: fewer starts in July, more avslut before
# summer and at the year's end; Motala Fontänhus counts unique visitors, most of them early.
NYA_VIKT = (10, 10, 11, 10, 10, 8, 3, 8, 12, 11, 10, 7)
AVSLUT_VIKT = (7, 8, 9, 9, 10, 12, 4, 7, 9, 9, 10, 13)
VOLYM_VIKT = {
    V.TILLFALLEN: (10, 10, 10, 10, 10, 8, 2, 6, 10, 10, 10, 8),
    V.DELTAGARE: (9, 11, 12, 10, 11, 6, 0, 4, 12, 12, 12, 7),
}
TILLSKOTT_VIKT = (30, 12, 9, 8, 7, 6, 3, 4, 6, 5, 5, 5)
