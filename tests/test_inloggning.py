"""Login protection (django-axes) and the login events in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from finsam import sessionsfornyelse
from finsam import settings as finsam_settings
from registrering.models import AuditEntry, User
from registrering.permissions import Roll
from tests import factories

LOSENORD = "lösenord-för-test"
LOGIN = "/logga-in/"
Action = AuditEntry.Action


def logga_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def spärra(client: Client, username: str, ip: str = "10.0.0.1") -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        svar = logga_in(client, username, "fel-lösenord", ip)
    assert svar.status_code == 429


def handelser(**filter: object) -> list[tuple[str, str, int | None]]:
    rader = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), **filter
    ).order_by("id")
    return [(r.action, r.object_repr, r.user_id) for r in rader]


def test_installningarna():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    # Renewed every few minutes by finsam.sessionsfornyelse, not written on every request.
    assert finsam_settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.FINSAM_SESSION_FORNYA_MINUTER == 5
    assert "finsam.sessionsfornyelse.SessionsfornyelseMiddleware" in settings.MIDDLEWARE


def test_fem_fel_spärrar_även_rätt_lösenord_med_svensk_text(client, verksamhetsutvecklare):
    for _ in range(4):
        svar = logga_in(client, "vu", "fel-lösenord")
        assert svar.status_code == 200
        assert "Ange korrekt" in svar.content.decode() or svar.context["form"].errors
    svar = logga_in(client, "vu", "fel-lösenord")
    assert svar.status_code == 429
    svar = logga_in(client, "vu", LOSENORD)
    assert svar.status_code == 429
    text = svar.content.decode()
    assert "Inloggningen är spärrad" in text
    assert "efter 5 misslyckade försök" in text
    assert "i 15 minuter" in text
    assert "verksamhetsutvecklare att häva spärren" in text
    assert "_auth_user_id" not in client.session


def test_spärren_gäller_bara_kontot_från_adressen(client, verksamhetsutvecklare, forbundschef):
    spärra(client, "vu", ip="10.0.0.1")
    # The same account from another address, and another account from the same address.
    assert logga_in(Client(), "vu", LOSENORD, ip="10.0.0.2").status_code == 302
    assert logga_in(Client(), "chef", LOSENORD, ip="10.0.0.1").status_code == 302
    assert logga_in(Client(), "vu", LOSENORD, ip="10.0.0.1").status_code == 429


def test_spärren_släpper_efter_väntetiden(client, verksamhetsutvecklare):
    spärra(client, "vu")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert logga_in(client, "vu", LOSENORD).status_code == 302


def test_ett_lyckat_försök_nollställer_räkningen(client, verksamhetsutvecklare):
    for _ in range(4):
        logga_in(client, "vu", "fel-lösenord")
    assert logga_in(client, "vu", LOSENORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert logga_in(client, "vu", "fel-lösenord").status_code == 200


def test_adressen_bakom_proxy():
    rf = RequestFactory()
    request = rf.post(LOGIN, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.2.69.160")
    assert get_client_ip_address(request) == "10.9.9.9"
    # BEHIND_PROXY=1 with one proxy (PROXY_ANTAL=1), as finsam/settings.py sets it.
    with override_settings(
        AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        AXES_IPWARE_PROXY_COUNT=0,
        IPWARE_STRICT=False,
    ):
        # The proxy appends the address it sees; what the client put before it is ignored.
        assert get_client_ip_address(request) == "81.2.69.160"
        utan_falsk = rf.post(LOGIN, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="81.2.69.160")
        assert get_client_ip_address(utan_falsk) == "81.2.69.160"


# --- Lifting a lockout ---------------------------------------------------------------------


def test_verksamhetsutvecklaren_ser_och_häver_spärren(
    client, verksamhetsutvecklare, insatsansvarig, utomstaende
):
    spärra(Client(), "ansvarig")
    spärra(Client(), "utomstaende")
    client.force_login(verksamhetsutvecklare)
    sida = client.get(reverse("sparrade_konton"))
    assert sida.status_code == 200
    text = sida.content.decode()
    assert "ansvarig" in text
    assert "utomstaende" not in text  # another förbund's account is not shown

    svar = client.post(reverse("hav_sparr", args=[insatsansvarig.pk]))
    assert svar.status_code == 302
    assert svar.url == reverse("sparrade_konton")
    assert "Spärren för ansvarig är hävd" in client.get(svar.url).content.decode()
    assert logga_in(Client(), "ansvarig", LOSENORD).status_code == 302
    rad = AuditEntry.objects.get(action=Action.AVSPARRAD)
    assert (rad.user, rad.object_id, rad.forbund_id) == (
        verksamhetsutvecklare,
        str(insatsansvarig.pk),
        insatsansvarig.forbund_id,
    )


def test_annat_förbunds_konto_kan_inte_hävas(client, verksamhetsutvecklare, utomstaende):
    spärra(Client(), "utomstaende")
    client.force_login(verksamhetsutvecklare)
    assert client.post(reverse("hav_sparr", args=[utomstaende.pk])).status_code == 404
    assert logga_in(Client(), "utomstaende", LOSENORD).status_code == 429
    assert not AuditEntry.objects.filter(action=Action.AVSPARRAD).exists()


@pytest.mark.parametrize("persona", ["insatsansvarig", "styrelse", "utomstaende"])
def test_andra_roller_och_förbund_kan_inte_häva(
    request, client, persona, verksamhetsutvecklare, insatsansvarig
):
    user = request.getfixturevalue(persona)
    spärra(Client(), "vu")
    client.force_login(user)
    svar = client.post(reverse("hav_sparr", args=[verksamhetsutvecklare.pk]))
    # The outsider is another förbund's verksamhetsutvecklare: our account is not theirs.
    assert svar.status_code == (404 if persona == "utomstaende" else 403)
    if persona != "utomstaende":
        assert client.get(reverse("sparrade_konton")).status_code == 403
    assert logga_in(Client(), "vu", LOSENORD).status_code == 429


def test_anonym_skickas_till_inloggningen(client, verksamhetsutvecklare):
    for svar in (
        client.get(reverse("sparrade_konton")),
        client.post(reverse("hav_sparr", args=[verksamhetsutvecklare.pk])),
    ):
        assert svar.status_code == 302
        assert svar.url.startswith("/logga-in/?next=")


# --- The audit log -------------------------------------------------------------------------


def test_inloggning_och_utloggning_loggas(client, verksamhetsutvecklare):
    assert logga_in(client, "vu", LOSENORD).status_code == 302
    assert client.post("/logga-ut/").status_code == 302
    vu = verksamhetsutvecklare
    assert handelser() == [(Action.INLOGGAD, "vu", vu.pk), (Action.UTLOGGAD, "vu", vu.pk)]
    assert set(AuditEntry.objects.values_list("forbund_id", flat=True)) == {vu.forbund_id}


def test_misslyckad_inloggning_och_spärr_loggas_utan_lösenord(client, verksamhetsutvecklare):
    spärra(client, "vu")
    logga_in(client, "vu", LOSENORD)
    rader = handelser()
    # The fifth wrong password locks (axes' receiver runs before ours), then is refused.
    fel = (Action.INLOGGNING_FEL, "vu", None)
    assert rader == [fel] * 4 + [(Action.SPARRAD, "vu", None), fel, fel]
    spärrad = AuditEntry.objects.filter(action=Action.INLOGGNING_FEL).order_by("id").last()
    assert spärrad is not None
    assert spärrad.kommentar == "Kontot var spärrat från den här adressen."
    assert spärrad.object_id == str(verksamhetsutvecklare.pk)
    for rad in AuditEntry.objects.all():
        sparat = f"{rad.object_repr} {rad.kommentar} {rad.changes}"
        assert "fel-lösenord" not in sparat
        assert LOSENORD not in sparat
        assert "10.0.0.1" not in sparat


def test_okänt_användarnamn_loggas_förkortat(client, db):
    assert logga_in(client, "x" * 400, "hemligt").status_code == 200
    rad = AuditEntry.objects.get()
    assert (rad.action, rad.object_repr, rad.object_id, rad.user_id, rad.forbund_id) == (
        Action.INLOGGNING_FEL,
        "x" * 150,
        "",
        None,
        None,
    )
    assert "hemligt" not in str(rad.changes) + rad.kommentar


def test_lösenordsbyte_loggas(forbund):
    user = factories.UserFactory(username="ny", forbund=forbund, roll=Roll.INSATSANSVARIG)
    assert handelser() == []  # the first password is no change
    user.set_password("ett-nytt-lösenord-2026")
    user.save()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    user.first_name = "Ny"
    user.save()
    assert handelser() == [(Action.LOSENORD_BYTT, "ny", None)]


def test_omhashning_vid_inloggning_ar_inget_losenordsbyte(client, forbund, settings):
    """After an upgrade of the password hasher Django saves a new hash of the same password at the
    next login: no "Lösenordet bytt" row for it."""
    from django.contrib.auth.hashers import make_password

    user = factories.UserFactory(username="gammal", forbund=forbund, roll=Roll.INSATSANSVARIG)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    User.objects.filter(pk=user.pk).update(
        password=make_password(LOSENORD, hasher="md5")  # the old hasher
    )
    assert logga_in(client, "gammal", LOSENORD).status_code == 302
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")  # re-hashed
    assert [h[0] for h in handelser()] == [Action.INLOGGAD]


def test_lösenordsbyte_i_admin_loggas(client, verksamhetsutvecklare):
    admin = User.objects.create_superuser("admin", "admin@example.se", LOSENORD)
    client.force_login(admin)
    svar = client.post(
        reverse("admin:auth_user_password_change", args=[verksamhetsutvecklare.pk]),
        {"password1": "Ett-helt-nytt-lösen-9", "password2": "Ett-helt-nytt-lösen-9"},
    )
    assert svar.status_code == 302
    assert (Action.LOSENORD_BYTT, "vu", None) in handelser()
    assert logga_in(Client(), "vu", "Ett-helt-nytt-lösen-9").status_code == 302


def _utgang(client: Client) -> dt.datetime:
    return Session.objects.get(pk=client.cookies["sessionid"].value).expire_date


def _sista_fornyelse(client: Client, minuter_sedan: int) -> None:
    session = client.session
    session[sessionsfornyelse.NYCKEL] = sessionsfornyelse.minut() - minuter_sedan
    session.save()


def test_sessionen_förlängs_med_några_minuters_mellanrum_och_går_ut(client, verksamhetsutvecklare):
    svar = logga_in(client, "vu", LOSENORD)
    assert svar.cookies["sessionid"]["max-age"] == 8 * 60 * 60
    # The login counts as a renewal: a request right after it writes nothing.
    Session.objects.filter(pk=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() + dt.timedelta(hours=1)
    )
    utgang = _utgang(client)
    svar = client.get("/registrering/")
    assert svar.status_code == 200
    assert "sessionid" not in svar.cookies
    assert _utgang(client) == utgang
    # Four minutes after the last renewal, still nothing; five minutes after, a request saves
    # the session: 8 hours from now again, in the database and in the cookie.
    _sista_fornyelse(client, 4)
    utgang = _utgang(client)
    assert "sessionid" not in client.get("/registrering/").cookies
    assert _utgang(client) == utgang
    _sista_fornyelse(client, 5)
    Session.objects.filter(pk=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() + dt.timedelta(hours=1)
    )
    svar = client.get("/registrering/")
    assert svar.cookies["sessionid"]["max-age"] == 8 * 60 * 60
    assert _utgang(client) > timezone.now() + dt.timedelta(hours=7, minutes=59)
    assert client.session[sessionsfornyelse.NYCKEL] == sessionsfornyelse.minut()
    # A session unused for longer has expired: the next page asks for a login.
    session = client.session
    session.set_expiry(-1)
    session.save()
    svar = client.get("/registrering/")
    assert (svar.status_code, svar["Location"]) == (302, "/logga-in/?next=/registrering/")


def test_sessionsfornyelsen_skapar_ingen_session_utan_inloggning(client, db):
    """An anonymous visitor, or a cookie of a session that no longer exists, gets no session
    from the renewal."""
    assert client.get("/logga-in/").status_code == 200
    client.cookies["sessionid"] = "finns-inte"
    assert client.get("/logga-in/").status_code == 200
    assert Session.objects.count() == 0


def test_fornyas_efter_intervallet():
    assert sessionsfornyelse.fornyas(None, 100)
    assert sessionsfornyelse.fornyas("100", 100)  # not a minute: renewed
    assert not sessionsfornyelse.fornyas(100, 104)
    assert sessionsfornyelse.fornyas(100, 105)


def test_kontosidan_samlar_sparrar_och_tvasteg(
    client, forbund, verksamhetsutvecklare, forbundschef, insatsansvarig
):
    """/konton/ (in the kansli's menu) counts the förbund's lockouts and two-factor devices and
    leads to the pages that act on them; the insatsansvarig has neither the page nor the link."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=forbundschef, name="app", confirmed=True)
    client.force_login(verksamhetsutvecklare)
    sida = client.get(reverse("start"), follow=True).content.decode()
    assert f'href="{reverse("konton")}"' in sida
    svar = client.get(reverse("konton"))
    assert svar.status_code == 200
    assert svar.context["konton"] == 3
    assert svar.context["med_tvasteg"] == 1
    assert svar.context["sparrade"] == 0
    text = svar.content.decode()
    assert "1 av 3 konton har tvåstegsverifiering." in text
    assert "Inget konto är spärrat just nu." in text
    assert f'href="{reverse("sparrade_konton")}"' in text
    assert f'href="{reverse("tvasteg_forbundet")}"' in text

    client.force_login(insatsansvarig)
    assert client.get(reverse("konton")).status_code == 403
    assert (
        f'href="{reverse("konton")}"'
        not in client.get(reverse("start"), follow=True).content.decode()
    )


def test_en_adress_som_provar_manga_konton_sparras(
    client, forbund, verksamhetsutvecklare, settings
):
    """Password spraying: a few passwords on each of many accounts never locks one account, but
    the address is refused after FINSAM_INLOGGNING_FORSOK_PER_ADRESS wrong passwords — also for
    the right password of an account it had not tried. Another address still gets in."""
    from django.core.cache import cache

    cache.clear()
    settings.FINSAM_INLOGGNING_FORSOK_PER_ADRESS = 6
    for n in range(6):
        factories.UserFactory(username=f"konto{n}", forbund=forbund, roll=Roll.STYRELSE)
        assert logga_in(client, f"konto{n}", "fel-lösenord").status_code == 200
    svar = logga_in(client, "vu", LOSENORD)
    assert svar.status_code == 429
    assert "För många felaktiga lösenord från den här adressen" in svar.content.decode()
    assert "_auth_user_id" not in client.session
    assert logga_in(Client(), "vu", LOSENORD, ip="10.0.0.99").status_code == 302
