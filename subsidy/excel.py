"""Workbooks people read (openpyxl): a title, notes, a bordered table with a header row and
money formats, a footer. The one place sheets are written: the publicity list, the inbox
export, the reports and the import templates all use it, so typed text is never a formula."""

from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _cells(values) -> list:
    """Lazy translations become text (openpyxl only takes plain values)."""
    return [str(value) if isinstance(value, Promise) else value for value in values]


def append_row(sheet, values) -> None:
    """Append one row; text that starts like a formula (an organisation named "=1+2&…", a
    title "=HYPERLINK(…)") is stored as text, never run when the reader enables editing.
    Every row of every workbook the project writes goes through here."""
    sheet.append(_cells(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def new_workbook() -> Workbook:
    """An empty workbook (no default sheet): add sheets with add_table."""
    book = Workbook()
    book.remove(book.active)
    return book


def add_table(book: Workbook, name: str, headers: Sequence[str], rows: Iterable[Sequence], *,
              title: str = "", notes: Sequence[str] = (), total: Sequence | None = None,
              footer: Sequence[str] = (), money: Sequence[int] = (),
              widths: Sequence[int] = ()):
    """Add a sheet: `title` (bold, merged across the table), `notes` (one line each), the
    header row, `rows`, an optional `total` row, all bordered, then `footer` lines after a
    blank line. `money` lists the 0-based columns formatted as #,##0.00."""
    sheet = book.create_sheet(name[:31])  # Excel's limit on sheet names
    width = len(headers)
    if title:
        append_row(sheet, [title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A1"].alignment = Alignment(horizontal="center")
    for note in notes:
        append_row(sheet, [note])
    append_row(sheet, headers)
    first = sheet.max_row
    for cell in sheet[first]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    if total is not None:
        append_row(sheet, total)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row, max_col=width):
        for cell in row:
            cell.border = BORDER
        for index in money:
            row[index].number_format = MONEY_FORMAT
    if footer:
        sheet.append([])
        for line in footer:
            append_row(sheet, [line])
    for index, chars in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = chars
    return sheet


def workbook_bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(book: Workbook, filename: str) -> HttpResponse:
    """The workbook as a download; `filename` may be Chinese (RFC 6266 filename*)."""
    response = HttpResponse(workbook_bytes(book), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
