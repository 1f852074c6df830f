"""The bilaga "Uppföljning FINSAM": the year's figures (`rapporter.arsdata`) plus what the
document needs: the time series, the surveys, the texts, the comments and the data quality.

`arsrapport(forbund=…, ar=…)` returns an immutable `Arsrapport` in a constant number of queries.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from effekter.selectors import Resultat, resultat
from rapporter.arsdata import (
    GODKANDA,
    Andel,
    Arsdata,
    arets_id,
    arsdata,
    justering_per_insats,
    lista,
    procent,
)
from rapporter.samfinansiering import Samfinansiering, bilagans_samfinansiering
from registrering import dataversion, ledger
from registrering.kalender import MANADER, manaden_har_slutat
from registrering.ledger import Kon
from registrering.models import Arstotal, Forbund, Insats, Manadsrapport
from registrering.selectors import (
    SAKNAS,
    JusteringRad,
    KvarVidSlut,
    datakvalitet,
    flodesinsatser,
    i_rapportordning,
    justeringar,
)
from registrering.selectors import Datakvalitet as Datakvalitetslistor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Serie:
    """A chart's values per category; None where the value is unknown (kvinnor and män of a
    year kept as a total without the gender split)."""

    namn: str
    varden: tuple[int | None, ...]


def arspann(ar: Sequence[int]) -> str:
    """The years a chart shows, in words: '2024', '2020–2025', '2019 och 2021–2025'."""
    delar: list[str] = []
    for year in sorted(ar):
        if delar and year - 1 == int(delar[-1][-4:]):
            delar[-1] = f"{delar[-1][:4]}–{year}"
        else:
            delar.append(str(year))
    return lista(delar)


@dataclass(frozen=True)
class Tidsserie:
    """Values per year over the years that have data. `arstotal_ar` are the years whose values
    come, wholly or partly, from yearly totals, and `kallor` their sources."""

    ar: tuple[int, ...]
    serier: tuple[Serie, ...]
    arstotal_ar: tuple[int, ...] = ()
    kallor: tuple[str, ...] = ()
    # The years whose kvinnor and män are unknown: a yearly total without the gender split.
    utan_kon_ar: tuple[int, ...] = ()

    @property
    def tom(self) -> bool:
        return not any(any(s.varden) for s in self.serier)

    @property
    def under_aren(self) -> str:
        """'under 2024' for one year, 'under åren 2020–2025' for several."""
        return ("under " if len(self.ar) == 1 else "under åren ") + arspann(self.ar)

    @property
    def arstotal_text(self) -> str:
        return arspann(self.arstotal_ar)

    @property
    def utan_kon_text(self) -> str:
        return arspann(self.utan_kon_ar)

    @property
    def kallor_text(self) -> str:
        return lista(self.kallor)


@dataclass(frozen=True)
class EnkatResultat:
    """One question of the bilaga §6. With fewer answers than FINSAM_ENKAT_MIN_N it carries no
    figures at all (`for_fa`): the bilaga says "För få svar för att redovisas" and draws nothing.
    `diagram` is the question's place among the charts that are drawn (None when suppressed)."""

    fraga: str
    svar: tuple[Andel, ...]
    malfraga: bool
    positiva: int
    for_fa: bool = False
    diagram: int | None = None

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
    status: str  # "saknas", KOMMANDE or the Manadsrapport status


@dataclass(frozen=True)
class Datakvalitet:
    """The months that are not approved, plus the year's data-quality lists
    (`registrering.selectors.datakvalitet`, the same as in the månadsöversikt)."""

    brister: tuple[Manadsbrist, ...]
    listor: Datakvalitetslistor

    @property
    def justeringar(self) -> tuple[JusteringRad, ...]:
        return self.listor.justeringar

    @property
    def obekraftade_balanser(self) -> tuple[str, ...]:
        return tuple(i.namn for i in self.listor.obekraftade_balanser)

    @property
    def kvar_vid_slut(self) -> tuple[KvarVidSlut, ...]:
        return self.listor.kvar_vid_slut

    @property
    def tom(self) -> bool:
        return not self.brister and self.listor.tom

    @property
    def preliminar(self) -> bool:
        """Until every month of the year is approved the bilaga is preliminary."""
        return bool(self.brister)

    @property
    def saknade(self) -> tuple[Manadsbrist, ...]:
        return tuple(b for b in self.brister if b.status == SAKNAS)

    @property
    def kommande(self) -> tuple[Manadsbrist, ...]:
        return tuple(b for b in self.brister if b.status == KOMMANDE)

    @property
    def kommande_manader(self) -> tuple[int, ...]:
        """The months of the year not over yet (each once, whatever the number of insatser)."""
        return tuple(sorted({b.manad for b in self.kommande}))

    @property
    def ej_godkanda(self) -> tuple[Manadsbrist, ...]:
        return tuple(b for b in self.brister if b.status not in {SAKNAS, KOMMANDE})


@dataclass(frozen=True)
class Logotyp:
    """The förbund's logo for the cover, read through the storage API. Its digest (not its
    bytes) is part of the report's repr and so of the PDF's cache key."""

    typ: str
    sha256: str
    innehall: bytes = field(repr=False)

    @property
    def data_uri(self) -> str:
        return f"data:{self.typ};base64,{base64.b64encode(self.innehall).decode('ascii')}"


def _logotyp(forbund: Forbund) -> Logotyp | None:
    from registrering.models.organisation import logotyp_typ

    if not forbund.logotyp:
        return None
    try:
        with forbund.logotyp.storage.open(forbund.logotyp.name, "rb") as fil:
            innehall = fil.read()
    except OSError:  # a lost file: the cover falls back to the förbund's name
        logger.warning("Logotypen %s för %s går inte att läsa", forbund.logotyp.name, forbund)
        return None
    return Logotyp(
        logotyp_typ(forbund.logotyp.name), hashlib.sha256(innehall).hexdigest(), innehall
    )


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
    upprattad_av: str = ""  # the cover's author; empty: none named
    logotyp: Logotyp | None = None  # the cover's logo; None: the förbund's name instead
    # "Resultat och effekter" (`effekter.selectors`), only for a förbund that has the section
    # turned on (`Forbund.effekter_i_bilagan`); None: no section and no extra queries.
    effekter: Resultat | None = None
    # Insatser financed by several förbund (`rapporter.samfinansiering`): those of other förbund
    # this one co-finances, listed apart and not counted, and its own that others co-finance.
    samfinansiering: Samfinansiering = field(default_factory=Samfinansiering)

    @property
    def ar(self) -> int:
        return self.data.ar

    def kommentar(self, avsnitt: str) -> str:
        return dict(self.kommentarer).get(avsnitt, "")


DIAGRAM_AR = 6  # years in the time series, as in seed 000 (2020–2025)
KOMMANDE = "kommande"  # a month that is not over yet


@dataclass
class _Arsvarden:
    """One year of the time series, kept by that year's data version (`arscache.per_ar`):
    whether any insats has data in it, each flow insats's deltagare (`kallor`: the source of
    those that come from a yearly total), and every insats's closing balance (what next year
    starts from unless a balance is entered)."""

    med_data: bool
    deltagare: dict[int, Kon]
    kallor: dict[int, str]
    utgaende: dict[int, Kon]


def _arstotaler(
    flode_ids: Iterable[int], fran_ar: int, till_ar: int
) -> dict[tuple[int, int], dict]:
    return {
        (row["insats_id"], row["ar"]): row
        for row in Arstotal.objects.filter(
            insats_id__in=flode_ids, ar__gte=fran_ar, ar__lte=till_ar
        ).values("insats_id", "ar", "kalla", *ledger.ARSTOTAL_KOLUMNER)
    }


def _arsvarden(
    summor: ledger.Flodessummor,
    arstotal: dict[tuple[int, int], dict],
    ids: list[int],
    aren: list[int],
) -> dict[int, _Arsvarden]:
    """The `_Arsvarden` of each year of `aren`, walking each insats's years once from the
    first that `summor` has. Deltagare totalt come from monthly data where the year has it
    (the ingående balans plus the nya), else from the year's total."""
    result = {year: _Arsvarden(False, {}, {}, {}) for year in aren}
    sista = max(aren)
    for pk in ids:
        carried = summor.utgaende_fore.get(pk, Kon())
        for year in range(min(summor.forsta_ar, sista), sista + 1):
            key = (pk, year)
            ingaende = ledger.nasta_ingaende(carried, summor.balans.get(key))
            carried = summor.utgaende(pk, year, ingaende)
            varden = result.get(year)
            if varden is None:
                continue
            varden.utgaende[pk] = carried
            if key in summor.nya or key in summor.balans or key in arstotal:
                varden.med_data = True
            if key in summor.nya or (key in summor.balans and key not in arstotal):
                varden.deltagare[pk] = ingaende + summor.nya.get(key, Kon())
            elif key in arstotal:
                varden.deltagare[pk] = ledger.arstotal_flode(arstotal[key]).deltagare
                varden.kallor[pk] = arstotal[key]["kalla"]
    return result


def _tidsserier(
    forbund: Forbund,
    ar: int,
    insatser: list[Insats],
    arets: Mapping[int, Mapping[str, int]],
    arets_justeringar: Iterable[JusteringRad],
    versioner: Mapping[int, int] | None = None,
) -> tuple[
    Tidsserie, dict[int, tuple[int, ...]], dict[int, set[tuple[int, str]]], ledger.Flodessummor
]:
    """Deltagare totalt per year for the individinriktade insatser `insatser`: from monthly
    data where the year has it, else from the yearly totals of the years before the product.
    A year with neither is left out, not drawn as zeros. Also the flow sums of year `ar` (and
    the balances of the next) for the insatser, which the rest of the report reads.

    The earlier years are kept by their data version (`arscache.per_ar`), with each insats's
    closing balance: a write to `ar` reads only `ar` (`ledger.flodessummor(fran_ar=…)`), and of
    it only the balances: the year's month sums (`arets`, `ledger.arets_flode` of every insats of
    the years) and justeringar are the report's, and its yearly totals are read here."""
    from rapporter import arscache

    ids = sorted({i.pk for i in insatser})
    slag = "tidsserie:" + hashlib.sha256(repr(ids).encode()).hexdigest()[:16]
    lasta: list[tuple[ledger.Flodessummor, dict[tuple[int, int], dict]]] = []
    # The same insatser as a subquery (a list of 300 ids is slow for Django to prepare).
    urval = arets_id(forbund, ar, bara_floden=True, fran_ar=ar - DIAGRAM_AR + 1) if ids else []

    def berakna(aren: list[int]) -> dict[int, _Arsvarden]:
        lasta.append(
            (
                ledger.flodessummor(urval, till_ar=ar + 1),
                _arstotaler(urval, ar - DIAGRAM_AR + 1, ar),
            )
        )
        return _arsvarden(*lasta[0], ids, aren)

    kept = arscache.per_ar(
        slag, forbund.pk, list(range(ar - DIAGRAM_AR + 1, ar)), berakna, versioner=versioner
    )
    if lasta:
        summor, arstotal = lasta[0]
    else:
        arstotal = _arstotaler(urval, ar, ar)
        valda = set(ids)
        summor = ledger.flodessummor(
            urval,
            till_ar=ar + 1,
            fran_ar=ar,
            utgaende_fore=kept[ar - 1].utgaende,
            manader=[rad for pk, rad in arets.items() if pk in valda],
            justering={
                (pk, ar): kon
                for pk, kon in justering_per_insats(arets_justeringar).items()
                if pk in valda
            },
            arstotal={nyckel: ledger.arstotal_flode(rad).slut for nyckel, rad in arstotal.items()},
        )
    per_ar = kept | _arsvarden(summor, arstotal, ids, [ar])
    aren = tuple(y for y in sorted(per_ar) if per_ar[y].med_data)
    per_insats: dict[int, tuple[int, ...]] = {}
    summa = [Kon()] * len(aren)
    fran_arstotal: dict[int, set[tuple[int, str]]] = defaultdict(set)
    arens = [(index, year, per_ar[year]) for index, year in enumerate(aren)]
    for pk in (i.pk for i in insatser):
        varden = []
        for index, year, arsvarden in arens:
            kon = arsvarden.deltagare.get(pk)
            if pk in arsvarden.kallor:
                fran_arstotal[pk].add((year, arsvarden.kallor[pk]))
            if kon is None:
                varden.append(0)
                continue
            summa[index] += kon
            varden.append(kon.totalt)
        per_insats[pk] = tuple(varden)
    # A year with a total without the gender split has kvinnor and män unknown (None): the
    # chart draws its total only.
    serie = Tidsserie(
        aren,
        (
            Serie("Kvinnor", tuple(k.kvinnor if k.uppdelad else None for k in summa)),
            Serie("Män", tuple(k.man if k.uppdelad else None for k in summa)),
            Serie("Totalt", tuple(k.totalt for k in summa)),
        ),
        *_arstotal_ar_och_kallor(fran_arstotal.values()),
        utan_kon_ar=tuple(y for y, k in zip(aren, summa, strict=True) if not k.uppdelad),
    )
    return serie, per_insats, fran_arstotal, summor


def _arstotal_ar_och_kallor(
    fran_arstotal: Iterable[set[tuple[int, str]]],
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """A Tidsserie's `arstotal_ar` and `kallor` from the (year, source) pairs of its insatser."""
    par: set[tuple[int, str]] = set().union(*fran_arstotal)
    return tuple(sorted({y for y, _k in par})), tuple(sorted({k for _y, k in par if k}))


def _enkater(forbund: Forbund, ar: int) -> tuple[EnkatResultat, ...]:
    """§6: the training survey's questions in calendar year `ar`, one per question version and
    respondent group, from the results selector (`enkater.selectors`), which decides what is
    suppressed for every output alike. The NNS indicators have a report of their own."""
    from enkater.selectors import Indelning, Stapel, Urval, enkatresultat
    from registrering.models import Enkat

    resultat = enkatresultat(
        forbund=forbund,
        urval=Urval(fran_ar=ar, till_ar=ar),
        indelning=Indelning.AR,
    )
    serier = [s for d in resultat.delar if d.slag != Enkat.Slag.NNS for s in d.serier if s.staplar]
    per_fraga: dict[int, int] = defaultdict(int)
    for serie in serier:
        per_fraga[serie.fraga_id] += 1
    result = []
    ritade = 0
    for serie in serier:
        # A question asked to everyone and answered by several groups: one part per group.
        fraga = serie.text
        if per_fraga[serie.fraga_id] > 1:
            fraga = f"{fraga} ({serie.respondentgrupp_namn.lower()})"
        (stapel,) = serie.staplar
        if not isinstance(stapel, Stapel):
            result.append(
                EnkatResultat(
                    fraga=fraga, svar=(), malfraga=serie.malfraga, positiva=0, for_fa=True
                )
            )
            continue
        result.append(
            EnkatResultat(
                fraga=fraga,
                svar=tuple(Andel(a.text, a.antal, a.procent) for a in stapel.svar),
                malfraga=serie.malfraga,
                positiva=stapel.positiva,
                diagram=ritade,
            )
        )
        ritade += 1
    return tuple(result)


def _manadsbrister(
    ar: int, insatser: list[Insats], godkanda: Mapping[int, int], idag: dt.date
) -> tuple[Manadsbrist, ...]:
    """Every month of the year, of every insats that ran in it, that is not approved.
    `godkanda`: per insats its number of approved months (`Arsdata`'s); an insats with all
    twelve has no brist, and only the months of the others are read (none in a year whose
    months are all approved, as most report years are: 300 insatser × 12 months, issue 15)."""
    ofullstandiga = [i for i in insatser if godkanda.get(i.pk, 0) < len(MANADER)]
    status: dict[int, dict[int, str]] = {}
    for insats_id, manad, s in (
        Manadsrapport.objects.filter(insats_id__in=[i.pk for i in ofullstandiga], ar=ar)
        .order_by()
        .values_list("insats_id", "manad", "status")
        if ofullstandiga
        else ()
    ):
        status.setdefault(insats_id, {})[manad] = s
    brister = []
    for insats in ofullstandiga:
        insatsens = status.get(insats.pk, {})
        for manad in MANADER:
            s = insatsens.get(manad, SAKNAS)
            # An approved month is no brist whether or not the insats ran in it: asked first,
            # as most months of a report's year are (300 insatser × 12 months, issue 15).
            if s in GODKANDA or not insats.aktiv_manad(ar, manad):
                continue
            if s == SAKNAS and not manaden_har_slutat(ar, manad, idag):
                s = KOMMANDE
            brister.append(Manadsbrist(insats.namn, manad, s))
    return tuple(brister)


def _godkanda_manader(data: Arsdata) -> dict[int, int]:
    """Per insats of the year its number of approved months."""
    return {
        rad.insats_id: rad.godkanda_manader
        for rader in (data.insatser, data.volym)
        for rad in rader
    }


def _tidsseriens_insatser(
    forbund: Forbund, ar: int, versioner: Mapping[int, int] | None = None
) -> list[Insats]:
    """The insatser active during one of the time series's years, with their grupp, in report
    order: the year's own (those active in `ar`, as `arets_insatser` reads them) are among them,
    and the time series covers every individinriktad insats of its years, also those that ended.

    Kept with last year's data version (`arscache.per_ar`), as the goal page keeps its insatser
    (`rapporter.mal.Foregaende`): which insatser run in the years, their names, groups and the
    rest of what the report reads of them are written only by a förbund-wide write
    (`dataversion.ALLA_AR`), which moves last year's version too. A write to `ar` reads none.
    `versioner`: the data versions of the years before `ar` when the caller has read them."""
    from rapporter import arscache

    def berakna(aren: list[int]) -> dict[int, tuple[Insats, ...]]:
        alla = tuple(
            i_rapportordning(
                Insats.objects.filter(forbund=forbund)
                .aktiva_under_aren(ar - DIAGRAM_AR + 1, ar)
                .select_related("grupp")
            )
        )
        return dict.fromkeys(aren, alla)

    kept = arscache.per_ar("rapport.insatser", forbund.pk, [ar - 1], berakna, versioner=versioner)
    return list(kept[ar - 1])


def arsrapport(*, forbund: Forbund, ar: int, idag: dt.date | None = None) -> Arsrapport:
    """Everything the bilaga shows for `forbund` and `ar`, in a constant number of queries
    (a fixed number more with the section "Resultat och effekter" turned on)."""
    from django.utils import timezone

    from rapporter import bilagetexter
    from registrering.models import Arsbilaga, Kommentar

    # The earlier years' data versions, read once for the insatser and the time series.
    versioner = dataversion.versioner_per_ar(forbund.pk, range(ar - DIAGRAM_AR + 1, ar))
    alla = _tidsseriens_insatser(forbund, ar, versioner)
    insatser = [i for i in alla if i.aktiv_under(ar)]
    flode = flodesinsatser(alla)
    # One read of the flow sums for the time series, the year's ingående balans and the data
    # quality: the year's flow insatser (active in `ar`) are among the time series's (active in
    # one of its years, which end with `ar`). Of the year alone when the earlier years are kept.
    # The year's month sums and justeringar, read once for the time series and the figures.
    arets = (
        ledger.arets_flode(arets_id(forbund, ar, fran_ar=ar - DIAGRAM_AR + 1), ar) if alla else {}
    )
    arets_justeringar = justeringar(forbund=forbund, ar=ar)
    over_tid, per_insats, fran_arstotal, summor = _tidsserier(
        forbund, ar, flode, arets, arets_justeringar, versioner
    )
    data = arsdata(
        forbund=forbund,
        ar=ar,
        insatser=insatser,
        summor=summor,
        arets=arets,
        arets_justeringar=arets_justeringar,
    )

    grupper: dict[str, list[Insats]] = defaultdict(list)
    for insats in flode:
        if insats.grupp:
            grupper[insats.grupp.namn].append(insats)
    grupp_namn = max(grupper, key=lambda g: (len(grupper[g]), g), default=None)
    grupp_over_tid = (
        Tidsserie(
            over_tid.ar,
            tuple(Serie(i.namn, per_insats[i.pk]) for i in grupper[grupp_namn]),
            *_arstotal_ar_och_kallor(fran_arstotal[i.pk] for i in grupper[grupp_namn]),
        )
        if grupp_namn
        else None
    )

    idag = idag or timezone.localdate()
    bilaga = Arsbilaga.objects.filter(forbund=forbund, ar=ar).first()
    sammanstallning = (bilaga.sammanstallningsdatum if bilaga else None) or idag
    varden = bilagetexter.varden(ar=ar, sammanstallningsdatum=sammanstallning)
    return Arsrapport(
        data=data,
        bakgrund=bilagetexter.fyll_i(forbund.bakgrund_text, varden),
        metod=bilagetexter.fyll_i(forbund.metod_text, varden),
        sammanstallningsdatum=sammanstallning,
        upprattad_av=bilaga.upprattad_av if bilaga else "",
        logotyp=_logotyp(forbund),
        kommentarer=tuple(
            Kommentar.objects.filter(forbund=forbund, ar=ar)
            .order_by("avsnitt")
            .values_list("avsnitt", "text")
        ),
        over_tid=over_tid,
        grupp_namn=grupp_namn,
        grupp_over_tid=grupp_over_tid,
        enkater=_enkater(forbund, ar),
        samfinansiering=bilagans_samfinansiering(forbund=forbund, ar=ar),
        # Only the year itself: the bilaga shows no series over the years.
        effekter=resultat(forbund=forbund, ar=ar, antal_ar=1)
        if forbund.effekter_i_bilagan
        else None,
        kvalitet=Datakvalitet(
            brister=_manadsbrister(ar, insatser, _godkanda_manader(data), idag),
            listor=datakvalitet(
                forbund=forbund,
                ar=ar,
                summor=summor,
                arets_justeringar=data.justeringar,
                idag=idag,
                arets_insatser=insatser,
            ),
        ),
    )
