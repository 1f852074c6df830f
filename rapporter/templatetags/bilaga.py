"""The bilaga's long tables as rows built in Python: `{{ a.insatser|flodesrader:r }}` and
`{{ a.volym|volymrader:r }}`. At 300 insatser the template language spent a quarter of the
report page's rendering on these rows (an include and four filters per row, issue 15). The
markup is the one the loops in `rapporter/_bilaga.html` had; the report page and the PDF share
it."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rapporter.arsdata import InsatsFlode, VolymRad
from rapporter.selectors import Arsrapport
from registrering.templatetags.finsam import st, tal

register = template.Library()

_AVSLUTAD = '<span aria-label="avslutad insats">–</span>'


def _namn(rapport: Arsrapport, insats_id: int, namn: str) -> str:
    """The row's header: the insats's name and, when others co-finance it, ", samfinansierad
    med …" (as the include `_samfinansierad.html` did before it)."""
    markering = (rapport.samfinansiering.markeringar or {}).get(insats_id)
    tillagg = f'<span class="samfinansierad">, {escape(markering)}</span>' if markering else ""
    return f'<th scope="row">{escape(namn)}{tillagg}</th>'


def _rader(rader: Iterable[str]) -> SafeString:
    # Each row on its own line, indented as the template's loop wrote it.
    return mark_safe("".join(f"\n      {rad}\n    " for rad in rader))  # escaped by the callers


@register.filter
def flodesrader(insatser: Iterable[InsatsFlode], rapport: Arsrapport) -> SafeString:
    """The rows of "Deltagarflöde … uppdelat i insatser": deltagare totalt, nya, avslutade and
    pågående 31/12 ("–" for an insats that ended during the year)."""

    def rad(i: InsatsFlode) -> str:
        pagaende = i.pagaende
        celler = (
            st(i.deltagare_totalt.totalt),
            st(i.nya.totalt),
            st(i.avslutade.totalt),
            _AVSLUTAD if pagaende is None else st(pagaende.totalt),
        )
        return (
            f"<tr>{_namn(rapport, i.insats_id, i.namn)}"
            + "".join(f'<td class="tal">{c}</td>' for c in celler)
            + "</tr>"
        )

    return _rader(rad(i) for i in insatser)


@register.filter
def volymrader(volym: Iterable[VolymRad], rapport: Arsrapport) -> SafeString:
    """The rows of "Volyminsatser": the unit and the volume under its inriktning."""

    def rad(v: VolymRad) -> str:
        struktur = tal(v.volym) if v.inriktning == "struktur" else ""
        individ = tal(v.volym) if v.inriktning == "individ" else ""
        return (
            f"<tr>{_namn(rapport, v.insats_id, v.namn)}<td>{escape(v.enhet_etikett)}</td>"
            f'<td class="tal">{struktur}</td><td class="tal">{individ}</td></tr>'
        )

    return _rader(rad(v) for v in volym)
