"""Tables as files people open in Excel: CSV (UTF-8 with a byte order mark, so Excel shows Thai) and XLSX.

Both stream: a CSV is written row by row as the client reads it, and an XLSX is built by openpyxl's
write-only workbook in a temporary file (rows are not kept in memory) and then sent from disk. So an
export of 100,000 rows takes no more memory than one of ten. Rows may be any iterable, such as a
query's `yield_per` results, and are read inside the request (`stream_with_context`).
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from flask import Response, abort, send_file, stream_with_context
from flask_babel import to_user_timezone
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_CHUNK = 500  # CSV rows written per chunk sent: fewer, larger writes to the socket


def local_time(moment: datetime | None) -> datetime | None:
    """A moment as the centre's clock showed it, to the second, without a zone: what a spreadsheet shows."""
    return to_user_timezone(moment).replace(tzinfo=None, microsecond=0) if moment else None


def plain(value):
    """A cell as a spreadsheet takes it: dates as ISO text in CSV, aware datetimes without their zone in XLSX."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text in chunks: the byte order mark and the header first, then ROWS_PER_CHUNK rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(header)
    for number, row in enumerate(rows, start=1):
        writer.writerow([value.isoformat() if isinstance(value, (date, datetime)) else value for value in row])
        if number % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    response = Response(stream_with_context(csv_chunks(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = "Data") -> Response:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit on a sheet's name
    sheet.append(list(header))
    for row in rows:
        sheet.append([plain(value) for value in row])
    spooled = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # small files stay in memory
    workbook.save(spooled)
    spooled.seek(0)
    return send_file(spooled, mimetype=XLSX_TYPE, as_attachment=True, download_name=f"{filename}.xlsx")


def table_response(file_format: str, filename: str, header: Sequence[str], rows: Iterable[Sequence],
                   title: str = "Data") -> Response:
    """The table as `file_format` ("csv" or "xlsx"); any other format is not found. Never cached: names inside."""
    if file_format not in FORMATS:
        abort(404)
    if file_format == "csv":
        response = csv_response(filename, header, rows)
    else:
        response = xlsx_response(filename, header, rows, title)
    response.headers["Cache-Control"] = "no-store"
    return response
