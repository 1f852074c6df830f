"""Insatser and the reasons their participants leave (avslutsanledningar)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from registrering.models.organisation import Forbund, Insatsgrupp, Malgrupp, Medlem


class InsatsQuerySet(models.QuerySet["Insats"]):
    def aktiva_under(self, ar: int) -> InsatsQuerySet:
        """The insatser that ran at some time during the year (`registrering.ledger.aktiv`)."""
        from registrering.ledger import aktiv_q

        return self.filter(aktiv_q(ar))

    def aktiva_under_aren(self, fran_ar: int, till_ar: int) -> InsatsQuerySet:
        from registrering.ledger import aktiv_under_perioden_q

        return self.filter(aktiv_under_perioden_q(fran_ar, till_ar))

    def deltagarflode(self) -> InsatsQuerySet:
        """The individinriktade insatser followed by their participant flow."""
        return self.filter(
            inriktning=Insats.Inriktning.INDIVID, uppfoljning=Insats.Uppfoljning.DELTAGARFLODE
        )


class Insats(models.Model):
    class Inriktning(models.TextChoices):
        INDIVID = "individ", "Individinriktad"
        STRUKTUR = "struktur", "Strukturövergripande"

    class PreciseradInriktning(models.TextChoices):
        ARBETSLIVSINRIKTAD = "arbetslivsinriktad", "Arbetslivsinriktad"
        FORBEREDANDE = "forberedande", "Förberedande"
        IDENTIFIERA_BEHOV = "identifiera_behov", "Identifiera individens behov"
        FOREBYGGANDE = "forebyggande", "Förebyggande"
        KOMPETENSHOJANDE = "kompetenshojande", "Kompetenshöjande"
        BEHOVSANALYS = "behovsanalys", "Behovsanalys"
        UTVECKLA_SAMVERKAN = "utveckla_samverkan", "Utveckla samverkan"

    class Uppfoljning(models.TextChoices):
        DELTAGARFLODE = "deltagarflode", "Deltagarflöde"
        VOLYM = "volym", "Volym"

    class Volymenhet(models.TextChoices):
        TILLFALLEN = "tillfallen", "Tillfällen"
        DELTAGARE = "deltagare", "Deltagare"
        UNIKA_INDIVIDER = "unika_individer", "Unika individer under året"

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="insatser"
    )
    namn = models.CharField("namn", max_length=200)
    inriktning = models.CharField("inriktning", max_length=10, choices=Inriktning.choices)
    preciserad_inriktning = models.CharField(
        "preciserad inriktning", max_length=30, choices=PreciseradInriktning.choices, blank=True
    )
    malgrupper = models.ManyToManyField(Malgrupp, verbose_name="målgrupper", blank=True)
    grupp = models.ForeignKey(
        Insatsgrupp,
        verbose_name="grupp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="insatser",
    )
    utforande_medlem = models.ForeignKey(
        Medlem,
        verbose_name="utförande medlem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="insatser",
        help_text="Tomt om förbundet självt driver insatsen.",
    )
    startdatum = models.DateField("startdatum")
    slutdatum = models.DateField("slutdatum", null=True, blank=True)
    esf_finansierad = models.BooleanField("ESF-finansierad", default=False)
    uppfoljning = models.CharField(
        "uppföljning", max_length=15, choices=Uppfoljning.choices, default=Uppfoljning.DELTAGARFLODE
    )
    volymenhet = models.CharField(
        "volymenhet", max_length=20, choices=Volymenhet.choices, blank=True
    )
    insatsansvariga = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="insatsansvariga",
        blank=True,
        related_name="ansvar_for_insatser",
    )
    beskrivning = models.TextField("beskrivning", blank=True)
    ordning = models.PositiveSmallIntegerField(
        "ordning i rapporter",
        default=0,
        help_text="Lägre tal visas först; lika tal i bokstavsordning.",
    )

    objects = InsatsQuerySet.as_manager()

    class Meta:
        verbose_name = "insats"
        verbose_name_plural = "insatser"
        ordering = ["forbund", "ordning", "namn"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "namn"], name="insats_unik_per_forbund"),
            models.CheckConstraint(
                condition=Q(slutdatum__isnull=True) | Q(slutdatum__gte=models.F("startdatum")),
                name="insats_slut_efter_start",
            ),
            models.CheckConstraint(
                condition=(Q(uppfoljning="volym") & ~Q(volymenhet=""))
                | (Q(uppfoljning="deltagarflode") & Q(volymenhet="")),
                name="insats_volymenhet_endast_for_volym",
            ),
        ]

    def __str__(self) -> str:
        return self.namn

    @property
    def ar_volyminsats(self) -> bool:
        return self.uppfoljning == self.Uppfoljning.VOLYM

    def aktiv_under(self, ar: int) -> bool:
        from registrering.ledger import aktiv

        return aktiv(self.startdatum, self.slutdatum, ar)

    def aktiv_manad(self, ar: int, manad: int) -> bool:
        from registrering.ledger import aktiv

        return aktiv(self.startdatum, self.slutdatum, ar, manad)


class Avslutsanledning(models.Model):
    class Klass(models.IntegerChoices):
        FORSTA = 1, "1:a – enligt plan"
        ANDRA = 2, "2:a – andra orsaker"

    class Kategori(models.TextChoices):
        ARBETE = "arbete", "Arbete"
        STUDIER = "studier", "Studier"
        REHABILITERING = "rehabilitering", "Arbetslivsinriktad rehabilitering"
        ATER_TILL_HUVUDMAN = "ater_till_huvudman", "Åter till huvudman"
        SJUKDOM = "sjukdom", "Sjukdom"
        ANNAT = "annat", "Annat skäl"

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="avslutsanledningar"
    )
    namn = models.CharField("namn", max_length=100)
    rapportetikett = models.CharField(
        "etikett i årsbilagan",
        max_length=150,
        blank=True,
        help_text="T.ex. ”Avslut till arbete utan subvention”. Tomt: namnet används.",
    )
    uppsattning = models.CharField(
        "uppsättning",
        max_length=50,
        default="Allmän",
        help_text="Anledningar i samma uppsättning redovisas i samma tabell, t.ex. ISA.",
    )
    klass = models.PositiveSmallIntegerField("1:a eller 2:a", choices=Klass.choices)
    kategori = models.CharField("utfall", max_length=30, choices=Kategori.choices)
    insatser = models.ManyToManyField(
        Insats, verbose_name="används av insatser", blank=True, related_name="avslutsanledningar"
    )
    ordning = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "avslutsanledning"
        verbose_name_plural = "avslutsanledningar"
        ordering = ["forbund", "uppsattning", "ordning", "namn"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "uppsattning", "namn"], name="avslutsanledning_unik"
            ),
            models.CheckConstraint(condition=Q(klass__in=[1, 2]), name="avslutsanledning_klass"),
        ]

    def __str__(self) -> str:
        return f"{self.namn} ({self.uppsattning}, {self.klass}:a)"

    @property
    def etikett(self) -> str:
        return self.rapportetikett or self.namn
