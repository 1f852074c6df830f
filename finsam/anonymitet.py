"""The anonymous survey pages (/e/<lank>/, `enkater.svar_vyer`): what reaches them and what
they leave behind.

A respondent may also have an account here, and a logged-in browser sends its session cookie
with every request. `AnonymaSidorMiddleware` (before `SessionMiddleware`) takes the session and
messages cookies out of a request to these pages, so that Django never loads the session: it is
not saved (`SESSION_SAVE_EVERY_REQUEST` would write the answer's time into its expiry), the login
is not seen and a half-done two-step login does not redirect. The browser keeps its cookies:
the response neither sets nor deletes them.

The CSRF cookie these pages need is made a browser-session cookie (no Max-Age, no Expires)
instead of a year-long one: it should not outlive the visit as a mark of the browser.

The web server's access log is the other place a visit could be written down with an address
and a time: `finsam.gunicorn_logg.Atkomstlogg` leaves these paths out (see README, "Enkäter via
länk", for the reverse proxy).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse

#: Where the anonymous pages live (enkater/urls.py includes enkater.urls_svar here).
ANONYMA_SIDOR = "/e/"


def ar_anonym(path: str) -> bool:
    """Whether `path` is one of the anonymous survey pages."""
    return path.startswith(ANONYMA_SIDOR)


class AnonymaSidorMiddleware:
    """Hides the session and the messages from the anonymous pages and gives them a CSRF
    cookie that ends with the browser session (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not ar_anonym(request.path_info):
            return self.get_response(request)
        for namn in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name):
            request.COOKIES.pop(namn, None)
        response = self.get_response(request)
        if (kaka := response.cookies.get(settings.CSRF_COOKIE_NAME)) is not None:
            kaka["max-age"] = ""
            kaka["expires"] = ""
        return response
