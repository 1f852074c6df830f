"""The month page's parts that are not the view itself: the form's values from the saved
month, pågående at the end of the month (and an error when it falls below zero), and the
message after a save."""

from __future__ import annotations

from typing import Any

from registrering import ledger, regler
from registrering.forms import ManadForm
from registrering.kalender import MANADER
from registrering.ledger import KON_ORD, Kon
from registrering.models import Insats, Manadsrapport


def initial(rapport: Manadsrapport | None) -> dict[str, Any]:
    if rapport is None:
        return {
            "version": 0
        }  # "opened before anyone saved": a first save by someone else conflicts
    initial: dict[str, Any] = {
        "version": rapport.version,
        "nya_kvinnor": rapport.nya_kvinnor,
        "nya_man": rapport.nya_man,
        "avslutade_kvinnor": rapport.avslutade_kvinnor,
        "avslutade_man": rapport.avslutade_man,
        "volym": rapport.volym,
        "kommentar": rapport.kommentar,
    }
    for avslut in rapport.avslut.all():
        initial[f"avslut_{avslut.anledning_id}"] = avslut.antal
    for nya in rapport.nya_huvudman.all():
        initial[f"huvudman_{nya.huvudman_id}"] = nya.antal
    return initial


def visa_slut(kontext: dict[str, Any], form: ManadForm, rapport: Manadsrapport | None) -> None:
    """Pågående at the end of the month, and an error for a gender that ends below zero (the
    page's script says the same while the figures are typed)."""
    slut = kontext["slut"] = pagaende_vid_slut(kontext["start"], form, rapport)
    kontext["slut_fel"] = [
        f"Pågående {KON_ORD[kon]} blir {regler.tal(antal)}: fler avslutade än det fanns "
        "deltagare att avsluta."
        for kon, antal in (slut.par() if slut else ())
        if antal < 0
    ]


def pagaende_vid_slut(start: Kon, form: ManadForm, rapport: Manadsrapport | None) -> Kon | None:
    """Pågående at the end of the month, from the input as far as it could be read, or from
    the saved month."""
    if form.insats.ar_volyminsats:
        return None
    if form.is_bound:
        uppgifter = form.uppgifter()
        nya, avslutade = uppgifter.nya, uppgifter.avslutade
        negativ = min(nya.kvinnor, nya.man, avslutade.kvinnor, avslutade.man) < 0
        if uppgifter.okanda & set(regler.FLODESETIKETTER) or negativ:
            return None  # a count that is not a count gives no pågående to show
        return ledger.pagaende(start, nya, avslutade)
    if rapport is not None:
        return ledger.pagaende(
            start,
            Kon(rapport.nya_kvinnor, rapport.nya_man),
            Kon(rapport.avslutade_kvinnor, rapport.avslutade_man),
        )
    return None


def sparad_text(insats: Insats, ar: int, manad: int, ny: Manadsrapport, form: ManadForm) -> str:
    namn = f"{insats.namn}, {MANADER[manad]} {ar}"
    if ny.status == Manadsrapport.Status.INSKICKAD and "skicka_in" in form.data:
        return f"{namn} är inskickad för granskning."
    if tomma := form.tomma():
        return f"{namn} är sparad. Tomma fält sparades som 0: {', '.join(tomma).lower()}."
    return f"{namn} är sparad."
