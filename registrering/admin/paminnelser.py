"""What the reminders by e-mail sent (registrering.paminnelser): read-only, each förbund its
own rows, so that the kansli can see who got which mail on which day."""

from __future__ import annotations

from django.contrib import admin

from registrering.admin.bas import EndastViaForalder, RelatedOnly
from registrering.models import SkickadPaminnelse


@admin.register(SkickadPaminnelse)
class SkickadPaminnelseAdmin(EndastViaForalder):
    """Read only; rows go only with their user or förbund (the cascade keeps the permission)."""

    list_display = ("datum", "slag", "user", "amne", "skickad")
    list_filter = ("slag", ("user", RelatedOnly), "datum")
    list_select_related = ("user",)
    date_hierarchy = "datum"
    ordering = ("-datum", "-id")
    fields = ("datum", "slag", "user", "amne", "skickad")

    borttagning_nekad = "En skickad påminnelse tas bort bara med sin användare."
