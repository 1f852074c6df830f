"""A second admin site beside the project's, for the tests that a list's links stay on the
site they are listed on (`current_app`)."""

from django.contrib.admin import AdminSite
from django.urls import include, path

from registrering.admin.insatser import InsatsAdmin
from registrering.models import Insats

annan = AdminSite(name="annan")
annan.register(Insats, InsatsAdmin)
urlpatterns = [path("annan/", annan.urls), path("", include("finsam.urls"))]
