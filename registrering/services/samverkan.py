"""Groups of förbund and their samordnare (issue 14, point 4): created and changed by the
systemadministratör (`permissions.kan_hantera_forbund`), each write audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from registrering import permissions, samverkansregler
from registrering.audit import logga_andring, snapshot
from registrering.models import Forbund, Forbundsgrupp, User
from registrering.permissions import Roll
from registrering.regelgrund import kontrollera
from registrering.services._stod import kraver

# The invitation of a förbund's users, reused: the account without a password and its mail.
from registrering.services.anvandare import _skapa, _skicka, epost_fel

SYSTEMADMINISTRATORENS = "Grupperna hanteras av systemadministratören."


def _gruppens_varden(grupp: Forbundsgrupp) -> dict[str, object]:
    varden = snapshot(grupp, ["namn", "kortnamn"])
    varden["forbund"] = ", ".join(sorted(f.namn for f in grupp.forbund.all()))
    varden["samordnare"] = ", ".join(sorted(str(u) for u in grupp.samordnare.all()))
    return varden


@transaction.atomic
def forbundsgrupp_spara(
    *,
    user: User,
    grupp: Forbundsgrupp | None,
    namn: str,
    kortnamn: str,
    forbund: Iterable[Forbund],
) -> Forbundsgrupp:
    """Create a group (`grupp=None`) or change its names and förbund; one audit row with
    old → new (the förbund by name)."""
    kraver(permissions.kan_hantera_forbund(user), SYSTEMADMINISTRATORENS)
    medlemmar = list(forbund)
    namn, kortnamn = namn.strip(), kortnamn.strip()
    andra = Forbundsgrupp.objects.all()
    if grupp is not None:
        andra = andra.exclude(pk=grupp.pk)
    kontrollera(
        samverkansregler.forbundsgrupp(
            namn=namn,
            kortnamn=kortnamn,
            antal_forbund=len(medlemmar),
            namn_upptaget=andra.filter(namn__iexact=namn).exists(),
            kortnamn_upptaget=andra.filter(kortnamn=kortnamn).exists(),
        )
    )
    if grupp is None:
        post, fore = Forbundsgrupp(), {}
    else:
        post = Forbundsgrupp.objects.select_for_update().get(pk=grupp.pk)
        fore = _gruppens_varden(post)
    post.namn, post.kortnamn = namn, kortnamn
    post.full_clean()
    post.save()
    post.forbund.set(medlemmar)
    logga_andring(
        user=user, instance=post, fore=fore, efter=_gruppens_varden(post), fanns=bool(fore)
    )
    return post


@transaction.atomic
def samordnare_satt(*, user: User, grupp: Forbundsgrupp, samordnare: Iterable[User]) -> None:
    """Give the group exactly these samordnare (accounts with the role samordnare and no
    förbund); one audit row with old → new."""
    kraver(permissions.kan_hantera_forbund(user), SYSTEMADMINISTRATORENS)
    konton = list(samordnare)
    for konto in konton:
        kontrollera(
            samverkansregler.samordnare(
                har_forbund=konto.forbund_id is not None,
                ar_samordnare=konto.groups.filter(name=Roll.SAMORDNARE).exists(),
            )
        )
    fore = _gruppens_varden(grupp)
    grupp.samordnare.set(konton)
    logga_andring(user=user, instance=grupp, fore=fore, efter=_gruppens_varden(grupp), fanns=True)


@transaction.atomic
def samordnare_bjud_in(
    *, user: User, grupp: Forbundsgrupp, fornamn: str, efternamn: str, epost: str
) -> User:
    """A new samordnare for the group, invited by e-mail: an account with the role samordnare
    and no förbund, linked to `grupp`, and the invitation's one-time link to choose a password
    (`registrering.inbjudan`, as for a förbund's users; with SSO, how to log in). Audited: the
    account, its role and the group's samordnare, each with old → new."""
    kraver(permissions.kan_hantera_forbund(user), SYSTEMADMINISTRATORENS)
    epost = epost.strip()
    kontrollera(
        samverkansregler.samordnare_namn(fornamn=fornamn, efternamn=efternamn),
        epost_fel(epost),
    )
    konto = _skapa(
        user=user,
        forbund=None,
        fornamn=fornamn,
        efternamn=efternamn,
        epost=epost,
        roller=[Roll.SAMORDNARE],
        kommentar=f"Inbjuden som samordnare för {grupp.namn}.",
    )
    samordnare_satt(user=user, grupp=grupp, samordnare=[*grupp.samordnare.all(), konto])
    _skicka(konto, user)
    return konto
