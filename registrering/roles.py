"""The four roles as Django groups with model permissions for the admin.

The groups only open the admin's doors; what a user sees behind them is scoped to their
förbund by `registrering.permissions` and the admin classes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from registrering.permissions import Roll

# Models the administrating roles may add, change and delete in the admin.
DATA_MODELS = [
    "medlem",
    "befolkning",
    "huvudman",
    "insatsgrupp",
    "insats",
    "avslutsanledning",
    "manadsrapport",
    "avslutadeperanledning",
    "nyaperhuvudman",
    "ingaendebalans",
    "ingaendebalanshuvudman",
    "justering",
    "arstotal",
    "budgeteradvolym",
    "utfallsmal",
    "effektnyckeltal",
    "ersattningsnyckeltal",
    "inkomstnyckeltal",
    "forflyttning",
    "medfinansiering",
    "enkat",
    "enkatfraga",
    "svarsalternativ",
    "enkattillfalle",
    "enkatsvar",
    "kommentar",
    "arsbilaga",
    "verksamhetsplan",
    "kostnadspost",
    "utfall",
]
READ_ONLY_MODELS = ["forbund", "malgrupp", "auditentry", "skickadpaminnelse"]


def _perms(actions: list[str], models: list[str]) -> list[Permission]:
    codenames = [f"{action}_{model}" for action in actions for model in models]
    return list(
        Permission.objects.filter(content_type__app_label="registrering", codename__in=codenames)
    )


def ensure_roles(**_: Any) -> None:
    """Create the groups and (re)set their permissions. Safe to run any number of times."""
    if not ContentType.objects.filter(app_label="registrering").exists():
        return
    admin_perms = (
        _perms(["add", "change", "delete", "view"], DATA_MODELS)
        + _perms(["view"], [*READ_ONLY_MODELS, "user"])
        + _perms(["change"], ["forbund"])
    )
    # The styrelse has no admin (permissions.kan_oppna_admin): it reads the goal page and the
    # bilaga, so its group carries no model permissions either.
    styrelse_perms: list[Permission] = []
    insatsansvarig_perms = _perms(
        ["view"], ["insats", "manadsrapport", "avslutadeperanledning", "nyaperhuvudman"]
    )
    for roll, perms in (
        (Roll.VERKSAMHETSUTVECKLARE, admin_perms),
        (Roll.FORBUNDSCHEF, admin_perms),
        (Roll.STYRELSE, styrelse_perms),
        (Roll.INSATSANSVARIG, insatsansvarig_perms),
        # Neither opens the admin: their pages are the product's own.
        (Roll.SYSTEMADMINISTRATOR, []),
        (Roll.SAMORDNARE, []),
    ):
        group, _created = Group.objects.get_or_create(name=str(roll))
        group.permissions.set(perms)
