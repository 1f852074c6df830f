"""Pages kept by data version: the content of the report page, the goal page and the underlag.

Each is rendered from the year's data once per data version (`registrering.dataversion`), day
and role (`redigera`: the kansli's links) and kept in the shared cache; a view with unchanged
data neither computes the report nor renders it. After a write, the background rebuild
(`rapporter.bygge.varm`) renders them again, so that the next visitor finds them ready.

What is kept is the content block only: it is rendered without the request, and nothing in it
may depend on the user other than `redigera` (the page around it carries the menu, messages
and the CSP nonce).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from rapporter.arscache import kodversion as kodversion  # the pages' key, as the years'
from rapporter.diagram import Diagram
from registrering import dataversion
from registrering.masskrivning import farre_skrapsamlingar
from registrering.models import Forbund

if TYPE_CHECKING:
    from rapporter.selectors import Arsrapport

#: How long rendered content and the charts waiting to be drawn are kept.
SIDA_TIMEOUT = 60 * 60 * 24

# While the background rebuild runs (`rapporter.bygge.varm`): each year's report, computed once
# per data version for the bilaga's PDF and the pages.
_RAPPORTER: ContextVar[dict[tuple[int, int, int], Arsrapport] | None] = ContextVar(
    "sidcache_rapporter", default=None
)


@contextlib.contextmanager
def en_rapport() -> Iterator[None]:
    """Inside, the bilaga's build and the pages share one computation of each year's report
    (`arets_rapport`); a block inside another shares the outer one's."""
    if _RAPPORTER.get() is not None:
        yield
        return
    token = _RAPPORTER.set({})
    try:
        yield
    finally:
        _RAPPORTER.reset(token)


def arets_rapport(forbund: Forbund, ar: int, version: int) -> Arsrapport:
    """The year's report; inside `en_rapport` computed once per data version. The caller reads
    `version` before asking, so what is kept under a version is at least as new as it: a write
    in between gives a newer version, for which the report is computed again."""
    from rapporter.selectors import arsrapport

    rapporter = _RAPPORTER.get()
    if rapporter is None:
        return arsrapport(forbund=forbund, ar=ar)
    nyckel = (forbund.pk, ar, version)
    if nyckel not in rapporter:
        rapporter[nyckel] = arsrapport(forbund=forbund, ar=ar)
    return rapporter[nyckel]


def diagramnyckel(forbund_id: int, ar: int, hash_: str) -> str:
    """Where a chart the report page shows waits, by its hash, to be drawn by its own request."""
    return f"finsam:diagramspec:{forbund_id}:{ar}:{hash_}"


def _vanta_pa_ritning(forbund_id: int, ar: int, diagram: Iterable[Diagram]) -> None:
    """Put the page's charts in the cache by their hash, for their own requests to draw."""
    cache.set_many({diagramnyckel(forbund_id, ar, dg.version): dg for dg in diagram}, SIDA_TIMEOUT)


def _rapport(forbund: Forbund, ar: int, *, redigera: bool, idag: dt.date, version: int) -> str:
    from rapporter import pdf

    rapport = arets_rapport(forbund, ar, version)
    kontext = pdf.sidkontext(rapport)
    _vanta_pa_ritning(forbund.pk, ar, kontext["diagram_lista"])  # type: ignore[arg-type]
    kontext |= {
        "forbund": forbund,
        "redigera": redigera,
        "ar_lista": range(ar - 2, ar + 2),
        "innevarande_ar": idag.year,
    }
    return render_to_string("rapporter/_arsrapport_innehall.html", kontext)


def _mal(forbund: Forbund, ar: int, *, redigera: bool, idag: dt.date, version: int) -> str:
    from rapporter import diagram as d
    from rapporter.mal import malsida
    from rapporter.mal_sammanfattning import sammanfatta

    sida = malsida(forbund=forbund, ar=ar)
    diagram = d.diagram_for_mal(sida)
    # Each chart is its own request by its hash (drawn from the cache's copy, then stored), so
    # the page does not wait for it to be drawn.
    _vanta_pa_ritning(forbund.pk, ar, diagram)
    return render_to_string(
        "rapporter/_mal_innehall.html",
        {
            "forbund": forbund,
            "ar": ar,
            "s": sida,
            "sammanfattning": sammanfatta(sida),
            "diagram_lista": diagram,
            "uri": {
                dg.nummer: reverse("rapporter:diagram", args=[ar, dg.version]) for dg in diagram
            },
            "redigera": redigera,
        },
    )


def _underlag(forbund: Forbund, ar: int, *, redigera: bool, idag: dt.date, version: int) -> str:
    from rapporter import underlag_vyer

    # Inside `en_rapport` the year's figures are the report's (computed once for both pages).
    data = arets_rapport(forbund, ar, version).data if _RAPPORTER.get() is not None else None
    return underlag_vyer.innehall(forbund, ar, arets_data=data)


RENDERARE: dict[str, Callable[..., str]] = {"rapport": _rapport, "mal": _mal, "underlag": _underlag}


def innehall(
    slag: str, forbund: Forbund, ar: int, *, redigera: bool, version: int | None = None
) -> SafeString:
    """The content of the page `slag` ("rapport", "mal" or "underlag") for the year's data as
    it is now."""
    idag = timezone.localdate()
    if version is None:
        version = dataversion.version(forbund.pk, ar).nummer
    delar = (kodversion(), slag, forbund.pk, ar, version, int(redigera), idag.isoformat())
    nyckel = "finsam:sida:" + ":".join(map(str, delar))
    html = cache.get(nyckel)
    if html is None:
        # The year's figures of 300 insatser are some 20 000 objects that live until the page
        # is rendered: the cycle collector, run after every 700 new objects, walked them again
        # and again (a tenth of the goal page's CPU time). It runs seldom meanwhile.
        with farre_skrapsamlingar():
            html = RENDERARE[slag](forbund, ar, redigera=redigera, idag=idag, version=version)
        cache.set(nyckel, html, SIDA_TIMEOUT)
    # Our own template's output, kept as text in the cache.
    return mark_safe(html)


def forbered(forbund: Forbund, ar: int) -> None:
    """Render the year's report page (both roles), its underlag and this year's goal page
    ahead, computing the year's report once for the three (inside `bygge.varm`'s `en_rapport`,
    once with the bilaga's PDF of the same version)."""
    version = dataversion.version(forbund.pk, ar).nummer
    with en_rapport():
        innehall("underlag", forbund, ar, redigera=True, version=version)
        for redigera in (False, True):
            innehall("rapport", forbund, ar, redigera=redigera, version=version)
            if ar == timezone.localdate().year:
                innehall("mal", forbund, ar, redigera=redigera, version=version)
