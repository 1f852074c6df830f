"""The login page's ways in: the password form (FINSAM_LOKAL_INLOGGNING) and the button of
the organisation's identity provider (OpenID Connect, when configured)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings

register = template.Library()


@dataclass(frozen=True)
class Inloggningssatt:
    lokal: bool
    oidc: bool
    oidc_namn: str


@register.simple_tag
def inloggningssatt() -> Inloggningssatt:
    """Which ways of logging in the page offers, read from the settings at each request."""
    return Inloggningssatt(
        lokal=bool(settings.FINSAM_LOKAL_INLOGGNING),
        oidc=bool(settings.FINSAM_OIDC_AKTIV),
        oidc_namn=str(settings.FINSAM_OIDC_NAMN),
    )
