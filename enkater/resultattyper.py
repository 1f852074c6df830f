"""The survey results' types: what `enkater.selectors.enkatresultat` returns (an
`Enkatresultat` of `Enkatdel`, `Indikatorgrupp` and `Fragaserie`, one `Stapel` or `ForFaSvar`
per bar) and what it is asked for (`Urval`, `Indelning`). Immutable; a `ForFaSvar` carries no
figures at all. The selector's module names them too, as every caller imports them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from enkater.undertryckning import ALLA, OMFANG, Nod, insatsnod
from rapporter.arsdata import procent
from registrering.models import (
    Enkattillfalle,
    Respondentgrupp,
)
from registrering.talformat import tal

FOR_FA_SVAR = "För få svar för att redovisas"
ALLA_GRUPPER = "Alla som svarar"
UTAN_ENKAT = "Frågor utan enkät"
GRUPPORDNING = {grupp: i for i, grupp in enumerate(Respondentgrupp.values)}


class Indelning(StrEnum):
    """What one bar is: a year, or a round. A year is the enkät's own (`kalender.enkatar`): the
    national collection year (1/11–31/10) for the NNS indicators, the calendar year for every
    other enkät, so that a round counts to the same year on every page and no page's year can
    be subtracted from another's."""

    AR = "ar"
    TILLFALLE = "tillfalle"


@dataclass(frozen=True)
class Urval:
    """Which rounds and questions count. `insatser` None means every round of the förbund,
    also those without an insats; a set means only the rounds of those insatser (an
    insatsansvarig's own), so no total ever includes anyone else's answers. `omfang` is the
    viewer's scope (an insatsansvarig's own insatser, None for the kansli and the styrelse):
    which rounds the complementary suppression weighs, whichever of them `insatser` picks."""

    enkat_id: int | None = None
    respondentgrupp: str = ""
    insatser: frozenset[int] | None = None
    fran_ar: int | None = None
    till_ar: int | None = None
    bara_malfragor: bool = False
    omfang: frozenset[int] | None = None

    @property
    def trad(self) -> frozenset[int] | None:
        """The suppression tree's scope: the viewer's, or the chosen insatser when several."""
        if self.omfang is not None:
            return self.omfang
        if self.insatser is not None and len(self.insatser) != 1:
            return self.insatser
        return None

    @property
    def nod(self) -> Nod:
        """The tree node one year's bar of this urval is."""
        if self.insatser is None:
            return ALLA
        if self.insatser == self.trad or len(self.insatser) != 1:
            return OMFANG
        return insatsnod(next(iter(self.insatser)))

    def valt(self, tillfalle: Enkattillfalle) -> bool:
        return self.insatser is None or tillfalle.insats_id in self.insatser


@dataclass(frozen=True)
class Svarsandel:
    """One option of one bar: its count and its whole-percent share of n."""

    text: str
    antal: int
    procent: int
    positivt: bool


@dataclass(frozen=True)
class Stapel:
    """One bar with at least the minimum n: a year or a round of one question."""

    etikett: str
    n: int
    svar: tuple[Svarsandel, ...]
    for_fa: Literal[False] = False

    @property
    def positiva(self) -> int:
        return sum(s.antal for s in self.svar if s.positivt)

    @property
    def andel_positiva(self) -> int | None:
        """Whole percent of n that chose a positive option (None if the scale has none)."""
        if not any(s.positivt for s in self.svar):
            return None
        return procent(self.positiva, self.n)

    @property
    def rubrik(self) -> str:
        """'2024 (n=86)', as seed 003 labels its bars."""
        return f"{self.etikett} (n={tal(self.n)})"


@dataclass(frozen=True)
class ForFaSvar:
    """A bar with fewer answers than the minimum n: its label and nothing else."""

    etikett: str
    for_fa: Literal[True] = True
    text: str = FOR_FA_SVAR

    @property
    def rubrik(self) -> str:
        return self.etikett


Stapelvarde = Stapel | ForFaSvar


@dataclass(frozen=True)
class Fragaserie:
    """One version of one question, for one respondent group: its bars in time order. A new
    version starts its own series (the answers to differently worded questions are not
    compared); `tidigare_version` names the question it replaced."""

    fraga_id: int
    text: str
    version: int
    indikator: int | None
    respondentgrupp: str
    respondentgrupp_namn: str
    malfraga: bool
    alternativ: tuple[str, ...]
    positiva_alternativ: tuple[str, ...]
    staplar: tuple[Stapelvarde, ...]
    tidigare_version: str | None = None
    aktiv: bool = True

    @property
    def har_svar(self) -> bool:
        return bool(self.staplar)

    @property
    def visade(self) -> tuple[Stapel, ...]:
        """The bars with figures (n at least the minimum)."""
        return tuple(s for s in self.staplar if isinstance(s, Stapel))

    @property
    def bara_for_fa(self) -> bool:
        """Answered, but every bar has too few answers to be shown."""
        return self.har_svar and not self.visade


@dataclass(frozen=True)
class Indikatorgrupp:
    """The questions of one NNS indicator (or none) for one respondent group."""

    indikator: int | None
    respondentgrupp: str
    respondentgrupp_namn: str
    serier: tuple[Fragaserie, ...]

    @property
    def rubrik(self) -> str:
        if self.indikator is None:
            return self.respondentgrupp_namn
        return f"Indikator {self.indikator}, {self.respondentgrupp_namn.lower()}"


@dataclass(frozen=True)
class Enkatdel:
    enkat_id: int | None
    namn: str
    slag: str
    grupper: tuple[Indikatorgrupp, ...]

    @property
    def serier(self) -> tuple[Fragaserie, ...]:
        return tuple(s for g in self.grupper for s in g.serier)


@dataclass(frozen=True)
class Inlamnade:
    """Forms handed in (`Enkattillfalle.antal_svar`) per bar label, enkät and respondent group:
    a count of respondents, not of answers to a question. None below the minimum n, like every
    other figure. Never summed over enkäter or groups: the filters pick one of each, and a sum
    beside them would give a small one away by subtraction."""

    etikett: str
    antal: int | None
    enkat: str = UTAN_ENKAT
    respondentgrupp_namn: str = ALLA_GRUPPER

    @property
    def rubrik(self) -> str:
        return f"{self.enkat}, {self.respondentgrupp_namn.lower()}"


@dataclass(frozen=True)
class Enkatresultat:
    indelning: Indelning
    min_n: int
    delar: tuple[Enkatdel, ...]
    inlamnade: tuple[Inlamnade, ...] = ()
    antal_tillfallen: int = 0

    @property
    def serier(self) -> tuple[Fragaserie, ...]:
        return tuple(s for d in self.delar for s in d.serier)

    @property
    def tom(self) -> bool:
        return not any(s.har_svar for s in self.serier)
