"""A user's own choice of reminders by e-mail (the page Påminnelser)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from registrering.audit import Handelse, diff, skriv_handelser, snapshot
from registrering.models import AuditEntry, User
from registrering.paminnelser import anvandarens_slag
from registrering.permissions import aktiv
from registrering.services._stod import kraver


@transaction.atomic
def paminnelser_spara(*, user: User, varden: Mapping[str, bool]) -> User:
    """Turn the user's own reminders on or off (`paminnelse_manad`, `paminnelse_vecka`): only
    the kinds their roles get, and only their own. One audit row with old → new."""
    kraver(aktiv(user) is not None, "Logga in för att fortsätta.")
    tillatna = {falt for falt, _etikett in anvandarens_slag(user)}
    if okanda := set(varden) - tillatna:
        raise ValidationError({falt: "Den här påminnelsen får du inte." for falt in sorted(okanda)})
    post = User.objects.select_for_update().get(pk=user.pk)
    fore = snapshot(post, sorted(tillatna))
    for falt, varde in varden.items():
        setattr(post, falt, bool(varde))
    if varden:
        post.save(update_fields=sorted(varden))
    if andringar := diff(fore, snapshot(post, sorted(tillatna))):
        skriv_handelser(
            user=post,
            handelser=[
                Handelse(
                    post,
                    AuditEntry.Action.ANDRAD,
                    andringar,
                    kommentar="Påminnelser med e-post",
                    forbund_id=post.forbund_id,
                )
            ],
        )
    for falt in tillatna:
        setattr(user, falt, getattr(post, falt))
    return post
