"""Single sign-on with OpenID Connect against a real provider (django-oidc-provider in its own
process, tests/oidc_leverantor/), and the login page's doors with and without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, override_settings

from registrering.models import AuditEntry, User
from registrering.permissions import Roll, roller
from tests import factories
from tests.oidc_leverantor.fixtur import (
    ROOT,
    Leverantor,
    logga_in_via_leverantoren,
    oidc_pa,
    starta_leverantor,
)

Action = AuditEntry.Action
OVERSIKT = "/registrering/2026/"
KNAPP = "Logga in med organisationens konto"
# The live server's tests commit; serialized rollback puts back what the migrations wrote, and
# their flush then leaves the tables empty for the next test that restores (see tests/conftest.py).
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def kontohandelser() -> list[tuple[str, str, str]]:
    rader = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User)
    ).order_by("id")
    return [(r.action, r.object_repr, r.kommentar) for r in rader]


def session_i_appen(webblasare) -> SessionStore | None:  # type: ignore[no-untyped-def]
    nyckel = webblasare.cookies.get(settings.SESSION_COOKIE_NAME)
    if not nyckel:
        return None
    session = SessionStore(session_key=nyckel)
    return session if session.exists(nyckel) else None


@pytest.fixture(scope="session")
def oidc_leverantor(live_server, tmp_path_factory) -> Iterator[Leverantor]:
    yield from starta_leverantor(live_server.url, tmp_path_factory.mktemp("oidc_leverantor"))


@pytest.fixture
def anna(forbund):
    """The verksamhetsutvecklare whom the provider knows as Anna.Andersson@Testbygden.SE."""
    return factories.UserFactory(
        username="anna",
        email="anna.andersson@testbygden.se",
        forbund=forbund,
        roll=Roll.VERKSAMHETSUTVECKLARE,
        is_staff=True,
    )


# --- The round trip through the provider ------------------------------------------------------


@LIVE
def test_inloggning_via_leverantoren_hela_vagen(live_server, oidc_leverantor: Leverantor, anna):
    # Two-factor login is required of the role, but not of one the provider logged in.
    with oidc_pa(oidc_leverantor, FINSAM_TVASTEG_KRAVS=[str(Roll.VERKSAMHETSUTVECKLARE)]):
        webblasare, svar = logga_in_via_leverantoren(live_server.url, "anna", nasta=OVERSIKT)
        assert svar.status_code == 200
        assert svar.url == f"{live_server.url}{OVERSIKT}"
        assert "Månadsöversikt 2026" in svar.text
        # A page behind the permission check answers the same session again.
        assert webblasare.get(f"{live_server.url}{OVERSIKT}", timeout=30).status_code == 200

    session = session_i_appen(webblasare)
    assert session is not None
    assert session.get(BACKEND_SESSION_KEY) == "registrering.oidc.OidcBackend"
    assert session.get("_auth_user_id") == str(anna.pk)
    assert kontohandelser() == [
        (Action.INLOGGAD, "anna", "Med OpenID Connect (organisationens konto).")
    ]
    # No role mapping configured: the provider's groups change nothing.
    anna.refresh_from_db()
    assert roller(anna) == {Roll.VERKSAMHETSUTVECKLARE}
    assert AccessAttempt.objects.count() == 0


@LIVE
def test_inget_konto_med_adressen_nekas_och_loggas(live_server, oidc_leverantor, anna, forbund):
    # An inactive account with the address does not count.
    factories.UserFactory(
        username="olle", email="okand@example.se", forbund=forbund, is_active=False
    )
    with oidc_pa(oidc_leverantor):
        webblasare, svar = logga_in_via_leverantoren(live_server.url, "okand", nasta=OVERSIKT)
        assert svar.url == f"{live_server.url}/logga-in/"
        assert "Det finns inget konto i Finsam uppföljning för okand@example.se" in svar.text
        assert KNAPP in svar.text
        sida = webblasare.get(f"{live_server.url}{OVERSIKT}", timeout=30, allow_redirects=False)
        assert sida.status_code == 302
        assert sida.headers["Location"].startswith("/logga-in/")

    session = session_i_appen(webblasare)
    assert session is None or "_auth_user_id" not in session
    assert kontohandelser() == [
        (
            Action.INLOGGNING_FEL,
            "okand@example.se",
            "OpenID Connect: inget aktivt konto med email okand@example.se.",
        )
    ]
    assert not User.objects.filter(email__iexact="okand@example.se", is_active=True).exists()
    assert AccessAttempt.objects.count() == 0  # the provider's refusals lock nobody out


@LIVE
def test_obekraftad_epost_nekas_fast_kontot_finns(live_server, oidc_leverantor, forbund):
    """A provider that says email_verified false does not vouch for the address: someone could
    have typed a colleague's address into a self-service account. Refused, and logged."""
    factories.UserFactory(username="vu2", email="obekraftad@testbygden.se", forbund=forbund)
    with oidc_pa(oidc_leverantor):
        webblasare, svar = logga_in_via_leverantoren(live_server.url, "obekraftad", nasta=OVERSIKT)
        assert svar.url == f"{live_server.url}/logga-in/"
        assert "har inte bekräftat att e-postadressen obekraftad@testbygden.se" in svar.text
    session = session_i_appen(webblasare)
    assert session is None or "_auth_user_id" not in session
    assert kontohandelser() == [
        (
            Action.INLOGGNING_FEL,
            "obekraftad@testbygden.se",
            "OpenID Connect: e-postadressen var inte bekräftad (email_verified).",
        )
    ]


@pytest.mark.parametrize(
    ("claims", "krav", "godtas"),
    [
        ({"email_verified": True}, True, True),
        ({"email_verified": "true"}, True, True),
        ({"email_verified": False}, False, False),
        ({"email_verified": "false"}, False, False),
        ({}, False, True),
        ({}, True, False),
    ],
)
def test_bekraftad_epost(settings, claims, krav, godtas):
    from registrering.oidc import epost_bekraftad

    settings.FINSAM_OIDC_KRAV_BEKRAFTAD_EPOST = krav
    assert epost_bekraftad(claims) is godtas


@LIVE
def test_två_konton_med_samma_adress_nekas(live_server, oidc_leverantor, forbund):
    for namn in ("dubbel1", "dubbel2"):
        factories.UserFactory(username=namn, email="Dubbel@testbygden.se", forbund=forbund)
    with oidc_pa(oidc_leverantor):
        webblasare, svar = logga_in_via_leverantoren(live_server.url, "dubbel")
    assert svar.url == f"{live_server.url}/logga-in/"
    assert "Flera konton i Finsam uppföljning har email dubbel@testbygden.se" in svar.text
    assert session_i_appen(webblasare) is None or "_auth_user_id" not in session_i_appen(webblasare)
    assert [h[0] for h in kontohandelser()] == [Action.INLOGGNING_FEL]


@LIVE
def test_nej_till_samtycke_ger_meddelande(live_server, oidc_leverantor, anna):
    with oidc_pa(oidc_leverantor):
        _, svar = logga_in_via_leverantoren(live_server.url, "anna", samtycke=False)
    assert svar.url.startswith(f"{live_server.url}/logga-in/")
    assert "Inloggningen med organisationens konto avbröts eller misslyckades" in svar.text
    assert kontohandelser() == []


@LIVE
def test_matchning_på_annat_anspråk_än_epost(live_server, oidc_leverantor, forbund):
    # preferred_username (the provider's username) against the app's username.
    konto = factories.UserFactory(username="Chef", email="", forbund=forbund, roll=Roll.STYRELSE)
    with oidc_pa(oidc_leverantor, FINSAM_OIDC_MATCHNING="preferred_username"):
        webblasare, svar = logga_in_via_leverantoren(live_server.url, "chef")
    assert svar.status_code == 200
    assert session_i_appen(webblasare).get("_auth_user_id") == str(konto.pk)


@LIVE
def test_roller_från_leverantören_när_det_är_inställt(live_server, oidc_leverantor, forbund):
    konto = factories.UserFactory(
        username="chef", email="chef@testbygden.se", forbund=forbund, roll=Roll.STYRELSE
    )
    konto.groups.add(Group.objects.create(name="egen grupp"))
    with oidc_pa(
        oidc_leverantor,
        OIDC_RP_SCOPES="openid email profile groups",
        FINSAM_OIDC_ROLLER_CLAIM="groups",
        FINSAM_OIDC_ROLLER={"finsam-chef": "förbundschef", "finsam-vu": "verksamhetsutvecklare"},
    ):
        _, svar = logga_in_via_leverantoren(live_server.url, "chef", nasta=OVERSIKT)
        assert svar.url == f"{live_server.url}{OVERSIKT}"
        assert svar.status_code == 200

    konto = User.objects.get(pk=konto.pk)
    assert roller(konto) == {Roll.FORBUNDSCHEF, "egen grupp"}  # groups outside the roles stay
    assert konto.is_staff is True
    andrad = AuditEntry.objects.get(action=Action.ANDRAD, object_id=str(konto.pk))
    assert andrad.changes == {
        "roller": ["styrelse", "förbundschef"],
        "is_staff": [False, True],
    }
    assert andrad.kommentar == "Roller från OpenID Connect (groups)."


@LIVE
def test_nytt_konto_bara_när_det_är_inställt(live_server, oidc_leverantor, forbund):
    with oidc_pa(oidc_leverantor, OIDC_CREATE_USER=True, FINSAM_OIDC_FORBUND="STB"):
        webblasare, svar = logga_in_via_leverantoren(live_server.url, "okand")
    # Logged in, but no role yet: the start page says so.
    assert svar.status_code == 403
    assert "Ditt konto har ingen roll" in svar.text
    konto = User.objects.get(email="okand@example.se")
    assert (konto.username, konto.first_name, konto.last_name) == (
        "okand@example.se",
        "Olle",
        "Okänd",
    )
    assert konto.forbund == forbund
    assert not konto.has_usable_password()
    assert roller(konto) == frozenset()  # no role without a role mapping
    assert session_i_appen(webblasare).get("_auth_user_id") == str(konto.pk)
    assert [h[0] for h in kontohandelser()] == [Action.SKAPAD, Action.INLOGGAD]


@LIVE
def test_utloggning_går_vidare_till_leverantörens_end_session(live_server, oidc_leverantor, anna):
    with oidc_pa(
        oidc_leverantor,
        OIDC_OP_LOGOUT_ENDPOINT=oidc_leverantor.end_session,
        OIDC_STORE_ID_TOKEN=True,
    ):
        webblasare, svar = logga_in_via_leverantoren(live_server.url, "anna", nasta=OVERSIKT)
        token = svar.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        ut = webblasare.post(
            f"{live_server.url}/logga-ut/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": f"{live_server.url}{OVERSIKT}"},
            allow_redirects=False,
            timeout=30,
        )
        assert ut.status_code == 302
        adress = urlsplit(ut.headers["Location"])
        assert f"{adress.scheme}://{adress.netloc}{adress.path}" == oidc_leverantor.end_session
        fraga = parse_qs(adress.query)
        assert fraga["post_logout_redirect_uri"] == [f"{live_server.url}/logga-in/"]
        assert fraga["client_id"] == ["finsam-test"]
        assert fraga["id_token_hint"][0].count(".") == 2  # the ID token, a JWT
        assert webblasare.get(ut.headers["Location"], timeout=30).status_code == 200
        sida = webblasare.get(f"{live_server.url}{OVERSIKT}", allow_redirects=False, timeout=30)
        assert sida.status_code == 302
    assert [h[0] for h in kontohandelser()] == [Action.INLOGGAD, Action.UTLOGGAD]


# --- The login page's doors -----------------------------------------------------------------


@pytest.mark.django_db
def test_utan_oidc_ingen_knapp_och_inget_routat(client: Client):
    assert "registrering.oidc.OidcBackend" not in settings.AUTHENTICATION_BACKENDS
    sida = client.get("/logga-in/").content.decode()
    assert KNAPP not in sida
    assert 'name="password"' in sida
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_knappen_är_en_länk_till_leverantören(client: Client):
    with oidc_pa(FINSAM_OIDC_NAMN="Region Testbygdens konto"):
        sida = client.get("/logga-in/?next=/registrering/2026/").content.decode()
    assert (
        '<a class="knapp" href="/oidc/authenticate/?next=/registrering/2026/">'
        "Logga in med Region Testbygdens konto</a>"
    ) in sida
    assert 'name="password"' in sida  # local login is still on


@pytest.mark.django_db
def test_lokal_inloggning_av(client: Client, verksamhetsutvecklare):
    utan_losenord = [b for b in settings.AUTHENTICATION_BACKENDS if not b.endswith(".ModelBackend")]
    with (
        oidc_pa(),
        override_settings(FINSAM_LOKAL_INLOGGNING=False, AUTHENTICATION_BACKENDS=utan_losenord),
    ):
        sida = client.get("/logga-in/").content.decode()
        assert KNAPP in sida
        assert 'name="password"' not in sida and "<form" not in sida.split("<main", 1)[1]

        svar = client.post("/logga-in/", {"username": "vu", "password": "lösenord-för-test"})
        assert svar.status_code == 200
        assert "Inloggning med lösenord är avstängd" in svar.content.decode()
        assert "_auth_user_id" not in client.session

        # The admin's own login form is no door either.
        svar = client.get("/admin/login/?next=/admin/")
        assert (svar.status_code, svar["Location"]) == (302, "/logga-in/?next=/admin/")
        svar = client.post("/admin/login/", {"username": "vu", "password": "lösenord-för-test"})
        assert svar.status_code == 302
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_vanlig_utloggning_stannar_i_appen(client: Client, verksamhetsutvecklare):
    with oidc_pa(OIDC_OP_LOGOUT_ENDPOINT="http://127.0.0.1:9/end-session"):
        client.force_login(verksamhetsutvecklare, "django.contrib.auth.backends.ModelBackend")
        svar = client.post("/logga-ut/")
    assert (svar.status_code, svar["Location"]) == (302, "/logga-in/")


# --- Settings from the environment ----------------------------------------------------------


def _installningar(miljo: dict[str, str]) -> dict[str, object]:
    kod = (
        "import json; from finsam import settings as s; print(json.dumps({"
        "'backends': s.AUTHENTICATION_BACKENDS, 'aktiv': s.FINSAM_OIDC_AKTIV, "
        "'lokal': s.FINSAM_LOKAL_INLOGGNING, 'roller': s.FINSAM_OIDC_ROLLER, "
        "'algo': s.OIDC_RP_SIGN_ALGO, 'skapa': s.OIDC_CREATE_USER, "
        "'form_action': [str(v) for v in s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]}))"
    )
    bas = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "FINSAM_"))}
    svar = subprocess.run(
        [sys.executable, "-c", kod],
        env={**bas, "SECRET_KEY": "x" * 50, **miljo},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(svar.stdout)  # type: ignore[no-any-return]


def test_installningarna_ur_miljon():
    av = _installningar({})
    assert av["aktiv"] is False and av["lokal"] is True
    assert "registrering.oidc.OidcBackend" not in av["backends"]
    assert av["algo"] == "RS256" and av["skapa"] is False and av["roller"] == {}

    pa = _installningar(
        {
            "OIDC_RP_CLIENT_ID": "finsam",
            "OIDC_OP_LOGOUT_ENDPOINT": "https://idp.example.se/realms/x/logout",
            "FINSAM_LOKAL_INLOGGNING": "0",
            "FINSAM_OIDC_ROLLER": "finsam-vu=verksamhetsutvecklare, a=b=styrelse,trasig",
        }
    )
    assert pa["aktiv"] is True and pa["lokal"] is False
    assert pa["backends"] == [
        "axes.backends.AxesStandaloneBackend",
        "registrering.oidc.OidcBackend",
    ]
    assert pa["roller"] == {"finsam-vu": "verksamhetsutvecklare", "a=b": "styrelse"}
    assert pa["form_action"] == ["'self'", "https://idp.example.se"]


def test_kontrollen_säger_till_om_inställningar_som_inte_kan_fungera():
    from registrering.oidc import kontrollera_installningar

    assert kontrollera_installningar() == []  # OIDC off: nothing to check
    with override_settings(
        FINSAM_OIDC_AKTIV=True, OIDC_OP_DISCOVERY="", OIDC_OP_TOKEN_ENDPOINT="x"
    ):
        fel = kontrollera_installningar()
    assert [f.id for f in fel] == ["finsam.E101"]
    assert "OIDC_OP_AUTHORIZATION_ENDPOINT" in fel[0].msg
    assert "OIDC_OP_TOKEN_ENDPOINT" not in fel[0].msg
    with override_settings(
        FINSAM_OIDC_AKTIV=True,
        OIDC_OP_DISCOVERY="https://idp.example.se/.well-known/openid-configuration",
        FINSAM_OIDC_ROLLER={"vu": "verksamhetsutvecklare", "x": "kassör"},
    ):
        fel = kontrollera_installningar()
    assert [(f.id, "kassör" in f.msg) for f in fel] == [("finsam.E102", True)]
