"""Two-factor login (registrering.tvasteg): who is asked for a code after the password, setting
up a device with the QR code's key, wrong codes (refused, throttled, audited), OpenID Connect
logins, and the kansli's reset of a lost phone."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from registrering import tvasteg
from registrering.models import AuditEntry, User
from registrering.permissions import Roll
from tests import factories

LOSENORD = "lösenord-för-test"
LOGIN = "/logga-in/"
VERIFIERA = "/konton/tvasteg/verifiera/"
AKTIVERA = "/konton/tvasteg/aktivera/"
EGEN = "/konton/tvasteg/"
FORBUNDET = "/konton/tvasteg/forbundet/"
KRAVS = ["verksamhetsutvecklare", "förbundschef"]
Action = AuditEntry.Action


class OidcBackend(OIDCAuthenticationBackend):
    """A subclass of the OIDC backend, as finsam's own would be."""


@pytest.fixture(autouse=True)
def kravs(settings):
    settings.FINSAM_TVASTEG_KRAVS = KRAVS


def logga_in(client: Client, username: str, next: str = ""):
    adress = f"{LOGIN}?next={quote(next)}" if next else LOGIN
    return client.post(adress, {"username": username, "password": LOSENORD, "next": next})


def kod(nyckel: str, steg: int = 0) -> str:
    """The code an app shows now (or `steg` time steps later) for the hex key."""
    return f"{totp(bytes.fromhex(nyckel), drift=steg):06d}"


def enhet(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Finsam uppföljning", key=random_hex(20))


def inloggad_med_kod(client: Client, user: User) -> None:
    """Logged in with password and code, as a required role is."""
    device = enhet(user)
    logga_in(client, user.username)
    assert client.post(VERIFIERA, {"kod": kod(device.key)}).url == "/"


def handelser(user: User) -> list[str]:
    rader = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).order_by("id")
    return [r.action for r in rader]


def fel_koder(user: User) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(action=Action.TVASTEG_FEL, object_id=str(user.pk)).order_by("id")
    )


# --- Who is asked ----------------------------------------------------------------------------


def test_krävd_roll_utan_enhet_tvingas_aktivera(client, verksamhetsutvecklare):
    svar = logga_in(client, "vu", next="/registrering/2026/")
    assert (svar.status_code, svar.url) == (302, "/registrering/2026/")
    svar = client.get("/registrering/2026/")
    assert (svar.status_code, svar.url) == (302, f"{AKTIVERA}?next=%2Fregistrering%2F2026%2F")
    # Every other page, the admin and the login page lead back to the step; a POST too.
    for adress in ("/", "/admin/", "/admin/registrering/insats/", EGEN, FORBUNDET, LOGIN):
        svar = client.get(adress)
        assert svar.status_code == 302 and svar.url.startswith(AKTIVERA), adress
    assert client.post("/registrering/2026/").url == AKTIVERA
    sida = client.get(AKTIVERA)
    assert sida.status_code == 200
    text = sida.content.decode()
    assert "Din roll kräver tvåstegsverifiering" in text
    assert 'src="data:image/svg+xml' in text
    assert 'autocomplete="one-time-code"' in text and 'inputmode="numeric"' in text
    assert "Månadsöversikt" not in text  # no menu before the step is done
    # Logging out is open.
    assert client.post("/logga-ut/").url == LOGIN


def test_aktivering_med_kod_från_nyckeln(client, forbundschef):
    logga_in(client, "chef", next="/registrering/2026/")
    sida = client.get(f"{AKTIVERA}?next=/registrering/2026/")
    nyckel = client.session[tvasteg.NYCKEL_SESSION]
    # The key typed by hand is the QR code's: base32 in groups of four.
    assert tvasteg.hemlighet(nyckel) in sida.content.decode()
    assert len(tvasteg.hemlighet(nyckel).split(" ")[0]) == 4

    fel = client.post(AKTIVERA, {"kod": "000000" if kod(nyckel) != "000000" else "111111"})
    assert fel.status_code == 200
    assert "Koden stämmer inte" in fel.content.decode()
    assert not TOTPDevice.objects.filter(user=forbundschef).exists()

    svar = client.post(AKTIVERA, {"kod": kod(nyckel), "next": "/registrering/2026/"})
    assert (svar.status_code, svar.url) == (302, "/registrering/2026/")
    device = TOTPDevice.objects.get(user=forbundschef)
    assert device.confirmed and device.key == nyckel
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert tvasteg.STEG_SESSION not in client.session
    assert client.get("/registrering/2026/").status_code == 200
    assert handelser(forbundschef) == [
        Action.INLOGGAD,
        Action.TVASTEG_FEL,
        Action.TVASTEG_AKTIVERAT,
    ]

    # The next login asks for the code of that device.
    client.post("/logga-ut/")
    logga_in(client, "chef")
    assert client.get("/").url.startswith(VERIFIERA)


def test_enhet_ger_kodsidan_och_rätt_kod_släpper_in(client, verksamhetsutvecklare):
    device = enhet(verksamhetsutvecklare)
    logga_in(client, "vu", next="/mal/")
    svar = client.get("/mal/")
    assert (svar.status_code, svar.url) == (302, f"{VERIFIERA}?next=%2Fmal%2F")
    sida = client.get(svar.url)
    assert "Skriv koden från appen" in sida.content.decode()
    assert client.get(AKTIVERA).url.startswith(VERIFIERA)  # the step is the code, not a new one

    sessionsnyckel = client.session.session_key
    svar = client.post(VERIFIERA, {"kod": kod(device.key), "next": "/mal/"})
    assert (svar.status_code, svar.url) == (302, "/mal/")
    assert client.session.session_key != sessionsnyckel  # a new session key after the step
    assert client.get("/mal/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert handelser(verksamhetsutvecklare)[-1] == Action.TVASTEG_OK
    # The same code cannot be used twice (another login within the same 30 seconds).
    client.post("/logga-ut/")
    logga_in(client, "vu")
    svar = client.post(VERIFIERA, {"kod": kod(device.key)})
    assert "Koden stämmer inte" in svar.content.decode()


def test_nästa_adress_utanför_appen_används_inte(client, verksamhetsutvecklare):
    device = enhet(verksamhetsutvecklare)
    logga_in(client, "vu")
    svar = client.post(VERIFIERA, {"kod": kod(device.key), "next": "https://ond.example/"})
    assert svar.url == "/"


def test_fel_kod_nekas_med_meddelande_och_loggas(client, verksamhetsutvecklare):
    device = enhet(verksamhetsutvecklare)
    logga_in(client, "vu")
    fel = str((int(kod(device.key)) + 500_000) % 1_000_000).zfill(6)
    svar = client.post(VERIFIERA, {"kod": fel})
    assert svar.status_code == 200
    text = svar.content.decode()
    assert "Koden stämmer inte" in text and 'role="alert"' in text
    assert 'aria-invalid="true"' in text
    assert client.get("/").url.startswith(VERIFIERA)  # still not in
    [rad] = fel_koder(verksamhetsutvecklare)
    assert (rad.user, rad.forbund_id) == (verksamhetsutvecklare, verksamhetsutvecklare.forbund_id)
    assert rad.kommentar == "Fel kod vid inloggning (1 i följd)."
    assert fel not in f"{rad.object_repr} {rad.kommentar} {rad.changes}"
    # Not six digits: the form says so, no code is tried and nothing is throttled.
    svar = client.post(VERIFIERA, {"kod": "12a45"})
    assert "Skriv de sex siffrorna" in svar.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_fel_koder_stryps(client, verksamhetsutvecklare):
    device = enhet(verksamhetsutvecklare)
    logga_in(client, "vu")
    ratt = kod(device.key)
    fel = str((int(ratt) + 1) % 1_000_000).zfill(6)
    assert client.post(VERIFIERA, {"kod": fel}).status_code == 200
    # Straight after a wrong code even the right one is not tried.
    svar = client.post(VERIFIERA, {"kod": ratt})
    assert svar.status_code == 429
    assert "För många felaktiga koder i följd. Vänta 1 sekunder" in svar.content.decode()
    assert client.get("/").url.startswith(VERIFIERA)
    assert [r.kommentar for r in fel_koder(verksamhetsutvecklare)] == [
        "Fel kod vid inloggning (1 i följd).",
        "Koden prövades inte: för många felaktiga koder i följd.",
    ]
    # Three wrong codes in a row: four seconds to wait.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    assert "Vänta 4 sekunder" in client.post(VERIFIERA, {"kod": ratt}).content.decode()
    # When the wait is over, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=5)
    )
    svar = client.post(VERIFIERA, {"kod": ratt})
    assert (svar.status_code, svar.url) == (302, "/")
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@pytest.mark.parametrize("persona", ["insatsansvarig", "styrelse"])
def test_roll_som_inte_krävs_loggar_in_direkt(request, client, persona):
    user = request.getfixturevalue(persona)
    svar = logga_in(client, user.username)
    assert svar.status_code == 302
    assert client.get(svar.url, follow=True).status_code == 200
    assert tvasteg.STEG_SESSION not in client.session
    assert client.get(EGEN).status_code == 200


def test_frivillig_tvåsteg_för_roll_som_inte_krävs(client, insatsansvarig):
    client.force_login(insatsansvarig)
    sida = client.get(EGEN).content.decode()
    assert "Tvåstegsverifiering är <strong>av</strong>" in sida
    sida = client.get(AKTIVERA).content.decode()
    assert "Din roll kräver" not in sida
    nyckel = client.session[tvasteg.NYCKEL_SESSION]
    svar = client.post(AKTIVERA, {"kod": kod(nyckel)})
    assert svar.url == EGEN
    assert "Tvåstegsverifiering är aktiverad" in client.get(EGEN).content.decode()
    assert client.get(AKTIVERA).url == EGEN  # already on
    # Asked at the next login; then turned off again by the account itself.
    client.post("/logga-ut/")
    logga_in(client, "ansvarig")
    assert client.get("/").url.startswith(VERIFIERA)
    device = TOTPDevice.objects.get(user=insatsansvarig)
    client.post(VERIFIERA, {"kod": kod(device.key, steg=1)})
    assert client.post("/konton/tvasteg/ta-bort/").url == EGEN
    assert not TOTPDevice.objects.filter(user=insatsansvarig).exists()
    rad = AuditEntry.objects.filter(action=Action.TVASTEG_BORTTAGET).get()
    assert (rad.user, rad.kommentar) == (insatsansvarig, "Borttagen av kontot självt.")
    client.post("/logga-ut/")
    logga_in(client, "ansvarig")
    assert tvasteg.STEG_SESSION not in client.session


def test_krävd_roll_kan_inte_stänga_av_själv(client, verksamhetsutvecklare):
    device = enhet(verksamhetsutvecklare)
    logga_in(client, "vu")
    client.post(VERIFIERA, {"kod": kod(device.key)})
    assert "kan inte stängas av" in client.get(EGEN).content.decode()
    svar = client.post("/konton/tvasteg/ta-bort/", follow=True)
    assert "Din roll kräver tvåstegsverifiering" in svar.content.decode()
    assert TOTPDevice.objects.filter(user=verksamhetsutvecklare).exists()
    assert not AuditEntry.objects.filter(action=Action.TVASTEG_BORTTAGET).exists()


@pytest.mark.parametrize(
    "backend", ["mozilla_django_oidc.auth.OIDCAuthenticationBackend", f"{__name__}.OidcBackend"]
)
def test_oidc_inloggad_tillfrågas_inte(client, settings, verksamhetsutvecklare, backend):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_RP_CLIENT_ID = "finsam"
    settings.OIDC_RP_CLIENT_SECRET = "hemligt"
    enhet(verksamhetsutvecklare)  # even with a device: the identity provider answers for it
    client.force_login(verksamhetsutvecklare, backend=backend)
    assert client.session[BACKEND_SESSION_KEY] == backend
    assert tvasteg.STEG_SESSION not in client.session
    assert client.get("/registrering/2026/").status_code == 200
    # The same account with its password is asked.
    assert (
        tvasteg.steg_efter_inloggning(
            verksamhetsutvecklare, backend="django.contrib.auth.backends.ModelBackend"
        )
        == tvasteg.VERIFIERA
    )


def test_inställningen_av_frågar_ingen_utan_enhet(
    client, settings, verksamhetsutvecklare, forbundschef
):
    settings.FINSAM_TVASTEG_KRAVS = []
    for namn in ("vu", "chef"):
        klient = Client()
        assert logga_in(klient, namn).status_code == 302
        assert tvasteg.STEG_SESSION not in klient.session
        assert klient.get("/registrering/2026/").status_code == 200
    # An account that turned it on itself is still asked: the setting is about requiring it.
    enhet(verksamhetsutvecklare)
    logga_in(client, "vu")
    assert client.get("/").url.startswith(VERIFIERA)


def test_inställningen_läses_ur_miljön(monkeypatch):
    import importlib

    import finsam.settings as finsam_settings

    try:
        monkeypatch.delenv("FINSAM_TVASTEG_KRAVS", raising=False)
        assert importlib.reload(finsam_settings).FINSAM_TVASTEG_KRAVS == KRAVS
        monkeypatch.setenv("FINSAM_TVASTEG_KRAVS", "")
        assert importlib.reload(finsam_settings).FINSAM_TVASTEG_KRAVS == []
        monkeypatch.setenv("FINSAM_TVASTEG_KRAVS", "förbundschef")
        assert importlib.reload(finsam_settings).FINSAM_TVASTEG_KRAVS == ["förbundschef"]
    finally:
        monkeypatch.undo()
        importlib.reload(finsam_settings)


def test_okänd_roll_i_inställningen_är_ett_fel(settings):
    settings.FINSAM_TVASTEG_KRAVS = ["verksamhetsutvecklare", "kassör"]
    fel = [m for m in checks.run_checks() if m.id == "finsam.E010"]
    assert len(fel) == 1 and "kassör" in fel[0].msg


# --- The lost phone: the kansli resets --------------------------------------------------------


def test_verksamhetsutvecklaren_återställer_i_sitt_förbund(
    client, verksamhetsutvecklare, forbundschef, insatsansvarig
):
    device = enhet(forbundschef)
    inloggad_med_kod(client, verksamhetsutvecklare)
    sida = client.get(FORBUNDET)
    assert sida.status_code == 200
    text = sida.content.decode()
    assert "Återställ för chef" in text and "Återställ för ansvarig" not in text
    assert "utomstaende" not in text

    svar = client.post(reverse("tvasteg_aterstall", args=[forbundschef.pk]))
    assert svar.url == FORBUNDET
    meddelande = client.get(FORBUNDET).content.decode()
    assert "Tvåstegsverifieringen för chef är återställd" in meddelande
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    rad = AuditEntry.objects.filter(action=Action.TVASTEG_BORTTAGET).get()
    assert (rad.user, rad.object_id, rad.kommentar, rad.forbund_id) == (
        verksamhetsutvecklare,
        str(forbundschef.pk),
        "Återställd av vu.",
        forbundschef.forbund_id,
    )
    # The förbundschef logs in with the password and sets up the new phone.
    chef = Client()
    logga_in(chef, "chef")
    assert chef.get("/").url.startswith(AKTIVERA)


def test_återställning_medan_koden_väntar(client, forbundschef, verksamhetsutvecklare):
    enhet(forbundschef)
    logga_in(client, "chef")
    tvasteg.tvasteg_ta_bort(konto=forbundschef, user=verksamhetsutvecklare)
    svar = client.post(VERIFIERA, {"kod": "123456"})
    assert svar.url == AKTIVERA


def test_annat_förbunds_verksamhetsutvecklare_kan_inte_återställa(
    client, forbundschef, utomstaende
):
    enhet(forbundschef)
    inloggad_med_kod(client, utomstaende)
    sida = client.get(FORBUNDET)
    assert sida.status_code == 200
    assert "utomstaende" in sida.content.decode() and "chef" not in sida.content.decode()
    assert client.post(reverse("tvasteg_aterstall", args=[forbundschef.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=forbundschef).exists()
    with pytest.raises(PermissionDenied):
        tvasteg.tvasteg_ta_bort(konto=forbundschef, user=utomstaende)
    assert not AuditEntry.objects.filter(action=Action.TVASTEG_BORTTAGET).exists()


@pytest.mark.parametrize("persona", ["insatsansvarig", "styrelse"])
def test_andra_roller_kan_inte_återställa(request, client, persona, forbundschef):
    enhet(forbundschef)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(FORBUNDET).status_code == 403
    assert client.post(reverse("tvasteg_aterstall", args=[forbundschef.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=forbundschef).exists()


def test_kontolistan_i_konstant_antal_frågor(
    client, forbund, verksamhetsutvecklare, django_assert_max_num_queries
):
    for i in range(10):
        enhet(factories.UserFactory(username=f"konto{i}", forbund=forbund, roll=Roll.STYRELSE))
    with django_assert_max_num_queries(3):
        konton = tvasteg.konton_i_forbundet(forbund=forbund)
    assert len(konton) == 11
    assert [k.kravs for k in konton if k.konto.username == "vu"] == [True]


def test_koden_tas_med_mellanslag(client, verksamhetsutvecklare):
    device = enhet(verksamhetsutvecklare)
    logga_in(client, "vu")
    ratt = kod(device.key)
    svar = client.post(VERIFIERA, {"kod": f"{ratt[:3]} {ratt[3:]}"})
    assert svar.url == "/"


def test_klockan_får_gå_ett_steg_fel(verksamhetsutvecklare):
    device = enhet(verksamhetsutvecklare)
    # django-otp's default tolerance: one time step either way.
    assert tvasteg.tvasteg_verifiera(user=verksamhetsutvecklare, kod=kod(device.key, steg=-1)).enhet
