"""The month grid's rows as HTML (`registrering.manadsceller`)."""

from __future__ import annotations

import datetime as dt
import html

from registrering import manadsceller, selectors
from registrering.models import Insats


def _rad(namn: str) -> selectors.Rad:
    """October late and missing, November not applicable."""
    rutnat = selectors.Rutnat(
        2026,
        ((10, True, True, "/2026/10/"), (11, False, False, "/2026/11/")),
        "/registrering/insats",
    )
    return selectors.Rad(Insats(pk=7, namn=namn), (selectors.SAKNAS, selectors.EJ_AKTUELL), rutnat)


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


def test_vantande_manader_som_listpunkter():
    """Each waiting month links to its form; the name is escaped once per insats and the text
    after it follows the month, state and lateness of each (not of the first of its kind)."""
    sen = selectors.Cell(7, "Bro & <Väg>", 2026, 9, selectors.SAKNAS, True, "/m/7/2026/9/?a&b")
    utkast = selectors.Cell(7, "Bro & <Väg>", 2026, 10, "utkast", False, "/m/7/2026/10/")
    annan = selectors.Cell(8, "Steg", 2026, 9, selectors.SAKNAS, True, "/m/8/2026/9/")
    vantande = [
        selectors.VantandeManad(sen, dt.date(2026, 10, 10)),
        selectors.VantandeManad(utkast, dt.date(2026, 11, 10)),
        selectors.VantandeManad(annan, dt.date(2026, 10, 10)),
    ]
    assert manadsceller.vantande_html(vantande).split("\n    ") == [
        '<li><a href="/m/7/2026/9/?a&amp;b">Bro &amp; &lt;Väg&gt;, september 2026</a>: saknas'
        ' – <span class="forsenad">försenad</span>, sista dag var 10/10 2026</li>',
        '<li><a href="/m/7/2026/10/">Bro &amp; &lt;Väg&gt;, oktober 2026</a>: utkast'
        " – sista dag 10/11 2026</li>",
        '<li><a href="/m/8/2026/9/">Steg, september 2026</a>: saknas'
        ' – <span class="forsenad">försenad</span>, sista dag var 10/10 2026</li>',
    ]


def test_radens_html_ar_dess_cellers_adress_och_text_for_varje_status():
    """The grid's HTML is made from the row's states (not from its cells): each month's link
    and hidden text are the cell's `url` and `etikett`, in every state, late or not, and a
    month without a link is the one that does not apply."""
    alla = list(selectors.STATUS_TEXT)
    statuser = tuple(alla[manad % len(alla)] for manad in range(12))
    manader = tuple((manad, True, manad % 2 == 0, f"/2026/{manad}/?a&b") for manad in range(1, 13))
    rutnat = selectors.Rutnat(2026, manader, "/m&n")
    rad = selectors.Rad(Insats(pk=7, namn="Bro & <Väg>"), statuser, rutnat)
    text = html.unescape(manadsceller.rader_html([rad]))
    tdar = text.split("<td")[1:]
    assert len(tdar) == len(rad.celler) == 12
    for td, cell in zip(tdar, rad.celler, strict=True):
        assert f"{cell.etikett}</span>" in td
        if cell.url is None:
            assert cell.status == selectors.EJ_AKTUELL and "<a " not in td
        else:
            assert f'<a href="{cell.url}">' in td
            assert ('class="forsenad"' in td) == cell.forsenad
    assert any(c.forsenad for c in rad.celler)
