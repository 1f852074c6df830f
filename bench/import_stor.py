"""Benchmark: a 1 000 000-row xlsx is refused early by the row limit.

The file (one header row and a million one-cell rows, a few hundred KB zipped) is built once and
cached under /tmp. It is read through `registrering.formats.XLSX` exactly as the admin import and
`manage.py import` read it, with the default limit (`FINSAM_IMPORT_MAX_RADER`, 100 000). Prints
the time to the refusal and the memory the read takes: the growth of the process's peak resident
size (ru_maxrss, Django already loaded) and the peak of Python's allocations in a second read
(tracemalloc). Goal: refused in under 2 s and under 100 MB. Exits 1 when the file is
not refused or a goal is missed. The same for a CSV with a million rows.

    .venv/bin/python bench/import_stor.py
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

RADER = 1_000_000
MAL_SEKUNDER = 2.0
MAL_MB = 100.0

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DEBUG"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

import django  # noqa: E402

django.setup()

from registrering.formats import CSV, XLSX, ImportFel, max_rader  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / f"finsam_bench_{RADER}_rader.xlsx"

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYP = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_INNEHALL = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYP}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYP}.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_BOK = (
    f'{_XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{_DOC}"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def bygg_xlsx(sokvag: Path, rader: int) -> None:
    """A minimal workbook written straight as XML (openpyxl would take a minute): numbered
    rows with unreferenced cells, as some programs write them, under a dimension that lies."""
    with zipfile.ZipFile(sokvag, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as arkiv:
        arkiv.writestr("[Content_Types].xml", _INNEHALL)
        arkiv.writestr("_rels/.rels", _RELS)
        arkiv.writestr("xl/workbook.xml", _BOK)
        arkiv.writestr("xl/_rels/workbook.xml.rels", _BOK_RELS)
        with arkiv.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as blad:
            blad.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<dimension ref="A1:A1"/><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>Insats</t></is></c></row>'
            )
            for start in range(2, rader + 2, 10_000):
                stopp = min(start + 10_000, rader + 2)
                blad.write(
                    "".join(
                        f'<row r="{n}"><c><v>1</v></c></row>' for n in range(start, stopp)
                    ).encode()
                )
            blad.write(b"</sheetData></worksheet>")


def _las(format_: type, data: bytes) -> str:
    try:
        format_().create_dataset(data)
    except ImportFel as exc:
        return str(exc)
    return ""


def mat(namn: str, format_: type, data: bytes) -> bool:
    """Time and memory of the refusal in a child process of its own, so that neither the
    other format nor building the file counts in the process's peak."""
    barn = os.fork()
    if barn:
        return os.waitpid(barn, 0)[1] == 0
    fore_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    fel = _las(format_, data)
    sekunder = time.perf_counter() - start
    efter_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()  # a second read: tracemalloc slows Python down several times
    _las(format_, data)
    topp_mb = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    tracemalloc.stop()
    okning_mb = efter_mb - fore_mb
    rader = f"{RADER:,}".replace(",", " ")
    print(f"{namn}: {len(data) / 1024:.0f} KB, {rader} rader")
    print(f"  meddelande: {fel or '(ingen vägran!)'}")
    print(f"  tid till vägran: {sekunder:.2f} s (mål < {MAL_SEKUNDER:.0f} s)")
    print(
        f"  minne för läsningen: {okning_mb:.0f} MB (ru_maxrss {fore_mb:.0f} → {efter_mb:.0f} MB"
        f" med Django laddat), topp {topp_mb:.1f} MB i Python (tracemalloc); mål < {MAL_MB:.0f} MB"
    )
    ok = bool(fel) and sekunder < MAL_SEKUNDER and max(okning_mb, topp_mb) < MAL_MB
    if not ok:
        print("  ÖVER MÅLET")
    sys.stdout.flush()
    os._exit(0 if ok else 1)


def main() -> int:
    if not CACHE.exists():
        # In a child process, so that building it does not count in this process's peak.
        start = time.perf_counter()
        barn = os.fork()
        if barn == 0:
            bygg_xlsx(CACHE.with_suffix(".tmp"), RADER)
            os._exit(0)
        os.waitpid(barn, 0)
        CACHE.with_suffix(".tmp").rename(CACHE)
        print(f"Byggde {CACHE} på {time.perf_counter() - start:.1f} s")
    print(f"Radgräns: {max_rader():,}".replace(",", " "))
    ok = mat("xlsx", XLSX, CACHE.read_bytes())
    csv = ("Insats\r\n" + "1\r\n" * RADER).encode("utf-8-sig")
    ok = mat("csv", CSV, csv) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
