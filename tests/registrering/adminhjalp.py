"""What the admin door tests share: inline management forms, the rules' messages, the errors
of an inline's rows, a survey to answer and the posts of a few admin forms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from registrering import regler
from registrering.models import Enkatfraga, Enkattillfalle, Forbund, Insats, Svarsalternativ


def hantering(prefix: str, antal: int = 0) -> dict[str, str]:
    """An inline's management form with `antal` new rows."""
    return {
        f"{prefix}-TOTAL_FORMS": str(antal),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def texter(fel: list[regler.Fel], falt: str | None = None) -> list[str]:
    return [f.text for f in fel if falt is None or f.falt == falt]


def inline_fel(response: Any) -> list[str]:
    return [
        text
        for inline in response.context["inline_admin_formsets"]
        for form in inline.formset.forms
        for fel in form.errors.values()
        for text in fel
    ]


@dataclass
class Enkat:
    fraga: Enkatfraga
    ja: Svarsalternativ
    nej: Svarsalternativ
    tillfalle: Enkattillfalle


def ny_enkat(forbund: Forbund, insats: Insats) -> Enkat:
    """A question with the options Ja and Nej, and an occasion of `insats` to answer it at."""
    fraga = Enkatfraga.objects.create(forbund=forbund, text="Motsvarade insatsen förväntningarna?")
    ja = Svarsalternativ.objects.create(fraga=fraga, text="Ja", ordning=1, positivt=True)
    nej = Svarsalternativ.objects.create(fraga=fraga, text="Nej", ordning=2)
    tillfalle = Enkattillfalle.objects.create(
        forbund=forbund, insats=insats, namn="Föreläsning", datum=dt.date(2025, 5, 1)
    )
    return Enkat(fraga, ja, nej, tillfalle)


def kostnadspost_data(**varden: str) -> dict[str, str]:
    return {
        "ar": "2025",
        "namn": "Kansli",
        "kod": "",
        "budget": "100000",
        "ordning": "0",
        **hantering("utfall"),
        **varden,
    }


def budget_data(insats: Any, volym: str) -> dict[str, str]:
    return {"insats": str(insats.pk), "ar": "2026", "volym": volym}
