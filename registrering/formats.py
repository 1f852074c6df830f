"""File formats as Swedish Excel writes them, for django-import-export.

`CSV` reads semicolon- or comma-separated text in UTF-8 (with or without BOM) or Windows-1252
and writes what Excel opens directly: semicolons, UTF-8 with BOM. `XLSX` reads the first sheet.
Both refuse, with a Swedish message, an empty file, a file over `FINSAM_IMPORT_MAX_BYTES`, a
file with more than `FINSAM_IMPORT_MAX_RADER` rows and a file that is not what its name says, and
both neutralise formulae on export. Rows are read one at a time and counted as they come (an xlsx
sheet's own dimension may lie), so a file with a million rows is refused after the limit's worth
of rows; an xlsx whose unpacked parts exceed `FINSAM_IMPORT_MAX_UPPACKAD_BYTES` is refused before
it is opened.

The classes work in the admin (`formats` on the admin mixin) and on the command line, where
`import` picks the format from the file name: importing this module registers these classes
for `.csv` and `.xlsx` with the library's command helpers.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from import_export import command_utils
from import_export.formats import base_formats

FORMELTECKEN = ("=", "+", "-", "@", "\t", "\r")
MAX_BYTES_STANDARD = 10 * 1024 * 1024
MAX_RADER_STANDARD = 100_000
MAX_UPPACKAD_STANDARD = 200 * 1024 * 1024


class ImportFel(CommandError):
    """What is wrong with a whole file, in Swedish, shown as it is. A `CommandError`, so that
    `manage.py import` and `export` print the message instead of a traceback; the import
    command prints a result's errors with repr()."""

    def __repr__(self) -> str:
        return str(self)


class Obehorig(ImportFel, PermissionDenied):
    """The user may not import or export: 403 in a view, a plain message on the command line."""


def max_bytes() -> int:
    return int(getattr(settings, "FINSAM_IMPORT_MAX_BYTES", MAX_BYTES_STANDARD))


def max_rader() -> int:
    return int(getattr(settings, "FINSAM_IMPORT_MAX_RADER", MAX_RADER_STANDARD))


def max_uppackad() -> int:
    return int(getattr(settings, "FINSAM_IMPORT_MAX_UPPACKAD_BYTES", MAX_UPPACKAD_STANDARD))


def _tal(antal: int) -> str:
    """100000 as 100 000, as Swedish writes it."""
    return f"{antal:,}".replace(",", " ")


def for_manga_rader() -> ImportFel:
    grans = _tal(max_rader())
    return ImportFel(
        f"Filen har fler än {grans} rader. Dela upp den i flera filer med högst {grans} rader var."
    )


def _storlek(antal: int) -> str:
    return f"{antal / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def kontrollera_storlek(antal_bytes: int) -> None:
    if antal_bytes > max_bytes():
        raise ImportFel(
            f"Filen är för stor ({_storlek(antal_bytes)}). Största tillåtna storlek är "
            f"{_storlek(max_bytes())}. Dela upp filen i flera."
        )


def neutralisera(varde: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(varde, str) and varde.startswith(FORMELTECKEN):
        return "'" + varde
    return varde


def avneutralisera(varde: Any) -> Any:
    """The inverse on import, so that an exported file can be imported again unchanged: the
    apostrophe goes only before what `neutralisera` would have put it before."""
    if isinstance(varde, str) and varde[:1] == "'" and varde[1:].startswith(FORMELTECKEN):
        return varde[1:]
    return varde


def _dataset(
    rubriker: Sequence[Any], rader: Iterable[Sequence[Any]], *, bara_text: bool = False
) -> tablib.Dataset:
    """A dataset from a header row and data rows; blank rows are dropped and short rows padded
    (Excel leaves out trailing empty cells). `bara_text`: every cell is a string (CSV)."""
    kolumner = _rubriker(rubriker)
    bredd = len(kolumner)
    # Read and counted before any is interpreted, so that a file over the limit is refused
    # after limit + 1 rows. Blank rows count too: a million of them cost as much to read.
    grans = max_rader()
    lasta = list(itertools.islice(rader, grans + 1))
    if len(lasta) > grans:
        raise for_manga_rader()
    kanda: dict[str, str] = {}
    datarad = _textrad if bara_text else _datarad
    data: list[list[Any]] = []
    filrader: list[int] = []
    for nummer, rad in enumerate(lasta, 2):
        varden = datarad(rad, bredd, radnummer=nummer, kanda=kanda)
        if varden is not None:
            data.append(varden)
            filrader.append(nummer)
    del lasta
    if not data:
        raise ImportFel("Filen innehåller inga rader under kolumnrubrikerna.")
    # All rows at once: `append` checks each row's width, which `_datarad` has made right.
    dataset = tablib.Dataset(*data, headers=kolumner)
    dataset.filrader = filrader
    return dataset


def filrad(dataset: tablib.Dataset, index: int) -> int:
    """The number the file gives the dataset's row `index` (1 for the first row under the
    header), as Excel numbers it: the header is row 1, and the blank rows that were dropped
    still count, so that a message names the row the user sees."""
    filrader: list[int] | None = getattr(dataset, "filrader", None)
    if filrader is not None and 0 < index <= len(filrader):
        return filrader[index - 1]
    return index + 1


def _rubriker(rubriker: Sequence[Any]) -> list[str]:
    """The header row as trimmed text without a BOM or trailing empty headers; a file without
    any header is refused."""
    rensade = ["" if r is None else str(r).strip().lstrip("\ufeff") for r in rubriker]
    while rensade and not rensade[-1]:
        rensade.pop()
    if not any(rensade):
        raise ImportFel("Filen är tom: den första raden ska innehålla kolumnrubrikerna.")
    return rensade


def _datarad(
    rad: Sequence[Any], bredd: int, *, radnummer: int, kanda: dict[str, str]
) -> list[Any] | None:
    """One data row trimmed, un-neutralised and padded to `bredd` cells; None for a blank row.
    A row with values beyond the last header is refused (`radnummer` as the spreadsheet counts).
    A text already in `kanda` is shared with the rows before (a file repeats its insatser and
    years: 100 000 rows hold each once)."""
    varden = ["" if v is None else v for v in rad]
    if not any(str(v).strip() for v in varden):
        return None
    varden = [avneutralisera(v.strip() if isinstance(v, str) else v) for v in varden]
    varden = [kanda.setdefault(v, v) if type(v) is str else v for v in varden]
    if len(varden) > bredd and any(str(v).strip() for v in varden[bredd:]):
        raise _for_manga_varden(radnummer, bredd)
    return (varden + [""] * bredd)[:bredd]


def _textrad(
    rad: Sequence[str], bredd: int, *, radnummer: int, kanda: dict[str, str]
) -> list[Any] | None:
    """`_datarad` for a row whose every cell is a string (CSV), the same values at a third of
    the cost: each cell is trimmed once, and only a cell that starts with an apostrophe is
    un-neutralised."""
    varden = [v.strip() for v in rad]
    if not any(varden):
        return None
    if any(v[:1] == "'" for v in varden):
        varden = [avneutralisera(v) for v in varden]
    varden = [kanda.setdefault(v, v) for v in varden]
    if len(varden) == bredd:
        return varden
    if len(varden) > bredd and any(varden[bredd:]):
        raise _for_manga_varden(radnummer, bredd)
    return (varden + [""] * bredd)[:bredd]


def _for_manga_varden(radnummer: int, bredd: int) -> ImportFel:
    return ImportFel(
        f"Rad {radnummer} har fler värden än det finns kolumnrubriker "
        f"({bredd}). Kontrollera att alla kolumner har en rubrik."
    )


def avkoda(data: bytes) -> str:
    """UTF-8 (with or without BOM) or else Windows-1252, as Swedish Excel saves CSV."""
    if b"\x00" in data[:4096] or data.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        raise ImportFel(
            "Filen är inte en textfil (CSV). Om det är en Excelfil: välj formatet xlsx, eller "
            "spara den i Excel som ”CSV (semikolonavgränsad)”."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFel(
            "Filen går inte att läsa som text i UTF-8 eller Windows-1252. Spara den i Excel "
            "som ”CSV UTF-8” eller ”CSV (semikolonavgränsad)”."
        ) from exc


def avgransare(text: str) -> str:
    """Semicolon or comma, whichever splits the header row (outside quotes) into more columns."""
    forsta = text.split("\n", 1)[0]
    antal = {}
    for tecken in (";", ",", "\t"):
        antal[tecken] = len(next(csv.reader([forsta], delimiter=tecken), []))
    return max((";", ",", "\t"), key=lambda t: (antal[t], t == ";"))


class CSV(base_formats.CSV):
    """CSV as Swedish Excel writes it. Read and written as bytes, decoded here."""

    def get_title(self) -> str:
        return "csv"

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def get_content_type(self) -> str:
        return "text/csv; charset=utf-8"

    def create_dataset(self, in_stream: bytes | str, **kwargs: Any) -> tablib.Dataset:
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)
        kontrollera_storlek(len(data))
        if not data.strip():
            raise ImportFel("Filen är tom.")
        text = avkoda(data)
        rader = csv.reader(io.StringIO(text, newline=""), delimiter=avgransare(text))
        rubriker = next(rader, [])
        return _dataset(rubriker, rader, bara_text=True)

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        stream = io.StringIO(newline="")
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(dataset.headers or [])
        for rad in dataset:
            writer.writerow(["" if v is None else neutralisera(_text(v)) for v in rad])
        return stream.getvalue().encode("utf-8-sig")


def _text(varde: Any) -> Any:
    if hasattr(varde, "isoformat") and not isinstance(varde, str):
        return varde.isoformat()[:10] if not hasattr(varde, "hour") else varde.isoformat()
    return varde


class XLSX(base_formats.XLSX):
    """The first sheet of an Excel workbook; formulae are read as their computed values."""

    def get_title(self) -> str:
        return "xlsx"

    def create_dataset(self, in_stream: bytes, **kwargs: Any) -> tablib.Dataset:
        import openpyxl

        data = bytes(in_stream)
        kontrollera_storlek(len(data))
        if not data.strip():
            raise ImportFel("Filen är tom.")
        _kontrollera_uppackad(data)
        try:
            bok = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFel(
                "Filen är inte en Excelfil (xlsx). Om det är en CSV-fil: välj formatet csv."
            ) from exc
        try:
            blad = bok.active
            _kontrollera_antal_rader(blad)
            # The sheet's stated dimension may lie (openpyxl would stop there): read every row.
            blad.reset_dimensions()
            rubriker = next(blad.iter_rows(max_row=1, values_only=True), None)
            if rubriker is None:
                raise ImportFel("Filen är tom: det första bladet har inga rader.")
            # Data rows are read no wider than the headers plus one column (to notice values
            # without a header): openpyxl would otherwise pad each row out to its last cell, and
            # a row with a cell in column XFD would cost 16 384 values.
            bredd = len(_rubriker(rubriker))
            rader = blad.iter_rows(min_row=2, max_col=bredd + 1, values_only=True)
            return _dataset(rubriker, rader)
        finally:
            bok.close()

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        """One sheet with bold headers, dates as dates and text cells never read as formulae."""
        return self.export_bok([dataset])

    def export_bok(self, datasets: Sequence[tablib.Dataset]) -> bytes:
        """A workbook with one sheet per dataset (named by its title), each written as
        `export_data` writes its one."""
        import openpyxl

        bok = openpyxl.Workbook()
        bok.remove(bok.active)
        for dataset in datasets:
            blad = bok.create_sheet((dataset.title or "Export")[:31])
            _skriv_rader(blad, dataset)
            _satt_kolumnbredder(blad, dataset.headers or [])
            blad.freeze_panes = "A2"
            _datumformat(blad)
        stream = io.BytesIO()
        bok.save(stream)
        return stream.getvalue()


def _kontrollera_uppackad(data: bytes) -> None:
    """Refuse a zip bomb before openpyxl opens it: the parts' unpacked sizes as the zip's
    directory states them (zipfile stops reading a part that grows past its stated size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as arkiv:
            uppackad = sum(del_.file_size for del_ in arkiv.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFel(
            "Filen är inte en Excelfil (xlsx). Om det är en CSV-fil: välj formatet csv."
        ) from exc
    if uppackad > max_uppackad():
        raise ImportFel(
            f"Excelfilen är {_storlek(uppackad)} uppackad, mer än de {_storlek(max_uppackad())} "
            "som kan läsas. Dela upp den i flera filer."
        )


# A row's start tag, with or without a namespace prefix (<row r="2">, <x:row>).
_RADTAGG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def _kontrollera_antal_rader(blad: Any) -> None:
    """Count the sheet's rows in its XML as it is unpacked, without parsing it, and stop at
    the limit: a million rows are refused in a fraction of the time openpyxl takes to read
    them. (`_dataset` counts again what openpyxl yields, which also fills numbering gaps.)"""
    grans = max_rader() + 1  # the header row and the data rows
    antal = 0
    rest = b""
    with blad._get_source() as kalla:  # the sheet's XML, as openpyxl itself opens it
        while bit := kalla.read(1 << 20):
            data = rest + bit
            # Up to the last "<": a tag cut by the chunk's end is counted with the next chunk.
            slut = data.rfind(b"<")
            slut = len(data) if slut < 0 else slut
            antal += len(_RADTAGG.findall(data, 0, slut))
            rest = data[slut:]
            if antal > grans:
                raise for_manga_rader()
    if antal + len(_RADTAGG.findall(rest)) > grans:
        raise for_manga_rader()


def _skriv_rader(blad: Any, dataset: tablib.Dataset) -> None:
    """The headers in bold, then the data rows."""
    from openpyxl.styles import Font

    blad.append(list(dataset.headers or []))
    for cell in blad[1]:
        cell.font = Font(bold=True)
    for rad in dataset:
        blad.append([_xlsx_cell(v) for v in rad])


def _satt_kolumnbredder(blad: Any, rubriker: Sequence[Any]) -> None:
    """Each column as wide as its header or its widest value in the first 200 rows, at most 60."""
    for kolumn, rubrik in zip(blad.columns, rubriker, strict=False):
        bredd = max([len(str(rubrik))] + [len(str(c.value or "")) for c in kolumn[1:200]])
        blad.column_dimensions[kolumn[0].column_letter].width = min(bredd + 2, 60)


def _datumformat(blad: Any) -> None:
    """Dates and datetimes below the header row shown as yyyy-mm-dd."""
    for kolumn in blad.iter_cols(min_row=2):
        for cell in kolumn:
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"


def _xlsx_cell(varde: Any) -> Any:
    if varde == "":
        return None
    if isinstance(varde, str):
        # openpyxl stores a string that starts with "=" as a formula: neutralise first.
        return neutralisera(varde)
    return varde


FORMAT = [CSV, XLSX]

# `manage.py import` chooses the format class from the file's MIME type through this mapping;
# with ours registered, `import Resource fil.csv` reads Swedish Excel's CSV without --format.
command_utils.MIME_TYPE_FORMAT_MAPPING[base_formats.CSV.CONTENT_TYPE] = CSV
command_utils.MIME_TYPE_FORMAT_MAPPING[base_formats.XLSX.CONTENT_TYPE] = XLSX
