from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from registrering import demodata


class Command(BaseCommand):
    help = (
        "Läser in demodata: Samordningsförbundet Västra Östergötland med 2025 års siffror, "
        "2026 januari–oktober och demoanvändare. Kan köras igen utan att något dubbleras."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--idag",
            type=dt.date.fromisoformat,
            default=None,
            help="Datum att ladda data fram till (ÅÅÅÅ-MM-DD). Standard: dagens datum.",
        )

    def handle(self, *args: Any, idag: dt.date | None = None, **options: Any) -> None:
        forbund = demodata.ladda(idag=idag)
        self.stdout.write(self.style.SUCCESS(f"Demodata inläst för {forbund}."))
        self.stdout.write(f"Demoanvändare (lösenord: {demodata.DEMO_LOSENORD}):")
        for username, roll in demodata.demo_anvandare():
            self.stdout.write(f"  {username:<24} {roll}")
