"""Corrections through the services: justeringar, balances, deletions and utfall. Each keeps
the ledger whole (no month ends with fewer than zero participants) and writes its audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from registrering import services
from registrering.ledger import Kon
from registrering.manadsliggare import pagaende_vid_manadens_start
from registrering.models import (
    AuditEntry,
    IngaendeBalans,
    Insats,
    Justering,
    Kostnadspost,
    Manadsrapport,
    Utfall,
)
from tests import factories as f

pytestmark = pytest.mark.django_db
Status = Manadsrapport.Status


@pytest.fixture
def flode(insats):
    """Testby 2025: 2 kvinnor from 1 January, 1 new in March, 3 ended in June."""
    f.IngaendeBalansFactory(insats=insats, ar=2025, kvinnor=2, man=0)
    mars = f.ManadsrapportFactory(insats=insats, ar=2025, manad=3, nya_kvinnor=1)
    juni = f.ManadsrapportFactory(insats=insats, ar=2025, manad=6, avslutade_kvinnor=3)
    return {"mars": mars, "juni": juni}


def test_justering_som_gor_en_senare_manad_negativ_avvisas(verksamhetsutvecklare, insats, flode):
    with pytest.raises(ValidationError) as exc:
        services.justering_skapa(
            user=verksamhetsutvecklare,
            insats=insats,
            ar=2025,
            manad=4,
            kvinnor=-1,
            man=0,
            anledning="Inventering",
        )
    assert exc.value.message_dict["kvinnor"] == [
        "Justeringen gör att pågående kvinnor blir -1 i juni 2025. Kontrollera siffrorna för "
        "den månaden först."
    ]
    assert not Justering.objects.exists()


def test_justering_andras_och_tas_bort_med_logg(verksamhetsutvecklare, insats, flode):
    justering = services.justering_skapa(
        user=verksamhetsutvecklare,
        insats=insats,
        ar=2025,
        manad=12,
        kvinnor=0,
        man=0 + 1,
        anledning="Inventering",
    )
    services.justering_andra(
        user=verksamhetsutvecklare,
        justering=justering,
        ar=2025,
        manad=12,
        kvinnor=0,
        man=2,
        anledning="Inventering 31/12",
    )
    justering.refresh_from_db()
    assert (justering.man, justering.anledning) == (2, "Inventering 31/12")
    assert pagaende_vid_manadens_start(insats_id=insats.pk, ar=2025, manad=13) == Kon(0, 2)
    pk = justering.pk
    services.justering_ta_bort(user=verksamhetsutvecklare, justering=justering)
    assert not Justering.objects.exists()
    handelser = AuditEntry.objects.filter(object_id=str(pk), content_type__model="justering")
    assert [e.action for e in handelser.order_by("id")] == ["skapad", "andrad", "borttagen"]


def test_justering_som_andra_manader_vilar_pa_kan_inte_tas_bort(
    verksamhetsutvecklare, insats, flode
):
    justering = services.justering_skapa(
        user=verksamhetsutvecklare,
        insats=insats,
        ar=2025,
        manad=8,
        kvinnor=2,
        man=0,
        anledning="Två som inte rapporterats",
    )
    f.ManadsrapportFactory(insats=insats, ar=2025, manad=10, avslutade_kvinnor=2)
    with pytest.raises(ValidationError, match="Borttagningen gör att pågående kvinnor blir -2"):
        services.justering_ta_bort(user=verksamhetsutvecklare, justering=justering)
    assert Justering.objects.filter(pk=justering.pk).exists()


def test_balans_som_manaderna_vilar_pa_kan_inte_tas_bort(verksamhetsutvecklare, insats, flode):
    balans = IngaendeBalans.objects.get(insats=insats, ar=2025)
    with pytest.raises(ValidationError, match="Borttagningen gör att pågående kvinnor blir -2"):
        services.ingaende_balans_ta_bort(user=verksamhetsutvecklare, balans=balans)
    assert IngaendeBalans.objects.filter(pk=balans.pk).exists()


def test_en_lagre_balans_avvisas_om_en_manad_da_blir_negativ(verksamhetsutvecklare, insats, flode):
    with pytest.raises(ValidationError) as exc:
        services.ingaende_balans_satt(
            user=verksamhetsutvecklare, insats=insats, ar=2025, kvinnor=1, man=0
        )
    # A confirmed balance is corrected with a reason; every error is told at once.
    assert "Ange anledningen till rättelsen." in exc.value.message_dict["anledning"][0]
    assert exc.value.message_dict["kvinnor"] == [
        "Balansen gör att pågående kvinnor blir -1 i juni 2025. Kontrollera siffrorna för den "
        "månaden först."
    ]


def test_manad_som_senare_manader_vilar_pa_kan_inte_tas_bort(verksamhetsutvecklare, insats, flode):
    with pytest.raises(ValidationError, match="Borttagningen gör att pågående kvinnor blir -1"):
        services.manadsrapport_ta_bort(user=verksamhetsutvecklare, rapport=flode["mars"])
    flode["juni"].status = Status.GODKAND
    flode["juni"].save()
    with pytest.raises(ValidationError, match="godkänd och låst"):
        services.manadsrapport_ta_bort(user=verksamhetsutvecklare, rapport=flode["juni"])
    services.manadsrapport_ta_bort(  # nothing after it: April may go
        user=verksamhetsutvecklare,
        rapport=f.ManadsrapportFactory(insats=insats, ar=2025, manad=12, nya_man=1),
    )
    assert Manadsrapport.objects.count() == 2


def test_insats_med_siffror_tas_inte_bort(verksamhetsutvecklare, forbund, insats, flode):
    with pytest.raises(ValidationError, match="har rapporterade siffror"):
        services.insats_ta_bort(user=verksamhetsutvecklare, insats=insats)
    tom = f.InsatsFactory(forbund=forbund, namn="Aldrig startad")
    services.insats_ta_bort(user=verksamhetsutvecklare, insats=tom)
    assert not Insats.objects.filter(pk=tom.pk).exists()
    assert AuditEntry.objects.filter(action="borttagen", object_repr="Aldrig startad").exists()


def test_insatsens_fasta_falt_andras_inte_utom_av_systemadministratoren(
    verksamhetsutvecklare, forbund, insats
):
    with pytest.raises(ValidationError) as exc:
        services.insats_spara(
            user=verksamhetsutvecklare,
            forbund=forbund,
            insats=insats,
            varden={"inriktning": Insats.Inriktning.STRUKTUR},
        )
    assert (
        "Kan inte ändras för en insats som redan finns" in exc.value.message_dict["inriktning"][0]
    )


def test_insatsens_period_tacker_de_rapporterade_manaderna(
    verksamhetsutvecklare, forbund, insats, flode
):
    """Testby has months March–June 2025: its period may not end before June or begin after
    March, and a change that keeps them inside is saved (with its audit row)."""
    for varden, falt, text in (
        (
            {"slutdatum": dt.date(2025, 5, 31)},
            "slutdatum",
            "Insatsen har rapporterade månader till och med juni 2025. Välj ett slutdatum i "
            "juni 2025 eller senare, eller ta bort månaderna först.",
        ),
        (
            {"startdatum": dt.date(2025, 4, 1)},
            "startdatum",
            "Insatsen har rapporterade månader från och med mars 2025. Välj ett startdatum i "
            "mars 2025 eller tidigare, eller ta bort månaderna först.",
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            services.insats_spara(
                user=verksamhetsutvecklare, forbund=forbund, insats=insats, varden=varden
            )
        assert exc.value.message_dict == {falt: [text]}
        insats.refresh_from_db()
        assert (insats.startdatum, insats.slutdatum) == (dt.date(2020, 1, 1), None)

    services.insats_spara(
        user=verksamhetsutvecklare,
        forbund=forbund,
        insats=insats,
        varden={"slutdatum": dt.date(2025, 6, 15)},
    )
    insats.refresh_from_db()
    assert insats.slutdatum == dt.date(2025, 6, 15)
    assert AuditEntry.objects.filter(action="andrad", object_id=str(insats.pk)).exists()


def test_utfall_for_en_period_sparas_helt_eller_inte_alls(verksamhetsutvecklare, forbund):
    kansli = Kostnadspost.objects.create(forbund=forbund, ar=2025, namn="Kansli", budget=1000)
    natverk = Kostnadspost.objects.create(forbund=forbund, ar=2025, namn="Nätverk", budget=1000)
    with pytest.raises(ValidationError) as exc:
        services.utfall_spara_period(
            user=verksamhetsutvecklare,
            belopp=[(kansli, Decimal(100)), (natverk, Decimal("NaN"))],
            manad=1,
        )
    assert exc.value.message_dict == {
        f"post_{natverk.pk}": ["Ange ett belopp i kronor, t.ex. 125 000."]
    }
    assert not Utfall.objects.exists()
    services.utfall_spara_period(
        user=verksamhetsutvecklare, belopp=[(kansli, Decimal(100)), (natverk, None)], manad=1
    )
    assert list(Utfall.objects.values_list("post__namn", "belopp")) == [("Kansli", Decimal(100))]


def test_admin_visar_varfor_en_borttagning_nekas(client, verksamhetsutvecklare, insats, flode):
    """The admin's door: the service refuses, the page says why, nothing is deleted."""
    from django.urls import reverse

    balans = IngaendeBalans.objects.get(insats=insats, ar=2025)
    client.force_login(verksamhetsutvecklare)
    url = reverse("admin:registrering_ingaendebalans_delete", args=[balans.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Borttagningen gör att pågående kvinnor blir -2 i juni 2025." in (
        response.content.decode()
    )
    assert IngaendeBalans.objects.filter(pk=balans.pk).exists()
