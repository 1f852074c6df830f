"""Addresses of the survey pages: the public answer page (included by enkater/urls.py under
/e/). No login: see enkater/svar_vyer.py."""

from django.urls import URLPattern, path

from enkater import svar_vyer

urlpatterns: list[URLPattern] = [
    path("<str:lank>/", svar_vyer.svara, name="svara"),
    path("<str:lank>/tack/", svar_vyer.tack, name="svar_tack"),
]
