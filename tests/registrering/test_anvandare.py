"""The förbund's users in the product (/konton/anvandare/): the verksamhetsutvecklare or
förbundschef invites, changes roles and insatser, switches accounts off and on; only the
förbund's own accounts; never the systemadministratör's or samordnare's role; all audited."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrering import permissions
from registrering.audit import audit_entries_for
from registrering.models import User
from registrering.permissions import Roll
from registrering.services.anvandare import anvandare_andra, anvandare_bjud_in
from tests import factories

pytestmark = pytest.mark.django_db

LOSENORD = "Vätterns-strand-2026"


def lank_i(brev) -> str:
    hittad = re.search(r"/konton/inbjudan/\S+/", brev.body)
    assert hittad is not None
    return hittad[0]


def test_vu_bjuder_in_en_insatsansvarig_som_ser_just_sin_insats(
    client, verksamhetsutvecklare, forbund, insats, annan_insats
):
    client.force_login(verksamhetsutvecklare)
    svar = client.post(
        reverse("anvandare:ny"),
        {
            "fornamn": "Ida",
            "efternamn": "Berg",
            "epost": "ida.berg@habo.se",
            "roller": [Roll.INSATSANSVARIG],
            "insatser": [insats.pk],
        },
    )
    assert svar.status_code == 302
    konto = User.objects.get(email="ida.berg@habo.se")
    assert konto.forbund == forbund and not konto.is_staff
    assert list(konto.ansvar_for_insatser.all()) == [insats]
    [brev] = mail.outbox
    assert "som insatsansvarig" in brev.body
    rader = audit_entries_for(konto).order_by("pk")
    assert {r.user for r in rader} == {verksamhetsutvecklare}
    assert rader.filter(changes__insatser=["", insats.namn]).exists()
    # The invited person chooses a password and sees exactly that insats.
    client.logout()
    steg = client.get(lank_i(brev))
    client.post(steg["Location"], {"new_password1": LOSENORD, "new_password2": LOSENORD})
    sida = client.get("/", follow=True)
    assert sida.resolver_match.view_name == "registrering:mina_insatser"
    html = sida.content.decode()
    assert insats.namn in html and annan_insats.namn not in html
    assert list(permissions.insatser_for_user(konto)) == [insats]
    assert client.get(f"/registrering/insats/{annan_insats.pk}/2025/1/").status_code == 403


def test_listan_visar_roller_och_insatser_med_konstant_antal_fragor(
    client, verksamhetsutvecklare, insatsansvarig, insats, forbund, utomstaende
):
    client.force_login(verksamhetsutvecklare)

    def hamta() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            svar = client.get(reverse("anvandare:lista"))
        assert svar.status_code == 200
        return len(ctx.captured_queries), svar.content.decode()

    forut, html = hamta()
    assert "ansvarig" in html and insats.namn in html and "insatsansvarig" in html
    assert "utomstaende" not in html  # another förbund's account
    for n in range(4):
        ny = factories.UserFactory(forbund=forbund, roll=Roll.INSATSANSVARIG)
        factories.InsatsFactory(forbund=forbund, namn=f"Extra {n}").insatsansvariga.add(ny)
    assert hamta()[0] == forut


def test_roller_och_insatser_andras_med_logg(
    client, verksamhetsutvecklare, insatsansvarig, insats, annan_insats
):
    client.force_login(verksamhetsutvecklare)
    svar = client.post(
        reverse("anvandare:andra", args=[insatsansvarig.pk]),
        {"roller": [Roll.INSATSANSVARIG, Roll.STYRELSE], "insatser": [annan_insats.pk]},
    )
    assert svar.status_code == 302
    assert set(permissions.roller(User.objects.get(pk=insatsansvarig.pk))) == {
        "insatsansvarig",
        "styrelse",
    }
    assert list(insatsansvarig.ansvar_for_insatser.all()) == [annan_insats]
    rader = audit_entries_for(insatsansvarig).filter(user=verksamhetsutvecklare)
    assert rader.filter(changes__roller=["insatsansvarig", "insatsansvarig, styrelse"]).exists()
    assert rader.filter(changes__insatser=[insats.namn, annan_insats.namn]).exists()


def test_installationens_roller_ges_aldrig_harifran(
    client, verksamhetsutvecklare, insatsansvarig, forbund
):
    client.force_login(verksamhetsutvecklare)
    for roll in (Roll.SYSTEMADMINISTRATOR, Roll.SAMORDNARE):
        svar = client.post(reverse("anvandare:andra", args=[insatsansvarig.pk]), {"roller": [roll]})
        assert svar.status_code == 200
        assert "Välj bland förbundets roller." in svar.content.decode()
        with pytest.raises(ValidationError, match="kan inte ges av förbundet"):
            anvandare_andra(
                user=verksamhetsutvecklare, konto=insatsansvarig, roller=[roll], insatser=[]
            )
        with pytest.raises(ValidationError, match="kan inte ges av förbundet"):
            anvandare_bjud_in(
                user=verksamhetsutvecklare,
                forbund=forbund,
                fornamn="X",
                efternamn="Y",
                epost="x@y.se",
                roller=[roll],
            )
    assert set(permissions.roller(User.objects.get(pk=insatsansvarig.pk))) == {"insatsansvarig"}
    assert not User.objects.filter(email="x@y.se").exists()


def test_en_roll_fran_installationen_star_kvar_nar_forbundet_andrar(verksamhetsutvecklare, forbund):
    konto = factories.UserFactory(forbund=forbund, roll=Roll.SAMORDNARE)
    anvandare_andra(user=verksamhetsutvecklare, konto=konto, roller=[Roll.STYRELSE], insatser=[])
    assert set(konto.groups.values_list("name", flat=True)) == {"samordnare", "styrelse"}


def test_insatser_bara_till_en_insatsansvarig(client, verksamhetsutvecklare, styrelse, insats):
    client.force_login(verksamhetsutvecklare)
    svar = client.post(
        reverse("anvandare:andra", args=[styrelse.pk]),
        {"roller": [Roll.STYRELSE], "insatser": [insats.pk]},
    )
    assert re.search(
        r'id="id_insatser-fel1">Insatser ges till en insatsansvarig', svar.content.decode()
    )
    assert not styrelse.ansvar_for_insatser.exists()


def test_stang_av_och_aktivera_igen(client, verksamhetsutvecklare, insatsansvarig):
    client.force_login(verksamhetsutvecklare)
    adress = reverse("anvandare:aktiv", args=[insatsansvarig.pk])
    assert client.post(adress, {"aktiv": "0"}).status_code == 302
    insatsansvarig.refresh_from_db()
    assert not insatsansvarig.is_active
    assert client.post(adress, {"aktiv": "1"}).status_code == 302
    insatsansvarig.refresh_from_db()
    assert insatsansvarig.is_active
    rader = audit_entries_for(insatsansvarig).filter(user=verksamhetsutvecklare).order_by("pk")
    assert [r.changes for r in rader] == [
        {"is_active": [True, False]},
        {"is_active": [False, True]},
    ]


def test_ingen_stanger_av_sig_sjalv_eller_tar_bort_sin_egen_roll(client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    svar = client.post(
        reverse("anvandare:aktiv", args=[verksamhetsutvecklare.pk]), {"aktiv": "0"}, follow=True
    )
    assert "Du kan inte stänga av ditt eget konto." in svar.content.decode()
    svar = client.post(
        reverse("anvandare:andra", args=[verksamhetsutvecklare.pk]), {"roller": [Roll.STYRELSE]}
    )
    assert "Du kan inte ta bort din egen roll" in svar.content.decode()
    verksamhetsutvecklare.refresh_from_db()
    assert verksamhetsutvecklare.is_active
    assert set(verksamhetsutvecklare.groups.values_list("name", flat=True)) == {
        "verksamhetsutvecklare"
    }


def test_ett_annat_forbunds_vu_ror_inte_vara_konton(client, utomstaende, insatsansvarig):
    client.force_login(utomstaende)
    assert client.get(reverse("anvandare:andra", args=[insatsansvarig.pk])).status_code == 404
    for namn, data in (
        ("anvandare:andra", {"roller": [Roll.VERKSAMHETSUTVECKLARE]}),
        ("anvandare:aktiv", {"aktiv": "0"}),
        ("anvandare:skicka_igen", {}),
    ):
        assert client.post(reverse(namn, args=[insatsansvarig.pk]), data).status_code == 404
    insatsansvarig.refresh_from_db()
    assert insatsansvarig.is_active
    assert set(insatsansvarig.groups.values_list("name", flat=True)) == {"insatsansvarig"}
    assert not audit_entries_for(insatsansvarig).filter(user=utomstaende).exists()


def test_vem_som_nar_sidorna(client, forbundschef, styrelse, insatsansvarig, insats):
    assert client.get(reverse("anvandare:lista"))["Location"].startswith(reverse("login"))
    client.force_login(forbundschef)
    assert client.get(reverse("anvandare:lista")).status_code == 200
    assert client.get(reverse("anvandare:ny")).status_code == 200
    assert client.get(reverse("anvandare:andra", args=[insatsansvarig.pk])).status_code == 200
    for persona in (styrelse, insatsansvarig):
        client.force_login(persona)
        assert client.get(reverse("anvandare:lista")).status_code == 403
        assert client.get(reverse("anvandare:ny")).status_code == 403
        assert client.get(reverse("anvandare:andra", args=[insatsansvarig.pk])).status_code == 403
    systemadministrator = factories.UserFactory(forbund=None, roll=Roll.SYSTEMADMINISTRATOR)
    client.force_login(systemadministrator)
    assert client.get(reverse("anvandare:lista")).status_code == 403


def test_kontonsidan_lankar_till_anvandarna(client, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    html = client.get(reverse("konton")).content.decode()
    assert f'href="{reverse("anvandare:lista")}"' in html
