"""A förbund's members (medlemmar) with their population at 31/12 of a year: added, changed
and removed together, as the systemadministratör's page sets them up (`medlemmar_spara`), or
one member with its population of several years, as a file imports them and the admin saves
them (`medlem_spara`, `medlem_ta_bort`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from registrering import forbundsregler, permissions
from registrering.audit import audit_log, diff, logga_andring
from registrering.models import AuditEntry, Befolkning, Forbund, Medlem, User
from registrering.regelgrund import Fel, artal, kontrollera
from registrering.services._stod import kraver


@dataclass(frozen=True)
class Medlemsrad:
    """One member as the form gives it: an existing one (`medlem`) or a new one, its name,
    type and order, its population at 31/12 of the year (None: none that year), or removed."""

    namn: str
    typ: str
    invanare: int | None = None
    medlem: Medlem | None = None
    ordning: int = 0
    ta_bort: bool = False


def kan_hantera_medlemmar(user: User, forbund: Forbund) -> bool:
    """The systemadministratör sets up any förbund's members; the förbund's own
    administrators may keep them up to date."""
    return permissions.kan_hantera_forbund(user) or permissions.kan_administrera(user, forbund)


def _medlem_snapshot(medlem: Medlem, ar: int, invanare: int | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "namn": medlem.namn,
        "typ": medlem.typ,
        "ordning": medlem.ordning,
    }
    if invanare is not None:
        data[f"invånare 31/12 {ar}"] = invanare
    return data


def medlemmar_fel(*, rader: Sequence[Medlemsrad], ar: int) -> dict[int, list[Fel]]:
    """The rules of each row (by its index): the member itself, its name not used by an
    earlier row, a member with population of other years still a kommun, and a removed member
    not running any insats. These are the installation's pages' (/system/): a member's insatser
    are counted, not named, since the systemadministratör sees no förbund's insatser."""
    fel: dict[int, list[Fel]] = {}
    tidigare: list[str] = []
    for i, rad in enumerate(rader):
        if rad.ta_bort:
            if rad.medlem is not None:
                insatser = rad.medlem.insatser.values_list("namn", flat=True)
                radfel = forbundsregler.medlem_ta_bort_fel(
                    namn=rad.medlem.namn, insatser=list(insatser), namnge=False
                )
            else:
                radfel = []
        else:
            radfel = forbundsregler.medlem_fel(
                namn=rad.namn, typ=rad.typ, invanare=rad.invanare, ar=ar
            ) + forbundsregler.medlem_namn_upprepat(rad.namn, tidigare)
            if rad.medlem is not None and rad.medlem.pk is not None:
                andra_ar = list(rad.medlem.befolkning.exclude(ar=ar).values_list("ar", flat=True))
                radfel += forbundsregler.medlem_typ_fel(typ=rad.typ, ar_med_befolkning=andra_ar)
            tidigare.append(rad.namn)
        if radfel:
            fel[i] = radfel
    return fel


def _befolkning_satt(medlem: Medlem, ar: int, invanare: int | None) -> int | None:
    """Store (or, with None, remove) the member's population at 31/12 `ar`; returns the old."""
    befintlig = Befolkning.objects.filter(medlem=medlem, ar=ar).first()
    fore = befintlig.invanare if befintlig is not None else None
    if invanare is None:
        if befintlig is not None:
            befintlig.delete()
    elif befintlig is None:
        Befolkning(medlem=medlem, ar=ar, invanare=invanare).save()
    elif befintlig.invanare != invanare:
        befintlig.invanare = invanare
        befintlig.save(update_fields=["invanare"])
    return fore


def _ta_bort(user: User, medlem: Medlem, ar: int) -> None:
    invanare = Befolkning.objects.filter(medlem=medlem, ar=ar).values_list("invanare", flat=True)
    fore = _medlem_snapshot(medlem, ar, invanare.first())
    audit_log(
        user=user, instance=medlem, action=AuditEntry.Action.BORTTAGEN, changes=diff(fore, {})
    )
    medlem.delete()  # its population goes with it (the cascade)


@transaction.atomic
def medlemmar_spara(
    *, user: User, forbund: Forbund, rader: Sequence[Medlemsrad], ar: int
) -> list[Medlem]:
    """Add, change and remove the förbund's members and set their population at 31/12 `ar`,
    all or nothing. One audit row per member that changed, with old → new (its population
    as "invånare 31/12 <år>"). A member used by an insats cannot be removed (the database
    protects it) and keeps its row."""
    kraver(
        kan_hantera_medlemmar(user, forbund),
        "Medlemmarna ändras av systemadministratören eller förbundets administratör.",
    )
    for rad in rader:
        if rad.medlem is not None and rad.medlem.forbund_id != forbund.pk:
            kraver(False, "Medlemmen hör till ett annat förbund.")
    if fel := medlemmar_fel(rader=rader, ar=ar):
        kontrollera(*fel.values())
    for rad in rader:
        if rad.ta_bort and rad.medlem is not None:
            _ta_bort(user, rad.medlem, ar)
    sparade = []
    for rad in rader:
        if rad.ta_bort:
            continue
        medlem = rad.medlem or Medlem(forbund=forbund)
        befintlig_befolkning = (
            Befolkning.objects.filter(medlem=medlem, ar=ar).values_list("invanare", flat=True)
            if medlem.pk
            else None
        )
        fore = (
            _medlem_snapshot(medlem, ar, befintlig_befolkning.first())
            if befintlig_befolkning is not None
            else {}
        )
        medlem.namn, medlem.typ, medlem.ordning = rad.namn.strip(), rad.typ, rad.ordning
        medlem.full_clean()
        medlem.save()
        _befolkning_satt(medlem, ar, rad.invanare)
        logga_andring(
            user=user,
            instance=medlem,
            fore=fore,
            efter=_medlem_snapshot(medlem, ar, rad.invanare),
            fanns=bool(fore),
        )
        sparade.append(medlem)
    return sparade


def _snapshot_ar(medlem: Medlem, befolkning: Mapping[int, int]) -> dict[str, Any]:
    data: dict[str, Any] = {"namn": medlem.namn, "typ": medlem.typ, "ordning": medlem.ordning}
    for ar, invanare in sorted(befolkning.items()):
        data[f"invånare 31/12 {ar}"] = invanare
    return data


def medlem_spara_fel(
    *,
    namn: str,
    typ: str,
    befolkning: Mapping[int, int],
    sparade_ar: Sequence[int] = (),
    ovriga_namn: Sequence[str] = (),
) -> list[Fel]:
    """The rules of one member with its population per year: each year a real year and the
    member's own rules for it (`forbundsregler.medlem_fel`), its name not another member's, and
    a member with population saved for other years (`sparade_ar`) still a kommun."""
    fel = forbundsregler.medlem_namn_upprepat(namn, ovriga_namn)
    if not befolkning:
        fel += forbundsregler.medlem_fel(namn=namn, typ=typ, invanare=None, ar=0)
    for ar, invanare in sorted(befolkning.items()):
        fel += artal(ar) + forbundsregler.medlem_fel(namn=namn, typ=typ, invanare=invanare, ar=ar)
    ovriga_ar = set(sparade_ar) - set(befolkning)
    fel += forbundsregler.medlem_typ_fel(typ=typ, ar_med_befolkning=ovriga_ar)
    return list(dict.fromkeys(fel))  # a name's message once, not once per year


@transaction.atomic
def medlem_spara(
    *,
    user: User,
    forbund: Forbund,
    medlem: Medlem | None = None,
    namn: str,
    typ: str,
    ordning: int | None = None,
    befolkning: Mapping[int, int] | None = None,
    ta_bort_ar: Collection[int] = (),
    import_fran: str | None = None,
) -> Medlem:
    """Create a member (`medlem=None`) or change one, set its population at 31/12 of each year
    in `befolkning` and remove that of the years in `ta_bort_ar` (the years not given keep
    theirs; a year in both is set). `ordning` None keeps the order (0 for a new member). One
    audit row, old → new, the population as "invånare 31/12 <år>"."""
    kraver(
        kan_hantera_medlemmar(user, forbund),
        "Medlemmarna ändras av systemadministratören eller förbundets administratör.",
    )
    befolkning = dict(befolkning or {})
    if medlem is not None and medlem.pk is not None:
        kraver(medlem.forbund_id == forbund.pk, "Medlemmen hör till ett annat förbund.")
        post = Medlem.objects.select_for_update().get(pk=medlem.pk)
        sparad = dict(post.befolkning.values_list("ar", "invanare"))
        fore = _snapshot_ar(post, sparad)
    else:
        post, sparad, fore = Medlem(forbund=forbund), {}, {}
    borttagna = {ar for ar in ta_bort_ar if ar in sparad and ar not in befolkning}
    kvar = {ar: invanare for ar, invanare in sparad.items() if ar not in borttagna}
    ovriga = (
        Medlem.objects.filter(forbund=forbund).exclude(pk=post.pk).values_list("namn", flat=True)
    )
    kontrollera(
        medlem_spara_fel(
            namn=namn,
            typ=typ,
            befolkning=befolkning,
            sparade_ar=list(kvar),
            ovriga_namn=list(ovriga),
        )
    )
    post.namn, post.typ = namn.strip(), typ
    if ordning is not None:
        post.ordning = ordning
    post.full_clean()
    post.save()
    for ar in borttagna:
        _befolkning_satt(post, ar, None)
    for ar, invanare in befolkning.items():
        _befolkning_satt(post, ar, invanare)
    logga_andring(
        user=user,
        instance=post,
        fore=fore,
        efter=_snapshot_ar(post, {**kvar, **befolkning}),
        fanns=bool(fore),
        import_fran=import_fran,
    )
    return post


@transaction.atomic
def medlem_ta_bort(*, user: User, medlem: Medlem) -> None:
    """Remove a member with its population of every year, unless it runs an insats
    (`forbundsregler.medlem_ta_bort_fel`). One audit row with what was removed."""
    kraver(
        kan_hantera_medlemmar(user, medlem.forbund),
        "Medlemmarna ändras av systemadministratören eller förbundets administratör.",
    )
    post = Medlem.objects.select_for_update().get(pk=medlem.pk)
    insatser = post.insatser.values_list("namn", flat=True)
    kontrollera(forbundsregler.medlem_ta_bort_fel(namn=post.namn, insatser=list(insatser)))
    fore = _snapshot_ar(post, dict(post.befolkning.values_list("ar", "invanare")))
    audit_log(user=user, instance=post, action=AuditEntry.Action.BORTTAGEN, changes=diff(fore, {}))
    post.delete()  # its population goes with it (the cascade)
