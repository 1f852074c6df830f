"""The month grid's rows as HTML, for the månadsöversikt and Mina insatser, and Mina insatser's
lists (the waiting months, the balances on 1 January).

Built in Python rather than with a template include per cell: 300 insatser × 12 months are
3 600 cells, and the template language spent most of the page's time on them (issue 15). The
markup is the one the include `includes/manadscell.html` had: the short month name for the
phone's cards, the full state for screen readers (the state in words, never colour alone) and
the short word shown, inside the month's link where it has one. Only the insats's name is the
user's text; it is escaped once per row.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from registrering.adresser import adressmall
from registrering.kalender import MANADER, datum_svenskt
from registrering.models import Insats
from registrering.selectors import (
    EJ_AKTUELL,
    STATUS_KORT,
    STATUS_TEXT,
    VANTAR_PA_ANSVARIG,
    MinRad,
    Rutnat,
    VantandeManad,
)


def _latin1(text: str) -> str:
    """`text` escaped, with any character beyond Latin-1 as a character reference (the "–" of
    a month that does not apply is `&#8211;`, which the browser shows the same). CPython keeps
    a string with one such character at two bytes per character: the rows of 300 insatser,
    ~1 MB, then cost the template's joins and the response's encoding several ms more."""
    return escape(text).encode("latin-1", "xmlcharrefreplace").decode("latin-1")


_MANADSETIKETT = {
    nr: f'<span class="manadsetikett" aria-hidden="true">{_latin1(namn[:3])}</span>'
    for nr, namn in MANADER.items()
}
_KORT = {status: _latin1(text) for status, text in STATUS_KORT.items()}
_TEXT = {status: _latin1(text) for status, text in STATUS_TEXT.items()}


class Manadsrad(Protocol):
    """A row of the grid: the månadsöversikt's `Rad` and Mina insatser's `MinRad`."""

    @property
    def insats(self) -> Insats: ...

    @property
    def statuser(self) -> tuple[str, ...]: ...

    @property
    def rutnat(self) -> Rutnat: ...


_FORSENAD = ' <span class="forsenad" aria-hidden="true">försenad</span>'

# A cell's markup around the insats's pk and name: before the pk, between it and the name
# (None for a cell without a link, which has no pk), after the name.
Delar = tuple[str, str | None, str]


@lru_cache(maxsize=64)
def _tabell(rutnat: Rutnat) -> tuple[dict[str, Delar], ...]:
    """Per month of the grid and state, every part of a cell's markup but the insats's pk
    and name: made once per grid, not once per cell (3 600 cells at 300 insatser). The
    addresses around the pk are escaped here, once."""
    fore = html.escape(rutnat.fore)
    return tuple(
        {
            status: _delar(
                rutnat.ar,
                manad,
                status,
                sent and status in VANTAR_PA_ANSVARIG,
                f"{fore}/",
                html.escape(adress),
            )
            for status in STATUS_TEXT
        }
        for manad, _slutat, sent, adress in rutnat.manader
    )


def _delar(ar: int, manad: int, status: str, forsenad: bool, fore: str, adress: str) -> Delar:
    etikett = f", {MANADER[manad]} {ar}: {_TEXT[status]}" + (", försenad" if forsenad else "")
    td = f'<td class="status--{status.replace("_", "-")}">{_MANADSETIKETT[manad]}'
    efter = f'{etikett}</span><span aria-hidden="true">{_KORT[status]}</span>'
    if status == EJ_AKTUELL:
        return (f'{td}<span class="visuellt-dold">', None, f"{efter}</td>")
    return (
        f'{td}<a href="{fore}',
        f'{adress}"><span class="visuellt-dold">',
        f"{efter}{_FORSENAD if forsenad else ''}</a></td>",
    )


def rad_html(rad: Manadsrad, tabell: tuple[dict[str, Delar], ...] | None = None) -> str:
    """A row: the insats's name (the user's text, escaped once) and its months, each a `<td>`
    (in one comprehension: 3 600 cells at 300 insatser). `tabell`: `_tabell(rad.rutnat)`,
    when the caller has it."""
    namn = escape(rad.insats.namn)
    pk = str(rad.insats.pk)
    celler = "".join(
        [
            f"{fore}{namn}{efter}" if mellan is None else f"{fore}{pk}{mellan}{namn}{efter}"
            # each month's parts for its state: the table's and the states' months in step
            for fore, mellan, efter in map(
                dict.__getitem__, tabell or _tabell(rad.rutnat), rad.statuser
            )
        ]
    )
    return f'<tr><th scope="row">{namn}</th>{celler}</tr>'


def rader_html(rader: Iterable[Manadsrad]) -> SafeString:
    """The table body's rows, one per insats, each with its twelve months."""
    # A grid's rows share its table: looked up again only when the grid changes.
    rutnat: Rutnat | None = None
    tabell: tuple[dict[str, Delar], ...] = ()
    delar = []
    for rad in rader:
        if rad.rutnat is not rutnat:
            rutnat, tabell = rad.rutnat, _tabell(rad.rutnat)
        delar.append(rad_html(rad, tabell))
    return mark_safe("\n".join(delar))  # each part escaped in rad_html


def vantande_html(vantande: Iterable[VantandeManad]) -> SafeString:
    """The months that wait for the insatsansvarig as list items (several hundred at 300
    insatser: the template language spent most of the page's time on them). Each insats's
    name is escaped once, and the text after the link is made once per month and state."""
    namn: dict[int, str] = {}
    efter: dict[tuple[int, int, str, bool, dt.date], str] = {}
    delar = []
    for v in vantande:
        cell = v.cell
        if (insatsen := namn.get(cell.insats_id)) is None:
            insatsen = namn[cell.insats_id] = html.escape(cell.insats_namn)
        nyckel = (cell.ar, cell.manad, cell.status, cell.forsenad, v.sista_dag)
        if (resten := efter.get(nyckel)) is None:
            resten = efter[nyckel] = _vantande_efter_namnet(v)
        delar.append(f'<li><a href="{html.escape(cell.url or "")}">{insatsen}, {resten}')
    return mark_safe("\n    ".join(delar))  # each part escaped here


def _vantande_efter_namnet(v: VantandeManad) -> str:
    dag = escape(datum_svenskt(v.sista_dag))
    return f"{v.cell.manad_namn} {v.cell.ar}</a>: {_TEXT[v.cell.status]}" + (
        f' – <span class="forsenad">försenad</span>, sista dag var {dag}</li>'
        if v.cell.forsenad
        else f" – sista dag {dag}</li>"
    )


def balanser_html(rader: Iterable[MinRad], ar: int) -> SafeString:
    """Each deltagarflöde insats's balance on 1 January of `ar` as a list item: confirmed or
    not, with a link to it (one `reverse()` for the list)."""
    rader = list(rader)
    if not rader:
        return mark_safe("")
    adress = adressmall("registrering:ingaende_balans", rader[0].insats.pk, ar)
    dold = f'<span class="visuellt-dold">, ingående balans 1/1 {ar}</span>'
    ej = "<strong>inte bekräftad</strong> – bekräfta antalet deltagare som var inskrivna 1 januari"
    return mark_safe(  # each part escaped here
        "\n  ".join(
            f'<li><a href="{html.escape(adress(rad.insats.pk, ar))}">{escape(rad.insats.namn)}'
            f"{dold}</a>: {'bekräftad' if rad.balans_bekraftad else ej}</li>"
            for rad in rader
        )
    )
