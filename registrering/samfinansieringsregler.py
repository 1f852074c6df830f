"""The rules for insatser financed by several förbund: who may co-finance, how much, what share.

Plain functions returning `Fel` like every rule in `registrering.regler` (which asks for these,
so every door calls them as `regler.<namn>`). They take values the caller has read; none of them
queries the database. The service (`registrering.services.samfinansiering`) reads the other
co-financiers' shares and whether the row would be a duplicate, and hands them in.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from registrering.models.organisation import Forbund
from registrering.regelgrund import Fel, artal
from registrering.talformat import decimaltal, tal

#: A co-financier's yearly amount above this is a typing error, not an amount.
STORSTA_BELOPP = 100_000_000
HELA_INSATSEN = Decimal(100)


def andel_text(andel: Decimal) -> str:
    """A share as the pages write it: "25 %", "12,5 %" (no trailing zeros)."""
    text = decimaltal(andel)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}\xa0%"


def _las_andel(andel: object) -> Decimal | None:
    if isinstance(andel, bool) or andel is None:
        return None
    try:
        satt = Decimal(str(andel))
    except (InvalidOperation, ValueError):
        return None
    return satt if satt.is_finite() else None


def _belopp(belopp: object) -> list[Fel]:
    if isinstance(belopp, bool) or not isinstance(belopp, int):
        return [Fel("belopp", "Beloppet måste vara ett belopp i hela kronor.")]
    if belopp < 0:
        return [Fel("belopp", "Beloppet kan inte vara mindre än 0 kr.")]
    if belopp > STORSTA_BELOPP:
        return [
            Fel(
                "belopp",
                f"Beloppet kan vara högst {tal(STORSTA_BELOPP)} kr (här {tal(belopp)} kr).",
            )
        ]
    return []


def _andel(andel: object) -> list[Fel]:
    satt = _las_andel(andel)
    if satt is None:
        return [Fel("andel", "Andelen måste vara ett tal i procent.")]
    if not 0 < satt <= HELA_INSATSEN:
        return [Fel("andel", "Andelen ska vara större än 0 % och högst 100 %.")]
    if satt != satt.quantize(Decimal("0.01")):
        return [Fel("andel", "Andelen kan ha högst två decimaler.")]
    return []


def medfinansiering(
    *,
    agare: Forbund,
    finansiar: Forbund | None,
    ar: int,
    belopp: object,
    andel: object,
    ovriga_andelar: Iterable[Decimal] = (),
    dubblett: bool = False,
) -> list[Fel]:
    """A co-financier of an insats for a year: another förbund than the one that runs it
    (`agare`), not already a co-financier of the insats that year (`dubblett`), with a
    non-negative amount in whole kronor and a share above 0 % that together with the other
    co-financiers' shares of the same year (`ovriga_andelar`) is at most 100 %."""
    fel = artal(ar)
    if finansiar is None:
        fel.append(Fel("finansiar", "Välj det förbund som medfinansierar insatsen."))
    elif finansiar.pk == agare.pk:
        fel.append(
            Fel(
                "finansiar",
                f"Ett medfinansierande förbund måste vara ett annat än det som driver "
                f"insatsen ({agare.namn}).",
            )
        )
    elif dubblett:
        fel.append(
            Fel(
                "finansiar",
                f"{finansiar.namn} medfinansierar redan insatsen {ar}. Ändra den raden i stället.",
            )
        )
    fel += _belopp(belopp)
    andelsfel = _andel(andel)
    fel += andelsfel
    if not andelsfel:
        ovriga = sum(ovriga_andelar, Decimal(0))
        summa = ovriga + Decimal(str(andel))
        if summa > HELA_INSATSEN:
            fel.append(
                Fel(
                    "andel",
                    f"Andelarna blir {andel_text(summa)} tillsammans för insatsen {ar}; de får "
                    f"vara högst 100 %. De andra medfinansierande förbunden har redan "
                    f"{andel_text(ovriga)}.",
                )
            )
    return fel
