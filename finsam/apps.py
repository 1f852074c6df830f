from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class FinsamAdminConfig(AdminConfig):
    """Django's admin with the product's door (`finsam.adminsite.FinsamAdminSite`)."""

    default_site = "finsam.adminsite.FinsamAdminSite"

    def ready(self) -> None:
        super().ready()
        from finsam import sessionsfornyelse, uppgifter  # noqa: F401  (a receiver, a check)
