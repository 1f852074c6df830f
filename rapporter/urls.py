from django.urls import path

from rapporter import views

app_name = "rapporter"

urlpatterns = [
    path("mal/", views.mal, name="mal"),
    path("mal/<int:ar>/", views.mal, name="mal_ar"),
    path("mal/<int:ar>/utfall/", views.utfall, name="utfall"),
    path("mal/<int:ar>/utfall/<slug:period>/", views.utfall, name="utfall_period"),
    path("rapporter/", views.index, name="index"),
    path("rapporter/<int:ar>/", views.arsrapport_sida, name="arsrapport"),
    path("rapporter/<int:ar>/pdf/", views.arsrapport_pdf, name="pdf"),
    path("rapporter/<int:ar>/diagram/<int:nummer>.svg", views.diagram_svg, name="diagram"),
    path("rapporter/<int:ar>/underlag/", views.underlag, name="underlag"),
    path("rapporter/<int:ar>/texter/", views.texter, name="texter"),
    path("rapporter/<int:ar>/kommentar/<slug:avsnitt>/", views.kommentar, name="kommentar"),
]
