"""What the insatser led to and what it was worth: outcome goals, the key figures of the simple
socio-economic model and of the transition model, and the transitions themselves.

Every figure is aggregated: a transition row is a count of people of one insats in one year who
went from one benefit to work, studies or another benefit, never anything about one person. The
key figures are the förbund's own per year (versioned by year), with their source.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from registrering.models.falt import non_negative, year_field
from registrering.models.insatser import Insats
from registrering.models.organisation import Forbund

#: The transition targets that are not a benefit.
ARBETE, STUDIER, OFORANDRAD = "arbete", "studier", "oforandrad"


class Betalare(models.TextChoices):
    KOMMUN = "kommun", "Kommun"
    REGION = "region", "Region"
    STAT = "stat", "Staten"


def _procent(verbose_name: str, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MaxValueValidator(100)],
        **kwargs,  # type: ignore[arg-type]
    )


class Utfallsmal(models.Model):
    """An insats's outcome goal for a year: at least `procent` % of those who ended it that year
    went to work or studies ("35 % … till arbete/studier", seed 004)."""

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="utfallsmal"
    )
    ar = year_field()
    procent = models.PositiveSmallIntegerField(
        "mål: andel av de avslutade till arbete eller studier (%)",
        validators=[MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = "utfallsmål"
        verbose_name_plural = "utfallsmål"
        ordering = ["insats", "ar"]
        constraints = [
            models.UniqueConstraint(fields=["insats", "ar"], name="utfallsmal_unikt"),
            models.CheckConstraint(condition=Q(procent__lte=100), name="utfallsmal_procent"),
        ]

    def __str__(self) -> str:
        return f"Utfallsmål {self.insats} {self.ar}"


class Effektnyckeltal(models.Model):
    """The simple model's key figures for a year: what a person outside work costs in public
    support per month, and the income tax that is not paid (seed 004: 10 500 and 5 700 kr)."""

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="effektnyckeltal"
    )
    ar = year_field()
    kostnad_per_manad = models.PositiveIntegerField(
        "kostnad för offentlig försörjning per månad (kr)",
        help_text="Offentlig försörjning och välfärdskonsumtion per person och månad.",
    )
    skatt_per_manad = models.PositiveIntegerField(
        "utebliven inkomstskatt per månad (kr)",
        help_text="Den skatt en person i arbete hade betalat per månad.",
    )
    kalla = models.CharField("källa", max_length=300, blank=True)
    kalla_datum = models.DateField("källans datum", null=True, blank=True)

    class Meta:
        verbose_name = "nyckeltal för socioekonomisk effekt"
        verbose_name_plural = "nyckeltal för socioekonomisk effekt"
        ordering = ["forbund", "-ar"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "ar"], name="effektnyckeltal_unika"),
            *non_negative("kostnad_per_manad", "skatt_per_manad", prefix="effektnyckeltal"),
        ]

    def __str__(self) -> str:
        return f"Nyckeltal {self.ar}"


class Ersattningsnyckeltal(models.Model):
    """One benefit's key figures for a year in the transition model: what a person on it for a
    whole year receives, who pays, how fast it grows and whether it is taxed."""

    forbund = models.ForeignKey(
        Forbund,
        verbose_name="förbund",
        on_delete=models.CASCADE,
        related_name="ersattningsnyckeltal",
    )
    ar = year_field()
    kod = models.SlugField("kod", max_length=40)
    namn = models.CharField("ersättning", max_length=100)
    betalare = models.CharField("betalas av", max_length=10, choices=Betalare.choices)
    arsbelopp = models.PositiveIntegerField("belopp per person och år (kr)")
    okning = _procent("årlig ökning (%)", default=0)
    skattepliktig = models.BooleanField("skattepliktig", default=False)
    kalla = models.CharField("källa", max_length=300, blank=True)
    ordning = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "nyckeltal för ersättning"
        verbose_name_plural = "nyckeltal för ersättningar"
        ordering = ["forbund", "-ar", "ordning", "namn"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "ar", "kod"], name="ersattningsnyckeltal_unika"
            ),
            *non_negative("arsbelopp", prefix="ersattningsnyckeltal"),
        ]

    def __str__(self) -> str:
        return f"{self.namn} {self.ar}"


class Inkomstnyckeltal(models.Model):
    """The income side of the transition model for a year: the wage of a person who goes to
    work (60 % of the median wage), the tax rates and the employer's contribution."""

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="inkomstnyckeltal"
    )
    ar = year_field()
    arslon = models.PositiveIntegerField("lön per år (kr)", help_text="60 % av medianlönen.")
    loneokning = _procent("årlig löneökning (%)", default=0)
    kommunalskatt = _procent("kommunalskatt (%)")
    regionskatt = _procent("regionskatt (%)")
    arbetsgivaravgift = _procent("arbetsgivaravgift (%)")
    jobbskatteavdrag = models.PositiveIntegerField(
        "jobbskatteavdrag per person och år (kr)", default=0, help_text="Bärs av staten."
    )
    kalla = models.CharField("källa", max_length=300, blank=True)

    class Meta:
        verbose_name = "nyckeltal för inkomster"
        verbose_name_plural = "nyckeltal för inkomster"
        ordering = ["forbund", "-ar"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "ar"], name="inkomstnyckeltal_unika"),
            *non_negative("arslon", "jobbskatteavdrag", prefix="inkomstnyckeltal"),
        ]

    def __str__(self) -> str:
        return f"Inkomster {self.ar}"


class Forflyttning(models.Model):
    """How many of an insats's participants went, in a year, from a benefit (`fran`, a benefit's
    `kod`) to work, studies, another benefit or nowhere (`till`). A group's count, never one
    person."""

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="forflyttningar"
    )
    ar = year_field()
    fran = models.SlugField("från ersättning", max_length=40)
    till = models.SlugField("till", max_length=40)
    antal = models.PositiveIntegerField("antal")

    class Meta:
        verbose_name = "förflyttning"
        verbose_name_plural = "förflyttningar"
        ordering = ["insats", "ar", "fran", "till"]
        constraints = [
            models.UniqueConstraint(
                fields=["insats", "ar", "fran", "till"], name="forflyttning_unik"
            ),
            *non_negative("antal", prefix="forflyttning"),
        ]

    def __str__(self) -> str:
        return f"{self.insats} {self.ar}: {self.fran} → {self.till}"
