"""Accounts from the identity provider (OpenID Connect, `registrering.oidc`): an account
created at the first login (only with OIDC_CREATE_USER) and roles set from the provider's claim
(only with a role mapping). Both write their row in the audit log."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from registrering.audit import audit_log, snapshot
from registrering.models import AuditEntry, Forbund, User
from registrering.permissions import ADMINISTRERANDE, Roll


@transaction.atomic
def konto_skapa_fran_idp(
    *, anvandarnamn: str, epost: str, fornamn: str, efternamn: str, forbund: Forbund | None
) -> User:
    """A new account for a person the provider vouches for: no password (only the provider
    logs it in) and no role (the role mapping, or the verksamhetsutvecklare, gives one)."""
    konto = User(
        username=anvandarnamn[:150],
        email=epost,
        first_name=fornamn[:150],
        last_name=efternamn[:150],
        forbund=forbund,
    )
    konto.set_unusable_password()
    konto.full_clean(exclude=["password"])
    konto.save()
    audit_log(
        user=konto,
        instance=konto,
        action=AuditEntry.Action.SKAPAD,
        changes={k: [None, v] for k, v in snapshot(konto).items() if v not in (None, "", False)},
        kommentar="Skapat vid första inloggningen med OpenID Connect.",
    )
    return konto


@transaction.atomic
def konto_roller_satt(
    *, konto: User, roller: Iterable[str], kommentar: str, user: User | None = None
) -> bool:
    """Give `konto` exactly the roles `roller` (role names; others are ignored) and let
    `is_staff` follow them (the administrating roles open the admin); a superuser keeps its
    flags. Writes an audit row with old → new, in the name of `user` (who acted; by default
    the account itself, as at a login with the provider's roles), when anything changed;
    returns whether it did."""
    kanda = {str(r) for r in Roll}
    nya = sorted({r for r in roller if r in kanda})
    fore = sorted(konto.groups.filter(name__in=kanda).values_list("name", flat=True))
    staff = konto.is_staff if konto.is_superuser else bool(set(nya) & ADMINISTRERANDE)
    if nya == fore and staff == konto.is_staff:
        return False
    ovriga = list(konto.groups.exclude(name__in=kanda))
    konto.groups.set([*ovriga, *Group.objects.filter(name__in=nya)])
    andringar: dict[str, list[object]] = {"roller": [", ".join(fore), ", ".join(nya)]}
    if staff != konto.is_staff:
        andringar["is_staff"] = [konto.is_staff, staff]
        konto.is_staff = staff
        konto.save(update_fields=["is_staff"])
    konto.__dict__.pop("_finsam_roller", None)  # permissions.roller's cache
    audit_log(
        user=user or konto,
        instance=konto,
        action=AuditEntry.Action.ANDRAD,
        changes=andringar,
        kommentar=kommentar,
    )
    return True
