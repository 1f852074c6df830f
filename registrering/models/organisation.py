"""The förbund, its users, members (medlemmar), population, huvudmän, insatsgrupper and
målgrupper."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from registrering.models.falt import non_negative, year_field


class Forbund(models.Model):
    namn = models.CharField("namn", max_length=200, unique=True)
    kortnamn = models.CharField("kortnamn", max_length=20, help_text="T.ex. SVÖ.")
    organisationsnummer = models.CharField("organisationsnummer", max_length=11, blank=True)
    rapportdag = models.PositiveSmallIntegerField(
        "sista rapportdag",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Dag i månaden efter, då månadens siffror ska vara inskickade.",
    )
    bakgrund_text = models.TextField(
        "text för Bakgrund", blank=True, help_text="Visas under 1 Bakgrund i årsbilagan."
    )
    metod_text = models.TextField(
        "text för Metod",
        blank=True,
        help_text="Visas under 2 Metod. {ar}, {period} och {sammanstallningsdatum} fylls i.",
    )

    class Meta:
        verbose_name = "förbund"
        verbose_name_plural = "förbund"
        ordering = ["namn"]

    def __str__(self) -> str:
        return self.namn


class User(AbstractUser):
    """A user of one förbund. What they may do comes from their groups (the roles)."""

    forbund = models.ForeignKey(
        Forbund,
        verbose_name="förbund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anvandare",
    )

    class Meta:
        verbose_name = "användare"
        verbose_name_plural = "användare"

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username


class Medlem(models.Model):
    class Typ(models.TextChoices):
        STAT = "stat", "Staten genom Försäkringskassan"
        AF = "af", "Arbetsförmedlingen"
        REGION = "region", "Region"
        KOMMUN = "kommun", "Kommun"

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="medlemmar"
    )
    namn = models.CharField("namn", max_length=200)
    typ = models.CharField("typ", max_length=10, choices=Typ.choices)
    ordning = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "medlem"
        verbose_name_plural = "medlemmar"
        ordering = ["forbund", "ordning", "namn"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "namn"], name="medlem_unik_per_forbund"),
        ]

    def __str__(self) -> str:
        return self.namn


class Befolkning(models.Model):
    """A kommun's population at 31/12 of `ar` (SCB), the basis of the kommuner's split."""

    medlem = models.ForeignKey(
        Medlem, verbose_name="kommun", on_delete=models.CASCADE, related_name="befolkning"
    )
    ar = year_field("år (31/12)")
    invanare = models.PositiveIntegerField("invånare")

    class Meta:
        verbose_name = "befolkningsmängd"
        verbose_name_plural = "befolkningsmängder"
        ordering = ["medlem", "-ar"]
        constraints = [
            models.UniqueConstraint(fields=["medlem", "ar"], name="befolkning_unik_per_ar"),
            *non_negative("invanare", prefix="befolkning"),
        ]

    def __str__(self) -> str:
        return f"{self.medlem} {self.ar}: {self.invanare}"


class Huvudman(models.Model):
    """Which member's support a participant comes from (Försäkringskassan, Kommun, Övrigt …)."""

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="huvudman"
    )
    namn = models.CharField("namn", max_length=100)
    ordning = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "huvudman"
        verbose_name_plural = "huvudmän"
        ordering = ["forbund", "ordning", "namn"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "namn"], name="huvudman_unik_per_forbund"),
        ]

    def __str__(self) -> str:
        return self.namn


class Insatsgrupp(models.Model):
    """A group of insatser reported together, e.g. Försteg or ISA."""

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="insatsgrupper"
    )
    namn = models.CharField("namn", max_length=100)

    class Meta:
        verbose_name = "insatsgrupp"
        verbose_name_plural = "insatsgrupper"
        ordering = ["forbund", "namn"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "namn"], name="insatsgrupp_unik_per_forbund"
            ),
        ]

    def __str__(self) -> str:
        return self.namn


class Malgrupp(models.Model):
    """The national list of målgrupper (Uppföljning Finsam), shared by every förbund."""

    kod = models.SlugField("kod", max_length=50, unique=True)
    namn = models.CharField("namn", max_length=100)
    ordning = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "målgrupp"
        verbose_name_plural = "målgrupper"
        ordering = ["ordning", "namn"]

    def __str__(self) -> str:
        return self.namn
