from django.urls import include, path

from effekter import views
from registrering import converters  # noqa: F401  (registers <ar:…>)

app_name = "effekter"

urlpatterns = [
    path("effekter/", views.index, name="index"),
    path("effekter/<ar:ar>/", views.resultat_sida, name="resultat"),
    # The key figures and the transition model's pages, in the same namespace.
    path("", include("effekter.urls_modell")),
]
