"""A cost post is for administration or for insatser, and may name the one insats it is the cost
of (the national system's budget and utfall per insats): the rule and the admin door. And the
ledger after a yearly total without the gender split."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registrering import manadsliggare, regler, services
from registrering.ledger import Kon
from registrering.models import Arstotal, Kostnadspost
from tests import factories as f
from tests.registrering.adminhjalp import kostnadspost_data

pytestmark = pytest.mark.django_db

ADM = Kostnadspost.Typ.ADMINISTRATION
INS = Kostnadspost.Typ.INSATS


def _fel(**kwargs) -> list[tuple[str, str]]:
    return [(f.falt, f.text) for f in regler.kostnadspost(**kwargs)]


def test_regeln_for_kostnadspostens_insats(forbund, annat_forbund, insats):
    assert _fel(typ=ADM, insats=None, forbund_id=forbund.pk, ar=2025) == []
    assert _fel(typ=INS, insats=insats, forbund_id=forbund.pk, ar=2025) == []
    assert _fel(typ=ADM, insats=insats, forbund_id=forbund.pk, ar=2025) == [
        ("insats", "En post för administration hör inte till någon insats.")
    ]
    assert _fel(typ=INS, insats=insats, forbund_id=annat_forbund.pk, ar=2025) == [
        ("insats", "Insatsen hör till ett annat förbund.")
    ]
    insats.slutdatum = dt.date(2023, 12, 31)
    assert _fel(typ=INS, insats=insats, forbund_id=forbund.pk, ar=2025) == [
        ("insats", "Försteg Testby pågår inte under 2025.")
    ]


def test_adminen_fragar_regeln_och_sparar_postens_insats(client, verksamhetsutvecklare, insats):
    client.force_login(verksamhetsutvecklare)
    adress = reverse("admin:registrering_kostnadspost_add")
    fel = client.post(adress, kostnadspost_data(typ=ADM, insats=str(insats.pk)))
    assert fel.status_code == 200
    assert fel.context["adminform"].form.errors["insats"] == [
        "En post för administration hör inte till någon insats."
    ]
    assert not Kostnadspost.objects.exists()
    ok = client.post(adress, kostnadspost_data(typ=INS, insats=str(insats.pk)))
    assert ok.status_code == 302
    post = Kostnadspost.objects.get()
    assert (post.typ, post.insats) == (INS, insats)
    # Without a kind given (an older form), a post is a cost of insatser.
    client.post(adress, kostnadspost_data(namn="Nätverk"))
    assert Kostnadspost.objects.get(namn="Nätverk").typ == INS


def test_en_insats_med_kostnadspost_tas_inte_bort(verksamhetsutvecklare, forbund, insats):
    Kostnadspost.objects.create(forbund=forbund, ar=2025, namn="Post", budget=1, insats=insats)
    with pytest.raises(ValidationError, match="kan inte tas bort"):
        services.insats_ta_bort(user=verksamhetsutvecklare, insats=insats)


def test_efter_en_total_utan_kon_stoppar_inte_liggaren_en_avslutad_kvinna(insats):
    """After 2024 as a total without the split (10 deltagare, none avslutade), January 2025's
    three avslutade kvinnor come from participants whose gender the ledger does not know: no
    "pågående kvinnor blir −3"; the year's closing balance is 10 with the split unknown."""
    Arstotal.objects.create(insats=insats, ar=2024, deltagare=10, kalla="SUS")
    f.ManadsrapportFactory(insats=insats, ar=2025, manad=1, avslutade_kvinnor=3)
    bok = manadsliggare.liggare([insats.pk], fran_ar=2025)
    saldon = list(bok.saldon(insats.pk))
    assert saldon[0].start == Kon(utan_kon=10)
    assert saldon[-1].slut == Kon(-3, 0, 10) and saldon[-1].slut.totalt == 7
    assert regler.liggaren(saldon, fran=(2025, 1), orsak="Ändringen") == []


def test_med_kon_stoppar_liggaren_som_forut(insats):
    Arstotal.objects.create(
        insats=insats, ar=2024, deltagare_kvinnor=0, deltagare_man=10, kalla="SUS"
    )
    f.ManadsrapportFactory(insats=insats, ar=2025, manad=1, avslutade_kvinnor=3)
    saldon = list(manadsliggare.liggare([insats.pk], fran_ar=2025).saldon(insats.pk))
    (fel,) = regler.liggaren(saldon, fran=(2025, 1), orsak="Ändringen")
    assert "pågående kvinnor blir -3" in fel.text
