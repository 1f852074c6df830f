"""Security headers on every response (Content-Security-Policy, Permissions-Policy) and a
persistent database connection that the server has dropped (CONN_HEALTH_CHECKS)."""

from __future__ import annotations

import io
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.urls import reverse

VANTAD_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


def _direktiv(huvud: str) -> dict[str, list[str]]:
    delar = (d.split() for d in huvud.split(";") if d.strip())
    return {namn: varden for namn, *varden in delar}


def test_inloggningssidan_har_strikt_csp(db: None) -> None:
    response = Client().get(reverse("login"))

    assert response.status_code == 200
    assert _direktiv(response.headers["Content-Security-Policy"]) == VANTAD_CSP
    # Nothing weakens it: no inline script or style, no eval.
    assert "unsafe" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("namn", ["start", "admin:index"])
def test_inloggade_sidor_och_admin_har_samma_csp(namn: str, verksamhetsutvecklare: Any) -> None:
    client = Client()
    client.force_login(verksamhetsutvecklare)

    response = client.get(reverse(namn), follow=True)

    assert response.status_code == 200
    assert _direktiv(response.headers["Content-Security-Policy"]) == VANTAD_CSP


def test_permissions_policy_stanger_av_webblasarens_funktioner(db: None) -> None:
    response = Client().get(reverse("login"))

    policy = dict(
        del_.strip().split("=", 1) for del_ in response.headers["Permissions-Policy"].split(",")
    )
    for funktion in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert policy[funktion] == "()", funktion


def test_databasanslutningen_halsokontrolleras() -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


def _wsgi_get(sokvag: str, cookie: str) -> int:
    """One request through Django's real WSGI handler, which (unlike the test client) runs
    close_old_connections at the start of the request as gunicorn's workers do."""
    environ: dict[str, Any] = {
        "PATH_INFO": sokvag,
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(),
    }
    setup_testing_defaults(environ)
    status: list[str] = []
    svar = WSGIHandler()(environ, lambda s, _h, _e=None: status.append(s))
    b"".join(svar)
    svar.close()  # sends request_finished, like a WSGI server
    return int(status[0].split()[0])


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite är en fil i processen: det finns ingen server som kan stänga anslutningen.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nasta_begaran_efter_nedstangd_anslutning_ar_inte_500(verksamhetsutvecklare: Any) -> None:
    import psycopg

    client = Client()
    client.force_login(verksamhetsutvecklare)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    assert _wsgi_get("/", cookie) in {200, 302}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        gammal_pid = cursor.fetchone()[0]

    # The server drops the worker's persistent connection (a restart, a failover, an idle timeout).
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as annan:
        annan.execute("SELECT pg_terminate_backend(%s)", [gammal_pid])

    assert _wsgi_get("/", cookie) in {200, 302}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != gammal_pid
