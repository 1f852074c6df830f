"""The bilaga's texts and the förbund's economy: kommentarer, årsbilaga, verksamhetsplan,
kostnadsposter and utfall."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from registrering.models.falt import PRIVACY_HELP, non_negative, year_field
from registrering.models.insatser import Insats
from registrering.models.organisation import Forbund


class Kommentar(models.Model):
    """The verksamhetsutvecklare's KOMMENTAR under a section of the year's bilaga."""

    class Avsnitt(models.TextChoices):
        OVER_TID = "over_tid", "3 Uppföljning av insatser över tid"
        VOLYM = "volym", "4 Uppföljning av volyminsatser"
        DELTAGARFLODE = "deltagarflode", "5 Deltagarflöde totalt och uppdelat i kön"
        PER_INSATS = "per_insats", "5 Deltagarflöde uppdelat i insatser"
        HUVUDMAN = "huvudman", "5 Fördelning av huvudmän"
        KON = "kon", "5 Deltagare uppdelade i kön"
        ISA = "isa", "5 Avslutade deltagare i ISA"
        AVSLUTSANLEDNING = "avslutsanledning", "5 Avslutsanledning"
        STRUKTUR = "struktur", "6 Uppföljning av strukturövergripande insatser"

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="kommentarer"
    )
    ar = year_field()
    avsnitt = models.CharField("avsnitt", max_length=20, choices=Avsnitt.choices)
    text = models.TextField("kommentar", help_text=PRIVACY_HELP)

    class Meta:
        verbose_name = "kommentar"
        verbose_name_plural = "kommentarer"
        ordering = ["forbund", "ar", "avsnitt"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "ar", "avsnitt"], name="kommentar_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.get_avsnitt_display()} {self.ar}"


class Arsbilaga(models.Model):
    """The year's bilaga "Uppföljning FINSAM": when it was compiled and published."""

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="arsbilagor"
    )
    ar = year_field()
    sammanstallningsdatum = models.DateField(
        "sammanställningen gjord",
        null=True,
        blank=True,
        help_text="Visas under 2 Metod. Tomt: dagens datum.",
    )
    upprattad_av = models.CharField(
        "upprättad av",
        max_length=200,
        blank=True,
        help_text="Den som sammanställt bilagan, med titel, t.ex. ”Anna Andersson, "
        "verksamhetsutvecklare”. Visas på titelsidan.",
    )
    publicerad_tid = models.DateTimeField("publicerad", null=True, blank=True)
    publicerad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="publicerad av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "årsbilaga"
        verbose_name_plural = "årsbilagor"
        ordering = ["forbund", "-ar"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "ar"], name="arsbilaga_unik"),
        ]

    def __str__(self) -> str:
        return f"Uppföljning FINSAM {self.ar}"


class Verksamhetsplan(models.Model):
    """The year's plan: the allocation, the survey goal and the cap on eget kapital."""

    class KapitaltakBas(models.TextChoices):
        ARETS = "arets", "årets tilldelning"
        GENOMSNITT = "genomsnitt", "genomsnittlig tilldelning"

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="verksamhetsplaner"
    )
    ar = year_field()
    tilldelning = models.DecimalField(
        "tilldelning (kr)",
        max_digits=12,
        decimal_places=0,
        help_text="Årets intäkter från medlemmarna: staten 1/2, regionen 1/4, kommunerna 1/4.",
    )
    enkatmal_procent = models.PositiveSmallIntegerField(
        "mål för enkäten (%)",
        default=75,
        validators=[MaxValueValidator(100)],
        help_text="Andel som ska svara att insatsen motsvarade förväntningarna.",
    )
    kapitaltak_procent = models.PositiveSmallIntegerField(
        "rekommenderat tak för eget kapital (% av tilldelningen)",
        default=15,
        validators=[MaxValueValidator(100)],
    )
    kapitaltak_bas = models.CharField(
        "taket räknas på",
        max_length=12,
        choices=KapitaltakBas.choices,
        default=KapitaltakBas.GENOMSNITT,
        help_text="Årets tilldelning, eller genomsnittet av tilldelningen i år och de två "
        "föregående åren (de år som har en verksamhetsplan). Nationella rådets rekommendation "
        "om rimlig storlek på eget kapital; förbundet bestämmer regeln.",
    )
    eget_kapital_ingaende = models.DecimalField(
        "eget kapital 1/1 (kr)", max_digits=12, decimal_places=0, null=True, blank=True
    )

    class Meta:
        verbose_name = "verksamhetsplan"
        verbose_name_plural = "verksamhetsplaner"
        ordering = ["forbund", "-ar"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "ar"], name="verksamhetsplan_unik"),
            *non_negative("tilldelning", prefix="verksamhetsplan"),
            models.CheckConstraint(
                condition=Q(enkatmal_procent__lte=100, kapitaltak_procent__lte=100),
                name="verksamhetsplan_procent",
            ),
        ]

    def __str__(self) -> str:
        return f"Verksamhetsplan {self.ar}"


class Kostnadspost(models.Model):
    """A post of the year's budget (Kansli, Nätverk, Försteg …) with its planned cost.

    Uppföljning Finsam splits budget and utfall between administration and insatser, and per
    insats: `typ` says which, and `insats` names the one insats a post is the cost of (a post
    shared by several insatser, like "Försteg" for five, has none)."""

    class Typ(models.TextChoices):
        INSATS = "insats", "insatser"
        ADMINISTRATION = "administration", "administration"

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="kostnadsposter"
    )
    ar = year_field()
    namn = models.CharField("post", max_length=100)
    kod = models.CharField("kod", max_length=20, blank=True, help_text="T.ex. 2.4.1.")
    budget = models.DecimalField("planerad kostnad (kr)", max_digits=12, decimal_places=0)
    ordning = models.PositiveSmallIntegerField("ordning", default=0)
    typ = models.CharField(
        "kostnad för",
        max_length=16,
        choices=Typ.choices,
        default=Typ.INSATS,
        help_text="Administration (kansliet) eller insatser, som i Uppföljning Finsam.",
    )
    insats = models.ForeignKey(
        Insats,
        verbose_name="insats",
        # An insats with cost posts is never removed (`insats_ta_bort`); if one goes anyway
        # (a whole förbund's data), its posts stay as costs of insatser.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kostnadsposter",
        help_text="Den insats posten är kostnaden för. Tom för administration och för en post "
        "som delas av flera insatser.",
    )

    class Meta:
        verbose_name = "kostnadspost"
        verbose_name_plural = "kostnadsposter"
        ordering = ["forbund", "ar", "ordning", "namn"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "ar", "namn"], name="kostnadspost_unik"),
            *non_negative("budget", prefix="kostnadspost"),
            models.CheckConstraint(
                condition=Q(insats__isnull=True) | Q(typ="insats"),
                name="kostnadspost_insats_bara_for_insatser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.namn} {self.kod}".strip() + f" {self.ar}"


class Utfall(models.Model):
    """The actual cost of a post for a month, or for a quarter when booked quarterly."""

    post = models.ForeignKey(
        Kostnadspost, verbose_name="kostnadspost", on_delete=models.CASCADE, related_name="utfall"
    )
    manad = models.PositiveSmallIntegerField(
        "månad", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    kvartal = models.PositiveSmallIntegerField(
        "kvartal", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    belopp = models.DecimalField("utfall (kr)", max_digits=12, decimal_places=0)
    kommentar = models.CharField("kommentar", max_length=300, blank=True)

    class Meta:
        verbose_name = "utfall"
        verbose_name_plural = "utfall"
        ordering = ["post", "kvartal", "manad"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(manad__isnull=False) & Q(kvartal__isnull=True))
                | (Q(manad__isnull=True) & Q(kvartal__isnull=False)),
                name="utfall_manad_eller_kvartal",
            ),
            models.UniqueConstraint(fields=["post", "manad"], name="utfall_unik_manad"),
            models.UniqueConstraint(fields=["post", "kvartal"], name="utfall_unik_kvartal"),
        ]

    def __str__(self) -> str:
        period = f"månad {self.manad}" if self.manad else f"kvartal {self.kvartal}"
        return f"{self.post.namn} {self.post.ar}, {period}"

    @property
    def sista_manad(self) -> int:
        """The last month the amount covers."""
        return self.manad or (self.kvartal or 0) * 3
