"""The key figures a förbund starts from, as data: the simple model of seed 004 and the
benefits and the income side of RISE's transition model ("ekonomisk modell för stegförflyttning").

Sources: the simple model's 10 500 and 5 700 kronor per month are those the three förbund of
Jönköpings län used for 2024 (seed 004, "Socioekonomisk beräkning nuvarande modell"). The
benefits are those RISE lists with their sources (seed 004, "Nyckeltal – Kostnadssidan"); RISE's
own figures are in its Excel file, not in the seed, so the amounts here are rounded approximations
for 2024 of an average full year per person on the benefit, made for this product from the
public levels of each benefit, and the förbund is asked to check them against the source before it
relies on them. The income side follows RISE: a wage of 60 % of the median wage (SCB, 37 100
kronor a month in 2023), the average municipal and regional tax rates of 2024 (SCB: 20,67 % and
11,70 %), the employer's contribution (Skatteverket, 31,42 %); the jobbskatteavdrag at that wage
is an approximation as well.

Pure data: no Django, nothing read from the database. `registrering.services` copies it into a
förbund's year the first time the year's key figures are asked for; from then on the förbund's
own figures, with their sources, are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

UNGEFAR = "ungefärligt värde för 2024, kontrollera mot källan"


@dataclass(frozen=True)
class EnkelModell:
    kostnad_per_manad: int
    skatt_per_manad: int
    kalla: str


@dataclass(frozen=True)
class Ersattningsdata:
    kod: str
    namn: str
    betalare: str  # "kommun", "region" or "stat"
    arsbelopp: int  # kronor per person and whole year
    okning: Decimal  # percent a year
    skattepliktig: bool
    kalla: str


@dataclass(frozen=True)
class Inkomstdata:
    arslon: int
    loneokning: Decimal
    kommunalskatt: Decimal
    regionskatt: Decimal
    arbetsgivaravgift: Decimal
    jobbskatteavdrag: int
    kalla: str


ENKEL = EnkelModell(
    kostnad_per_manad=10_500,
    skatt_per_manad=5_700,
    kalla="Samordningsförbunden i Jönköpings län, socioekonomisk beräkning 2024",
)

ERSATTNINGAR: tuple[Ersattningsdata, ...] = (
    Ersattningsdata(
        "forsorjningsstod",
        "Försörjningsstöd",
        "kommun",
        110_000,  # ekonomiskt bistånd for a year-long recipient
        Decimal("3"),  # the riksnorm follows prices
        False,
        f"Socialstyrelsen, statistik om ekonomiskt bistånd ({UNGEFAR})",
    ),
    Ersattningsdata(
        "a_kassa",
        "A-kassa",
        "stat",
        180_000,  # about 260 days at 690 kr; the cap is 1 200 kr a day
        Decimal("2"),
        True,
        f"IAF, statistik om arbetslöshetsersättning ({UNGEFAR})",
    ),
    Ersattningsdata(
        "aktivitetsstod",
        "Aktivitetsstöd",
        "stat",
        75_000,  # many in the target group get the floor of 223 kr a day
        Decimal("1"),
        True,
        f"Försäkringskassan, statistik om aktivitetsstöd ({UNGEFAR})",
    ),
    Ersattningsdata(
        "sjukpenning",
        "Sjukpenning/rehabiliteringspenning",
        "stat",
        190_000,  # 80 % of an average SGI, capped
        Decimal("2"),
        True,
        f"Försäkringskassan, statistik om sjukpenning ({UNGEFAR})",
    ),
    Ersattningsdata(
        "aktivitetsersattning",
        "Aktivitetsersättning",
        "stat",
        135_000,  # about the garantiersättning for ages 19–29
        Decimal("3"),  # follows the prisbasbelopp
        True,
        f"Försäkringskassan, statistik om aktivitetsersättning ({UNGEFAR})",
    ),
    Ersattningsdata(
        "sjukersattning",
        "Sjukersättning",
        "stat",
        150_000,
        Decimal("3"),  # follows the prisbasbelopp
        True,
        f"Försäkringskassan, statistik om sjukersättning ({UNGEFAR})",
    ),
    Ersattningsdata(
        "etableringsersattning",
        "Etableringsersättning",
        "stat",
        80_000,  # 308 kr a day, 5 days a week, 52 weeks; not taxable
        Decimal("0"),  # the daily rate has stood still for years
        False,
        "Försäkringskassan, etableringsersättning (308 kr per dag)",
    ),
    Ersattningsdata(
        "studiemedel",
        "Studiemedel",
        "stat",
        60_000,  # the grant for 40 weeks; the loan is paid back and is not counted
        Decimal("2"),  # follows the prisbasbelopp
        False,
        f"CSN, studiemedlens bidragsdel ({UNGEFAR})",
    ),
)
ERSATTNING = {e.kod: e for e in ERSATTNINGAR}
#: The benefit a transition to studies pays (RISE: "Till studiemedel").
STUDIEMEDEL = "studiemedel"

INKOMST = Inkomstdata(
    arslon=267_120,  # 60 % of 37 100 kronor a month, twelve months
    loneokning=Decimal("3"),
    kommunalskatt=Decimal("20.67"),
    regionskatt=Decimal("11.70"),
    arbetsgivaravgift=Decimal("31.42"),
    jobbskatteavdrag=27_000,  # at about 22 000 kr a month; Skatteverket's table
    kalla=(
        "SCB (medianlön 2023, genomsnittlig skattesats 2024), Skatteverket "
        f"(arbetsgivaravgift; jobbskatteavdraget är ett {UNGEFAR})"
    ),
)
