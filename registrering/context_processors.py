"""The main menu, built from what the user's roles let them open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from registrering import permissions
from registrering.paminnelser import anvandarens_slag
from registrering.permissions import Roll
from registrering.tvasteg import steg_kvar


def huvudmeny(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    if steg_kvar(request) is not None:
        # A code is left to type after the password: no page but that one is open yet.
        return {"tvasteg_vantar": True}
    roller = permissions.roller(user)
    punkter: list[tuple[str, str]] = []
    if Roll.INSATSANSVARIG in roller:
        punkter.append(("Mina insatser", reverse("registrering:mina_insatser")))
    if user.is_superuser or roller & permissions.ADMINISTRERANDE:
        punkter.append(("Månadsöversikt", reverse("registrering:oversikt")))
    if user.is_superuser or roller & (permissions.ADMINISTRERANDE | {Roll.STYRELSE}):
        punkter.append(("Mål", reverse("rapporter:mal")))
        # "Resultat och effekter" is reached from Rapporter and the goal page (six items fit
        # a phone).
        punkter.append(("Rapporter", reverse("rapporter:index")))
    if user.is_superuser or roller & permissions.FORBUNDETS_ROLLER:
        # Every role of a förbund (not the installation's or a group's), each its part: the
        # kansli manages, the styrelse reads, an insatsansvarig prints the posters of their own
        # insatser's rounds. The results and the Indikatorer report are reached from there (one
        # menu item, so the menu fits a phone).
        punkter.append(("Enkäter", reverse("enkater:hantering")))
    if Roll.SAMORDNARE in roller:
        punkter.append(("Samverkan", reverse("samverkan:index")))
    if roller & permissions.ADMINISTRERANDE:
        punkter.append(("Konton", reverse("konton")))
    if permissions.kan_hantera_forbund(user):
        punkter.append(("Förbund", reverse("system:index")))
    if permissions.kan_oppna_admin(user):
        punkter.append(("Administration", reverse("admin:index")))
    path = request.path
    return {
        # The header's link to the user's own reminders, for those who get any.
        "paminnelser_url": reverse("paminnelser") if anvandarens_slag(user) else "",
        "huvudmeny": [
            {
                "namn": namn,
                "url": url,
                "aktiv": path == url or (url != "/" and path.startswith(url)),
            }
            for namn, url in punkter
        ],
    }
