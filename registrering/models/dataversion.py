"""How far a förbund's data has come, per year: bumped by every write
(`registrering.dataversion`)."""

from __future__ import annotations

from django.db import models

from registrering.models.organisation import Forbund


class Dataversion(models.Model):
    """A counter per förbund and year (`ar` 0: a write that concerns every year, such as an
    insats or the förbund's texts). A year's report depends on its own and earlier years, so its
    version is the sum of the counters up to it (`registrering.dataversion.version`)."""

    forbund = models.ForeignKey(Forbund, on_delete=models.CASCADE, related_name="+")
    ar = models.PositiveSmallIntegerField()
    nummer = models.PositiveIntegerField(default=0)
    andrad = models.DateTimeField(
        null=True, blank=True, help_text="När en namngiven skrivning senast ändrade året."
    )

    class Meta:
        verbose_name = "dataversion"
        verbose_name_plural = "dataversioner"
        constraints = [
            models.UniqueConstraint(fields=["forbund", "ar"], name="unik_dataversion_per_ar"),
        ]

    def __str__(self) -> str:
        return f"{self.forbund_id}/{self.ar or 'alla år'}: {self.nummer}"
