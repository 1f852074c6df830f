"""Delete the admin's import uploads whose preview was never confirmed (for cron or beat).

manage.py rensa_importer            # older than FINSAM_IMPORT_TMP_MAX_ALDER (1 h)
manage.py rensa_importer --minuter 10
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from registrering.importlagring import mapp, rensa_gamla


class Command(BaseCommand):
    help = "Tar bort uppladdade importfiler vars förhandsgranskning aldrig bekräftades."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--minuter",
            type=int,
            default=None,
            help="Ta bort filer äldre än så många minuter (standard: FINSAM_IMPORT_TMP_MAX_ALDER).",
        )

    def handle(self, *args: Any, minuter: int | None = None, **options: Any) -> None:
        antal = rensa_gamla(aldre_an=None if minuter is None else minuter * 60)
        self.stdout.write(f"{antal} gamla importfiler borttagna ur {mapp()}.")
