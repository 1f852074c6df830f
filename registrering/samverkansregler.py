"""What may be saved about groups of förbund and their samordnare (issue 14, point 4).

Plain functions returning `Fel` (see `registrering.regler`); the services ask them before they
write, and the group pages put their messages at the fields.
"""

from __future__ import annotations

import re

from registrering.regelgrund import HELA, Fel

KORTNAMN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def forbundsgrupp(
    *,
    namn: str,
    kortnamn: str,
    antal_forbund: int,
    namn_upptaget: bool,
    kortnamn_upptaget: bool,
) -> list[Fel]:
    """A group has a name and a short name no other group has, and at least one förbund (a
    förbund may be in any number of groups)."""
    fel = []
    if not namn.strip():
        fel.append(Fel("namn", "Ange gruppens namn."))
    elif namn_upptaget:
        fel.append(Fel("namn", f"Det finns redan en grupp som heter ”{namn.strip()}”."))
    if not KORTNAMN.match(kortnamn):
        fel.append(
            Fel(
                "kortnamn",
                "Kortnamnet används i adressen: små bokstäver a–z, siffror och bindestreck, "
                "t.ex. ”jonkopings-lan”.",
            )
        )
    elif kortnamn_upptaget:
        fel.append(Fel("kortnamn", f"Kortnamnet ”{kortnamn}” används redan av en annan grupp."))
    if antal_forbund < 1:
        fel.append(Fel("forbund", "Välj minst ett förbund."))
    return fel


def samordnare(*, har_forbund: bool, ar_samordnare: bool) -> list[Fel]:
    """A group's samordnare is an account with the role samordnare that belongs to no förbund
    (it reads the group's figures, not one förbund's)."""
    if har_forbund:
        return [Fel(HELA, "En samordnare hör inte till något förbund; välj ett annat konto.")]
    if not ar_samordnare:
        return [Fel(HELA, "Kontot har inte rollen samordnare.")]
    return []


def samordnare_namn(*, fornamn: str, efternamn: str) -> list[Fel]:
    """A new samordnare's account has a name (the e-mail address is
    `services.anvandare.epost_fel`'s, as for every invited account)."""
    fel = []
    if not fornamn.strip():
        fel.append(Fel("fornamn", "Ange samordnarens förnamn."))
    if not efternamn.strip():
        fel.append(Fel("efternamn", "Ange samordnarens efternamn."))
    return fel
