"""A month's report of an insats and its breakdowns (avslutade per anledning, nya per huvudman)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from registrering.models.falt import PRIVACY_HELP, non_negative, year_field
from registrering.models.insatser import Avslutsanledning, Insats
from registrering.models.organisation import Huvudman


class Manadsrapport(models.Model):
    """One insats's figures for one month, and where the month is in its workflow.

    A deltagarflöde insats reports nya and avslutade by gender, with breakdowns by huvudman and
    avslutsanledning; a volyminsats reports `volym` in its unit (for 'unika individer under
    året' the count so far this year).
    """

    class Status(models.TextChoices):
        UTKAST = "utkast", "Utkast"
        INSKICKAD = "inskickad", "Inskickad"
        RETURNERAD = "returnerad", "Returnerad"
        GODKAND = "godkand", "Godkänd"
        REGISTRERAD = "registrerad", "Registrerad i Uppföljning Finsam"

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="manadsrapporter"
    )
    ar = year_field()
    manad = models.PositiveSmallIntegerField(
        "månad", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField("status", max_length=12, choices=Status.choices, default="utkast")
    nya_kvinnor = models.PositiveIntegerField("nya kvinnor", default=0)
    nya_man = models.PositiveIntegerField("nya män", default=0)
    avslutade_kvinnor = models.PositiveIntegerField("avslutade kvinnor", default=0)
    avslutade_man = models.PositiveIntegerField("avslutade män", default=0)
    volym = models.PositiveIntegerField("volym", null=True, blank=True)
    kommentar = models.TextField("kommentar", blank=True, help_text=PRIVACY_HELP)
    returkommentar = models.TextField("kommentar vid retur", blank=True, help_text=PRIVACY_HELP)
    version = models.PositiveIntegerField("version", default=1)
    andrad = models.DateTimeField("ändrad", auto_now=True)
    inskickad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="inskickad av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    inskickad_tid = models.DateTimeField("inskickad", null=True, blank=True)
    godkand_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="godkänd av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    godkand_tid = models.DateTimeField("godkänd", null=True, blank=True)
    registrerad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registrerad i Uppföljning Finsam av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registrerad_datum = models.DateField("registrerad i Uppföljning Finsam", null=True, blank=True)

    class Meta:
        verbose_name = "månadsrapport"
        verbose_name_plural = "månadsrapporter"
        ordering = ["insats", "ar", "manad"]
        constraints = [
            models.UniqueConstraint(fields=["insats", "ar", "manad"], name="manadsrapport_unik"),
            models.CheckConstraint(condition=Q(manad__gte=1, manad__lte=12), name="manad_1_12"),
            *non_negative(
                "nya_kvinnor",
                "nya_man",
                "avslutade_kvinnor",
                "avslutade_man",
                "volym",
                prefix="manadsrapport",
            ),
        ]
        indexes = [models.Index(fields=["ar", "manad"], name="manadsrapport_ar_manad")]

    def __str__(self) -> str:
        from registrering.kalender import MANADER

        return f"{self.insats}, {MANADER[self.manad]} {self.ar}"

    @property
    def nya(self) -> int:
        return self.nya_kvinnor + self.nya_man

    @property
    def avslutade(self) -> int:
        return self.avslutade_kvinnor + self.avslutade_man

    @property
    def last(self) -> bool:
        """An approved (or registered) month is locked until someone unlocks it with a reason."""
        return self.status in {self.Status.GODKAND, self.Status.REGISTRERAD}


class AvslutadePerAnledning(models.Model):
    rapport = models.ForeignKey(
        Manadsrapport, verbose_name="månadsrapport", on_delete=models.CASCADE, related_name="avslut"
    )
    anledning = models.ForeignKey(
        Avslutsanledning, verbose_name="avslutsanledning", on_delete=models.PROTECT
    )
    antal = models.PositiveIntegerField("antal")

    class Meta:
        verbose_name = "avslutade per avslutsanledning"
        verbose_name_plural = "avslutade per avslutsanledning"
        constraints = [
            models.UniqueConstraint(fields=["rapport", "anledning"], name="avslut_unik_anledning"),
            *non_negative("antal", prefix="avslut"),
        ]

    def __str__(self) -> str:
        return f"{self.anledning.namn}: {self.antal}"


class NyaPerHuvudman(models.Model):
    rapport = models.ForeignKey(
        Manadsrapport,
        verbose_name="månadsrapport",
        on_delete=models.CASCADE,
        related_name="nya_huvudman",
    )
    huvudman = models.ForeignKey(Huvudman, verbose_name="huvudman", on_delete=models.PROTECT)
    antal = models.PositiveIntegerField("antal")

    class Meta:
        verbose_name = "nya per huvudman"
        verbose_name_plural = "nya per huvudman"
        constraints = [
            models.UniqueConstraint(fields=["rapport", "huvudman"], name="nya_unik_huvudman"),
            *non_negative("antal", prefix="nya_huvudman"),
        ]

    def __str__(self) -> str:
        return f"{self.huvudman.namn}: {self.antal}"
