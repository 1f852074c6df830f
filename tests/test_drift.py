"""Operations: the load balancer's health endpoints, JSON logs with a request id, and the
backup round trip (`sakerhetskopia` / `aterstall`) on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path
from django.utils import timezone
from pypdf import PdfReader

from finsam import halsa, loggning, sakerhetskopia
from finsam.urls import urlpatterns as finsam_urlpatterns
from rapporter import lagring, pdf
from rapporter.models import Bilagebygge
from rapporter.selectors import arsrapport
from registrering import demodata, services
from registrering.models import Forbund, Manadsrapport, User
from registrering.permissions import Roll

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


# --- Backup and restore -------------------------------------------------------------------------

IDAG = dt.date(2026, 11, 23)
SVG_LOGOTYP = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 120">'
    b'<rect width="400" height="120" fill="#0b4f6c"/></svg>'
)


def _bilaga(forbund_id: int) -> dict[str, object]:
    """The 2025 bilaga of the förbund: its stored name (a hash of all its data and the logo), its
    HTML, and the SHA-256 and text of a PDF built now (not the stored one)."""
    cache.clear()
    rapport = arsrapport(forbund=Forbund.objects.get(pk=forbund_id), ar=2025, idag=IDAG)
    lagring.lagring().delete(pdf.lagringsnamn(rapport))
    innehall = pdf.rendera(rapport).innehall
    reader = PdfReader(io.BytesIO(innehall))
    return {
        "nyckel": pdf.lagringsnamn(rapport),
        "logotyp": rapport.logotyp.innehall if rapport.logotyp else None,
        "html": pdf.html(rapport, pdf=True),
        "text": "\n".join(sida.extract_text() for sida in reader.pages),
        "sha256": hashlib.sha256(innehall).hexdigest(),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sakerhetskopia_tomning_och_aterstallning_ger_samma_bilaga(settings, tmp_path):
    """Runs on both backends: pg_dump/pg_restore against the test database on PostgreSQL, the
    online backup API on SQLite (the in-memory test database)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    forbund = demodata.ladda(idag=IDAG)
    vu = User.objects.filter(forbund=forbund, groups__name=str(Roll.VERKSAMHETSUTVECKLARE)).first()
    assert vu is not None
    services.forbund_spara(
        user=vu, forbund=forbund, varden={"logotyp": SimpleUploadedFile("logga.svg", SVG_LOGOTYP)}
    )
    fore = _bilaga(forbund.pk)
    assert fore["logotyp"] == SVG_LOGOTYP
    antal_fore = Manadsrapport.objects.count()

    # In the dump: a build record, and a page kept in the cache meanwhile.
    Bilagebygge.objects.create(
        forbund_id=forbund.pk, ar=2025, version=10**6, tillstand="klar", koad=timezone.now()
    )
    cache.set("finsam:rapportsida:kvar", "byggd för datan före återställningen")
    fil = tmp_path / "kopior" / "finsam.dump"
    ut = io.StringIO()
    call_command("sakerhetskopia", str(fil), stdout=ut)
    assert fil.is_file() and (tmp_path / "kopior" / "finsam.dump.media.tar.gz").is_file()
    assert "Skrev" in ut.getvalue()

    call_command("flush", interactive=False)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Forbund.objects.exists()

    call_command("aterstall", str(fil), interactive=False, stdout=io.StringIO())
    assert Manadsrapport.objects.count() == antal_fore > 0
    # What was kept by data version is forgotten: the restored versions are old numbers.
    assert not Bilagebygge.objects.filter(version=10**6).exists()
    assert cache.get("finsam:rapportsida:kvar") is None
    efter = _bilaga(forbund.pk)
    assert efter == fore


def test_aterstall_av_en_fil_som_inte_finns(tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        call_command("aterstall", str(tmp_path / "saknas.dump"), interactive=False)


def test_aterstall_fragar_forst(tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda _fraga: "nej")
    with pytest.raises(CommandError, match="avbröts"):
        call_command("aterstall", str(tmp_path / "finsam.dump"))


def test_postgresql_losenordet_gar_i_miljon_inte_pa_kommandoraden(monkeypatch, tmp_path):
    anrop: list[tuple[list[str], dict[str, str]]] = []

    def kor(argument: list[str], *, env: dict[str, str], **_: object):
        anrop.append((argument, env))
        return subprocess.CompletedProcess(argument, 0, "", "")

    monkeypatch.setattr(sakerhetskopia.shutil, "which", lambda namn: f"/usr/bin/{namn}")
    monkeypatch.setattr(sakerhetskopia.subprocess, "run", kor)
    db = {"NAME": "finsam", "USER": "app", "PASSWORD": "hemligt", "HOST": "db", "PORT": 5432}
    sakerhetskopia._pg_kor("pg_dump", ["--format=custom", "--file=x"], db)
    argument, env = anrop[0]
    assert argument == [
        "pg_dump",
        "--no-password",
        "--dbname=finsam",
        "--host=db",
        "--port=5432",
        "--username=app",
        "--format=custom",
        "--file=x",
    ]
    assert env["PGPASSWORD"] == "hemligt"
    assert not any("hemligt" in a for a in argument)
