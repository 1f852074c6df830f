from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from registrering.inbjudan import giltig_dagar, inbjudningslank
from registrering.models import User
from registrering.services.anvandare import systemadministrator_skapa


class Command(BaseCommand):
    help = (
        "Skapar installationens första systemadministratör (inget förbund, ingen åtkomst till "
        "adminen), som sedan lägger till förbund under /system/. Skriver ut en engångslänk för "
        "att välja lösenord, eller läser lösenordet från standard in med --losenord-fran-stdin."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("anvandarnamn")
        parser.add_argument("epost")
        parser.add_argument(
            "--losenord-fran-stdin",
            action="store_true",
            help="Läs lösenordet från standard in (första raden) i stället för en länk.",
        )

    def handle(
        self, *args: Any, anvandarnamn: str, epost: str, losenord_fran_stdin: bool, **_: Any
    ) -> None:
        losenord = None
        if losenord_fran_stdin:
            losenord = sys.stdin.readline().rstrip("\r\n")
            try:
                validate_password(losenord, User(username=anvandarnamn, email=epost))
            except ValidationError as fel:
                raise CommandError(" ".join(fel.messages)) from fel
        try:
            konto = systemadministrator_skapa(
                anvandarnamn=anvandarnamn, epost=epost, losenord=losenord
            )
        except ValidationError as fel:
            raise CommandError(" ".join(fel.messages)) from fel
        if losenord is not None:
            self.stdout.write(f"Systemadministratören {konto.username} kan logga in.")
            return
        self.stdout.write(
            f"Systemadministratören {konto.username} är skapad. Länken för att välja lösenord "
            f"gäller i {giltig_dagar()} dagar och kan användas en gång:"
        )
        self.stdout.write(inbjudningslank(konto))
