"""The transition model's result for a förbund and a year, read from the database in a constant
number of queries (the year's key figures, the transitions of every insats, the insatser of the
year), then computed by the pure `effekter.modell`.

The key figures are the year's own rows (`effekter.nyckeltal.nyckeltal`), or the catalogue's
(`STANDARD`, moved to the year) while the year has none: the page says which.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from effekter import modell
from effekter.nyckeltal import STANDARD, nyckeltal
from registrering.models import (
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Forbund,
    Forflyttning,
    Inkomstnyckeltal,
    Insats,
)


@dataclass(frozen=True)
class Nyckeltalsrader:
    """A year's own key figures as stored: the simple model, the benefits and the income side
    (None or empty while the year has none)."""

    enkel: Effektnyckeltal | None
    ersattningar: tuple[Ersattningsnyckeltal, ...]
    inkomst: Inkomstnyckeltal | None

    @property
    def kompletta(self) -> bool:
        return self.enkel is not None and bool(self.ersattningar) and self.inkomst is not None

    @property
    def modellens(self) -> bool:
        """Whether the transition model can use them (the simple model's row is not needed)."""
        return bool(self.ersattningar) and self.inkomst is not None


def nyckeltalsrader(*, forbund: Forbund, ar: int) -> Nyckeltalsrader:
    """The year's own key figures: three queries."""
    return Nyckeltalsrader(
        enkel=Effektnyckeltal.objects.filter(forbund=forbund, ar=ar).first(),
        ersattningar=tuple(Ersattningsnyckeltal.objects.filter(forbund=forbund, ar=ar)),
        inkomst=Inkomstnyckeltal.objects.filter(forbund=forbund, ar=ar).first(),
    )


def senaste_ar_med_nyckeltal(*, forbund: Forbund, fore: int) -> int | None:
    """The latest year before `fore` with benefits of its own: where "Hämta nyckeltal" copies
    from (None: from the catalogue)."""
    return (
        Ersattningsnyckeltal.objects.filter(forbund=forbund, ar__lt=fore)
        .order_by("-ar")
        .values_list("ar", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Insatsresultat:
    """One insats's matrix of the year and its effect (None when the model refuses it)."""

    insats_id: int
    namn: str
    rader: tuple[modell.Forflyttning, ...]
    effekt: modell.Effekt | None
    fel: tuple[str, ...]


@dataclass(frozen=True)
class Forflyttningsresultat:
    """The year's transitions, summed for the förbund and per insats, with their effects over
    `horisont` years from the year itself."""

    ar: int
    horisont: int
    nyckeltal: modell.Nyckeltal
    egna_nyckeltal: bool  # False: the catalogue's (STANDARD)
    rader: tuple[modell.Forflyttning, ...]  # the förbund's: every insats's matrix summed
    effekt: modell.Effekt | None
    fel: tuple[str, ...]
    insatser: tuple[Insatsresultat, ...]  # the insatser with a matrix, by name
    # The individinriktade insatser with participant flow active in the year (those that can
    # have a matrix): id, name.
    arets_insatser: tuple[tuple[int, str], ...]

    @property
    def betalare(self) -> tuple[modell.Betalare, ...]:
        return modell.BETALARE


def modellens_nyckeltal(rader: Nyckeltalsrader, ar: int) -> tuple[modell.Nyckeltal, bool]:
    """The model's key figures for the year and whether they are the year's own."""
    if rader.modellens and rader.inkomst is not None:
        return nyckeltal(ar, rader.ersattningar, rader.inkomst), True
    return replace(STANDARD, basar=ar), False


def _berakna(
    nyckeltal_: modell.Nyckeltal, rader: Sequence[modell.Forflyttning], horisont: int
) -> tuple[modell.Effekt | None, tuple[str, ...]]:
    fel = modell.validera(nyckeltal_, rader, horisont)
    if fel:
        return None, tuple(fel)
    return modell.berakna_effekt(nyckeltal_, rader, horisont), ()


def _summerade(rader: Sequence[Forflyttning]) -> tuple[modell.Forflyttning, ...]:
    summa: dict[tuple[str, str], int] = defaultdict(int)
    for rad in rader:
        summa[(rad.fran, rad.till)] += rad.antal
    return tuple(modell.Forflyttning(f, t, n) for (f, t), n in sorted(summa.items()) if n)


def forflyttningsresultat(
    *, forbund: Forbund, ar: int, horisont: int = modell.STANDARDHORISONT
) -> Forflyttningsresultat:
    """The förbund's and every insats's effect of the year's transitions: five queries, however
    many insatser there are."""
    nyckeltal_, egna = modellens_nyckeltal(nyckeltalsrader(forbund=forbund, ar=ar), ar)
    alla = list(
        Forflyttning.objects.filter(insats__forbund=forbund, ar=ar, antal__gt=0)
        .select_related("insats")
        .order_by("insats__namn", "insats_id", "fran", "till")
    )
    per_insats: dict[int, list[Forflyttning]] = defaultdict(list)
    for rad in alla:
        per_insats[rad.insats_id].append(rad)
    insatser = []
    for rader in per_insats.values():
        modellrader = tuple(modell.Forflyttning(r.fran, r.till, r.antal) for r in rader)
        effekt, fel = _berakna(nyckeltal_, modellrader, horisont)
        insatser.append(
            Insatsresultat(rader[0].insats_id, rader[0].insats.namn, modellrader, effekt, fel)
        )
    summerade = _summerade(alla)
    effekt, fel = _berakna(nyckeltal_, summerade, horisont)
    arets = Insats.objects.filter(forbund=forbund).deltagarflode().aktiva_under(ar).order_by("namn")
    return Forflyttningsresultat(
        ar=ar,
        horisont=horisont,
        nyckeltal=nyckeltal_,
        egna_nyckeltal=egna,
        rader=summerade,
        effekt=effekt,
        fel=fel,
        insatser=tuple(insatser),
        arets_insatser=tuple(arets.values_list("pk", "namn")),
    )


def om(
    resultat: Forflyttningsresultat, *, fran: str, till: str, antal: int
) -> modell.OmEffekt | None:
    """What-if on the förbund's matrix: `antal` more from `fran` to `till` (None when the
    model refuses the matrix or the assumption)."""
    tillagg = [modell.Forflyttning(fran, till, antal)]
    if modell.validera(resultat.nyckeltal, [*resultat.rader, *tillagg], resultat.horisont):
        return None
    return modell.om_effekt(resultat.nyckeltal, resultat.rader, tillagg, resultat.horisont)
