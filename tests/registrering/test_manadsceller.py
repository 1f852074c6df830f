"""The month grid's rows as HTML (`registrering.manadsceller`)."""

from __future__ import annotations

import html

from registrering import manadsceller, selectors
from registrering.models import Insats


def _rad(namn: str) -> selectors.Rad:
    insats = Insats(pk=7, namn=namn)
    celler = (
        selectors.Cell(
            7, namn, 2026, 10, selectors.SAKNAS, True, "/registrering/insats/7/2026/10/"
        ),
        selectors.Cell(7, namn, 2026, 11, selectors.EJ_AKTUELL, False, None),
    )
    return selectors.Rad(insats, celler)


def test_raderna_ar_latin_1_och_visar_samma_text():
    """The fixed markup is Latin-1 (the "–" of a month that does not apply as a character
    reference), so that ~1 MB of rows is kept at one byte per character; the browser shows the
    same text."""
    rader = manadsceller.rader_html([_rad("Försteg Motala")])
    rader.encode("latin-1")
    assert "&#8211;" in rader
    text = html.unescape(rader)
    assert '<span aria-hidden="true">–</span></td>' in text
    assert "Försteg Motala, november 2026: ej aktuell" in text
    assert (
        '<a href="/registrering/insats/7/2026/10/"><span class="visuellt-dold">Försteg Motala, '
        "oktober 2026: saknas, försenad</span>"
    ) in text


def test_anvandarens_text_ar_escapad_en_gang_och_far_vara_utanfor_latin_1():
    rader = manadsceller.rader_html([_rad("Bro & <Väg> – Öst")])
    assert '<th scope="row">Bro &amp; &lt;Väg&gt; – Öst</th>' in rader
    assert "Bro &amp;amp;" not in rader
