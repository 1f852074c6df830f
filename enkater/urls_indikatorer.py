"""Addresses of the survey pages: the Indikatorer report (included by enkater/urls.py)."""

from django.urls import URLPattern, path

from enkater import indikatorvyer as v
from registrering import converters  # noqa: F401  (registers <ar:…>: a year 2000–2100, else 404)

urlpatterns: list[URLPattern] = [
    path("indikatorer/", v.index, name="indikatorer_index"),
    path("indikatorer/importera/", v.importera, name="indikatorer_import"),
    path("indikatorer/<ar:ar>/", v.sida, name="indikatorer"),
    path("indikatorer/<ar:ar>/pdf/", v.pdf, name="indikatorer_pdf"),
    path("indikatorer/<ar:ar>/diagram/<int:fraga>.svg", v.diagram, name="indikatorer_diagram"),
    path("indikatorer/<ar:ar>/export.<str:format_>", v.export, name="indikatorer_export"),
]
