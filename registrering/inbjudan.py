"""The invitation by e-mail: the one-time link to choose a password, and the mail itself.

The link carries Django's password-reset token (`default_token_generator`): it is made from the
account's password hash and last login, so it dies as soon as a password is chosen (or the
account logs in), and after PASSWORD_RESET_TIMEOUT (settings: 7 days). Nothing is stored for it.
With single sign-on (`FINSAM_OIDC_AKTIV`) the mail has no link of that kind: the person logs in
with the organisation's account, and the app never holds a password for them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from registrering.models import User
from registrering.paminnelser import absolut

#: An account that has not set a password yet (Django's "unusable" hash starts with it).
OANVANDBART = "!"


def via_sso() -> bool:
    """Whether the invited log in with the organisation's account instead of a password."""
    return bool(settings.FINSAM_OIDC_AKTIV)


def har_borjat(konto: User) -> bool:
    """Whether the invited person has accepted: chosen a password, or logged in (with SSO)."""
    return konto.has_usable_password() or konto.last_login is not None


#: The same as `har_borjat`, as a filter on accounts.
HAR_BORJAT = ~Q(password__startswith=OANVANDBART) | Q(last_login__isnull=False)


def giltig_dagar() -> int:
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 86400)


def inbjudningslank(konto: User) -> str:
    """The one-time link to choose a password, as an address of the app (FINSAM_BAS_URL)."""
    uid = urlsafe_base64_encode(force_bytes(konto.pk))
    token = default_token_generator.make_token(konto)
    return absolut(reverse("inbjudan", kwargs={"uidb64": uid, "token": token}))


def _roller_i_ord(roller: list[str]) -> str:
    if len(roller) < 2:
        return "".join(roller)
    return f"{', '.join(roller[:-1])} och {roller[-1]}"


def inbjudan_meddelande(
    *, konto: User, inbjuden_av: User | None, roller: list[str]
) -> EmailMessage:
    """The mail to `konto`: who invited them to what, with which roles, and how to get in."""
    forbund = konto.forbund
    sso = via_sso()
    text = render_to_string(
        "registrering/mail/inbjudan.txt",
        {
            "hej": konto.first_name.strip() or konto.get_username(),
            "av": (inbjuden_av.get_full_name() or inbjuden_av.get_username())
            if inbjuden_av is not None
            else "",
            "forbund": forbund,
            "roller": _roller_i_ord(sorted(roller)),
            "anvandarnamn": konto.get_username(),
            "sso": sso,
            "idp_namn": settings.FINSAM_OIDC_NAMN,
            "lank": absolut(reverse("login")) if sso else inbjudningslank(konto),
            "dagar": giltig_dagar(),
        },
    )
    amne = f"Inbjudan till Finsam uppföljning{f' för {forbund.namn}' if forbund else ''}"
    return EmailMessage(
        subject=amne,
        body=str(text).rstrip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[konto.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
