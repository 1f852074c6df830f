"""Factories for the domain model: the smallest valid objects, overridable per test."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group

from registrering import models
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
    kalla = "SUS"
