"""A round's public link and its QR code (segno), as SVG, PNG and a data URI for the poster.

The link is absolute (`FINSAM_BAS_URL` + /e/<lank>/): it is printed on paper and scanned by a
phone that knows nothing of the request the poster was made in.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import segno
from django.conf import settings

if TYPE_CHECKING:
    from registrering.models import Enkattillfalle

#: Error correction M (15 %): a poster survives a fold or a smudge, and the code stays coarse
#: enough for an old phone's camera at arm's length.
FELKORRIGERING = "m"


def publik_lank(tillfalle: Enkattillfalle) -> str:
    """The address respondents open, or "" for a round without a link (paper, import)."""
    if not tillfalle.lank:
        return ""
    return f"{str(settings.FINSAM_BAS_URL).rstrip('/')}/e/{tillfalle.lank}/"


def kort_lank(lank: str) -> str:
    """The link as printed under the code: without "https://", which nobody needs to type."""
    return lank.split("://", 1)[-1]


def _kod(lank: str) -> segno.QRCode:
    return segno.make_qr(lank, error=FELKORRIGERING)


def qr_svg(lank: str, *, skala: int = 10) -> bytes:
    """The code as a standalone SVG document, black on white with the quiet zone (4 modules)."""
    buffer = io.BytesIO()
    _kod(lank).save(
        buffer,
        kind="svg",
        scale=skala,
        border=4,
        dark="#000",
        light="#fff",
        title="QR-kod till enkäten",
        desc=lank,
        xmldecl=False,
        svgclass=None,
        lineclass=None,
    )
    return buffer.getvalue()


def qr_png(lank: str, *, skala: int = 12) -> bytes:
    """The code as PNG, about 600 px wide for a typical link: sharp when printed at 10 cm."""
    buffer = io.BytesIO()
    _kod(lank).save(buffer, kind="png", scale=skala, border=4, dark="#000", light="#fff")
    return buffer.getvalue()


def qr_data_uri(lank: str) -> str:
    """The code as an SVG data URI, for an <img> in the poster's HTML and PDF."""
    uri: str = _kod(lank).svg_data_uri(scale=10, border=4, dark="#000", light="#fff")
    return uri
