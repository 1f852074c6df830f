from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rapporter import pdf
from rapporter.selectors import arsrapport
from registrering.models import Forbund


class Command(BaseCommand):
    help = "Skapar årsbilagan ”Uppföljning FINSAM” som PDF (eller HTML med --html)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("ar", type=int, help="Året, t.ex. 2025.")
        parser.add_argument("-o", "--output", required=True, help="Fil att skriva till.")
        parser.add_argument("--html", action="store_true", help="Skriv HTML i stället för PDF.")
        parser.add_argument(
            "--forbund",
            help="Förbundets kortnamn eller namn; krävs när installationen har flera förbund.",
        )

    def handle(
        self, *args: Any, ar: int, output: str, html: bool, forbund: str | None, **options: Any
    ) -> None:
        valt = self._forbund(forbund)
        rapport = arsrapport(forbund=valt, ar=ar)
        path = Path(output)
        if html:
            path.write_text(pdf.html(rapport, pdf=True), encoding="utf-8")
        else:
            path.write_bytes(pdf.rendera(rapport).innehall)
        status = " (preliminär)" if rapport.kvalitet.preliminar else ""
        self.stdout.write(self.style.SUCCESS(f"Skrev {path} för {valt.namn} {ar}{status}."))

    def _forbund(self, namn: str | None) -> Forbund:
        alla = Forbund.objects.all()
        if namn:
            # Compared in Python: SQLite's case-insensitive match does not fold "Ö" to "ö".
            valt = next(
                (f for f in alla if namn.casefold() in {f.kortnamn.casefold(), f.namn.casefold()}),
                None,
            )
            if valt is None:
                raise CommandError(f"Hittar inget förbund som heter ”{namn}”.")
            return valt
        if alla.count() != 1:
            namnen = ", ".join(f.kortnamn for f in alla) or "inga"
            raise CommandError(f"Ange --forbund (förbund i installationen: {namnen}).")
        return alla.get()
