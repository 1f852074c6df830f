"""Survey data for the results tests, built with the ORM: questions on the six-step scale,
rounds and answer counts."""

from __future__ import annotations

import datetime as dt

from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Respondentgrupp,
    Svarsalternativ,
)

SKALA = ("Aldrig", "Sällan", "Ibland", "Ofta", "För det mesta", "Alltid")
PAGAENDE = Respondentgrupp.DELTAGARE_PAGAENDE


def fraga(enkat: Enkat, text: str, *, grupp: str = PAGAENDE, indikator: int | None = 1, **kw):
    ny = Enkatfraga.objects.create(
        forbund=enkat.forbund,
        enkat=enkat,
        respondentgrupp=grupp,
        indikator=indikator,
        text=text,
        **kw,
    )
    for i, alt in enumerate(SKALA):
        Svarsalternativ.objects.create(fraga=ny, text=alt, ordning=i, positivt=i >= 3)
    return ny


def svara(tillfalle: Enkattillfalle, fraga: Enkatfraga, antal: tuple[int, ...]) -> None:
    for alt, n in zip(fraga.alternativ.order_by("ordning"), antal, strict=True):
        if n:
            Enkatsvar.objects.create(tillfalle=tillfalle, alternativ=alt, antal=n)


def tillfalle(enkat: Enkat, datum: dt.date, *, grupp: str = PAGAENDE, insats=None, namn=""):
    return Enkattillfalle.objects.create(
        forbund=enkat.forbund,
        enkat=enkat,
        insats=insats,
        namn=namn or f"Insamling {datum:%Y-%m-%d}",
        datum=datum,
        respondentgrupp=grupp,
        antal_svar=0,
    )
