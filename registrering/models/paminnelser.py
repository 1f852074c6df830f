"""What the reminders by e-mail sent (registrering.paminnelser): one row per user, day and kind,
so that a second run on the same day sends nothing twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from registrering.models.organisation import Forbund


class SkickadPaminnelse(models.Model):
    class Slag(models.TextChoices):
        FORE = "fore", "Påminnelse före sista rapportdag"
        EFTER = "efter", "Påminnelse efter sista rapportdag"
        VECKA = "vecka", "Veckosammanfattning"

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="mottagare",
        on_delete=models.CASCADE,
        related_name="+",
    )
    datum = models.DateField("dag")
    slag = models.CharField("slag", max_length=5, choices=Slag.choices)
    amne = models.CharField("ämne", max_length=200)
    skickad = models.DateTimeField("skickad", auto_now_add=True)

    class Meta:
        verbose_name = "skickad påminnelse"
        verbose_name_plural = "skickade påminnelser"
        ordering = ["-datum", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "datum", "slag"], name="paminnelse_en_per_dag_och_slag"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_slag_display()} {self.datum.isoformat()} till {self.user}"
