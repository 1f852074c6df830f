from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from finsam.sakerhetskopia import SakerhetskopiaFel, sakerhetskopiera


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar databasen till en fil (PostgreSQL: pg_dump i custom-format; SQLite: "
        "en kopia medan appen kör) och de uppladdade filerna till <fil>.media.tar.gz."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("fil", type=Path, help="Filen som säkerhetskopian skrivs till.")
        parser.add_argument("--database", default="default", help="Databasens alias i DATABASES.")

    def handle(self, *args: Any, fil: Path, database: str, **options: Any) -> None:
        try:
            skrivna = sakerhetskopiera(fil, alias=database)
        except SakerhetskopiaFel as fel:
            raise CommandError(str(fel)) from fel
        for skriven in skrivna:
            self.stdout.write(self.style.SUCCESS(f"Skrev {skriven}."))
