"""Insatser financed by several förbund (seed 004: IT-spåret, "Södra Vätterbygden … 600 tKr …
Finnveden … 200 tKr").

An insats belongs to one förbund, its owner (`Insats.forbund`), which reports its months. Another
förbund that pays part of it for a year is a co-financier: a `Medfinansiering` row with its
amount and its share. The share is entered, not derived from the amounts: the owner's own
amount is often not a figure of its own (the insats is part of a larger budget post), while
the share is what the reports need to say how much of the insats is the co-financier's. The
owner's share is what the co-financiers leave (100 % − their shares).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from registrering.models.falt import year_field
from registrering.models.insatser import Insats
from registrering.models.organisation import Forbund


class Medfinansiering(models.Model):
    """A förbund that co-finances another förbund's insats for a year: its amount and share.
    The rules (`registrering.samfinansieringsregler`) keep the co-financier another förbund
    than the owner and the shares of an insats's year at most 100 % together."""

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="medfinansieringar"
    )
    # Not named `forbund`: the row is the owner's (its kansli writes it, its audit rows are the
    # owner's), the co-financier only reads it.
    finansiar = models.ForeignKey(
        Forbund,
        verbose_name="medfinansierande förbund",
        on_delete=models.PROTECT,
        related_name="medfinansieringar",
    )
    ar = year_field()
    belopp = models.PositiveIntegerField(
        "belopp (kr)", help_text="Det medfinansierande förbundets bidrag för året, i kronor."
    )
    andel = models.DecimalField(
        "andel (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
        help_text="Det medfinansierande förbundets andel av insatsen, i procent.",
    )

    class Meta:
        verbose_name = "medfinansiering"
        verbose_name_plural = "medfinansieringar"
        ordering = ["insats", "ar", "finansiar"]
        constraints = [
            models.UniqueConstraint(
                fields=["insats", "finansiar", "ar"], name="medfinansiering_unik"
            ),
            models.CheckConstraint(
                condition=Q(andel__gt=0) & Q(andel__lte=100), name="medfinansiering_andel"
            ),
            models.CheckConstraint(condition=Q(belopp__gte=0), name="medfinansiering_belopp"),
        ]

    def __str__(self) -> str:
        return f"{self.insats} {self.ar}: {self.finansiar}"
