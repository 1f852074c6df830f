"""The training survey's goal ("minst 75 % … motsvarade förväntningarna", seed 001): the goal
question's answers of one calendar year, read through the results selector."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from enkater.selectors import (
    ForFaSvar,
    Indelning,
    Stapel,
    Stapelvarde,
    Svarsandel,
    Urval,
    enkatresultat,
)
from rapporter.arsdata import procent
from registrering.models import Forbund


@dataclass(frozen=True)
class Malresultat:
    """The goal question's answers in one calendar year: `stapel` None without answers."""

    fraga: str
    positiva_alternativ: tuple[str, ...]
    stapel: Stapelvarde | None


def malfraga_resultat(*, forbund: Forbund, ar: int, min_n: int | None = None) -> Malresultat | None:
    """The training survey's goal question (`malfraga`) in calendar year `ar`, the year of the
    verksamhetsplan whose goal it is measured against; None when no question is marked. Every
    marked question counts, in every respondent group and version answered that year: one bar
    of all their answers, options of the same wording and kind added together, suppressed as a
    whole below the minimum n. It is named by the question still asked (else the last
    answered)."""
    min_n = settings.FINSAM_ENKAT_MIN_N if min_n is None else min_n
    resultat = enkatresultat(
        forbund=forbund,
        urval=Urval(fran=dt.date(ar, 1, 1), till=dt.date(ar, 12, 31), bara_malfragor=True),
        indelning=Indelning.KALENDERAR,
        # Unsuppressed here: only the sum of the series leaves this function.
        min_n=1,
    )
    serier = resultat.serier
    if not serier:
        return None
    namn = next((s for s in serier if s.aktiv), None) or serier[-1]
    staplar = [st for s in serier for st in s.visade]
    if not staplar:
        return Malresultat(namn.text, namn.positiva_alternativ, None)
    per_alternativ: dict[tuple[str, bool], int] = {}
    for stapel in staplar:
        for svar in stapel.svar:
            nyckel = (svar.text, svar.positivt)
            per_alternativ[nyckel] = per_alternativ.get(nyckel, 0) + svar.antal
    n = sum(per_alternativ.values())
    summa: Stapelvarde = (
        ForFaSvar(str(ar))
        if n < min_n
        else Stapel(
            etikett=str(ar),
            n=n,
            svar=tuple(
                Svarsandel(text, antal, procent(antal, n) or 0, positivt)
                for (text, positivt), antal in per_alternativ.items()
            ),
        )
    )
    return Malresultat(
        fraga=namn.text,
        positiva_alternativ=tuple(dict.fromkeys(t for s in serier for t in s.positiva_alternativ)),
        stapel=summa,
    )
