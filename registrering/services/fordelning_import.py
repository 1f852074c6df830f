"""A breakdown file written (`registrering.resources.fordelningar`): a month's rows per
avslutsanledning or per huvudman replaced by the file's, checked by the rules of `regler` and
audited on the month (the month import is `services.manad_import`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registrering import permissions, regler
from registrering.audit import Handelse, importkommentar, skriv_handelser
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    Manadsrapport,
    NyaPerHuvudman,
    User,
)
from registrering.regler import Fel
from registrering.services._stod import kraver


@dataclass
class FordelningImportRad:
    """One row of a breakdown file: a month, a key (avslutsanledning or huvudman) and a count;
    0 removes the key's row."""

    nr: int
    rapport: Manadsrapport
    nyckel_id: int
    nyckel_namn: str
    antal: int


FORDELNINGAR: dict[
    str, tuple[type[AvslutadePerAnledning] | type[NyaPerHuvudman], str, str, str]
] = {
    "avslut": (AvslutadePerAnledning, "anledning", "avslutade", "avslutsanledning"),
    "nya_huvudman": (NyaPerHuvudman, "huvudman", "nya", "huvudman"),
}


def _sparade_fordelningar(
    slag: str, rapporter: Iterable[Manadsrapport]
) -> dict[int, dict[int, tuple[str, int]]]:
    modell, relation, _vad, _per = FORDELNINGAR[slag]
    sparade: dict[int, dict[int, tuple[str, int]]] = defaultdict(dict)
    for rapport_id, nyckel_id, namn, antal in modell.objects.filter(
        rapport__in=list(rapporter)
    ).values_list("rapport_id", f"{relation}_id", f"{relation}__namn", "antal"):
        sparade[rapport_id][nyckel_id] = (namn, antal)
    return sparade


def fordelningar_fel(
    *, slag: str, rader: Sequence[FordelningImportRad], giltiga: Mapping[int, Mapping[int, str]]
) -> dict[int, list[Fel]]:
    """Per month: the saved breakdown with the file's rows applied must add up to the month's
    total (`regler.fordelning`); an approved month takes a breakdown only where it has none
    (`regler.fordelning_andras`). `giltiga` maps an insats to the keys it may use."""
    _modell, _relation, vad, per = FORDELNINGAR[slag]
    fel: dict[int, list[Fel]] = defaultdict(list)
    per_rapport: dict[int, list[FordelningImportRad]] = defaultdict(list)
    for rad in rader:
        per_rapport[rad.rapport.pk].append(rad)
    sparade = _sparade_fordelningar(slag, [r[0].rapport for r in per_rapport.values()])
    for rapport_id, rapportens in per_rapport.items():
        rapport = rapportens[0].rapport
        resultat = {k: a for k, (_n, a) in sparade.get(rapport_id, {}).items()}
        for rad in rapportens:
            resultat[rad.nyckel_id] = rad.antal
            if rad.antal == 0:
                del resultat[rad.nyckel_id]
        manadsfel = regler.fordelning_andras(
            insats=rapport.insats,
            ar=rapport.ar,
            manad=rapport.manad,
            status=rapport.status,
            kan_godkanna=True,
            sparad={k: a for k, (_n, a) in sparade.get(rapport_id, {}).items()},
            ny=resultat,
            per=per,
        )
        manadsfel += regler.fordelning(
            resultat,
            giltiga=giltiga.get(rapport.insats_id, {}),
            total=(rapport.avslutade if slag == "avslut" else rapport.nya),
            vad=vad,
            per=per,
            falt=slag,
        )
        for rad in rapportens:
            fel[rad.nr] += manadsfel
    return {nr: f for nr, f in fel.items() if f}


@transaction.atomic
def fordelningar_importera(
    *,
    user: User,
    slag: str,
    rader: Sequence[FordelningImportRad],
    giltiga: Mapping[int, Mapping[int, str]],
    import_fran: str = "",
) -> None:
    """Write a breakdown file: each month's rows replaced by the file's, audited on the month
    (as when the month is edited, and saying so when an approved month got its missing
    breakdown), and the month's version raised."""
    modell, relation, _vad, _per = FORDELNINGAR[slag]
    kraver(all(permissions.kan_importera(user, r.rapport.insats.forbund) for r in rader))
    regler.kontrollera(
        [
            f
            for radfel in fordelningar_fel(slag=slag, rader=rader, giltiga=giltiga).values()
            for f in radfel
        ]
    )
    rapporter = {r.rapport.pk: r.rapport for r in rader}
    sparade = _sparade_fordelningar(slag, rapporter.values())
    efter = {pk: dict(sparade.get(pk, {})) for pk in rapporter}
    for rad in rader:
        if rad.antal:
            efter[rad.rapport.pk][rad.nyckel_id] = (rad.nyckel_namn, rad.antal)
        else:
            efter[rad.rapport.pk].pop(rad.nyckel_id, None)
    andrade = [pk for pk in rapporter if efter[pk] != sparade.get(pk, {})]
    modell.objects.filter(rapport_id__in=andrade).delete()
    nya_rader: list[Any] = [
        modell(rapport_id=pk, **{f"{relation}_id": nyckel_id}, antal=antal)
        for pk in andrade
        for nyckel_id, (_namn, antal) in efter[pk].items()
    ]
    modell.objects.bulk_create(nya_rader, batch_size=1000)
    Manadsrapport.objects.filter(pk__in=andrade).update(
        version=F("version") + 1, andrad=timezone.now()
    )
    skriv_handelser(
        user=user,
        handelser=[
            Handelse(
                rapporter[pk],
                AuditEntry.Action.IMPORTERAD,
                {
                    slag: [
                        {n: a for n, a in sparade.get(pk, {}).values()},
                        {n: a for n, a in efter[pk].values()},
                    ]
                },
                _fordelningskommentar(rapporter[pk], sparade.get(pk, {}), efter[pk], import_fran),
                rapporter[pk].insats.forbund_id,
            )
            for pk in andrade
        ],
    )


def _fordelningskommentar(
    rapport: Manadsrapport,
    sparad: Mapping[int, tuple[str, int]],
    ny: Mapping[int, tuple[str, int]],
    import_fran: str,
) -> str:
    """The audit comment: the file, and when a locked month got its missing breakdown, that."""
    kommentar = importkommentar(import_fran)
    if regler.fordelning_kompletterar(status=rapport.status, sparad=sparad, ny=ny):
        kommentar += (
            f". Fördelningen lades till i månaden, som var {rapport.get_status_display().lower()}"
            " men saknade den; månadens antal ändrades inte"
        )
    return kommentar
