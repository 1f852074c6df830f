"""The bilaga built before anyone asks: one build per förbund, year and data version.

- **The version.** Every write bumps the data version of the förbund and year it touches
  (`registrering.dataversion`). What is built is recorded against that version
  (`models.Bilagebygge`): the PDF's name in the shared store (`rapporter.lagring`), its
  download name, and the hashes of the year's chart SVGs, stored beside it.
- **The lock.** The row's unique key (förbund, year, version) decides, in the database and so
  across processes and machines, who builds a version: the process that made the row, or that
  took it over from "in the queue" with a conditional update. Nobody else renders it. A claim
  that has said nothing for `BYGGE_TIMEOUT` is taken to have died with its process.
- **Before anyone asks.** After a write, `varm_senare` waits until the förbund's writes have
  stopped for `FORDROJNING` seconds (a debounce, re-checked against the versions' time of
  change) and then builds the years people read (`ar_att_halla_varma`) whose current version
  is not built: within a minute of the last change, once. It also renders the report pages
  and the goal page ahead (`rapporter.sidcache`).
- **Asked for.** A download looks the build up by the version (`aktuellt`: two queries), and
  never computes the report. If the version is not built, `bestall` queues it (once); the
  download page waits for it, or hands out the previous version, marked as such.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from finsam import uppgifter
from rapporter import lagring
from rapporter.models import Bilagebygge
from registrering import dataversion
from registrering.dataversion import Version

logger = logging.getLogger(__name__)

T = Bilagebygge.Tillstand
#: Seconds without writes before the year's bilaga is rebuilt in the background.
FORDROJNING = 15
#: A queued or running build that has not finished in this time is taken to have died.
BYGGE_TIMEOUT = dt.timedelta(minutes=5)
#: A failed build is shown (and not retried by itself) for this long; "Försök igen" retries.
FEL_TIMEOUT = dt.timedelta(minutes=10)
#: Years whose bilaga was built this recently are kept up to date after a change.
HALL_VARM = dt.timedelta(days=90)
# While a debounced rebuild of the förbund waits, further writes need not queue another.
VARMNING_TIMEOUT = 10 * 60
# How many times a statement refused by a locked SQLite table is tried (`_forsok`): 2 s.
LAST_FORSOK = 100
R = TypeVar("R")

if TYPE_CHECKING:
    from rapporter.diagram import Diagram


def _forsok(sats: Callable[[], R]) -> R:
    """One statement on the build rows, again while SQLite answers that the table is locked:
    an in-memory database shared between threads (the tests' live server and the pool thread)
    locks whole tables and does not wait. (A statement SQLite refuses changes nothing, and the
    caller's transaction goes on; PostgreSQL never answers so.) Any other error is raised at
    once."""
    for forsok in range(LAST_FORSOK):
        try:
            return sats()
        except OperationalError as fel:
            if "locked" not in str(fel) or forsok == LAST_FORSOK - 1:
                raise
            time.sleep(0.02)
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Aktuellt:
    """The year's data version and its build (None when it has not been ordered)."""

    version: Version
    bygge: Bilagebygge | None

    @property
    def klart(self) -> Bilagebygge | None:
        return self.bygge if self.bygge and self.bygge.tillstand == T.KLAR else None


def aktuellt(forbund_id: int, ar: int) -> Aktuellt:
    """The current version and its build, if any (two queries, no report)."""
    version = dataversion.version(forbund_id, ar)
    bygge = _forsok(
        lambda: Bilagebygge.objects.filter(
            forbund_id=forbund_id, ar=ar, version=version.nummer
        ).first()
    )
    return Aktuellt(version, bygge)


def foregaende(forbund_id: int, ar: int, version: int) -> Bilagebygge | None:
    """The newest finished build of an earlier version whose PDF is still stored."""
    for bygge in _forsok(
        lambda: list(
            Bilagebygge.objects.filter(
                forbund_id=forbund_id, ar=ar, version__lt=version, tillstand=T.KLAR
            ).order_by("-version")[:3]
        )
    ):
        if lagring.finns(bygge.namn):
            return bygge
    return None


def diagramnamn(forbund_id: int, ar: int, hash_: str, fmt: str = "svg") -> str:
    """Where a chart's SVG (the report page's) or PNG (the PDF's) is stored: beside the year's
    PDFs, named by the chart's hash."""
    return f"{forbund_id}/{ar}/diagram/{hash_}.{fmt}"


def _rad(forbund_id: int, ar: int, version: int, **ny: object) -> tuple[Bilagebygge, bool]:
    """The row of the version: (row, True) when this call made it with `ny`, else the row that
    was there (made by someone else, perhaps a moment ago)."""

    def skapa() -> tuple[Bilagebygge, bool]:
        try:
            with transaction.atomic():
                return Bilagebygge.objects.create(
                    forbund_id=forbund_id, ar=ar, version=version, koad=timezone.now(), **ny
                ), True
        except IntegrityError:
            return Bilagebygge.objects.get(forbund_id=forbund_id, ar=ar, version=version), False

    return _forsok(skapa)


def _overgiven() -> Q:
    """Rows whose build may be taken over: queued or running without an answer for too long,
    or failed long enough ago."""
    nu = timezone.now()
    return (
        Q(tillstand=T.KO, koad__lt=nu - BYGGE_TIMEOUT)
        | Q(tillstand=T.BYGGER, borjade__lt=nu - BYGGE_TIMEOUT)
        | Q(tillstand=T.FEL, klar__lt=nu - FEL_TIMEOUT)
    )


def bestall(forbund_id: int, ar: int, version: int, *, igen: bool = False) -> Bilagebygge:
    """Make sure the version is built or on its way: queue its build unless it is built,
    queued or being built (a failed one only with `igen`, or after `FEL_TIMEOUT`). Returns the
    row as it stands after the call (built already when the build ran at once, in the tests)."""
    from rapporter.tasks import bygg_bilaga

    bygge, skapad = _rad(forbund_id, ar, version, tillstand=T.KO)
    if not skapad:
        vilka = _overgiven() | Q(tillstand=T.FEL) if igen else _overgiven()
        if bygge.tillstand == T.KLAR and not lagring.finns(bygge.namn):
            vilka |= Q(tillstand=T.KLAR)  # built, but the file has gone (a wiped store)
        andrade = _forsok(
            lambda: (
                Bilagebygge.objects.filter(pk=bygge.pk)
                .filter(vilka)
                .update(tillstand=T.KO, koad=timezone.now(), borjade=None)
            )
        )
        if not andrade:
            return bygge
    uppgifter.skicka(bygg_bilaga, forbund_id, ar, version)
    _forsok(bygge.refresh_from_db)
    return bygge


def _gor_ansprak(forbund_id: int, ar: int, version: int) -> Bilagebygge | None:
    """Claim the build of the version for this process: its row, or None when it is built or
    someone else is building it."""
    nu = timezone.now()
    bygge, skapad = _rad(forbund_id, ar, version, tillstand=T.BYGGER, borjade=nu)
    if skapad:
        return bygge
    tagen = _forsok(
        lambda: (
            Bilagebygge.objects.filter(pk=bygge.pk)
            .filter(Q(tillstand=T.KO) | _overgiven())
            .update(tillstand=T.BYGGER, borjade=nu)
        )
    )
    if not tagen:
        return None
    _forsok(bygge.refresh_from_db)
    return bygge


def bygg(forbund_id: int, ar: int, version: int) -> bool:
    """Build the version's PDF and charts here, unless it is built or someone else builds it.
    Returns whether this call built it. The report is read as the data is now: a write since
    the version was read gives a newer version, which is built after it."""
    bygge = _gor_ansprak(forbund_id, ar, version)
    if bygge is None:
        return False
    borjade = time.monotonic()
    try:
        resultat = _bygg_filer(forbund_id, ar, version)
    except Exception:
        logger.exception("Bygget av bilagan %s/%s version %s misslyckades", forbund_id, ar, version)
        _forsok(
            lambda: Bilagebygge.objects.filter(pk=bygge.pk).update(
                tillstand=T.FEL, klar=timezone.now()
            )
        )
        return False
    sekunder = round(time.monotonic() - borjade, 2)
    _forsok(
        lambda: Bilagebygge.objects.filter(pk=bygge.pk).update(
            tillstand=T.KLAR, klar=timezone.now(), sekunder=sekunder, **resultat
        )
    )
    return True


def _bygg_filer(forbund_id: int, ar: int, version: int) -> dict[str, object]:
    """Draw and store the year's charts and PDF (what is stored already, by its content's hash,
    is not drawn again); returns what the build row records. Inside `sidcache.en_rapport` (the
    rebuild) the report is the one the pages of the same version are rendered from."""
    from rapporter import diagram as d
    from rapporter import pdf, sidcache
    from registrering.models import Forbund

    forbund = Forbund.objects.get(pk=forbund_id)
    rapport = sidcache.arets_rapport(forbund, ar, version)
    diagram = d.diagram_for(rapport)
    hashar = [dg.version for dg in diagram]
    namn = pdf.lagringsnamn(rapport)
    ritad = not lagring.finns(namn)
    spara_diagrammen = _diagrammen(forbund_id, ar, diagram, png=ritad)
    try:
        if ritad:
            pdf.spara(rapport)  # its PNGs from the charts being drawn just now
    finally:
        spara_diagrammen()
    behall = {f"{h}.{fmt}" for h in hashar for fmt in ("svg", d.PNG_FORMAT)}
    lagring.stada(f"{forbund_id}/{ar}/diagram", behall=behall)
    # One line per build, which the load test (bench/last.py) counts: "ritad" when the PDF was
    # rendered, "fanns" when the same content was stored already.
    logger.info("Bilagebygge %s/%s %s %s", forbund_id, ar, "ritad" if ritad else "fanns", namn)
    return {"namn": namn, "filnamn": pdf.filnamn(rapport), "diagram": hashar}


def _diagrammen(
    forbund_id: int, ar: int, diagram: list[Diagram], *, png: bool
) -> Callable[[], None]:
    """Start drawing the charts' SVGs (the report page's) and, when the PDF is to be drawn
    (`png`), their PNGs (the PDF's, which `pdf.pdfbilder` finds being drawn, or stored). A
    chart stored already is not drawn again (a change leaves most of them as they were); one
    that lacks both is drawn once for both. Drawn in the chart process while the PDF is laid
    out (`rapporter.ritprocess`); returns the function that stores them once drawn."""
    from rapporter import diagram as d

    att_rita: list[tuple[Diagram, tuple[str, ...]]] = []
    for dg in diagram:
        svg_saknas = not lagring.finns(diagramnamn(forbund_id, ar, dg.version))
        png_saknas = png and not lagring.finns(
            diagramnamn(forbund_id, ar, dg.version, d.PNG_FORMAT)
        )
        format = ("svg",) * svg_saknas + ("png",) * png_saknas
        if format:
            att_rita.append((dg, format))
    ritningar = d.rita_i_bakgrunden(att_rita)

    def spara() -> None:
        for (dg, format), ritning in zip(att_rita, ritningar, strict=True):
            for fmt in format:
                lagring.spara_fil(
                    diagramnamn(forbund_id, ar, dg.version, d.PNG_FORMAT if fmt == "png" else fmt),
                    ritning.bytes(fmt),
                )

    return spara


def typisk_tid(forbund_id: int) -> float | None:
    """How many seconds the förbund's last finished build took."""
    return _forsok(
        lambda: (
            Bilagebygge.objects.filter(
                forbund_id=forbund_id, tillstand=T.KLAR, sekunder__isnull=False
            )
            .order_by("-klar")
            .values_list("sekunder", flat=True)
            .first()
        )
    )


# --- Rebuilt before anyone asks -------------------------------------------------------------


def varmnings_nyckel(forbund_id: int) -> str:
    return f"finsam:varmning:{forbund_id}"


def varm_senare(forbund_id: int) -> None:
    """After a write: have the förbund's bilagor rebuilt once its writes have stopped for
    `FORDROJNING` seconds (one waiting rebuild per förbund at a time)."""
    from rapporter.tasks import varm_bilagor

    if cache.add(varmnings_nyckel(forbund_id), 1, VARMNING_TIMEOUT):
        uppgifter.skicka_senare(varm_bilagor, FORDROJNING, forbund_id)


def ar_att_halla_varma(forbund_id: int) -> list[int]:
    """The years whose bilaga is kept built: this year and last year, and every year whose
    bilaga was built in the last `HALL_VARM` (someone reads it)."""
    idag = timezone.localdate().year
    nyligen = Bilagebygge.objects.filter(
        forbund_id=forbund_id, tillstand=T.KLAR, klar__gte=timezone.now() - HALL_VARM
    ).values_list("ar", flat=True)
    return sorted({idag, idag - 1, *nyligen}, reverse=True)


def varm(forbund_id: int) -> list[int]:
    """The debounced rebuild: when the förbund's last named write is `FORDROJNING` seconds old,
    build every kept year whose current version is not built (else wait for the rest of the
    quiet time), then render the pages ahead: the bilaga and the pages of a year whose version
    has not changed in between share one computation of its report. Returns the years this call
    built."""
    from rapporter import sidcache
    from rapporter.tasks import varm_bilagor

    senast = dataversion.senast_andrad(forbund_id)
    if senast is not None:
        kvar = FORDROJNING - (timezone.now() - senast).total_seconds()
        if kvar > 0.5 and getattr(settings, "FINSAM_BYGG_I_BAKGRUNDEN", True):
            cache.set(varmnings_nyckel(forbund_id), 1, VARMNING_TIMEOUT)
            uppgifter.skicka_senare(varm_bilagor, kvar, forbund_id)
            return []
    cache.delete(varmnings_nyckel(forbund_id))  # writes from now on queue a rebuild of their own
    byggda = []
    with sidcache.en_rapport():
        for ar in ar_att_halla_varma(forbund_id):
            nu = aktuellt(forbund_id, ar)
            if nu.klart is None and bygg(forbund_id, ar, nu.version.nummer):
                byggda.append(ar)
        _forbered_sidor(forbund_id)
    return byggda


def _forbered_sidor(forbund_id: int) -> None:
    """This year's and last year's report page and this year's goal page, rendered ahead (a
    failure is logged: the page renders itself when asked)."""
    from rapporter import sidcache
    from registrering.models import Forbund

    forbund = Forbund.objects.filter(pk=forbund_id).first()
    if forbund is None:
        return
    idag = timezone.localdate().year
    for ar in (idag, idag - 1):
        try:
            sidcache.forbered(forbund, ar)
        except Exception:
            logger.exception("Sidorna för %s/%s kunde inte förberedas", forbund_id, ar)
