"""The issue's "unless": a systemadministratör sees no förbund's figures *unless also given a
role there*. With a role in one förbund the same account reads that förbund's pages, and still
no other förbund's; without it, the same pages answer 403."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from registrering.permissions import Roll
from tests import factories

pytestmark = pytest.mark.django_db

SIDOR = ("/registrering/2025/", "/rapporter/2025/", "/mal/2025/")


def test_systemadministrator_med_roll_i_ett_forbund_ser_bara_det(
    client, systemadministrator, forbund, insats, annat_forbund
):
    deras = factories.InsatsFactory(forbund=annat_forbund, namn="Deras egen insats")
    client.force_login(systemadministrator)
    for sida in SIDOR:
        assert client.get(sida).status_code == 403, sida

    systemadministrator.forbund = forbund
    systemadministrator.save()
    systemadministrator.groups.add(Group.objects.get(name=str(Roll.STYRELSE)))

    for sida in SIDOR:
        svar = client.get(sida)
        assert svar.status_code == 200, sida
        assert deras.namn not in svar.content.decode(), sida
    assert insats.namn in client.get("/rapporter/2025/").content.decode()
    # It keeps the installation's pages, and they still show no figures of the förbund.
    system = client.get("/system/")
    assert system.status_code == 200
    assert insats.namn not in system.content.decode()
    # Its role is the styrelse's: reading, not the kansli's pages.
    assert client.get("/data/").status_code == 403


def test_forbundets_kansli_hanterar_inte_en_systemadministrator_med_roll_dar(
    client, systemadministrator, forbund, verksamhetsutvecklare
):
    """The förbund's kansli manages its own accounts, not the installation's: a
    systemadministratör given a role in the förbund is neither listed, switched off nor has its
    two-factor device reset by the förbund's verksamhetsutvecklare (404, nothing changes)."""
    systemadministrator.forbund = forbund
    systemadministrator.save()
    systemadministrator.groups.add(Group.objects.get(name=str(Roll.STYRELSE)))
    client.force_login(verksamhetsutvecklare)

    assert systemadministrator.username not in client.get("/konton/anvandare/").content.decode()
    for adress, data in (
        (f"/konton/anvandare/{systemadministrator.pk}/", {}),
        (f"/konton/anvandare/{systemadministrator.pk}/aktiv/", {"aktiv": "0"}),
        (f"/konton/anvandare/{systemadministrator.pk}/skicka-igen/", {}),
        (f"/konton/tvasteg/forbundet/{systemadministrator.pk}/aterstall/", {}),
    ):
        assert client.post(adress, data).status_code == 404, adress
    systemadministrator.refresh_from_db()
    assert systemadministrator.is_active
    assert Roll.SYSTEMADMINISTRATOR in systemadministrator.groups.values_list("name", flat=True)
