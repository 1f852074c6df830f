"""The test provider as a pytest fixture, the app's OIDC settings pointing at it, and a login
round trip over HTTP (`requests`) the way a browser makes it."""

from __future__ import annotations

import html
import importlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "finsam-test"
CLIENT_SECRET = "testhemlighet-inte-hemlig"
LOSENORD = "leverantor-losenord-1"
#: The provider's people. The app's accounts are the tests' to make.
ANVANDARE = [
    # Matches the app's verksamhetsutvecklare whatever the case of the address.
    {"username": "anna", "email": "Anna.Andersson@Testbygden.SE", "groups": ["finsam-chef"]},
    {"username": "okand", "email": "okand@example.se", "first_name": "Olle", "last_name": "Okänd"},
    {"username": "dubbel", "email": "dubbel@testbygden.se"},
    {"username": "obekraftad", "email": "obekraftad@testbygden.se"},
    {"username": "chef", "email": "chef@testbygden.se", "groups": ["finsam-chef", "annat"]},
]


@dataclass(frozen=True)
class Leverantor:
    url: str

    @property
    def discovery(self) -> str:
        return f"{self.url}/openid/.well-known/openid-configuration"

    @property
    def end_session(self) -> str:
        return f"{self.url}/openid/end-session"


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def starta_leverantor(app_url: str, mapp: Path) -> Iterator[Leverantor]:
    """django-oidc-provider in a process of its own, with its own SQLite file, serving on a
    free port of 127.0.0.1 until the generator is closed (a session fixture's teardown). Its
    client knows the app's callback at `app_url`."""
    port = _ledig_port()
    setup = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{app_url}/oidc/callback/"],
            "post_logout_redirect_uris": [f"{app_url}/logga-in/"],
        },
        "users": [{**a, "password": LOSENORD} for a in ANVANDARE],
    }
    (mapp / "setup.json").write_text(json.dumps(setup), encoding="utf-8")
    env = {
        **os.environ,
        "LEVERANTOR_DB": str(mapp / "leverantor.sqlite3"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_leverantor.settings",
    }
    env.pop("DATABASE_URL", None)
    logg = (mapp / "leverantor.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_leverantor.start", str(port), str(mapp / "setup.json")],
        cwd=ROOT,
        env=env,
        stdout=logg,
        stderr=subprocess.STDOUT,
    )
    leverantor = Leverantor(url=f"http://127.0.0.1:{port}")
    try:
        _vanta_pa(leverantor, process, mapp / "leverantor.log")
        yield leverantor
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        logg.close()


def _vanta_pa(leverantor: Leverantor, process: subprocess.Popen[bytes], logg: Path) -> None:
    slut = time.monotonic() + 60
    while time.monotonic() < slut:
        if process.poll() is not None:
            raise RuntimeError(f"Testleverantören stannade:\n{logg.read_text(errors='replace')}")
        try:
            if requests.get(leverantor.discovery, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"Testleverantören svarade inte:\n{logg.read_text(errors='replace')}")


def ladda_om_urls() -> None:
    """The root URLconf again, for settings that decide what is routed (/oidc/)."""
    clear_url_caches()
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@contextmanager
def oidc_pa(leverantor: Leverantor | None = None, **extra: Any) -> Iterator[None]:
    """The app with OpenID Connect on, as OIDC_RP_CLIENT_ID and OIDC_OP_DISCOVERY would set
    it, plus `extra` settings; /oidc/ is routed while it lasts."""
    url = leverantor.discovery if leverantor else "http://127.0.0.1:9/ingen-leverantor"
    installningar: dict[str, Any] = {
        "FINSAM_OIDC_AKTIV": True,
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_DISCOVERY": url,
        "AUTHENTICATION_BACKENDS": [
            *settings.AUTHENTICATION_BACKENDS,
            "registrering.oidc.OidcBackend",
        ],
        **extra,
    }
    with override_settings(**installningar):
        ladda_om_urls()
        try:
            yield
        finally:
            pass
    ladda_om_urls()


def _formular(text: str) -> dict[str, str]:
    """The named inputs of the page's (one) form, with their values."""
    falt = {}
    for tagg in re.findall(r"<input[^>]*>", text):
        namn = re.search(r'name="([^"]*)"', tagg)
        varde = re.search(r'value="([^"]*)"', tagg)
        if namn and 'type="submit"' not in tagg:
            falt[html.unescape(namn[1])] = html.unescape(varde[1]) if varde else ""
    return falt


def logga_in_via_leverantoren(
    app_url: str, anvandarnamn: str, *, nasta: str = "", samtycke: bool = True
) -> tuple[requests.Session, requests.Response]:
    """The round trip a browser makes: the app's /oidc/authenticate/ → the provider's login
    form → its consent page → the app's callback → the page the person asked for. Returns the
    cookie jar and the last answer."""
    webblasare = requests.Session()
    fraga = f"?{urlencode({'next': nasta})}" if nasta else ""
    svar = webblasare.get(f"{app_url}/oidc/authenticate/{fraga}", timeout=30)
    assert svar.status_code == 200, svar.text
    assert "Testleverantörens inloggning" in svar.text, svar.url
    data = {**_formular(svar.text), "username": anvandarnamn, "password": LOSENORD}
    svar = webblasare.post(svar.url, data=data, timeout=30)
    assert svar.status_code == 200, svar.text
    assert "Request for Permission" in svar.text, svar.text  # the provider's consent page
    data = _formular(svar.text)
    if samtycke:
        data["allow"] = "Authorize"
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', svar.text)[1])  # type: ignore[index]
    svar = webblasare.post(requests.compat.urljoin(svar.url, action), data=data, timeout=30)
    return webblasare, svar
