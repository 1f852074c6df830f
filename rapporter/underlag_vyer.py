"""The underlag to Uppföljning Finsam: a page with the sheets' contents and what is missing
(with links to where each is fixed), and the Excel file with the same sheets.

For the kansli (verksamhetsutvecklare, förbundschef), as before: the styrelse reads the bilaga.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from rapporter import sidcache
from rapporter.arsdata import Arsdata
from rapporter.export import (
    XLSX_CONTENT_TYPE,
    underlag_blad,
    underlag_filnamn,
    underlag_uppfoljning_finsam,
)
from rapporter.underlag import Underlag, UnderlagInsats, underlag
from rapporter.views import ladda_ned
from registrering import permissions
from registrering.models import Forbund
from registrering.selectors import adressmall
from registrering.templatetags.finsam import tal
from registrering.underlagsregler import FORBUND_SAKNAS_TEXT, SAKNAS_TEXT


@dataclass(frozen=True)
class Atgard:
    """One missing field and where it is filled in."""

    text: str
    adress: str


def _admin(sida: str, *args: object, **initial: object) -> str:
    """An admin page of registrering, with initial values for an add form."""
    adress = reverse(f"admin:registrering_{sida}", args=args)
    return f"{adress}?{urlencode(initial)}" if initial else adress


def _insatsernas_atgarder(
    rader: Sequence[UnderlagInsats], ar: int
) -> list[tuple[UnderlagInsats, tuple[Atgard, ...]]]:
    """Each insats missing something, with where each missing field is filled in: the page's
    addresses resolved once, not once per insats (300 insatser, issue 15)."""
    insatsen = adressmall("admin:registrering_insats_change", 1)
    volym = _admin("budgeteradvolym_add")
    kostnad = _admin("kostnadspost_add")
    utfall = reverse("rapporter:utfall", args=[ar])
    deltagare = reverse("registrering:oversikt_ar", args=[ar])

    def adress(falt: str, rad: UnderlagInsats) -> str:
        if falt in ("preciserad_inriktning", "malgrupper"):
            return insatsen(rad.insats_id)
        # The query strings as `urlencode` writes them (whole numbers are their digits), with
        # only the name encoded per insats: `urlencode` was most of the list's time.
        if falt == "budgeterat_antal":
            return f"{volym}?insats={rad.insats_id}&ar={ar}"
        if falt == "budget":
            return (
                f"{kostnad}?ar={ar}&typ=insats&insats={rad.insats_id}&namn={quote_plus(rad.namn)}"
            )
        return {"utfall": utfall, "deltagare": deltagare}[falt]

    return [
        (rad, tuple(Atgard(SAKNAS_TEXT[s], adress(s, rad)) for s in rad.saknas)) for rad in rader
    ]


def _brister_html(brister: Sequence[tuple[UnderlagInsats, Sequence[Atgard]]]) -> SafeString:
    """The list items "<insats> saknar <a>, <b> och <c>." with a link for each missing field
    (built in Python for the same reason as the sheets' rows)."""

    def lista(atgarder: Sequence[Atgard]) -> str:
        lankar = [f'<a href="{_escape(a.adress)}">{_escape(a.text)}</a>' for a in atgarder]
        if len(lankar) < 2:
            return "".join(lankar)
        return f"{', '.join(lankar[:-1])} och {lankar[-1]}"

    return mark_safe(  # every part escaped above
        "".join(
            f"<li><strong>{_escape(rad.namn)}</strong> saknar {lista(atgarder)}.</li>"
            for rad, atgarder in brister
        )
    )


def _forbundets_atgarder(data: Underlag) -> tuple[Atgard, ...]:
    ar = data.ar
    adresser = {
        "verksamhetsplan": _admin("verksamhetsplan_add", ar=ar),
        "befolkning": _admin("befolkning_changelist"),
        "eget_kapital": _admin("verksamhetsplan_changelist"),
        "kostnadsposter": _admin("kostnadspost_add", ar=ar),
        "administration": _admin("kostnadspost_add", ar=ar, typ="administration"),
        "utfall": reverse("rapporter:utfall", args=[ar]),
    }
    return tuple(Atgard(FORBUND_SAKNAS_TEXT[s], adresser[s]) for s in data.forbund.saknas)


_TOM = (
    '<td class="tal"><span aria-hidden="true">–</span><span class="visuellt-dold">tomt</span></td>'
)


def _escape(text: str) -> str:
    """`conditional_escape` of a text that is no lazy string, without its wrapper's checks of
    every argument (the sheets' 4 000 cells at 300 insatser, issue 15)."""
    sakert = getattr(text, "__html__", None)
    return sakert() if sakert is not None else html.escape(text)


def _cell_html(cell: object) -> str:
    """A cell as the template showed it: numbers right-aligned in Swedish format, an empty
    cell said in words to a screen reader, anything else as text (escaped, localized)."""
    if cell is None:
        return _TOM
    if isinstance(cell, int):
        return f'<td class="tal">{_escape(tal(cell))}</td>'
    return f"<td>{_escape(str(localize(cell)))}</td>"


def _rader_html(rader: Sequence[Sequence[object]]) -> SafeString:
    """A sheet's table rows, built in Python: 300 insatser × 16 columns are too many cells for
    the template language within the page's time (issue 15). The first cell is the row's
    header."""
    return mark_safe(  # every cell escaped above
        "\n".join(
            f'<tr><th scope="row">{_escape(str(localize(rad[0])))}</th>'
            + "".join(_cell_html(c) for c in rad[1:])
            + "</tr>"
            for rad in rader
        )
    )


@require_GET
@permissions.administrerar
def underlag_sida(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    """The year's underlag as a page: what is missing first, then the two sheets. Its content
    is kept by data version (`rapporter.sidcache`)."""
    innehall = sidcache.innehall("underlag", forbund, ar, redigera=True)
    return render(request, "rapporter/underlag.html", {"ar": ar, "innehall": innehall})


def innehall(forbund: Forbund, ar: int, *, arets_data: Arsdata | None = None) -> str:
    """The page's content for the data as it is now (`sidcache`'s renderer); `arets_data`: the
    year's figures when the caller has computed them already (`underlag`)."""
    data = underlag(forbund=forbund, ar=ar, arets_data=arets_data)
    return render_to_string(
        "rapporter/_underlag_innehall.html",
        {
            "u": data,
            "ar": ar,
            "blad": [(b.titel, b.rubriker, _rader_html(b.rader)) for b in underlag_blad(data)],
            "brister": _brister_html(_insatsernas_atgarder(data.brister, ar)),
            "forbundets_brister": _forbundets_atgarder(data),
            "filnamn": underlag_filnamn(data),
            "innehallstyp": XLSX_CONTENT_TYPE,
        },
    )


@require_GET
@permissions.administrerar
def underlag_xlsx(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    """The same sheets as an Excel file, for the transfer to Uppföljning Finsam."""
    return ladda_ned(underlag_uppfoljning_finsam(forbund=forbund, ar=ar))
