"""Reads for the registration pages, always scoped to the user's förbund and insatser."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import chain
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone

from registrering import ledger, permissions
from registrering.adresser import adressdelar, adressmall
from registrering.kalender import (
    MANADER,
    ar_forsenad,
    manaden_har_slutat,
    sista_rapportdag,
)
from registrering.ledger import Kon
from registrering.models import (
    Forbund,
    IngaendeBalans,
    Insats,
    Insatsgrupp,
    Justering,
    Manadsrapport,
    User,
)
from registrering.permissions import Anvandare

_SVENSK_ORDNING = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def sv_nyckel(text: str) -> str:
    """Sort key in Swedish alphabetical order (å, ä, ö after z), case-insensitive."""
    return text.casefold().translate(_SVENSK_ORDNING)


def i_rapportordning(insatser: Iterable[Insats]) -> list[Insats]:
    """The insatser in the order the reports show them: `ordning`, then Swedish alphabetical."""
    return sorted(insatser, key=lambda i: (i.ordning, sv_nyckel(i.namn)))


def flodesinsatser(insatser: Iterable[Insats]) -> list[Insats]:
    """Those of `insatser` followed by their participant flow: individinriktade, not a volume
    (in Python what `InsatsQuerySet.deltagarflode` is in the database)."""
    return [
        i for i in insatser if i.inriktning == Insats.Inriktning.INDIVID and not i.ar_volyminsats
    ]


SAKNAS = "saknas"
EJ_AKTUELL = "ej_aktuell"
STATUS_TEXT = {
    SAKNAS: "saknas",
    EJ_AKTUELL: "ej aktuell",
    **{s.value: s.label.lower() for s in Manadsrapport.Status},
}
STATUS_TEXT[Manadsrapport.Status.REGISTRERAD] = "registrerad i Uppföljning Finsam"
# The månadsöversikt's cells: short enough for twelve months on a laptop; its summary is the
# legend, and each cell's link carries the full text for screen readers.
STATUS_KORT = {**STATUS_TEXT, Manadsrapport.Status.REGISTRERAD: "reg.", EJ_AKTUELL: "–"}
# States that still wait for the insatsansvarig.
VANTAR_PA_ANSVARIG = {SAKNAS, Manadsrapport.Status.UTKAST, Manadsrapport.Status.RETURNERAD}


class Cell(NamedTuple):
    """One month of one insats in the grid (a named tuple: 3 600 of them are made per page of
    300 insatser, and a frozen dataclass took several times as long to build)."""

    insats_id: int
    insats_namn: str
    ar: int
    manad: int
    status: str
    forsenad: bool
    url: str | None

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def kort_text(self) -> str:
        """The state as shown in the grid's cell (the link's hidden text says it in full)."""
        return STATUS_KORT[self.status]

    @property
    def manad_namn(self) -> str:
        return MANADER[self.manad]

    @property
    def etikett(self) -> str:
        """What a screen reader hears: "Försteg Motala, oktober 2026: saknas, försenad"."""
        text = f"{self.insats_namn}, {self.manad_namn} {self.ar}: {self.status_text}"
        return f"{text}, försenad" if self.forsenad else text

    @property
    def css(self) -> str:
        return self.status.replace("_", "-")


class Rutnat(NamedTuple):
    """What the rows of one year's grid share: per month (January first) its number, whether
    it has ended, whether its deadline has passed and its address after the insats; and the
    address before the insats (`registrering:manad`, one `reverse()` for the grid)."""

    ar: int
    manader: tuple[tuple[int, bool, bool, str], ...]
    fore: str


@dataclass(frozen=True)
class Rad:
    """An insats's row of the grid: its months' states (`statuser`, in `rutnat`'s order), and
    the cells made from them when asked (the grid's HTML is made from the states,
    `manadsceller`: 3 600 cells at 300 insatser)."""

    insats: Insats
    statuser: tuple[str, ...]
    rutnat: Rutnat

    @cached_property
    def celler(self) -> tuple[Cell, ...]:
        return celler(self)


def celler(rad: Rad, bara: Collection[str] | None = None) -> tuple[Cell, ...]:
    """The row's cells; with `bara`, only those in these states (the others are not made)."""
    insats, ar, fore = rad.insats, rad.rutnat.ar, rad.rutnat.fore
    pk, namn = insats.pk, insats.namn
    bas = f"{fore}/{pk}"
    return tuple(
        _ny_cell(
            (
                pk,
                namn,
                ar,
                manad,
                status,
                sent and status in VANTAR_PA_ANSVARIG,
                bas + adress if status != EJ_AKTUELL else None,
            )
        )
        for (manad, _slutat, sent, adress), status in zip(
            rad.rutnat.manader, rad.statuser, strict=True
        )
        if bara is None or status in bara
    )


@dataclass(frozen=True)
class Oversikt:
    ar: int
    rader: tuple[Rad, ...]
    grupper: tuple[Insatsgrupp, ...]
    antal_per_status: dict[str, int]
    antal_forsenade: int

    @property
    def manader(self) -> list[tuple[int, str]]:
        return list(MANADER.items())

    @property
    def forklaring(self) -> list[tuple[str, str, str, int]]:
        """The summary that is also the legend: (css class, short word, full text, count), in
        the order of the workflow."""
        return [
            (status.replace("_", "-"), kort, STATUS_TEXT[status], self.antal_per_status[status])
            for status, kort in STATUS_KORT.items()
            if status != EJ_AKTUELL and status in self.antal_per_status
        ]


def _statuser(
    insats: Insats, rapporter: Mapping[int, Mapping[int, str]], rutnat: Rutnat
) -> tuple[str, ...]:
    """An insats's states month by month: the saved month's (`rapporter`, by insats and
    month), or without one missing or not applicable."""
    radens = rapporter.get(insats.pk, {})
    return tuple(
        radens.get(manad) or _utan_rapport(insats, rutnat.ar, manad, slutat)
        for manad, slutat, _sent, _adress in rutnat.manader
    )


# A Cell from its fields in order, without the Python frame of the named tuple's `__new__`
# (3 600 per page at 300 insatser: a third of the row's time).
_ny_cell: Callable[[tuple[int, str, int, int, str, bool, str | None]], Cell] = partial(
    tuple.__new__, Cell
)


def _utan_rapport(insats: Insats, ar: int, manad: int, slutat: bool) -> str:
    """The state of a month without a saved month: missing once the month has ended in the
    insats's time, else not applicable."""
    return SAKNAS if slutat and insats.aktiv_manad(ar, manad) else EJ_AKTUELL


def insatser_i_oversikt(
    user: Anvandare, forbund: Forbund, ar: int, *, grupp: int | None = None, inriktning: str = ""
) -> QuerySet[Insats]:
    qs = permissions.insatser_for_user(user, forbund).aktiva_under(ar).order_by("ordning", "namn")
    if grupp:
        qs = qs.filter(grupp_id=grupp)
    if inriktning:
        qs = qs.filter(inriktning=inriktning)
    return qs


def manadsoversikt(
    *,
    user: Anvandare,
    forbund: Forbund,
    ar: int,
    idag: dt.date,
    grupp: int | None = None,
    inriktning: str = "",
    grupper: Sequence[Insatsgrupp] | None = None,
    arets_insatser: Sequence[Insats] | None = None,
) -> Oversikt:
    """Insatser × months with each month's state, in three queries and one `reverse()`
    however many insatser. A caller that has read `insatser_i_oversikt` without filters
    already (`arets_insatser`) may pass it: the filters are applied to it here."""
    urval = insatser_i_oversikt(user, forbund, ar, grupp=grupp, inriktning=inriktning)
    insatser, rapporter, rutnat = _arets_manader(
        urval,
        forbund,
        ar,
        idag,
        None
        if arets_insatser is None
        else [
            i
            for i in arets_insatser
            if (not grupp or i.grupp_id == grupp) and (not inriktning or i.inriktning == inriktning)
        ],
    )
    rader = tuple(Rad(insats, _statuser(insats, rapporter, rutnat), rutnat) for insats in insatser)
    # Counted from the states in C (`Counter`), not cell by cell.
    antal = dict(Counter(chain.from_iterable(r.statuser for r in rader)))
    sena = [i for i, (_manad, _slutat, sent, _adress) in enumerate(rutnat.manader) if sent]
    forsenade = sum(r.statuser[i] in VANTAR_PA_ANSVARIG for r in rader for i in sena)
    if grupper is None:
        grupper = list(Insatsgrupp.objects.filter(forbund=forbund).order_by("namn"))
    return Oversikt(ar, rader, tuple(grupper), antal, forsenade)


def _arets_manader(
    urval: QuerySet[Insats],
    forbund: Forbund,
    ar: int,
    idag: dt.date,
    insatser: list[Insats] | None = None,
) -> tuple[list[Insats], dict[int, dict[int, str]], Rutnat]:
    """What the grid of `urval` in `ar` is made of (two queries; one when `insatser`, the
    urval already read, is given): the insatser, the saved months' states by insats and month,
    and what the rows share (`Rutnat`)."""
    if insatser is None:
        insatser = list(urval)
    # The insatser as a subquery: Django took twice as long to prepare a list of 300 ids as
    # the month rows took to read (issue 15). No query without insatser, as with an empty list.
    # Unordered: the model's ordering joins the insats and its förbund to sort 3 600 rows that
    # are looked up by key (a third of the read at 300 insatser).
    rapporter: dict[int, dict[int, str]] = {}
    for insats_id, manad, status in (
        Manadsrapport.objects.filter(insats__in=urval.values("pk"), ar=ar)
        .order_by()
        .values_list("insats_id", "manad", "status")
        if insatser
        else ()
    ):
        rapporter.setdefault(insats_id, {})[manad] = status
    fore, efter = adressdelar("registrering:manad", 1, ar, 1)
    manader = tuple(
        (
            manad,
            manaden_har_slutat(ar, manad, idag),
            ar_forsenad(ar, manad, forbund.rapportdag, idag),
            f"/{ar}/{manad}/{efter}",
        )
        for manad in MANADER
    )
    return insatser, rapporter, Rutnat(ar, manader, fore)


def _vantande_celler(
    user: Anvandare,
    forbund: Forbund,
    ar: int,
    idag: dt.date,
    arets_insatser: list[Insats] | None = None,
) -> list[Cell]:
    """The cells of `ar` that wait for the user, in the grid's order, without building the
    grid's other cells (a year whose months are approved has none). `arets_insatser`: as
    `manadsoversikt`'s, without filters."""
    insatser, rapporter, rutnat = _arets_manader(
        insatser_i_oversikt(user, forbund, ar), forbund, ar, idag, arets_insatser
    )
    return _vantande_ur(
        Rad(insats, _statuser(insats, rapporter, rutnat), rutnat) for insats in insatser
    )


def _vantande_ur(rader: Iterable[Rad]) -> list[Cell]:
    """The rows' cells that wait for the user (only those cells are made)."""
    return [
        cell
        for rad in rader
        if VANTAR_PA_ANSVARIG.intersection(rad.statuser)
        for cell in celler(rad, VANTAR_PA_ANSVARIG)
    ]


@dataclass(frozen=True)
class VantandeManad:
    cell: Cell
    sista_dag: dt.date


def vantande_manader(
    *,
    user: Anvandare,
    forbund: Forbund,
    idag: dt.date,
    oversikter: Mapping[int, Oversikt] | None = None,
    arets_insatser: Mapping[int, list[Insats]] | None = None,
) -> list[VantandeManad]:
    """The months that wait for the user (missing, drafts, returned), oldest first, in this and
    last year. A caller that has built one of those years' `oversikter` already may pass it,
    and for the other year its insatser (`arets_insatser`, as `manadsoversikt`'s)."""
    result = []
    for ar in (idag.year - 1, idag.year):
        oversikt = (oversikter or {}).get(ar)
        celler = (
            _vantande_ur(oversikt.rader)
            if oversikt is not None
            else _vantande_celler(user, forbund, ar, idag, (arets_insatser or {}).get(ar))
        )
        sista_dag = {m: sista_rapportdag(ar, m, forbund.rapportdag) for m in MANADER}
        result += [VantandeManad(cell, sista_dag[cell.manad]) for cell in celler]
    return sorted(result, key=lambda v: (v.cell.ar, v.cell.manad, v.cell.insats_namn))


# --- The insatsansvarig's year ---------------------------------------------------------------


@dataclass(frozen=True)
class MinRad(Rad):
    """One of the user's insatser in the year: its row of the grid, and for a deltagarflöde
    insats whether the balance on 1 January is confirmed (None for a volyminsats)."""

    balans_bekraftad: bool | None


@dataclass(frozen=True)
class MinaInsatser:
    ar: int
    rader: tuple[MinRad, ...]
    vantande: tuple[VantandeManad, ...]
    har_insatser: bool  # responsible for any insats at all, in any year
    foregaende_ar: int | None  # the year navigation: years with one of the user's insatser
    nasta_ar: int | None

    @property
    def manader(self) -> list[tuple[int, str]]:
        return list(MANADER.items())

    @property
    def balanser(self) -> tuple[MinRad, ...]:
        """The deltagarflöde insatser, whose year starts with a balance to confirm."""
        return tuple(r for r in self.rader if r.balans_bekraftad is not None)


def mina_insatser(*, user: User, forbund: Forbund, ar: int, idag: dt.date) -> MinaInsatser:
    """The insatsansvarig's own insatser in `ar`, every month with its state and link, and the
    months that wait for them (this and last year), in a constant number of queries."""
    egna = {
        pk: (start, slut)
        for pk, start, slut in Insats.objects.filter(forbund=forbund, insatsansvariga=user)
        .order_by()
        .values_list("pk", "startdatum", "slutdatum")
    }
    # The insatser of the years shown, read once: each year's are those active in it (as
    # `insatser_i_oversikt` reads them, in its order).
    aren = sorted({ar, idag.year - 1, idag.year})
    lasta = list(
        permissions.insatser_for_user(user, forbund)
        .aktiva_under_aren(aren[0], aren[-1])
        .order_by("ordning", "namn")
    )
    per_ar = {y: [i for i in lasta if ledger.aktiv(i.startdatum, i.slutdatum, y)] for y in aren}
    # The year shown as a grid; the waiting months of the other year without one.
    oversikter = {
        ar: manadsoversikt(
            user=user, forbund=forbund, ar=ar, idag=idag, grupper=(), arets_insatser=per_ar[ar]
        )
    }
    rader = [r for r in oversikter[ar].rader if r.insats.pk in egna]
    bekraftade = set(
        IngaendeBalans.objects.filter(insats__forbund=forbund, ar=ar)
        .order_by()
        .values_list("insats_id", flat=True)
    )
    forsta = min((start.year for start, _slut in egna.values()), default=idag.year)
    return MinaInsatser(
        ar=ar,
        rader=tuple(
            MinRad(
                r.insats,
                r.statuser,
                r.rutnat,
                None if r.insats.ar_volyminsats else r.insats.pk in bekraftade,
            )
            for r in rader
        ),
        vantande=tuple(
            v
            for v in vantande_manader(
                user=user, forbund=forbund, idag=idag, oversikter=oversikter, arets_insatser=per_ar
            )
            if v.cell.insats_id in egna
        ),
        har_insatser=bool(egna),
        foregaende_ar=ar - 1 if ar - 1 >= forsta else None,
        nasta_ar=ar + 1 if ar + 1 <= idag.year else None,
    )


# --- Data quality: what the figures of a year rest on ---------------------------------------


@dataclass(frozen=True)
class JusteringRad:
    insats_id: int
    insats_namn: str
    ar: int
    manad: int
    kvinnor: int
    man: int
    anledning: str
    skapad_av: str
    skapad_tid: dt.datetime


def justeringar(
    *, forbund: Forbund, ar: int, med_forra_december: bool = False
) -> tuple[JusteringRad, ...]:
    """The year's justeringar (one query); with `med_forra_december` also last December's, where
    a correction of the balance on 1 January is recorded (last, after the year's own)."""
    villkor = Q(ar=ar) | Q(ar=ar - 1, manad=12) if med_forra_december else Q(ar=ar)
    return tuple(
        JusteringRad(
            insats_id=j.insats_id,
            insats_namn=j.insats.namn,
            ar=j.ar,
            manad=j.manad,
            kvinnor=j.kvinnor,
            man=j.man,
            anledning=j.anledning,
            skapad_av=(j.skapad_av.get_full_name() or j.skapad_av.username) if j.skapad_av else "",
            skapad_tid=j.skapad_tid,
        )
        for j in sorted(
            Justering.objects.filter(villkor, insats__forbund=forbund).select_related(
                "insats", "skapad_av"
            ),
            key=lambda j: (j.ar != ar, sv_nyckel(j.insats.namn), j.manad, j.skapad_tid),
        )
    )


@dataclass(frozen=True)
class KvarVidSlut:
    """An insats that ended during the year (its end date has passed) with participants still
    enrolled by its flow."""

    insats_id: int
    insats_namn: str
    slutdatum: dt.date
    kvar: Kon


@dataclass(frozen=True)
class Datakvalitet:
    """What a year's figures rest on that someone should look at: justeringar, balances on
    1 January nobody confirmed, and insatser that ended with participants still enrolled."""

    ar: int
    justeringar: tuple[JusteringRad, ...]  # the year's own, January–December of `ar`
    obekraftade_balanser: tuple[Insats, ...]
    kvar_vid_slut: tuple[KvarVidSlut, ...]
    # Corrections of the balance on 1 January of `ar`: justeringar of last December, listed on
    # their own so that the year's list holds only the year's months.
    balansrattelser: tuple[JusteringRad, ...] = ()

    @property
    def tom(self) -> bool:
        return not (
            self.justeringar
            or self.obekraftade_balanser
            or self.kvar_vid_slut
            or self.balansrattelser
        )

    @property
    def obekraftade_med_adress(self) -> tuple[tuple[Insats, str], ...]:
        """The unconfirmed balances, each with the address where it is confirmed (one
        `reverse()` for them all)."""
        if not self.obekraftade_balanser:
            return ()
        adress = adressmall("registrering:ingaende_balans", 1, self.ar)
        return tuple((i, adress(i.pk, self.ar)) for i in self.obekraftade_balanser)


def _kvar_vid_slut(
    insatser: Sequence[Insats], summor: ledger.Flodessummor, *, ar: int, idag: dt.date
) -> tuple[KvarVidSlut, ...]:
    """The insatser whose end date in `ar` has passed with participants still enrolled."""
    kvar = []
    for insats, slut in _slutade(insatser, ar=ar, idag=idag):
        utgaende = summor.ingaende(insats.pk, ar + 1)
        if utgaende != Kon():
            kvar.append(KvarVidSlut(insats.pk, insats.namn, slut, utgaende))
    return tuple(kvar)


def _slutade(insatser: Sequence[Insats], *, ar: int, idag: dt.date) -> list[tuple[Insats, dt.date]]:
    """The insatser whose end date in `ar` has passed, with that date."""
    return [
        (i, slut)
        for i in insatser
        if (slut := i.slutdatum) is not None and ledger.avslutad_under(slut, ar) and slut < idag
    ]


def datakvalitet(
    *,
    forbund: Forbund,
    ar: int,
    med_forra_december: bool = False,
    summor: ledger.Flodessummor | None = None,
    arets_justeringar: tuple[JusteringRad, ...] | None = None,
    idag: dt.date | None = None,
    arets_insatser: Iterable[Insats] | None = None,
) -> Datakvalitet:
    """The data-quality lists of a year, the same on the report page and in the månadsöversikt
    (a constant number of queries). With `med_forra_december` the corrections of the balance on
    1 January (last December's justeringar) are read too, as `balansrattelser`. A caller that
    has read the flow sums up to the next year (`summor`) or the year's justeringar already may
    pass them on, and one that has read the förbund's insatser active in `ar`, `arets_insatser`.

    An insats counts as ended once its end date has passed (`idag`): one that is planned to end
    later this year still has months to report."""
    idag = idag or timezone.localdate()
    if arets_insatser is None:
        insatser = i_rapportordning(
            Insats.objects.filter(forbund=forbund).aktiva_under(ar).deltagarflode()
        )
    else:
        insatser = i_rapportordning(flodesinsatser(arets_insatser))
    if summor is None:
        # Only an insats that ended is followed to the year's end: the flow of every earlier
        # year of 300 insatser is most of the page's time otherwise (issue 15), and without
        # one nothing is (preparing the four queries took longer than reading them). The
        # others need only whether their balance is confirmed: the förbund's confirmed ones of
        # the year, without a list of several hundred ids for Django to prepare.
        slutade = [i.pk for i, _slut in _slutade(insatser, ar=ar, idag=idag)]
        summor = ledger.flodessummor(slutade, till_ar=ar + 1) if slutade else None
        bekraftade = set(
            IngaendeBalans.objects.filter(insats__forbund=forbund, ar=ar)
            .order_by()
            .values_list("insats_id", flat=True)
        )
    else:
        bekraftade = {i.pk for i in insatser if summor.bekraftad(i.pk, ar)}
    alla = (
        arets_justeringar
        if arets_justeringar is not None and not med_forra_december
        else justeringar(forbund=forbund, ar=ar, med_forra_december=med_forra_december)
    )
    return Datakvalitet(
        ar=ar,
        justeringar=tuple(j for j in alla if j.ar == ar),
        obekraftade_balanser=tuple(i for i in insatser if i.pk not in bekraftade),
        kvar_vid_slut=(
            _kvar_vid_slut(insatser, summor, ar=ar, idag=idag) if summor is not None else ()
        ),
        balansrattelser=tuple(j for j in alla if j.ar == ar - 1),
    )
