"""Addresses of the survey pages: hantering (included by enkater/urls.py under /enkater/)."""

from django.urls import URLPattern, path

from enkater import affisch, hantering

urlpatterns: list[URLPattern] = [
    path("", hantering.hantering, name="hantering"),
    path("tillfalle/ny/", hantering.tillfalle_ny, name="tillfalle_ny"),
    path("tillfalle/<int:pk>/", hantering.tillfalle, name="tillfalle"),
    path("tillfalle/<int:pk>/papper/", hantering.pappersvar, name="pappersvar"),
    path("tillfalle/<int:pk>/stang/", hantering.stang, name="tillfalle_stang"),
    path("tillfalle/<int:pk>/oppna/", hantering.oppna, name="tillfalle_oppna"),
    path("tillfalle/<int:pk>/qr.svg", affisch.qr_svg, name="qr_svg"),
    path("tillfalle/<int:pk>/qr.png", affisch.qr_png, name="qr_png"),
    path("tillfalle/<int:pk>/affisch/", affisch.affisch, name="affisch"),
    path("tillfalle/<int:pk>/affisch/pdf/", affisch.affisch_pdf, name="affisch_pdf"),
    path("fragor/", hantering.fragor, name="fragor"),
    path("fragor/ny/", hantering.fraga_ny, name="fraga_ny"),
    path("fragor/<int:pk>/", hantering.fraga_andra, name="fraga_andra"),
]
