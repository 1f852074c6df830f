"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured from the environment.

`OidcBackend` (`registrering.oidc.OidcBackend` in AUTHENTICATION_BACKENDS, only when
OIDC_RP_CLIENT_ID is set) matches the person the provider vouches for to one existing, active
account: by e-mail (case-insensitive) or, with FINSAM_OIDC_MATCHNING set to another claim, by
that claim compared with the username. No match, or more than one, refuses the login with a
Swedish message on the login page and a "misslyckad inloggning" row in the audit log. An account
is created only with OIDC_CREATE_USER, and roles follow the provider only with
FINSAM_OIDC_ROLLER_CLAIM and FINSAM_OIDC_ROLLER; both write through `registrering.services.konto`.

The session records the backend's path, so that the two-factor step (`registrering.tvasteg`)
knows that the provider answered for the second factor. The provider's endpoints are read from
its discovery document (OIDC_OP_DISCOVERY) when the first login needs them, unless each is set.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.views import LogoutView
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from registrering.models import Forbund, User
from registrering.permissions import Roll
from registrering.services.konto import konto_roller_satt, konto_skapa_fran_idp

logger = logging.getLogger(__name__)

BACKEND = "registrering.oidc.OidcBackend"

#: Each endpoint setting and its key in the provider's discovery document.
DISCOVERY_NYCKLAR = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_GILTIG_SEKUNDER = 60 * 60

_discovery: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_las = threading.Lock()


def _discovery_dokument(url: str) -> dict[str, Any]:
    """The provider's discovery document, fetched once an hour per process."""
    with _discovery_las:
        sparad = _discovery.get(url)
        if sparad is not None and time.monotonic() - sparad[0] < DISCOVERY_GILTIG_SEKUNDER:
            return sparad[1]
    svar = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    svar.raise_for_status()
    dokument: dict[str, Any] = svar.json()
    with _discovery_las:
        _discovery[url] = (time.monotonic(), dokument)
    return dokument


def endpunkt(namn: str) -> str:
    """An endpoint of the provider: the setting `namn` if set, else from the discovery
    document. Raises ImproperlyConfigured when neither gives it."""
    if varde := getattr(settings, namn, ""):
        return str(varde)
    nyckel = DISCOVERY_NYCKLAR.get(namn)
    if nyckel and settings.OIDC_OP_DISCOVERY:
        varde = _discovery_dokument(settings.OIDC_OP_DISCOVERY).get(nyckel)
        if varde:
            return str(varde)
    raise ImproperlyConfigured(f"{namn} eller OIDC_OP_DISCOVERY måste sättas för OpenID Connect.")


@checks.register(checks.Tags.security)
def kontrollera_installningar(**_: Any) -> list[checks.CheckMessage]:
    """`manage.py check` (and every start): an OIDC configuration that cannot work is an error
    before anyone tries to log in."""
    if not settings.FINSAM_OIDC_AKTIV:
        return []
    fel: list[checks.CheckMessage] = []
    if not settings.OIDC_OP_DISCOVERY:
        saknas = [n for n in DISCOVERY_NYCKLAR if not getattr(settings, n, "")]
        if not settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
            saknas = [n for n in saknas if n != "OIDC_OP_JWKS_ENDPOINT"]
        if saknas:
            fel.append(
                checks.Error(
                    f"OpenID Connect: sätt OIDC_OP_DISCOVERY eller {', '.join(saknas)}.",
                    id="finsam.E101",
                )
            )
    kanda = {str(r) for r in Roll}
    if okanda := sorted(set(settings.FINSAM_OIDC_ROLLER.values()) - kanda):
        fel.append(
            checks.Error(
                f"FINSAM_OIDC_ROLLER: okända roller {', '.join(okanda)} "
                f"(kända: {', '.join(sorted(kanda))}).",
                id="finsam.E102",
            )
        )
    return fel


def idp_namn() -> str:
    """What the login button calls the provider: "Logga in med <namn>"."""
    return str(settings.FINSAM_OIDC_NAMN)


def matchningsvarde(claims: dict[str, Any]) -> str:
    """The claim that finds the account (FINSAM_OIDC_MATCHNING), as a string ("" if absent)."""
    varde = claims.get(settings.FINSAM_OIDC_MATCHNING)
    return varde.strip() if isinstance(varde, str) else ""


def epost_bekraftad(claims: dict[str, Any]) -> bool:
    """Whether the provider vouches for the e-mail address. A provider that says
    `email_verified: false` is refused (anyone could have typed the address into a self-service
    account); one that does not say is trusted unless FINSAM_OIDC_KRAV_BEKRAFTAD_EPOST asks for
    `email_verified: true` (Keycloak, Google and others send it; Entra ID does not: match Entra on
    an immutable claim instead, README)."""
    bekraftad = claims.get("email_verified")
    if isinstance(bekraftad, str):  # some providers send "true"/"false"
        bekraftad = bekraftad.strip().lower() == "true"
    if bekraftad is False:
        return False
    return bekraftad is True or not settings.FINSAM_OIDC_KRAV_BEKRAFTAD_EPOST


def konton_for(varde: str) -> list[User]:
    """The active accounts the claim's value points at (at most two: one is a match, two
    are one too many)."""
    falt = "email__iexact" if settings.FINSAM_OIDC_MATCHNING == "email" else "username__iexact"
    return list(User.objects.filter(is_active=True, **{falt: varde}).order_by("pk")[:2])


def roller_fran_claims(claims: dict[str, Any]) -> set[str] | None:
    """The roles the provider's claim maps to (FINSAM_OIDC_ROLLER), or None when no role
    mapping is configured. A claim may be one value or a list of values."""
    if not settings.FINSAM_OIDC_ROLLER_CLAIM or not settings.FINSAM_OIDC_ROLLER:
        return None
    varden = claims.get(settings.FINSAM_OIDC_ROLLER_CLAIM) or []
    if isinstance(varden, str):
        varden = [varden]
    return {settings.FINSAM_OIDC_ROLLER[v] for v in varden if v in settings.FINSAM_OIDC_ROLLER}


def axes_undantag(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: an OpenID Connect callback carries no username and no password;
    the provider throttles its own logins. Counting its refusals would lock out everyone behind
    the same address with an empty username."""
    uppgifter = credentials or {}
    return "code_verifier" in uppgifter and User.USERNAME_FIELD not in uppgifter


class Nekad(Exception):
    """A refused OIDC login: `meddelande` for the person, `kommentar` for the audit log."""

    def __init__(self, meddelande: str, *, namn: str, kommentar: str) -> None:
        super().__init__(meddelande)
        self.meddelande, self.namn, self.kommentar = meddelande, namn, kommentar


class OidcBackend(OIDCAuthenticationBackend):
    """Login with OpenID Connect, matched to one existing account (see the module's text)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds a backend for every request of a logged-in user (get_user); the
        # provider's endpoints are looked up only when a login needs them.
        self.UserModel = User

    def _las_installningar(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = endpunkt("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = endpunkt("OIDC_OP_USER_ENDPOINT")
        # RS256/ES256 verify with the provider's published keys; HS256 with the client secret.
        asymmetrisk = settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES"))
        self.OIDC_OP_JWKS_ENDPOINT = endpunkt("OIDC_OP_JWKS_ENDPOINT") if asymmetrisk else None
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback asks (with the nonce it kept); a password login passes by.
        if request is None or "nonce" not in kwargs or not settings.FINSAM_OIDC_AKTIV:
            return None
        try:
            self._las_installningar()
            return super().authenticate(request, **kwargs)
        except Nekad as nej:
            _neka(request, nej)
        except requests.RequestException as exc:
            logger.warning("OpenID Connect: leverantören svarade inte som väntat: %s", exc)
            _neka(
                request,
                Nekad(
                    f"Inloggningen med {idp_namn()} gick inte att slutföra. Försök igen om en "
                    "stund.",
                    namn="",
                    kommentar="OpenID Connect: leverantören svarade inte.",
                ),
            )
        return None

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The ID token's claims with the userinfo endpoint's on top: some providers (Entra ID)
        put the roles and groups only in the ID token."""
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        falt = settings.FINSAM_OIDC_MATCHNING
        varde = matchningsvarde(claims)
        if not varde:
            raise Nekad(
                f"{idp_namn().capitalize()} gav ingen uppgift om {falt} att känna igen dig "
                "med. Kontakta förbundets verksamhetsutvecklare.",
                namn="",
                kommentar=f"OpenID Connect: uppgiften {falt} saknades.",
            )
        if falt == "email" and not epost_bekraftad(claims):
            raise Nekad(
                f"{idp_namn().capitalize()} har inte bekräftat att e-postadressen {varde} är "
                "din, så den kan inte logga in dig. Kontakta förbundets verksamhetsutvecklare.",
                namn=varde,
                kommentar="OpenID Connect: e-postadressen var inte bekräftad (email_verified).",
            )
        konton = konton_for(varde)
        if len(konton) > 1:
            raise Nekad(
                f"Flera konton i Finsam uppföljning har {falt} {varde}, så inloggningen kan inte "
                "avgöra vilket som är ditt. Kontakta förbundets verksamhetsutvecklare.",
                namn=varde,
                kommentar=f"OpenID Connect: flera konton med {falt} {varde}.",
            )
        if konton:
            konto = konton[0]
        elif settings.OIDC_CREATE_USER:
            konto = self._skapa(claims, varde)
        else:
            raise Nekad(
                f"Det finns inget konto i Finsam uppföljning för {varde}. Be förbundets "
                "verksamhetsutvecklare att lägga upp dig med den adressen.",
                namn=varde,
                kommentar=f"OpenID Connect: inget aktivt konto med {falt} {varde}.",
            )
        if (roller := roller_fran_claims(claims)) is not None:
            konto_roller_satt(
                konto=konto,
                roller=roller,
                kommentar=f"Roller från OpenID Connect ({settings.FINSAM_OIDC_ROLLER_CLAIM}).",
            )
        return konto

    def _skapa(self, claims: dict[str, Any], varde: str) -> User:
        forbund = None
        if settings.FINSAM_OIDC_FORBUND:
            forbund = Forbund.objects.filter(kortnamn=settings.FINSAM_OIDC_FORBUND).first()
        epost = str(claims.get("email") or "")
        try:
            return konto_skapa_fran_idp(
                anvandarnamn=varde if settings.FINSAM_OIDC_MATCHNING != "email" else epost.lower(),
                epost=epost,
                fornamn=str(claims.get("given_name") or ""),
                efternamn=str(claims.get("family_name") or ""),
                forbund=forbund,
            )
        except ValidationError as fel:
            raise Nekad(
                f"Ett konto för {varde} kunde inte läggas upp. Kontakta förbundets "
                "verksamhetsutvecklare.",
                namn=varde,
                kommentar=f"OpenID Connect: kontot kunde inte skapas ({'; '.join(fel.messages)}).",
            ) from fel


def _neka(request: HttpRequest, nej: Nekad) -> None:
    """Tell the person why, and leave the audit log's details for the failed-login receiver
    (`registrering.inloggning`), which Django's `authenticate` signals next."""
    messages.error(request, nej.meddelande)
    request.finsam_inloggning_fel = (nej.namn, nej.kommentar)  # type: ignore[attr-defined]


def inloggningsmetod(request: HttpRequest | None) -> str:
    """The audit comment of a login: how the person logged in."""
    session = getattr(request, "session", None)
    if session is not None and session.get(BACKEND_SESSION_KEY) == BACKEND:
        return f"Med OpenID Connect ({idp_namn()})."
    return ""


class OidcInloggning(OIDCAuthenticationRequestView):
    """/oidc/authenticate/: the redirect to the provider, with its endpoint from discovery."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpunkt("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except requests.RequestException as exc:
            logger.warning("OpenID Connect: discovery-dokumentet gick inte att läsa: %s", exc)
            messages.error(
                request,
                f"Det går inte att nå {idp_namn()} just nu. Försök igen om en stund.",
            )
            return HttpResponseRedirect(reverse("login"))
        return super().get(request)


class OidcAterkomst(OIDCAuthenticationCallbackView):
    """/oidc/callback/: a failure without a message of its own (the person declined at the
    provider, or the answer was stale) gets a general one."""

    def login_failure(self) -> HttpResponse:
        if not getattr(self.request, "finsam_inloggning_fel", None):
            messages.error(
                self.request,
                f"Inloggningen med {idp_namn()} avbröts eller misslyckades. Försök igen.",
            )
        return super().login_failure()


def utloggningsadress(request: HttpRequest) -> str:
    """OIDC_OP_LOGOUT_URL_METHOD: after the local logout, where to go. An account that logged
    in through the provider is sent to its end_session endpoint (OIDC_OP_LOGOUT_ENDPOINT) when
    one is configured, so that the provider's session ends too; everyone else to the login."""
    hem = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if not settings.OIDC_OP_LOGOUT_ENDPOINT or not inloggningsmetod(request):
        return hem
    parametrar = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(hem),
    }
    if id_token := request.session.get("oidc_id_token"):
        parametrar["id_token_hint"] = id_token
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(parametrar)}"


class LoggaUt(LogoutView):
    """Django's logout (POST), then to the provider's end_session when the account logged in
    through it (`utloggningsadress`)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        adress = utloggningsadress(request) if request.user.is_authenticated else ""
        svar = super().post(request, *args, **kwargs)
        if adress.startswith(("http://", "https://")):
            return HttpResponseRedirect(adress)
        return svar
