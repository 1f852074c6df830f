"""HTML to a tagged PDF that is both PDF/A-3a (archive, accessible level) and PDF/UA-1.

WeasyPrint makes the PDF/A-3a document and its structure tree (headings, lists, tables with
their header cells, figures with their alternative text, in the order of the HTML). Three
things it leaves out are added by a finisher, its documented hook on the finished PDF:

- the PDF/UA identification (`pdfuaid:part` 1) in the XMP metadata, with the extension schema
  that PDF/A asks for any property outside its own schemas;
- an uncompressed metadata stream, as PDF/A-2 and -3 require (WeasyPrint compresses it);
- a `/Scope` on every header cell: Column in the table's head, Row in its body and foot,
  which is how every table of the bilaga marks its headers (`scope="col"`, `scope="row"`).

What WeasyPrint may read is `hamtare`'s to say: `data:` URIs (the charts and the logo are
embedded) and the app's own static files (`/static/…`, found like `collectstatic` finds them).
Nothing else: no `file:` path, no network address, no way out of the static folders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

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


def _avsluta(document: Any, pdf: Any) -> None:
    _metadata(pdf)
    _rubrikceller(pdf)


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


def skriv(html: str) -> bytes:
    """The PDF/A-3a and PDF/UA-1 document of a standalone HTML page (lang set on <html>)."""
    from weasyprint import HTML

    dokument = HTML(string=html, base_url=BAS, url_fetcher=hamtare())
    pdf: bytes = dokument.write_pdf(pdf_variant=VARIANT, finisher=_avsluta)
    return pdf
