from django.urls import path

from registrering import converters  # noqa: F401  (registers <ar:…>)
from samverkan import views

app_name = "samverkan"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:grupp>/<ar:ar>/", views.rapport, name="rapport"),
    path("<slug:grupp>/<ar:ar>/pdf/", views.rapport_pdf, name="pdf"),
    path("<slug:grupp>/<ar:ar>/diagram/<slug:hash_>.svg", views.diagram_svg, name="diagram"),
]
