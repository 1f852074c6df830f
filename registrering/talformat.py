"""Numbers as people type them, read the same in every door (the browser's forms, the admin,
the import), and written as the pages write them. What a number may be is `regler`'s to say;
`regler` re-exports these so every door asks one module."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

STORSTA_SIFFROR = 15  # longer than any count, year or amount; Python refuses 4 300 digits

_HELTAL = re.compile(r"[-−]?[0-9]+")
_MELLANRUM = re.compile(r"[\s\u00a0\u202f]")


def las_heltal(text: str, *, tusental: bool = False) -> int:
    """A whole number written with the digits 0–9 ("12", "-3", "12,0"; with `tusental` also
    "1 200").

    Digits of other scripts ("٣", "𝟓"), decimals ("1,5") and text are refused with a Swedish
    message (`ValueError`): Python's `int()` would take the first two. A comma or point is
    never read as a thousands separator ("1,500" is refused, not read as 1500 or 15)."""
    if text.isascii() and text.isdigit() and len(text) <= STORSTA_SIFFROR:
        return int(text)  # the common case, "12", read the same without the patterns below
    rensad = text.strip()
    if tusental:
        rensad = _MELLANRUM.sub("", rensad)
    rensad = re.sub(r"(?<=[0-9])[,.]0+$", "", rensad)  # "12,0" as Excel may write 12
    if re.fullmatch(r"[-−]?[0-9]+([,.][0-9]+)+", rensad):
        raise ValueError(utan_decimaler(text.strip()))
    if not _HELTAL.fullmatch(rensad):
        raise ValueError(f"Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”{text.strip()}”).")
    if len(rensad.lstrip("-−0")) > STORSTA_SIFFROR:
        raise ValueError(f"Talet är orimligt stort ({len(rensad.lstrip('-−'))} siffror).")
    return int(rensad.replace("−", "-"))


def utan_decimaler(text: str) -> str:
    """The message for a count typed with decimals ("1,5", "2.25"); "1,500" may have meant
    a thousands separator, so the message says how to write one."""
    meddelande = f"Ange ett heltal utan decimaler, t.ex. 12 (inte ”{text}”)."
    if re.fullmatch(r"[-−]?[0-9]{1,3}([,.][0-9]{3})+", text):
        meddelande += " Tusental skrivs med mellanslag, t.ex. 1 500."
    return meddelande


def las_belopp(text: str) -> Decimal:
    """Kronor as people write them: "1 234 567", "1234567", "1 234,50", "125 000 kr"; rounded to
    whole kronor. NaN, infinity, exponents and digits of other scripts are refused."""
    rensad = _MELLANRUM.sub("", text).replace("−", "-").removesuffix("kr").replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", rensad):
        raise ValueError("Ange ett belopp i kronor, t.ex. 125 000.")
    try:
        belopp = Decimal(rensad).quantize(Decimal(1), ROUND_HALF_UP)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only numbers
        raise ValueError("Ange ett belopp i kronor, t.ex. 125 000.") from exc
    return belopp


def las_decimaltal(text: str) -> Decimal:
    """A number with decimals as Swedish Excel writes it: "20,67", "20.67", "-1,5", "3", also
    with a trailing "%" ("31,42 %"). How many decimals it may have is the rules' to say."""
    rensad = _MELLANRUM.sub("", text).replace("−", "-").removesuffix("%").replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", rensad) or len(rensad) > STORSTA_SIFFROR + 2:
        raise ValueError(f"Ange ett tal med siffrorna 0–9, t.ex. 20,67 (inte ”{text.strip()}”).")
    return Decimal(rensad)


def tal(varde: int) -> str:
    """An integer as the pages write it: "1 873" (non-breaking space), "−3" (minus sign)."""
    text = f"{abs(varde):,}".replace(",", "\xa0")
    return f"−{text}" if varde < 0 else text


def decimaltal(varde: Decimal, decimaler: int = 2) -> str:
    """A decimal as the pages write it: "0,31", "1 234,50", "−0,05" (decimal comma, thousands
    with a non-breaking space); rounded half up to `decimaler` places."""
    avrundat = Decimal(varde).quantize(Decimal(1).scaleb(-decimaler), ROUND_HALF_UP)
    hela, _, delar = f"{abs(avrundat):f}".partition(".")
    text = tal(int(hela)) + (f",{delar}" if delar else "")
    return f"−{text}" if avrundat < 0 else text
