"""The bilaga as HTML and PDF. Renders from an `Arsrapport`; never queries the database.

The PDF is cached under a key derived from the report's own data, so a repeated download with
unchanged data is a cache hit and any change to the year's figures, comments or texts gives a
new key (the old entry simply expires). `forbered` builds it in the background (once per key,
through `rapporter.bakgrund`) so that the förbundschef does not wait, and `fardig` hands it out
when it is there.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from rapporter import bakgrund, pdfa
from rapporter import diagram as d
from rapporter.selectors import Arsrapport

logger = logging.getLogger(__name__)
PDF_VERSION = "5"  # bump when the template or the PDF code changes what the PDF looks like
CACHE_TIMEOUT = 60 * 60 * 24 * 30

FORKORTNINGAR = {
    "SUS": "Sektorsövergripande system för uppföljning av samverkan och finansiell samordning "
    "inom rehabiliteringsområdet",
    "ISA": "Individuellt stöd till arbete/studier",
    "SIP": "Samordnad individuell plan",
}


@dataclass(frozen=True)
class Export:
    """What an exporter returns: file name, content type and the bytes."""

    filnamn: str
    content_type: str
    innehall: bytes


def _kontext(rapport: Arsrapport, *, pdf: bool) -> dict[str, object]:
    diagram = d.diagram_for(rapport)
    if pdf:
        uris = d.rendera_alla(diagram, "png")
    else:
        # On screen each chart is its own cacheable image: the page itself need not wait for
        # eight charts to be drawn.
        uris = {
            dg.nummer: reverse("rapporter:diagram", args=[rapport.ar, dg.nummer])
            + f"?v={dg.version}"
            for dg in diagram
        }
    forkortningar = [("n", "antal"), (rapport.data.kortnamn, rapport.data.forbund_namn)]
    forkortningar += sorted(FORKORTNINGAR.items())
    klasser = [
        k
        for k in rapport.data.avslut_klasser
        if k.namn == "Alla individinriktade insatser"
        or (rapport.grupp_namn and k.namn.lower() == f"enbart {rapport.grupp_namn.lower()}")
    ]
    return {
        "r": rapport,
        "a": rapport.data,
        "pdf": pdf,
        "diagram": {dg.nummer: dg for dg in diagram},
        "diagram_lista": diagram,
        "uri": uris,
        "forkortningar": forkortningar,
        "klasser": klasser,
        "klasser_ej_angiven": any(k.ej_angiven for k in klasser),
    }


def html(rapport: Arsrapport, *, pdf: bool = True) -> str:
    """The standalone HTML document the PDF is made from (`--html` on the command line)."""
    return render_to_string("rapporter/bilaga_pdf.html", _kontext(rapport, pdf=pdf))


def sidkontext(rapport: Arsrapport) -> dict[str, object]:
    """Context for the report page in the browser (charts as SVG images by URL, their tables
    behind a toggle)."""
    return _kontext(rapport, pdf=False)


def _nyckel(rapport: Arsrapport) -> str:
    digest = hashlib.sha256(f"{PDF_VERSION}|{rapport!r}".encode()).hexdigest()
    return f"finsam:bilaga:{rapport.data.forbund_id}:{rapport.ar}:{digest}"


def filnamn(rapport: Arsrapport) -> str:
    """An ASCII file name, safe in a Content-Disposition header: 'Uppfoljning-FINSAM-SVO-2025.pdf'
    (the förbund's kortnamn, or its name when it has none; '-preliminar' until the year is
    approved, as every page of such a PDF says)."""
    forbund = _ascii(rapport.data.kortnamn) or _ascii(rapport.data.forbund_namn) or "forbund"
    preliminar = "-preliminar" if rapport.kvalitet.preliminar else ""
    return f"Uppfoljning-FINSAM-{forbund}-{rapport.ar}{preliminar}.pdf"


def _ascii(namn: str) -> str:
    """'Samordningsförbundet Västra Östergötland' -> 'Samordningsforbundet-Vastra-Ostergotland'
    (letters without their accents, case kept, anything else a single hyphen)."""
    bokstaver = unicodedata.normalize("NFKD", namn).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", bokstaver).strip("-")


def _bygg(rapport: Arsrapport) -> bytes:
    return pdfa.skriv(html(rapport, pdf=True))


def rendera(rapport: Arsrapport) -> Export:
    """The bilaga as a tagged PDF/A-3a and PDF/UA-1 document (`rapporter.pdfa`), from the
    cache when the data is unchanged, built here and now otherwise (the `arsrapport` command;
    the web waits for `forbered` instead)."""
    nyckel = _nyckel(rapport)
    innehall = cache.get(nyckel)
    if innehall is None:
        innehall = _bygg(rapport)
        cache.set(nyckel, innehall, CACHE_TIMEOUT)
    return Export(filnamn(rapport), "application/pdf", innehall)


def fardig(rapport: Arsrapport) -> Export | None:
    """The PDF for the report's current data if it is built, else None (nothing is started)."""
    innehall = cache.get(_nyckel(rapport))
    return None if innehall is None else Export(filnamn(rapport), "application/pdf", innehall)


def i_cache(rapport: Arsrapport) -> bool:
    return cache.has_key(_nyckel(rapport))


def forbered(rapport: Arsrapport, *, igen: bool = False) -> bakgrund.Lage:
    """Start building the PDF in the background unless it is built or being built (a failed
    build only with `igen`). Returns where the build stands. The work needs no database."""
    nyckel = _nyckel(rapport)

    def bygg() -> None:
        cache.set(nyckel, _bygg(rapport), CACHE_TIMEOUT)

    return bakgrund.starta(nyckel, bygg, slag="bilaga", igen=igen)
