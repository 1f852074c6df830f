"""The year's plan: the verksamhetsplan and its cost posts. Each write asks the rules of
`registrering.planregler` and writes its audit row, old → new."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from registrering import permissions, regler
from registrering.audit import audit_log, diff, logga_andring, snapshot
from registrering.models import AuditEntry, Forbund, Insats, Kostnadspost, User, Verksamhetsplan
from registrering.regler import Fel
from registrering.services._stod import kraver

PLANFALT = (
    "tilldelning",
    "enkatmal_procent",
    "kapitaltak_procent",
    "kapitaltak_bas",
    "eget_kapital_ingaende",
)
POSTFALT = ("kod", "budget", "ordning", "typ", "insats")


def _okanda(varden: Mapping[str, Any], kanda: tuple[str, ...]) -> list[Fel]:
    return [Fel(f, "Okänt fält.") for f in sorted(set(varden) - set(kanda))]


def verksamhetsplan_fel(
    *, ar: int, varden: Mapping[str, Any], plan: Verksamhetsplan | None = None
) -> list[Fel]:
    """The rules for the plan of `ar` with `varden` set on `plan` (or on a new plan, whose
    other fields keep their defaults)."""
    if fel := _okanda(varden, PLANFALT):
        return fel
    # A new plan has the model's defaults, and no tilldelning until one is given.
    nuvarande = plan or Verksamhetsplan(ar=ar)
    alla = {f: varden.get(f, getattr(nuvarande, f)) for f in PLANFALT}
    return regler.verksamhetsplan(ar=ar, **alla)


@transaction.atomic
def verksamhetsplan_spara(
    *,
    user: User,
    forbund: Forbund,
    ar: int,
    varden: Mapping[str, Any],
    import_fran: str | None = None,
) -> Verksamhetsplan:
    """Create or change the förbund's verksamhetsplan for `ar`: the fields in `varden`
    (`PLANFALT`; one left out stays as it is, or its default for a new plan)."""
    kraver(permissions.kan_administrera(user, forbund))
    plan = Verksamhetsplan.objects.select_for_update().filter(forbund=forbund, ar=ar).first()
    regler.kontrollera(verksamhetsplan_fel(ar=ar, varden=varden, plan=plan))
    fore = snapshot(plan, PLANFALT) if plan else {}
    plan = plan or Verksamhetsplan(forbund=forbund, ar=ar)
    for falt, varde in varden.items():
        setattr(plan, falt, varde)
    plan.full_clean()
    plan.save()
    logga_andring(
        user=user,
        instance=plan,
        fore=fore,
        efter=snapshot(plan, PLANFALT),
        import_fran=import_fran,
    )
    return plan


@transaction.atomic
def verksamhetsplan_ta_bort(*, user: User, plan: Verksamhetsplan) -> None:
    kraver(permissions.kan_administrera(user, plan.forbund))
    audit_log(
        user=user,
        instance=plan,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff(snapshot(plan, PLANFALT), {}),
    )
    plan.delete()


def kostnadspost_fel(
    *,
    forbund: Forbund,
    ar: int,
    namn: str,
    varden: Mapping[str, Any],
    post: Kostnadspost | None = None,
) -> list[Fel]:
    """The rules for the post `namn` of `ar` with `varden` set on `post` (or a new post)."""
    if fel := _okanda(varden, POSTFALT):
        return fel
    nuvarande = post or Kostnadspost(ar=ar, namn=namn)
    alla = {f: varden.get(f, getattr(nuvarande, f)) for f in POSTFALT}
    insats: Insats | None = alla["insats"]
    return regler.kostnadspost_fel(
        ar=ar,
        namn=namn,
        budget=alla["budget"],
        typ=alla["typ"],
        insats=insats,
        forbund_id=forbund.pk,
    )


@transaction.atomic
def kostnadspost_spara(
    *,
    user: User,
    forbund: Forbund,
    ar: int,
    namn: str,
    varden: Mapping[str, Any],
    post: Kostnadspost | None = None,
    import_fran: str | None = None,
) -> Kostnadspost:
    """Create or change a cost post of `ar`: found by `post`, else by its name; the fields in
    `varden` (`POSTFALT`; one left out stays as it is, or its default for a new post). A
    given `post` may be renamed or moved to another year."""
    kraver(permissions.kan_administrera(user, forbund))
    namn = " ".join(namn.split())
    if post is None:
        post = (
            Kostnadspost.objects.select_for_update()
            .filter(forbund=forbund, ar=ar, namn__iexact=namn)
            .first()
        )
    else:
        post = Kostnadspost.objects.select_for_update().get(pk=post.pk, forbund=forbund)
    regler.kontrollera(
        kostnadspost_fel(forbund=forbund, ar=ar, namn=namn, varden=varden, post=post)
    )
    falt = ("namn", "ar", *POSTFALT)
    fore = snapshot(post, falt) if post else {}
    post = post or Kostnadspost(forbund=forbund)
    post.ar, post.namn = ar, namn
    for f, varde in varden.items():
        setattr(post, f, varde)
    post.full_clean()
    post.save()
    logga_andring(
        user=user, instance=post, fore=fore, efter=snapshot(post, falt), import_fran=import_fran
    )
    return post


@transaction.atomic
def kostnadspost_ta_bort(*, user: User, post: Kostnadspost) -> None:
    """Remove a cost post and its utfall (each utfall's removal audited by `utfall_spara`)."""
    from registrering.services.bilaga import utfall_spara

    kraver(permissions.kan_administrera(user, post.forbund))
    for utfall in list(post.utfall.all()):
        utfall_spara(user=user, post=post, belopp=None, manad=utfall.manad, kvartal=utfall.kvartal)
    audit_log(
        user=user,
        instance=post,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff(snapshot(post, ("namn", "ar", *POSTFALT)), {}),
    )
    post.delete()
