from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.test import override_settings

from registrering.demodata import DEMO_LOSENORD
from registrering.demodata.samverkan import SAMORDNARE, ladda_grupp


class Command(BaseCommand):
    help = (
        "Läser in demogruppen Jönköpings län (seed 004): Södra Vätterbygden, Finnveden och "
        "Höglandet med 2024 års siffror, och en samordnare. Kan köras igen utan att något "
        "dubbleras; SVÖ:s demodata berörs inte."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # As `demodata`: no warming of any PDF while loading.
        with override_settings(FINSAM_FORBERED_PDF=False):
            grupp = ladda_grupp()
        self.stdout.write(self.style.SUCCESS(f"Demogruppen {grupp.namn} är inläst."))
        self.stdout.write(
            f"Samordnare: {SAMORDNARE} (lösenord: {DEMO_LOSENORD}), "
            f"rapporten på /samverkan/{grupp.kortnamn}/2024/"
        )
