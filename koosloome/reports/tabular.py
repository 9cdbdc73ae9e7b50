"""Writing rows as CSV or XLSX, with spreadsheet formula injection neutralised.

CSV has no cell types, so text that a spreadsheet would run as a formula gets an apostrophe
(OWASP's advice). XLSX has them: text is written as a text cell, never a formula, and shows
exactly as it was typed (a phone number "+372 …" without a stray apostrophe).

Pure functions: they take rows of plain values and give text or bytes, whatever produced them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from koosloome.spreadsheet import neutralise

#: Excel opens UTF-8 CSV correctly only with a byte-order mark.
BOM = "\ufeff"
#: Estonian Excel splits CSV on semicolons (the comma is the decimal sign there).
CSV_DELIMITERS = {"et": ";", "en": ","}


@dataclass(frozen=True)
class Sheet:
    """A named table: one header row and data rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


class _Line:
    """A file-like object that hands back what ``csv.writer`` wrote for one row."""

    def __init__(self) -> None:
        self.value = ""

    def write(self, text: str) -> None:
        self.value = text


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], language: str = "et"
) -> Iterator[str]:
    """The CSV text line by line (BOM first), for a streamed response."""
    line = _Line()
    writer = csv.writer(line, delimiter=CSV_DELIMITERS.get(language, ","), lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    yield BOM + line.value
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
        yield line.value


def csv_text(sheets: Sequence[Sheet], language: str = "et") -> str:
    """Several tables in one CSV, each after its title and a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITERS.get(language, ","), lineterminator="\r\n")
    for index, sheet in enumerate(sheets):
        if index:
            writer.writerow([])
        writer.writerow([neutralise(sheet.title)])
        writer.writerow([neutralise(cell) for cell in sheet.header])
        for row in sheet.rows:
            writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return BOM + out.getvalue()


def _safe_title(title: str, used: set[str]) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique."""
    cleaned = "".join("-" if char in "[]:*?/\\" else char for char in title)[:31] or "Sheet"
    name, number = cleaned, 2
    while name in used:
        suffix = f" ({number})"
        name, number = cleaned[: 31 - len(suffix)] + suffix, number + 1
    used.add(name)
    return name


def _xlsx_cell(worksheet: Any, value: Any) -> Any:
    """A cell XLSX can hold: text as a text cell (openpyxl would make "=…" a formula), without
    the control characters XML forbids (older rows or other sources may have them)."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(worksheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def write_xlsx(sheets: Sequence[Sheet], out: IO[bytes]) -> None:
    """Write the sheets as an XLSX workbook in openpyxl's write-only (streaming) mode."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for sheet in sheets:
        worksheet = workbook.create_sheet(_safe_title(sheet.title, used))
        bold = Font(bold=True)
        header_cells = []
        for text in sheet.header:
            cell = _xlsx_cell(worksheet, str(text))
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        worksheet.freeze_panes = "A2"
        for row in sheet.rows:
            # An empty string would still write a cell; None writes nothing.
            worksheet.append([None if cell == "" else _xlsx_cell(worksheet, cell) for cell in row])
    workbook.save(out)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as bytes. Rows stream into openpyxl's temporary files as they are made;
    only the compressed result (about 100 KB per 1 000 rows) is held in memory."""
    out = io.BytesIO()
    write_xlsx(sheets, out)
    return out.getvalue()
