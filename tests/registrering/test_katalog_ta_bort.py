"""Removing a huvudman or an avslutsanledning (`huvudman_ta_bort`, `avslutsanledning_ta_bort`):
through the service, audited, and refused while a month's breakdown uses it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from registrering import services
from registrering.audit import audit_entries_for
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Avslutsanledning,
    Huvudman,
    NyaPerHuvudman,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def huvudman(forbund):
    return factories.HuvudmanFactory(forbund=forbund, namn="Region", ordning=3)


@pytest.fixture
def anledning(forbund, insats):
    anledning = factories.AvslutsanledningFactory(forbund=forbund, namn="Flytt", klass=2)
    anledning.insatser.set([insats])
    return anledning


def _borttagen(instance) -> AuditEntry:
    return audit_entries_for(instance).get(action=AuditEntry.Action.BORTTAGEN)


def test_oanvand_huvudman_tas_bort_med_en_rad(forbund, verksamhetsutvecklare, huvudman):
    pk = huvudman.pk
    services.huvudman_ta_bort(user=verksamhetsutvecklare, huvudman=huvudman)

    assert not Huvudman.objects.filter(pk=pk).exists()
    rad = AuditEntry.objects.get(action=AuditEntry.Action.BORTTAGEN, object_id=str(pk))
    assert rad.user == verksamhetsutvecklare
    assert rad.changes == {"namn": ["Region", None], "ordning": [3, None]}


def test_anvand_huvudman_nekas(forbund, verksamhetsutvecklare, huvudman, insats):
    rapport = factories.ManadsrapportFactory(insats=insats, manad=2)
    NyaPerHuvudman.objects.create(rapport=rapport, huvudman=huvudman, antal=0)

    with pytest.raises(ValidationError) as fel:
        services.huvudman_ta_bort(user=verksamhetsutvecklare, huvudman=huvudman)

    assert fel.value.messages == [
        "Huvudmannen Region används i en månadsrapport (nya deltagare per huvudman) och kan "
        "inte tas bort."
    ]
    assert Huvudman.objects.filter(pk=huvudman.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.BORTTAGEN).exists()


def test_oanvand_anledning_tas_bort_med_en_rad(verksamhetsutvecklare, anledning):
    pk = anledning.pk
    services.avslutsanledning_ta_bort(user=verksamhetsutvecklare, anledning=anledning)

    assert not Avslutsanledning.objects.filter(pk=pk).exists()
    rad = AuditEntry.objects.get(action=AuditEntry.Action.BORTTAGEN, object_id=str(pk))
    assert rad.user == verksamhetsutvecklare
    assert rad.changes["namn"] == ["Flytt", None]
    assert rad.changes["klass"] == [2, None]
    assert rad.changes["insatser"] == ["Försteg Testby", None]


def test_anvand_anledning_nekas(verksamhetsutvecklare, anledning, insats):
    for manad in (1, 2):
        rapport = factories.ManadsrapportFactory(insats=insats, manad=manad)
        AvslutadePerAnledning.objects.create(rapport=rapport, anledning=anledning, antal=1)

    with pytest.raises(ValidationError) as fel:
        services.avslutsanledning_ta_bort(user=verksamhetsutvecklare, anledning=anledning)

    assert fel.value.messages == [
        "Avslutsanledningen Flytt används i 2 månadsrapporter (avslutade per avslutsanledning) "
        "och kan inte tas bort."
    ]
    assert list(anledning.insatser.all()) == [insats]
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.BORTTAGEN).exists()


@pytest.mark.parametrize("vem", ["styrelse", "utomstaende"])
def test_bara_kansliet_tar_bort(request, vem, huvudman, anledning):
    user = request.getfixturevalue(vem)
    with pytest.raises(PermissionDenied):
        services.huvudman_ta_bort(user=user, huvudman=huvudman)
    with pytest.raises(PermissionDenied):
        services.avslutsanledning_ta_bort(user=user, anledning=anledning)
    assert Huvudman.objects.filter(pk=huvudman.pk).exists()
    assert Avslutsanledning.objects.filter(pk=anledning.pk).exists()


# --- the admin's door ---------------------------------------------------------------------------


@pytest.mark.parametrize("modell", ["huvudman", "avslutsanledning"])
def test_admin_tar_bort_genom_tjansten(client, verksamhetsutvecklare, huvudman, anledning, modell):
    obj = huvudman if modell == "huvudman" else anledning
    client.force_login(verksamhetsutvecklare)
    url = reverse(f"admin:registrering_{modell}_delete", args=[obj.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    assert _borttagen(obj).user == verksamhetsutvecklare


def test_admin_tar_inte_bort_anvand_huvudman(client, verksamhetsutvecklare, huvudman, insats):
    rapport = factories.ManadsrapportFactory(insats=insats)
    NyaPerHuvudman.objects.create(rapport=rapport, huvudman=huvudman, antal=4)
    client.force_login(verksamhetsutvecklare)

    client.post(reverse("admin:registrering_huvudman_delete", args=[huvudman.pk]), {"post": "yes"})

    assert Huvudman.objects.filter(pk=huvudman.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.BORTTAGEN).exists()
