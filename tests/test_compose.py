"""compose.yaml (README "Drift"): the services and their start order, that every variable it sets
is one the settings read and every one it asks for is in .env.example, and that the web
service's health check gets 200 from a running app that enforces ALLOWED_HOSTS."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import yaml
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.test import override_settings

ROT = Path(settings.BASE_DIR)
APPTJANSTER = ["migrate", "web", "worker", "beat"]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROT / "compose.yaml").read_text(encoding="utf-8"))


def test_tjansterna_och_deras_kommandon(compose):
    tjanster = compose["services"]
    assert set(tjanster) == {"migrate", "web", "worker", "beat", "postgres", "redis"}
    assert tjanster["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert "command" not in tjanster["web"]  # the image's CMD: gunicorn finsam.wsgi
    assert tjanster["worker"]["command"][:5] == ["celery", "-A", "finsam", "worker", "-l"]
    beat = tjanster["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "finsam", "beat"]
    schema = Path(beat[beat.index("--schedule") + 1])
    assert any(v.endswith(f":{schema.parent}") for v in tjanster["beat"]["volumes"])
    assert tjanster["postgres"]["image"] == "postgres:16"
    assert tjanster["redis"]["image"] == "redis:7"
    for namn in APPTJANSTER:
        assert tjanster[namn]["image"] == "finsam:latest"
        assert tjanster[namn]["env_file"] == ".env"


def test_appen_startar_forst_nar_databas_redis_och_migreringar_ar_klara(compose):
    tjanster = compose["services"]
    assert tjanster["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert tjanster["migrate"]["restart"] == "no"
    for namn in ["web", "worker", "beat"]:
        beroenden = tjanster[namn]["depends_on"]
        assert beroenden["migrate"] == {"condition": "service_completed_successfully"}
        assert beroenden["redis"] == {"condition": "service_healthy"}
    for namn in ["postgres", "redis", "web"]:
        assert tjanster[namn]["healthcheck"]["test"][0] == "CMD"


def test_web_och_worker_delar_datavolymen_dar_appens_mappar_ligger(compose):
    tjanster = compose["services"]
    miljo = tjanster["web"]["environment"]
    for namn in ["MEDIA_ROOT", "FINSAM_BILAGOR_DIR", "FINSAM_IMPORT_TMP_DIR"]:
        assert Path(miljo[namn]).parent == Path("/data")
    for namn in ["web", "worker"]:
        assert "data:/data" in tjanster[namn]["volumes"]
    assert set(compose["volumes"]) == {"data", "beat", "postgres", "redis"}


def _installningarnas_variabler() -> set[str]:
    kalla = (ROT / "finsam" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', kalla))


def _exempelfilens_variabler() -> set[str]:
    rader = (ROT / ".env.example").read_text(encoding="utf-8").splitlines()
    return {m.group(1) for rad in rader if (m := re.match(r"([A-Z0-9_]+)=", rad))}


def test_variablerna_som_compose_satter_lases_av_installningarna(compose):
    lasta = _installningarnas_variabler()
    for namn in APPTJANSTER:
        assert set(compose["services"][namn]["environment"]) <= lasta


def test_variablerna_som_compose_fragar_efter_finns_i_env_example():
    text = (ROT / "compose.yaml").read_text(encoding="utf-8")
    fragade = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    assert fragade == {"POSTGRES_PASSWORD", "FINSAM_PORT"}
    assert fragade <= _exempelfilens_variabler()


class _TystHanterare(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def app_server() -> Iterator[str]:
    """The real WSGI app on a free port, in a thread; /healthz touches no database."""
    server: WSGIServer = make_server(
        "127.0.0.1", 0, get_wsgi_application(), handler_class=_TystHanterare
    )
    trad = threading.Thread(target=server.serve_forever, daemon=True)
    trad.start()
    try:
        yield f"127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _kor_halsokontrollen(
    compose: dict[str, Any], adress: str, allowed_hosts: str | None
) -> subprocess.CompletedProcess[str]:
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    kod = test[3]
    assert "http://127.0.0.1:8000/healthz" in kod
    miljo = {k: v for k, v in os.environ.items() if k != "ALLOWED_HOSTS"}
    if allowed_hosts is not None:
        miljo["ALLOWED_HOSTS"] = allowed_hosts
    return subprocess.run(
        [sys.executable, "-c", kod.replace("127.0.0.1:8000", adress)],
        env=miljo,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@override_settings(ALLOWED_HOSTS=[".finsam.example.se"])
def test_halsokontrollen_skickar_sajtens_namn_och_far_200(compose, app_server):
    svar = _kor_halsokontrollen(compose, app_server, ".finsam.example.se,annan.example.se")
    assert svar.returncode == 0, svar.stderr


@override_settings(ALLOWED_HOSTS=["finsam.example.se"])
@pytest.mark.parametrize("allowed_hosts", ["annan.example.se", None])
def test_halsokontrollen_fallerar_nar_appen_avvisar_namnet(compose, app_server, allowed_hosts):
    svar = _kor_halsokontrollen(compose, app_server, allowed_hosts)
    assert svar.returncode == 1
    assert "HTTP Error 400" in svar.stderr
