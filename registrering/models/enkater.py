"""Surveys: questions, answer options, occasions and answer counts (anonymous, aggregated)."""

from __future__ import annotations

from django.db import models

from registrering.models.falt import non_negative
from registrering.models.insatser import Insats
from registrering.models.organisation import Forbund


class Enkatfraga(models.Model):
    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="enkatfragor"
    )
    text = models.CharField("fråga", max_length=300)
    ordning = models.PositiveSmallIntegerField("ordning", default=0)
    malfraga = models.BooleanField(
        "följs upp mot målet",
        default=False,
        help_text="Frågan om förväntningarna, som mäts mot verksamhetsplanens mål.",
    )

    class Meta:
        verbose_name = "enkätfråga"
        verbose_name_plural = "enkätfrågor"
        ordering = ["forbund", "ordning"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "text"], name="enkatfraga_unik"),
        ]

    def __str__(self) -> str:
        return self.text


class Svarsalternativ(models.Model):
    fraga = models.ForeignKey(
        Enkatfraga, verbose_name="fråga", on_delete=models.CASCADE, related_name="alternativ"
    )
    text = models.CharField("svarsalternativ", max_length=100)
    ordning = models.PositiveSmallIntegerField("ordning", default=0)
    positivt = models.BooleanField(
        "räknas som positivt", default=False, help_text="Räknas in i andelen som når målet."
    )

    class Meta:
        verbose_name = "svarsalternativ"
        verbose_name_plural = "svarsalternativ"
        ordering = ["fraga", "ordning"]
        constraints = [
            models.UniqueConstraint(fields=["fraga", "text"], name="svarsalternativ_unikt"),
        ]

    def __str__(self) -> str:
        return self.text


class Enkattillfalle(models.Model):
    """One occasion a survey was sent out, e.g. after a föreläsning."""

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="enkattillfallen"
    )
    insats = models.ForeignKey(
        Insats,
        verbose_name="insats",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enkattillfallen",
    )
    namn = models.CharField("tillfälle", max_length=200)
    datum = models.DateField("datum")

    class Meta:
        verbose_name = "enkättillfälle"
        verbose_name_plural = "enkättillfällen"
        ordering = ["forbund", "datum"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "namn", "datum"], name="enkattillfalle_unikt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.namn} ({self.datum:%Y-%m-%d})"

    @property
    def ar(self) -> int:
        return self.datum.year


class Enkatsvar(models.Model):
    tillfalle = models.ForeignKey(
        Enkattillfalle, verbose_name="tillfälle", on_delete=models.CASCADE, related_name="svar"
    )
    alternativ = models.ForeignKey(
        Svarsalternativ,
        verbose_name="svarsalternativ",
        on_delete=models.CASCADE,
        related_name="svar",
    )
    antal = models.PositiveIntegerField("antal svar")

    class Meta:
        verbose_name = "enkätsvar"
        verbose_name_plural = "enkätsvar"
        constraints = [
            models.UniqueConstraint(fields=["tillfalle", "alternativ"], name="enkatsvar_unikt"),
            *non_negative("antal", prefix="enkatsvar"),
        ]

    def __str__(self) -> str:
        return f"{self.alternativ}: {self.antal}"
