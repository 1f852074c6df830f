"""The training survey's goal ("minst 75 % … motsvarade förväntningarna", seed 001): the goal
question's answers of one calendar year, read through the results selector."""

from __future__ import annotations

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
from enkater.undertryckning import summa_dold
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
    whole below the minimum n, and when the parts that the bilaga and the results hide add up
    to fewer (`enkater.undertryckning.summa_dold`). It is named by the question still asked
    (else the last answered)."""
    min_n = settings.FINSAM_ENKAT_MIN_N if min_n is None else min_n
    urval = Urval(fran_ar=ar, till_ar=ar, bara_malfragor=True)
    # Suppressed: which parts the bilaga and the results show. Only when some part is hidden
    # are the counts read again unsuppressed, for the sum (three queries more).
    serier = enkatresultat(forbund=forbund, urval=urval, indelning=Indelning.AR, min_n=min_n).serier
    visade = {(s.fraga_id, s.respondentgrupp) for s in serier if s.visade}
    if any(s.har_svar and not s.visade for s in serier):
        serier = enkatresultat(forbund=forbund, urval=urval, indelning=Indelning.AR, min_n=1).serier
    if not serier:
        return None
    namn = next((s for s in serier if s.aktiv), None) or serier[-1]
    delar = [(s, st) for s in serier for st in s.visade]
    if not delar:
        return Malresultat(namn.text, namn.positiva_alternativ, None)
    per_alternativ: dict[tuple[str, bool], int] = {}
    for _serie, stapel in delar:
        for svar in stapel.svar:
            nyckel = (svar.text, svar.positivt)
            per_alternativ[nyckel] = per_alternativ.get(nyckel, 0) + svar.antal
    n = sum(per_alternativ.values())
    dold = summa_dold(
        ((st.n, (s.fraga_id, s.respondentgrupp) in visade) for s, st in delar), min_n=min_n
    )
    summa: Stapelvarde = (
        ForFaSvar(str(ar))
        if dold
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
