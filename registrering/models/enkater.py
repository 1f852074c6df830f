"""Surveys: question sets (enkäter) with questions, answer options, rounds (tillfällen) and answer
counts. Anonymous by construction: only counts per option are stored, never who answered, from
where, or when beyond the date.

- An `Enkat` is a question set of one förbund: the national NNS indicators (copied in from the
  catalogue, `registrering.enkatkatalog`), the training survey of the bilaga §6, or its own.
- An `Enkatfraga` belongs to an enkät and a respondent group, measures an NNS indicator (1–16) or
  none, and has ordered options (`Svarsalternativ`), some of which count as positive. A question
  that has answers is never edited: a change makes a new version (`ersatter`) and the old one
  stops being asked (`aktiv`).
- An `Enkattillfalle` is a round: an enkät, a respondent group, an insats or a training, a period,
  and how its answers come in (the public link, paper forms, an import).
- An `Enkatsvar` is the count of answers with one option in one round.
"""

from __future__ import annotations

from django.db import models

from registrering.models.falt import non_negative
from registrering.models.insatser import Insats
from registrering.models.organisation import Forbund


class Respondentgrupp(models.TextChoices):
    """Who answers: the five groups of the national indicators, and a training's participants."""

    DELTAGARE_PAGAENDE = "deltagare_pagaende", "Deltagare (pågående)"
    DELTAGARE_AVSLUTADE = "deltagare_avslutade", "Deltagare (avslutade)"
    PERSONAL = "personal", "Personal i insatser"
    STYRELSE = "styrelse", "Styrelsen"
    CHEFSGRUPP = "chefsgrupp", "Parternas chefsgrupp"
    KURSDELTAGARE = "kursdeltagare", "Deltagare i utbildning"


class Enkat(models.Model):
    """A question set of one förbund."""

    class Slag(models.TextChoices):
        NNS = "nns", "Indikatorer för finansiell samordning (NNS)"
        UTBILDNING = "utbildning", "Utvärdering av utbildning"
        EGEN = "egen", "Förbundets egen enkät"

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="enkater"
    )
    namn = models.CharField("namn", max_length=200)
    slag = models.CharField("slag", max_length=20, choices=Slag.choices, default=Slag.EGEN)
    beskrivning = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "enkät"
        verbose_name_plural = "enkäter"
        ordering = ["forbund", "namn"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "namn"], name="enkat_unik"),
        ]

    def __str__(self) -> str:
        return self.namn


class Enkatfraga(models.Model):
    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="enkatfragor"
    )
    enkat = models.ForeignKey(
        Enkat,
        verbose_name="enkät",
        on_delete=models.CASCADE,
        related_name="fragor",
        null=True,
        blank=True,
    )
    respondentgrupp = models.CharField(
        "respondentgrupp",
        max_length=30,
        choices=Respondentgrupp.choices,
        blank=True,
        help_text="Vilka som får frågan. Tomt: alla som svarar på enkäten.",
    )
    indikator = models.PositiveSmallIntegerField(
        "NNS-indikator",
        null=True,
        blank=True,
        choices=[(n, f"Indikator {n}") for n in range(1, 17)],
        help_text="Den nationella indikator (1–16) som frågan mäter, om någon.",
    )
    text = models.CharField("fråga", max_length=300)
    ordning = models.PositiveSmallIntegerField("ordning", default=0)
    malfraga = models.BooleanField(
        "följs upp mot målet",
        default=False,
        help_text="Frågan om förväntningarna, som mäts mot verksamhetsplanens mål.",
    )
    version = models.PositiveSmallIntegerField("version", default=1)
    ersatter = models.ForeignKey(
        "self",
        verbose_name="ersätter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ersatt_av",
        help_text="Den tidigare versionen av frågan, som har svar och därför inte ändras.",
    )
    aktiv = models.BooleanField(
        "ställs", default=True, help_text="Av för en fråga som ersatts av en ny version."
    )

    class Meta:
        verbose_name = "enkätfråga"
        verbose_name_plural = "enkätfrågor"
        ordering = ["forbund", "enkat", "ordning", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "enkat", "respondentgrupp", "text", "version"],
                name="enkatfraga_unik",
            ),
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
    datum = models.DateField(
        "datum", help_text="Dagen för utbildningen, eller första dagen svar tas emot."
    )

    class Kalla(models.TextChoices):
        LANK = "lank", "Länk och QR-kod"
        PAPPER = "papper", "Pappersenkäter"
        IMPORT = "import", "Importerade antal"

    enkat = models.ForeignKey(
        Enkat,
        verbose_name="enkät",
        on_delete=models.PROTECT,
        related_name="tillfallen",
        null=True,
        blank=True,
    )
    respondentgrupp = models.CharField(
        "respondentgrupp", max_length=30, choices=Respondentgrupp.choices, blank=True
    )
    slutdatum = models.DateField(
        "sista svarsdag", null=True, blank=True, help_text="Länken tar inte emot svar efter den."
    )
    kalla = models.CharField(
        "svaren kommer från", max_length=10, choices=Kalla.choices, default=Kalla.IMPORT
    )
    lank = models.CharField(
        "länkens nyckel",
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text="Den slumpade delen av den publika adressen; tom för papper och import.",
    )
    stangd = models.BooleanField("stängd", default=False, help_text="Tar inte emot fler svar.")
    antal_svar = models.PositiveIntegerField(
        "antal inlämnade enkäter", default=0, help_text="Formulär, oavsett hur många frågor."
    )

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
