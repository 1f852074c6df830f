from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet

from registrering import services
from registrering.models import Forbund, User


class Command(BaseCommand):
    help = (
        "Ger förbunden den nationella enkätkatalogen: enkäten Indikatorer för finansiell "
        "samordning (NNS) och Utvärdering av utbildning, med frågor och svarsalternativ. En "
        "enkät som redan har frågor lämnas som förbundet har den; kan köras igen."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--forbund", metavar="KORTNAMN", help="Bara det här förbundet.")

    def handle(self, *args: Any, forbund: str | None = None, **options: Any) -> None:
        alla: QuerySet[Forbund] = Forbund.objects.order_by("namn")
        if forbund:
            alla = alla.filter(kortnamn__iexact=forbund)
            if not alla.exists():
                raise CommandError(f"Inget förbund har kortnamnet {forbund}.")
        # The audit rows need someone who may write in every förbund: the first active
        # system administrator (the command itself runs on the server).
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(
                "Det behövs en aktiv administratör för hela systemet; kopian loggas i dennes namn."
            )
        for post in alla:
            kopia = services.enkatkatalog_kopiera(user=user, forbund=post)
            self.stdout.write(f"{post}: {kopia.nya_fragor} nya frågor.")
