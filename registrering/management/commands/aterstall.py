from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from finsam.sakerhetskopia import SakerhetskopiaFel, aterstall


class Command(BaseCommand):
    help = (
        "Återställer databasen från en säkerhetskopia av `sakerhetskopia` (och de uppladdade "
        "filerna från <fil>.media.tar.gz om den finns). Allt som finns i databasen nu ersätts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("fil", type=Path, help="Säkerhetskopian att återställa.")
        parser.add_argument("--database", default="default", help="Databasens alias i DATABASES.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Fråga inte först.",
        )

    def handle(
        self, *args: Any, fil: Path, database: str, interactive: bool = True, **options: Any
    ) -> None:
        if interactive:
            svar = input(
                f"Allt i databasen {database!r} ersätts med innehållet i {fil}. "
                "Skriv 'ja' för att fortsätta: "
            )
            if svar.strip().lower() != "ja":
                raise CommandError("Återställningen avbröts.")
        try:
            lasta = aterstall(fil, alias=database)
        except SakerhetskopiaFel as fel:
            raise CommandError(str(fel)) from fel
        for last in lasta:
            self.stdout.write(self.style.SUCCESS(f"Återställde {last}."))
