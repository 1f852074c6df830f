from django.urls import path

from registrering import views

app_name = "registrering"

urlpatterns = [
    path("", views.oversikt, name="oversikt"),
    path("<int:ar>/", views.oversikt, name="oversikt_ar"),
    path("mina-insatser/", views.mina_insatser, name="mina_insatser"),
    path("insats/<int:pk>/<int:ar>/<int:manad>/", views.manad, name="manad"),
    path("insats/<int:pk>/<int:ar>/<int:manad>/godkann/", views.godkann, name="godkann"),
    path("insats/<int:pk>/<int:ar>/<int:manad>/returnera/", views.returnera, name="returnera"),
    path("insats/<int:pk>/<int:ar>/<int:manad>/las-upp/", views.las_upp, name="las_upp"),
    path(
        "insats/<int:pk>/<int:ar>/<int:manad>/registrerad/", views.registrerad, name="registrerad"
    ),
    path(
        "insats/<int:pk>/<int:ar>/ingaende-balans/",
        views.ingaende_balans,
        name="ingaende_balans",
    ),
]
