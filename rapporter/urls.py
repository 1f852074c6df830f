from django.urls import path

from rapporter import bilagevyer, underlag_vyer, views
from registrering import converters  # noqa: F401  (registers <ar:…>)

app_name = "rapporter"

urlpatterns = [
    path("mal/", views.mal, name="mal"),
    path("mal/<ar:ar>/", views.mal, name="mal_ar"),
    path("mal/<ar:ar>/utfall/", views.utfall, name="utfall"),
    path("mal/<ar:ar>/utfall/<slug:period>/", views.utfall, name="utfall_period"),
    path("rapporter/", views.index, name="index"),
    path("rapporter/<ar:ar>/", bilagevyer.arsrapport_sida, name="arsrapport"),
    path("rapporter/<ar:ar>/pdf/", bilagevyer.arsrapport_pdf, name="pdf"),
    path("rapporter/<ar:ar>/diagram/<slug:hash_>.svg", bilagevyer.diagram_svg, name="diagram"),
    path("rapporter/<ar:ar>/underlag/", underlag_vyer.underlag_sida, name="underlag"),
    path("rapporter/<ar:ar>/underlag.xlsx", underlag_vyer.underlag_xlsx, name="underlag_xlsx"),
    path("rapporter/<ar:ar>/texter/", views.texter, name="texter"),
    path("rapporter/<ar:ar>/kommentar/<slug:avsnitt>/", views.kommentar, name="kommentar"),
]
