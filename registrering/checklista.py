"""The "Kom igång" checklist: what a förbund still lacks before the bilaga of a year can be
made, each point with where it is put right.

Read side only: `checklista` reads the förbund's catalogues, insatser and the year's data in a
constant number of queries and returns a frozen `Checklista`. A point is *väsentlig* when the
bilaga of the year cannot be made right without it (members and their population, huvudmän,
avslutsanledningar, insatser and their start, the verksamhetsplan, the texts, the months);
the others (logo, insatsansvariga, kostnadsposter, users) are recommended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse

from registrering.models import (
    Arstotal,
    Avslutsanledning,
    Befolkning,
    Forbund,
    IngaendeBalans,
    Insats,
    Kostnadspost,
    Manadsrapport,
    Medlem,
    User,
    Verksamhetsplan,
)
from registrering.permissions import FORBUNDETS_ROLLER, Roll
from registrering.selectors import flodesinsatser, i_rapportordning


@dataclass(frozen=True)
class Punkt:
    """One thing to have in place: `text` says what is there or what is missing."""

    nyckel: str
    rubrik: str
    klar: bool
    vasentlig: bool
    text: str
    url: str
    lanktext: str
    saknas: tuple[str, ...] = ()  # the names of what lacks it (insatser, kommuner)

    @property
    def status(self) -> str:
        if self.klar:
            return "klar"
        return "saknas" if self.vasentlig else "rekommenderas"


@dataclass(frozen=True)
class Checklista:
    ar: int
    punkter: tuple[Punkt, ...]

    @property
    def saknas_vasentligt(self) -> tuple[Punkt, ...]:
        return tuple(p for p in self.punkter if p.vasentlig and not p.klar)

    @property
    def saknas_rekommenderat(self) -> tuple[Punkt, ...]:
        return tuple(p for p in self.punkter if not p.vasentlig and not p.klar)

    @property
    def klara(self) -> tuple[Punkt, ...]:
        return tuple(p for p in self.punkter if p.klar)

    @property
    def klar(self) -> bool:
        """Nothing essential is missing."""
        return not self.saknas_vasentligt

    @property
    def antal_klara(self) -> int:
        return sum(p.klar for p in self.punkter)


def _admin(modell: str, vy: str = "changelist", *args: object) -> str:
    """Only where no page of the product fixes the point (the förbund's logo and last
    reporting day are edited in the admin or by the systemadministratör)."""
    return reverse(f"admin:registrering_{modell}_{vy}", args=args)


def _data(resurs: str) -> str:
    """The resource's entry on /data/ (its columns, an empty template and Importera);
    `resurs` is the slug `filvyer.slug` gives it."""
    return f"{reverse('data:oversikt')}#post-{resurs}"


def _antal(n: int, en: str, flera: str) -> str:
    return f"{n} {en if n == 1 else flera}"


def _namn(namn: Iterable[str]) -> str:
    lista = list(namn)
    if len(lista) <= 3:
        return ", ".join(lista)
    return f"{', '.join(lista[:3])} och {len(lista) - 3} till"


# --- The points --------------------------------------------------------------------------------


def _medlemmar(forbund: Forbund, ar: int) -> Punkt:
    medlemmar = list(Medlem.objects.filter(forbund=forbund).order_by("ordning", "namn"))
    # The bilaga splits the year's allocation by the latest population before the year
    # (rapporter.mal_ekonomi): each kommun needs a figure in that year.
    befolkning = list(
        Befolkning.objects.filter(medlem__forbund=forbund, ar__lt=ar).values_list("medlem_id", "ar")
    )
    senaste = max((a for _m, a in befolkning), default=None)
    med_siffra = {m for m, a in befolkning if a == senaste}
    kommuner = [m for m in medlemmar if m.typ == Medlem.Typ.KOMMUN]
    utan = tuple(m.namn for m in kommuner if m.pk not in med_siffra)
    typer = {m.typ for m in medlemmar}
    saknade_typer = [
        str(t.label)
        for t in (Medlem.Typ.STAT, Medlem.Typ.REGION, Medlem.Typ.KOMMUN)
        if t not in typer
    ]
    if not medlemmar:
        text = "Förbundet har inga medlemmar registrerade."
    elif saknade_typer:
        text = f"Medlem saknas: {', '.join(saknade_typer).lower()}."
    elif utan:
        text = f"Befolkning 31/12 {senaste or ar - 1} saknas för {_namn(utan)}."
    else:
        text = f"{_antal(len(medlemmar), 'medlem', 'medlemmar')}, befolkning 31/12 {senaste}."
    return Punkt(
        "medlemmar",
        "Medlemmar och befolkning",
        bool(medlemmar) and not saknade_typer and not utan,
        True,
        text,
        _data("medlem"),
        "Importera medlemmar",
        utan,
    )


def _logotyp(forbund: Forbund) -> Punkt:
    har = bool(forbund.logotyp)
    return Punkt(
        "logotyp",
        "Logotyp",
        har,
        False,
        "Logotypen står på årsbilagans titelsida."
        if har
        else "Valfri: utan logotyp står förbundets namn på årsbilagans titelsida.",
        _admin("forbund", "change", forbund.pk),
        "Förbundets uppgifter",
    )


def _rapportdag(forbund: Forbund) -> Punkt:
    return Punkt(
        "rapportdag",
        "Sista rapportdag",
        True,
        False,
        f"Månadens siffror ska vara inskickade den {forbund.rapportdag}:e i månaden efter.",
        _admin("forbund", "change", forbund.pk),
        "Förbundets uppgifter",
    )


def _huvudman(antal: int) -> Punkt:
    return Punkt(
        "huvudman",
        "Huvudmän",
        antal > 0,
        True,
        f"{_antal(antal, 'huvudman', 'huvudmän')}."
        if antal
        else "Inga huvudmän: nya deltagare kan inte fördelas.",
        _data("huvudman"),
        "Importera huvudmän",
    )


def _avslutsanledningar(antal: int, flode: list[Insats], med_anledning: set[int]) -> Punkt:
    utan = tuple(i.namn for i in flode if i.pk not in med_anledning)
    if not antal:
        text = "Inga avslutsanledningar: avslutade deltagare kan inte fördelas."
    elif utan:
        text = f"Insatser utan avslutsanledningar: {_namn(utan)}."
    else:
        text = (
            f"{_antal(antal, 'avslutsanledning', 'avslutsanledningar')}; "
            "varje insats med deltagarflöde har sina."
        )
    return Punkt(
        "avslutsanledningar",
        "Avslutsanledningar",
        antal > 0 and not utan,
        True,
        text,
        _data("avslutsanledning"),
        "Importera avslutsanledningar",
        utan,
    )


def _insatser(insatser: list[Insats], ar: int) -> Punkt:
    return Punkt(
        "insatser",
        "Insatser",
        bool(insatser),
        True,
        f"{_antal(len(insatser), 'insats är aktiv', 'insatser är aktiva')} under {ar}."
        if insatser
        else f"Ingen insats är aktiv under {ar}.",
        _data("insats"),
        "Importera insatser",
    )


def _ansvariga(insatser: list[Insats], med_ansvarig: set[int]) -> Punkt:
    utan = tuple(i.namn for i in insatser if i.pk not in med_ansvarig)
    return Punkt(
        "insatsansvariga",
        "Insatsansvariga",
        bool(insatser) and not utan,
        False,
        f"Utan insatsansvarig: {_namn(utan)}. Kansliet rapporterar då själv."
        if utan
        else "Varje insats har en insatsansvarig."
        if insatser
        else "Inga insatser än.",
        reverse("anvandare:lista"),
        "Användare och deras insatser",
        utan,
    )


def _start(flode: list[Insats], ar: int, har_start: set[int]) -> Punkt:
    """A flow insats that began before the year starts from a balance: one entered for the
    year (or earlier), or the closing balance of earlier months or yearly totals."""
    utan = [i for i in flode if i.startdatum.year < ar and i.pk not in har_start]
    return Punkt(
        "start",
        "Ingående balans 1/1",
        not utan,
        True,
        f"Ingen ingående balans 1/1 {ar} för {_namn(i.namn for i in utan)}."
        if utan
        else f"Varje insats med deltagarflöde har sin start för {ar}.",
        reverse("registrering:ingaende_balans", args=[utan[0].pk, ar])
        if len(utan) == 1
        else _data("ingaendebalans")
        if utan
        else reverse("registrering:oversikt_ar", args=[ar]),
        f"Ingående balans för {utan[0].namn}"
        if len(utan) == 1
        else "Importera ingående balanser"
        if utan
        else "Månadsöversikt",
        tuple(i.namn for i in utan),
    )


def _verksamhetsplan(forbund: Forbund, ar: int, plan: Verksamhetsplan | None) -> Punkt:
    return Punkt(
        "verksamhetsplan",
        f"Verksamhetsplan {ar}",
        plan is not None,
        True,
        f"Tilldelningen för {ar} är registrerad."
        if plan
        else f"Ingen verksamhetsplan med årets tilldelning för {ar}.",
        _data("verksamhetsplan"),
        "Importera verksamhetsplanen",
    )


def _kostnadsposter(ar: int, antal: int) -> Punkt:
    return Punkt(
        "kostnadsposter",
        f"Kostnadsposter {ar}",
        antal > 0,
        False,
        f"{_antal(antal, 'kostnadspost', 'kostnadsposter')} med budget."
        if antal
        else "Inga kostnadsposter: budget och utfall visas inte på målsidan.",
        _data("kostnadspost"),
        "Importera kostnadsposter",
    )


def _texter(forbund: Forbund, ar: int) -> Punkt:
    tomma = [
        namn
        for namn, text in (("Bakgrund", forbund.bakgrund_text), ("Metod", forbund.metod_text))
        if not text.strip()
    ]
    return Punkt(
        "texter",
        "Bakgrund och Metod",
        not tomma,
        True,
        f"Text saknas för {' och '.join(tomma)}."
        if tomma
        else "Årsbilagans texter för Bakgrund och Metod finns.",
        reverse("rapporter:texter", args=[ar]),
        "Bilagans texter",
    )


def _manader(insatser: list[Insats], ar: int, rapporterade: set[int]) -> Punkt:
    utan = tuple(i.namn for i in insatser if i.pk not in rapporterade)
    return Punkt(
        "manader",
        f"Månader {ar}",
        bool(insatser) and not utan,
        True,
        f"Inga siffror för {ar}: {_namn(utan)}."
        if utan
        else f"Varje insats har siffror för {ar}."
        if insatser
        else "Inga insatser än.",
        reverse("registrering:oversikt_ar", args=[ar]),
        "Månadsöversikt",
        utan,
    )


def _anvandare(roller: set[str]) -> Punkt:
    ovriga = roller & {Roll.INSATSANSVARIG, Roll.STYRELSE}
    return Punkt(
        "anvandare",
        "Användare",
        bool(ovriga),
        False,
        "Insatsansvariga eller styrelsen har konton."
        if ovriga
        else "Bara kansliet har konton: bjud in insatsansvariga och styrelsen.",
        reverse("anvandare:lista"),
        "Användare",
    )


# --- The list ----------------------------------------------------------------------------------


def _insatsdata(
    insatser: QuerySet[Insats], ar: int
) -> tuple[set[int], set[int], set[int], set[int]]:
    """Of the insatser: those with an avslutsanledning, with an insatsansvarig, with a start
    for the year (a balance up to the year, or months or a yearly total before it) and with
    figures for the year (months or a yearly total). One query: each question an EXISTS per
    insats (at 300 insatser a list of ids, a scan of every month of every year and a query per
    question took most of the page's time, issue 15)."""
    insats = OuterRef("pk")
    manader = Manadsrapport.objects.filter(insats=insats)
    arstotaler = Arstotal.objects.filter(insats=insats)
    svar: tuple[set[int], set[int], set[int], set[int]] = (set(), set(), set(), set())
    for pk, *ja in (
        insatser.order_by()
        .annotate(
            anledning=Exists(Avslutsanledning.insatser.through.objects.filter(insats=insats)),
            ansvarig=Exists(Insats.insatsansvariga.through.objects.filter(insats=insats)),
            start=Exists(IngaendeBalans.objects.filter(insats=insats, ar__lte=ar))
            | Exists(manader.filter(ar__lt=ar))
            | Exists(arstotaler.filter(ar__lt=ar)),
            arets=Exists(manader.filter(ar=ar)) | Exists(arstotaler.filter(ar=ar)),
        )
        .values_list("pk", "anledning", "ansvarig", "start", "arets")
    ):
        for mangd, har in zip(svar, ja, strict=True):
            if har:
                mangd.add(pk)
    return svar


def _rekommenderade(
    forbund: Forbund, ar: int, insatser: list[Insats], med_ansvarig: set[int]
) -> dict[str, Punkt]:
    """The recommended points by key (two queries: the roles that have accounts and the
    year's kostnadsposter)."""
    roller = set(
        User.objects.filter(
            forbund=forbund, is_active=True, groups__name__in=list(FORBUNDETS_ROLLER)
        ).values_list("groups__name", flat=True)
    )
    kostnadsposter = Kostnadspost.objects.filter(forbund=forbund, ar=ar).count()
    return {
        p.nyckel: p
        for p in (
            _rapportdag(forbund),
            _logotyp(forbund),
            _ansvariga(insatser, med_ansvarig),
            _kostnadsposter(ar, kostnadsposter),
            _anvandare(roller),
        )
    }


def checklista(
    *,
    forbund: Forbund,
    ar: int,
    arets_insatser: Sequence[Insats] | None = None,
    bara_vasentliga: bool = False,
) -> Checklista:
    """What the förbund has and lacks for the bilaga of `ar` (8 queries, whatever its size;
    7 for a caller that has read the förbund's insatser active in `ar`, `arets_insatser`).
    With `bara_vasentliga` only the essential points, two queries fewer: all that the
    månadsöversikt's notice shows, and none of them depends on the accounts."""
    aktiva = Insats.objects.filter(forbund=forbund).aktiva_under(ar)
    insatser = i_rapportordning(aktiva if arets_insatser is None else arets_insatser)
    flode = flodesinsatser(insatser)
    med_anledning, med_ansvarig, har_start, arets = _insatsdata(aktiva, ar)
    antal = Forbund.objects.filter(pk=forbund.pk).aggregate(
        huvudman=Count("huvudman", distinct=True),
        anledningar=Count("avslutsanledningar", distinct=True),
    )
    rekommenderade = {} if bara_vasentliga else _rekommenderade(forbund, ar, insatser, med_ansvarig)
    punkter = (
        _medlemmar(forbund, ar),
        rekommenderade.get("rapportdag"),
        rekommenderade.get("logotyp"),
        _huvudman(antal["huvudman"]),
        _avslutsanledningar(antal["anledningar"], flode, med_anledning),
        _insatser(insatser, ar),
        rekommenderade.get("insatsansvariga"),
        _start(flode, ar, har_start),
        _verksamhetsplan(
            forbund, ar, Verksamhetsplan.objects.filter(forbund=forbund, ar=ar).first()
        ),
        rekommenderade.get("kostnadsposter"),
        _texter(forbund, ar),
        _manader(insatser, ar, arets),
        rekommenderade.get("anvandare"),
    )
    return Checklista(ar=ar, punkter=tuple(p for p in punkter if p is not None))
