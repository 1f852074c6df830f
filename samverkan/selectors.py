"""The joint report of a group of förbund for a year (issue 14, point 4; seeds 002 and 004).

`samverkansrapport(grupp=…, ar=…)` returns an immutable `Samverkansrapport` in a constant number
of queries, however many förbund and insatser the group has. Charts, templates and the PDF only
read that object.

What counts:
- **Only approved months** (`ledger.GODKANDA_STATUSAR`): a samordnare never sees a single
  förbund's unapproved figures. The flow sums, the balances carried from earlier years and the
  avslut per outcome category all read approved months only; how many months of a förbund are
  reported but not approved is named (a count of months, no figures).
- **Each insats once, by its owning förbund**: the insatser and their figures are
  `rapporter.samfinansiering.gemensamma_insatser`'s, where an insats co-financed by several
  förbund (issue 14, point 3) counts with its owner only. Its co-financiers are named; an
  insats run outside the group that a förbund of the group co-finances is listed, not
  counted.
- **Yearly totals**: a year without any monthly report of an insats takes its `Arstotal` (a
  year brought in from before the product, issue 14 point 2), as the bilaga does. A yearly
  total counts as approved: it is the förbund's final figures. It has no avslutsanledning
  (nothing to arbete/studier) and may lack the gender split (`Kon.utan_kon`); the report names
  such insatser (`arstotaler`, `utan_kon`).
- Deltagare = ingående balans + nya (DOMAIN.md) of the individinriktade insatser followed by
  their participant flow that ran in the year; to arbete/studier = avslut whose
  avslutsanledning has the outcome category Arbete or Studier; the socio-economic effect is
  the simple model's (`effekter.selectors.Nyckeltalskalla`), with each förbund's own key
  figures for the year or the catalogue's.
- Medlemsbidrag = the year's `Verksamhetsplan.tilldelning`.
- Eget kapital at 31/12 of a year is the eget kapital 1/1 of the next year's verksamhetsplan;
  the year's result is the difference from its own 1/1. The cap is the goal page's
  (`rapporter.mal_ekonomi.kapitaltak`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from effekter.modell import EnkelEffekt, kronor, tkr
from effekter.selectors import (
    TILL_ARBETE_STUDIER,
    Kategoriantal,
    Nyckeltalskalla,
    avslut_per_kategori,
    nyckeltal_per_forbund,
)
from rapporter.arsdata import lista, procent
from rapporter.mal_ekonomi import KAPITALTAK_AR, kapitaltak, kapitaltak_underlag
from rapporter.samfinansiering import GemensamInsats, gemensamma_insatser
from registrering import ledger, regler
from registrering.ledger import Kon
from registrering.models import Forbund, Forbundsgrupp, Insats, Verksamhetsplan

#: How many years Tabell 3 and the eget kapital cover, this year included (seed 002: 7).
KAPITAL_AR = 7
EJ_ANGIVEN = "Ej angiven"
Inriktning = Insats.Inriktning
Preciserad = Insats.PreciseradInriktning


@dataclass(frozen=True)
class Forbundsrad:
    """One förbund's year in the joint report (seed 004's table, one column)."""

    forbund_id: int
    namn: str
    kortnamn: str
    medlemsbidrag: int | None  # kronor; None without a verksamhetsplan for the year
    deltagare: Kon
    nya: Kon
    avslutade: Kon
    till_arbete_studier: int
    nyckeltal: Nyckeltalskalla
    ej_godkanda_manader: int  # reported months not approved yet: not counted

    @property
    def effekt(self) -> EnkelEffekt:
        return self.nyckeltal.effekt(self.till_arbete_studier)

    @property
    def andel_arbete_studier(self) -> int | None:
        return procent(self.till_arbete_studier, self.avslutade.totalt)

    @property
    def medlemsbidrag_tkr(self) -> str:
        return "–" if self.medlemsbidrag is None else tkr(self.medlemsbidrag)


def _tkr(belopp: Decimal | None) -> str:
    """ "1 484" (tkr, half up); "–" when not known."""
    return "–" if belopp is None else tkr(belopp)


@dataclass(frozen=True)
class Inriktningsrad:
    """Insatser and deltagare of one preciserad inriktning (seed 002, Tabell 1 and 2)."""

    inriktning: str
    nyckel: str  # Insats.PreciseradInriktning, or "" for none given
    namn: str
    insatser: int
    andel: int | None  # % of the inriktning's insatser
    deltagare: Kon  # individinriktade with participant flow: split by gender
    volymdeltagare: int  # volyminsatser counted in deltagare: no gender split


@dataclass(frozen=True)
class Kapitalar:
    """One förbund's eget kapital in one year against its cap."""

    ar: int
    ingaende: Decimal | None  # 1/1, from the year's verksamhetsplan
    utgaende: Decimal | None  # 31/12: 1/1 of the next year's verksamhetsplan
    tak: Decimal | None  # None without a verksamhetsplan for the year

    @property
    def resultat(self) -> Decimal | None:
        if self.ingaende is None or self.utgaende is None:
            return None
        return self.utgaende - self.ingaende

    @property
    def over_tak(self) -> bool | None:
        if self.utgaende is None or self.tak is None:
            return None
        return self.utgaende > self.tak

    @property
    def status(self) -> str:
        if self.over_tak is None:
            return "–"
        return "Över taket" if self.over_tak else "Under taket"

    @property
    def utgaende_tkr(self) -> str:
        return _tkr(self.utgaende)

    @property
    def tak_tkr(self) -> str:
        return _tkr(self.tak)

    @property
    def resultat_tkr(self) -> str:
        return _tkr(self.resultat)


@dataclass(frozen=True)
class Kapitalserie:
    forbund_id: int
    namn: str
    ar: tuple[Kapitalar, ...]


@dataclass(frozen=True)
class Tabell3Kolumn:
    """The group's year in Tabell 3: the sums over the förbund that have the figure."""

    ar: int
    resultat: Decimal | None
    utgaende: Decimal | None
    med_resultat: int  # how many förbund the result is summed over
    med_utgaende: int

    @property
    def resultat_tkr(self) -> str:
        return _tkr(self.resultat)

    @property
    def utgaende_tkr(self) -> str:
        return _tkr(self.utgaende)


@dataclass(frozen=True)
class Samverkansrapport:
    grupp_id: int
    grupp_namn: str
    grupp_kortnamn: str
    ar: int
    forbund: tuple[Forbundsrad, ...]
    individ: tuple[Inriktningsrad, ...]
    struktur: tuple[Inriktningsrad, ...]
    kapital: tuple[Kapitalserie, ...]
    tabell3: tuple[Tabell3Kolumn, ...]
    # The group's insatser that others co-finance (counted once, with their owner), and those
    # a förbund of the group co-finances but a förbund outside it runs (listed, not counted).
    samfinansierade: tuple[GemensamInsats, ...] = ()
    utanfor: tuple[GemensamInsats, ...] = ()
    # The group's insatser whose figures of the year are a yearly total, not months.
    arstotaler: tuple[GemensamInsats, ...] = ()

    @property
    def arstotal_namn(self) -> tuple[str, ...]:
        """ "Jobbspåret (Höglandets samordningsförbund)" per insats with a yearly total."""
        return tuple(f"{i.namn} ({i.agare_namn})" for i in self.arstotaler)

    @property
    def utan_kon(self) -> tuple[str, ...]:
        """The same for the yearly totals without the gender split."""
        return tuple(f"{i.namn} ({i.agare_namn})" for i in self.arstotaler if i.utan_kon)

    @property
    def arstotal_kallor(self) -> str:
        return lista(sorted({i.arstotal_kalla for i in self.arstotaler} - {""}))

    @property
    def antal_forbund(self) -> int:
        return len(self.forbund)

    @property
    def medlemsbidrag(self) -> int:
        return sum(f.medlemsbidrag or 0 for f in self.forbund)

    @property
    def deltagare(self) -> Kon:
        return Kon.summa(f.deltagare for f in self.forbund)

    @property
    def nya(self) -> Kon:
        return Kon.summa(f.nya for f in self.forbund)

    @property
    def avslutade(self) -> Kon:
        return Kon.summa(f.avslutade for f in self.forbund)

    @property
    def till_arbete_studier(self) -> int:
        return sum(f.till_arbete_studier for f in self.forbund)

    @property
    def andel_arbete_studier(self) -> int | None:
        return procent(self.till_arbete_studier, self.avslutade.totalt)

    @property
    def effekt(self) -> int:
        """The group's effect in kronor: the sum of each förbund's (each with its key figures)."""
        return sum(f.effekt.belopp for f in self.forbund)

    @property
    def effekt_tkr(self) -> str:
        return tkr(self.effekt)

    @property
    def medlemsbidrag_tkr(self) -> str:
        return tkr(self.medlemsbidrag)

    @property
    def ej_godkanda_manader(self) -> int:
        return sum(f.ej_godkanda_manader for f in self.forbund)

    @property
    def individ_totalt(self) -> Inriktningsrad:
        return _summerad(Inriktning.INDIVID, self.individ)

    @property
    def struktur_totalt(self) -> Inriktningsrad:
        return _summerad(Inriktning.STRUKTUR, self.struktur)

    @property
    def kapital_ar(self) -> tuple[int, ...]:
        return tuple(k.ar for k in self.tabell3)


def _summerad(inriktning: str, rader: Sequence[Inriktningsrad]) -> Inriktningsrad:
    antal = sum(r.insatser for r in rader)
    return Inriktningsrad(
        inriktning=inriktning,
        nyckel="",
        namn="Totalt",
        insatser=antal,
        andel=100 if antal else None,
        deltagare=Kon.summa(r.deltagare for r in rader),
        volymdeltagare=sum(r.volymdeltagare for r in rader),
    )


def samverkansrapport(*, grupp: Forbundsgrupp, ar: int) -> Samverkansrapport:
    """The group's joint report for `ar` (a dozen queries, whatever the group's size)."""
    forbund = sorted(grupp.forbund.all(), key=lambda f: f.namn)
    forbund_ids = [f.pk for f in forbund]
    gemensamma = gemensamma_insatser(forbund_ids=forbund_ids, ar=ar)
    insatser = gemensamma.egna
    flodes_ids = [i.insats_id for i in insatser if i.deltagarflode]
    flode = ledger.arets_flode([i.insats_id for i in insatser], ar, bara_godkanda=True)
    kategorier = avslut_per_kategori(flodes_ids, [ar], bara_godkanda=True)
    nyckeltal = nyckeltal_per_forbund(forbund_ids, [ar])
    planer = {
        (p.forbund_id, p.ar): p
        for p in Verksamhetsplan.objects.filter(
            forbund_id__in=forbund_ids,
            ar__gt=ar - KAPITAL_AR - KAPITALTAK_AR + 1,
            ar__lte=ar + 1,
        )
    }
    per_agare = gemensamma.per_agare()
    rader = tuple(
        _forbundsrad(
            f,
            per_agare.get(f.pk, ()),
            flode,
            kategorier,
            nyckeltal[(f.pk, ar)],
            planer.get((f.pk, ar)),
        )
        for f in forbund
    )
    kapital = tuple(_kapitalserie(f, ar, planer) for f in forbund)
    return Samverkansrapport(
        grupp_id=grupp.pk,
        grupp_namn=grupp.namn,
        grupp_kortnamn=grupp.kortnamn,
        ar=ar,
        forbund=rader,
        individ=_inriktningsrader(Inriktning.INDIVID, insatser, flode),
        struktur=_inriktningsrader(Inriktning.STRUKTUR, insatser, flode),
        kapital=kapital,
        tabell3=_tabell3(kapital),
        samfinansierade=tuple(i for i in insatser if i.samfinansierad),
        utanfor=gemensamma.utanfor,
        arstotaler=tuple(i for i in insatser if i.arstotal),
    )


def _forbundsrad(
    forbund: Forbund,
    insatser: Sequence[GemensamInsats],
    flode: Mapping[int, Mapping[str, int]],
    kategorier: Mapping[tuple[int, int], Sequence[Kategoriantal]],
    nyckeltal: Nyckeltalskalla,
    plan: Verksamhetsplan | None,
) -> Forbundsrad:
    """The förbund's own insatser (those it runs; co-financed ones count with their owner)."""
    flodes = [i for i in insatser if i.deltagarflode]
    till = sum(
        k.antal
        for i in flodes
        for k in kategorier[(i.insats_id, nyckeltal.ar)]
        if k.kategori in TILL_ARBETE_STUDIER
    )
    ej_godkanda = sum(
        (flode.get(i.insats_id, {}).get("rapporterade") or 0)
        - (flode.get(i.insats_id, {}).get("godkanda") or 0)
        for i in insatser
    )
    return Forbundsrad(
        forbund_id=forbund.pk,
        namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        medlemsbidrag=None if plan is None else kronor(plan.tilldelning),
        deltagare=Kon.summa(i.deltagare for i in flodes),
        nya=Kon.summa(i.nya for i in flodes),
        avslutade=Kon.summa(i.avslutade for i in flodes),
        till_arbete_studier=till,
        nyckeltal=nyckeltal,
        ej_godkanda_manader=ej_godkanda,
    )


def _inriktningsrader(
    inriktning: str,
    insatser: Sequence[GemensamInsats],
    flode: Mapping[int, Mapping[str, int]],
) -> tuple[Inriktningsrad, ...]:
    """Every preciserad inriktning of the inriktning in Uppföljning Finsam's order (and "Ej
    angiven" when some insats has none)."""
    egna = [i for i in insatser if i.inriktning == inriktning]
    giltiga = regler.preciserade_for(inriktning)
    nycklar = [p.value for p in Preciserad if p.value in giltiga]
    if any(i.preciserad_inriktning not in giltiga for i in egna):
        nycklar.append("")
    per_nyckel: dict[str, list[GemensamInsats]] = defaultdict(list)
    for i in egna:
        per_nyckel[i.preciserad_inriktning if i.preciserad_inriktning in giltiga else ""].append(i)
    return tuple(
        Inriktningsrad(
            inriktning=inriktning,
            nyckel=nyckel,
            namn=Preciserad(nyckel).label if nyckel else EJ_ANGIVEN,
            insatser=len(per_nyckel[nyckel]),
            andel=procent(len(per_nyckel[nyckel]), len(egna)),
            deltagare=Kon.summa(i.deltagare for i in per_nyckel[nyckel] if i.deltagarflode),
            volymdeltagare=sum(_volymdeltagare(i, flode) for i in per_nyckel[nyckel]),
        )
        for nyckel in nycklar
    )


def _volymdeltagare(insats: GemensamInsats, flode: Mapping[int, Mapping[str, int]]) -> int:
    """A volyminsats's approved deltagare of the year (occasions are not people: 0). For
    'unika individer under året' the months carry the count so far and a sum would count
    people again: such insatser count 0 here, and the page says which units count."""
    if insats.volymenhet != Insats.Volymenhet.DELTAGARE:
        return 0
    if insats.arstotal:
        return insats.arstotal_volym or 0
    return flode.get(insats.insats_id, {}).get("volym_summa") or 0


def _kapitalserie(
    forbund: Forbund, ar: int, planer: Mapping[tuple[int, int], Verksamhetsplan]
) -> Kapitalserie:
    rader = []
    for year in range(ar - KAPITAL_AR + 1, ar + 1):
        plan, nasta = planer.get((forbund.pk, year)), planer.get((forbund.pk, year + 1))
        tak = None
        if plan is not None:
            fonster = {
                y: p
                for (f, y), p in planer.items()
                if f == forbund.pk and year - KAPITALTAK_AR < y <= year
            }
            tak = kapitaltak(plan.kapitaltak_procent, kapitaltak_underlag(plan, fonster))
        rader.append(
            Kapitalar(
                ar=year,
                ingaende=None if plan is None else plan.eget_kapital_ingaende,
                utgaende=None if nasta is None else nasta.eget_kapital_ingaende,
                tak=tak,
            )
        )
    return Kapitalserie(forbund.pk, forbund.namn, tuple(rader))


def _tabell3(kapital: Sequence[Kapitalserie]) -> tuple[Tabell3Kolumn, ...]:
    if not kapital:
        return ()
    kolumner = []
    for n, year in enumerate(k.ar for k in kapital[0].ar):
        arets = [serie.ar[n] for serie in kapital]
        resultat = [a.resultat for a in arets if a.resultat is not None]
        utgaende = [a.utgaende for a in arets if a.utgaende is not None]
        kolumner.append(
            Tabell3Kolumn(
                ar=year,
                resultat=sum(resultat, Decimal(0)) if resultat else None,
                utgaende=sum(utgaende, Decimal(0)) if utgaende else None,
                med_resultat=len(resultat),
                med_utgaende=len(utgaende),
            )
        )
    return tuple(kolumner)
