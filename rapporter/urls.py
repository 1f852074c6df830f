from django.urls import path

from rapporter import views

app_name = "rapporter"

urlpatterns = [
    path("mal/", views.mal, name="mal"),
    path("mal/<int:ar>/", views.mal, name="mal_ar"),
]
