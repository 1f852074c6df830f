"""`{{ kvalitet|obekraftade_rader:lankar }}`: the data-quality box's list of unconfirmed
balances as `<li>` items, built in Python: at 300 insatser the list has a couple of hundred
items, and the template language spent a tenth of the månadsöversikt's time on them (issue 15).
The markup is the one the loop in `includes/datakvalitet.html` had."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from registrering.selectors import Datakvalitet

register = template.Library()


@register.filter
def obekraftade_rader(kvalitet: Datakvalitet, lankar: bool = False) -> SafeString:
    """Each insats whose balance on 1 January is unconfirmed, as a link to where it is
    confirmed when `lankar`."""
    if lankar:
        rader = (
            f'<li><a href="{escape(adress)}">{escape(insats.namn)}</a></li>'
            for insats, adress in kvalitet.obekraftade_med_adress
        )
    else:
        rader = (f"<li>{escape(insats.namn)}</li>" for insats in kvalitet.obekraftade_balanser)
    return mark_safe("".join(rader))  # each part escaped above
