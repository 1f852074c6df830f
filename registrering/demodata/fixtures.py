"""The demo förbund's fixtures: what no service writes.

The förbund itself, its users and their roles, the members and their population, the
huvudmän, the avslutsanledningar and which insatser use them, the survey's questions and answer
options, and the verksamhetsplan with its cost posts (the målgrupper come from a migration).
They are written directly, matched on their natural keys, as an installation sets up a förbund
before its first import; every figure is written by `loader.py` through the services.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.contrib.auth.models import Group

from registrering import models as m
from registrering.demodata import data as demo
from registrering.demodata.fordelning import uppsattning


def forbund() -> m.Forbund:
    """The förbund (its Bakgrund and Metod texts are set through the services)."""
    return m.Forbund.objects.update_or_create(
        namn=demo.FORBUND_NAMN,
        defaults={"kortnamn": demo.FORBUND_KORTNAMN, "rapportdag": demo.RAPPORTDAG},
    )[0]


def medlemmar(forbund: m.Forbund) -> dict[str, m.Medlem]:
    result = {}
    for ordning, (namn, typ, invanare) in enumerate(demo.MEDLEMMAR, start=1):
        medlem, _ = m.Medlem.objects.update_or_create(
            forbund=forbund, namn=namn, defaults={"typ": typ, "ordning": ordning}
        )
        result[namn] = medlem
        if invanare:
            m.Befolkning.objects.update_or_create(
                medlem=medlem, ar=demo.BEFOLKNING_AR, defaults={"invanare": invanare}
            )
    return result


def huvudman(forbund: m.Forbund) -> dict[str, m.Huvudman]:
    return {
        namn: m.Huvudman.objects.update_or_create(
            forbund=forbund, namn=namn, defaults={"ordning": i}
        )[0]
        for i, namn in enumerate(demo.HUVUDMAN, start=1)
    }


def anvandare(forbund: m.Forbund) -> dict[str, m.User]:
    """One user per role, with the demo password (kept if someone has changed it)."""
    result = {}
    for a in demo.ANVANDARE:
        user, created = m.User.objects.get_or_create(
            username=a.username,
            defaults={
                "first_name": a.first_name,
                "last_name": a.last_name,
                "forbund": forbund,
                "is_staff": a.is_staff,
            },
        )
        if created or not user.has_usable_password():
            user.set_password(demo.DEMO_LOSENORD)
            user.save(update_fields=["password"])
        if user.is_staff != a.is_staff:
            # Demo data of an earlier version gave the styrelse the admin's flag.
            user.is_staff = a.is_staff
            user.save(update_fields=["is_staff"])
        user.groups.add(Group.objects.get(name=str(a.roll)))
        result[a.username] = user
    return result


def avslutsanledningar(
    forbund: m.Forbund, insatser: dict[str, m.Insats]
) -> dict[tuple[str, str], m.Avslutsanledning]:
    """Both sets of reasons, keyed (uppsättning, namn), and the set each flow insats uses."""
    result = {}
    for namn_pa_uppsattning, rader in (("Allmän", demo.ALLMAN), ("ISA", demo.ISA)):
        for ordning, (namn, etikett, klass, kategori) in enumerate(rader, start=1):
            result[(namn_pa_uppsattning, namn)] = m.Avslutsanledning.objects.update_or_create(
                forbund=forbund,
                uppsattning=namn_pa_uppsattning,
                namn=namn,
                defaults={
                    "rapportetikett": etikett,
                    "klass": klass,
                    "kategori": kategori,
                    "ordning": ordning,
                },
            )[0]
    for namn, insats in insatser.items():
        if not insats.ar_volyminsats:
            egen = uppsattning(namn)
            insats.avslutsanledningar.set([a for (u, _n), a in result.items() if u == egen])
    return result


def enkatfragor(forbund: m.Forbund) -> list[list[m.Svarsalternativ]]:
    """The survey's questions, each as its answer options in order."""
    return [
        _enkatfraga(forbund, ordning, text, malfraga, alternativ)
        for ordning, (text, malfraga, alternativ) in enumerate(demo.ENKATFRAGOR, start=1)
    ]


def _enkatfraga(
    forbund: m.Forbund,
    ordning: int,
    text: str,
    malfraga: bool,
    alternativ: Sequence[tuple[str, bool]],
) -> list[m.Svarsalternativ]:
    fraga, _ = m.Enkatfraga.objects.update_or_create(
        forbund=forbund, text=text, defaults={"ordning": ordning, "malfraga": malfraga}
    )
    return [
        m.Svarsalternativ.objects.update_or_create(
            fraga=fraga, text=a, defaults={"ordning": i, "positivt": positivt}
        )[0]
        for i, (a, positivt) in enumerate(alternativ, start=1)
    ]


def verksamhetsplaner(forbund: m.Forbund) -> None:
    for ar, tilldelning in demo.TILLDELNING.items():
        m.Verksamhetsplan.objects.update_or_create(
            forbund=forbund,
            ar=ar,
            defaults={
                "tilldelning": tilldelning,
                "enkatmal_procent": demo.ENKATMAL_PROCENT,
                "kapitaltak_procent": demo.KAPITALTAK_PROCENT,
                "eget_kapital_ingaende": demo.EGET_KAPITAL_1_1[ar],
            },
        )


def kostnadsposter(
    forbund: m.Forbund, insatser: Mapping[str, m.Insats]
) -> dict[int, list[m.Kostnadspost]]:
    """The cost posts of 2025 and 2026 with their budgets, in the plan's order, per year: each
    for administration or insatser, and the insats it is the cost of."""
    return {
        ar: [
            m.Kostnadspost.objects.update_or_create(
                forbund=forbund,
                ar=ar,
                namn=namn,
                defaults={
                    "kod": kod,
                    "budget": budget,
                    "ordning": ordning,
                    "typ": typ,
                    "insats": insatser[insats] if insats else None,
                },
            )[0]
            for ordning, (namn, kod, budget, typ, insats) in enumerate(poster, start=1)
        ]
        for ar, poster in ((2025, demo.KOSTNADSPOSTER_2025), (2026, demo.KOSTNADSPOSTER_2026))
    }
