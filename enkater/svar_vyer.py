"""The public answer page of a survey round, /e/<lank>/: no login, anonymous.

What a respondent's browser is given: Django's CSRF cookie (the form's protection, the same
without a login), here a browser-session cookie rather than a year-long one
(`finsam.anonymitet.AnonymaSidorMiddleware`), and, after answering, one signed cookie for
this link only (path /e/<lank>/, HttpOnly, SameSite=Lax, until the round's last day) that
makes the page say "Du har redan svarat". It is a soft limit: another browser, a private
window or cleared cookies can answer again; nothing else is kept that could tell one
respondent from another.

The views never touch `request.session` and render their templates without the context
processors (no user, no menu): the page sets no session cookie, and a respondent who also has
an account is not recognised. The session cookie does not even reach Django here
(`finsam.anonymitet`), so a logged-in respondent's session is neither saved nor renewed.
Nothing here logs the address or the user agent; the log lines Django writes for a 404 or a
429 name the path only, and gunicorn's access log leaves these pages out
(`finsam.gunicorn_logg`; see README, "Enkäter via länk", for the reverse proxy).

Abuse limits: at most FINSAM_ENKAT_SVAR_PER_MINUT posted forms per round and minute (a cache
counter; more get 429 with the form and the choices kept), a honeypot field that people never
see (a filled one is thanked, not counted, and checked before the limit, so that a bot filling
it cannot use up the round's minute), and the round's own period and closing
(`tar_emot_via_lanken`). The answer is counted by `registrering.services.enkatsvar_lamna`.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from registrering.models import Enkatfraga, Enkattillfalle
from registrering.regler import Fel
from registrering.services.enkat_svar import (
    enkatsvar_lamna,
    tar_emot_via_lanken,
    tillfalle_for_lank,
    tillfallets_fragor,
)

SVARAT_KAKA = "enkat_svarat"
HONUNGSFALT = "webbplats"
_FRAGEFALT = re.compile(r"fraga_([0-9]{1,18})")
_ID = re.compile(r"[0-9]{1,18}")
_ETT_AR = 365 * 24 * 60 * 60

FINNS_INTE = (
    "Enkäten finns inte",
    [
        "Adressen leder inte till någon enkät. Kontrollera att den är rätt skriven, eller "
        "skanna QR-koden igen.",
    ],
)
REDAN_SVARAT = (
    "Du har redan svarat",
    [
        "Tack! Den här webbläsaren har redan skickat svar på enkäten.",
        "Har någon annan använt samma telefon eller dator? Då kan hen svara från en annan.",
    ],
)
TACK = (
    "Tack för ditt svar!",
    [
        "Dina svar är sparade. Du är anonym: vi sparar inte vem du är.",
        "Du kan stänga sidan nu.",
    ],
)
FOR_MANGA = (
    "Många svarar just nu. Vänta en minut och tryck sedan på Skicka svaren igen. "
    "Dina val finns kvar."
)


# --- Responses ---------------------------------------------------------------------------------


def _sida(mall: str, context: Mapping[str, Any], *, status: int = 200) -> HttpResponse:
    """The template rendered without the request: no context processors, so nothing reads the
    user or the session."""
    return HttpResponse(render_to_string(f"enkater/{mall}", dict(context)), status=status)


def _meddelande(text: tuple[str, Sequence[str]], *, status: int = 200) -> HttpResponse:
    rubrik, stycken = text
    return _sida(
        "svar_meddelande.html",
        {"titel": f"{rubrik} – enkät", "rubrik": rubrik, "stycken": stycken},
        status=status,
    )


def _stangd(fel: Sequence[Fel]) -> HttpResponse:
    return _meddelande(
        ("Enkäten är stängd", [*(f.text for f in fel), "Tack ändå för att du ville svara."])
    )


def _formular(
    request: HttpRequest,
    tillfalle: Enkattillfalle,
    *,
    valda: Mapping[int, int] | None = None,
    fel: Sequence[Fel] = (),
    meddelande: str = "",
    status: int = 200,
) -> HttpResponse:
    """The form, with the choices already made and the messages of a refused post."""
    valda = valda or {}
    fragor = list(tillfallets_fragor(tillfalle))
    per_falt = {f.falt: f.text for f in fel if f.falt}
    context = {
        "titel": f"{tillfalle.namn} – enkät",
        "tillfalle": tillfalle,
        "fragor": [_fragevy(fraga, valda.get(fraga.pk), per_falt) for fraga in fragor],
        "fel": [{"text": f.text, "ankare": _ankare(f.falt) if f.falt else ""} for f in fel],
        "meddelande": meddelande,
        "honungsfalt": HONUNGSFALT,
        "csrf_token": get_token(request),
    }
    return _sida("svar.html", context, status=status)


def _ankare(falt: str) -> str:
    return falt.replace("_", "-")


def _fragevy(fraga: Enkatfraga, vald: int | None, fel: Mapping[str, str]) -> dict[str, Any]:
    return {
        # Strings: an int would be shown with the thousands separator ("1 811") and come back
        # as a value that is not an id.
        "id": str(fraga.pk),
        "text": fraga.text,
        "fel": fel.get(f"fraga_{fraga.pk}", ""),
        "alternativ": [
            {"id": str(a.pk), "text": a.text, "vald": a.pk == vald} for a in fraga.alternativ.all()
        ],
    }


# --- The one-answer cookie ---------------------------------------------------------------------


def _salt(tillfalle: Enkattillfalle) -> str:
    return f"enkat-svarat:{tillfalle.lank}"


def har_svarat(request: HttpRequest, tillfalle: Enkattillfalle) -> bool:
    """Whether this browser carries the signed "answered" cookie of this round's link."""
    return request.get_signed_cookie(SVARAT_KAKA, default=None, salt=_salt(tillfalle)) == "1"


def kakans_livstid(tillfalle: Enkattillfalle, nu: dt.datetime) -> int:
    """Seconds until the round's last day of answers has ended (a year when it has none)."""
    if tillfalle.slutdatum is None:
        return _ETT_AR
    slut = timezone.make_aware(
        dt.datetime.combine(tillfalle.slutdatum + dt.timedelta(days=1), dt.time.min)
    )
    return max(int((slut - nu).total_seconds()), 60)


def _till_tack(tillfalle: Enkattillfalle) -> HttpResponse:
    """To the thank-you page, with the "answered" cookie for this link only."""
    lank = str(tillfalle.lank)
    response = HttpResponseRedirect(reverse("enkater:svar_tack", args=[lank]), status=303)
    response.set_signed_cookie(
        SVARAT_KAKA,
        "1",
        salt=_salt(tillfalle),
        max_age=kakans_livstid(tillfalle, timezone.now()),
        path=reverse("enkater:svara", args=[lank]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


# --- Abuse limits ------------------------------------------------------------------------------


def _minut() -> int:
    return int(time.time() // 60)


def for_manga(tillfalle: Enkattillfalle) -> bool:
    """Count a posted form against the round's limit for this minute; True when over it."""
    nyckel = f"enkatsvar:{tillfalle.pk}:{_minut()}"
    cache.add(nyckel, 0, timeout=120)
    try:
        antal = cache.incr(nyckel)
    except ValueError:  # the key expired between add and incr
        cache.set(nyckel, 1, timeout=120)
        antal = 1
    return antal > settings.FINSAM_ENKAT_SVAR_PER_MINUT


def las_svar(data: Mapping[str, str]) -> tuple[dict[int, int], list[Fel]]:
    """{question id: option id} from the posted fields "fraga_<id>"; a value that is not an
    id is a message at its question."""
    svar: dict[int, int] = {}
    fel: list[Fel] = []
    for namn, varde in data.items():
        if not (traff := _FRAGEFALT.fullmatch(namn)):
            continue
        if _ID.fullmatch(varde):
            svar[int(traff.group(1))] = int(varde)
        else:
            fel.append(Fel(namn, "Välj ett av svaren."))
    return svar, fel


# --- Views -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def svara(request: HttpRequest, lank: str) -> HttpResponse:
    """The form (GET) and the answer (POST) of the round whose link this is."""
    tillfalle = tillfalle_for_lank(lank)
    if tillfalle is None:
        return _meddelande(FINNS_INTE, status=404)
    posted = request.method == "POST"
    if posted and request.POST.get(HONUNGSFALT):
        return _till_tack(tillfalle)  # thanked like anyone; neither counted nor limited
    if har_svarat(request, tillfalle):
        return _meddelande(REDAN_SVARAT)
    idag = timezone.localdate()
    if fel := tar_emot_via_lanken(tillfalle, idag):
        return _stangd(fel)
    if not posted:
        return _formular(request, tillfalle)
    # The limit counts only posts that would be counted: not the honeypot's, not a browser
    # that has answered, not a closed round's.
    if for_manga(tillfalle):
        svar, _fel = las_svar(request.POST)
        return _formular(request, tillfalle, valda=svar, meddelande=FOR_MANGA, status=429)
    svar, fel = las_svar(request.POST)
    if not fel:
        try:
            enkatsvar_lamna(tillfalle=tillfalle, svar=svar, idag=idag)
        except ValidationError as exc:
            fel = _som_fel(exc)
    if fel:
        return _formular(request, tillfalle, valda=svar, fel=fel)
    return _till_tack(tillfalle)


def _som_fel(exc: ValidationError) -> list[Fel]:
    return [
        Fel("" if falt == "__all__" else falt, text)
        for falt, texter in exc.message_dict.items()
        for text in texter
    ]


@never_cache
@require_GET
def tack(request: HttpRequest, lank: str) -> HttpResponse:
    """The thank-you page after an answer."""
    if tillfalle_for_lank(lank) is None:
        return _meddelande(FINNS_INTE, status=404)
    return _meddelande(TACK)


__all__ = ["HONUNGSFALT", "SVARAT_KAKA", "har_svarat", "svara", "tack"]
