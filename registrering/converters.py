"""Path converters: a year the product knows (2000–2100) and a month (1–12), so that a view
never receives another and no view checks it by hand. Anything else is a 404."""

from __future__ import annotations

from django.urls import register_converter

from registrering.kalender import MINSTA_AR, STORSTA_AR


class ArConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        ar = int(value)
        if not MINSTA_AR <= ar <= STORSTA_AR:
            raise ValueError(value)
        return ar

    def to_url(self, value: int) -> str:
        return str(value)


class ManadConverter:
    regex = r"1[0-2]|[1-9]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(ArConverter, "ar")
register_converter(ManadConverter, "manad")
