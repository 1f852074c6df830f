from django.urls import path

from registrering import (
    balansvyer,
    converters,  # noqa: F401  (registers <ar:…> and <manad:…>)
    views,
)

app_name = "registrering"

urlpatterns = [
    path("", views.oversikt, name="oversikt"),
    path("<ar:ar>/", views.oversikt, name="oversikt_ar"),
    path("mina-insatser/", views.mina_insatser, name="mina_insatser"),
    path("mina-insatser/<ar:ar>/", views.mina_insatser, name="mina_insatser_ar"),
    path("insats/<int:pk>/<ar:ar>/<manad:manad>/", views.manad, name="manad"),
    path("insats/<int:pk>/<ar:ar>/<manad:manad>/godkann/", views.godkann, name="godkann"),
    path("insats/<int:pk>/<ar:ar>/<manad:manad>/returnera/", views.returnera, name="returnera"),
    path("insats/<int:pk>/<ar:ar>/<manad:manad>/las-upp/", views.las_upp, name="las_upp"),
    path(
        "insats/<int:pk>/<ar:ar>/<manad:manad>/registrerad/", views.registrerad, name="registrerad"
    ),
    path("insats/<int:pk>/<ar:ar>/<manad:manad>/justering/", views.justering, name="justering"),
    path(
        "insats/<int:pk>/<ar:ar>/ingaende-balans/",
        balansvyer.ingaende_balans,
        name="ingaende_balans",
    ),
]
