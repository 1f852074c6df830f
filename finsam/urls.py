from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

admin.site.site_header = "Finsam uppföljning – administration"
admin.site.site_title = "Finsam uppföljning"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
]
