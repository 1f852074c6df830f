"""Addresses of the survey pages: resultat (included by enkater/urls.py)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
