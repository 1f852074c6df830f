"""A förbund's accounts as the product manages them: invited by e-mail (the systemadministratör
invites a förbund's first verksamhetsutvecklare, the verksamhetsutvecklare or förbundschef the
rest), their roles and insatser changed, switched off and on, and the invitation accepted.

Every write is atomic and audited with who acted, old → new. The invitation's mail is sent last
inside the transaction: when the mail server refuses it, no half-invited account is left.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from registrering import forbundsregler, inbjudan, permissions
from registrering.audit import audit_log, snapshot
from registrering.models import AuditEntry, Forbund, Insats, User
from registrering.permissions import FORBUNDETS_ROLLER, Roll
from registrering.regelgrund import Fel, kontrollera
from registrering.services._stod import kraver
from registrering.services.konto import konto_roller_satt

KONTOFALT = ("username", "email", "first_name", "last_name", "forbund", "is_active")


def _namn(insatser: Iterable[Insats]) -> str:
    return ", ".join(sorted(i.namn for i in insatser))


def _forbundets_roller(konto: User) -> list[str]:
    forbundets = {str(r) for r in FORBUNDETS_ROLLER}
    return sorted(n for n in konto.groups.values_list("name", flat=True) if n in forbundets)


def epost_fel(epost: str) -> list[Fel]:
    """A valid address that no account has yet (it becomes the new account's username)."""
    try:
        validate_email(epost)
    except ValidationError:
        return [Fel("epost", "Ange en giltig e-postadress, t.ex. namn@kommun.se.")]
    if User.objects.filter(Q(username__iexact=epost) | Q(email__iexact=epost)).exists():
        return [Fel("epost", f"Det finns redan ett konto med e-postadressen {epost}.")]
    return []


def _insatser_i_forbundet(forbund: Forbund, insatser: Collection[Insats]) -> None:
    kraver(
        all(i.forbund_id == forbund.pk for i in insatser),
        "Insatsen hör till ett annat förbund.",
    )


def _skapa(
    *,
    user: User | None,
    forbund: Forbund | None,
    fornamn: str,
    efternamn: str,
    epost: str,
    roller: Collection[str],
    kommentar: str,
) -> User:
    epost = epost.strip().lower()
    konto = User(
        username=epost[:150],
        email=epost,
        first_name=fornamn.strip()[:150],
        last_name=efternamn.strip()[:150],
        forbund=forbund,
    )
    konto.set_unusable_password()
    konto.full_clean(exclude=["password"])
    konto.save()
    audit_log(
        user=user,
        instance=konto,
        action=AuditEntry.Action.SKAPAD,
        changes={
            k: [None, v] for k, v in snapshot(konto, KONTOFALT).items() if v not in (None, "")
        },
        kommentar=kommentar,
    )
    konto_roller_satt(konto=konto, roller=roller, kommentar=kommentar, user=user)
    return konto


def _skicka(konto: User, user: User | None) -> None:
    meddelande = inbjudan.inbjudan_meddelande(
        konto=konto, inbjuden_av=user, roller=list(konto.groups.values_list("name", flat=True))
    )
    get_connection().send_messages([meddelande])


@transaction.atomic
def forsta_verksamhetsutvecklare_bjud_in(
    *, user: User, forbund: Forbund, fornamn: str, efternamn: str, epost: str
) -> User:
    """The systemadministratör invites a förbund's (first) verksamhetsutvecklare: an account
    without a password, in the förbund, with the role and the admin's flag, and a mail with
    the one-time link (or, with SSO, how to log in)."""
    kraver(permissions.kan_hantera_forbund(user), "Det här gör systemadministratören.")
    har_borjat = (
        User.objects.filter(
            forbund=forbund, is_active=True, groups__name=str(Roll.VERKSAMHETSUTVECKLARE)
        )
        .filter(inbjudan.HAR_BORJAT)
        .values_list("username", flat=True)
    )
    kontrollera(
        forbundsregler.forsta_verksamhetsutvecklare_fel(har_borjat=list(har_borjat)),
        epost_fel(epost.strip()),
    )
    konto = _skapa(
        user=user,
        forbund=forbund,
        fornamn=fornamn,
        efternamn=efternamn,
        epost=epost,
        roller=[Roll.VERKSAMHETSUTVECKLARE],
        kommentar="Inbjuden som förbundets verksamhetsutvecklare.",
    )
    _skicka(konto, user)
    return konto


@transaction.atomic
def anvandare_bjud_in(
    *,
    user: User,
    forbund: Forbund,
    fornamn: str,
    efternamn: str,
    epost: str,
    roller: Collection[str],
    insatser: Collection[Insats] = (),
) -> User:
    """The verksamhetsutvecklare or förbundschef invites a user of the förbund with some of
    the förbund's roles (never the systemadministratör's or the samordnare's) and, for an
    insatsansvarig, the insatser they report."""
    kraver(
        permissions.kan_administrera(user, forbund),
        "Det här gör verksamhetsutvecklaren eller förbundschefen.",
    )
    _insatser_i_forbundet(forbund, insatser)
    kontrollera(epost_fel(epost.strip()), forbundsregler.roller_fel(roller, insatser=insatser))
    konto = _skapa(
        user=user,
        forbund=forbund,
        fornamn=fornamn,
        efternamn=efternamn,
        epost=epost,
        roller=roller,
        kommentar="Inbjuden av förbundet.",
    )
    _insatser_satt(user=user, konto=konto, forbund=forbund, insatser=insatser)
    _skicka(konto, user)
    return konto


def _insatser_satt(
    *, user: User, konto: User, forbund: Forbund, insatser: Collection[Insats]
) -> None:
    fore = list(konto.ansvar_for_insatser.filter(forbund=forbund))
    if {i.pk for i in fore} == {i.pk for i in insatser}:
        return
    ovriga = list(konto.ansvar_for_insatser.exclude(forbund=forbund))
    konto.ansvar_for_insatser.set([*ovriga, *insatser])
    audit_log(
        user=user,
        instance=konto,
        action=AuditEntry.Action.ANDRAD,
        changes={"insatser": [_namn(fore), _namn(insatser)]},
    )


@transaction.atomic
def anvandare_andra(
    *, user: User, konto: User, roller: Collection[str], insatser: Collection[Insats]
) -> None:
    """Change a user's roles within the förbund's and the insatser they are responsible for.
    Roles given by the installation (systemadministratör, samordnare) stay as they are; no one
    takes away their own right to manage the accounts."""
    forbund = konto.forbund
    kraver(
        forbund is not None and permissions.kan_administrera(user, forbund),
        "Det här gör verksamhetsutvecklaren eller förbundschefen.",
    )
    assert forbund is not None
    _insatser_i_forbundet(forbund, insatser)
    kontrollera(
        forbundsregler.roller_fel(roller, insatser=insatser),
        forbundsregler.eget_konto_fel(ar_sig_sjalv=konto.pk == user.pk, roller=roller),
    )
    forbundets = {str(r) for r in FORBUNDETS_ROLLER}
    ovriga = [n for n in konto.groups.values_list("name", flat=True) if n not in forbundets]
    konto_roller_satt(
        konto=konto, roller=[*roller, *ovriga], kommentar="Ändrat av förbundet.", user=user
    )
    _insatser_satt(user=user, konto=konto, forbund=forbund, insatser=insatser)


@transaction.atomic
def anvandare_aktivera(*, user: User, konto: User, aktiv: bool) -> bool:
    """Switch an account off (it can no longer log in; its history stays) or on again.
    Returns whether anything changed."""
    forbund = konto.forbund
    kraver(
        forbund is not None and permissions.kan_administrera(user, forbund),
        "Det här gör verksamhetsutvecklaren eller förbundschefen.",
    )
    kontrollera(forbundsregler.eget_konto_fel(ar_sig_sjalv=konto.pk == user.pk, aktiv=aktiv))
    if konto.is_active == aktiv:
        return False
    audit_log(
        user=user,
        instance=konto,
        action=AuditEntry.Action.ANDRAD,
        changes={"is_active": [konto.is_active, aktiv]},
        kommentar="Kontot aktiverat igen." if aktiv else "Kontot avstängt.",
    )
    konto.is_active = aktiv
    konto.save(update_fields=["is_active"])
    return True


def kan_skicka_inbjudan(user: User, konto: User) -> bool:
    """Who may send an account's invitation again: the förbund's administrators, and the
    systemadministratör for a verksamhetsutvecklare (the förbund's first) or a fellow
    systemadministratör."""
    if konto.forbund is not None and permissions.kan_administrera(user, konto.forbund):
        return True
    if not permissions.kan_hantera_forbund(user):
        return False
    roller = set(konto.groups.values_list("name", flat=True))
    return bool({Roll.VERKSAMHETSUTVECKLARE, Roll.SYSTEMADMINISTRATOR} & roller)


@transaction.atomic
def inbjudan_skicka_igen(*, user: User, konto: User) -> None:
    """A new mail with a new link, to an account that has not accepted yet."""
    kraver(kan_skicka_inbjudan(user, konto))
    if inbjudan.har_borjat(konto):
        raise ValidationError(
            f"{konto.get_full_name() or konto.get_username()} har redan loggat in eller valt "
            "lösenord. Inbjudan behövs inte."
        )
    if not konto.is_active:
        raise ValidationError("Kontot är avstängt. Aktivera det först.")
    audit_log(
        user=user,
        instance=konto,
        action=AuditEntry.Action.ANDRAD,
        kommentar="Inbjudan skickad igen.",
    )
    _skicka(konto, user)


@transaction.atomic
def inbjudan_acceptera(*, konto: User, losenord: str) -> None:
    """The invited person chose their password (checked by the password validators in the
    form): the link's token dies with the old hash."""
    konto.set_password(losenord)
    konto.save(update_fields=["password"])
    audit_log(
        user=konto,
        instance=konto,
        action=AuditEntry.Action.ANDRAD,
        kommentar="Inbjudan accepterad: lösenordet är valt.",
    )


@transaction.atomic
def systemadministrator_skapa(
    *, anvandarnamn: str, epost: str, losenord: str | None = None, user: User | None = None
) -> User:
    """A systemadministratör (no förbund, not superuser, not staff): with a password, or
    without one for an invitation link. By a command (`user` None) or another one."""
    if user is not None:
        kraver(permissions.kan_hantera_forbund(user), "Det här gör systemadministratören.")
    kontrollera(epost_fel(epost.strip()))
    if User.objects.filter(username__iexact=anvandarnamn.strip()).exists():
        raise ValidationError({"anvandarnamn": f"Användarnamnet {anvandarnamn} är upptaget."})
    konto = User(username=anvandarnamn.strip(), email=epost.strip().lower())
    konto.set_unusable_password()
    konto.full_clean(exclude=["password"])
    konto.save()
    audit_log(
        user=user,
        instance=konto,
        action=AuditEntry.Action.SKAPAD,
        changes={
            k: [None, v] for k, v in snapshot(konto, KONTOFALT).items() if v not in (None, "")
        },
        kommentar="Systemadministratör.",
    )
    konto_roller_satt(
        konto=konto, roller=[Roll.SYSTEMADMINISTRATOR], kommentar="Systemadministratör.", user=user
    )
    if losenord is not None:
        inbjudan_acceptera(konto=konto, losenord=losenord)
    return konto
