"""Complementary suppression: which bars of one year must be hidden so that no figure below the
minimum n can be had by subtraction.

One question's answers in one year (or the forms handed in that year) can be seen as several
bars: the year over all rounds, over a chosen insats, over an insatsansvarig's own insatser, and
one bar per round. These form a tree (year → scope → insats → round). A bar below the minimum n
is hidden; and for every shown bar, the part of it that no shown bar below it explains (its
hidden remainder) must be 0 or at least the minimum n, or the remainder is a figure from fewer
respondents. When it is not, the smallest shown part that would widen the remainder is hidden
too, and when there is none, the bar itself: the rule of thumb of statistical offices
("sekundärröjning"). The decision depends only on the tree, never on which bar a page asks for,
so the year page, the round page and the insats filter hide the same things.

The tree is the viewer's: the kansli and the styrelse see the whole year (root: all rounds); an
insatsansvarig sees only their own insatser (root: their scope), so their bars are decided
without the rounds they cannot see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

Nod = tuple[str, int]
ALLA: Nod = ("alla", 0)
OMFANG: Nod = ("omfang", 0)


def insatsnod(insats_id: int) -> Nod:
    return ("insats", insats_id)


def tillfallesnod(tillfalle_id: int) -> Nod:
    return ("tillfalle", tillfalle_id)


@dataclass(frozen=True)
class Del:
    """One round's count in one year: the leaves of the tree."""

    tillfalle_id: int
    insats_id: int | None
    n: int


def _trad(
    delar: Iterable[Del], omfang: frozenset[int] | None
) -> tuple[dict[Nod, list[Nod]], dict[Nod, int]]:
    """Children per node and n per leaf. Rounds outside the viewer's scope are not in it."""
    barn: dict[Nod, list[Nod]] = defaultdict(list)
    n: dict[Nod, int] = {}
    rot = ALLA if omfang is None else OMFANG
    for d in delar:
        if d.n <= 0 or (omfang is not None and d.insats_id not in omfang):
            continue
        lov = tillfallesnod(d.tillfalle_id)
        n[lov] = n.get(lov, 0) + d.n
        if d.insats_id is None:
            if lov not in barn[rot]:
                barn[rot].append(lov)
            continue
        insats = insatsnod(d.insats_id)
        if lov not in barn[insats]:
            barn[insats].append(lov)
        if insats not in barn[rot]:
            barn[rot].append(insats)
    return barn, n


def dolda(delar: Iterable[Del], *, min_n: int, omfang: frozenset[int] | None) -> frozenset[Nod]:
    """The nodes of one year's tree that may not be shown (a node with no answers is absent:
    it has no bar). `omfang` None: the whole förbund; a set: the viewer's own insatser."""
    barn, n = _trad(delar, omfang)
    # Bottom-up: rounds, insatser, the root.
    inre = sorted(barn, key=lambda nod: nod[0] != "insats")
    for nod in inre:
        n[nod] = sum(n[b] for b in barn[nod])
    dold = {nod for nod, antal in n.items() if antal < min_n}

    def kand(nod: Nod) -> int:
        """What the shown bars tell of `nod`: its n if shown, else the sum of its shown parts."""
        if nod not in dold:
            return n[nod]
        return sum(kand(b) for b in barn.get(nod, ()))

    def rest(nod: Nod) -> int:
        return n[nod] - sum(kand(b) for b in barn[nod])

    andrat = True
    while andrat:
        andrat = False
        for nod in inre:
            if nod in dold or not 0 < rest(nod) < min_n:
                continue
            kandidater = [b for b in barn[nod] if b not in dold and (b not in barn or rest(b) > 0)]
            dold.add(min(kandidater, key=lambda b: (n[b], b)) if kandidater else nod)
            andrat = True
    return frozenset(dold)


def summa_dold(delar: Iterable[tuple[int, bool]], *, min_n: int) -> bool:
    """Whether a sum of parts that other outputs show or hide on their own (the goal question's
    answers over its versions and groups, each of them a series of the results) must be hidden:
    below the minimum n, or when its hidden parts add up to fewer than the minimum n, since the
    sum minus the shown parts would give them. `delar`: each part's n and whether it is shown."""
    lista = list(delar)
    dolt = sum(n for n, visad in lista if not visad)
    return sum(n for n, _visad in lista) < min_n or 0 < dolt < min_n
