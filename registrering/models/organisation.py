"""The förbund, its users, members (medlemmar), population, huvudmän, insatsgrupper and
målgrupper."""

from __future__ import annotations

import io
import uuid
from pathlib import PurePath
from xml.etree import ElementTree

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from registrering.models.falt import non_negative, year_field

LOGOTYP_MAX_BYTE = 1024 * 1024
LOGOTYP_MIN_PIXLAR = 200  # the longer side: smaller logos print blurred on the cover
LOGOTYP_MAX_PIXLAR = 6000
LOGOTYP_TYPER = {".png": "image/png", ".jpg": "image/jpeg", ".svg": "image/svg+xml"}
_SVG = "{http://www.w3.org/2000/svg}"


def logotyp_typ(namn: str) -> str:
    """The media type of a stored logo, from its (validated) file name."""
    return LOGOTYP_TYPER.get(PurePath(namn).suffix.lower(), "application/octet-stream")


def logotyp_sokvag(forbund: Forbund, filnamn: str) -> str:
    """A new name for every upload: a replaced logo never takes the old file's name, so
    nothing that cached the old one (the PDF) can show it again."""
    andelse = PurePath(filnamn).suffix.lower().replace(".jpeg", ".jpg")
    return f"logotyper/{uuid.uuid4().hex}{andelse}"


def _rasterfel(data: bytes) -> list[str]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as bild:
            format_, (bredd, hojd) = bild.format, bild.size
            bild.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return ["Bilden går inte att läsa. Spara den på nytt som PNG eller JPEG."]
    if format_ not in {"PNG", "JPEG"}:
        return ["Logotypen måste vara en PNG-, JPEG- eller SVG-fil."]
    if max(bredd, hojd) < LOGOTYP_MIN_PIXLAR:
        return [
            f"Bilden är {bredd} × {hojd} pixlar: för liten för att bli skarp i tryck. "
            f"Den längsta sidan behöver vara minst {LOGOTYP_MIN_PIXLAR} pixlar, "
            "eller ladda upp logotypen som SVG."
        ]
    if max(bredd, hojd) > LOGOTYP_MAX_PIXLAR:
        return [
            f"Bilden är {bredd} × {hojd} pixlar. Den längsta sidan får vara högst "
            f"{LOGOTYP_MAX_PIXLAR} pixlar."
        ]
    return []


def _svgfel(data: bytes) -> list[str]:
    huvud = data[:4096].lower()
    if b"<!entity" in huvud or b"<!doctype" in huvud:
        return ["SVG-filen får inte innehålla DOCTYPE eller ENTITY."]
    try:
        rot = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return ["SVG-filen går inte att läsa (felaktig XML)."]
    if rot.tag != f"{_SVG}svg":
        return ["Filen är inte en SVG-bild."]
    if "viewBox" not in rot.attrib and not {"width", "height"} <= set(rot.attrib):
        return ["SVG-filen saknar storlek: ange viewBox, eller width och height."]
    for element in rot.iter():
        if element.tag in {f"{_SVG}script", f"{_SVG}foreignObject"}:
            return ["SVG-filen får inte innehålla skript eller inbäddad HTML."]
        for namn, varde in element.attrib.items():
            lokalt = namn.rsplit("}", 1)[-1]
            if lokalt.lower().startswith("on"):
                return ["SVG-filen får inte innehålla skript."]
            if lokalt == "href" and not varde.startswith(("#", "data:image/")):
                return ["SVG-filen får inte hämta något utifrån (länkar till andra filer)."]
    return []


def logotyp_fel(fil: File) -> list[str]:
    """What is wrong with an uploaded logo: a PNG, JPEG or SVG of at most 1 MB, a raster
    image of a printable size, an SVG without scripts or outside references."""
    if getattr(fil, "_committed", False):
        return []  # stored already: checked when it was uploaded (and maybe not readable now)
    andelse = PurePath(fil.name or "").suffix.lower().replace(".jpeg", ".jpg")
    if andelse not in LOGOTYP_TYPER:
        return ["Logotypen måste vara en PNG-, JPEG- eller SVG-fil."]
    if fil.size is not None and fil.size > LOGOTYP_MAX_BYTE:
        storlek = f"{fil.size / 1024 / 1024:.1f}".replace(".", ",")
        return [f"Logotypen får vara högst 1 MB (filen är {storlek} MB)."]
    fil.seek(0)
    data = fil.read(LOGOTYP_MAX_BYTE + 1)
    fil.seek(0)
    if len(data) > LOGOTYP_MAX_BYTE:
        return ["Logotypen får vara högst 1 MB."]
    return _svgfel(data) if andelse == ".svg" else _rasterfel(data)


def validera_logotyp(fil: File) -> None:
    if fel := logotyp_fel(fil):
        raise ValidationError(fel)


#: Python's weekday numbers (date.weekday()), as the förbund's summary day.
VECKODAGAR = [
    (0, "måndag"),
    (1, "tisdag"),
    (2, "onsdag"),
    (3, "torsdag"),
    (4, "fredag"),
    (5, "lördag"),
    (6, "söndag"),
]


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
    logotyp = models.FileField(
        "logotyp",
        upload_to=logotyp_sokvag,
        blank=True,
        validators=[validera_logotyp],
        help_text="Visas på årsbilagans titelsida. PNG, JPEG eller SVG, högst 1 MB; en "
        "bild minst 200 pixlar på den längsta sidan. Utan logotyp står förbundets namn där.",
    )
    effekter_i_bilagan = models.BooleanField(
        "visa Resultat och effekter i årsbilagan",
        default=False,
        help_text="Utfall per insats, utfallsmål och den socioekonomiska effekten som ett eget "
        "avsnitt i årsbilagan.",
    )
    # The reminders by e-mail (registrering.paminnelser): when they go out.
    paminnelser_pa = models.BooleanField(
        "skicka påminnelser per e-post",
        default=True,
        help_text="Påminnelser till insatsansvariga och veckosammanfattning till "
        "verksamhetsutvecklare. Varje användare kan själv stänga av sina.",
    )
    paminnelse_dagar_fore = models.PositiveSmallIntegerField(
        "påminnelse, dagar före sista rapportdag",
        default=3,
        validators=[MaxValueValidator(14)],
        help_text="0 = på sista rapportdagen.",
    )
    paminnelse_dagar_efter = models.PositiveSmallIntegerField(
        "påminnelse, dagar efter sista rapportdag",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
        help_text="Till den som har försenade månader.",
    )
    sammanfattning_veckodag = models.PositiveSmallIntegerField(
        "veckodag för veckosammanfattningen",
        choices=VECKODAGAR,
        default=0,
        help_text="Verksamhetsutvecklaren får en sammanfattning av månadsrapporterna den dagen.",
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
    # Each user's own choice (the page Påminnelser): which reminders they want by e-mail.
    paminnelse_manad = models.BooleanField("påminnelser om månadsrapporter", default=True)
    paminnelse_vecka = models.BooleanField("veckosammanfattning", default=True)

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
