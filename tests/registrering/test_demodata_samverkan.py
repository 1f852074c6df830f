"""The demo group Jönköpings län (seed 004): `manage.py demodata_samverkan` loads the three
förbund, the group and a samordnare who logs in with the demo password, and can run again."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from registrering.demodata import DEMO_LOSENORD
from registrering.models import Forbund, Forbundsgrupp, Manadsrapport

pytestmark = pytest.mark.django_db


def test_demogruppen_laddas_och_kan_laddas_igen(client: Client):
    call_command("demodata_samverkan", stdout=io.StringIO())
    manader = Manadsrapport.objects.count()
    call_command("demodata_samverkan", stdout=io.StringIO())

    grupp = Forbundsgrupp.objects.get()
    assert grupp.namn == "Jönköpings län"
    assert sorted(grupp.forbund.values_list("kortnamn", flat=True)) == ["FIN", "HÖG", "SÖV"]
    assert Forbund.objects.count() == 3
    assert Manadsrapport.objects.count() == manader
    samordnare = grupp.samordnare.get()
    assert samordnare.username == "samordnare" and samordnare.forbund is None
    assert samordnare.check_password(DEMO_LOSENORD)
    client.force_login(samordnare)
    svar = client.get("/samverkan/jonkopings-lan/2024/")
    assert svar.status_code == 200
    assert "24\xa0242" in svar.content.decode()
