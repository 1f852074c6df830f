"""The Indikatorer report's data: the NNS questions' answer counts per collection year, as seed
003 ("Indikatorer för finansiell samordning") shows them. Reads only; built in a constant number
of queries into a frozen `Indikatorrapport` that the page, the PDF, the charts and the national
export render without querying.

The national collection year runs from 1 November to 30 October: insamlingsår 2024 is 1/11 2023
– 30/10 2024 (a round dated 31 October counts to the year that ends then). A year's figures for a
question are shown only when at least `FINSAM_ENKAT_MIN_N` answered it (decided by the results
selector, `enkater.selectors`, which this report builds on) and the respondent group handed in
at least as many forms that year; otherwise the report says "För få svar för att
redovisas" and shows no count at all, not even n.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from enkater.selectors import (
    Enkatresultat,
    ForFaSvar,
    Fragaserie,
    Indelning,
    Stapelvarde,
    Urval,
    enkatresultat,
)
from enkater.selectors import Stapel as ResultatStapel
from registrering import enkatkatalog
from registrering.kalender import insamlingsar, insamlingsperiod
from registrering.models import Enkat, Enkattillfalle, Forbund
from registrering.models.enkater import Respondentgrupp

#: How many collection years the bars compare (the latest ones with answers, up to the year).
ANTAL_AR = 4
#: The name of every demo round starts with this (registrering/demodata): the report says so.
DEMO_PREFIX = "Demodata"

#: The 16 indicators with their names and notes (indicator 11: a register study) come from the
#: national catalogue (`registrering.enkatkatalog`).
INDIKATORER: dict[int, str] = {i.nummer: i.namn for i in enkatkatalog.INDIKATORER}
NOTER: dict[int, str] = {i.nummer: i.anmarkning for i in enkatkatalog.INDIKATORER if i.anmarkning}
#: The five national respondent groups, in the report's order.
GRUPPER: tuple[Respondentgrupp, ...] = (
    Respondentgrupp.DELTAGARE_PAGAENDE,
    Respondentgrupp.DELTAGARE_AVSLUTADE,
    Respondentgrupp.PERSONAL,
    Respondentgrupp.STYRELSE,
    Respondentgrupp.CHEFSGRUPP,
)
FOR_FA = "För få svar för att redovisas"
FOR_FA_INDIKATOR = "Alltför få svar inkomna för att kunna redovisas"


def min_n() -> int:
    """Below this many answers a group's or a question's figures are never shown."""
    return int(getattr(settings, "FINSAM_ENKAT_MIN_N", 5))


@dataclass(frozen=True)
class Stapel:
    """One year's answers to one question: counts per option (None when too few to show)."""

    ar: int
    n: int | None
    antal: tuple[int, ...] | None

    @property
    def visas(self) -> bool:
        return self.antal is not None

    @property
    def andelar(self) -> tuple[int, ...]:
        """Whole percentages per option that add up to 100 (largest remainder)."""
        if not self.antal or not self.n:
            return ()
        exakta = [a * 100 / self.n for a in self.antal]
        hela = [int(x) for x in exakta]
        rest = sorted(range(len(exakta)), key=lambda i: hela[i] - exakta[i])
        for i in rest[: 100 - sum(hela)]:
            hela[i] += 1
        return tuple(hela)

    @property
    def etikett(self) -> str:
        return f"{self.ar} (n={self.n})" if self.visas else f"{self.ar} ({FOR_FA.lower()})"


@dataclass(frozen=True)
class Fraga:
    """A question of an indicator with its bars per year."""

    id: int
    text: str
    respondentgrupp: str
    grupp_namn: str
    alternativ: tuple[str, ...]
    staplar: tuple[Stapel, ...]

    @property
    def visas(self) -> bool:
        """Whether any year's figures may be shown (else the question is named as too few)."""
        return any(s.visas for s in self.staplar)


@dataclass(frozen=True)
class Indikator:
    nummer: int
    namn: str
    fragor: tuple[Fraga, ...]
    not_: str = ""

    @property
    def visade_fragor(self) -> tuple[Fraga, ...]:
        return tuple(f for f in self.fragor if f.visas)

    @property
    def for_fa_svar(self) -> bool:
        """Surveyed but no question has figures that may be shown."""
        return not self.not_ and not self.visade_fragor


@dataclass(frozen=True)
class Gruppsvar:
    """How many forms a respondent group handed in during the collection year."""

    grupp: str
    namn: str
    antal: int

    @property
    def for_fa(self) -> bool:
        return self.antal < min_n()


@dataclass(frozen=True)
class Indikatorrapport:
    forbund_id: int
    forbund_namn: str
    kortnamn: str
    ar: int
    ar_lista: tuple[int, ...]
    antal_svar: int
    forra_ar: int | None
    forra_antal: int | None
    grupper: tuple[Gruppsvar, ...]
    indikatorer: tuple[Indikator, ...]
    demodata: bool
    min_n: int

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return insamlingsperiod(self.ar)

    @property
    def grupper_for_fa(self) -> tuple[Gruppsvar, ...]:
        return tuple(g for g in self.grupper if g.for_fa)


def _formular(
    forbund: Forbund, fran: dt.date, till: dt.date
) -> tuple[dict[tuple[int, str], int], bool]:
    """Forms handed in per (collection year, group) in the NNS rounds, and whether any of them
    is a demo round: one query."""
    formular: dict[tuple[int, str], int] = defaultdict(int)
    demo = False
    for datum, grupp, n, namn in Enkattillfalle.objects.filter(
        forbund=forbund, enkat__slag=Enkat.Slag.NNS, datum__range=(fran, till)
    ).values_list("datum", "respondentgrupp", "antal_svar", "namn"):
        formular[(insamlingsar(datum), grupp)] += n
        demo = demo or namn.startswith(DEMO_PREFIX)
    return formular, demo


def _nns_serier(resultat: Enkatresultat) -> list[Fragaserie]:
    return [s for d in resultat.delar if d.slag == Enkat.Slag.NNS for s in d.serier if s.indikator]


def _stapel(stapel: Stapelvarde, grupp_n: int, grans: int) -> Stapel:
    """C's bar as the report's: no figures when the question's or the group's n is too small."""
    ar = int(stapel.etikett)
    if isinstance(stapel, ForFaSvar) or grupp_n < grans:
        return Stapel(ar=ar, n=None, antal=None)
    return Stapel(ar=ar, n=stapel.n, antal=tuple(s.antal for s in stapel.svar))


def _fraga(
    serie: Fragaserie, ar_lista: tuple[int, ...], grupp_n: dict[tuple[int, str], int], grans: int
) -> Fraga:
    return Fraga(
        id=serie.fraga_id,
        text=serie.text,
        respondentgrupp=serie.respondentgrupp,
        grupp_namn=serie.respondentgrupp_namn,
        alternativ=serie.alternativ,
        staplar=tuple(
            _stapel(s, grupp_n[(int(s.etikett), serie.respondentgrupp)], grans)
            for s in serie.staplar
            if int(s.etikett) in ar_lista
        ),
    )


def _redovisade(grupp_n: Mapping[tuple[int, str], int], ar: int, grans: int) -> int:
    """The forms of year `ar` from the groups shown: a total with a too-small group in it,
    minus the groups shown, would give that group's count."""
    return sum(n for (a, _g), n in grupp_n.items() if a == ar and n >= grans)


def indikatorrapport(*, forbund: Forbund, ar: int) -> Indikatorrapport:
    """The report of collection year `ar`, on the results selector (`enkater.selectors`, one bar
    per collection year, below the minimum n without figures) and the NNS rounds' forms: four
    queries, whatever the number of answers."""
    grans = min_n()
    fran, till = insamlingsperiod(ar - 2 * ANTAL_AR)[0], insamlingsperiod(ar)[1]
    resultat = enkatresultat(
        forbund=forbund,
        urval=Urval(fran_ar=ar - 2 * ANTAL_AR, till_ar=ar),
        indelning=Indelning.AR,
        min_n=grans,
    )
    serier = _nns_serier(resultat)
    formular, demo = _formular(forbund, fran, till)
    # A group's forms: its rounds' handed-in count, or at least its most answered question.
    grupp_n: dict[tuple[int, str], int] = defaultdict(int, formular)
    for serie in serier:
        for s in serie.staplar:
            if isinstance(s, ResultatStapel):
                nyckel = (int(s.etikett), serie.respondentgrupp)
                grupp_n[nyckel] = max(grupp_n[nyckel], s.n)
    ar_med_svar = sorted(
        {a for (a, _g), n in grupp_n.items() if n and a <= ar}
        | {int(s.etikett) for serie in serier for s in serie.staplar if int(s.etikett) <= ar}
    )
    ar_lista = tuple(ar_med_svar[-ANTAL_AR:])
    per_indikator: dict[int, list[Fraga]] = defaultdict(list)
    for serie in serier:
        fraga = _fraga(serie, ar_lista, grupp_n, grans)
        if fraga.staplar or serie.aktiv:
            per_indikator[serie.indikator or 0].append(fraga)
    tidigare = [a for a in ar_med_svar if a < ar]
    forra = tidigare[-1] if tidigare else None
    return Indikatorrapport(
        forbund_id=forbund.pk,
        forbund_namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        ar=ar,
        ar_lista=ar_lista,
        antal_svar=_redovisade(grupp_n, ar, grans),
        forra_ar=forra,
        forra_antal=_redovisade(grupp_n, forra, grans) if forra else None,
        grupper=tuple(Gruppsvar(g.value, g.label, grupp_n[(ar, g.value)]) for g in GRUPPER),
        indikatorer=tuple(
            Indikator(
                nummer=nr,
                namn=namn,
                fragor=tuple(per_indikator.get(nr, [])),
                not_=NOTER.get(nr, ""),
            )
            for nr, namn in INDIKATORER.items()
        ),
        demodata=demo,
        min_n=grans,
    )
