"""HTML to a tagged PDF that is both PDF/A-3a (archive, accessible level) and PDF/UA-1.

WeasyPrint makes the PDF/A-3a document and its structure tree (headings, lists, tables with
their header cells, figures with their alternative text, in the order of the HTML). Three
things it leaves out are added by a finisher, its documented hook on the finished PDF:

- the PDF/UA identification (`pdfuaid:part` 1) in the XMP metadata, with the extension schema
  that PDF/A asks for any property outside its own schemas;
- an uncompressed metadata stream, as PDF/A-2 and -3 require (WeasyPrint compresses it);
- a `/Scope` on every header cell: Column in the table's head, Row in its body and foot,
  which is how every table of the bilaga marks its headers (`scope="col"`, `scope="row"`).

The charts are PNGs drawn by `rapporter.ritning` (8-bit RGB, not interlaced): their compressed
rows are already what a PDF image stream holds, so they go in as they are (`_Pngbild`) instead
of being decoded and compressed again by WeasyPrint (most of the time it spent on them).

What WeasyPrint may read is `hamtare`'s to say: `data:` URIs (the charts and the logo are
embedded) and the app's own static files (`/static/…`, found like `collectstatic` finds them).
Nothing else: no `file:` path, no network address, no way out of the static folders.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from registrering.masskrivning import farre_skrapsamlingar

VARIANT = "pdf/a-3a"

_PDFUA_XMP = b"""<rdf:Description rdf:about=""
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>
<rdf:Description rdf:about=""
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 the document conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""

_SCOPE = {"/THead": "/Column", "/TBody": "/Row", "/TFoot": "/Row"}


def _objekt(pdf: Any, referens: object) -> Any:
    """The object of an indirect reference (b'12 0 R')."""
    text = referens.decode() if isinstance(referens, bytes) else str(referens)
    return pdf.objects[int(text.split()[0])]


def _metadata(pdf: Any) -> None:
    stream = _objekt(pdf, pdf.catalog["Metadata"])
    stream.compress = False
    (innehall,) = stream.stream
    slut = innehall.rindex(b"</rdf:RDF>")
    stream.stream = [innehall[:slut] + _PDFUA_XMP + innehall[slut:]]


def _rubrikceller(pdf: Any) -> None:
    for objekt in pdf.objects:
        if not isinstance(objekt, dict) or objekt.get("S") != "/TH":
            continue
        rad = _objekt(pdf, objekt["P"])
        grupp = _objekt(pdf, rad["P"]) if rad.get("S") == "/TR" else None
        if grupp is not None and (scope := _SCOPE.get(grupp.get("S"))):
            objekt["A"]["Scope"] = scope


def _en_gang(pdf: Any) -> None:
    """Each object serialised once. With an identifier (PDF/A has one) pydyf serialises every
    object twice, for the file and for the identifier's hash, and compresses every stream twice
    at level 9; the first serialisation is kept for the second (the same bytes)."""
    import pydyf

    for objekt in pdf.objects:
        if isinstance(objekt, pydyf.Stream | pydyf.Dictionary | pydyf.Array):
            klass = type(objekt)
            objekt.__class__ = _SPARADE.get(klass) or _SPARADE.setdefault(klass, _sparad(klass))


def _sparad(klass: type) -> type:
    """`klass` with its serialisation (`data`) kept after the first time."""

    def data(self: Any) -> bytes:
        sparad: bytes | None = self.__dict__.get("_finsam_data")
        if sparad is None:
            sparad = self._finsam_data = klass.data.fget(self)  # type: ignore[attr-defined]
        return sparad

    return type(f"Sparad{klass.__name__}", (klass,), {"data": property(data)})


_SPARADE: dict[type, type] = {}


def _avsluta(document: Any, pdf: Any) -> None:
    _metadata(pdf)
    _rubrikceller(pdf)
    _en_gang(pdf)  # last: nothing may change an object after it


#: The document's base address: `/static/x.css` in the HTML becomes `BAS + "static/x.css"`. The
#: host is reserved (RFC 6761), so nothing is ever asked over the network.
BAS = "https://finsam.invalid/"


def statisk_fil(url: str) -> Path | None:
    """The app's static file that `url` names (`BAS` + STATIC_URL + path), or None for anything
    else: another host or scheme, a path outside the static folders, a file that is not there."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    delar = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if f"{delar.scheme}://{delar.netloc}/" != BAS or not delar.path.startswith(prefix):
        return None
    relativ = unquote(delar.path[len(prefix) :])
    if not relativ or any(del_ in {"", ".", ".."} for del_ in relativ.split("/")):
        return None
    hittad = finders.find(relativ)
    if hittad is None and settings.STATIC_ROOT:
        kandidat = (Path(settings.STATIC_ROOT) / relativ).resolve()
        rot = Path(settings.STATIC_ROOT).resolve()
        hittad = str(kandidat) if kandidat.is_relative_to(rot) and kandidat.is_file() else None
    return Path(str(hittad)) if hittad else None


def hamtare() -> Any:
    """WeasyPrint's URL fetcher: `data:` URIs and the app's static files, nothing else."""
    from weasyprint.urls import URLFetcher

    class StatiskaFiler(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            fil = statisk_fil(url)
            if fil is None:
                raise ValueError(f"Bilagan får bara läsa appens egna statiska filer: {url}")
            return super().fetch(fil.as_uri(), headers)

    return StatiskaFiler(allowed_protocols={"data", "file"}, allow_redirects=False)


_PNG_URI = re.compile(r'"(data:image/png;base64,[A-Za-z0-9+/=]+)"')
_PNG_SIGNATUR = b"\x89PNG\r\n\x1a\n"


def _chunkar(png: bytes) -> list[tuple[bytes, bytes]]:
    """A PNG's chunks as (type, data), in order (CRCs not checked: the file is our own)."""
    chunkar, pos = [], len(_PNG_SIGNATUR)
    while pos + 8 <= len(png):
        (langd,) = struct.unpack(">I", png[pos : pos + 4])
        chunkar.append((png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + langd]))
        pos += 12 + langd
    return chunkar


def _rader(png: bytes) -> bytes | None:
    """The compressed rows (the IDAT data) of an 8-bit RGB PNG that is not interlaced: what a
    PDF image stream with the PNG predictor holds. None for any other image."""
    if not png.startswith(_PNG_SIGNATUR):
        return None
    chunkar = _chunkar(png)
    if not chunkar or chunkar[0][0] != b"IHDR" or len(chunkar[0][1]) != 13:
        return None
    _bredd, _hojd, djup, farg, _komp, _filter, interlace = struct.unpack(">IIBBBBB", chunkar[0][1])
    if (djup, farg, interlace) != (8, 2, 0):
        return None
    return b"".join(data for typ, data in chunkar if typ == b"IDAT")


#: Where an image drawn while the PDF is laid out (`Vantande`) is named in the HTML: its hash.
BILDER = BAS + "bild/"


@dataclass(frozen=True)
class Vantande:
    """A PNG that may still be being drawn (`rapporter.ritprocess`): its size in pixels,
    known ahead (all the layout needs), and how to get its bytes (waited for when the PDF's
    images are written, after the layout)."""

    bredd: int
    hojd: int
    hamta: Callable[[], bytes]


def bildadress(namn: str) -> str:
    """The address in the HTML of the image `namn` of `skriv`'s `bilder`."""
    return BILDER + namn


def _pngbild() -> type:
    """`Pngbild`, WeasyPrint's raster image whose PNG rows go into the PDF as they are; made on
    first use (WeasyPrint is imported late)."""
    global _PNGBILD
    if _PNGBILD is not None:
        return _PNGBILD
    from PIL import Image
    from weasyprint.images import RasterImage

    class Pngbild(RasterImage):
        rader: bytes | None = None
        vantande: Vantande | None = None

        def get_x_object(self, interpolate: Any, dpi_ratio: Any) -> Any:
            if self.vantande is not None:
                # Drawn while the pages were laid out: now its bytes are needed.
                png, self.vantande = self.vantande.hamta(), None
                if (rader := _rader(png)) is None:
                    # Not an 8-bit RGB PNG (ours always are): made one, as the stand-in is.
                    buffer = io.BytesIO()
                    Image.open(io.BytesIO(png)).convert("RGB").save(buffer, format="PNG")
                    png = buffer.getvalue()
                    rader = _rader(png)
                self.rader = rader
                self.width, self.height = struct.unpack(">II", png[16:24])
                self.image_data = self.cache_image_data(png)
            return super().get_x_object(interpolate, dpi_ratio)

        def _get_png_data(self, pillow_image: Any) -> bytes:
            var = (pillow_image.format, pillow_image.size)
            if self.rader is not None and var == ("PNG", (self.width, self.height)):
                return self.rader
            return bytes(RasterImage._get_png_data(pillow_image))

    _PNGBILD = Pngbild
    return Pngbild


_PNGBILD: type | None = None


def _bildcache(html: str, bilder: Mapping[str, Vantande] | None = None) -> dict[str, Any]:
    """WeasyPrint's image cache filled ahead: the page's PNG data URIs that can go into the PDF
    as they are (`_rader`), and the images of `bilder` by their address (`bildadress`), laid
    out by their known size before they are drawn. Any other image is loaded by WeasyPrint as
    usual."""
    from PIL import Image
    from weasyprint import DEFAULT_OPTIONS

    pngbild = _pngbild()
    cache: dict[str, Any] = {}
    for uri in set(_PNG_URI.findall(html)):
        try:
            png = base64.b64decode(uri.partition(",")[2], validate=True)
        except binascii.Error:
            continue
        rader = _rader(png)
        if rader is None:
            continue
        bild = pngbild(
            Image.open(io.BytesIO(png)), _id(uri), png, cache=cache, options=DEFAULT_OPTIONS
        )
        bild.rader = rader
        cache[uri] = bild
    for namn, vantande in (bilder or {}).items():
        # A stand-in of the right size and mode until the bytes are there (nothing encoded).
        platshallare = Image.new("RGB", (vantande.bredd, vantande.hojd))
        platshallare.format = "PNG"
        url = bildadress(namn)
        bild = pngbild(platshallare, _id(url), b"", cache=cache, options=DEFAULT_OPTIONS)
        bild.vantande = vantande
        cache[url] = bild
    return cache


def _id(uri: str) -> str:
    return hashlib.md5(uri.encode(), usedforsecurity=False).hexdigest()


def skriv(html: str, bilder: Mapping[str, Vantande] | None = None) -> bytes:
    """The PDF/A-3a and PDF/UA-1 document of a standalone HTML page (lang set on <html>).
    `bilder`: PNGs the page names by `bildadress`, that may still be being drawn.

    WeasyPrint makes millions of short-lived objects (boxes, styles, text runs), and Python's
    cycle collector, run after every 700 new ones, walked the whole process again and again: a
    quarter of the bilaga's CPU time at 300 insatser. While the pages are laid out and written
    it runs seldom (`farre_skrapsamlingar`, as for a large import)."""
    from weasyprint import HTML

    dokument = HTML(string=html, base_url=BAS, url_fetcher=hamtare())
    cache = _bildcache(html, bilder)
    with farre_skrapsamlingar():
        pdf: bytes = dokument.write_pdf(pdf_variant=VARIANT, finisher=_avsluta, cache=cache)
    return pdf
