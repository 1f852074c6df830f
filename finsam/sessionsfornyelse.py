"""Sessions that last `SESSION_COOKIE_AGE` after the last request, without a database write on
every request.

Django's `SESSION_SAVE_EVERY_REQUEST` renews a session by saving it on each request: an UPDATE
and a commit per page view, most of a cheap page's time on a small machine, and under load a
write per request that only moves an expiry a few seconds on. Instead the session carries the
minute it was last renewed (`NYCKEL`, set at login), and a request renews it (new expiry in the
database and a new cookie) only when that is `FINSAM_SESSION_FORNYA_MINUTER` or more ago. A
logged-in session thus ends between `SESSION_COOKIE_AGE` minus that interval and
`SESSION_COOKIE_AGE` after its last request (8 hours; at most 5 minutes early).

The anonymous survey pages never reach here with a session (`finsam.anonymitet`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

#: The session's key for the minute (since the epoch) of its last renewal.
NYCKEL = "_fornyad"


def minut() -> int:
    """The current minute since the epoch."""
    return int(time.time() // 60)


def fornyas(senast: object, nu: int) -> bool:
    """Whether a session last renewed in the minute `senast` (None: never) is renewed now."""
    intervall: int = settings.FINSAM_SESSION_FORNYA_MINUTER
    return not isinstance(senast, int) or nu - senast >= intervall


class SessionsfornyelseMiddleware:
    """Renews a logged-in session when its last renewal is old enough (see the module). After
    `SessionMiddleware` in the list, so that its response step runs first and the session
    middleware saves what it marks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None:
            return response
        # Loaded already by the authentication middleware on a logged-in request (a cookie of
        # an unknown or ended session loads as empty and loses its key).
        if session.get(SESSION_KEY) is None or session.session_key is None:
            return response
        nu = minut()
        # A session saved anyway (it changed) is renewed by that save: it notes the minute.
        if session.modified or fornyas(session.get(NYCKEL), nu):
            session[NYCKEL] = nu
        return response


@receiver(user_logged_in, dispatch_uid="finsam.sessionsfornyelse")
def _vid_inloggning(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A login saves the session anyway: it counts as its first renewal."""
    if request is not None and hasattr(request, "session"):
        request.session[NYCKEL] = minut()
