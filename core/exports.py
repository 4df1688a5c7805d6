"""Shared helpers for data exports (CSV, XLSX) opened in spreadsheets.

Every cell written by these helpers is guarded against formula injection,
so a caller cannot forget it: in CSV through :func:`safe_cell` (a leading
quote, the only way plain text can say "this is text"); in XLSX through
:func:`_xlsx_text_cell` (a text-typed cell with Excel's quotePrefix style,
so the value shows exactly as written, without a visible apostrophe, and is
never evaluated).
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# A cell starting with one of these may be read as a formula by Excel,
# LibreOffice or Google Sheets (OWASP "CSV injection"); tab and CR too,
# since some spreadsheets strip them and then see the formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DEFAULT_WIDTH = 10
# Excel caps sheet titles at 31 characters.
XLSX_MAX_TITLE = 31


def safe_cell(value):
    """Return ``value`` safe to put in a spreadsheet cell.

    Strings that a spreadsheet could run as a formula get a leading single
    quote, so they are shown as text. Numbers, dates and None pass through
    unchanged: only text can carry a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _xlsx_text_cell(cell) -> None:
    """Keep a text cell text: string-typed, and quote-prefixed when formula-like.

    openpyxl stores a string starting with "=" as a formula unless the cell
    is typed "s"; quotePrefix is the flag Excel and LibreOffice set when a
    user types '=…: the cell shows =… and stays text when edited.
    """
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def _xlsx_value(value):
    # XML 1.0 cannot hold most C0 controls; openpyxl would raise
    # IllegalCharacterError and the download would be a 500.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def safe_rows(header: Sequence, rows: Iterable[Sequence]) -> Iterable[list]:
    """Yield the header and then each row, every cell through safe_cell."""
    yield [safe_cell(value) for value in header]
    for row in rows:
        yield [safe_cell(value) for value in row]


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_bytes(*, header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """Return CSV as UTF-8 with BOM (for Excel), CRLF, RFC 4180 quoting."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(safe_rows(header, rows))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_response(*, content: bytes, filename: str) -> HttpResponse:
    """Return CSV bytes from csv_bytes() as a download."""
    return _attachment(HttpResponse(content, content_type=CSV_CONTENT_TYPE), filename)


def workbook_build(
    *,
    title: str,
    header: Sequence,
    rows: Iterable[Sequence],
    widths: Sequence[int | None] = (),
) -> Workbook:
    """Return a one-sheet workbook set up to print on A4 landscape.

    The header row is bold, frozen and repeated on every printed page; all
    cells wrap; the sheet fits the page width. ``widths`` gives column
    widths in characters, in column order (None or missing: the default).
    """
    book = Workbook()
    _sheet_fill(book.active, title=title, header=header, rows=rows, widths=widths)
    return book


def workbook_sheet_add(
    book: Workbook,
    *,
    title: str,
    header: Sequence,
    rows: Iterable[Sequence],
    widths: Sequence[int | None] = (),
) -> Workbook:
    """Add one more sheet to a workbook from workbook_build(), set up the same way."""
    _sheet_fill(book.create_sheet(), title=title, header=header, rows=rows, widths=widths)
    return book


def _sheet_fill(sheet, *, title: str, header: Sequence, rows: Iterable[Sequence], widths: Sequence[int | None]) -> None:
    sheet.title = title[:XLSX_MAX_TITLE]
    sheet.append([_xlsx_value(value) for value in header])
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
            if isinstance(cell.value, str):
                _xlsx_text_cell(cell)
    for index in range(1, len(header) + 1):
        width = widths[index - 1] if index <= len(widths) else None
        sheet.column_dimensions[get_column_letter(index)].width = width or XLSX_DEFAULT_WIDTH
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def xlsx_bytes(book: Workbook) -> bytes:
    """Return the workbook saved as XLSX."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(*, content: bytes, filename: str) -> HttpResponse:
    """Return XLSX bytes from xlsx_bytes() as a download."""
    return _attachment(HttpResponse(content, content_type=XLSX_CONTENT_TYPE), filename)
