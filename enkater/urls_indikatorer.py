"""Addresses of the survey pages: the Indikatorer report (included by enkater/urls.py)."""

from django.urls import URLPattern, path

from enkater import indikatorvyer as v

urlpatterns: list[URLPattern] = [
    path("indikatorer/", v.index, name="indikatorer_index"),
    path("indikatorer/importera/", v.importera, name="indikatorer_import"),
    path("indikatorer/<int:ar>/", v.sida, name="indikatorer"),
    path("indikatorer/<int:ar>/pdf/", v.pdf, name="indikatorer_pdf"),
    path("indikatorer/<int:ar>/diagram/<int:fraga>.svg", v.diagram, name="indikatorer_diagram"),
    path("indikatorer/<int:ar>/export.<str:format_>", v.export, name="indikatorer_export"),
]
