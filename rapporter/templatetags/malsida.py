"""`{{ s.volymmal|volymmalsrader }}`: the goal page's volume goals as table rows
(`rapporter.malrader`)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from rapporter.mal import Volymmal
from rapporter.malrader import volymmal_html

register = template.Library()


@register.filter
def volymmalsrader(volymmal: Iterable[Volymmal]) -> SafeString:
    return volymmal_html(volymmal)
