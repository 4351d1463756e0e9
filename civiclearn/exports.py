"""Tables as files people open in Excel: CSV (UTF-8 with a byte order mark, so Excel shows Thai) and XLSX.

Every spreadsheet the app writes is written here, so that none can attack the person who opens it. A cell
of text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run by Excel or LibreOffice
as a formula (`=HYPERLINK(...)` sends the sheet's data away, older Excel runs commands through DDE). Such
text gets a leading apostrophe, the OWASP advice for CSV injection, in CSV and XLSX alike:
- in CSV, the apostrophe keeps Excel from reading the cell as a formula (it shows, as the sign of it);
- in XLSX, text cells are also written as text cells (never formulas, nor error values such as "#N/A"),
  so the apostrophe is not needed for opening the file; it is kept so that the cell stays text when
  someone edits it in Excel (Enter would read "=..." as a formula again) or saves the sheet as CSV.
  A learner named "-" shows as "'-" in a sheet: a small price, and only in files (pages show names as typed).
Numbers, dates and booleans are never touched: a negative number stays a number.

Tables of people (`table_response`, the staff's exports) read as the page does, in the language of the request
(Thai unless the person chose English): their tables give the pages' words (headers, states, learner codes with
their dash), and every date or moment left in a row is written here as the pages write it (`as_written`):
25 พ.ย. 2569 in Thai (Buddhist Era), Nov 25, 2026 in English; a moment with its time (25 พ.ย. 2569 14:05), in
the centre's clock. In XLSX too it is text, not a date cell: a date cell shows as the viewer's Excel is set up
(the Christian Era on most computers, whatever the page said), so only text reliably reads as the page does.
The price: a spreadsheet cannot do sums on those dates; the rows come in the page's order, oldest first where
time matters. Public files (`csv_response`: open data, the example roster) keep their own, standard formats.

Both stream: a CSV is written row by row as the client reads it, and an XLSX is built by openpyxl's
write-only workbook in a temporary file (rows are not kept in memory) and then sent from disk. So an
export of 100,000 rows takes no more memory than one of ten. Rows may be any iterable, such as a
query's `yield_per` results, and are read inside the request (`stream_with_context`).

Tables of people (`table_response`) go through the one download helper (`civiclearn.downloads`: no-store,
audit log); public tables (open data, the example roster) through `csv_response`, with the same safe cells.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import chain

from flask import Response, abort, stream_with_context

from civiclearn.downloads import disposition, personal_file
from civiclearn.i18n import format_date, format_datetime

FORMATS = ("csv", "xlsx")
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_CHUNK = 500  # CSV rows written per chunk sent: fewer, larger writes to the socket
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula (OWASP)


def as_written(value):
    """A cell of a table about people as the pages write it: a date or a moment in the request's language
    (a moment in the centre's clock, to the minute); anything else as it is."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return value


def written_rows(rows: Iterable[Sequence]) -> Iterator[list]:
    """The rows with their cells `as_written`, made as they are read (an export still streams)."""
    return ([as_written(value) for value in row] for row in rows)


def safe_text(value):
    """Text that a spreadsheet would run as a formula, with a leading apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value):
    """A cell as CSV takes it: dates as ISO text, text made safe."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return safe_text(value)


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text in chunks: the byte order mark and the header first, then ROWS_PER_CHUNK rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([csv_cell(value) for value in header])
    for number, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(value) for value in row])
        if number % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_cell(sheet, value):
    """A cell as XLSX takes it: text as a text cell (made safe, without the control characters XLSX cannot
    hold), aware datetimes without their zone, numbers as they are."""
    if isinstance(value, str):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", safe_text(value)))
        cell.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error
        return cell
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def xlsx_file(header: Sequence[str], rows: Iterable[Sequence], title: str) -> tempfile.SpooledTemporaryFile:
    """The workbook, one sheet named `title`, in a temporary file ready to be read from its start."""
    from openpyxl import Workbook  # (imported when a spreadsheet is asked for: 20 MB a web process rarely needs)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit on a sheet's name
    for row in chain([header], rows):
        sheet.append([xlsx_cell(sheet, value) for value in row])
    spooled = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # small files stay in memory
    workbook.save(spooled)
    spooled.seek(0)
    return spooled


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """A public CSV (nobody's personal data in it): safe cells, and cacheable like any public file."""
    response = Response(stream_with_context(csv_chunks(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = disposition(f"{filename}.csv")
    return response


def table_response(file_format: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], *,
                   subject: tuple[str, int | None], title: str = "Data", detail: dict | None = None) -> Response:
    """A table about people as `file_format` ("csv" or "xlsx"; any other format is not found), its dates
    written as the pages write them, sent through the download helper: never cached, recorded in the audit
    log as a report export about `subject`."""
    if file_format not in FORMATS:
        abort(404)
    rows = written_rows(rows)
    if file_format == "csv":
        body, mimetype = stream_with_context(csv_chunks(header, rows)), "text/csv"
    else:
        body, mimetype = xlsx_file(header, rows, title), XLSX_TYPE
    return personal_file(body, f"{filename}.{file_format}", mimetype, action="report.export", subject=subject,
                         detail=detail)
