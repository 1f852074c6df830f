from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.test import override_settings

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
        # No warming of the bilaga while loading: without a broker the builds would run in this
        # process's pool and be cut off (with a traceback) when the command ends. The report
        # page builds the PDF ahead when it is first opened.
        with override_settings(FINSAM_FORBERED_PDF=False):
            forbund = demodata.ladda(idag=idag)
        self.stdout.write(self.style.SUCCESS(f"Demodata inläst för {forbund}."))
        self.stdout.write(f"Demoanvändare (lösenord: {demodata.DEMO_LOSENORD}):")
        for username, roll in demodata.demo_anvandare():
            self.stdout.write(f"  {username:<24} {roll}")
