"""The förbund's users (registrering.anvandarvyer), under /konton/anvandare/."""

from django.urls import path

from registrering import anvandarvyer

app_name = "anvandare"

urlpatterns = [
    path("", anvandarvyer.lista, name="lista"),
    path("ny/", anvandarvyer.ny, name="ny"),
    path("<int:pk>/", anvandarvyer.andra, name="andra"),
    path("<int:pk>/aktiv/", anvandarvyer.aktiv, name="aktiv"),
    path("<int:pk>/skicka-igen/", anvandarvyer.skicka_igen, name="skicka_igen"),
]
