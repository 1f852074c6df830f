"""The admin site: Django's, with its door (`has_permission`) asking the roles.

`registrering.permissions.kan_oppna_admin` decides who gets in, so that `is_staff` alone opens
nothing: the styrelse and the insatsansvarig follow the förbund in the product's own pages.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from registrering import permissions


class FinsamAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.kan_oppna_admin(request.user)

    def login(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        """A logged-in user without the admin is told so in the product's own page, instead
        of being asked to log in again as someone else."""
        if permissions.aktiv(request.user) is not None and not self.has_permission(request):
            raise PermissionDenied(
                "Administrationen är verksamhetsutvecklarens och förbundschefens verktyg. "
                "Det du behöver finns i menyn ovan."
            )
        if not settings.FINSAM_LOKAL_INLOGGNING and not request.user.is_authenticated:
            # No password door here either: the product's login page has the provider's button.
            nasta = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
                "admin:index", current_app=self.name
            )
            return redirect_to_login(nasta, reverse("login"))
        return super().login(request, extra_context)
