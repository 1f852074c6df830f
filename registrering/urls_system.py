"""The systemadministratör's pages (registrering.systemvyer), under /system/."""

from django.urls import path

from registrering import systemvyer

app_name = "system"

urlpatterns = [
    path("", systemvyer.forbund_lista, name="index"),
    path("forbund/ny/", systemvyer.forbund_ny, name="forbund_ny"),
    path("forbund/<int:pk>/", systemvyer.forbund_andra, name="forbund"),
    path("forbund/<int:pk>/bjud-in/", systemvyer.bjud_in, name="bjud_in"),
    path(
        "forbund/<int:pk>/konton/<int:konto_pk>/skicka-igen/",
        systemvyer.skicka_igen,
        name="skicka_igen",
    ),
]
