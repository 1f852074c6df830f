"""The tables of seed 000 ("Uppföljning FINSAM 2025", SVÖ), parsed from a copy of the text.

The copy in tests/data is byte-identical to ../shared/seeds/000_1c391905a6b0e281.txt (a test
checks that whenever shared/ is present), so the acceptance tests read the real document.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

KOPIA = Path(__file__).parent / "data" / "uppfoljning_finsam_2025.txt"
ORIGINAL = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_1c391905a6b0e281.txt"


def _cell(text: str) -> str:
    return re.sub(r"</?i>", "", text).strip()


def tal(cell: str) -> int | None:
    """'144 st' -> 144, '36 %' / '65%' -> 36 / 65, '-' -> None."""
    cell = cell.replace("st", "").replace("%", "").replace("\xa0", "").replace(" ", "").strip()
    return None if cell in {"-", "–", ""} else int(cell)


@cache
def rader() -> dict[str, list[str]]:
    """Every tab-separated row of the document, keyed by its first cell (italics removed)."""
    result: dict[str, list[str]] = {}
    for line in KOPIA.read_text(encoding="utf-8").splitlines():
        if "\t" not in line or not line.strip():
            continue
        cells = [_cell(c) for c in line.split("\t")]
        if cells[0]:
            result.setdefault(cells[0], cells[1:])
    return result


def rad(namn: str) -> list[str]:
    return rader()[namn]


PER_INSATS = [
    "Digitaliseringscenter",
    "Försteg Boxholm",
    "Försteg Mjölby/Skänninge",
    "Försteg Motala",
    "Försteg Vadstena",
    "Försteg Ödeshög",
    "ISA navigator",
    "ISA Västra",
    "Stöd mot sysselsättning",
]
HUVUDMAN = ["Försäkringskassan", "Arbetsförmedlingen", "Kommun", "Övrigt"]
VOLYM = [
    "Förstegscoordinator",
    "Motala Fontänhus",
    "Nätverket västra",
    "SIP – Samordnad Individuell Plan",
    "Kompetenshöjande insatser",
    "Utveckling struktur",
]
