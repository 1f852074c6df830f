"""The förbund's data: what is entered and approved.

Only aggregated counts are stored, never anything that identifies a participant. Every record
belongs to exactly one förbund, directly or through its insats. Counts that may not be negative
are guarded by `CheckConstraint`s; sums that must agree across rows (a breakdown against its
total) are enforced by `registrering.services`, which is the only code that writes them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

PRIVACY_HELP = "Skriv aldrig namn, personnummer eller annat som kan identifiera en deltagare."


def _non_negative(*fields: str, prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=f"{prefix}_{field}_gte_0")
        for field in fields
    ]


def _year_field(verbose_name: str = "år") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )


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
    ar = _year_field("år (31/12)")
    invanare = models.PositiveIntegerField("invånare")

    class Meta:
        verbose_name = "befolkningsmängd"
        verbose_name_plural = "befolkningsmängder"
        ordering = ["medlem", "-ar"]
        constraints = [
            models.UniqueConstraint(fields=["medlem", "ar"], name="befolkning_unik_per_ar"),
            *_non_negative("invanare", prefix="befolkning"),
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
    ar = _year_field()
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
            *_non_negative(
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
            *_non_negative("antal", prefix="avslut"),
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
            *_non_negative("antal", prefix="nya_huvudman"),
        ]

    def __str__(self) -> str:
        return f"{self.huvudman.namn}: {self.antal}"


class IngaendeBalans(models.Model):
    """Participants already enrolled on 1 January of `ar`.

    Without a row the year starts from the previous year's closing balance; a row records that
    someone confirmed or corrected it (with a reason).
    """

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="ingaende_balanser"
    )
    ar = _year_field()
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
            *_non_negative("kvinnor", "man", prefix="ingaende_balans"),
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
            *_non_negative("antal", prefix="balans_huvudman"),
        ]

    def __str__(self) -> str:
        return f"{self.huvudman.namn}: {self.antal}"


class Justering(models.Model):
    """An explicit correction of pågående: a headcount that disagrees with the reported flow."""

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="justeringar"
    )
    ar = _year_field()
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
    Finsam). They feed the time series; years with monthly data are computed instead."""

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="arstotaler"
    )
    ar = _year_field()
    deltagare_kvinnor = models.PositiveIntegerField("deltagare kvinnor", default=0)
    deltagare_man = models.PositiveIntegerField("deltagare män", default=0)
    nya_kvinnor = models.PositiveIntegerField("nya kvinnor", default=0)
    nya_man = models.PositiveIntegerField("nya män", default=0)
    avslutade_kvinnor = models.PositiveIntegerField("avslutade kvinnor", default=0)
    avslutade_man = models.PositiveIntegerField("avslutade män", default=0)
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
            *_non_negative(
                "deltagare_kvinnor",
                "deltagare_man",
                "nya_kvinnor",
                "nya_man",
                "avslutade_kvinnor",
                "avslutade_man",
                "volym",
                prefix="arstotal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insats} {self.ar}"


class BudgeteradVolym(models.Model):
    """The volume target of an insats for a year (verksamhetsplan, Bilaga 3)."""

    insats = models.ForeignKey(
        Insats, verbose_name="insats", on_delete=models.CASCADE, related_name="budgeterade_volymer"
    )
    ar = _year_field()
    volym = models.PositiveIntegerField("budgeterad volym")

    class Meta:
        verbose_name = "budgeterad volym"
        verbose_name_plural = "budgeterade volymer"
        ordering = ["insats", "ar"]
        constraints = [
            models.UniqueConstraint(fields=["insats", "ar"], name="budgeterad_volym_unik"),
            *_non_negative("volym", prefix="budgeterad"),
        ]

    def __str__(self) -> str:
        return f"{self.insats} {self.ar}: {self.volym}"


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
            *_non_negative("antal", prefix="enkatsvar"),
        ]

    def __str__(self) -> str:
        return f"{self.alternativ}: {self.antal}"


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
    ar = _year_field()
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
    ar = _year_field()
    sammanstallningsdatum = models.DateField(
        "sammanställningen gjord",
        null=True,
        blank=True,
        help_text="Visas under 2 Metod. Tomt: dagens datum.",
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
    ar = _year_field()
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
            *_non_negative("tilldelning", prefix="verksamhetsplan"),
            models.CheckConstraint(
                condition=Q(enkatmal_procent__lte=100, kapitaltak_procent__lte=100),
                name="verksamhetsplan_procent",
            ),
        ]

    def __str__(self) -> str:
        return f"Verksamhetsplan {self.ar}"


class Kostnadspost(models.Model):
    """A post of the year's budget (Kansli, Nätverk, Försteg …) with its planned cost."""

    forbund = models.ForeignKey(
        Forbund, verbose_name="förbund", on_delete=models.CASCADE, related_name="kostnadsposter"
    )
    ar = _year_field()
    namn = models.CharField("post", max_length=100)
    kod = models.CharField("kod", max_length=20, blank=True, help_text="T.ex. 2.4.1.")
    budget = models.DecimalField("planerad kostnad (kr)", max_digits=12, decimal_places=0)
    ordning = models.PositiveSmallIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "kostnadspost"
        verbose_name_plural = "kostnadsposter"
        ordering = ["forbund", "ar", "ordning", "namn"]
        constraints = [
            models.UniqueConstraint(fields=["forbund", "ar", "namn"], name="kostnadspost_unik"),
            *_non_negative("budget", prefix="kostnadspost"),
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


class AuditEntry(models.Model):
    """Who changed what, when: old → new for every field that changed."""

    class Action(models.TextChoices):
        SKAPAD = "skapad", "Skapad"
        ANDRAD = "andrad", "Ändrad"
        BORTTAGEN = "borttagen", "Borttagen"
        INSKICKAD = "inskickad", "Inskickad"
        RETURNERAD = "returnerad", "Returnerad"
        GODKAND = "godkand", "Godkänd"
        UPPLAST = "upplast", "Upplåst"
        REGISTRERAD = "registrerad", "Registrerad i Uppföljning Finsam"
        IMPORTERAD = "importerad", "Importerad"

    forbund = models.ForeignKey(
        Forbund,
        verbose_name="förbund",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    tid = models.DateTimeField("tid", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField("händelse", max_length=12, choices=Action.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="typ", on_delete=models.CASCADE
    )
    object_id = models.CharField("objekt-id", max_length=64)
    object_repr = models.CharField("objekt", max_length=300)
    changes = models.JSONField("ändringar", default=dict, blank=True)
    kommentar = models.TextField("kommentar", blank=True)

    class Meta:
        verbose_name = "händelse i ändringsloggen"
        verbose_name_plural = "ändringslogg"
        ordering = ["-tid", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_objekt"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.object_repr}"
