"""`{{ rader|manadsrader }}`: the month grid's table rows; `{{ vantande|vantande_manader }}`
and `{{ rader|balanser:ar }}`: Mina insatser's lists (`registrering.manadsceller`)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from registrering import manadsceller
from registrering.selectors import MinRad, VantandeManad

register = template.Library()


@register.filter
def manadsrader(rader: Iterable[manadsceller.Manadsrad]) -> SafeString:
    return manadsceller.rader_html(rader)


@register.filter
def vantande_manader(vantande: Iterable[VantandeManad]) -> SafeString:
    return manadsceller.vantande_html(vantande)


@register.filter
def balanser(rader: Iterable[MinRad], ar: int) -> SafeString:
    return manadsceller.balanser_html(rader, ar)
