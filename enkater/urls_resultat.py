"""Addresses of the survey pages: resultat (included by enkater/urls.py under /enkater/)."""

from django.urls import URLPattern, path

from enkater import resultat_vyer

urlpatterns: list[URLPattern] = [
    path("resultat/", resultat_vyer.resultat, name="resultat"),
    path(
        "resultat/diagram/<int:fraga_id>/<slug:grupp>.svg",
        resultat_vyer.diagram_svg,
        name="resultat_diagram",
    ),
]
