"""Health endpoints for the load balancer.

`/healthz` answers as long as the process serves requests: it touches neither the database nor
the session, so a database outage does not take every web process out of the pool at once.
`/readyz` says whether this process can do its work: the database answers `SELECT 1`, the cache
stores and returns a value, and the broker (Redis, when `CELERY_BROKER_URL` or `REDIS_URL` is
set) answers PING. Both are public and carry no data of any förbund.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

#: Seconds the broker may take to answer PING before /readyz calls it down.
BROKER_TIMEOUT = 2.0


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def kontrollera_databas() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 gav fel svar")


def kontrollera_cache() -> None:
    nyckel = f"finsam:readyz:{uuid.uuid4().hex}"
    cache.set(nyckel, "1", 10)
    try:
        if cache.get(nyckel) != "1":
            raise RuntimeError("cachen gav inte tillbaka värdet")
    finally:
        cache.delete(nyckel)


def broker_url() -> str:
    """The broker to check: Celery's broker when set, else REDIS_URL, else none ("")."""
    return str(getattr(settings, "CELERY_BROKER_URL", "") or getattr(settings, "REDIS_URL", ""))


def kontrollera_broker() -> None:
    import redis

    klient = redis.Redis.from_url(
        broker_url(), socket_timeout=BROKER_TIMEOUT, socket_connect_timeout=BROKER_TIMEOUT
    )
    try:
        if not klient.ping():
            raise RuntimeError("Redis svarade inte på PING")
    finally:
        klient.close()


def kontroller() -> dict[str, Callable[[], None]]:
    """The checks of /readyz, by name; the broker only when one is configured."""
    valda: dict[str, Callable[[], None]] = {
        "databas": kontrollera_databas,
        "cache": kontrollera_cache,
    }
    if broker_url().startswith(("redis://", "rediss://")):
        valda["broker"] = kontrollera_broker
    return valda


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 with {"databas": "ok", ...} when every check passes, 503 when one fails. The
    reason is logged, not answered: the endpoint is public."""
    resultat: dict[str, str] = {}
    for namn, kontroll in kontroller().items():
        try:
            kontroll()
        except Exception:
            logger.exception("readyz: %s svarar inte", namn)
            resultat[namn] = "fel"
        else:
            resultat[namn] = "ok"
    klar = all(varde == "ok" for varde in resultat.values())
    return JsonResponse(resultat, status=200 if klar else 503)
