"""`manage.py skicka_paminnelser [--datum YYYY-MM-DD] [--torrkorning]`: the day's reminders by
e-mail, for installations that run cron instead of Celery beat (README "Påminnelser")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from registrering import paminnelser


def _datum(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Ogiltigt datum {text!r}: skriv ÅÅÅÅ-MM-DD.") from exc


class Command(BaseCommand):
    help = "Skickar dagens påminnelser och veckosammanfattningar med e-post (en gång per dag)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--datum", type=_datum, help="Dagen att skicka för (standard: i dag).")
        parser.add_argument(
            "--torrkorning",
            action="store_true",
            help="Visa vad som skulle skickas, utan att skicka eller anteckna något.",
        )

    def handle(self, *args: Any, datum: dt.date | None, torrkorning: bool, **options: Any) -> None:
        idag = datum or timezone.localdate()
        resultat = paminnelser.skicka_paminnelser(idag=idag, torrkorning=torrkorning)
        for rubrik, lista in (
            ("Skulle skickas" if torrkorning else "Skickade", resultat.skickade),
            ("Redan skickade i dag", resultat.redan_skickade),
            ("Utan e-postadress (skickas inte)", resultat.utan_epost),
            ("Misslyckades", resultat.misslyckade),
        ):
            for u in lista:
                self.stdout.write(f"{rubrik}: {u.user.get_username()} <{u.till}> – {u.amne}")
        antal = resultat.som_dict()
        self.stdout.write(
            f"{idag.isoformat()}: {antal['skickade']} "
            f"{'skulle skickas' if torrkorning else 'skickade'}, "
            f"{antal['redan_skickade']} redan skickade, {antal['utan_epost']} utan e-postadress, "
            f"{antal['misslyckade']} misslyckade."
        )
        if resultat.misslyckade:
            raise CommandError("Några påminnelser kunde inte skickas; se loggen.")
