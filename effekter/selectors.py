"""What the insatser led to and what it was worth, for one förbund and year (the read side of
issue 13): outcomes per insats against its outcome goal, and the simple socio-economic effect
(`effekter.modell.enkel_effekt`) per insats, for the förbund beside the members' contributions,
and per year over the last years for the board.

`resultat(forbund=…, ar=…)` returns an immutable `Resultat` in a constant number of queries,
however many insatser the förbund has.

Which figures count is the bilaga's rule, read through the same functions: the individinriktade
insatser followed by their participant flow that ran in the year, every monthly report of the
year (`registrering.ledger.arets_flode`, as the bilaga's avslutade), with the months not yet
approved counted and shown (the bilaga is preliminary until they are). An avslut counts in the
outcome category of its avslutsanledning (`Avslutsanledning.kategori`); avslutade without a
reason are "Ej angiven". The share to arbete/studier is of all avslutade.

The outcome goal's status uses the goal page's rule (`rapporter.malstatus.status_for`) on the
exact share: "Inget mål" without a goal for the year, "Inga avslut än" with no avslutade yet.

The effect is an estimate for a group, never for one person: the number who went to arbete or
studier times what the key figures say a person outside work costs per year. The year's key
figures are the förbund's own (`Effektnyckeltal`), or the catalogue's defaults when the förbund
has none for the year (`registrering.effektkatalog.ENKEL`); `Nyckeltalskalla.egna` says which.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from effekter.modell import EnkelEffekt, effekt_per_bidragskrona, enkel_effekt, kronor, tkr
from rapporter import arscache
from rapporter.arsdata import procent
from rapporter.malstatus import status_for
from registrering import effektkatalog, ledger
from registrering.models import (
    AvslutadePerAnledning,
    Avslutsanledning,
    Effektnyckeltal,
    Forbund,
    Insats,
    Utfallsmal,
    Verksamhetsplan,
)
from registrering.selectors import i_rapportordning
from registrering.talformat import decimaltal, tal

Kategori = Avslutsanledning.Kategori
TILL_ARBETE_STUDIER = (Kategori.ARBETE, Kategori.STUDIER)
INGET_MAL = "Inget mål"
INGA_AVSLUT = "Inga avslut än"
#: How many years the board's series covers, this year included.
ANTAL_AR = 5


def _kr(belopp: int) -> str:
    """ "11 148 000 kr", as `effekter.modell` writes its computations."""
    return f"{tal(belopp)} kr"


@dataclass(frozen=True)
class Nyckeltalskalla:
    """The simple model's key figures used for a year, and where they come from."""

    ar: int
    kostnad_per_manad: int
    skatt_per_manad: int
    kalla: str
    kalla_datum: dt.date | None
    egna: bool  # the förbund's own for the year; False: the catalogue's defaults

    @property
    def beskrivning(self) -> str:
        if self.egna:
            return f"förbundets nyckeltal för {self.ar}"
        return f"standardvärdena (förbundet har inga egna nyckeltal för {self.ar})"

    def effekt(self, antal: int) -> EnkelEffekt:
        return enkel_effekt(
            antal, kostnad_per_manad=self.kostnad_per_manad, skatt_per_manad=self.skatt_per_manad
        )


@dataclass(frozen=True)
class Kategoriantal:
    kategori: str
    namn: str
    antal: int


def _till_arbete_studier(kategorier: Sequence[Kategoriantal]) -> int:
    return sum(k.antal for k in kategorier if k.kategori in TILL_ARBETE_STUDIER)


@dataclass(frozen=True)
class Insatsutfall:
    """One insats's avslutade of the year by outcome category, against its outcome goal."""

    insats_id: int
    namn: str
    avslutade: int
    kategorier: tuple[Kategoriantal, ...]  # every category, in the model's order
    mal_procent: int | None
    effekt: EnkelEffekt
    ej_godkanda: int  # months reported but not approved yet

    @property
    def till_arbete_studier(self) -> int:
        return _till_arbete_studier(self.kategorier)

    @property
    def ej_angiven(self) -> int:
        return max(self.avslutade - sum(k.antal for k in self.kategorier), 0)

    @property
    def andel(self) -> int | None:
        """Whole percent of the avslutade who went to arbete or studier."""
        return procent(self.till_arbete_studier, self.avslutade)

    @property
    def status(self) -> str:
        if self.mal_procent is None:
            return INGET_MAL
        if not self.avslutade:
            return INGA_AVSLUT
        # The exact share: 34,6 % is below a 35 % goal even though it is shown as 35 %.
        return status_for(
            Decimal(self.till_arbete_studier) * 100 / self.avslutade, self.mal_procent
        )

    @property
    def utfall_text(self) -> str:
        """ "42 av 74 avslutade till arbete/studier (57 %)"."""
        if not self.avslutade:
            return INGA_AVSLUT
        return (
            f"{tal(self.till_arbete_studier)} av {tal(self.avslutade)} avslutade till "
            f"arbete/studier ({self.andel}\xa0%)"
        )


@dataclass(frozen=True)
class Arsresultat:
    """The förbund's year: how many went to arbete/studier, the effect and the contributions."""

    ar: int
    avslutade: int
    till_arbete_studier: int
    nyckeltal: Nyckeltalskalla
    bidrag: int | None  # Verksamhetsplan.tilldelning, kronor; None without a plan
    ej_godkanda: int

    @property
    def effekt(self) -> EnkelEffekt:
        return self.nyckeltal.effekt(self.till_arbete_studier)

    @property
    def andel(self) -> int | None:
        return procent(self.till_arbete_studier, self.avslutade)

    @property
    def bidrag_tkr(self) -> str | None:
        return None if self.bidrag is None else tkr(self.bidrag)

    @property
    def per_bidragskrona(self) -> Decimal | None:
        return effekt_per_bidragskrona(self.effekt.belopp, self.bidrag or 0)

    @property
    def per_bidragskrona_kr(self) -> str:
        """ "0,31 kr"; "–" without a contribution."""
        if (per_krona := self.per_bidragskrona) is None:
            return "–"
        return f"{decimaltal(per_krona)} kr"

    @property
    def per_bidragskrona_text(self) -> str:
        """ "3 499 200 kr ÷ 11 148 000 kr = 0,31 kr per bidragskrona"."""
        if self.bidrag is None:
            return f"Ingen tilldelning är registrerad för {self.ar}."
        if self.per_bidragskrona is None:
            return f"Tilldelningen för {self.ar} är 0 kr: ingen effekt per bidragskrona."
        return (
            f"{_kr(self.effekt.belopp)} ÷ {_kr(self.bidrag)} = "
            f"{self.per_bidragskrona_kr} per bidragskrona"
        )


@dataclass(frozen=True)
class Resultat:
    forbund_namn: str
    kortnamn: str
    ar: int
    insatser: tuple[Insatsutfall, ...]
    forbundet: Arsresultat  # this year's total
    per_ar: tuple[Arsresultat, ...]  # the years with monthly reports, oldest first
    fran_ar: int  # the first year the series looks at

    @property
    def nyckeltal(self) -> Nyckeltalskalla:
        return self.forbundet.nyckeltal

    @property
    def kategorier(self) -> tuple[tuple[str, str], ...]:
        return tuple(Kategori.choices)

    @property
    def ej_angiven(self) -> int:
        return sum(i.ej_angiven for i in self.insatser)

    @property
    def kategorisummor(self) -> tuple[Kategoriantal, ...]:
        return tuple(
            Kategoriantal(k, namn, sum(i.kategorier[n].antal for i in self.insatser))
            for n, (k, namn) in enumerate(Kategori.choices)
        )

    @property
    def med_mal(self) -> tuple[Insatsutfall, ...]:
        return tuple(i for i in self.insatser if i.mal_procent is not None)

    @property
    def tom(self) -> bool:
        return not self.insatser

    @property
    def har_rapporter(self) -> bool:
        """Whether the year has monthly reports: without them its outcome is not zero but
        unknown, and the page says so instead of showing zeros."""
        return any(a.ar == self.ar for a in self.per_ar)


def resultat(
    *,
    forbund: Forbund,
    ar: int,
    antal_ar: int = ANTAL_AR,
    arets_flodesinsatser: Sequence[Insats] | None = None,
    arets_planer: Mapping[int, Verksamhetsplan] | None = None,
    arets_flode: Mapping[int, Mapping[str, int]] | None = None,
    versioner: Mapping[int, int] | None = None,
) -> Resultat:
    """Outcomes and effects of `forbund` in `ar`, and the förbund's effect in each of the last
    `antal_ar` years that have monthly reports (a constant number of queries).

    The earlier years' figures are kept by their own data version (`rapporter.arscache`): a
    write to `ar` recomputes `ar` alone. `arets_flodesinsatser`: the förbund's deltagarflöde
    insatser active in `ar`, when the caller has read them (then `ar` alone reads no insatser);
    `arets_planer`: its verksamhetsplaner by year, `ar`'s among them, likewise (no query for
    the contribution); `arets_flode`: `ledger.arets_flode` of those insatser, likewise;
    `versioner`: the data versions of the earlier years (`arscache.per_ar`), likewise."""
    ar_lista = list(range(ar - antal_ar + 1, ar + 1))
    insatser: list[Insatsutfall] = []

    def berakna(aren: list[int]) -> dict[int, tuple[Arsresultat, bool]]:
        aret, utfall = _arens_resultat(
            forbund, aren, ar, arets_flodesinsatser, arets_planer, arets_flode
        )
        insatser.extend(utfall)
        return aret

    arsresultat = arscache.per_ar(
        "effekter.arsresultat",
        forbund.pk,
        ar_lista[:-1],
        berakna,
        dessutom=[ar],
        versioner=versioner,
    )
    return Resultat(
        forbund_namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        ar=ar,
        insatser=tuple(insatser),
        forbundet=arsresultat[ar][0],
        per_ar=tuple(arsresultat[year][0] for year in ar_lista if arsresultat[year][1]),
        fran_ar=ar_lista[0],
    )


def _arens_resultat(
    forbund: Forbund,
    aren: Sequence[int],
    ar: int,
    arets_flodesinsatser: Sequence[Insats] | None = None,
    arets_planer: Mapping[int, Verksamhetsplan] | None = None,
    arets_flode: Mapping[int, Mapping[str, int]] | None = None,
) -> tuple[dict[int, tuple[Arsresultat, bool]], list[Insatsutfall]]:
    """Per year of `aren`: the förbund's `Arsresultat` and whether the year has monthly reports;
    and, when `ar` is one of them, its outcomes per insats (six queries; for `ar` alone one
    fewer with each of `arets_flodesinsatser`, `arets_planer` and `arets_flode`)."""
    fraga = Insats.objects.filter(forbund=forbund).deltagarflode()
    fraga = fraga.aktiva_under_aren(min(aren), max(aren))
    bara_ar = list(aren) == [ar]
    if arets_flodesinsatser is not None and bara_ar:
        alla = i_rapportordning(arets_flodesinsatser)
    else:
        alla = i_rapportordning(fraga)
    per_ar = {year: [i for i in alla if i.aktiv_under(year)] for year in aren}
    # The same insatser as a subquery (`ledger.insats_idn`): no list of ids to prepare.
    ids = fraga.values_list("pk", flat=True)
    floden: Mapping[int, Mapping[int, Mapping[str, int]]]
    if arets_flode is not None and bara_ar:
        floden = {ar: arets_flode}
    else:
        floden = ledger.arens_flode(ids, aren)
    kategorier = avslut_per_kategori(ids, aren)
    nyckeltal = _nyckeltal(forbund, aren)
    if arets_planer is not None and bara_ar:
        tilldelningar = [(ar, arets_planer[ar].tilldelning)] if ar in arets_planer else []
    else:
        tilldelningar = list(
            Verksamhetsplan.objects.filter(forbund=forbund, ar__in=aren).values_list(
                "ar", "tilldelning"
            )
        )
    bidrag = {year: kronor(tilldelning) for year, tilldelning in tilldelningar}
    insatser = []
    if ar in aren:
        mal = dict(
            Utfallsmal.objects.filter(insats__forbund=forbund, ar=ar).values_list(
                "insats_id", "procent"
            )
        )
        # One effect per count (it is frozen): 300 insatser share few counts.
        effekter: dict[int, EnkelEffekt] = {}
        insatser = [
            _insatsutfall(
                i, floden[ar].get(i.pk, {}), kategorier[(i.pk, ar)], mal, nyckeltal[ar], effekter
            )
            for i in per_ar[ar]
        ]
    return {
        year: (
            _arsresultat(year, per_ar[year], floden[year], kategorier, nyckeltal, bidrag),
            any(floden[year].get(i.pk, {}).get("rapporterade") for i in per_ar[year]),
        )
        for year in aren
    }, insatser


def avslut_per_kategori(
    ids: Iterable[int], ar_lista: Sequence[int], *, bara_godkanda: bool = False
) -> Mapping[tuple[int, int], tuple[Kategoriantal, ...]]:
    """Per (insats, år): the avslutade of the year's monthly reports per outcome category, every
    category in the model's order (one query). With `bara_godkanda` only the approved months
    count (a group's joint report, `samverkan.selectors`)."""
    antal: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    avslut = AvslutadePerAnledning.objects.filter(
        rapport__insats_id__in=ids, rapport__ar__in=ar_lista
    )
    if bara_godkanda:
        avslut = avslut.filter(rapport__status__in=ledger.GODKANDA_STATUSAR)
    for insats_id, ar, kategori, summa in (
        avslut.values("rapport__insats_id", "rapport__ar", "anledning__kategori")
        .annotate(summa=Sum("antal"))
        .values_list("rapport__insats_id", "rapport__ar", "anledning__kategori", "summa")
    ):
        antal[(insats_id, ar)][kategori] = summa

    kategorier = Kategori.choices  # built anew on each access: once, not once per insats and år
    # One Kategoriantal per category and count, shared (it is frozen): 300 insatser repeat them.
    delade: dict[tuple[str, int], Kategoriantal] = {}

    def ett(k: str, namn: str, n: int) -> Kategoriantal:
        if (delat := delade.get((k, n))) is None:
            delat = delade[(k, n)] = Kategoriantal(k, namn, n)
        return delat

    def rad(per_kategori: Mapping[str, int]) -> tuple[Kategoriantal, ...]:
        return tuple(ett(k, namn, per_kategori.get(k, 0)) for k, namn in kategorier)

    tom = rad({})
    return defaultdict(lambda: tom, {nyckel: rad(v) for nyckel, v in antal.items()})


def _nyckeltal(forbund: Forbund, ar_lista: Sequence[int]) -> dict[int, Nyckeltalskalla]:
    """Each year's key figures: the förbund's own, else the catalogue's (one query)."""
    per_forbund = nyckeltal_per_forbund([forbund.pk], ar_lista)
    return {year: per_forbund[(forbund.pk, year)] for year in ar_lista}


def nyckeltal_per_forbund(
    forbund_ids: Sequence[int], ar_lista: Sequence[int]
) -> dict[tuple[int, int], Nyckeltalskalla]:
    """Per (förbund, år): the year's key figures of the simple model, the förbund's own, else
    the catalogue's (one query however many förbund)."""
    egna = {
        (n.forbund_id, n.ar): n
        for n in Effektnyckeltal.objects.filter(forbund_id__in=forbund_ids, ar__in=ar_lista)
    }
    k = effektkatalog.ENKEL
    result = {}
    for forbund_id in forbund_ids:
        for year in ar_lista:
            if (n := egna.get((forbund_id, year))) is not None:
                result[(forbund_id, year)] = Nyckeltalskalla(
                    year, n.kostnad_per_manad, n.skatt_per_manad, n.kalla, n.kalla_datum, egna=True
                )
            else:
                result[(forbund_id, year)] = Nyckeltalskalla(
                    year, k.kostnad_per_manad, k.skatt_per_manad, k.kalla, None, egna=False
                )
    return result


def _ej_godkanda(flode: Mapping[str, int]) -> int:
    return (flode.get("rapporterade") or 0) - (flode.get("godkanda") or 0)


def _insatsutfall(
    insats: Insats,
    flode: Mapping[str, int],
    kategorier: tuple[Kategoriantal, ...],
    mal: Mapping[int, int],
    nyckeltal: Nyckeltalskalla,
    effekter: dict[int, EnkelEffekt],
) -> Insatsutfall:
    """`effekter`: the effects made so far per count, shared by the year's insatser."""
    antal = _till_arbete_studier(kategorier)
    if (effekt := effekter.get(antal)) is None:
        effekt = effekter[antal] = nyckeltal.effekt(antal)
    return Insatsutfall(
        insats_id=insats.pk,
        namn=insats.namn,
        avslutade=(flode.get("ak") or 0) + (flode.get("am") or 0),
        kategorier=kategorier,
        mal_procent=mal.get(insats.pk),
        effekt=effekt,
        ej_godkanda=_ej_godkanda(flode),
    )


def _arsresultat(
    ar: int,
    insatser: Sequence[Insats],
    floden: Mapping[int, Mapping[str, int]],
    kategorier: Mapping[tuple[int, int], tuple[Kategoriantal, ...]],
    nyckeltal: Mapping[int, Nyckeltalskalla],
    bidrag: Mapping[int, int],
) -> Arsresultat:
    return Arsresultat(
        ar=ar,
        avslutade=sum(
            (floden.get(i.pk, {}).get("ak") or 0) + (floden.get(i.pk, {}).get("am") or 0)
            for i in insatser
        ),
        till_arbete_studier=sum(_till_arbete_studier(kategorier[(i.pk, ar)]) for i in insatser),
        nyckeltal=nyckeltal[ar],
        bidrag=bidrag.get(ar),
        ej_godkanda=sum(_ej_godkanda(floden.get(i.pk, {})) for i in insatser),
    )
