"""The named inserts of the bilaga's Bakgrund and Metod texts: the year, the period and the
date compiled, filled in for the year the bilaga is for.

The texts are stored with `{ar}`, `{period}` and `{sammanstallningsdatum}` (seed 000's Metod is
written once for every year), but a person never sees those: the editor shows each as its name
in guillemets, «rapportår», and offers it as an insert with the value it gets. `till_namn` and
`fran_namn` translate between the two; `fyll_i` puts the values in, and reads both forms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from registrering.kalender import datum_langt


@dataclass(frozen=True)
class Platshallare:
    nyckel: str  # as stored: {ar}
    namn: str  # as shown: «rapportår»
    etikett: str  # on the insert button: "Rapportåret"

    @property
    def lagrad(self) -> str:
        return "{" + self.nyckel + "}"

    @property
    def visad(self) -> str:
        return f"«{self.namn}»"


PLATSHALLARE = (
    Platshallare("ar", "rapportår", "Rapportåret"),
    Platshallare("period", "period", "Perioden"),
    Platshallare("sammanstallningsdatum", "sammanställningsdatum", "Sammanställningsdatumet"),
)


def period(ar: int) -> str:
    """The reporting period as the bilaga writes it (seed 000, 2 Metod)."""
    return f"1 januari till och med den 31 december {ar}"


def varden(*, ar: int, sammanstallningsdatum: dt.date) -> dict[str, str]:
    """What each insert becomes in the bilaga of `ar`, keyed as stored."""
    return {
        "ar": str(ar),
        "period": period(ar),
        "sammanstallningsdatum": datum_langt(sammanstallningsdatum),
    }


def till_namn(text: str) -> str:
    """The stored text as the editor shows it: {ar} → «rapportår»."""
    for p in PLATSHALLARE:
        text = text.replace(p.lagrad, p.visad)
    return text


def fran_namn(text: str) -> str:
    """The edited text as it is stored: «rapportår» → {ar}."""
    for p in PLATSHALLARE:
        text = text.replace(p.visad, p.lagrad)
    return text


def fyll_i(text: str, varden: dict[str, str]) -> str:
    """The text with the values in, whether it names the inserts or holds them as stored."""
    for p in PLATSHALLARE:
        varde = varden[p.nyckel]
        text = text.replace(p.lagrad, varde).replace(p.visad, varde)
    return text
