"""The load test's data (bench/last.py): the demo, its months copied to older years, and the
accounts of the load users with a month each. Runs in the driver's process, whose environment
is already the bench's."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

SKUR_AR = tuple(range(2006, 2026))
KALLA = 2025  # the demo year whose months are copied to the older years
#: The load users: 50 accounts cloned from the demo's, by role.
KONTON = {"verksamhetsutvecklare": 15, "insatsansvarig": 15, "forbundschef": 10, "styrelse": 10}
LOSENORD = "finsam-demo"


# --- Data: demo, old years, accounts, months to save ----------------------------------------


def forbered_data(ar: int, *, formular: bool) -> dict[str, Any]:
    """Migrate, load the demo and collect the static files in this process (the environment is
    already the bench's); copy the demo year to the older years and clone the accounts. Returns
    the plan the locust users follow."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0, interactive=False)
    call_command("demodata", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", verbosity=0, interactive=False)
    from registrering.models import Forbund

    forbund = Forbund.objects.get(anvandare__username="verksamhetsutvecklare")
    gamla_ar(forbund)
    konton = klona_konton(forbund, ar, formular=formular)
    connections.close_all()
    from django.conf import settings

    return {
        "ar": ar,
        "forbund": forbund.pk,
        "konton": konton,
        "sessionskaka": settings.SESSION_COOKIE_NAME,
    }


def gamla_ar(forbund: Any) -> None:
    """The KALLA year's months (with their breakdowns) copied to every older year of the burst,
    and the insatser started before them."""
    from registrering.models import AvslutadePerAnledning, Insats, Manadsrapport, NyaPerHuvudman

    Insats.objects.filter(forbund=forbund).update(startdatum=dt.date(SKUR_AR[0] - 1, 1, 1))
    kalla = list(
        Manadsrapport.objects.filter(insats__forbund=forbund, ar=KALLA).prefetch_related(
            "avslut", "nya_huvudman"
        )
    )
    for ar in SKUR_AR:
        if ar == KALLA:
            continue
        kopior = []
        for r in kalla:
            kopia = Manadsrapport(
                **{f.attname: getattr(r, f.attname) for f in Manadsrapport._meta.concrete_fields}
            )
            kopia.pk, kopia.ar = None, ar
            kopior.append(kopia)
        Manadsrapport.objects.bulk_create(kopior)
        AvslutadePerAnledning.objects.bulk_create(
            AvslutadePerAnledning(rapport=k, anledning_id=a.anledning_id, antal=a.antal)
            for r, k in zip(kalla, kopior, strict=True)
            for a in r.avslut.all()
        )
        NyaPerHuvudman.objects.bulk_create(
            NyaPerHuvudman(rapport=k, huvudman_id=n.huvudman_id, antal=n.antal)
            for r, k in zip(kalla, kopior, strict=True)
            for n in r.nya_huvudman.all()
        )


def klona_konton(forbund: Any, ar: int, *, formular: bool) -> list[dict[str, Any]]:
    """KONTON accounts cloned from the demo's (same password, förbund, roles and insatser), each
    with a month page: one of its own to save when the role may edit a month that no other
    account saves, else the first insats's January to look at."""
    from registrering.models import Insats, User

    mallar = {u.username: u for u in User.objects.filter(username__in=KONTON)}
    insatser = list(Insats.objects.filter(forbund=forbund).order_by("pk"))
    lediga = redigerbara_manader(mallar, insatser, ar)
    plan = []
    for roll, antal in KONTON.items():
        mall = mallar[roll]
        for n in range(antal):
            user = User.objects.create(
                username=f"last-{roll}-{n:02}",
                password=mall.password,
                forbund=forbund,
                first_name=mall.first_name,
                last_name=f"{mall.last_name} {n}",
            )
            user.groups.set(mall.groups.all())
            user.ansvar_for_insatser.set(mall.ansvar_for_insatser.all())
            egen = next((p for p in lediga[roll] if p in lediga["fria"]), None)
            if egen:
                lediga["fria"].discard(egen)
            insats_id, manad = egen or (
                (mall.ansvar_for_insatser.order_by("pk").first() or insatser[0]).pk,
                1,
            )
            plan.append(
                {
                    "username": user.username,
                    "password": LOSENORD,
                    "session": "" if formular else session(user),
                    "roll": roll,
                    "manad": f"/registrering/insats/{insats_id}/{ar}/{manad}/",
                    "spara": egen is not None,
                }
            )
    return plan


def session(user: Any) -> str:
    """A session of the account as the login form would start it (without hashing the
    password: 50 logins cost tens of seconds of CPU before the load could begin)."""
    from django.conf import settings
    from django.test import Client

    klient = Client()
    klient.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return str(klient.cookies[settings.SESSION_COOKIE_NAME].value)


def redigerbara_manader(mallar: dict[str, Any], insatser: list[Any], ar: int) -> dict[str, Any]:
    """Per role, the (insats, month) pairs of `ar` it may save now by the product's own rules;
    "fria" is the set not yet given to an account. The demo has too few months in draft for
    every saving account to have one of its own (two saving the same month get a conflict), so
    all months of `ar` are put back to draft first: saved unchanged, a draft changes no status
    and warms no PDF."""
    from django.utils import timezone

    from registrering import permissions, regler
    from registrering.models import Manadsrapport

    idag = timezone.localdate()
    Manadsrapport.objects.filter(insats__in=insatser, ar=ar).update(
        status=Manadsrapport.Status.UTKAST
    )
    oppna = {
        (r.insats_id, r.manad): r.status
        for r in Manadsrapport.objects.filter(
            insats__in=insatser,
            ar=ar,
            status__in=[Manadsrapport.Status.UTKAST, Manadsrapport.Status.RETURNERAD],
        )
    }
    per_roll: dict[str, Any] = {"fria": set(oppna)}
    for roll, mall in mallar.items():
        kan_godkanna = permissions.kan_godkanna(mall, mall.forbund)
        per_roll[roll] = [
            (i.pk, m)
            for i in insatser
            for m in range(1, 13)
            if (i.pk, m) in oppna
            and permissions.kan_rapportera(mall, i)
            and not regler.manad_redigerbar(
                insats=i,
                ar=ar,
                manad=m,
                status=oppna[(i.pk, m)],
                idag=idag,
                kan_godkanna=kan_godkanna,
            )
        ]
    return per_roll
