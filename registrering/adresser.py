"""Many addresses of one URL pattern from one `reverse()`: a page of 300 insatser × 12 months
resolved the pattern once per cell (issue 15)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse


def adressmall(namn: str, *exempel: int, current_app: str | None = None) -> Callable[..., str]:
    """One `reverse()` for many addresses of one URL pattern whose arguments are whole numbers
    and its last path segments (`registrering:manad` is insats/<pk>/<ar>/<manad>/): the
    returned function gives the address for other arguments by putting them where the
    example's stand, as the converters write them (`str`). A page of 300 insatser × 12 months
    resolves the pattern once instead of once per cell. The arguments are not checked against
    the converters: pass only values the pattern accepts. `current_app`: as `reverse()`'s
    (an admin site's name)."""
    fore, efter = adressdelar(namn, *exempel, current_app=current_app)

    def adress(*args: int) -> str:
        return f"{fore}/{'/'.join(map(str, args))}/{efter}"

    return adress


def adressdelar(namn: str, *exempel: int, current_app: str | None = None) -> tuple[str, str]:
    """`adressmall`'s address around its arguments: what comes before the first (without its
    "/") and after the last (after its "/")."""
    url = reverse(namn, args=exempel, current_app=current_app)
    fore, hittad, efter = url.rpartition("/" + "/".join(map(str, exempel)) + "/")
    if not hittad:
        raise ValueError(f"{namn}: argumenten är inte adressens sista delar ({url}).")
    return fore, efter
