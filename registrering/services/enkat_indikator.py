"""Earlier years' NNS answer counts, imported in the national tool's layout (seed 003: 2020, 2022,
2024): one round of kalla "import" per collection year and respondent group, its counts per
option set (in bulk, by `enkatsvar_satt`'s rule), its number of forms the most answered
question's n."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum

from registrering import permissions, regler
from registrering.audit import (
    Handelse,
    diff,
    importkommentar,
    logga_andring,
    skriv_handelser,
    snapshot,
)
from registrering.kalender import insamlingsperiod
from registrering.models import (
    AuditEntry,
    Enkat,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Svarsalternativ,
    User,
)
from registrering.models.enkater import Respondentgrupp
from registrering.services._stod import kraver
from registrering.services.enkat import enkatsvar_fel


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


def _skriv_antal(
    *, user: User, tillfalle: Enkattillfalle, svar: Sequence[Indikatorsvar], import_fran: str | None
) -> None:
    """The round's counts in bulk (a file of earlier years has hundreds): the same rule as
    `enkatsvar_satt` for each, new counts created, changed ones updated, one audit row each."""
    for rad in svar:
        regler.kontrollera(enkatsvar_fel(antal=rad.antal))
    befintliga = {s.alternativ_id: s for s in Enkatsvar.objects.filter(tillfalle=tillfalle)}
    nya: list[tuple[Enkatsvar, dict[str, int]]] = []
    andrade: list[tuple[Enkatsvar, dict[str, int]]] = []
    handelser: list[Handelse] = []
    for rad in svar:
        gammal = befintliga.get(rad.alternativ.pk)
        if gammal is not None and gammal.antal == rad.antal:
            continue
        fore = {"antal": gammal.antal} if gammal is not None else {}
        objekt = gammal or Enkatsvar(tillfalle=tillfalle, alternativ=rad.alternativ)
        objekt.antal = rad.antal
        (andrade if gammal is not None else nya).append((objekt, fore))
    Enkatsvar.objects.bulk_create([o for o, _f in nya], batch_size=500)
    Enkatsvar.objects.bulk_update([o for o, _f in andrade], ["antal"], batch_size=500)
    for objekt, fore in nya + andrade:
        changes = diff(fore, {"antal": objekt.antal})
        if import_fran is not None:
            action, kommentar = AuditEntry.Action.IMPORTERAD, importkommentar(import_fran)
        else:
            action = AuditEntry.Action.ANDRAD if fore else AuditEntry.Action.SKAPAD
            kommentar = ""
        handelser.append(Handelse(objekt, action, changes, kommentar, tillfalle.forbund_id))
    skriv_handelser(user=user, handelser=handelser)


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
        _skriv_antal(user=user, tillfalle=tillfalle, svar=svar, import_fran=import_fran)
        _satt_antal_formular(user=user, tillfalle=tillfalle, import_fran=import_fran)
        tillfallen.append(tillfalle)
    return tillfallen
