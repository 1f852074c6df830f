"""Month boundaries and the reporting calendar: the one place that knows about months."""

from __future__ import annotations

import calendar
import datetime as dt
import functools

# The years the product keeps: a year outside them is a typing error (the models and the rules).
MINSTA_AR, STORSTA_AR = 2000, 2100

MANADER = {
    1: "januari",
    2: "februari",
    3: "mars",
    4: "april",
    5: "maj",
    6: "juni",
    7: "juli",
    8: "augusti",
    9: "september",
    10: "oktober",
    11: "november",
    12: "december",
}
MANADER_KORT = {n: namn[:3] for n, namn in MANADER.items()}


def manadsnamn(ar: int, manad: int) -> str:
    """The month as the bilaga and the messages name it: "mars 2026"."""
    return f"{MANADER.get(manad, manad)} {ar}"


def manadens_forsta(ar: int, manad: int) -> dt.date:
    return dt.date(ar, manad, 1)


@functools.lru_cache(maxsize=4096)
def manadens_sista(ar: int, manad: int) -> dt.date:
    # Kept (a date is immutable): an import's rules ask it for every row, and
    # `calendar.monthrange` works the weekday out each time.
    return dt.date(ar, manad, calendar.monthrange(ar, manad)[1])


def nasta_manad(ar: int, manad: int) -> tuple[int, int]:
    return (ar + 1, 1) if manad == 12 else (ar, manad + 1)


def foregaende_manad(ar: int, manad: int) -> tuple[int, int]:
    return (ar - 1, 12) if manad == 1 else (ar, manad - 1)


def manaden_har_slutat(ar: int, manad: int, idag: dt.date) -> bool:
    """A month can be reported only once it is over."""
    return manadens_sista(ar, manad) < idag


def sista_rapportdag(ar: int, manad: int, rapportdag: int) -> dt.date:
    """The deadline: the förbund's rapportdag in the month after."""
    nasta_ar, nasta = nasta_manad(ar, manad)
    return dt.date(nasta_ar, nasta, min(rapportdag, calendar.monthrange(nasta_ar, nasta)[1]))


def ar_forsenad(ar: int, manad: int, rapportdag: int, idag: dt.date) -> bool:
    return idag > sista_rapportdag(ar, manad, rapportdag)


def datum_svenskt(datum: dt.date) -> str:
    """'31/12 2025', the way the förbund write dates."""
    return f"{datum.day}/{datum.month} {datum.year}"


def datum_langt(datum: dt.date) -> str:
    """'20 januari 2026'."""
    return f"{datum.day} {MANADER[datum.month]} {datum.year}"


# The national survey tool (Indikatorer för finansiell samordning) collects from 1 November to
# 30 October: "insamlingsår 2024" is 1/11 2023–30/10 2024. 31 October has to belong somewhere,
# and it belongs to the year that is ending, so the years meet without a gap.
INSAMLING_START_MANAD = 11


def insamlingsar(datum: dt.date) -> int:
    """The national collection year a date belongs to: 1/11 2023 and 31/10 2024 are both 2024."""
    return datum.year + 1 if datum.month >= INSAMLING_START_MANAD else datum.year


def enkatar(datum: dt.date, *, nns: bool) -> int:
    """The year a survey round dated `datum` counts to: the national collection year for the
    NNS indicators, the calendar year for every other survey (a training's, the förbund's own).
    Each round belongs to exactly one year, whichever page shows it."""
    return insamlingsar(datum) if nns else datum.year


def enkatperiod(ar: int, *, nns: bool) -> tuple[dt.date, dt.date]:
    """The first and last day of survey year `ar` (see `enkatar`)."""
    return insamlingsperiod(ar) if nns else (dt.date(ar, 1, 1), dt.date(ar, 12, 31))


def insamlingsperiod(ar: int) -> tuple[dt.date, dt.date]:
    """The first and last day of collection year `ar` (1/11 the year before – 31/10)."""
    return dt.date(ar - 1, INSAMLING_START_MANAD, 1), dt.date(ar, INSAMLING_START_MANAD - 1, 31)
