"""The one place that computes a year's participant flow, following DOMAIN.md's rules.

`arsdata(forbund=…, ar=…)` returns an immutable `Arsdata` in a constant number of queries,
however many insatser the förbund has. Templates, charts and the PDF only read that object.

The rules, per insats and gender:
- deltagare totalt = ingående balans + Σ nya
- pågående 31/12  = ingående balans + Σ nya − Σ avslutade + Σ justeringar,
  shown as "–" (None) for an insats that ended during the year and left out of the total
- the ingående balans is the row entered for the year, else the previous year's closing balance
  (from monthly data, or from the yearly totals of years before the product), else 0
- huvudman distribution = ingående balans by huvudman + nya by huvudman
- a volume in 'unika individer under året' is the year's latest count, not a sum of months
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from registrering.models import (
    Arstotal,
    AvslutadePerAnledning,
    Avslutsanledning,
    Forbund,
    Huvudman,
    IngaendeBalans,
    IngaendeBalansHuvudman,
    Insats,
    Justering,
    Manadsrapport,
    NyaPerHuvudman,
)

EJ_ANGIVEN = "Ej angiven"
ALLMAN = "Allmän"
GODKANDA = (Manadsrapport.Status.GODKAND, Manadsrapport.Status.REGISTRERAD)


@dataclass(frozen=True)
class Kon:
    """A count split by legal gender."""

    kvinnor: int = 0
    man: int = 0

    @property
    def totalt(self) -> int:
        return self.kvinnor + self.man

    def __add__(self, other: Kon) -> Kon:
        return Kon(self.kvinnor + other.kvinnor, self.man + other.man)

    def __sub__(self, other: Kon) -> Kon:
        return Kon(self.kvinnor - other.kvinnor, self.man - other.man)

    @classmethod
    def summa(cls, values: Iterable[Kon]) -> Kon:
        total = cls()
        for value in values:
            total = total + value
        return total


def procent(del_: int, helhet: int) -> int | None:
    """Whole percent, rounded half up as people do by hand ("36 %"); None for an empty total."""
    if helhet == 0:
        return None
    return int((Decimal(del_) * 100 / Decimal(helhet)).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class Andel:
    namn: str
    antal: int
    procent: int | None


@dataclass(frozen=True)
class InsatsFlode:
    """One deltagarflöde insats's year."""

    insats_id: int
    namn: str
    grupp: str | None
    avslutad: bool
    ingaende: Kon
    ingaende_bekraftad: bool
    nya: Kon
    avslutade: Kon
    justering: Kon
    huvudman: tuple[Andel, ...]
    avslut_per_anledning: Mapping[int, int]
    rapporterade_manader: int
    godkanda_manader: int

    @property
    def deltagare_totalt(self) -> Kon:
        return self.ingaende + self.nya

    @property
    def berakat_pagaende(self) -> Kon:
        """Pågående 31/12 by the flow and the justeringar, also for an insats that ended."""
        return self.ingaende + self.nya - self.avslutade + self.justering

    @property
    def pagaende(self) -> Kon | None:
        return None if self.avslutad else self.berakat_pagaende


@dataclass(frozen=True)
class AvslutKlass:
    """Avslutade split into 1:a (according to plan) and 2:a (other reasons)."""

    namn: str
    totalt: int
    forsta: int
    andra: int

    @property
    def ej_angiven(self) -> int:
        return self.totalt - self.forsta - self.andra

    @property
    def procent_forsta(self) -> int | None:
        return procent(self.forsta, self.totalt)

    @property
    def procent_andra(self) -> int | None:
        return procent(self.andra, self.totalt)


@dataclass(frozen=True)
class AvslutUppsattning:
    """The avslutade of the insatser that use one set of reasons (e.g. ISA), per reason."""

    namn: str
    totalt: int
    rader: tuple[Andel, ...]

    @property
    def ej_angiven(self) -> int:
        return self.totalt - sum(rad.antal for rad in self.rader)


@dataclass(frozen=True)
class VolymRad:
    insats_id: int
    namn: str
    enhet: str
    enhet_namn: str
    inriktning: str
    volym: int
    rapporterade_manader: int
    godkanda_manader: int

    @property
    def enhet_etikett(self) -> str:
        """The unit as the bilaga names it: unique individuals are 'Deltagare' there."""
        return "Tillfällen" if self.enhet == Insats.Volymenhet.TILLFALLEN else "Deltagare"


@dataclass(frozen=True)
class JusteringRad:
    insats_namn: str
    manad: int
    kvinnor: int
    man: int
    anledning: str
    skapad_av: str
    skapad_tid: dt.datetime


@dataclass(frozen=True)
class Arsdata:
    forbund_id: int
    forbund_namn: str
    kortnamn: str
    ar: int
    insatser: tuple[InsatsFlode, ...]
    volym: tuple[VolymRad, ...]
    huvudman: tuple[Andel, ...]
    avslut_klasser: tuple[AvslutKlass, ...]
    avslut_uppsattningar: tuple[AvslutUppsattning, ...]
    justeringar: tuple[JusteringRad, ...] = field(default=())

    @property
    def deltagare_totalt(self) -> Kon:
        return Kon.summa(i.deltagare_totalt for i in self.insatser)

    @property
    def paborjade(self) -> Kon:
        return Kon.summa(i.nya for i in self.insatser)

    @property
    def avslutade(self) -> Kon:
        return Kon.summa(i.avslutade for i in self.insatser)

    @property
    def pagaende(self) -> Kon:
        return Kon.summa(i.pagaende for i in self.insatser if i.pagaende is not None)

    @property
    def volym_struktur_totalt(self) -> int:
        return sum(v.volym for v in self.volym if v.inriktning == Insats.Inriktning.STRUKTUR)

    @property
    def volym_individ_totalt(self) -> int:
        return sum(v.volym for v in self.volym if v.inriktning == Insats.Inriktning.INDIVID)

    def avslut_klass(self, namn: str) -> AvslutKlass | None:
        return next((k for k in self.avslut_klasser if k.namn == namn), None)

    def avslut_uppsattning(self, namn: str) -> AvslutUppsattning | None:
        return next((u for u in self.avslut_uppsattningar if u.namn == namn), None)

    @property
    def tom(self) -> bool:
        return not self.insatser and not self.volym


ALLA_INDIVIDINRIKTADE = "Alla individinriktade insatser"


_SVENSK_ORDNING = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def sv_nyckel(text: str) -> str:
    """Sort key in Swedish alphabetical order (å, ä, ö after z), case-insensitive."""
    return text.casefold().translate(_SVENSK_ORDNING)


def _aktiva_under(ar: int) -> Q:
    return Q(startdatum__lte=dt.date(ar, 12, 31)) & (
        Q(slutdatum__isnull=True) | Q(slutdatum__gte=dt.date(ar, 1, 1))
    )


@dataclass
class _Flodessummor:
    """Per insats and year: sums of the monthly flow, justeringar and entered balances."""

    manader: dict[tuple[int, int], Kon]  # (insats, ar) -> nya − avslutade
    justering: dict[tuple[int, int], Kon]
    balans: dict[tuple[int, int], Kon]
    arstotal: dict[tuple[int, int], Kon]  # closing balance of a pre-product year

    def ingaende(self, insats_id: int, ar: int, forsta_ar: int) -> Kon:
        """The balance on 1 January of `ar`, carried forward from the first year with data."""
        carried = Kon()
        for year in range(forsta_ar, ar + 1):
            key = (insats_id, year)
            if key in self.balans:
                carried = self.balans[key]
            if year == ar:
                return carried
            if key in self.manader or key in self.justering:
                carried = carried + self.manader.get(key, Kon()) + self.justering.get(key, Kon())
            elif key in self.arstotal:
                carried = self.arstotal[key]
        return carried


def _flodessummor(insats_ids: Iterable[int], ar: int) -> tuple[_Flodessummor, int]:
    """Three-plus-one queries: monthly sums, justeringar, balances and yearly totals up to `ar`."""
    ids = list(insats_ids)
    manader = {
        (row["insats_id"], row["ar"]): Kon(row["nk"] - row["ak"], row["nm"] - row["am"])
        for row in Manadsrapport.objects.filter(insats_id__in=ids, ar__lt=ar)
        .values("insats_id", "ar")
        .annotate(
            nk=Sum("nya_kvinnor"),
            nm=Sum("nya_man"),
            ak=Sum("avslutade_kvinnor"),
            am=Sum("avslutade_man"),
        )
    }
    justering = {
        (row["insats_id"], row["ar"]): Kon(row["k"], row["m"])
        for row in Justering.objects.filter(insats_id__in=ids, ar__lt=ar)
        .values("insats_id", "ar")
        .annotate(k=Sum("kvinnor"), m=Sum("man"))
    }
    balans = {
        (row["insats_id"], row["ar"]): Kon(row["kvinnor"], row["man"])
        for row in IngaendeBalans.objects.filter(insats_id__in=ids, ar__lte=ar).values(
            "insats_id", "ar", "kvinnor", "man"
        )
    }
    arstotal = {
        (row["insats_id"], row["ar"]): Kon(
            row["deltagare_kvinnor"] - row["avslutade_kvinnor"],
            row["deltagare_man"] - row["avslutade_man"],
        )
        for row in Arstotal.objects.filter(insats_id__in=ids, ar__lt=ar).values(
            "insats_id",
            "ar",
            "deltagare_kvinnor",
            "deltagare_man",
            "avslutade_kvinnor",
            "avslutade_man",
        )
    }
    years = [key[1] for source in (manader, justering, balans, arstotal) for key in source]
    return _Flodessummor(manader, justering, balans, arstotal), min(years, default=ar)


def pagaende_vid_manadens_start(*, insats: Insats, ar: int, manad: int) -> Kon:
    """Participants enrolled when `manad` begins: the balance the month's avslutade come from.

    `manad=13` gives the closing balance of the year."""
    summor, forsta_ar = _flodessummor([insats.pk], ar)
    ingaende = summor.ingaende(insats.pk, ar, forsta_ar)
    tidigare = Manadsrapport.objects.filter(insats=insats, ar=ar, manad__lt=manad).aggregate(
        nk=Sum("nya_kvinnor"),
        nm=Sum("nya_man"),
        ak=Sum("avslutade_kvinnor"),
        am=Sum("avslutade_man"),
    )
    just = Justering.objects.filter(insats=insats, ar=ar, manad__lt=manad).aggregate(
        k=Sum("kvinnor"), m=Sum("man")
    )
    return (
        ingaende
        + Kon(tidigare["nk"] or 0, tidigare["nm"] or 0)
        - Kon(tidigare["ak"] or 0, tidigare["am"] or 0)
        + Kon(just["k"] or 0, just["m"] or 0)
    )


def ingaende_balans(*, insats: Insats, ar: int) -> Kon:
    """The balance on 1 January: the entered one, else the previous closing balance."""
    summor, forsta_ar = _flodessummor([insats.pk], ar)
    return summor.ingaende(insats.pk, ar, forsta_ar)


def arsdata(*, forbund: Forbund, ar: int) -> Arsdata:
    """The year's figures for `forbund`, per insats and in total (a constant number of queries)."""
    insatser = sorted(
        Insats.objects.filter(_aktiva_under(ar), forbund=forbund).select_related("grupp"),
        key=lambda i: (i.ordning, sv_nyckel(i.namn)),
    )
    flode_insatser = [
        i
        for i in insatser
        if i.inriktning == Insats.Inriktning.INDIVID
        and i.uppfoljning == Insats.Uppfoljning.DELTAGARFLODE
    ]
    volym_insatser = [i for i in insatser if i.uppfoljning == Insats.Uppfoljning.VOLYM]
    ids = [i.pk for i in insatser]

    summor, forsta_ar = _flodessummor(ids, ar)
    arets = {
        row["insats_id"]: row
        for row in Manadsrapport.objects.filter(insats_id__in=ids, ar=ar)
        .values("insats_id")
        .annotate(
            nk=Sum("nya_kvinnor"),
            nm=Sum("nya_man"),
            ak=Sum("avslutade_kvinnor"),
            am=Sum("avslutade_man"),
            volym_summa=Sum("volym"),
            rapporterade=Count("id"),
            godkanda=Count("id", filter=Q(status__in=GODKANDA)),
        )
    }
    arets_justering = {
        row["insats_id"]: Kon(row["k"], row["m"])
        for row in Justering.objects.filter(insats_id__in=ids, ar=ar)
        .values("insats_id")
        .annotate(k=Sum("kvinnor"), m=Sum("man"))
    }
    senaste_volym: dict[int, int] = {}
    for row in (
        Manadsrapport.objects.filter(
            insats_id__in=[
                i.pk for i in volym_insatser if i.volymenhet == Insats.Volymenhet.UNIKA_INDIVIDER
            ],
            ar=ar,
            volym__isnull=False,
        )
        .order_by("insats_id", "manad")
        .values("insats_id", "volym")
    ):
        senaste_volym[row["insats_id"]] = row["volym"]

    huvudman = list(Huvudman.objects.filter(forbund=forbund).order_by("ordning", "namn"))
    per_huvudman: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        IngaendeBalansHuvudman.objects.filter(balans__insats_id__in=ids, balans__ar=ar)
        .values("balans__insats_id", "huvudman_id")
        .annotate(antal=Sum("antal"))
    ):
        per_huvudman[row["balans__insats_id"]][row["huvudman_id"]] += row["antal"]
    for row in (
        NyaPerHuvudman.objects.filter(rapport__insats_id__in=ids, rapport__ar=ar)
        .values("rapport__insats_id", "huvudman_id")
        .annotate(antal=Sum("antal"))
    ):
        per_huvudman[row["rapport__insats_id"]][row["huvudman_id"]] += row["antal"]

    avslut: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        AvslutadePerAnledning.objects.filter(rapport__insats_id__in=ids, rapport__ar=ar)
        .values("rapport__insats_id", "anledning_id")
        .annotate(antal=Sum("antal"))
    ):
        avslut[row["rapport__insats_id"]][row["anledning_id"]] = row["antal"]

    anledningar = list(Avslutsanledning.objects.filter(forbund=forbund))
    anvands_av: dict[int, set[int]] = defaultdict(set)
    for anledning_id, insats_id in Avslutsanledning.insatser.through.objects.filter(
        avslutsanledning__forbund=forbund
    ).values_list("avslutsanledning_id", "insats_id"):
        anvands_av[anledning_id].add(insats_id)

    slut_pa_aret = dt.date(ar, 12, 31)
    floden = []
    for insats in flode_insatser:
        row = arets.get(insats.pk, {})
        ingaende = summor.ingaende(insats.pk, ar, forsta_ar)
        nya = Kon(row.get("nk") or 0, row.get("nm") or 0)
        fordelning = per_huvudman.get(insats.pk, {})
        ej_angiven = ingaende.totalt + nya.totalt - sum(fordelning.values())
        hm_rader = [Andel(h.namn, fordelning.get(h.pk, 0), None) for h in huvudman]
        if ej_angiven:
            hm_rader.append(Andel(EJ_ANGIVEN, ej_angiven, None))
        floden.append(
            InsatsFlode(
                insats_id=insats.pk,
                namn=insats.namn,
                grupp=insats.grupp.namn if insats.grupp else None,
                avslutad=insats.slutdatum is not None and insats.slutdatum <= slut_pa_aret,
                ingaende=ingaende,
                ingaende_bekraftad=(insats.pk, ar) in summor.balans,
                nya=nya,
                avslutade=Kon(row.get("ak") or 0, row.get("am") or 0),
                justering=arets_justering.get(insats.pk, Kon()),
                huvudman=tuple(hm_rader),
                avslut_per_anledning=dict(avslut.get(insats.pk, {})),
                rapporterade_manader=row.get("rapporterade", 0),
                godkanda_manader=row.get("godkanda", 0),
            )
        )

    volym = []
    for insats in volym_insatser:
        row = arets.get(insats.pk, {})
        if insats.volymenhet == Insats.Volymenhet.UNIKA_INDIVIDER:
            varde = senaste_volym.get(insats.pk, 0)
        else:
            varde = row.get("volym_summa") or 0
        volym.append(
            VolymRad(
                insats_id=insats.pk,
                namn=insats.namn,
                enhet=insats.volymenhet,
                enhet_namn=insats.get_volymenhet_display(),
                inriktning=insats.inriktning,
                volym=varde,
                rapporterade_manader=row.get("rapporterade", 0),
                godkanda_manader=row.get("godkanda", 0),
            )
        )

    return Arsdata(
        forbund_id=forbund.pk,
        forbund_namn=forbund.namn,
        kortnamn=forbund.kortnamn,
        ar=ar,
        insatser=tuple(floden),
        volym=tuple(volym),
        huvudman=_huvudman_andelar(floden, huvudman),
        avslut_klasser=_avslut_klasser(floden, anledningar),
        avslut_uppsattningar=_avslut_uppsattningar(floden, anledningar, anvands_av),
        justeringar=_justeringar(forbund, ar),
    )


def _huvudman_andelar(floden: list[InsatsFlode], huvudman: list[Huvudman]) -> tuple[Andel, ...]:
    antal: dict[str, int] = {h.namn: 0 for h in huvudman}
    for flode in floden:
        for rad in flode.huvudman:
            antal[rad.namn] = antal.get(rad.namn, 0) + rad.antal
    if not antal.get(EJ_ANGIVEN):
        antal.pop(EJ_ANGIVEN, None)
    helhet = sum(antal.values())
    return tuple(Andel(namn, n, procent(n, helhet)) for namn, n in antal.items())


def _klass(namn: str, floden: Iterable[InsatsFlode], klass_av: Mapping[int, int]) -> AvslutKlass:
    totalt = forsta = andra = 0
    for flode in floden:
        totalt += flode.avslutade.totalt
        for anledning_id, antal in flode.avslut_per_anledning.items():
            if klass_av.get(anledning_id) == Avslutsanledning.Klass.FORSTA:
                forsta += antal
            elif klass_av.get(anledning_id) == Avslutsanledning.Klass.ANDRA:
                andra += antal
    return AvslutKlass(namn=namn, totalt=totalt, forsta=forsta, andra=andra)


def _avslut_klasser(
    floden: list[InsatsFlode], anledningar: list[Avslutsanledning]
) -> tuple[AvslutKlass, ...]:
    """1:a/2:a for all individinriktade insatser, then for each insatsgrupp ("Enbart försteg")."""
    klass_av = {a.pk: a.klass for a in anledningar}
    grupper = sorted({f.grupp for f in floden if f.grupp})
    return (
        _klass(ALLA_INDIVIDINRIKTADE, floden, klass_av),
        *(
            _klass(
                f"Enbart {grupp.lower() if grupp.istitle() else grupp}",
                [f for f in floden if f.grupp == grupp],
                klass_av,
            )
            for grupp in grupper
        ),
    )


def _avslut_uppsattningar(
    floden: list[InsatsFlode],
    anledningar: list[Avslutsanledning],
    anvands_av: Mapping[int, set[int]],
) -> tuple[AvslutUppsattning, ...]:
    """Per set of reasons other than the general one: the avslutade of the insatser using it."""
    result = []
    for namn in sorted({a.uppsattning for a in anledningar} - {ALLMAN}):
        egna = [a for a in anledningar if a.uppsattning == namn]
        insats_ids = set().union(*(anvands_av.get(a.pk, set()) for a in egna))
        anvandare = [f for f in floden if f.insats_id in insats_ids]
        rader = tuple(
            Andel(
                a.etikett,
                sum(f.avslut_per_anledning.get(a.pk, 0) for f in anvandare),
                None,
            )
            for a in sorted(egna, key=lambda a: (a.ordning, a.namn))
        )
        result.append(
            AvslutUppsattning(
                namn=namn, totalt=sum(f.avslutade.totalt for f in anvandare), rader=rader
            )
        )
    return tuple(result)


def _justeringar(forbund: Forbund, ar: int) -> tuple[JusteringRad, ...]:
    return tuple(
        JusteringRad(
            insats_namn=j.insats.namn,
            manad=j.manad,
            kvinnor=j.kvinnor,
            man=j.man,
            anledning=j.anledning,
            skapad_av=(j.skapad_av.get_full_name() or j.skapad_av.username) if j.skapad_av else "",
            skapad_tid=j.skapad_tid,
        )
        for j in sorted(
            Justering.objects.filter(insats__forbund=forbund, ar=ar).select_related(
                "insats", "skapad_av"
            ),
            key=lambda j: (sv_nyckel(j.insats.namn), j.manad, j.skapad_tid),
        )
    )


# --- The bilaga "Uppföljning FINSAM": the year's figures plus what the document needs -------


@dataclass(frozen=True)
class Serie:
    namn: str
    varden: tuple[int, ...]


@dataclass(frozen=True)
class Tidsserie:
    ar: tuple[int, ...]
    serier: tuple[Serie, ...]

    @property
    def tom(self) -> bool:
        return not any(any(s.varden) for s in self.serier)


@dataclass(frozen=True)
class EnkatResultat:
    fraga: str
    svar: tuple[Andel, ...]
    malfraga: bool
    positiva: int

    @property
    def antal_svar(self) -> int:
        return sum(a.antal for a in self.svar)

    @property
    def andel_positiva(self) -> int | None:
        return procent(self.positiva, self.antal_svar)


@dataclass(frozen=True)
class Manadsbrist:
    insats_namn: str
    manad: int
    status: str  # "saknas" or the Manadsrapport status


@dataclass(frozen=True)
class Datakvalitet:
    brister: tuple[Manadsbrist, ...]
    justeringar: tuple[JusteringRad, ...]
    obekraftade_balanser: tuple[str, ...]

    @property
    def preliminar(self) -> bool:
        """Until every month of the year is approved the bilaga is preliminary."""
        return bool(self.brister)

    @property
    def saknade(self) -> tuple[Manadsbrist, ...]:
        return tuple(b for b in self.brister if b.status == "saknas")

    @property
    def kommande(self) -> tuple[Manadsbrist, ...]:
        return tuple(b for b in self.brister if b.status == KOMMANDE)

    @property
    def ej_godkanda(self) -> tuple[Manadsbrist, ...]:
        return tuple(b for b in self.brister if b.status not in {"saknas", KOMMANDE})


@dataclass(frozen=True)
class Arsrapport:
    data: Arsdata
    bakgrund: str
    metod: str
    sammanstallningsdatum: dt.date
    kommentarer: tuple[tuple[str, str], ...]
    over_tid: Tidsserie
    grupp_namn: str | None
    grupp_over_tid: Tidsserie | None
    enkater: tuple[EnkatResultat, ...]
    kvalitet: Datakvalitet

    @property
    def ar(self) -> int:
        return self.data.ar

    def kommentar(self, avsnitt: str) -> str:
        return dict(self.kommentarer).get(avsnitt, "")


DIAGRAM_AR = 6  # years in the time series, as in seed 000 (2020–2025)
KOMMANDE = "kommande"  # a month that is not over yet


def _tidsserier(
    forbund: Forbund, ar: int, insatser: list[Insats]
) -> tuple[Tidsserie, dict[int, tuple[int, ...]], tuple[int, ...]]:
    """Deltagare totalt per year for the individinriktade insatser: from monthly data where the
    year has it, else from the yearly totals of the years before the product."""
    ids = [i.pk for i in insatser]
    summor, forsta_ar = _flodessummor(ids, ar + 1)
    nya = {
        (row["insats_id"], row["ar"]): Kon(row["k"], row["m"])
        for row in Manadsrapport.objects.filter(insats_id__in=ids, ar__lte=ar)
        .values("insats_id", "ar")
        .annotate(k=Sum("nya_kvinnor"), m=Sum("nya_man"))
    }
    arstotal = {
        (row["insats_id"], row["ar"]): Kon(row["deltagare_kvinnor"], row["deltagare_man"])
        for row in Arstotal.objects.filter(insats_id__in=ids, ar__lte=ar).values(
            "insats_id", "ar", "deltagare_kvinnor", "deltagare_man"
        )
    }
    forsta_data = min([key[1] for key in (*nya, *arstotal)], default=ar)
    aren = tuple(range(max(forsta_data, ar - DIAGRAM_AR + 1), ar + 1))
    per_insats: dict[int, tuple[int, ...]] = {}
    kvinnor, man = [0] * len(aren), [0] * len(aren)
    for insats in insatser:
        varden = []
        for index, year in enumerate(aren):
            key = (insats.pk, year)
            if key in nya or (key in summor.balans and key not in arstotal):
                kon = summor.ingaende(insats.pk, year, forsta_ar) + nya.get(key, Kon())
            else:
                kon = arstotal.get(key, Kon())
            kvinnor[index] += kon.kvinnor
            man[index] += kon.man
            varden.append(kon.totalt)
        per_insats[insats.pk] = tuple(varden)
    serie = Tidsserie(
        aren,
        (
            Serie("Kvinnor", tuple(kvinnor)),
            Serie("Män", tuple(man)),
            Serie("Totalt", tuple(k + m for k, m in zip(kvinnor, man, strict=True))),
        ),
    )
    return serie, per_insats, aren


def _enkater(forbund: Forbund, ar: int) -> tuple[EnkatResultat, ...]:
    from registrering.models import Enkatfraga, Enkatsvar

    antal = {
        row["alternativ_id"]: row["antal"]
        for row in Enkatsvar.objects.filter(tillfalle__forbund=forbund, tillfalle__datum__year=ar)
        .values("alternativ_id")
        .annotate(antal=Sum("antal"))
    }
    result = []
    for fraga in Enkatfraga.objects.filter(forbund=forbund).prefetch_related("alternativ"):
        alternativ = sorted(fraga.alternativ.all(), key=lambda a: a.ordning)
        svar = [(a, antal.get(a.pk, 0)) for a in alternativ]
        helhet = sum(n for _a, n in svar)
        if not helhet:
            continue
        result.append(
            EnkatResultat(
                fraga=fraga.text,
                svar=tuple(Andel(a.text, n, procent(n, helhet)) for a, n in svar),
                malfraga=fraga.malfraga,
                positiva=sum(n for a, n in svar if a.positivt),
            )
        )
    return tuple(result)


def _datakvalitet(
    forbund: Forbund, ar: int, insatser: list[Insats], data: Arsdata, idag: dt.date
) -> Datakvalitet:
    from registrering.kalender import manadens_forsta, manadens_sista

    status = {
        (row["insats_id"], row["manad"]): row["status"]
        for row in Manadsrapport.objects.filter(insats__in=insatser, ar=ar).values(
            "insats_id", "manad", "status"
        )
    }
    brister = []
    for insats in insatser:
        for manad in range(1, 13):
            aktiv = insats.startdatum <= manadens_sista(ar, manad) and (
                insats.slutdatum is None or insats.slutdatum >= manadens_forsta(ar, manad)
            )
            if not aktiv:
                continue
            s = status.get((insats.pk, manad), "saknas")
            if s == "saknas" and manadens_sista(ar, manad) >= idag:
                s = KOMMANDE
            if s not in GODKANDA:
                brister.append(Manadsbrist(insats.namn, manad, s))
    return Datakvalitet(
        brister=tuple(brister),
        justeringar=data.justeringar,
        obekraftade_balanser=tuple(i.namn for i in data.insatser if not i.ingaende_bekraftad),
    )


def _fyll_i(text: str, **varden: str) -> str:
    for key, value in varden.items():
        text = text.replace("{" + key + "}", value)
    return text


def arsrapport(*, forbund: Forbund, ar: int, idag: dt.date | None = None) -> Arsrapport:
    """Everything the bilaga shows for `forbund` and `ar`, in a constant number of queries."""
    from django.utils import timezone

    from registrering.kalender import datum_langt
    from registrering.models import Arsbilaga, Kommentar

    data = arsdata(forbund=forbund, ar=ar)
    insatser = sorted(
        Insats.objects.filter(_aktiva_under(ar), forbund=forbund).select_related("grupp"),
        key=lambda i: (i.ordning, sv_nyckel(i.namn)),
    )
    # The time series covers every individinriktad insats of its years, also those that ended.
    flode = sorted(
        Insats.objects.filter(
            forbund=forbund,
            inriktning=Insats.Inriktning.INDIVID,
            uppfoljning=Insats.Uppfoljning.DELTAGARFLODE,
            startdatum__lte=dt.date(ar, 12, 31),
        )
        .exclude(slutdatum__lt=dt.date(ar - DIAGRAM_AR + 1, 1, 1))
        .select_related("grupp"),
        key=lambda i: (i.ordning, sv_nyckel(i.namn)),
    )
    over_tid, per_insats, aren = _tidsserier(forbund, ar, flode)

    grupper: dict[str, list[Insats]] = defaultdict(list)
    for insats in flode:
        if insats.grupp:
            grupper[insats.grupp.namn].append(insats)
    grupp_namn = max(grupper, key=lambda g: (len(grupper[g]), g), default=None)
    grupp_over_tid = (
        Tidsserie(aren, tuple(Serie(i.namn, per_insats[i.pk]) for i in grupper[grupp_namn]))
        if grupp_namn
        else None
    )

    idag = idag or timezone.localdate()
    bilaga = Arsbilaga.objects.filter(forbund=forbund, ar=ar).first()
    sammanstallning = (bilaga.sammanstallningsdatum if bilaga else None) or idag
    period = f"1 januari till och med den 31 december {ar}"
    return Arsrapport(
        data=data,
        bakgrund=_fyll_i(
            forbund.bakgrund_text,
            ar=str(ar),
            period=period,
            sammanstallningsdatum=datum_langt(sammanstallning),
        ),
        metod=_fyll_i(
            forbund.metod_text,
            ar=str(ar),
            period=period,
            sammanstallningsdatum=datum_langt(sammanstallning),
        ),
        sammanstallningsdatum=sammanstallning,
        kommentarer=tuple(
            Kommentar.objects.filter(forbund=forbund, ar=ar)
            .order_by("avsnitt")
            .values_list("avsnitt", "text")
        ),
        over_tid=over_tid,
        grupp_namn=grupp_namn,
        grupp_over_tid=grupp_over_tid,
        enkater=_enkater(forbund, ar),
        kvalitet=_datakvalitet(forbund, ar, insatser, data, idag),
    )
