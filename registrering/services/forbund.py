"""The förbund itself: its names, its report day, the bilaga's texts, the logo on the
bilaga's cover and the schedule of the reminders by e-mail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile

from registrering import permissions
from registrering.audit import audit_log, diff, logga_andring, snapshot
from registrering.models import AuditEntry, Forbund, User
from registrering.services._stod import kraver
from registrering.services.enkat_hantering import enkatkatalog_kopiera
from registrering.services.katalog import katalog_kopiera, tomma_texter_fyll

# What the förbund's own administrators may change; the rest is a superuser's.
FORBUNDETS_FALT = frozenset(
    {
        "rapportdag",
        "bakgrund_text",
        "metod_text",
        "logotyp",
        "effekter_i_bilagan",
        "paminnelser_pa",
        "paminnelse_dagar_fore",
        "paminnelse_dagar_efter",
        "sammanfattning_veckodag",
    }
)
# The installation's: a systemadministratör (or a superuser) sets them.
SUPERANVANDARENS_FALT = frozenset({"namn", "kortnamn", "organisationsnummer"})


def _ta_bort_fil_efter_commit(namn: str, storage: Any) -> None:
    """A replaced or removed logo's file goes once the change is committed (not before: a
    rolled-back change still needs it)."""
    if namn:
        transaction.on_commit(lambda: storage.delete(namn))


def _satt_logotyp(forbund: Forbund, varde: object) -> str:
    """Put a new upload, a removal (False, None or "") or the unchanged file on the förbund;
    returns the name of the file that is no longer used ("" when none)."""
    gammal = forbund.logotyp.name or ""
    if isinstance(varde, FieldFile) and varde.name == gammal:
        return ""
    if isinstance(varde, File) and not isinstance(varde, FieldFile):
        forbund.logotyp = varde  # Django wraps it in a FieldFile
        return gammal
    if not varde:
        forbund.logotyp = ""
        return gammal
    raise ValidationError({"logotyp": "Okänd logotyp."})


@transaction.atomic
def forbund_spara(*, user: User, forbund: Forbund | None, varden: Mapping[str, Any]) -> Forbund:
    """Create a förbund (a systemadministratör or a superuser; it gets the national catalogues:
    the survey questions, the huvudmän, the avslutsanledningar and the texts) or change one: the
    names (a systemadministratör or a superuser), the report day, the bilaga's texts, the
    cover's logo (a new upload, or False to remove it) and whether the bilaga has the section
    "Resultat och effekter". The logo is checked by `validera_logotyp`; its file is saved
    through the storage API, and a replaced one is deleted after the commit. One audit row
    with old → new."""
    installationens = permissions.kan_hantera_forbund(user)
    if forbund is None or forbund.pk is None:
        kraver(installationens, "Bara systemadministratören kan lägga till förbund.")
    else:
        kraver(installationens or permissions.kan_administrera(user, forbund))
    tillatna = FORBUNDETS_FALT | (SUPERANVANDARENS_FALT if installationens else frozenset())
    if okanda := set(varden) - tillatna:
        raise ValidationError(
            {falt: "Du kan inte ändra det här fältet." for falt in sorted(okanda)}
        )
    if forbund is None or forbund.pk is None:
        post, fore = Forbund(), {}
    else:
        post = Forbund.objects.select_for_update().get(pk=forbund.pk)
        fore = snapshot(post)
    bortlagd = ""
    for falt, varde in varden.items():
        if falt == "logotyp":
            bortlagd = _satt_logotyp(post, varde)
        else:
            setattr(post, falt, varde.strip() if isinstance(varde, str) else varde)
    if not fore:
        tomma_texter_fyll(post)
    post.full_clean()
    post.save()  # a new logo is written to the storage here, under a new name
    logga_andring(user=user, instance=post, fore=fore, efter=snapshot(post), fanns=bool(fore))
    _ta_bort_fil_efter_commit(bortlagd, post.logotyp.storage)
    if not fore:  # a new förbund starts with the national catalogues
        enkatkatalog_kopiera(user=user, forbund=post)
        katalog_kopiera(user=user, forbund=post)
    return post


@transaction.atomic
def forbund_ta_bort(*, user: User, forbund: Forbund) -> None:
    """Remove a förbund (a superuser; everything that belongs to it goes with it) and, after
    the commit, its logo's file."""
    kraver(user.is_superuser, "Bara en administratör för hela systemet kan ta bort förbund.")
    fore = {k: v for k, v in snapshot(forbund).items() if v not in (None, "")}
    audit_log(
        user=user, instance=forbund, action=AuditEntry.Action.BORTTAGEN, changes=diff(fore, {})
    )
    logotyp, storage = forbund.logotyp.name or "", forbund.logotyp.storage
    forbund.delete()
    _ta_bort_fil_efter_commit(logotyp, storage)
