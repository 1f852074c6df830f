"""The Swedish columns of the import files: how a cell is read and how a value is written.

A widget reads what a person types in Excel ("1 200", "31/12 2025", "Ja"); what a value may be
(not negative, a year, an inriktning that fits) is for `registrering.regler`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from import_export import fields, widgets

from registrering import regler
from registrering.formats import avneutralisera


def nyckel(text: Any) -> str:
    """Names are matched ignoring case and extra spaces."""
    return " ".join(str(text).split()).casefold()


def lista(namn: Iterable[str]) -> str:
    namn = [f"”{n}”" for n in namn]
    return namn[0] if len(namn) == 1 else ", ".join(namn[:-1]) + " och " + namn[-1]


class Text(widgets.Widget):
    def __init__(self, *, kravs: bool = False, max_langd: int | None = None) -> None:
        super().__init__(coerce_to_string=True)
        self.kravs = kravs
        self.max_langd = max_langd

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else " ".join(str(avneutralisera(value)).split())
        if self.kravs and not text:
            raise ValueError("Värde saknas.")
        if self.max_langd and len(text) > self.max_langd:
            raise ValueError(f"Högst {self.max_langd} tecken (här {len(text)}).")
        return text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class Heltal(widgets.Widget):
    """A whole number as `regler.las_heltal` reads it: 12, "12", "1 200" (Excel's thousands
    separator), "12,0"; a number cell as it is. What it may be (not negative, a year, a month)
    is for the rules."""

    def __init__(self, *, kravs: bool = True) -> None:
        super().__init__(coerce_to_string=False)
        self.kravs = kravs

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.kravs:
                raise ValueError("Värde saknas: ange ett heltal.")
            return None
        if isinstance(value, bool):
            raise ValueError(f"Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”{value}”).")
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(regler.utan_decimaler(str(value).replace(".", ",")))
            return int(value)
        if isinstance(value, int):
            return value
        return regler.las_heltal(str(value), tusental=True)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else value


class Decimaltal(widgets.Widget):
    """A number with decimals as Swedish Excel writes it ("20,67", "31,42 %", "3"), read by
    `regler.las_decimaltal`; a number cell as it is. Written with a decimal comma. A value with
    at most `decimaler` decimals is given that many, as the column stores it (more are left for
    the rules to refuse)."""

    def __init__(self, *, kravs: bool = True, decimaler: int = 2) -> None:
        super().__init__(coerce_to_string=False)
        self.kravs = kravs
        self.steg = Decimal(1).scaleb(-decimaler)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.kravs:
                raise ValueError("Värde saknas: ange ett tal, t.ex. 20,67.")
            return None
        if isinstance(value, bool):
            raise ValueError(f"Ange ett tal med siffrorna 0–9, t.ex. 20,67 (inte ”{value}”).")
        if isinstance(value, int | float):
            tal = Decimal(str(value))
        else:
            tal = regler.las_decimaltal(str(value))
        return tal.quantize(self.steg) if tal == tal.quantize(self.steg) else tal

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        text = f"{Decimal(value):f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")


class Datum(widgets.Widget):
    """ÅÅÅÅ-MM-DD, also 31/12 2025 and 31/12/2025; a date cell in Excel as it is."""

    MONSTER = (
        re.compile(r"(?P<ar>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"),
        re.compile(r"(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})[ /](?P<ar>[0-9]{4})"),
    )

    def __init__(self, *, kravs: bool = True) -> None:
        super().__init__(coerce_to_string=False)
        self.kravs = kravs

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = "" if value is None else str(value).strip()
        if not text:
            if self.kravs:
                raise ValueError("Värde saknas: ange ett datum (ÅÅÅÅ-MM-DD).")
            return None
        text = text.split(" 00:00")[0].split("T")[0] if re.match(r"[0-9]{4}-", text) else text
        for monster in self.MONSTER:
            if match := monster.fullmatch(text):
                try:
                    return dt.date(int(match["ar"]), int(match["m"]), int(match["d"]))
                except ValueError:
                    break
        raise ValueError(f"”{text}” är inte ett datum. Skriv ÅÅÅÅ-MM-DD, t.ex. 2025-12-31.")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else value


class Val(widgets.Widget):
    """One of a model field's choices, written with its Swedish label."""

    def __init__(self, choices: Iterable[tuple[str, str]], *, kravs: bool = True) -> None:
        super().__init__(coerce_to_string=True)
        self.choices = list(choices)
        self.kravs = kravs
        self._till_varde = {}
        for varde, etikett in self.choices:
            self._till_varde[nyckel(etikett)] = varde
            self._till_varde[nyckel(varde)] = varde

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = "" if value is None else str(value).strip()
        if not text:
            if self.kravs:
                raise ValueError(f"Värde saknas: ange {self.tillatna()}.")
            return ""
        try:
            return self._till_varde[nyckel(text)]
        except KeyError:
            raise ValueError(f"Okänt värde ”{text}”. Ange {self.tillatna()}.") from None

    def tillatna(self) -> str:
        return " eller ".join(", ".join(e for _v, e in self.choices).rsplit(", ", 1))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return dict(self.choices).get(value, value or "")


class JaNej(widgets.Widget):
    JA = {"ja", "j", "x", "1", "true", "sant"}
    NEJ = {"nej", "n", "", "0", "false", "falskt"}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = "" if value is None else nyckel(value)
        if text in self.JA:
            return True
        if text in self.NEJ:
            return False
        raise ValueError(f"Okänt värde ”{value}”. Ange Ja eller Nej.")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "Ja" if value else "Nej"


class Namnlista(widgets.Widget):
    """Names separated by commas, e.g. the målgrupper of an insats."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        text = "" if value is None else str(value)
        return [namn.strip() for namn in re.split(r"[,;]", text) if namn.strip()]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return ", ".join(str(o) for o in value.all())


def kolumn(attribute: str, rubrik: str, widget: widgets.Widget | None = None) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=rubrik, widget=widget or Text())
