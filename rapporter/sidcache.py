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

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from rapporter.diagram import Diagram
from registrering import dataversion
from registrering.models import Forbund

#: Bump when what a page shows changes in a way the code's own fingerprint would not see.
SIDVERSION = "2"
#: The settings that change what the pages show (part of the key, like the code).
INSTALLNINGAR = ("FINSAM_ENKAT_MIN_N", "LANGUAGE_CODE", "TIME_ZONE")
#: The folders whose code and templates make the pages (their content is the fingerprint).
KODMAPPAR = ("rapporter", "registrering", "effekter", "enkater", "samverkan", "templates")
#: How long rendered content and the charts waiting to be drawn are kept.
SIDA_TIMEOUT = 60 * 60 * 24


def kodversion() -> str:
    """A fingerprint of what renders the pages: `SIDVERSION`, the settings that matter (read
    each time: cheap) and the content of the code and templates (read once per process). A
    deploy that changes any of them gets new keys, on every machine alike: nothing kept by an
    older version is served."""
    installningar = ",".join(f"{n}={getattr(settings, n, None)!r}" for n in INSTALLNINGAR)
    return f"{_kod()}:{hashlib.sha256(installningar.encode()).hexdigest()[:8]}"


@functools.cache
def _kod() -> str:
    summa = hashlib.sha256(SIDVERSION.encode())
    bas = Path(settings.BASE_DIR)
    for mapp in KODMAPPAR:
        for fil in sorted((bas / mapp).rglob("*")):
            if fil.suffix in {".py", ".html"} and "migrations" not in fil.parts:
                summa.update(fil.relative_to(bas).as_posix().encode())
                summa.update(fil.read_bytes())
    return summa.hexdigest()[:16]


def diagramnyckel(forbund_id: int, ar: int, hash_: str) -> str:
    """Where a chart the report page shows waits, by its hash, to be drawn by its own request."""
    return f"finsam:diagramspec:{forbund_id}:{ar}:{hash_}"


def _vanta_pa_ritning(forbund_id: int, ar: int, diagram: Iterable[Diagram]) -> None:
    """Put the page's charts in the cache by their hash, for their own requests to draw."""
    cache.set_many({diagramnyckel(forbund_id, ar, dg.version): dg for dg in diagram}, SIDA_TIMEOUT)


def _rapport(forbund: Forbund, ar: int, *, redigera: bool, idag: dt.date) -> str:
    from rapporter import pdf
    from rapporter.selectors import arsrapport

    rapport = arsrapport(forbund=forbund, ar=ar)
    kontext = pdf.sidkontext(rapport)
    _vanta_pa_ritning(forbund.pk, ar, kontext["diagram_lista"])  # type: ignore[arg-type]
    kontext |= {
        "forbund": forbund,
        "redigera": redigera,
        "ar_lista": range(ar - 2, ar + 2),
        "innevarande_ar": idag.year,
    }
    return render_to_string("rapporter/_arsrapport_innehall.html", kontext)


def _mal(forbund: Forbund, ar: int, *, redigera: bool, idag: dt.date) -> str:
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


def _underlag(forbund: Forbund, ar: int, *, redigera: bool, idag: dt.date) -> str:
    from rapporter import underlag_vyer

    return underlag_vyer.innehall(forbund, ar)


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
        html = RENDERARE[slag](forbund, ar, redigera=redigera, idag=idag)
        cache.set(nyckel, html, SIDA_TIMEOUT)
    # Our own template's output, kept as text in the cache.
    return mark_safe(html)


def forbered(forbund: Forbund, ar: int) -> None:
    """Render the year's report page (both roles), its underlag and this year's goal page
    ahead."""
    version = dataversion.version(forbund.pk, ar).nummer
    innehall("underlag", forbund, ar, redigera=True, version=version)
    for redigera in (False, True):
        innehall("rapport", forbund, ar, redigera=redigera, version=version)
        if ar == timezone.localdate().year:
            innehall("mal", forbund, ar, redigera=redigera, version=version)
