"""What the read side keeps in the database: the record of each bilaga build."""

from __future__ import annotations

from django.db import models

from registrering.models import Forbund


class Bilagebygge(models.Model):
    """One build of a förbund's bilaga (PDF and chart SVGs) for a year's data version
    (`registrering.dataversion`). The row is made when the build is ordered or claimed: its
    unique key is the lock that keeps two processes, on any machine, from building the same
    version (`rapporter.bygge`)."""

    class Tillstand(models.TextChoices):
        KO = "ko", "i kö"
        BYGGER = "bygger", "byggs"
        KLAR = "klar", "klar"
        FEL = "fel", "misslyckades"

    forbund = models.ForeignKey(Forbund, on_delete=models.CASCADE, related_name="+")
    ar = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField()
    tillstand = models.CharField(max_length=10, choices=Tillstand.choices, default=Tillstand.KO)
    koad = models.DateTimeField()
    borjade = models.DateTimeField(null=True, blank=True)
    klar = models.DateTimeField(null=True, blank=True)
    sekunder = models.FloatField(null=True, blank=True)
    namn = models.CharField(max_length=300, blank=True, help_text="PDF:ens namn i lagringen.")
    filnamn = models.CharField(max_length=200, blank=True)
    diagram = models.JSONField(default=list, blank=True, help_text="Diagrammens hashar.")

    class Meta:
        verbose_name = "bilagebygge"
        verbose_name_plural = "bilagebyggen"
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "ar", "version"], name="ett_bygge_per_dataversion"
            ),
        ]
        indexes = [models.Index(fields=["forbund", "ar", "-version"], name="bygge_senaste")]

    def __str__(self) -> str:
        return f"{self.forbund_id}/{self.ar} v{self.version}: {self.tillstand}"
