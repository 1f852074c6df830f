"""Survey results, read from the answer counts (`Enkatsvar`) in a constant number of queries.

`enkatresultat(forbund=…, urval=…, indelning=…)` returns an immutable `Enkatresultat`: per
enkät, per NNS indicator and respondent group, per question (each version its own series), one
bar per year or round with the count and share of every option, n and the share of positive
options. A year is the enkät's own (`kalender.enkatar`): the national collection year (1/11–31/10)
for the NNS indicators, the calendar year for the others, on every page alike.

The minimum n (`settings.FINSAM_ENKAT_MIN_N`) is applied here and nowhere else: a bar with fewer
answers is a `ForFaSvar`, which carries its label and no figures at all, so no page, chart,
export or API built on these objects can show them. Nor subtract its way to them: a bar whose
figures would let a hidden one be computed (the year minus its shown rounds, all insatser minus
one) is hidden too (`enkater.undertryckning`), decided on all the year's rounds the viewer may
see, whichever bars the page asks for.

Web answers, paper counts and imported counts are all `Enkatsvar` rows: the results do not care
where a count came from. n is the number of answers to the question (the sum of its options'
counts), which differs between the questions of one round when respondents skip one, as seed
003's bars do ("2024 (n=86)" beside "2024 (n=64)").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.db.models import Q, QuerySet

from enkater.resultattyper import (
    ALLA_GRUPPER,
    FOR_FA_SVAR,
    GRUPPORDNING,
    UTAN_ENKAT,
    Enkatdel,
    Enkatresultat,
    ForFaSvar,
    Fragaserie,
    Indelning,
    Indikatorgrupp,
    Inlamnade,
    Stapel,
    Stapelvarde,
    Svarsandel,
    Urval,
)
from enkater.undertryckning import Del, Nod, dolda, tillfallesnod
from rapporter.arsdata import procent
from registrering.kalender import datum_svenskt, enkatar, enkatperiod
from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Respondentgrupp,
    Svarsalternativ,
)

# --- The selector -------------------------------------------------------------------------


def enkatresultat(
    *,
    forbund: Forbund,
    urval: Urval | None = None,
    indelning: Indelning = Indelning.AR,
    min_n: int | None = None,
) -> Enkatresultat:
    """The förbund's survey results for `urval`, one bar per `indelning`, with every bar below
    `min_n` (default `settings.FINSAM_ENKAT_MIN_N`) suppressed, and every bar that would let
    a suppressed one be computed by subtraction. Three queries (rounds, questions with their
    options, counts), whatever the number of rounds, questions and answers; two when no round
    is in the urval's period (no answers to count: a year without surveys, in most reports)."""
    urval = urval or Urval()
    min_n = settings.FINSAM_ENKAT_MIN_N if min_n is None else min_n
    # Every round the viewer may see counts towards the suppression; only the chosen ones
    # towards the bars.
    tillfallen_qs = _tillfallen(forbund, urval)
    tillfallen = {t.pk: t for t in tillfallen_qs}
    fragor, skalor = _fragor(forbund, urval)
    antal: dict[tuple[int, str], dict[str, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    delar: dict[tuple[int, str], dict[int, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    ordning: dict[str, tuple[object, ...]] = {}
    noder: dict[str, tuple[int, Nod]] = {}
    # Rows with 0 exist before any answer (a link round's rows are made with it): not answers.
    svar = (
        Enkatsvar.objects.filter(
            tillfalle__in=tillfallen_qs, alternativ__fraga__forbund=forbund, antal__gt=0
        ).values_list("tillfalle_id", "alternativ__fraga_id", "alternativ_id", "antal")
        if tillfallen
        else ()
    )
    for tillfalle_id, fraga_id, alternativ_id, n in svar:
        tillfalle, fraga = tillfallen[tillfalle_id], fragor.get(fraga_id)
        if fraga is None:
            continue
        grupp = fraga.respondentgrupp or tillfalle.respondentgrupp
        if urval.respondentgrupp and grupp != urval.respondentgrupp:
            continue
        delar[(fraga_id, grupp)][_hink(tillfalle, indelning)][tillfalle_id] += n
        if not urval.valt(tillfalle):
            continue
        etikett, nyckel = _etikett(tillfalle, indelning)
        ordning[etikett] = nyckel
        noder[etikett] = _nod(tillfalle, indelning, urval)
        antal[(fraga_id, grupp)][etikett][alternativ_id] += n
    serier = [
        _serie(
            fragor[fraga_id],
            skalor[fraga_id],
            grupp,
            per_etikett,
            ordning,
            fragor,
            _dolda_etiketter(delar[(fraga_id, grupp)], noder, tillfallen, urval, min_n),
        )
        for (fraga_id, grupp), per_etikett in antal.items()
    ]
    besvarade = {fraga_id for fraga_id, _g in antal}
    serier += [
        _serie(f, skalor[f.pk], f.respondentgrupp, {}, ordning, fragor, frozenset())
        for f in fragor.values()
        if f.aktiv and f.pk not in besvarade
    ]
    return Enkatresultat(
        indelning=indelning,
        min_n=min_n,
        delar=_delar(serier, fragor),
        inlamnade=_inlamnade(tillfallen.values(), indelning, ordning, urval, min_n),
        antal_tillfallen=sum(1 for t in tillfallen.values() if urval.valt(t)),
    )


# --- Steps --------------------------------------------------------------------------------


def _tillfallen(forbund: Forbund, urval: Urval) -> QuerySet[Enkattillfalle]:
    """The rounds of the suppression tree: every round in the urval's period that the viewer
    may see (not only the chosen insatser's, see `Urval.valt`)."""
    qs = Enkattillfalle.objects.filter(forbund=forbund)
    if urval.enkat_id is not None:
        qs = qs.filter(enkat_id=urval.enkat_id)
    if urval.trad is not None:
        qs = qs.filter(insats_id__in=sorted(urval.trad))
    qs = qs.filter(_arens_tillfallen(urval.fran_ar, urval.till_ar))
    if urval.respondentgrupp:
        # A round without a group asks the questions' own groups.
        qs = qs.filter(Q(respondentgrupp=urval.respondentgrupp) | Q(respondentgrupp=""))
    return (
        qs.select_related("enkat")
        .only(
            "pk",
            "namn",
            "datum",
            "respondentgrupp",
            "antal_svar",
            "insats_id",
            "enkat__namn",
            "enkat__slag",
        )
        .order_by("datum", "pk")
    )


def _arens_tillfallen(fran_ar: int | None, till_ar: int | None) -> Q:
    """The rounds whose year (`kalender.enkatar`) is `fran_ar`–`till_ar` (either may be open):
    by collection year for the NNS enkät, by calendar year for the others."""
    nns, ovriga = (
        Q(enkat__slag=Enkat.Slag.NNS),
        Q(enkat__isnull=True) | ~Q(enkat__slag=Enkat.Slag.NNS),
    )
    if fran_ar is not None:
        nns &= Q(datum__gte=enkatperiod(fran_ar, nns=True)[0])
        ovriga &= Q(datum__gte=enkatperiod(fran_ar, nns=False)[0])
    if till_ar is not None:
        nns &= Q(datum__lte=enkatperiod(till_ar, nns=True)[1])
        ovriga &= Q(datum__lte=enkatperiod(till_ar, nns=False)[1])
    return nns | ovriga


def _ar(tillfalle: Enkattillfalle) -> int:
    """The year a round counts to (`kalender.enkatar`)."""
    enkat = tillfalle.enkat
    return enkatar(tillfalle.datum, nns=enkat is not None and enkat.slag == Enkat.Slag.NNS)


def _fragor(
    forbund: Forbund, urval: Urval
) -> tuple[dict[int, Enkatfraga], dict[int, list[Svarsalternativ]]]:
    """The questions and their options in scale order, read together in one query. A question
    without options has nothing to answer and is left out."""
    qs = Svarsalternativ.objects.filter(fraga__forbund=forbund).select_related(
        "fraga", "fraga__enkat"
    )
    if urval.enkat_id is not None:
        qs = qs.filter(fraga__enkat_id=urval.enkat_id)
    if urval.bara_malfragor:
        qs = qs.filter(fraga__malfraga=True)
    if urval.respondentgrupp:
        qs = qs.filter(fraga__respondentgrupp__in=[urval.respondentgrupp, ""])
    fragor: dict[int, Enkatfraga] = {}
    skalor: dict[int, list[Svarsalternativ]] = defaultdict(list)
    for alternativ in qs.order_by("fraga_id", "ordning", "pk"):
        fragor.setdefault(alternativ.fraga_id, alternativ.fraga)
        skalor[alternativ.fraga_id].append(alternativ)
    return fragor, skalor


def _etikett(tillfalle: Enkattillfalle, indelning: Indelning) -> tuple[str, tuple[object, ...]]:
    """The bar a round's answers count to, and that bar's place in time order."""
    if indelning == Indelning.TILLFALLE:
        return (
            f"{tillfalle.namn} {datum_svenskt(tillfalle.datum)}",
            (tillfalle.datum, tillfalle.pk),
        )
    ar = _ar(tillfalle)
    return str(ar), (ar,)


def _hink(tillfalle: Enkattillfalle, indelning: Indelning) -> int:
    """The year whose suppression tree a round belongs to (a round's bar is part of its year's,
    which the same page shows; the same year on every page)."""
    return _ar(tillfalle)


def _nod(tillfalle: Enkattillfalle, indelning: Indelning, urval: Urval) -> tuple[int, Nod]:
    """The year and tree node of the bar a chosen round counts to."""
    if indelning == Indelning.TILLFALLE:
        return _hink(tillfalle, indelning), tillfallesnod(tillfalle.pk)
    return _hink(tillfalle, indelning), urval.nod


def _dolda_etiketter(
    per_hink: Mapping[int, Mapping[int, int]],
    noder: Mapping[str, tuple[int, Nod]],
    tillfallen: Mapping[int, Enkattillfalle],
    urval: Urval,
    min_n: int,
) -> frozenset[str]:
    """The labels of one series whose bars the complementary suppression hides."""
    dold = {
        hink: dolda(
            (Del(t, tillfallen[t].insats_id, n) for t, n in per_tillfalle.items()),
            min_n=min_n,
            omfang=urval.trad,
        )
        for hink, per_tillfalle in per_hink.items()
    }
    return frozenset(e for e, (hink, nod) in noder.items() if nod in dold.get(hink, ()))


def _stapel(
    etikett: str, alternativ: Sequence[Svarsalternativ], antal: Mapping[int, int], dold: bool
) -> Stapelvarde:
    """The one place that decides whether a bar may be shown: `dold` is the suppression's
    verdict (below the minimum n, or a figure that would reveal one)."""
    n = sum(antal.get(a.pk, 0) for a in alternativ)
    if dold or not n:
        return ForFaSvar(etikett)
    return Stapel(
        etikett=etikett,
        n=n,
        svar=tuple(
            Svarsandel(a.text, antal.get(a.pk, 0), procent(antal.get(a.pk, 0), n) or 0, a.positivt)
            for a in alternativ
        ),
    )


def _gruppnamn(grupp: str) -> str:
    return Respondentgrupp(grupp).label if grupp in GRUPPORDNING else ALLA_GRUPPER


def _serie(
    fraga: Enkatfraga,
    alternativ: Sequence[Svarsalternativ],
    grupp: str,
    per_etikett: Mapping[str, Mapping[int, int]],
    ordning: Mapping[str, tuple[object, ...]],
    fragor: Mapping[int, Enkatfraga],
    dolda_etiketter: frozenset[str],
) -> Fragaserie:
    tidigare = fragor.get(fraga.ersatter_id) if fraga.ersatter_id else None
    return Fragaserie(
        fraga_id=fraga.pk,
        text=fraga.text,
        version=fraga.version,
        indikator=fraga.indikator,
        respondentgrupp=grupp,
        respondentgrupp_namn=_gruppnamn(grupp),
        malfraga=fraga.malfraga,
        alternativ=tuple(a.text for a in alternativ),
        positiva_alternativ=tuple(a.text for a in alternativ if a.positivt),
        staplar=tuple(
            _stapel(etikett, alternativ, per_etikett[etikett], etikett in dolda_etiketter)
            for etikett in sorted(per_etikett, key=lambda e: ordning[e])
        ),
        tidigare_version=tidigare.text if tidigare else None,
        aktiv=fraga.aktiv,
    )


def _delar(serier: Iterable[Fragaserie], fragor: Mapping[int, Enkatfraga]) -> tuple[Enkatdel, ...]:
    """Series grouped per enkät (by name, questions without one last), then per indicator (in
    number order, those without last) and respondent group, then in the questions' order."""
    per_enkat: dict[int | None, dict[tuple[int | None, str], list[Fragaserie]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for serie in serier:
        per_enkat[fragor[serie.fraga_id].enkat_id][(serie.indikator, serie.respondentgrupp)].append(
            serie
        )
    enkater: dict[int | None, Enkat | None] = {
        f.enkat_id: f.enkat for f in fragor.values() if f.enkat_id in per_enkat
    }

    def fragordning(s: Fragaserie) -> tuple[int, int, int]:
        return (fragor[s.fraga_id].ordning, s.version, s.fraga_id)

    def gruppordning(nyckel: tuple[int | None, str]) -> tuple[bool, int, int]:
        indikator, grupp = nyckel
        return (indikator is None, indikator or 0, GRUPPORDNING.get(grupp, -1))

    delar = [
        Enkatdel(
            enkat_id=enkat_id,
            namn=enkat.namn if (enkat := enkater.get(enkat_id)) else UTAN_ENKAT,
            slag=enkat.slag if enkat else "",
            grupper=tuple(
                Indikatorgrupp(
                    nyckel[0],
                    nyckel[1],
                    _gruppnamn(nyckel[1]),
                    tuple(sorted(grupper[nyckel], key=fragordning)),
                )
                for nyckel in sorted(grupper, key=gruppordning)
            ),
        )
        for enkat_id, grupper in per_enkat.items()
    ]
    return tuple(sorted(delar, key=lambda d: (d.enkat_id is None, d.namn)))


def _inlamnade_del(tillfalle: Enkattillfalle) -> tuple[int | None, str]:
    """The enkät and respondent group whose forms a round's count is part of: each pair its own
    suppression tree, as each question and group is its own series."""
    return tillfalle.enkat_id, tillfalle.respondentgrupp


def _inlamnade(
    tillfallen: Iterable[Enkattillfalle],
    indelning: Indelning,
    ordning: dict[str, tuple[object, ...]],
    urval: Urval,
    min_n: int,
) -> tuple[Inlamnade, ...]:
    """Forms handed in per bar, enkät and group, suppressed like the answers (the rounds'
    counts are the leaves)."""
    per: dict[tuple[int | None, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    delar: dict[tuple[int | None, str], dict[int, dict[int, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    noder: dict[tuple[int | None, str], dict[str, tuple[int, Nod]]] = defaultdict(dict)
    mapp: dict[int, Enkattillfalle] = {}
    namn: dict[int | None, str] = {}
    for tillfalle in tillfallen:
        mapp[tillfalle.pk] = tillfalle
        nyckel = _inlamnade_del(tillfalle)
        delar[nyckel][_hink(tillfalle, indelning)][tillfalle.pk] = tillfalle.antal_svar
        if not urval.valt(tillfalle):
            continue
        namn[tillfalle.enkat_id] = tillfalle.enkat.namn if tillfalle.enkat else UTAN_ENKAT
        etikett, plats = _etikett(tillfalle, indelning)
        ordning.setdefault(etikett, plats)
        noder[nyckel][etikett] = _nod(tillfalle, indelning, urval)
        per[nyckel][etikett] += tillfalle.antal_svar
    rader = []
    for nyckel, per_etikett in per.items():
        dold = _dolda_etiketter(delar[nyckel], noder[nyckel], mapp, urval, min_n)
        # A round fed only with imported counts has no forms counted: it has no row here.
        rader += [
            Inlamnade(e, None if e in dold else antal, namn[nyckel[0]], _gruppnamn(nyckel[1]))
            for e, antal in per_etikett.items()
            if antal
        ]
    return tuple(
        sorted(
            rader,
            key=lambda i: (ordning[i.etikett], i.enkat == UTAN_ENKAT, i.enkat, i.rubrik),
        )
    )


def inlamnade_per_tillfalle(
    *, forbund: Forbund, tillfallen: Iterable[Enkattillfalle], omfang: frozenset[int] | None
) -> dict[int, int | None]:
    """Each round's forms handed in as a viewer with scope `omfang` may see them (None:
    suppressed), decided like the results page's per-round "Inlämnade": on all the rounds of
    the same year, enkät and group that the viewer may see. One query."""
    valda = list(tillfallen)
    if not valda:
        return {}
    ar = {_ar(t) for t in valda}
    per_ar: dict[tuple[int, int | None, str], list[Del]] = defaultdict(list)
    for t in _tillfallen(forbund, Urval(fran_ar=min(ar), till_ar=max(ar), omfang=omfang)):
        per_ar[(_ar(t), *_inlamnade_del(t))].append(Del(t.pk, t.insats_id, t.antal_svar))
    min_n = settings.FINSAM_ENKAT_MIN_N
    dold = {a: dolda(d, min_n=min_n, omfang=omfang) for a, d in per_ar.items()}
    return {
        t.pk: None
        if tillfallesnod(t.pk) in dold.get((_ar(t), *_inlamnade_del(t)), ())
        else t.antal_svar
        for t in valda
    }


__all__ = [
    "FOR_FA_SVAR",
    "Enkatdel",
    "Enkatresultat",
    "ForFaSvar",
    "Fragaserie",
    "Indelning",
    "Indikatorgrupp",
    "Inlamnade",
    "Stapel",
    "Stapelvarde",
    "Svarsandel",
    "Urval",
    "enkatresultat",
    "inlamnade_per_tillfalle",
]
