"""Logins in the audit log, and lockouts after too many wrong passwords (django-axes).

The signal receivers only record what happened (the audit log is no domain logic): a login, a
failed login, a logout, a lockout and a changed password each give one row through
`registrering.audit.logga_konto`. Lifting a lockout is a service, called by the
verksamhetsutvecklare's page (`registrering.kontovyer`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Sum
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from registrering.audit import logga_konto
from registrering.models import AuditEntry, Forbund, User
from registrering.oidc import inloggningsmetod

Action = AuditEntry.Action


def _konto(anvandarnamn: str) -> User | None:
    if not anvandarnamn:
        return None
    return User.objects.filter(username=anvandarnamn).first()


def anvandarnamn(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The username django-axes counts failures for (AXES_USERNAME_CALLABLE): what was typed,
    cut to the length of a username, so that a very long name is refused like any wrong one
    instead of overflowing axes' column."""
    if credentials:
        namn = credentials.get(User.USERNAME_FIELD)
    else:
        namn = getattr(request, "POST", {}).get(User.USERNAME_FIELD)
    return str(namn or "")[:150]


@receiver(user_logged_in, dispatch_uid="finsam_inloggad")
def _inloggad(sender: Any, request: HttpRequest | None, user: User, **_: Any) -> None:
    logga_konto(action=Action.INLOGGAD, konto=user, user=user, kommentar=inloggningsmetod(request))


@receiver(user_login_failed, dispatch_uid="finsam_inloggning_fel")
def _inloggning_fel(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    # `credentials` comes cleansed from Django (the password is stars); only the name is kept.
    namn = str(credentials.get(User.USERNAME_FIELD) or "")
    sparrad = bool(getattr(request, "axes_locked_out", False))
    kommentar = "Kontot var spärrat från den här adressen." if sparrad else ""
    # A backend that knows more than the credentials (OpenID Connect: whom the provider
    # named and why no account matched) leaves it on the request.
    if fel := getattr(request, "finsam_inloggning_fel", None):
        namn, kommentar = fel
    logga_konto(
        action=Action.INLOGGNING_FEL,
        konto=_konto(namn) if not fel else None,
        anvandarnamn=namn,
        kommentar=kommentar,
    )
    if request is not None and not fel:
        _rakna_adress(request)


def _adressnyckel(request: HttpRequest) -> str | None:
    from axes.helpers import get_client_ip_address

    adress = get_client_ip_address(request)
    return f"finsam:inloggning:adress:{adress}" if adress else None


def _rakna_adress(request: HttpRequest) -> None:
    """Count a wrong password from the request's address (in the shared cache, for the cool-off
    time): django-axes locks one account at one address, this stops one address trying a few
    passwords on every account (password spraying)."""
    nyckel = _adressnyckel(request)
    if nyckel is None:
        return
    tid = int(settings.AXES_COOLOFF_TIME.total_seconds())
    cache.add(nyckel, 0, tid)
    try:
        cache.incr(nyckel)
    except ValueError:  # expired between add and incr
        cache.set(nyckel, 1, tid)


def adress_sparrad(request: HttpRequest) -> bool:
    """Whether the request's address has had FINSAM_INLOGGNING_FORSOK_PER_ADRESS wrong passwords
    (on any accounts) within the cool-off time."""
    nyckel = _adressnyckel(request)
    return (
        bool(nyckel) and int(cache.get(nyckel) or 0) >= settings.FINSAM_INLOGGNING_FORSOK_PER_ADRESS
    )


@receiver(user_logged_out, dispatch_uid="finsam_utloggad")
def _utloggad(sender: Any, request: HttpRequest | None, user: User | None, **_: Any) -> None:
    if isinstance(user, User) and user.pk:
        logga_konto(action=Action.UTLOGGAD, konto=user, user=user)


@receiver(user_locked_out, dispatch_uid="finsam_sparrad")
def _sparrad(sender: Any, request: HttpRequest | None = None, username: str = "", **_: Any) -> None:
    # axes signals again at every refused attempt; the row is for the moment the lock falls.
    forsok = getattr(request, "axes_failures_since_start", settings.AXES_FAILURE_LIMIT)
    if forsok != settings.AXES_FAILURE_LIMIT:
        return
    namn = str(username or "")
    logga_konto(
        action=Action.SPARRAD,
        konto=_konto(namn),
        anvandarnamn=namn,
        kommentar=f"{settings.AXES_FAILURE_LIMIT} felaktiga lösenord i följd.",
    )


@receiver(pre_save, sender=User, dispatch_uid="finsam_losenord_bytt")
def _losenord_bytt(sender: type[User], instance: User, update_fields: Any = None, **_: Any) -> None:
    # Every door that changes a password (the admin, `changepassword`, set_password + save)
    # ends in a save of the hash; comparing with the stored one catches them all. The first
    # password of a new account (stored empty before) is no change. Nor is Django re-hashing the
    # same password at login (after an upgrade raised the hasher's cost): `check_password` saves
    # that hash with `_password` cleared, where `set_password` leaves the new password in it.
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    if getattr(instance, "_password", None) is None:
        return
    fore = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if fore and fore != instance.password:
        logga_konto(action=Action.LOSENORD_BYTT, konto=instance)


@dataclass(frozen=True)
class Sparr:
    """A locked-out account of the förbund: how many wrong passwords, locked until when."""

    konto: User
    forsok: int
    till: dt.datetime


def sparrade_konton(*, forbund: Forbund) -> list[Sparr]:
    """The förbund's accounts that are locked out now (from at least one address)."""
    grans = timezone.now() - settings.AXES_COOLOFF_TIME
    rader = (
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=grans
        )
        .values("username")
        .annotate(forsok=Sum("failures_since_start"), senast=Max("attempt_time"))
    )
    per_namn = {r["username"]: r for r in rader}
    konton = User.objects.filter(forbund=forbund, username__in=per_namn).order_by("username")
    return [
        Sparr(
            konto=k,
            forsok=per_namn[k.username]["forsok"],
            till=per_namn[k.username]["senast"] + settings.AXES_COOLOFF_TIME,
        )
        for k in konton
    ]


@transaction.atomic
def sparr_hav(*, konto: User, user: User) -> int:
    """Lift every lockout of `konto` (from every address) and write the audit row. Returns
    how many lockout records were removed."""
    antal = reset(username=konto.get_username())
    logga_konto(
        action=Action.AVSPARRAD,
        konto=konto,
        user=user,
        kommentar=f"Spärren hävd av {user.get_username()}.",
    )
    return int(antal)
