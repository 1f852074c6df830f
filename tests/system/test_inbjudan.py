"""The invitation of a förbund's first verksamhetsutvecklare: the account, the mail with its
one-time link (dead after use and after PASSWORD_RESET_TIMEOUT), choosing the password and
being logged in, SSO, sending it again, and the command for the installation's first
systemadministratör."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from registrering.audit import audit_entries_for
from registrering.models import AuditEntry, User
from registrering.permissions import Roll
from tests import factories

pytestmark = pytest.mark.django_db

LOSENORD = "Vätterns-strand-2026"


class TrasigPost(BaseEmailBackend):
    """A mail server that refuses every mail."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("SMTP nere")


def bjud_in(client, forbund, epost="anna.vu@ssv.se"):
    return client.post(
        reverse("system:bjud_in", args=[forbund.pk]),
        {"fornamn": "Anna", "efternamn": "Lund", "epost": epost},
    )


def lanken(meddelande) -> str:
    hittad = re.search(r"https?://\S+/konton/inbjudan/\S+/", meddelande.body)
    assert hittad is not None, meddelande.body
    return hittad[0].split("/konton/", 1)[1].join(["/konton/", ""])


def valj_losenord(client, lank: str, losenord: str = LOSENORD):
    steg = client.get(lank)
    assert steg.status_code == 302  # the token moves into the session
    return client.post(steg["Location"], {"new_password1": losenord, "new_password2": losenord})


def test_inbjudan_skapar_kontot_och_skickar_brevet(client, systemadministrator, forbund):
    client.force_login(systemadministrator)
    svar = bjud_in(client, forbund, epost="Anna.VU@ssv.se")
    assert svar.status_code == 302
    konto = User.objects.get(email="anna.vu@ssv.se")
    assert konto.username == "anna.vu@ssv.se"
    assert konto.forbund == forbund
    assert not konto.has_usable_password()
    assert konto.is_staff and not konto.is_superuser
    assert list(konto.groups.values_list("name", flat=True)) == [Roll.VERKSAMHETSUTVECKLARE]
    [brev] = mail.outbox
    assert brev.to == ["anna.vu@ssv.se"]
    assert forbund.namn in brev.subject
    assert "som verksamhetsutvecklare" in brev.body
    assert "gäller i 7 dagar" in brev.body
    rader = audit_entries_for(konto).order_by("pk")
    assert [(r.action, r.user) for r in rader] == [
        (AuditEntry.Action.SKAPAD, systemadministrator),
        (AuditEntry.Action.ANDRAD, systemadministrator),
    ]
    assert rader[1].changes["roller"] == ["", "verksamhetsutvecklare"]
    # The förbund's page says the invitation waits.
    html = client.get(reverse("system:forbund", args=[forbund.pk])).content.decode()
    assert "inbjuden, har inte accepterat än" in html


def test_lanken_later_valja_losenord_en_gang_och_loggar_in(
    client, systemadministrator, forbund, insats
):
    client.force_login(systemadministrator)
    bjud_in(client, forbund)
    lank = lanken(mail.outbox[0])
    client.logout()
    svar = valj_losenord(client, lank)
    assert svar.status_code == 302
    assert svar["Location"] == reverse("start")
    konto = User.objects.get(email="anna.vu@ssv.se")
    assert client.session[SESSION_KEY] == str(konto.pk)
    konto.refresh_from_db()
    assert konto.check_password(LOSENORD)
    assert (
        audit_entries_for(konto)
        .filter(kommentar="Inbjudan accepterad: lösenordet är valt.", user=konto)
        .exists()
    )
    # Logged in as the förbund's verksamhetsutvecklare: the månadsöversikt with its insats.
    assert insats.namn in client.get("/", follow=True).content.decode()
    # The link is dead now.
    client.logout()
    igen = client.get(lank, follow=True)
    assert "Länken gäller inte längre" in igen.content.decode()
    assert "new_password1" not in igen.content.decode()


def test_en_gammal_lank_galler_inte(client, forbund, monkeypatch):
    konto = factories.UserFactory(forbund=forbund, roll=Roll.VERKSAMHETSUTVECKLARE)
    konto.set_unusable_password()
    konto.save()
    uid = urlsafe_base64_encode(force_bytes(konto.pk))
    nu = dt.datetime.now()

    def token_fran(dagar: int) -> str:
        # A token made `dagar` days ago (the generator reads the time through `_now`).
        with monkeypatch.context() as m:
            m.setattr(default_token_generator, "_now", lambda: nu - dt.timedelta(days=dagar))
            return default_token_generator.make_token(konto)

    svar = client.get(reverse("inbjudan", args=[uid, token_fran(8)]))
    assert svar.status_code == 200
    assert "Länken gäller inte längre" in svar.content.decode()
    # Six days old still works: PASSWORD_RESET_TIMEOUT is a week.
    assert client.get(reverse("inbjudan", args=[uid, token_fran(6)])).status_code == 302


def test_avstangt_konto_kan_inte_anvanda_lanken(client, systemadministrator, forbund):
    client.force_login(systemadministrator)
    bjud_in(client, forbund)
    User.objects.filter(email="anna.vu@ssv.se").update(is_active=False)
    client.logout()
    svar = client.get(lanken(mail.outbox[0]))
    assert "Länken gäller inte längre" in svar.content.decode()


def test_losenordet_provas_av_djangos_regler(client, systemadministrator, forbund):
    client.force_login(systemadministrator)
    bjud_in(client, forbund)
    client.logout()
    svar = valj_losenord(client, lanken(mail.outbox[0]), losenord="123")
    assert svar.status_code == 200
    assert "Något behöver rättas" in svar.content.decode()
    assert not User.objects.get(email="anna.vu@ssv.se").has_usable_password()


def test_med_sso_sager_brevet_att_logga_in_med_organisationens_konto(
    client, systemadministrator, forbund, settings
):
    settings.FINSAM_OIDC_AKTIV = True
    settings.FINSAM_OIDC_NAMN = "ditt konto i Region Jönköpings län"
    client.force_login(systemadministrator)
    bjud_in(client, forbund)
    [brev] = mail.outbox
    assert "Logga in med ditt konto i Region Jönköpings län" in brev.body
    assert "/konton/inbjudan/" not in brev.body
    assert "/logga-in/" in brev.body


def test_skicka_igen_ger_ny_lank_tills_inbjudan_ar_accepterad(client, systemadministrator, forbund):
    client.force_login(systemadministrator)
    bjud_in(client, forbund)
    konto = User.objects.get(email="anna.vu@ssv.se")
    adress = reverse("system:skicka_igen", args=[forbund.pk, konto.pk])
    assert client.post(adress).status_code == 302
    assert len(mail.outbox) == 2
    assert (
        audit_entries_for(konto)
        .filter(kommentar="Inbjudan skickad igen.", user=systemadministrator)
        .exists()
    )
    client.logout()
    valj_losenord(client, lanken(mail.outbox[1]))
    client.force_login(systemadministrator)
    svar = client.post(adress, follow=True)
    assert "har redan loggat in eller valt lösenord" in svar.content.decode()
    assert len(mail.outbox) == 2


def test_utan_post_inget_konto(client, systemadministrator, forbund, settings):
    settings.EMAIL_BACKEND = "tests.system.test_inbjudan.TrasigPost"
    client.force_login(systemadministrator)
    svar = bjud_in(client, forbund)
    assert svar.status_code == 200
    assert "Brevet kunde inte skickas" in svar.content.decode()
    assert not User.objects.filter(email="anna.vu@ssv.se").exists()


def test_upptagen_adress_sags_vid_faltet(client, systemadministrator, forbund, utomstaende):
    utomstaende.email = "anna.vu@ssv.se"
    utomstaende.save()
    client.force_login(systemadministrator)
    svar = bjud_in(client, forbund)
    assert re.search(
        r'id="id_epost-fel1">Det finns redan ett konto med e-postadressen', svar.content.decode()
    )
    assert mail.outbox == []


def test_kommandot_skapar_systemadministratoren_med_lank(client):
    ut = io.StringIO()
    call_command("skapa_systemadministrator", "drift", "drift@region.se", stdout=ut)
    konto = User.objects.get(username="drift")
    assert konto.forbund is None and not konto.is_staff and not konto.is_superuser
    assert list(konto.groups.values_list("name", flat=True)) == [Roll.SYSTEMADMINISTRATOR]
    lank = re.search(r"/konton/inbjudan/\S+/", ut.getvalue())
    assert lank is not None
    assert valj_losenord(client, lank[0])["Location"] == reverse("start")
    assert client.get("/")["Location"] == reverse("system:index")
    with pytest.raises(CommandError, match="redan ett konto"):
        call_command("skapa_systemadministrator", "drift2", "drift@region.se", stdout=ut)


def test_kommandot_laser_losenordet_fran_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{LOSENORD}\n"))
    call_command(
        "skapa_systemadministrator",
        "drift",
        "drift@region.se",
        "--losenord-fran-stdin",
        stdout=io.StringIO(),
    )
    assert User.objects.get(username="drift").check_password(LOSENORD)
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    with pytest.raises(CommandError):
        call_command(
            "skapa_systemadministrator",
            "drift3",
            "d3@region.se",
            "--losenord-fran-stdin",
            stdout=io.StringIO(),
        )
    assert not User.objects.filter(username="drift3").exists()


def test_ett_forbund_med_en_verksamhetsutvecklare_som_tackat_ja_bjuder_in_sjalv(
    client, systemadministrator, forbund, verksamhetsutvecklare
):
    """The systemadministratör invites a förbund's first verksamhetsutvecklare, not more: once
    one has accepted (and is active), the installation's role gets no further way into the
    förbund's figures; the förbund's kansli invites its own users."""
    client.force_login(systemadministrator)
    svar = bjud_in(client, forbund)
    assert svar.status_code == 200
    assert re.search(
        r'id="id_epost-fel1">Förbundet har redan en verksamhetsutvecklare som har tackat ja',
        svar.content.decode(),
    )
    assert not User.objects.filter(email="anna.vu@ssv.se").exists()
    assert mail.outbox == []

    # When that verksamhetsutvecklare leaves (switched off), a new first one can be invited.
    verksamhetsutvecklare.is_active = False
    verksamhetsutvecklare.save()
    assert bjud_in(client, forbund).status_code == 302
    assert User.objects.filter(email="anna.vu@ssv.se", forbund=forbund).exists()
