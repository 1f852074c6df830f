"""Earlier years' NNS answer counts, imported in the national tool's layout (seed 003: 2020, 2022,
2024): one round of kalla "import" per collection year and respondent group, its counts per
option set through `enkatsvar_satt`, its number of forms the most answered question's n."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum

from registrering import permissions
from registrering.audit import logga_andring, snapshot
from registrering.kalender import insamlingsperiod
from registrering.models import (
    Enkat,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Svarsalternativ,
    User,
)
from registrering.models.enkater import Respondentgrupp
from registrering.services._stod import kraver
from registrering.services.enkat import enkatsvar_satt


@dataclass(frozen=True)
class Indikatorsvar:
    """One row of the national layout, its names already matched to the förbund's options."""

    ar: int
    respondentgrupp: str
    alternativ: Svarsalternativ
    antal: int


def importtillfalle_namn(ar: int, respondentgrupp: str, prefix: str = "Import") -> str:
    """'Import NNS Personal i insatser 2024' (the demo's rounds start with 'Demodata')."""
    return f"{prefix} NNS {Respondentgrupp(respondentgrupp).label} {ar}"


def _tillfalle(
    *,
    user: User,
    forbund: Forbund,
    enkat: Enkat | None,
    ar: int,
    grupp: str,
    prefix: str,
    import_fran: str | None,
) -> Enkattillfalle:
    start, slut = insamlingsperiod(ar)
    namn = importtillfalle_namn(ar, grupp, prefix)
    tillfalle = Enkattillfalle.objects.filter(forbund=forbund, namn=namn, datum=start).first()
    if tillfalle is not None:
        return tillfalle
    tillfalle = Enkattillfalle(
        forbund=forbund,
        enkat=enkat,
        namn=namn,
        datum=start,
        slutdatum=slut,
        respondentgrupp=grupp,
        kalla=Enkattillfalle.Kalla.IMPORT,
        stangd=True,
    )
    tillfalle.full_clean()
    tillfalle.save()
    logga_andring(
        user=user,
        instance=tillfalle,
        fore={},
        efter={k: v for k, v in snapshot(tillfalle).items() if v is not None},
        import_fran=import_fran,
    )
    return tillfalle


def _satt_antal_formular(*, user: User, tillfalle: Enkattillfalle, import_fran: str | None) -> None:
    """The round's handed-in forms: the n of its most answered question (a form answers every
    question of its group, so no question can have more)."""
    per_fraga = (
        Enkatsvar.objects.filter(tillfalle=tillfalle)
        .values("alternativ__fraga_id")
        .annotate(n=Sum("antal"))
        .values_list("n", flat=True)
    )
    antal = max((n or 0 for n in per_fraga), default=0)
    if antal == tillfalle.antal_svar:
        return
    fore = snapshot(tillfalle, ["antal_svar"])
    tillfalle.antal_svar = antal
    tillfalle.save(update_fields=["antal_svar"])
    logga_andring(
        user=user,
        instance=tillfalle,
        fore=fore,
        efter=snapshot(tillfalle, ["antal_svar"]),
        fanns=True,
        import_fran=import_fran,
    )


@transaction.atomic
def indikatorsvar_importera(
    *,
    user: User,
    forbund: Forbund,
    rader: Sequence[Indikatorsvar],
    import_fran: str | None = None,
    prefix: str = "Import",
) -> list[Enkattillfalle]:
    """Write all rows or none: each (year, group) gets its import round, each option its count
    (audited per count by `enkatsvar_satt`), each round its number of forms. Returns the rounds."""
    kraver(permissions.kan_importera(user, forbund))
    per_tillfalle: dict[tuple[int, str], list[Indikatorsvar]] = defaultdict(list)
    for rad in rader:
        per_tillfalle[(rad.ar, rad.respondentgrupp)].append(rad)
    tillfallen = []
    for (ar, grupp), svar in sorted(per_tillfalle.items()):
        tillfalle = _tillfalle(
            user=user,
            forbund=forbund,
            enkat=svar[0].alternativ.fraga.enkat,
            ar=ar,
            grupp=grupp,
            prefix=prefix,
            import_fran=import_fran,
        )
        for rad in svar:
            enkatsvar_satt(
                user=user,
                tillfalle=tillfalle,
                alternativ=rad.alternativ,
                antal=rad.antal,
                import_fran=import_fran,
            )
        _satt_antal_formular(user=user, tillfalle=tillfalle, import_fran=import_fran)
        tillfallen.append(tillfalle)
    return tillfallen
