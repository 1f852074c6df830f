"""What the reminders by e-mail sent (registrering.paminnelser): read-only, each förbund its
own rows, so that the kansli can see who got which mail on which day."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from registrering.admin.bas import EndastLasbar, RelatedOnly
from registrering.models import SkickadPaminnelse


@admin.register(SkickadPaminnelse)
class SkickadPaminnelseAdmin(EndastLasbar):
    list_display = ("datum", "slag", "user", "amne", "skickad")
    list_filter = ("slag", ("user", RelatedOnly), "datum")
    list_select_related = ("user",)
    date_hierarchy = "datum"
    ordering = ("-datum", "-id")
    fields = ("datum", "slag", "user", "amne", "skickad")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Rows go only with their user or förbund: the cascade needs the permission, but the
        list has no delete action and a row no delete button."""
        return bool(request.user.has_perm("registrering.delete_skickadpaminnelse"))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "show_delete": False}
        )

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        raise PermissionDenied("En skickad påminnelse tas bort bara med sin användare.")
