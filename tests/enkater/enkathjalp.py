"""A survey round with a public link, for the tests of the answer page (tests/enkater,
tests/browser): an enkät of three questions to the training's participants."""

from __future__ import annotations

import datetime as dt

from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkattillfalle,
    Forbund,
    Respondentgrupp,
    Svarsalternativ,
)

LANK = "Zq7pX2mK9vLw4RtY8bNc"
FRAGOR = (
    "Motsvarade utbildningen dina förväntningar?",
    "Fick du ny kunskap som du kan använda?",
    "Skulle du rekommendera utbildningen till en kollega?",
)
SVAR = ("Ja, helt", "Delvis", "Nej")


def lanktillfalle(
    forbund: Forbund,
    *,
    lank: str = LANK,
    datum: dt.date,
    slutdatum: dt.date | None = None,
) -> Enkattillfalle:
    """The round whose link ends in `lank` (made once; asked again, the same round)."""
    if (befintligt := Enkattillfalle.objects.filter(lank=lank).first()) is not None:
        return befintligt
    enkat, _ = Enkat.objects.get_or_create(
        forbund=forbund, namn="Utvärdering via länk", defaults={"slag": Enkat.Slag.UTBILDNING}
    )
    for ordning, text in enumerate(FRAGOR, start=1):
        fraga, skapad = Enkatfraga.objects.get_or_create(
            forbund=forbund,
            enkat=enkat,
            respondentgrupp=Respondentgrupp.KURSDELTAGARE,
            text=text,
            defaults={"ordning": ordning, "malfraga": ordning == 1},
        )
        if skapad:
            for i, svar in enumerate(SVAR):
                Svarsalternativ.objects.create(fraga=fraga, text=svar, ordning=i, positivt=i == 0)
    return Enkattillfalle.objects.create(
        forbund=forbund,
        namn="Föreläsning om samverkan",
        datum=datum,
        slutdatum=slutdatum,
        enkat=enkat,
        respondentgrupp=Respondentgrupp.KURSDELTAGARE,
        kalla=Enkattillfalle.Kalla.LANK,
        lank=lank,
    )
