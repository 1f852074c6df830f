"""The key figures and the transition model's pages. No `app_name` of its own: included in the
"effekter" namespace (by effekter/urls.py, or until that exists by finsam/urls.py)."""

from __future__ import annotations

from django.urls import path

from effekter import forflyttning_vyer, nyckeltal_vyer
from registrering import converters  # noqa: F401  (registers <ar:…>)

urlpatterns = [
    path("effekter/<ar:ar>/nyckeltal/", nyckeltal_vyer.nyckeltal, name="nyckeltal"),
    path("effekter/<ar:ar>/forflyttningar/", forflyttning_vyer.resultat, name="forflyttningar"),
    path(
        "effekter/<ar:ar>/forflyttningar/diagram/<int:nummer>.svg",
        forflyttning_vyer.diagram_svg,
        name="forflyttningar_diagram",
    ),
    path(
        "effekter/<ar:ar>/forflyttningar/<int:insats_id>/",
        forflyttning_vyer.matris,
        name="forflyttningsmatris",
    ),
]
