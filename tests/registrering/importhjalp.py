"""What the import tests share: files as Swedish Excel writes them, importing and exporting
through a resource, and the messages and the state to compare."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings

from registrering.formats import CSV
from registrering.models import AuditEntry, AvslutadePerAnledning, Insats, Manadsrapport

IDAG = dt.date(2026, 11, 23)
FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "import"
MANAD_RUBRIK = "Insats;År;Månad;Nya kvinnor;Nya män;Avslutade kvinnor;Avslutade män"
Status = Manadsrapport.Status


def fil(*rader: str, encoding: str = "utf-8-sig", sep: str = ";") -> bytes:
    """A CSV file as Excel writes it: CRLF line ends, the given encoding and separator."""
    return ("\r\n".join(r.replace(";", sep) for r in rader) + "\r\n").encode(encoding)


def importera(
    resurs: Any, data: bytes, user: Any, *, format: Any = CSV, dry_run: bool = False, **kwargs: Any
) -> Any:
    dataset = format().create_dataset(data)
    return resurs(user=user, idag=IDAG, **kwargs).import_data(dataset, dry_run=dry_run)


def exportera(resurs: Any, user: Any) -> bytes:
    return CSV().export_data(resurs(user=user).export())


def meddelanden(result: Any) -> list[str]:
    """Every error of a result as 'Rad N, Kolumn: text' (or the file's own message)."""
    texter = [str(e.error) for e in result.base_errors]
    for rad in result.invalid_rows:
        for kolumn, fel in rad.error_dict.items():
            texter += [f"Rad {rad.number + 1}, {kolumn}: {t}" for t in fel]
    return texter


def tillstand() -> dict[str, int]:
    """What an import could change: counted before and after a refused import."""
    return {
        "manader": Manadsrapport.objects.count(),
        "avslut": AvslutadePerAnledning.objects.count(),
        "insatser": Insats.objects.count(),
        "logg": AuditEntry.objects.count(),
    }
