"""Balances outside the months: ingående balans, justeringar, årstotaler and budgeterad volym."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from registrering.models.falt import PRIVACY_HELP, non_negative, year_field
from registrering.models.insatser import Insats
from registrering.models.organisation import Huvudman


class IngaendeBalans(models.Model):
    """Participants already enrolled on 1 January of `ar`.

    Without a row the year starts from the previous year's closing balance; a row records that
    someone confirmed or corrected it (with a reason).
    """

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="ingaende_balanser"
    )
    ar = year_field()
    kvinnor = models.PositiveIntegerField("kvinnor")
    man = models.PositiveIntegerField("män")
    bekraftad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bekräftad av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    bekraftad_tid = models.DateTimeField("bekräftad", null=True, blank=True)
    anledning = models.TextField("anledning till korrigering", blank=True, help_text=PRIVACY_HELP)

    class Meta:
        verbose_name = "ingående balans"
        verbose_name_plural = "ingående balanser"
        ordering = ["insats", "ar"]
        constraints = [
            models.UniqueConstraint(fields=["insats", "ar"], name="ingaende_balans_unik"),
            *non_negative("kvinnor", "man", prefix="ingaende_balans"),
        ]

    def __str__(self) -> str:
        return f"{self.insats} 1/1 {self.ar}: {self.kvinnor + self.man}"

    @property
    def totalt(self) -> int:
        return self.kvinnor + self.man


class IngaendeBalansHuvudman(models.Model):
    balans = models.ForeignKey(
        IngaendeBalans,
        verbose_name="ingående balans",
        on_delete=models.CASCADE,
        related_name="per_huvudman",
    )
    huvudman = models.ForeignKey(Huvudman, verbose_name="huvudman", on_delete=models.PROTECT)
    antal = models.PositiveIntegerField("antal")

    class Meta:
        verbose_name = "ingående balans per huvudman"
        verbose_name_plural = "ingående balans per huvudman"
        constraints = [
            models.UniqueConstraint(fields=["balans", "huvudman"], name="balans_unik_huvudman"),
            *non_negative("antal", prefix="balans_huvudman"),
        ]

    def __str__(self) -> str:
        return f"{self.huvudman.namn}: {self.antal}"


class Justering(models.Model):
    """An explicit correction of pågående: a headcount that disagrees with the reported flow."""

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="justeringar"
    )
    ar = year_field()
    manad = models.PositiveSmallIntegerField(
        "månad", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    kvinnor = models.IntegerField("kvinnor", default=0, help_text="Negativt tal minskar pågående.")
    man = models.IntegerField("män", default=0, help_text="Negativt tal minskar pågående.")
    anledning = models.TextField("anledning", help_text=PRIVACY_HELP)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="skapad av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    skapad_tid = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "justering"
        verbose_name_plural = "justeringar"
        ordering = ["insats", "ar", "manad", "skapad_tid"]
        constraints = [
            models.CheckConstraint(
                condition=Q(manad__gte=1, manad__lte=12), name="justering_manad"
            ),
            models.CheckConstraint(condition=~Q(kvinnor=0, man=0), name="justering_inte_noll"),
        ]

    def __str__(self) -> str:
        return f"{self.insats} {self.manad}/{self.ar}: {self.kvinnor:+d} K, {self.man:+d} M"


class Arstotal(models.Model):
    """Yearly totals for years before the förbund used this product (from SUS / Uppföljning
    Finsam). They feed the time series; years with monthly data are computed instead.

    A row has the gender split (deltagare, nya and avslutade kvinnor/män) or, when the old
    system only kept totals, the totals (`deltagare`, `nya`, `avslutade`): never both
    (`regler.arstotal_uppdelning`). A volyminsats's row may have only its volume."""

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="arstotaler"
    )
    ar = year_field()
    deltagare_kvinnor = models.PositiveIntegerField("deltagare kvinnor", null=True, blank=True)
    deltagare_man = models.PositiveIntegerField("deltagare män", null=True, blank=True)
    nya_kvinnor = models.PositiveIntegerField("nya kvinnor", null=True, blank=True)
    nya_man = models.PositiveIntegerField("nya män", null=True, blank=True)
    avslutade_kvinnor = models.PositiveIntegerField("avslutade kvinnor", null=True, blank=True)
    avslutade_man = models.PositiveIntegerField("avslutade män", null=True, blank=True)
    deltagare = models.PositiveIntegerField(
        "deltagare totalt (utan kön)",
        null=True,
        blank=True,
        help_text="Bara när uppdelningen på kvinnor och män saknas i det gamla systemet; "
        "lämna då fälten för kvinnor och män tomma.",
    )
    nya = models.PositiveIntegerField("nya totalt (utan kön)", null=True, blank=True)
    avslutade = models.PositiveIntegerField("avslutade totalt (utan kön)", null=True, blank=True)
    volym = models.PositiveIntegerField("volym", null=True, blank=True)
    kalla = models.CharField(
        "källa", max_length=100, help_text="T.ex. SUS eller Uppföljning Finsam."
    )

    class Meta:
        verbose_name = "årstotal före systemet"
        verbose_name_plural = "årstotaler före systemet"
        ordering = ["insats", "ar"]
        constraints = [
            models.UniqueConstraint(fields=["insats", "ar"], name="arstotal_unik"),
            *non_negative(
                "deltagare_kvinnor",
                "deltagare_man",
                "nya_kvinnor",
                "nya_man",
                "avslutade_kvinnor",
                "avslutade_man",
                "volym",
                prefix="arstotal",
            ),
            *non_negative("deltagare", "nya", "avslutade", prefix="arstotal_totalt"),
            # The split or the totals, never both.
            models.CheckConstraint(
                condition=Q(deltagare__isnull=True)
                | Q(
                    deltagare_kvinnor__isnull=True,
                    deltagare_man__isnull=True,
                    nya_kvinnor__isnull=True,
                    nya_man__isnull=True,
                    avslutade_kvinnor__isnull=True,
                    avslutade_man__isnull=True,
                ),
                name="arstotal_uppdelning_eller_totalt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insats} {self.ar}"

    @property
    def utan_kon(self) -> bool:
        """The row is a total without the gender split."""
        return self.deltagare is not None


class BudgeteradVolym(models.Model):
    """The volume target of an insats for a year (verksamhetsplan, Bilaga 3)."""

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="budgeterade_volymer"
    )
    ar = year_field()
    volym = models.PositiveIntegerField("budgeterad volym")

    class Meta:
        verbose_name = "budgeterad volym"
        verbose_name_plural = "budgeterade volymer"
        ordering = ["insats", "ar"]
        constraints = [
            models.UniqueConstraint(fields=["insats", "ar"], name="budgeterad_volym_unik"),
            *non_negative("volym", prefix="budgeterad"),
        ]

    def __str__(self) -> str:
        return f"{self.insats} {self.ar}: {self.volym}"
