"""Rosters: reading a CSV or Excel list of learners, checking every row, importing the good rows at once.

Uploading writes no person: a RosterImport keeps the rows with their problems for the preview.
Confirming writes every good row in the request's one transaction, and only once.
Functions flush and never commit.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from pathlib import PurePosixPath

from sqlalchemy import delete, select, update

from civiclearn.accounts.models import User
from civiclearn.accounts.services import birth_year_from
from civiclearn.audit.services import record
from civiclearn.centres import services
from civiclearn.centres.models import Centre, Cohort, Enrolment, RosterImport
from civiclearn.database import utcnow
from civiclearn.extensions import db

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to far more than a roster
MAX_LINES = 10 * MAX_ROWS
MAX_COLUMNS = 30
NAME_LENGTH = 60  # person.display_name
KEEP_FOR = timedelta(days=14)  # an uploaded roster (names, birth years) is forgotten after this
HEADER_SEARCH = 10  # the column names may come after a title or two ("รายชื่อผู้เข้าอบรม รุ่นที่ 1")
# Excel's "CSV UTF-8" (with a byte order mark), then Windows Thai, which contains TIS-620.
ENCODINGS = ("utf-8-sig", "cp874")
# Excel writes commas, or semicolons where the comma is the decimal mark; "Unicode text" has tabs.
DELIMITERS = ",;\t"
EXCERPT_LENGTH = 40  # how much of a line that cannot be read the preview quotes

# The column names we recognise, as people write them; compared without case, spaces or punctuation.
COLUMNS = {
    "name": ("ชื่อ", "ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อผู้เรียน", "name", "full name", "first name"),
    "surname": ("นามสกุล", "สกุล", "surname", "last name", "family name"),
    "birth_year": ("ปีเกิด", "ปีที่เกิด", "ปี พ.ศ. เกิด", "birth year", "year of birth", "born"),
    "gender": ("เพศ", "gender", "sex"),
    "cohort": ("รุ่น", "รุ่นที่", "รุ่นอบรม", "cohort", "round"),
}
GENDER_WORDS = {
    "female": ("หญิง", "ผู้หญิง", "ญ", "female", "woman", "f"),
    "male": ("ชาย", "ผู้ชาย", "ช", "male", "man", "m"),
    "other": ("อื่น ๆ", "อื่น", "เพศทางเลือก", "other"),
    None: ("ไม่ระบุ", "prefer not to say", "-"),  # said, but not a gender: kept empty
}

_PUNCTUATION = re.compile(r"[\s\-_.:*()/]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class RosterError(ValueError):
    """The file as a whole cannot be used; `reason` names why (the page says it in words)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class AlreadyConfirmed(RuntimeError):
    """This roster was imported before (a double click, a resend, or a racing request)."""


@dataclass(frozen=True)
class UnclosedQuote:
    """A CSV line whose quotation mark is never closed: a bad row of its own, quoted by its start."""

    excerpt: str


def _plain(text: str) -> str:
    """Text as compared: Thai digits as digits, no case, no spaces or punctuation."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFC", text).translate(_THAI_DIGITS).casefold())


_COLUMN_OF = {_plain(spelling): column for column, spellings in COLUMNS.items() for spelling in spellings}
_GENDER_OF = {_plain(word): gender for gender, words in GENDER_WORDS.items() for word in words}


def _columns_named(cells: list[str]) -> set[str]:
    """The columns a header row names: {"name", "birth_year"} for ชื่อ, ปีเกิด, หมายเหตุ."""
    return {_COLUMN_OF[_plain(title)] for title in cells if _plain(title) in _COLUMN_OF}


# Reading: a file's bytes -> numbered rows of text cells

def read_table(filename: str, data: bytes) -> list[tuple[int, list[str] | UnclosedQuote]]:
    """The non-empty rows of the file, each with its row number as Excel shows it (a CSV line that cannot be
    read is an UnclosedQuote, so that the preview shows it as a bad row)."""
    if len(data) > MAX_BYTES:
        raise RosterError("too_large")
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError("old_excel")
    elif filename.lower().endswith(".xlsx"):
        raise RosterError("unreadable")
    else:
        rows = _csv_rows(_decode(data))
    table = []
    try:
        for number, cells in enumerate(rows, start=1):
            row = _row(cells)
            if row is not None:
                table.append((number, row))
            # The header and MAX_ROWS rows, among at most MAX_LINES lines (blank ones too).
            if len(table) > MAX_ROWS + 1 or number > MAX_LINES:
                raise RosterError("too_many_rows")
    except csv.Error:
        raise RosterError("unreadable") from None
    return table


def _decode(data: bytes) -> str:
    unicode_text = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # Excel's "Unicode text"
    for encoding in ("utf-16",) if unicode_text else ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError("unreadable")


def _csv_rows(text: str):
    """The rows of a CSV text, and an UnclosedQuote for a line whose quote never closes; reading goes on at the
    line after it (left to itself, the csv module reads every line up to the next quotation mark into one cell)."""
    lines = list(io.StringIO(text, newline=""))
    delimiter = _delimiter(lines)
    position = 0
    while position < len(lines):
        # strict: a quote that runs to the end of the file, or closes in the middle of a later cell, is an error
        reader = csv.reader(map(lines.__getitem__, range(position, len(lines))), delimiter=delimiter, strict=True)
        read = 0
        try:
            for cells in reader:
                read = reader.line_num
                yield cells
            return
        except csv.Error:
            position += read
            yield _broken_line(lines[position], delimiter)
            position += 1


def _delimiter(lines: list[str]) -> str:
    """The separator that splits the header into the most column names we know. Not the first line's: title
    rows above the header may hold commas, or no separator at all."""
    head = list(islice((line for line in lines if line.strip(DELIMITERS + '" \r\n')), HEADER_SEARCH))
    return max(DELIMITERS, key=lambda delimiter: max(
        (len(_columns_named(_split(line, delimiter))) for line in head), default=0))


def _split(line: str, delimiter: str) -> list[str]:
    """One line's cells, read on their own: a quote left open in a title must not hide the header."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a line longer than the csv module's limit for a cell: no header
        return []


def _broken_line(line: str, delimiter: str) -> list[str] | UnclosedQuote:
    """A line the strict reader refused: with an odd number of quotation marks, one is never closed; otherwise
    a quote closed before more text (“"Anan" Rakdee”), which is read as it stands."""
    if line.count('"') % 2:
        text = _cell(line)
        return UnclosedQuote(text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH] + "…")
    return next(csv.reader([line], delimiter=delimiter))


def _xlsx_rows(data: bytes):
    """The rows of the workbook's active sheet (values, not formulas)."""
    book = _open_workbook(data)
    if book is None:
        raise RosterError("unreadable")
    try:
        yield from (book.active or book.worksheets[0]).iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except Exception:  # openpyxl fails in many ways on a damaged file; each means "cannot read"
        raise RosterError("unreadable") from None
    finally:
        book.close()


def _open_workbook(data: bytes):
    """The workbook, or None if it is damaged, is no workbook, or unpacks to far more than a roster."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(part.file_size for part in archive.infolist()) > MAX_UNPACKED_BYTES:
                return None
        from openpyxl import load_workbook  # (imported for an XLSX roster only)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # as above: any failure to open means "cannot read"
        return None


def _row(cells) -> list[str] | UnclosedQuote | None:
    """A row as kept: its cells as text, or None if they are all empty; a line that cannot be read stays so."""
    if isinstance(cells, UnclosedQuote):
        return cells
    cells = [_cell(value) for value in cells[:MAX_COLUMNS]]
    return cells if any(cells) else None


def _cell(value) -> str:
    """A cell as text: 2510.0 (how Excel keeps numbers) as 2510, a date as its year."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return str(value.year)
    return " ".join(_CONTROL.sub(" ", str(value)).split())


# Checking: rows of text -> rows with what they mean and their problems

def check_rows(centre: Centre, table: list[tuple[int, list[str] | UnclosedQuote]],
               default_cohort: Cohort | None) -> list[dict]:
    """Every row with its values read and its problems, as RosterImport.rows keeps them."""
    start = next((index for index, (_, cells) in enumerate(table[:HEADER_SEARCH])
                  if isinstance(cells, list) and "name" in _columns_named(cells)), None)
    if start is None:
        raise RosterError("no_name_column" if table else "empty")
    columns = {}
    for index, title in enumerate(table[start][1]):
        if _plain(title) in _COLUMN_OF:
            columns.setdefault(_COLUMN_OF[_plain(title)], index)
    body = table[start + 1:]
    if not body:
        raise RosterError("empty")
    cohorts = {_plain(cohort.name): cohort for cohort in centre.cohorts}
    enrolled = _enrolled(centre)
    first_seen: dict[tuple, int] = {}
    rows = []
    for line, cells in body:
        if isinstance(cells, UnclosedQuote):
            rows.append(_unreadable_row(line, cells))
            continue
        typed = {column: cells[index] if index < len(cells) else "" for column, index in columns.items()}
        row = _check_row(line, typed, cohorts, default_cohort)
        if row["name"]:
            key = (_plain(row["name"]), row["year"] if row["year"] is not None else row["birth_year"])
            if key in first_seen:
                row["problems"].append({"code": "duplicate_in_file", "line": first_seen[key]})
            else:
                first_seen[key] = line
                if row["cohort_id"] and _person_key(row) in enrolled:
                    row["problems"].append({"code": "already_in_cohort"})
        rows.append(row)
    return rows


def _check_row(line: int, typed: dict, cohorts: dict, default_cohort: Cohort | None) -> dict:
    given, family = typed.get("name", ""), typed.get("surname", "")
    name = " ".join(filter(None, (given, family)))
    problems = []
    if not name:
        problems.append({"code": "name_missing"})
    elif not given:
        # A family name alone is not how a Thai learner is known: the given name was lost or is in another column.
        problems.append({"code": "given_name_missing", "value": family})
    elif len(name) > NAME_LENGTH:
        problems.append({"code": "name_too_long"})
    year = None
    try:
        year = birth_year_from(typed.get("birth_year"))
    except ValueError:
        problems.append({"code": "birth_year", "value": typed["birth_year"]})
    gender_typed = typed.get("gender", "")
    gender = _GENDER_OF.get(_plain(gender_typed)) if gender_typed else None
    if gender_typed and _plain(gender_typed) not in _GENDER_OF:
        problems.append({"code": "gender", "value": gender_typed})
    cohort_typed = typed.get("cohort", "")
    cohort = cohorts.get(_plain(cohort_typed)) if cohort_typed else default_cohort
    if cohort is None:
        problems.append({"code": "cohort_unknown", "value": cohort_typed} if cohort_typed
                        else {"code": "cohort_missing"})
    return {"line": line, "name": name, "birth_year": typed.get("birth_year", ""), "gender": gender_typed,
            "cohort": cohort.name if cohort else cohort_typed, "year": year, "gender_key": gender,
            "cohort_id": cohort.id if cohort else None, "problems": problems}


def _unreadable_row(line: int, unclosed: UnclosedQuote) -> dict:
    """A line that cannot be read, as a row the preview lists with its problem and the import skips."""
    return {"line": line, "name": "", "birth_year": "", "gender": "", "cohort": "", "year": None, "gender_key": None,
            "cohort_id": None, "problems": [{"code": "unclosed_quote", "value": unclosed.excerpt}]}


def _person_key(row: dict) -> tuple:
    return row["cohort_id"], _plain(row["name"]), row["year"]


def _enrolled(centre: Centre) -> set[tuple]:
    """(cohort, name, birth year) of everybody in the centre's cohorts now: who would be a duplicate."""
    found = db.session.execute(
        select(Enrolment.cohort_id, User.display_name, User.birth_year)
        .join(User, Enrolment.person_id == User.id).join(Cohort, Enrolment.cohort_id == Cohort.id)
        .where(Cohort.centre_id == centre.id, User.anonymised_at.is_(None)))
    return {(cohort_id, _plain(name), year) for cohort_id, name, year in found}


def upload(actor: User, centre: Centre, filename: str, data: bytes,
           default_cohort: Cohort | None = None) -> RosterImport:
    """Read and check a roster, and keep it for the preview; nobody is registered yet. Flushes."""
    rows = check_rows(centre, read_table(filename, data), default_cohort)
    forget_old_rosters()
    roster = RosterImport(centre_id=centre.id, uploaded_by_id=actor.id,
                          filename=PurePosixPath(filename.replace("\\", "/")).name[:255], rows=rows)
    db.session.add(roster)
    db.session.flush()
    record(actor, "roster.upload", "centre", centre.id, roster_import=roster.id, rows=len(rows))
    return roster


def forget_old_rosters() -> None:
    """Delete every roster uploaded more than KEEP_FOR ago, at any centre: once imported (or not), the
    copy of the list is no longer needed, and we keep no personal data we do not need. Flushes."""
    db.session.execute(delete(RosterImport).where(RosterImport.created_at < utcnow() - KEEP_FOR))


def forget_learner_in_rosters(person: User) -> None:
    """Blank a deleted learner's row in the rosters that registered them. Flushes."""
    centres = select(Cohort.centre_id).join(Enrolment).where(Enrolment.person_id == person.id)
    for upload in db.session.scalars(select(RosterImport).where(RosterImport.centre_id.in_(centres))):
        if any(row.get("learner_id") == person.id for row in upload.rows):
            upload.rows = [{"line": row["line"], "name": "", "birth_year": "", "gender": "", "cohort": row["cohort"],
                            "problems": [], "deleted": True} if row.get("learner_id") == person.id else row
                           for row in upload.rows]
    db.session.flush()


# Confirming: the good rows -> learners

@dataclass
class Imported:
    """What a confirmation did: each new learner with their row and starting PIN, and the rows skipped."""

    learners: list[tuple[dict, User, str]] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


def good_rows(roster: RosterImport) -> list[dict]:
    return [row for row in roster.rows if not row["problems"]]


def confirm(actor: User, centre: Centre, roster: RosterImport) -> Imported:
    """Register every good row, once: AlreadyConfirmed if this roster was confirmed before. Flushes."""
    # In SQL, so that of two racing confirmations only one finds the roster unconfirmed.
    claimed = db.session.execute(
        update(RosterImport).where(RosterImport.id == roster.id, RosterImport.confirmed_at.is_(None))
        .values(confirmed_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise AlreadyConfirmed(roster.id)
    db.session.refresh(roster)
    # Another roster of this centre confirmed at the same moment waits here, then sees our learners.
    db.session.execute(select(Centre.id).where(Centre.id == centre.id).with_for_update())
    cohorts = {cohort.id: cohort for cohort in centre.cohorts}
    enrolled = _enrolled(centre)  # now, not at the preview: the same list may have been imported since
    result, rows, good = Imported(), [], []
    for row in roster.rows:
        row = {**row, "problems": list(row["problems"])}
        if not row["problems"] and row["cohort_id"] not in cohorts:
            row["problems"].append({"code": "cohort_unknown", "value": row["cohort"]})
        elif not row["problems"] and _person_key(row) in enrolled:
            row["problems"].append({"code": "already_in_cohort"})
        (result.skipped if row["problems"] else good).append(row)
        rows.append(row)
    added = services.add_learners(actor, [
        (cohorts[row["cohort_id"]],
         {"display_name": row["name"], "birth_year": row["year"], "gender": row["gender_key"]})
        for row in good])
    for row, (learner, pin) in zip(good, added, strict=True):
        row["learner_id"] = learner.id
        result.learners.append((row, learner, pin))
    roster.rows = rows
    record(actor, "roster.import", "centre", centre.id, roster_import=roster.id, created=len(result.learners),
           skipped=len(result.skipped))
    return result
