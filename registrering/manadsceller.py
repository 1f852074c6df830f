"""The month grid's rows as HTML, for the månadsöversikt and Mina insatser.

Built in Python rather than with a template include per cell: 300 insatser × 12 months are
3 600 cells, and the template language spent most of the page's time on them (issue 15). The
markup is the one the include `includes/manadscell.html` had: the short month name for the
phone's cards, the full state for screen readers (the state in words, never colour alone) and
the short word shown, inside the month's link where it has one. Only the insats's name is the
user's text; it is escaped once per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from registrering.kalender import MANADER
from registrering.models import Insats
from registrering.selectors import STATUS_KORT, STATUS_TEXT, Cell

_MANADSETIKETT = {
    nr: f'<span class="manadsetikett" aria-hidden="true">{escape(namn[:3])}</span>'
    for nr, namn in MANADER.items()
}
_KORT = {status: escape(text) for status, text in STATUS_KORT.items()}
_TEXT = {status: escape(text) for status, text in STATUS_TEXT.items()}


class Manadsrad(Protocol):
    """A row of the grid: the månadsöversikt's `Rad` and Mina insatser's `MinRad`."""

    @property
    def insats(self) -> Insats: ...

    @property
    def celler(self) -> tuple[Cell, ...]: ...


_FORSENAD = ' <span class="forsenad" aria-hidden="true">försenad</span>'


def cell_html(cell: Cell, namn: str) -> str:
    """One month of one insats as a `<td>`; `namn` is the insats's name, already escaped."""
    etikett = f"{namn}, {MANADER[cell.manad]} {cell.ar}: {_TEXT[cell.status]}"
    if cell.forsenad:
        etikett += ", försenad"
    text = (
        f'<span class="visuellt-dold">{etikett}</span>'
        f'<span aria-hidden="true">{_KORT[cell.status]}</span>'
    )
    if cell.url:
        text = f'<a href="{escape(cell.url)}">{text}{_FORSENAD if cell.forsenad else ""}</a>'
    return f'<td class="status--{cell.css}">{_MANADSETIKETT[cell.manad]}{text}</td>'


def rad_html(rad: Manadsrad) -> str:
    namn = escape(rad.insats.namn)
    celler = "".join(cell_html(cell, namn) for cell in rad.celler)
    return f'<tr><th scope="row">{namn}</th>{celler}</tr>'


def rader_html(rader: Iterable[Manadsrad]) -> SafeString:
    """The table body's rows, one per insats, each with its twelve months."""
    return mark_safe("\n".join(rad_html(rad) for rad in rader))  # each part escaped above
