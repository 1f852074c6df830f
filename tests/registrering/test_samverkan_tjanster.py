"""Groups of förbund and their samordnare (issue 14, point 4): the rules, the services (with
their audit rows) and the systemadministratör's pages under /system/grupper/."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from registrering import samverkansregler
from registrering.models import AuditEntry, Forbundsgrupp, User
from registrering.permissions import Roll, grupper_for_user, kan_se_grupp
from registrering.services.samverkan import (
    forbundsgrupp_spara,
    samordnare_bjud_in,
    samordnare_satt,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadm(db):
    return factories.UserFactory(username="sysadm", forbund=None, roll=Roll.SYSTEMADMINISTRATOR)


@pytest.fixture
def grupp(sysadm, forbund, annat_forbund):
    return forbundsgrupp_spara(
        user=sysadm, grupp=None, namn="Testlän", kortnamn="testlan", forbund=[forbund]
    )


def test_regeln_kraver_namn_kortnamn_och_minst_ett_forbund():
    fel = samverkansregler.forbundsgrupp(
        namn=" ",
        kortnamn="Med Mellanslag",
        antal_forbund=0,
        namn_upptaget=False,
        kortnamn_upptaget=False,
    )
    assert {f.falt for f in fel} == {"namn", "kortnamn", "forbund"}
    assert (
        samverkansregler.forbundsgrupp(
            namn="Län",
            kortnamn="lan-1",
            antal_forbund=1,
            namn_upptaget=False,
            kortnamn_upptaget=False,
        )
        == []
    )


def test_skapa_grupp_loggas(grupp, sysadm, forbund):
    assert list(grupp.forbund.all()) == [forbund]
    rad = AuditEntry.objects.get(object_id=str(grupp.pk), action=AuditEntry.Action.SKAPAD)
    assert rad.user == sysadm
    assert rad.changes["forbund"] == [None, forbund.namn]
    assert rad.changes["namn"] == [None, "Testlän"]


def test_namnen_ar_unika_och_felet_star_vid_faltet(grupp, sysadm, forbund):
    with pytest.raises(ValidationError) as fel:
        forbundsgrupp_spara(
            user=sysadm, grupp=None, namn="testlän", kortnamn="testlan", forbund=[forbund]
        )
    assert set(fel.value.message_dict) == {"namn", "kortnamn"}
    assert Forbundsgrupp.objects.count() == 1


def test_ett_forbund_i_flera_grupper(grupp, sysadm, forbund, annat_forbund):
    andra = forbundsgrupp_spara(
        user=sysadm,
        grupp=None,
        namn="Nätverk",
        kortnamn="natverk",
        forbund=[forbund, annat_forbund],
    )
    assert set(forbund.forbundsgrupper.all()) == {grupp, andra}


def test_andra_grupp_tom_pa_forbund_nekas(grupp, sysadm):
    with pytest.raises(ValidationError) as fel:
        forbundsgrupp_spara(
            user=sysadm, grupp=grupp, namn="Testlän", kortnamn="testlan", forbund=[]
        )
    assert "forbund" in fel.value.message_dict
    assert grupp.forbund.count() == 1


@pytest.mark.parametrize("persona", ["verksamhetsutvecklare", "forbundschef", "styrelse"])
def test_bara_systemadministratoren_hanterar_grupper(request, persona, forbund):
    with pytest.raises(PermissionDenied):
        forbundsgrupp_spara(
            user=request.getfixturevalue(persona),
            grupp=None,
            namn="X",
            kortnamn="x",
            forbund=[forbund],
        )


def test_samordnare_bjuds_in_utan_forbund_och_med_rollen(grupp, sysadm):
    konto = samordnare_bjud_in(
        user=sysadm, grupp=grupp, fornamn="Sara", efternamn="Samordnare", epost="sara@lan.se"
    )

    assert konto.forbund is None and not konto.has_usable_password()
    assert set(konto.groups.values_list("name", flat=True)) == {str(Roll.SAMORDNARE)}
    assert list(grupp.samordnare.all()) == [konto]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sara@lan.se"]
    assert kan_se_grupp(konto, grupp)
    rad = AuditEntry.objects.filter(object_id=str(grupp.pk)).latest("tid")
    assert rad.changes["samordnare"][1].startswith("Sara Samordnare")


def test_samordnarens_epost_och_namn_provas(grupp, sysadm, verksamhetsutvecklare):
    verksamhetsutvecklare.email = "vu@forbund.se"
    verksamhetsutvecklare.save()
    with pytest.raises(ValidationError) as fel:
        samordnare_bjud_in(
            user=sysadm, grupp=grupp, fornamn="", efternamn="", epost="vu@forbund.se"
        )
    assert set(fel.value.message_dict) == {"fornamn", "efternamn", "epost"}
    assert not mail.outbox


def test_ett_forbunds_konto_kan_inte_bli_samordnare(grupp, sysadm, verksamhetsutvecklare):
    with pytest.raises(ValidationError):
        samordnare_satt(user=sysadm, grupp=grupp, samordnare=[verksamhetsutvecklare])
    assert not grupp.samordnare.exists()


def test_grupper_for_user(
    grupp, forbund, annat_forbund, verksamhetsutvecklare, insatsansvarig, utomstaende, sysadm
):
    assert list(grupper_for_user(verksamhetsutvecklare)) == [grupp]
    assert list(grupper_for_user(insatsansvarig)) == []
    assert list(grupper_for_user(utomstaende)) == []
    assert list(grupper_for_user(sysadm)) == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sysadm", 200), ("verksamhetsutvecklare", 403), ("styrelse", 403)],
)
def test_gruppsidorna_ar_systemadministratorens(client: Client, request, grupp, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/system/grupper/").status_code == status
    assert client.get(f"/system/grupper/{grupp.pk}/").status_code == status


def test_skapa_grupp_i_webblasaren(client: Client, sysadm, forbund, annat_forbund):
    client.force_login(sysadm)
    svar = client.post(
        "/system/grupper/",
        {"namn": "Län", "kortnamn": "lan", "forbund": [forbund.pk, annat_forbund.pk]},
    )
    assert svar.status_code == 302
    grupp = Forbundsgrupp.objects.get(kortnamn="lan")
    assert grupp.forbund.count() == 2


def test_fel_visas_vid_faltet(client: Client, sysadm):
    client.force_login(sysadm)
    svar = client.post("/system/grupper/", {"namn": "Län", "kortnamn": "Län!"})
    assert svar.status_code == 400
    text = svar.content.decode()
    assert 'id="id_kortnamn-fel1"' in text and "Välj minst ett förbund." in text
    assert not Forbundsgrupp.objects.exists()


def test_bjud_in_samordnare_i_webblasaren(client: Client, sysadm, grupp):
    client.force_login(sysadm)
    svar = client.post(
        f"/system/grupper/{grupp.pk}/samordnare/",
        {"ny-fornamn": "Sam", "ny-efternamn": "Ordnare", "ny-epost": "sam@lan.se"},
    )
    assert svar.status_code == 302
    assert grupp.samordnare.get().email == "sam@lan.se"
    assert User.objects.get(email="sam@lan.se").forbund is None
