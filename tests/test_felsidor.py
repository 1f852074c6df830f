"""The Swedish 500 page: rendered by Django's own handler with DEBUG off, with an empty context
(no request, no context processors) and without the database."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path


def _trasig_vy(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("Något i koden gick sönder")


urlpatterns = [path("trasig/", _trasig_vy)]

pytestmark = pytest.mark.urls(__name__)


def test_ett_fel_i_en_vy_ger_svenska_felsidan_utan_databasen() -> None:
    # No `db` fixture: pytest-django refuses every query, so the page cannot lean on one.
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)

    response = client.get("/trasig/")

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "<title>Något gick fel – Finsam uppföljning</title>" in html
    assert "<h1>Något gick fel hos oss</h1>" in html
    assert "kontakta förbundets verksamhetsutvecklare" in html
    assert '<a href="/">Till startsidan</a>' in html
    # Nothing from Django's own English page, nor the exception's text.
    assert "Server Error" not in html
    assert "gick sönder" not in html


def test_felsidan_laddar_stilar_och_ikon_som_finns() -> None:
    client = Client(raise_request_exception=False)
    html = client.get("/trasig/").content.decode()

    for fil in ("css/tokens.css", "css/finsam.css", "bilder/favicon.svg", "bilder/favicon.ico"):
        assert f'"/static/{fil}"' in html, fil
        assert finders.find(fil), f"{fil} saknas i static/"
