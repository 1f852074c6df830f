"""The year's bilaga and plan: comments per section, the Bakgrund and Metod texts, the
compilation date, volume targets, and the utfall of the cost posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from registrering import permissions, regler
from registrering.audit import audit_log, diff, logga_andring, snapshot
from registrering.models import (
    Arsbilaga,
    AuditEntry,
    BudgeteradVolym,
    Forbund,
    Insats,
    Kommentar,
    Kostnadspost,
    User,
    Utfall,
)
from registrering.regler import Fel
from registrering.services._stod import kraver


@transaction.atomic
def kommentar_spara(
    *, user: User, forbund: Forbund, ar: int, avsnitt: str, text: str
) -> Kommentar | None:
    """Write (or with an empty text remove) the KOMMENTAR under a section of the year's bilaga."""
    kraver(permissions.kan_administrera(user, forbund))
    if avsnitt not in Kommentar.Avsnitt.values:
        raise ValidationError({"avsnitt": "Okänt avsnitt."})
    regler.kontrollera(regler.artal(ar))
    kommentar = Kommentar.objects.filter(forbund=forbund, ar=ar, avsnitt=avsnitt).first()
    fore = {"text": kommentar.text} if kommentar else {}
    if not text.strip():
        if kommentar is not None:
            audit_log(
                user=user,
                instance=kommentar,
                action=AuditEntry.Action.BORTTAGEN,
                changes=diff(fore, {}),
            )
            kommentar.delete()
        return None
    kommentar = kommentar or Kommentar(forbund=forbund, ar=ar, avsnitt=avsnitt)
    kommentar.text = text.strip()
    kommentar.full_clean()
    kommentar.save()
    logga_andring(user=user, instance=kommentar, fore=fore, efter={"text": kommentar.text})
    return kommentar


TEXTFALT = ("bakgrund_text", "metod_text")


@transaction.atomic
def forbundstexter_spara(
    *, user: User, forbund: Forbund, varden: Mapping[str, str], import_fran: str | None = None
) -> Forbund:
    """The förbund's Bakgrund and Metod texts (`TEXTFALT`; one left out stays as it is), shown
    in every year's bilaga. One audit row, old → new."""
    kraver(permissions.kan_administrera(user, forbund))
    if okanda := set(varden) - set(TEXTFALT):
        regler.kontrollera([Fel(f, "Okänt fält.") for f in sorted(okanda)])
    forbund = Forbund.objects.select_for_update().get(pk=forbund.pk)
    fore = snapshot(forbund, TEXTFALT)
    for falt, text in varden.items():
        setattr(forbund, falt, text.strip())
    forbund.full_clean()
    forbund.save(update_fields=list(TEXTFALT))
    logga_andring(
        user=user,
        instance=forbund,
        fore=fore,
        efter=snapshot(forbund, TEXTFALT),
        fanns=True,
        import_fran=import_fran,
    )
    return forbund


@transaction.atomic
def bilagetexter_spara(
    *,
    user: User,
    forbund: Forbund,
    ar: int,
    bakgrund_text: str,
    metod_text: str,
    sammanstallningsdatum: dt.date | None,
    upprattad_av: str | None = None,
) -> None:
    """The bilaga's Bakgrund and Metod texts (per förbund), the year's compilation date and
    who compiled it (None: left as it is)."""
    kraver(permissions.kan_administrera(user, forbund))
    regler.kontrollera(regler.artal(ar), regler.sammanstallningsdatum(sammanstallningsdatum, ar=ar))
    forbundstexter_spara(
        user=user,
        forbund=forbund,
        varden={"bakgrund_text": bakgrund_text, "metod_text": metod_text},
    )
    arsbilaga_spara(
        user=user,
        forbund=forbund,
        ar=ar,
        sammanstallningsdatum=sammanstallningsdatum,
        upprattad_av=upprattad_av,
    )


@transaction.atomic
def arsbilaga_spara(
    *,
    user: User,
    forbund: Forbund,
    ar: int,
    sammanstallningsdatum: dt.date | None,
    upprattad_av: str | None = None,
) -> Arsbilaga:
    """The year's compilation date (shown under 2 Metod; empty: the day the bilaga is made)
    and who compiled it (on the cover; None: left as it is)."""
    kraver(permissions.kan_administrera(user, forbund))
    regler.kontrollera(regler.artal(ar), regler.sammanstallningsdatum(sammanstallningsdatum, ar=ar))
    bilaga, skapad = Arsbilaga.objects.get_or_create(forbund=forbund, ar=ar)
    falt = ["sammanstallningsdatum", "upprattad_av"]
    fore = snapshot(bilaga, falt)
    bilaga.sammanstallningsdatum = sammanstallningsdatum
    if upprattad_av is not None:
        bilaga.upprattad_av = " ".join(upprattad_av.split())
    bilaga.full_clean()
    bilaga.save(update_fields=falt)
    logga_andring(
        user=user, instance=bilaga, fore=fore, efter=snapshot(bilaga, falt), fanns=not skapad
    )
    return bilaga


def budgeterad_volym_fel(*, ar: int, volym: object) -> list[Fel]:
    return regler.artal(ar) + regler.antal(volym, falt="volym", etikett="Budgeterad volym")


@transaction.atomic
def budgeterad_volym_satt(
    *, user: User, insats: Insats, ar: int, volym: int, import_fran: str | None = None
) -> BudgeteradVolym:
    """Set the volume target of an insats for a year."""
    kraver(permissions.kan_administrera(user, insats.forbund))
    regler.kontrollera(budgeterad_volym_fel(ar=ar, volym=volym))
    budget = BudgeteradVolym.objects.filter(insats=insats, ar=ar).first()
    fore = {"volym": budget.volym} if budget else {}
    budget = budget or BudgeteradVolym(insats=insats, ar=ar)
    budget.volym = volym
    budget.full_clean()
    budget.save()
    logga_andring(
        user=user, instance=budget, fore=fore, efter={"volym": volym}, import_fran=import_fran
    )
    return budget


@transaction.atomic
def budgeterad_volym_ta_bort(*, user: User, budget: BudgeteradVolym) -> None:
    kraver(permissions.kan_administrera(user, budget.insats.forbund))
    audit_log(
        user=user,
        instance=budget,
        action=AuditEntry.Action.BORTTAGEN,
        changes=diff({"volym": budget.volym}, {}),
    )
    budget.delete()


@transaction.atomic
def utfall_spara(
    *,
    user: User,
    post: Kostnadspost,
    belopp: Decimal | int | None,
    manad: int | None = None,
    kvartal: int | None = None,
    kommentar: str | None = None,
    import_fran: str | None = None,
) -> Utfall | None:
    """Enter (or with `belopp=None` remove) a post's utfall for a month or a quarter."""
    kraver(permissions.kan_administrera(user, post.forbund))
    regler.kontrollera(regler.utfall(belopp=belopp, manad=manad, kvartal=kvartal))
    utfall = (
        Utfall.objects.select_for_update().filter(post=post, manad=manad, kvartal=kvartal).first()
    )
    falt = ["belopp", "kommentar"]
    fore = snapshot(utfall, falt) if utfall else {}
    if belopp is None:
        if utfall is not None:
            audit_log(
                user=user,
                instance=utfall,
                action=AuditEntry.Action.BORTTAGEN,
                changes=diff(fore, {}),
            )
            utfall.delete()
        return None
    utfall = utfall or Utfall(post=post, manad=manad, kvartal=kvartal)
    utfall.belopp = Decimal(belopp)
    if kommentar is not None:
        utfall.kommentar = kommentar.strip()
    utfall.full_clean()
    utfall.save()
    logga_andring(
        user=user,
        instance=utfall,
        fore=fore,
        efter=snapshot(utfall, falt),
        import_fran=import_fran,
    )
    return utfall


@transaction.atomic
def utfall_spara_period(
    *,
    user: User,
    belopp: Iterable[tuple[Kostnadspost, Decimal | int | None]],
    manad: int | None = None,
    kvartal: int | None = None,
) -> None:
    """The utfall of several posts for one month or quarter: all of them or none. Errors are
    keyed `post_<id>` so that a form can show them at the post."""
    rader = list(belopp)
    fel = {
        f"post_{post.pk}": [f.text for f in regler.utfall(belopp=b, manad=manad, kvartal=kvartal)]
        for post, b in rader
    }
    if fel := {k: v for k, v in fel.items() if v}:
        raise ValidationError(fel)
    for post, b in rader:
        utfall_spara(user=user, post=post, belopp=b, manad=manad, kvartal=kvartal)
