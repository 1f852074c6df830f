"""A request id on every log line, and JSON logs for production.

`RequestIdMiddleware` takes the proxy's `X-Request-ID` when it is short and made of safe
characters (anything else could forge log lines), or makes a new one; it returns it in the
response's `X-Request-ID` header and keeps it in a context variable for the request.
`RequestIdFilter` puts it on every log record as `request_id` ("-" outside a request), and
`JsonFormatter` (python-json-logger) writes one JSON object per line. Log lines carry ids and
paths, never names, personal numbers or figures.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

HEADER = "X-Request-ID"
_GILTIG = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def giltigt_id(varde: str | None) -> str | None:
    """The proxy's id if it is 1–64 characters of letters, digits, '.', '_' and '-'."""
    if varde and _GILTIG.fullmatch(varde):
        return varde
    return None


class RequestIdMiddleware:
    """Sets the request id for the request's log lines and answers with it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = giltigt_id(request.headers.get(HEADER)) or uuid.uuid4().hex
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (for the plain format's %(request_id)s too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id (and exc_info)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "tid", "levelname": "niva", "name": "logger"}
        )
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def logging_config(*, format: str, niva: str) -> dict[str, object]:
    """The LOGGING setting: `format` "json" or "text", every record through RequestIdFilter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "finsam.loggning.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "finsam.loggning.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json" if format == "json" else "text",
            }
        },
        "root": {"handlers": ["console"], "level": niva},
        # WeasyPrint tells each step of each PDF at INFO; its warnings and errors are enough.
        "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
    }
