from __future__ import annotations

from pathlib import Path
from typing import Any

from rapporter.export import underlag_uppfoljning_finsam
from rapporter.management.commands.arsrapport import Command as ArsrapportCommand


class Command(ArsrapportCommand):
    help = (
        "Skapar ”Underlag till Uppföljning Finsam” för ett år som Excelfil med bladen Insatser "
        "(per insats inriktning, preciserad inriktning, målgrupper, ESF, uppföljningsmetod, "
        "budgeterat antal, budgeterad och faktisk kostnad, deltagare kvinnor och män eller "
        "volym, och vad som saknas) och Förbundet (medlemsbidrag, budget och utfall för "
        "insatser och administration, årets resultat och eget kapital)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("ar", type=int, help="Året, t.ex. 2025.")
        parser.add_argument("-o", "--output", help="Fil att skriva till (standard: filnamnet).")
        parser.add_argument(
            "--forbund",
            help="Förbundets kortnamn eller namn; krävs när installationen har flera förbund.",
        )

    def handle(
        self, *args: Any, ar: int, output: str | None, forbund: str | None, **options: Any
    ) -> None:
        valt = self._forbund(forbund)
        export = underlag_uppfoljning_finsam(forbund=valt, ar=ar)
        path = Path(output or export.filnamn)
        path.write_bytes(export.innehall)
        self.stdout.write(self.style.SUCCESS(f"Skrev {path} för {valt.namn} {ar}."))
