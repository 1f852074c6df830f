"""A small NNS enkät and answers in the shape of seed 003, for the Indikatorer tests: built
through the import service as a förbund's first import of earlier years would be."""

from __future__ import annotations

from registrering import services
from registrering.models import Enkat, Enkatfraga, Forbund, Svarsalternativ, User
from registrering.models.enkater import Respondentgrupp as G

FREKVENS = ("Aldrig", "Sällan", "Ibland", "Ofta", "För det mesta", "Alltid")
GRAD = (
    "Inte alls",
    "Till liten del",
    "Delvis",
    "Till stor del",
    "Till mycket stor del",
    "Helt och hållet",
)
NEJ_JA = ("Nej", "Ja")

NYTTA_P = "Får du stöd på ett sätt som är till stor nytta för dig?"
NYTTA_A = "Har du fått stöd på ett sätt som är till stor nytta för dig?"
PLANERING = (
    "Har ni påbörjat en planering för vad som skall hända efter att nuvarande stöd har upphört?"
)
STRATEGI = "Finns det en klar och tydlig strategi för uppföljning och utvärdering?"
PERSONAL = (
    "Har ni rutiner för att samarbeta med andra aktörer i arbetet när det gäller insatser för "
    "deltagarna?"
)

#: (indikator, grupp, text, skala)
FRAGOR = (
    (1, G.DELTAGARE_PAGAENDE, NYTTA_P, FREKVENS),
    (1, G.DELTAGARE_AVSLUTADE, NYTTA_A, FREKVENS),
    (6, G.DELTAGARE_AVSLUTADE, PLANERING, NEJ_JA),
    (10, G.PERSONAL, PERSONAL, GRAD),
    (14, G.STYRELSE, STRATEGI, GRAD),
)

#: Counts per option, per (question, year): seed 003's n (48/55/86, 50/33/64, 19/33/64) and a
#: styrelse with three answers; personal has 4 in 2022 (too few) and 24 in 2024.
SVAR: dict[tuple[str, int], tuple[int, ...]] = {
    (NYTTA_P, 2020): (2, 4, 10, 14, 10, 8),  # 48
    (NYTTA_P, 2022): (1, 5, 9, 15, 15, 10),  # 55
    (NYTTA_P, 2024): (2, 6, 14, 24, 22, 18),  # 86
    (NYTTA_A, 2020): (3, 5, 8, 12, 12, 10),  # 50
    (NYTTA_A, 2022): (1, 2, 6, 10, 8, 6),  # 33
    (NYTTA_A, 2024): (2, 4, 10, 18, 16, 14),  # 64
    (PLANERING, 2020): (9, 10),  # 19
    (PLANERING, 2022): (13, 20),  # 33
    (PLANERING, 2024): (20, 44),  # 64
    (PERSONAL, 2022): (0, 1, 1, 1, 1, 0),  # 4: too few
    (PERSONAL, 2024): (1, 2, 5, 8, 6, 2),  # 24
    (STRATEGI, 2024): (0, 1, 1, 1, 0, 0),  # 3: too few
}


def nns_enkat(forbund: Forbund) -> Enkat:
    """The förbund's NNS enkät with the questions of `FRAGOR`."""
    enkat = Enkat.objects.create(forbund=forbund, namn="Indikatorer (NNS)", slag=Enkat.Slag.NNS)
    for ordning, (indikator, grupp, text, skala) in enumerate(FRAGOR):
        fraga = Enkatfraga.objects.create(
            forbund=forbund,
            enkat=enkat,
            respondentgrupp=grupp,
            indikator=indikator,
            text=text,
            ordning=ordning,
        )
        for i, alt in enumerate(skala):
            Svarsalternativ.objects.create(
                fraga=fraga, text=alt, ordning=i, positivt=i >= len(skala) // 2
            )
    return enkat


def svar(forbund: Forbund, user: User, data: dict[tuple[str, int], tuple[int, ...]] = SVAR) -> None:
    """`data` written through `indikatorsvar_importera` (one import round per year and group)."""
    fragor = {
        f.text: f for f in Enkatfraga.objects.filter(forbund=forbund).prefetch_related("alternativ")
    }
    rader = [
        services.Indikatorsvar(
            ar=ar, respondentgrupp=fragor[text].respondentgrupp, alternativ=alt, antal=antal
        )
        for (text, ar), antalen in data.items()
        for alt, antal in zip(fragor[text].alternativ.all(), antalen, strict=True)
    ]
    services.indikatorsvar_importera(user=user, forbund=forbund, rader=rader, import_fran="test")
