from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from finsam import halsa
from registrering import inbjudanvyer, kontovyer, paminnelsevyer
from registrering import views as registrering_views
from registrering.oidc import LoggaUt

admin.site.site_header = "Finsam uppföljning – administration"
admin.site.site_title = "Finsam uppföljning"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", registrering_views.start, name="start"),
    path("logga-in/", kontovyer.Inloggning.as_view(), name="login"),
    path("logga-ut/", LoggaUt.as_view(), name="logout"),
    path("konton/", kontovyer.konton, name="konton"),
    path("konton/sparrade/", kontovyer.sparrade, name="sparrade_konton"),
    path("konton/anvandare/", include("registrering.urls_anvandare")),
    path("konton/inbjudan/<uidb64>/<token>/", inbjudanvyer.Inbjudan.as_view(), name="inbjudan"),
    path("konton/sparrade/<int:pk>/hav/", kontovyer.hav_sparr, name="hav_sparr"),
    path("konton/tvasteg/", include("registrering.tvastegsvyer")),
    path("konton/paminnelser/", paminnelsevyer.paminnelser, name="paminnelser"),
    path("registrering/", include("registrering.urls")),
    path("kom-igang/", include("registrering.kom_igang")),
    path("data/", include("registrering.filvyer")),
    path("", include("rapporter.urls")),
    path("", include("enkater.urls")),
    path("", include("effekter.urls")),
    path("samverkan/", include("samverkan.urls")),
    path("system/grupper/", include("registrering.gruppvyer")),
    path("system/", include("registrering.urls_system")),
    path("admin/", admin.site.urls),
    path("healthz", halsa.healthz, name="healthz"),
    path("readyz", halsa.readyz, name="readyz"),
]

# Single sign-on (registrering.oidc): routed only when OIDC_RP_CLIENT_ID is set.
if settings.FINSAM_OIDC_AKTIV:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "finsam.errors.forbidden"
handler404 = "finsam.errors.not_found"
