"""The Indikatorer report's data: the NNS questions' answer counts per collection year, as seed
003 ("Indikatorer för finansiell samordning") shows them. Reads only; built in a constant number
of queries into a frozen `Indikatorrapport` that the page, the PDF, the charts and the national
export render without querying.

The national collection year runs from 1 November to 30 October: insamlingsår 2024 is 1/11 2023
– 30/10 2024 (a round dated 31 October counts to the year that ends then). A year's figures for a
question are shown only when at least `FINSAM_ENKAT_MIN_N` answered it and the respondent group
handed in at least as many forms that year; otherwise the report says "För få svar för att
redovisas" and shows no count at all, not even n.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum

from registrering import enkatkatalog
from registrering.kalender import insamlingsar, insamlingsperiod
from registrering.models import Enkat, Enkatfraga, Enkatsvar, Enkattillfalle, Forbund
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


def _svar(
    forbund: Forbund, ar: int
) -> tuple[dict[tuple[int, int], dict[int, int]], dict[tuple[int, str], int], bool]:
    """Counts per (question, year) and option, forms per (year, group), and whether any round is
    a demo round: two queries."""
    forsta = insamlingsperiod(ar - 2 * ANTAL_AR)[0]
    sista = insamlingsperiod(ar)[1]
    rader = (
        Enkatsvar.objects.filter(
            tillfalle__forbund=forbund,
            tillfalle__enkat__slag=Enkat.Slag.NNS,
            tillfalle__datum__range=(forsta, sista),
        )
        .values_list("tillfalle__datum", "alternativ__fraga_id", "alternativ_id")
        .annotate(summa=Sum("antal"))
    )
    antal: dict[tuple[int, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for datum, fraga_id, alt_id, summa in rader:
        antal[(fraga_id, insamlingsar(datum))][alt_id] += summa or 0
    formular: dict[tuple[int, str], int] = defaultdict(int)
    demo = False
    for datum, grupp, n, namn in Enkattillfalle.objects.filter(
        forbund=forbund, enkat__slag=Enkat.Slag.NNS, datum__range=(forsta, sista)
    ).values_list("datum", "respondentgrupp", "antal_svar", "namn"):
        formular[(insamlingsar(datum), grupp)] += n
        demo = demo or namn.startswith(DEMO_PREFIX)
    return antal, formular, demo


def _fragor(forbund: Forbund) -> list[Enkatfraga]:
    return list(
        Enkatfraga.objects.filter(
            forbund=forbund, enkat__slag=Enkat.Slag.NNS, indikator__isnull=False
        )
        .prefetch_related("alternativ")
        .order_by("indikator", "ordning", "id")
    )


def _stapel(fraga: Enkatfraga, ar: int, antal: dict[int, int], grupp_n: int, grans: int) -> Stapel:
    per_alt = tuple(antal.get(a.pk, 0) for a in fraga.alternativ.all())
    n = sum(per_alt)
    if n < grans or grupp_n < grans:
        return Stapel(ar=ar, n=None, antal=None)
    return Stapel(ar=ar, n=n, antal=per_alt)


def indikatorrapport(*, forbund: Forbund, ar: int) -> Indikatorrapport:
    """The report of collection year `ar`: four queries, whatever the number of answers."""
    grans = min_n()
    fragor = _fragor(forbund)
    antal, formular, demo = _svar(forbund, ar)
    # A group's forms: the rounds' handed-in count, or (imported rounds that only have counts
    # per option) the most answered of its questions.
    grupp_n: dict[tuple[int, str], int] = defaultdict(int, formular)
    grupp_for = {f.pk: f.respondentgrupp for f in fragor}
    for (fraga_id, ar_), per_alt in antal.items():
        if fraga_id in grupp_for:
            nyckel = (ar_, grupp_for[fraga_id])
            grupp_n[nyckel] = max(grupp_n[nyckel], sum(per_alt.values()))
    ar_med_svar = sorted({a for (a, _g), n in grupp_n.items() if n and a <= ar})
    ar_lista = tuple(ar_med_svar[-ANTAL_AR:])
    per_indikator: dict[int, list[Fraga]] = defaultdict(list)
    for fraga in fragor:
        staplar = tuple(
            _stapel(fraga, a, antal[(fraga.pk, a)], grupp_n[(a, fraga.respondentgrupp)], grans)
            for a in ar_lista
            if (fraga.pk, a) in antal
        )
        if not staplar and not fraga.aktiv:
            continue
        per_indikator[fraga.indikator or 0].append(
            Fraga(
                id=fraga.pk,
                text=fraga.text,
                respondentgrupp=fraga.respondentgrupp,
                grupp_namn=Respondentgrupp(fraga.respondentgrupp).label
                if fraga.respondentgrupp
                else "Alla",
                alternativ=tuple(a.text for a in fraga.alternativ.all()),
                staplar=staplar,
            )
        )
    indikatorer = tuple(
        Indikator(
            nummer=nr,
            namn=namn,
            fragor=tuple(per_indikator.get(nr, [])),
            not_=NOTER.get(nr, ""),
        )
        for nr, namn in INDIKATORER.items()
    )
    tidigare = [a for a in ar_med_svar if a < ar]
    forra = tidigare[-1] if tidigare else None
    return Indikatorrapport(
        forbund_id=forbund.pk,
        forbund_namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        ar=ar,
        ar_lista=ar_lista,
        antal_svar=sum(n for (a, _g), n in grupp_n.items() if a == ar),
        forra_ar=forra,
        forra_antal=sum(n for (a, _g), n in grupp_n.items() if a == forra) if forra else None,
        grupper=tuple(Gruppsvar(g.value, g.label, grupp_n[(ar, g.value)]) for g in GRUPPER),
        indikatorer=indikatorer,
        demodata=demo,
        min_n=grans,
    )
