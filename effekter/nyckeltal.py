"""Default key figures for the transition model, base year 2024 (pure data, no Django).

The benefits are the eight of RISE's model (seed 004). The amounts are APPROXIMATIONS: rounded
averages per person and year for someone who has the benefit all year, written down from the
public rates and statistics of each source, not fetched from it. The förbund should check each
against its source before use; the pages that edit key figures show the source beside each value.
Only the income side's wage, tax rates and arbetsgivaravgift are published figures; the yearly
increases and the jobbskatteavdrag are estimates.
"""

from __future__ import annotations

from decimal import Decimal

from effekter.modell import Ersattning, Inkomstsida, Nyckeltal

BASAR = 2024

MEDIANLON_2023_PER_MANAD = 37_100  # SCB, lönestrukturstatistik 2023, hela ekonomin
LONEANDEL = Decimal("0.60")  # RISE: the wage of a new job is taken as 60 % of the median wage

ERSATTNINGAR: tuple[Ersattning, ...] = (
    Ersattning(
        kod="forsorjningsstod",
        namn="Försörjningsstöd",
        betalare="kommun",
        arsbelopp=Decimal(110_000),  # approx.: ekonomiskt bistånd for a year-long recipient
        arlig_okning=Decimal("0.03"),  # estimate: the riksnorm follows prices
        skattepliktig=False,
        kalla="Socialstyrelsen, statistik om ekonomiskt bistånd (ungefärligt belopp)",
    ),
    Ersattning(
        kod="a_kassa",
        namn="A-kassa",
        betalare="stat",
        arsbelopp=Decimal(180_000),  # approx.: about 260 days at 690 kr; the cap is 1 200 kr/day
        arlig_okning=Decimal("0.02"),  # estimate
        skattepliktig=True,
        kalla="IAF, statistik om arbetslöshetsersättning (ungefärligt belopp)",
    ),
    Ersattning(
        kod="aktivitetsstod",
        namn="Aktivitetsstöd",
        betalare="stat",
        arsbelopp=Decimal(75_000),  # approx.: many in the group get the 223 kr/day floor
        arlig_okning=Decimal("0.01"),  # estimate
        skattepliktig=True,
        kalla="Försäkringskassan, statistik om aktivitetsstöd (ungefärligt belopp)",
    ),
    Ersattning(
        kod="sjukpenning",
        namn="Sjukpenning/rehabiliteringspenning",
        betalare="stat",
        arsbelopp=Decimal(190_000),  # approx.: 80 % of an average SGI, capped
        arlig_okning=Decimal("0.02"),  # estimate
        skattepliktig=True,
        kalla="Försäkringskassan, statistik om sjukpenning (ungefärligt belopp)",
    ),
    Ersattning(
        kod="aktivitetsersattning",
        namn="Aktivitetsersättning",
        betalare="stat",
        arsbelopp=Decimal(135_000),  # approx.: about the garantiersättning for ages 19–29
        arlig_okning=Decimal("0.03"),  # estimate: follows the prisbasbelopp
        skattepliktig=True,
        kalla="Försäkringskassan, statistik om aktivitetsersättning (ungefärligt belopp)",
    ),
    Ersattning(
        kod="sjukersattning",
        namn="Sjukersättning",
        betalare="stat",
        arsbelopp=Decimal(150_000),  # approx.
        arlig_okning=Decimal("0.03"),  # estimate: follows the prisbasbelopp
        skattepliktig=True,
        kalla="Försäkringskassan, statistik om sjukersättning (ungefärligt belopp)",
    ),
    Ersattning(
        kod="etableringsersattning",
        namn="Etableringsersättning",
        betalare="stat",
        arsbelopp=Decimal(80_000),  # 308 kr/day × 5 days × 52 weeks; not taxable
        arlig_okning=Decimal(0),  # the daily rate has stood still for years
        skattepliktig=False,
        kalla="Försäkringskassan, etableringsersättning (308 kr per dag)",
    ),
    Ersattning(
        kod="studiemedel",
        namn="Studiemedel",
        betalare="stat",
        # approx.: the grant part for 40 weeks, between the general and the higher grant; the
        # loan is paid back and is not counted
        arsbelopp=Decimal(60_000),
        arlig_okning=Decimal("0.02"),  # estimate: follows the prisbasbelopp
        skattepliktig=False,
        kalla="CSN, studiemedlens belopp (ungefärligt belopp, bidragsdelen)",
    ),
)

INKOMSTSIDA = Inkomstsida(
    arslon=12 * MEDIANLON_2023_PER_MANAD * LONEANDEL,  # 267 120 kr
    kommunalskatt=Decimal("0.2067"),  # SCB: average municipal tax 2024
    regionskatt=Decimal("0.1170"),  # SCB: average regional tax 2024
    arbetsgivaravgift=Decimal("0.3142"),  # Skatteverket: full arbetsgivaravgift 2024
    arlig_loneokning=Decimal("0.03"),  # estimate, about the agreed wage increases
    # approx.: jobbskatteavdrag at about 22 000 kr a month; compute it from Skatteverket's table
    jobbskatteavdrag=Decimal(27_000),
    kalla="SCB (medianlön 2023, skattesatser 2024), Skatteverket (arbetsgivaravgift 2024)",
)

STANDARD = Nyckeltal(basar=BASAR, ersattningar=ERSATTNINGAR, inkomstsida=INKOMSTSIDA)
