"""What may be saved about an insats: its attributes agree, its period covers its reported
months, the fields fixed once it exists, and when it may be removed. Plain functions with a
Swedish message, as every rule (`registrering.regler`, where every door asks for them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from django.db.models import Field

from registrering.kalender import datum_svenskt, manadsnamn
from registrering.models import Insats
from registrering.regelgrund import HELA, Fel


def preciserade_for(inriktning: str) -> set[str]:
    """The preciserade inriktningar of an inriktning (Uppföljning Finsam's lists)."""
    P = Insats.PreciseradInriktning
    listor: dict[str, set[str]] = {
        Insats.Inriktning.INDIVID: {
            P.ARBETSLIVSINRIKTAD,
            P.FORBEREDANDE,
            P.IDENTIFIERA_BEHOV,
            P.FOREBYGGANDE,
        },
        Insats.Inriktning.STRUKTUR: {P.KOMPETENSHOJANDE, P.BEHOVSANALYS, P.UTVECKLA_SAMVERKAN},
    }
    return listor.get(inriktning, set())


#: As in Uppföljning Finsam: fixed once the insats exists.
OFORANDERLIGA = ("inriktning", "uppfoljning", "volymenhet", "esf_finansierad")


def insats(
    *,
    inriktning: str,
    preciserad: str,
    uppfoljning: str,
    volymenhet: str,
    startdatum: dt.date | None,
    slutdatum: dt.date | None,
) -> list[Fel]:
    """The attributes of an insats agree with each other."""
    fel = []
    if inriktning and preciserad and preciserad not in preciserade_for(inriktning):
        fel.append(
            Fel(
                "preciserad_inriktning",
                f"”{Insats.PreciseradInriktning(preciserad).label}” hör inte till inriktningen "
                f"{Insats.Inriktning(inriktning).label.lower()}.",
            )
        )
    if uppfoljning == Insats.Uppfoljning.VOLYM and not volymenhet:
        fel.append(
            Fel(
                "volymenhet",
                "Ange volymenhet (Tillfällen, Deltagare eller Unika individer under året) för "
                "en volyminsats.",
            )
        )
    if uppfoljning == Insats.Uppfoljning.DELTAGARFLODE and volymenhet:
        fel.append(
            Fel("volymenhet", "Volymenhet anges bara för volyminsatser (Uppföljning: Volym).")
        )
    if startdatum and slutdatum and slutdatum < startdatum:
        fel.append(
            Fel(
                "slutdatum",
                f"Slutdatum ({datum_svenskt(slutdatum)}) kan inte vara före startdatum "
                f"({datum_svenskt(startdatum)}).",
            )
        )
    return fel


def insats_period(
    *,
    startdatum: dt.date | None,
    slutdatum: dt.date | None,
    forsta_manad: tuple[int, int] | None,
    sista_manad: tuple[int, int] | None,
) -> list[Fel]:
    """The insats's period covers every month reported for it (`forsta_manad`, `sista_manad`
    as (år, månad)): a month outside it could not have been reported."""
    fel = []
    if startdatum and forsta_manad and forsta_manad < (startdatum.year, startdatum.month):
        namn = manadsnamn(*forsta_manad)
        fel.append(
            Fel(
                "startdatum",
                f"Insatsen har rapporterade månader från och med {namn}. Välj ett startdatum i "
                f"{namn} eller tidigare, eller ta bort månaderna först.",
            )
        )
    if slutdatum and sista_manad and sista_manad > (slutdatum.year, slutdatum.month):
        namn = manadsnamn(*sista_manad)
        fel.append(
            Fel(
                "slutdatum",
                f"Insatsen har rapporterade månader till och med {namn}. Välj ett slutdatum i "
                f"{namn} eller senare, eller ta bort månaderna först.",
            )
        )
    return fel


def insats_fasta_falt(
    *, befintlig: Insats | None, nya_varden: Mapping[str, object], far_andra: bool
) -> list[Fel]:
    """Inriktning, uppföljning, volymenhet and ESF-finansiering cannot change once the insats
    exists (as in Uppföljning Finsam); only a systemadministratör may correct them."""
    if befintlig is None or far_andra:
        return []
    fel = []
    for falt in OFORANDERLIGA:
        if falt in nya_varden and nya_varden[falt] != getattr(befintlig, falt):
            visat = cast("Field[Any, Any]", befintlig._meta.get_field(falt))
            varde = getattr(befintlig, falt)
            text = dict(visat.flatchoices).get(varde, varde) if visat.choices else varde
            if isinstance(text, bool):
                text = "Ja" if text else "Nej"
            fel.append(
                Fel(
                    falt,
                    "Kan inte ändras för en insats som redan finns (som i Uppföljning Finsam): "
                    f"{befintlig.namn} är ”{text}”.",
                )
            )
    return fel


def insats_borttagning(*, har_data: bool) -> list[Fel]:
    """An insats with reported figures is never removed: its history belongs to the bilagor."""
    if har_data:
        return [
            Fel(
                HELA,
                "Insatsen har rapporterade siffror och kan inte tas bort. Ange ett slutdatum i "
                "stället.",
            )
        ]
    return []
