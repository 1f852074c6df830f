"""Key figures as the transition model takes them (`effekter.modell.Nyckeltal`), from the
catalogue (`registrering.effektkatalog`, the defaults a förbund starts from) or from a förbund's
own rows of a year (`Ersattningsnyckeltal`, `Inkomstnyckeltal`): both carry the same attributes,
with rates in percent, which the model takes as fractions.

Pure: no database access here (the caller reads the rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from effekter.modell import Betalare, Ersattning, Inkomstsida, Nyckeltal
from registrering import effektkatalog

BASAR = 2024  # the year the catalogue's amounts are for
_HUNDRA = Decimal(100)


class ErsattningsRad(Protocol):
    @property
    def kod(self) -> str: ...

    @property
    def namn(self) -> str: ...

    @property
    def betalare(self) -> str: ...

    @property
    def arsbelopp(self) -> int: ...

    @property
    def okning(self) -> Decimal: ...

    @property
    def skattepliktig(self) -> bool: ...

    @property
    def kalla(self) -> str: ...


class InkomstRad(Protocol):
    @property
    def arslon(self) -> int: ...

    @property
    def loneokning(self) -> Decimal: ...

    @property
    def kommunalskatt(self) -> Decimal: ...

    @property
    def regionskatt(self) -> Decimal: ...

    @property
    def arbetsgivaravgift(self) -> Decimal: ...

    @property
    def jobbskatteavdrag(self) -> int: ...

    @property
    def kalla(self) -> str: ...


def _andel(procent: Decimal) -> Decimal:
    return Decimal(procent) / _HUNDRA


def ersattning(rad: ErsattningsRad) -> Ersattning:
    betalare: Betalare = rad.betalare  # type: ignore[assignment]  # checked by validera
    return Ersattning(
        kod=rad.kod,
        namn=rad.namn,
        betalare=betalare,
        arsbelopp=Decimal(rad.arsbelopp),
        arlig_okning=_andel(rad.okning),
        skattepliktig=rad.skattepliktig,
        kalla=rad.kalla,
    )


def inkomstsida(rad: InkomstRad) -> Inkomstsida:
    return Inkomstsida(
        arslon=Decimal(rad.arslon),
        kommunalskatt=_andel(rad.kommunalskatt),
        regionskatt=_andel(rad.regionskatt),
        arbetsgivaravgift=_andel(rad.arbetsgivaravgift),
        arlig_loneokning=_andel(rad.loneokning),
        jobbskatteavdrag=Decimal(rad.jobbskatteavdrag),
        kalla=rad.kalla,
    )


def nyckeltal(basar: int, ersattningar: Iterable[ErsattningsRad], inkomst: InkomstRad) -> Nyckeltal:
    return Nyckeltal(
        basar=basar,
        ersattningar=tuple(ersattning(e) for e in ersattningar),
        inkomstsida=inkomstsida(inkomst),
    )


#: The catalogue's key figures, base year 2024.
STANDARD = nyckeltal(BASAR, effektkatalog.ERSATTNINGAR, effektkatalog.INKOMST)
