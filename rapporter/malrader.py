"""The goal page's volume goals as table rows, built in Python.

A template loop spent ~30 ms on the 300 rows of a förbund with 300 insatser (issue 15: every
page ≤ 50 ms). The markup is the one the loop in `rapporter/_mal_innehall.html` had: the same
cells, the same number format (the `finsam` filters `tal` and `procent`), the status in words
and as a css modifier. The insats's name and unit are the user's text; they are escaped with
`html.escape`, as Django's `escape` does it, without its lazy wrapper's check of each argument.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from rapporter.mal import Volymmal
from registrering.templatetags.finsam import procent, tal


@lru_cache(maxsize=16)
def _status(status: str) -> tuple[str, str]:
    """(css modifier, the status escaped): three statuses, made once each."""
    return slugify(status), escape(status)


def volymmal_html(volymmal: Iterable[Volymmal]) -> SafeString:
    """The `<tr>` of each volume goal."""
    rader = []
    for v in volymmal:
        css, status = _status(v.status)
        ej_godkanda = ""
        if v.ej_godkanda:
            plural = "" if v.ej_godkanda == 1 else "a"
            ej_godkanda = f'<br><span class="hjalp">{v.ej_godkanda} mån. ej godkänd{plural}</span>'
        rader.append(
            f'<tr><th scope="row">{escape(v.namn)}<br><span class="hjalp">{escape(v.enhet)}'
            f'</span></th><td class="tal" data-rubrik="Mål">{tal(v.mal)}</td>'
            f'<td class="tal" data-rubrik="Hittills">{tal(v.hittills)}{ej_godkanda}</td>'
            f'<td data-rubrik="Andel av målet"><span class="stapel" aria-hidden="true">'
            f'<span class="stapel__fyllnad stapel__fyllnad--{css} bredd-{v.stapel}">'
            f"</span></span> {procent(v.andel)}</td>"
            f'<td class="tal" data-rubrik="Prognos helår">{tal(v.prognos)}</td>'
            f'<td data-rubrik="Status"><strong class="malstatus malstatus--{css}">{status}'
            "</strong></td></tr>"
        )
    # Our own markup; the user's text in it is escaped above.
    return mark_safe("\n".join(rader))
