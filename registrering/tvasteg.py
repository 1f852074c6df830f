"""Two-factor login with a TOTP app (django-otp): who is asked, the gate, and the writes.

After a correct password (`user_logged_in`), the session remembers the step that is left: the
code of the account's confirmed device (`VERIFIERA`), or, for a role in
`FINSAM_TVASTEG_KRAVS` without a device, setting one up (`AKTIVERA`). Until that step is done
`TvastegMiddleware` lets the session reach only the two pages of the step and the logout; the
admin and every other page answer with a redirect to the step. An account that logged in
through OpenID Connect is never asked: the identity provider answers for the second factor.

The step is decided once, at login, and kept in the session, so the requests after it cost no
query. The writes (activate, verify, remove, reset) are the services below; each writes its row
in the audit log through `registrering.audit.logga_konto`.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from finsam.anonymitet import ar_anonym
from registrering.audit import logga_konto
from registrering.models import AuditEntry, Forbund, User
from registrering.permissions import Anvandare, Roll, kan_administrera, roller

Action = AuditEntry.Action

#: The session's step that is left after the password (absent: none).
STEG_SESSION = "finsam_tvasteg"
#: The key of a device being set up, kept in the session until its first code is confirmed.
NYCKEL_SESSION = "finsam_tvasteg_nyckel"
VERIFIERA = "verifiera"
AKTIVERA = "aktivera"
UTFARDARE = "Finsam uppföljning"


# --- Who is asked --------------------------------------------------------------------------


def kravs(user: Anvandare) -> bool:
    """Whether the user's role requires two-factor login (FINSAM_TVASTEG_KRAVS)."""
    return bool(roller(user) & set(settings.FINSAM_TVASTEG_KRAVS))


@register()
def _kanda_roller(**_: Any) -> list[CheckMessage]:
    okanda = set(settings.FINSAM_TVASTEG_KRAVS) - {str(r) for r in Roll}
    if not okanda:
        return []
    kanda = ", ".join(str(r) for r in Roll)
    return [
        Error(
            f"FINSAM_TVASTEG_KRAVS nämner okända roller: {', '.join(sorted(okanda))}.",
            hint=f"Rollerna heter {kanda}; tom betyder att ingen roll kräver koden.",
            id="finsam.E010",
        )
    ]


def enhet_for(user: User) -> TOTPDevice | None:
    """The account's confirmed TOTP device, if it has one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@cache
def _ar_oidc(backend: str) -> bool:
    try:
        klass = import_string(backend)
    except ImportError:
        return False
    return isinstance(klass, type) and issubclass(klass, OIDCAuthenticationBackend)


def steg_efter_inloggning(user: User, *, backend: str) -> str | None:
    """The step left after a login through `backend` (a dotted path): `VERIFIERA` for an
    account with a device, `AKTIVERA` for a required role without one, or None (also for
    every login through OpenID Connect)."""
    if _ar_oidc(backend):
        return None
    if enhet_for(user) is not None:
        return VERIFIERA
    return AKTIVERA if kravs(user) else None


@receiver(user_logged_in, dispatch_uid="finsam_tvasteg")
def _efter_losenord(sender: Any, request: HttpRequest | None, user: User, **_: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    session.pop(NYCKEL_SESSION, None)
    steg = steg_efter_inloggning(user, backend=str(session.get(BACKEND_SESSION_KEY, "")))
    if steg is None:
        session.pop(STEG_SESSION, None)
    else:
        session[STEG_SESSION] = steg


def steg_kvar(request: HttpRequest) -> str | None:
    """The step this session has left, or None when it may go anywhere its roles allow."""
    session = getattr(request, "session", None)
    if session is None or not request.user.is_authenticated:
        return None
    steg = session.get(STEG_SESSION)
    return steg if steg in (VERIFIERA, AKTIVERA) else None


def steg_klart(request: HttpRequest, enhet: TOTPDevice) -> None:
    """Mark the session as verified with `enhet` and leave the gate; the session gets a new
    key, as at any change of what it may do."""
    from django_otp import login as otp_login

    request.session.pop(STEG_SESSION, None)
    request.session.pop(NYCKEL_SESSION, None)
    request.session.cycle_key()
    otp_login(request, enhet)


# --- The gate ------------------------------------------------------------------------------


class TvastegMiddleware:
    """Sends a session with a step left to that step's page, whatever it asked for (the admin
    too); only the step's pages, the logout, the health checks and static files pass. Goes
    after `django_otp.middleware.OTPMiddleware`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        steg = steg_kvar(request)
        if steg is not None and not self._fri(request.path):
            adress = reverse(f"tvasteg_{steg}")
            if request.method == "GET":
                adress += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(adress)
        return self.get_response(request)

    @staticmethod
    def _fri(path: str) -> bool:
        fria = {reverse(n) for n in ("tvasteg_verifiera", "tvasteg_aktivera", "logout")}
        fria |= {reverse("healthz"), reverse("readyz")}
        # The anonymous survey pages never see the session (finsam.anonymitet); exempt them
        # here too, so that no order of middleware can send a respondent to a login step.
        return (
            path in fria
            or path.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
            or ar_anonym(path)
        )


# --- Setting up a device -------------------------------------------------------------------


def ny_nyckel() -> str:
    """A new random key (hex, 20 bytes) for a device being set up."""
    return str(random_hex(20))


def _enhet_av(user: User, nyckel: str) -> TOTPDevice:
    return TOTPDevice(user=user, key=nyckel, name=UTFARDARE, confirmed=True)


def hemlighet(nyckel: str) -> str:
    """The key as the apps take it typed in: base32 in groups of four ("ABCD EFGH …")."""
    text = base64.b32encode(bytes.fromhex(nyckel)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_uri(user: User, nyckel: str) -> str:
    """The otpauth:// address of the key as a QR code: an SVG data URI for an `<img>`."""
    enhet = _enhet_av(user, nyckel)
    adress = enhet.config_url
    qr = segno.make(adress, error="m")
    return str(qr.svg_data_uri(scale=5, dark="#000", light="#fff", title="QR-kod"))


def _stammer(enhet: TOTPDevice, kod: str) -> bool:
    """Whether `kod` is a current code of the (unsaved) device; on a match the device
    remembers its time step, so that the same code cannot be used again."""
    totp = TOTP(enhet.bin_key, enhet.step, enhet.t0, enhet.digits, enhet.drift)
    totp.time = time.time()
    if not kod.isdigit() or not totp.verify(int(kod), enhet.tolerance, enhet.last_t + 1):
        return False
    enhet.last_t = totp.t()
    enhet.drift = totp.drift
    return True


def _fel(konto: User, kommentar: str) -> None:
    logga_konto(action=Action.TVASTEG_FEL, konto=konto, user=konto, kommentar=kommentar)


@transaction.atomic
def tvasteg_aktivera(*, user: User, nyckel: str, kod: str) -> TOTPDevice | None:
    """Confirm the device of `nyckel` for `user` with its first code. A right code saves the
    device (replacing any earlier one) and writes the audit row; a wrong one writes a row of
    its own and returns None."""
    enhet = _enhet_av(user, nyckel)
    if not _stammer(enhet, kod):
        _fel(user, "Fel kod när tvåstegsverifieringen skulle aktiveras.")
        return None
    TOTPDevice.objects.filter(user=user).delete()
    enhet.set_last_used_timestamp(commit=False)
    enhet.full_clean()
    enhet.save()
    logga_konto(action=Action.TVASTEG_AKTIVERAT, konto=user, user=user)
    return enhet


# --- Logging in with a code ----------------------------------------------------------------


@dataclass(frozen=True)
class Verifiering:
    """The answer to a typed code: the device that accepted it, or why not."""

    enhet: TOTPDevice | None = None
    fel: int = 0  # a wrong code: how many in a row
    saknas: bool = False  # the account has no device (reset meanwhile)
    vanta_till: dt.datetime | None = None  # throttled: the code was not tried

    @property
    def vanta_sekunder(self) -> int:
        if self.vanta_till is None:
            return 0
        return max(1, math.ceil((self.vanta_till - timezone.now()).total_seconds()))


def tvasteg_verifiera(*, user: User, kod: str) -> Verifiering:
    """Check a code against the account's device, with django-otp's throttling: after each
    wrong code the next is not even tried for 1, 2, 4, 8 … seconds. Every refused code is
    audited, and so is the accepted one."""
    with transaction.atomic():
        enhet = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if enhet is None:
            return Verifiering(saknas=True)
        tillatet, info = enhet.verify_is_allowed()
        if not tillatet:
            _fel(user, "Koden prövades inte: för många felaktiga koder i följd.")
            return Verifiering(vanta_till=(info or {}).get("locked_until") or timezone.now())
        if enhet.verify_token(kod):
            logga_konto(action=Action.TVASTEG_OK, konto=user, user=user)
            return Verifiering(enhet=enhet)
        antal = int(enhet.throttling_failure_count)
        _fel(user, f"Fel kod vid inloggning ({antal} i följd).")
        return Verifiering(fel=antal)


# --- Removing a device ---------------------------------------------------------------------


@transaction.atomic
def tvasteg_ta_bort(*, konto: User, user: User) -> int:
    """Remove the devices of `konto`: by the account itself (not when its role requires two
    factors), or a reset by the kansli of the account's förbund (the lost phone). Raises
    PermissionDenied for anyone else and ValidationError for a required role's own removal.
    Returns how many devices were removed; the audit row (none when there was nothing to
    remove) says by whom."""
    if konto.pk == user.pk:
        if kravs(konto):
            raise ValidationError(
                "Din roll kräver tvåstegsverifiering. Har du bytt telefon: be "
                "verksamhetsutvecklaren att återställa den, så får du aktivera den igen."
            )
        kommentar = "Borttagen av kontot självt."
    else:
        forbund = konto.forbund
        if forbund is None or not kan_administrera(user, forbund):
            raise PermissionDenied("Det här gör förbundets verksamhetsutvecklare.")
        kommentar = f"Återställd av {user.get_username()}."
    antal, _ = TOTPDevice.objects.filter(user=konto).delete()
    if antal:
        logga_konto(action=Action.TVASTEG_BORTTAGET, konto=konto, user=user, kommentar=kommentar)
    return int(antal)


# --- The förbund's accounts ----------------------------------------------------------------


@dataclass(frozen=True)
class Kontostatus:
    """An account of the förbund and its two-factor state, for the kansli's page."""

    konto: User
    aktiverad: dt.datetime | None
    kravs: bool


def konton_i_forbundet(*, forbund: Forbund) -> list[Kontostatus]:
    """The förbund's active accounts with when their device was set up (None: no device),
    in two queries."""
    konton: Iterable[User] = (
        User.objects.filter(forbund=forbund, is_active=True)
        .prefetch_related("groups")
        .order_by("username")
    )
    enheter = dict(
        TOTPDevice.objects.filter(user__forbund=forbund, confirmed=True).values_list(
            "user_id", "created_at"
        )
    )
    kravda = set(settings.FINSAM_TVASTEG_KRAVS)
    return [
        Kontostatus(
            konto=k,
            aktiverad=enheter.get(k.pk),
            kravs=bool({g.name for g in k.groups.all()} & kravda),
        )
        for k in konton
    ]
