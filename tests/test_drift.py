"""Operations: the load balancer's health endpoints, JSON logs with a request id, and the
backup round trip (`sakerhetskopia` / `aterstall`) on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

from finsam import halsa, loggning
from finsam.urls import urlpatterns as finsam_urlpatterns

# --- /healthz and /readyz -----------------------------------------------------------------------


def test_healthz_svarar_utan_databas(client):
    """No `db` fixture: pytest-django fails any query, so this also proves none is made."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@override_settings(SECURE_SSL_REDIRECT=True)
def test_halsokontrollerna_skickas_inte_om_till_https(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/logga-in/").status_code == 301  # the rest of the site still is


def test_readyz_kontrollerar_databas_och_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"databas": "ok", "cache": "ok"}


@pytest.mark.parametrize("kontroll", ["kontrollera_databas", "kontrollera_cache"])
def test_readyz_503_nar_en_kontroll_fallerar(client, db, monkeypatch, kontroll, caplog):
    def fallerar() -> None:
        raise ConnectionError("nere")

    monkeypatch.setattr(halsa, kontroll, fallerar)
    response = client.get("/readyz")
    assert response.status_code == 503
    svar = response.json()
    namn = kontroll.removeprefix("kontrollera_")
    assert svar[namn] == "fel"
    assert [v for k, v in svar.items() if k != namn] == ["ok"]
    assert "nere" not in response.content.decode()  # the reason goes to the log only
    assert any("svarar inte" in r.getMessage() for r in caplog.records)


def test_readyz_pingar_redis_nar_en_broker_ar_satt(client, db):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"):
        assert client.get("/readyz").json() == {"databas": "ok", "cache": "ok", "broker": "ok"}
    # A port where nothing listens: 503 within the short timeout.
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/readyz")
    assert (response.status_code, response.json()["broker"]) == (503, "fel")


# --- Request id and JSON logs -------------------------------------------------------------------

logger = logging.getLogger("finsam.test_drift")


def loggande_vy(request: HttpRequest) -> HttpResponse:
    logger.warning("månad %s godkänd", 7)
    return HttpResponse("ok")


urlpatterns = [*finsam_urlpatterns, path("test-logg", loggande_vy)]


def test_request_id_fran_proxyn_returneras(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-4f2a.9_x"})
    assert response["X-Request-ID"] == "lb-4f2a.9_x"


@pytest.mark.parametrize("fel", ["a b", "x" * 65, "rad\\nny", "<script>", ""])
def test_ogiltigt_request_id_ersatts(client, fel):
    response = client.get("/healthz", headers={"X-Request-ID": fel})
    rid = response["X-Request-ID"]
    assert rid != fel
    assert len(rid) == 32 and rid.isalnum()


def test_utan_request_id_skapas_ett_nytt_per_forfragan(client):
    forsta = client.get("/healthz")["X-Request-ID"]
    andra = client.get("/healthz")["X-Request-ID"]
    assert forsta != andra


@override_settings(ROOT_URLCONF=__name__)
def test_loggrad_i_en_vy_bar_request_id_som_json(client):
    strom = io.StringIO()
    handler = logging.StreamHandler(strom)
    handler.addFilter(loggning.RequestIdFilter())
    handler.setFormatter(loggning.JsonFormatter())
    logger.addHandler(handler)
    try:
        response = client.get("/test-logg", headers={"X-Request-ID": "abc-123"})
    finally:
        logger.removeHandler(handler)
    assert response["X-Request-ID"] == "abc-123"
    rad = json.loads(strom.getvalue())
    assert rad["request_id"] == "abc-123"
    assert rad["message"] == "månad 7 godkänd"
    assert (rad["niva"], rad["logger"]) == ("WARNING", "finsam.test_drift")
    assert loggning.request_id.get() == "-"  # reset after the request


def test_loggkonfigurationen_anvander_json_och_filtret():
    def handler(format: str) -> dict[str, object]:
        return loggning.logging_config(format=format, niva="INFO")["handlers"]["console"]  # type: ignore[index]

    assert handler("json")["formatter"] == "json"
    assert handler("json")["filters"] == ["request_id"]
    assert handler("text")["formatter"] == "text"
