"""Groups of förbund that report together (a county or a network, seed 004) and their
samordnare, who read the group's joint report."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from registrering.models.organisation import Forbund


class Forbundsgrupp(models.Model):
    """Förbund that meet and report together, e.g. the three of Jönköpings län. A förbund may
    be in several groups; a group has at least one förbund (`registrering.samverkansregler`)."""

    namn = models.CharField("namn", max_length=200, unique=True)
    kortnamn = models.SlugField(
        "kortnamn",
        max_length=40,
        unique=True,
        help_text="Används i adressen, t.ex. ”jonkopings-lan”: små bokstäver, siffror och "
        "bindestreck.",
    )
    forbund = models.ManyToManyField(
        Forbund, verbose_name="förbund", related_name="forbundsgrupper"
    )
    samordnare = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="samordnare",
        blank=True,
        related_name="samordnar_grupper",
    )

    class Meta:
        verbose_name = "förbundsgrupp"
        verbose_name_plural = "förbundsgrupper"
        ordering = ["namn"]

    def __str__(self) -> str:
        return self.namn
