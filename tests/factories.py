"""Factories for the domain model: the smallest valid objects, overridable per test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group

from registrering import models
from registrering.audit import audit_log
from registrering.permissions import Roll


class ForbundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Forbund
        django_get_or_create = ("namn",)

    namn = factory.Sequence(lambda n: f"Samordningsförbundet Test {n}")
    kortnamn = factory.Sequence(lambda n: f"ST{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    forbund = factory.SubFactory(ForbundFactory)
    password = factory.PostGenerationMethodCall("set_password", "lösenord-för-test")

    @factory.post_generation
    def roll(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=str(Roll(extracted))))
        if create:
            self.save()


class HuvudmanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Huvudman

    forbund = factory.SubFactory(ForbundFactory)
    namn = factory.Sequence(lambda n: f"Huvudman {n}")


class InsatsgruppFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Insatsgrupp
        django_get_or_create = ("forbund", "namn")

    forbund = factory.SubFactory(ForbundFactory)
    namn = "Försteg"


class InsatsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Insats

    forbund = factory.SubFactory(ForbundFactory)
    namn = factory.Sequence(lambda n: f"Insats {n}")
    inriktning = models.Insats.Inriktning.INDIVID
    uppfoljning = models.Insats.Uppfoljning.DELTAGARFLODE
    startdatum = dt.date(2020, 1, 1)


class VolyminsatsFactory(InsatsFactory):
    inriktning = models.Insats.Inriktning.STRUKTUR
    uppfoljning = models.Insats.Uppfoljning.VOLYM
    volymenhet = models.Insats.Volymenhet.DELTAGARE


class AvslutsanledningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Avslutsanledning

    forbund = factory.SubFactory(ForbundFactory)
    namn = factory.Sequence(lambda n: f"Anledning {n}")
    klass = 1
    kategori = models.Avslutsanledning.Kategori.ARBETE


class ManadsrapportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Manadsrapport

    insats = factory.SubFactory(InsatsFactory)
    ar = 2025
    manad = 1


class IngaendeBalansFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IngaendeBalans

    insats = factory.SubFactory(InsatsFactory)
    ar = 2025
    kvinnor = 0
    man = 0


class JusteringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Justering

    insats = factory.SubFactory(InsatsFactory)
    ar = 2025
    manad = 12
    kvinnor = -1
    man = 0
    anledning = "Inventering 31/12"


class ArstotalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Arstotal

    insats = factory.SubFactory(InsatsFactory)
    ar = 2024
    # With the gender split unless the test gives the totals (`deltagare`) instead.
    deltagare_kvinnor = factory.LazyAttribute(lambda o: None if o.deltagare is not None else 0)
    deltagare_man = factory.LazyAttribute(lambda o: None if o.deltagare is not None else 0)
    deltagare = None
    kalla = "SUS"


def ett_av_varje(
    forbund: models.Forbund, insats: models.Insats, user: Any, n: int = 0
) -> dict[str, Any]:
    """One object of every model of the förbund, keyed by model name (`n` keeps them unique)."""
    m = models
    medlem = m.Medlem.objects.create(forbund=forbund, namn=f"Kommun {n}", typ="kommun")
    huvudman = HuvudmanFactory(forbund=forbund, namn=f"Kommun {n}")
    anledning = AvslutsanledningFactory(forbund=forbund, namn=f"Arbete {n}")
    anledning.insatser.add(insats)
    rapport = ManadsrapportFactory(
        insats=insats, ar=2025, manad=2, nya_kvinnor=1, avslutade_kvinnor=1
    )
    balans = IngaendeBalansFactory(insats=insats, kvinnor=1)
    enkat = m.Enkat.objects.create(forbund=forbund, namn=f"Enkät {n}")
    fraga = m.Enkatfraga.objects.create(forbund=forbund, enkat=enkat, text=f"Fråga {n}")
    alternativ = m.Svarsalternativ.objects.create(fraga=fraga, text="Ja", positivt=True)
    tillfalle = m.Enkattillfalle.objects.create(
        forbund=forbund,
        insats=insats,
        enkat=enkat,
        namn=f"Föreläsning {n}",
        datum=dt.date(2025, 5, 1),
    )
    post = m.Kostnadspost.objects.create(forbund=forbund, ar=2025, namn=f"Post {n}", budget=100)
    objekt = {
        "forbund": forbund,
        "enkat": enkat,
        "user": user,
        "medlem": medlem,
        "befolkning": m.Befolkning.objects.create(medlem=medlem, ar=2024, invanare=5000),
        "huvudman": huvudman,
        "insatsgrupp": InsatsgruppFactory(forbund=forbund),
        "malgrupp": m.Malgrupp.objects.first(),
        "insats": insats,
        "avslutsanledning": anledning,
        "manadsrapport": rapport,
        "avslutadeperanledning": m.AvslutadePerAnledning.objects.create(
            rapport=rapport, anledning=anledning, antal=1
        ),
        "nyaperhuvudman": m.NyaPerHuvudman.objects.create(
            rapport=rapport, huvudman=huvudman, antal=1
        ),
        "ingaendebalans": balans,
        "ingaendebalanshuvudman": m.IngaendeBalansHuvudman.objects.create(
            balans=balans, huvudman=huvudman, antal=1
        ),
        "justering": JusteringFactory(insats=insats),
        "arstotal": m.Arstotal.objects.create(insats=insats, ar=2019, kalla="SUS"),
        "budgeteradvolym": m.BudgeteradVolym.objects.create(insats=insats, ar=2026, volym=25),
        "enkatfraga": fraga,
        "svarsalternativ": alternativ,
        "enkattillfalle": tillfalle,
        "enkatsvar": m.Enkatsvar.objects.create(
            tillfalle=tillfalle, alternativ=alternativ, antal=3
        ),
        "kommentar": m.Kommentar.objects.create(
            forbund=forbund, ar=2000 + n, avsnitt="volym", text="Bra år."
        ),
        "arsbilaga": m.Arsbilaga.objects.create(forbund=forbund, ar=2000 + n),
        "verksamhetsplan": m.Verksamhetsplan.objects.create(
            forbund=forbund, ar=2000 + n, tilldelning=8_000_000
        ),
        "kostnadspost": post,
        "utfall": m.Utfall.objects.create(post=post, manad=1, belopp=10),
        "utfallsmal": m.Utfallsmal.objects.create(insats=insats, ar=2025, procent=30),
        "effektnyckeltal": m.Effektnyckeltal.objects.create(
            forbund=forbund, ar=2000 + n, kostnad_per_manad=10_500, skatt_per_manad=5_700
        ),
        "ersattningsnyckeltal": m.Ersattningsnyckeltal.objects.create(
            forbund=forbund,
            ar=2000 + n,
            kod="forsorjningsstod",
            namn="Försörjningsstöd",
            betalare="kommun",
            arsbelopp=110_000,
        ),
        "inkomstnyckeltal": m.Inkomstnyckeltal.objects.create(
            forbund=forbund,
            ar=2000 + n,
            arslon=267_120,
            kommunalskatt=Decimal("20.67"),
            regionskatt=Decimal("11.70"),
            arbetsgivaravgift=Decimal("31.42"),
        ),
        "forflyttning": m.Forflyttning.objects.create(
            insats=insats, ar=2025, fran="forsorjningsstod", till="arbete", antal=2
        ),
        "medfinansiering": m.Medfinansiering.objects.create(
            insats=insats,
            finansiar=ForbundFactory(namn=f"Medfinansierande förbund {n}"),
            ar=2025,
            belopp=200_000,
            andel=Decimal(25),
        ),
        "skickadpaminnelse": m.SkickadPaminnelse.objects.create(
            forbund=forbund,
            user=user,
            datum=dt.date(2025, 3, 7) + dt.timedelta(days=n),
            slag="fore",
            amne="Påminnelse",
        ),
    }
    objekt["auditentry"] = audit_log(
        user=user,
        instance=rapport,
        action=models.AuditEntry.Action.ANDRAD,
        changes={"nya_man": [0, 1]},
    )
    return objekt
