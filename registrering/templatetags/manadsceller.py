"""`{{ rader|manadsrader }}`: the month grid's table rows (`registrering.manadsceller`)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from registrering import manadsceller

register = template.Library()


@register.filter
def manadsrader(rader: Iterable[manadsceller.Manadsrad]) -> SafeString:
    return manadsceller.rader_html(rader)
