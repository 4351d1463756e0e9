"""Roster import: Excel's encodings and formats, every bad row with its reason, a preview that writes
nobody, a confirmation that writes every good row at once and only once, and who may do it."""

import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.security import check_password_hash
from werkzeug.test import encode_multipart

from civiclearn.accounts.models import User
from civiclearn.audit.models import AuditEvent
from civiclearn.centres import roster
from civiclearn.centres.models import Centre, Enrolment, RosterImport
from civiclearn.database import utcnow
from civiclearn.extensions import db
from tests.helpers import csrf_token, submit, visible_text

THAI_ROSTER = "ชื่อ,ปีเกิด,เพศ,รุ่น\r\nสมศรี ใจดี,2510,หญิง,รุ่นที่ 1\r\nบุญมี รักดี,1958,ชาย,รุ่นที่ 2\r\n"


@dataclass
class Place:
    centre: int
    cohort: int  # รุ่นที่ 1
    other_cohort: int  # รุ่นที่ 2


@pytest.fixture
def place(make_centre, make_cohort) -> Place:
    centre = make_centre()
    return Place(centre, make_cohort(centre, "รุ่นที่ 1"), make_cohort(centre, "รุ่นที่ 2"))


def choose_language(client, language: str) -> None:
    """Read the pages in this language from now on, as the language switch does."""
    client.post("/language", data={"lang": language,
                                   "csrf_token": csrf_token(client.get("/staff/sign-in").get_data(as_text=True))})


@pytest.fixture
def trainer(client, make_staff, staff_sign_in, place):
    """A trainer of the centre, signed in, reading the pages in English (the messages tested are English)."""
    staff = make_staff("trainer", centre_id=place.centre)
    staff_sign_in(staff)
    choose_language(client, "en")
    return staff


def upload(client, centre: int, data: bytes, filename: str = "roster.csv", cohort: int = 0):
    token = csrf_token(client.get(f"/centres/{centre}/roster").get_data(as_text=True))
    # Encoded here, in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(MultiDict(
        {"csrf_token": token, "cohort": str(cohort), "file": FileStorage(io.BytesIO(data), filename)}))
    return client.post(f"/centres/{centre}/roster", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def preview(client, centre: int, data: bytes, **options) -> tuple[str, str]:
    """Upload, follow to the preview; return its address and its text."""
    response = upload(client, centre, data, **options)
    assert response.status_code == 303, visible_text(response.get_data(as_text=True))
    url = response.headers["Location"]
    return url, visible_text(client.get(url).get_data(as_text=True))


def confirm(client, preview_url: str, consent: bool = True):
    """Send the confirmation as the preview's form does (or as a resend of it does, once the form is gone)."""
    token = csrf_token(client.get(preview_url).get_data(as_text=True))
    return client.post(f"{preview_url}/confirm", data={"csrf_token": token, **({"consent": "y"} if consent else {})})


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def people(app) -> list[User]:
    with app.app_context():
        return db.session.scalars(select(User).where(User.learner_code.is_not(None)).order_by(User.id)).all()


def audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


@pytest.mark.parametrize(("encoding", "separator"), [
    ("utf-8-sig", ","), ("cp874", ","), ("tis-620", ","), ("cp874", ";"),
    ("utf-16", "\t"),  # Excel's "Unicode text"
])
def test_thai_rosters_from_excel_are_read_whatever_their_encoding(app, client, trainer, place, encoding, separator):
    url, page = preview(client, place.centre, THAI_ROSTER.replace(",", separator).encode(encoding))
    assert "สมศรี ใจดี" in page and "บุญมี รักดี" in page
    assert "2 rows: 2 ready to import, 0 with problems" in page
    assert people(app) == []  # nothing written before the trainer confirms


def test_an_excel_workbook_is_read_after_its_title_with_numbers_as_excel_keeps_them(app, client, trainer, place):
    data = xlsx([["รายชื่อผู้เข้าอบรม"], [], ["ลำดับ", "คำนำหน้า", "ชื่อ", "นามสกุล", "ปี พ.ศ. เกิด", "Gender", "Cohort"],
                 [1, "นาง", "สมศรี", "ใจดี", 2510.0, "F", "รุ่นที่ 1"], [2, "นาย", "Anan", "Rakdee", 1985, "male", "รุ่นที่ ๒"]])
    url, page = preview(client, place.centre, data, filename="roster.xlsx")
    assert "2 rows: 2 ready to import" in page
    with app.app_context():
        rows = db.session.scalar(select(RosterImport)).rows
    assert [(row["line"], row["name"], row["year"], row["gender_key"], row["cohort_id"]) for row in rows] == [
        (4, "สมศรี ใจดี", 1967, "female", place.cohort), (5, "Anan Rakdee", 1985, "male", place.other_cohort)]


@pytest.mark.parametrize(("row", "reason"), [
    (",2510,หญิง,รุ่นที่ 1", "The name is missing."),
    ("ก" * 61 + ",,,รุ่นที่ 1", "The name is longer than 60 characters."),
    ("มาลี,2610,,รุ่นที่ 1", "“2610” is not a possible year of birth"),
    ("มาลี,25o0,,รุ่นที่ 1", "“25o0” is not a possible year of birth"),
    ("มาลี,,แมว,รุ่นที่ 1", "“แมว” is not a gender word we know"),
    ("มาลี,,,รุ่นที่ 9", "This centre has no cohort “รุ่นที่ 9”"),
    ("มาลี,,,", "No cohort: write it in the cohort column"),
    ("สมศรี ใจดี,1967,,รุ่นที่ 2", "The same name and year of birth as row 2."),
    ("สมใจ ทดสอบ,,,รุ่นที่ 1", "Already a learner of this cohort."),
])
def test_every_bad_row_is_shown_with_its_reason_and_the_good_rows_stay_importable(
        app, client, trainer, place, make_learner, enrol, row, reason):
    enrol(make_learner("สมใจ ทดสอบ").id, place.cohort)
    data = f"name,birth year,gender,cohort\nสมศรี ใจดี,2510,หญิง,รุ่นที่ 1\n{row}\n".encode()
    response = upload(client, place.centre, data)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 rows: 1 ready to import, 1 with a problem" in visible_text(html)
    problems = re.findall(r'<li id="problem-(\d+)">(.*?)</li>', html, re.S)
    assert [(line, reason in visible_text(text)) for line, text in problems] == [("3", True)]
    assert 'href="#problem-3"' in re.search(r'<tr id="row-3">(.*?)</tr>', html, re.S).group(1)


def problems_of(html: str) -> dict[str, str]:
    """The preview's list of rows with problems: row number -> what it says."""
    return {line: visible_text(text) for line, text in re.findall(r'<li id="problem-(\d+)">(.*?)</li>', html, re.S)}


@pytest.mark.parametrize("titles", [
    "รายชื่อผู้เรียน รุ่นที่ 1;;\r\n\r\n",  # a title Excel padded with separators, then an empty row
    "รายชื่อผู้เรียน รุ่นที่ 1\r\nศูนย์การเรียนชุมชนบ้านหนองบัว\r\n",  # two titles with no separator after them
    "รายชื่อผู้เรียน ศูนย์บ้านหนองบัว, ต.ในเมือง, อ.เมือง, จ.ขอนแก่น;;;\r\n;;;\r\n",  # as many commas as semicolons
], ids=["padded title", "bare titles", "title with commas"])
def test_a_semicolon_roster_with_titles_above_its_columns_is_read_like_the_comma_one(
        app, client, trainer, place, titles):
    """Thai Excel writes ";" when Windows' list separator is set so, and keeps the title rows of the sheet."""
    _, plain_page = preview(client, place.centre, THAI_ROSTER.encode("cp874"))
    url, page = preview(client, place.centre, (titles + THAI_ROSTER.replace(",", ";")).encode("cp874"))
    assert "2 rows: 2 ready to import, 0 with problems" in page and "2 rows: 2 ready to import" in plain_page
    with app.app_context():
        plain, titled = db.session.scalars(select(RosterImport.rows).order_by(RosterImport.id)).all()
    assert [{**row, "line": None} for row in titled] == [{**row, "line": None} for row in plain]
    assert confirm(client, url).status_code == 200
    assert [(learner.display_name, learner.birth_year, learner.gender) for learner in people(app)] == [
        ("สมศรี ใจดี", 1967, "female"), ("บุญมี รักดี", 1958, "male")]


@pytest.mark.parametrize("rows", [
    '"สมศรี,ใจดี,2500\r\nบุญมี รักดี,1958,ชาย,รุ่นที่ 2\r\nมาลี มีสุข,,,รุ่นที่ 1\r\n',
    '"สมศรี,ใจดี,2500\r\n"บุญมี รักดี",1958,ชาย,รุ่นที่ 2\r\n"มาลี มีสุข",,,รุ่นที่ 1\r\n',  # later quotes close it
], ids=["plain rows after it", "quoted rows after it"])
def test_a_row_with_an_unclosed_quote_is_a_bad_row_and_the_next_row_is_read_on_its_own(
        app, client, trainer, place, rows):
    url, page = preview(client, place.centre, ("ชื่อ,ปีเกิด,เพศ,รุ่น\r\n" + rows).encode())
    assert "3 rows: 2 ready to import, 1 with a problem" in page
    html = client.get(url).get_data(as_text=True)
    [(line, problem)] = problems_of(html).items()
    assert line == "2" and problem.startswith("Row 2 ")
    assert 'A quotation mark (") is not closed in “"สมศรี,ใจดี,2500”' in problem
    with app.app_context():
        stored = db.session.scalar(select(RosterImport)).rows
    assert [(row["line"], row["name"], row["year"]) for row in stored] == [
        (2, "", None), (3, "บุญมี รักดี", 1958), (4, "มาลี มีสุข", None)]
    choose_language(client, "th")
    assert "เครื่องหมายคำพูด" in problems_of(client.get(url).get_data(as_text=True))["2"]


def test_an_unclosed_quote_on_the_last_row_is_a_bad_row(app, client, trainer, place):
    data = 'ชื่อ,ปีเกิด\r\nบุญมี รักดี,1958\r\n"สมศรี,2500\r\n'.encode()
    url, page = preview(client, place.centre, data, cohort=place.cohort)
    assert "2 rows: 1 ready to import, 1 with a problem" in page
    assert "is not closed" in problems_of(client.get(url).get_data(as_text=True))["3"]


def test_a_cell_that_excel_wrote_over_two_lines_is_still_one_row(app, client, trainer, place):
    """A cell with a line break in it (Alt+Enter) is quoted over two lines by Excel: that quote is closed."""
    url, page = preview(client, place.centre, 'ชื่อ,ปีเกิด,รุ่น\r\n"สมศรี\r\nใจดี",2510,รุ่นที่ 1\r\nบุญมี,,รุ่นที่ 1\r\n'.encode())
    assert "2 rows: 2 ready to import, 0 with problems" in page and "สมศรี ใจดี" in page


@pytest.mark.parametrize("given", ["", "   ", "\u00a0"], ids=["empty", "spaces", "no-break space (from the web)"])
def test_a_row_with_a_family_name_but_no_given_name_is_flagged_and_skipped(app, client, trainer, place, given):
    """A family name alone is not how a Thai learner is known: more likely the given name was lost or put in the
    wrong column, so the trainer corrects the row (or leaves it out) before anybody is registered under it."""
    data = f"ชื่อ,นามสกุล,ปีเกิด,รุ่น\r\nสมศรี,ใจดี,2510,รุ่นที่ 1\r\n{given},รักดี,1958,รุ่นที่ 1\r\n".encode()
    url, page = preview(client, place.centre, data)
    assert "2 rows: 1 ready to import, 1 with a problem" in page
    html = client.get(url).get_data(as_text=True)
    assert problems_of(html) == {"3": "Row 3 (รักดี): There is a family name (“รักดี”) but no given name. "
                                      "Write the given name in the name column and upload the file again, "
                                      "or this row is skipped."}
    assert 'href="#problem-3"' in re.search(r'<tr id="row-3">(.*?)</tr>', html, re.S).group(1)
    text = visible_text(confirm(client, url).get_data(as_text=True))
    assert "1 learner registered" in text and "Rows skipped" in text
    assert [learner.display_name for learner in people(app)] == ["สมศรี ใจดี"]
    choose_language(client, "th")
    assert "มีนามสกุล (“รักดี”) แต่ไม่มีชื่อ" in problems_of(client.get(url).get_data(as_text=True))["3"]


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "roster.xls", "Choose a CSV file or an Excel workbook"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "roster.csv", "This is an old Excel file (.xls)"),
    (b"not a zip", "roster.xlsx", "This file cannot be read"),
    (b"name\n\xdb\xfc\n", "roster.csv", "This file cannot be read"),  # neither UTF-8 nor Windows Thai
    (b"\xff\xfe\x00\xd8", "roster.csv", "This file cannot be read"),  # "Unicode text" cut in the middle of a letter
    (b"name\nA\n", "ro\x00ster.csv", "Remove the unusual characters"),
    ("เบอร์โทร,ปีเกิด\n0812345678,2510\n".encode(), "roster.csv", "No name column was found"),
    ("ชื่อ,ปีเกิด\n".encode(), "roster.csv", "The file has no learners in it."),
    (b"name\n" + b"x\n" * (roster.MAX_ROWS + 1), "roster.csv", "more than 5000 rows"),
    (b"name\n" + b"x" * roster.MAX_BYTES, "roster.csv", "The file is larger than 2 MB"),
])
def test_a_file_that_cannot_be_used_is_refused_with_a_reason(app, client, trainer, place, data, filename, message):
    response = upload(client, place.centre, data, filename)
    assert response.status_code == 400
    assert message in visible_text(response.get_data(as_text=True))
    assert audit(app, "roster.upload") == []


def test_a_file_far_over_the_limit_is_refused_before_it_is_read(client, trainer, place):
    response = upload(client, place.centre, b"x" * (3 * roster.MAX_BYTES))
    assert response.status_code == 413
    page = visible_text(response.get_data(as_text=True))
    assert "The file is larger than 2 MB" in page and "Import a roster" in page


def test_rows_without_a_cohort_go_to_the_cohort_chosen_for_them(app, client, trainer, place):
    url, page = preview(client, place.centre, "ชื่อ\nสมศรี\n".encode(), cohort=place.other_cohort)
    assert "1 ready to import" in page
    confirm(client, url)
    with app.app_context():
        assert db.session.scalar(select(Enrolment.cohort_id)) == place.other_cohort


def test_the_example_roster_opens_in_excel_and_imports_as_it_is(client, trainer, place):
    response = client.get(f"/centres/{place.centre}/roster/example.csv")
    assert response.data.startswith(b"\xef\xbb\xbf") and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    url, page = preview(client, place.centre, response.data)
    assert "3 rows: 3 ready to import, 0 with problems" in page


def test_confirming_writes_every_good_row_once_with_a_working_starting_pin(app, client, trainer, place):
    data = (THAI_ROSTER + "มาลี,3000,,รุ่นที่ 1\n").encode("utf-8-sig")
    url, _ = preview(client, place.centre, data)
    response = submit(client, url, {"consent": "y"}, action=f"{url}/confirm")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = visible_text(page)
    assert "2 learners registered" in text and "CivicLearn does not keep them" in text
    assert "Rows skipped" in text and "“3000” is not a possible year of birth" in text
    assert f"/centres/{place.centre}/cards.pdf?cohort={place.cohort}" in page
    learners = people(app)
    assert [(learner.display_name, learner.birth_year, learner.gender, learner.must_change_pin)
            for learner in learners] == [("สมศรี ใจดี", 1967, "female", True), ("บุญมี รักดี", 1958, "male", True)]
    for learner in learners:  # each shown PIN is the learner's: code and PIN on the same table row
        pin = re.search(rf"{learner.learner_code[:3]}-{learner.learner_code[3:]} (\d{{6}})", text).group(1)
        assert check_password_hash(learner.pin_hash, pin)
    with app.app_context():
        assert sorted(db.session.execute(select(Enrolment.cohort_id)).scalars()) == [place.cohort, place.other_cohort]
        upload_row = db.session.scalar(select(RosterImport))
        assert upload_row.confirmed_at is not None and "pin" not in str(upload_row.rows).lower()
    [event] = audit(app, "roster.import")
    assert event.detail == {"roster_import": upload_row.id, "created": 2, "skipped": 1} and event.actor_id == trainer.id
    assert len(audit(app, "learner.add")) == 2

    again = confirm(client, url)  # a double click, or the page sent again
    assert again.status_code == 303 and again.headers["Location"].endswith(url)
    assert "already imported" in visible_text(client.get(url).get_data(as_text=True))
    assert len(people(app)) == 2 and len(audit(app, "roster.import")) == 1


def test_nothing_is_written_without_the_learners_agreement(app, client, trainer, place):
    url, _ = preview(client, place.centre, THAI_ROSTER.encode())
    response = confirm(client, url, consent=False)
    assert response.status_code == 400 and "Ask for agreement first" in visible_text(response.get_data(as_text=True))
    assert people(app) == []


def test_a_racing_confirmation_writes_nothing_more(app, make_app, client, trainer, place):
    """A worker that loaded the roster before another worker confirmed it still finds it confirmed."""
    url, _ = preview(client, place.centre, THAI_ROSTER.encode())
    with make_app().test_request_context():
        stale = db.session.scalar(select(RosterImport))
        assert stale.confirmed_at is None
        assert confirm(client, url).status_code == 200  # another request, another session, commits meanwhile
        with pytest.raises(roster.AlreadyConfirmed):
            roster.confirm(db.session.get(User, trainer.id), db.session.get(Centre, place.centre), stale)
        db.session.rollback()
    assert len(people(app)) == 2


def test_a_failure_part_way_writes_nothing_and_the_import_can_be_tried_again(app, client, trainer, place, monkeypatch):
    url, _ = preview(client, place.centre, THAI_ROSTER.encode())
    real_record, calls = roster.record, []

    def failing_at_the_last_write(actor, action, *args, **detail):
        """The import's own audit event comes after every learner and enrolment is written."""
        calls.append(action)
        if action == "roster.import":
            raise OperationalError("INSERT INTO audit_event", {}, Exception("disk I/O error"))
        return real_record(actor, action, *args, **detail)

    monkeypatch.setattr(roster, "record", failing_at_the_last_write)
    response = confirm(client, url)
    assert response.status_code == 303 and calls == ["roster.import"]
    assert "nobody was imported" in visible_text(client.get(url).get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 0
        assert db.session.scalar(select(RosterImport.confirmed_at)) is None
    assert people(app) == [] and audit(app, "learner.add") == [] and audit(app, "roster.import") == []

    monkeypatch.setattr(roster, "record", real_record)
    assert confirm(client, url).status_code == 200 and len(people(app)) == 2
    assert len(audit(app, "learner.add")) == 2 and len(audit(app, "roster.import")) == 1


def test_the_same_list_uploaded_twice_is_imported_once(app, client, trainer, place):
    first, _ = preview(client, place.centre, THAI_ROSTER.encode())
    second, _ = preview(client, place.centre, THAI_ROSTER.encode())  # checked before the first was confirmed
    confirm(client, first)
    text = visible_text(confirm(client, second).get_data(as_text=True))
    assert "0 learners registered" in text and text.count("Already a learner of this cohort.") == 2
    assert len(people(app)) == 2


@pytest.fixture
def other_centre_import(app, make_centre, make_cohort, make_staff, staff_sign_in) -> str:
    """The preview address of a roster uploaded at another centre by its own trainer."""
    centre = make_centre("ศูนย์อื่น")
    make_cohort(centre, "รุ่นที่ 1")
    other = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=centre), on=other)
    return preview(other, centre, THAI_ROSTER.encode())[0]


def test_a_trainer_of_another_centre_finds_nothing(app, client, place, make_staff, staff_sign_in, other_centre_import):
    staff_sign_in(make_staff("trainer", centre_id=place.centre))
    other_centre = other_centre_import.split("/")[2]
    for url in (f"/centres/{other_centre}/roster", other_centre_import, f"/centres/{other_centre}/roster/example.csv",
                other_centre_import.replace(f"/centres/{other_centre}/", f"/centres/{place.centre}/")):
        assert client.get(url).status_code == 404, url
    token = csrf_token(client.get(f"/centres/{place.centre}/roster").get_data(as_text=True))
    assert client.post(f"{other_centre_import}/confirm", data={"csrf_token": token, "consent": "y"}).status_code == 404
    assert client.post(f"/centres/{other_centre}/roster", data={"csrf_token": token}).status_code == 404
    assert people(app) == []


def test_learners_and_anonymous_visitors_cannot_reach_rosters(
        app, client, place, make_learner, sign_in, other_centre_import):
    for url in (f"/centres/{place.centre}/roster", other_centre_import):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    learner = make_learner()
    sign_in(learner)
    for url in (f"/centres/{place.centre}/roster", other_centre_import, f"/centres/{place.centre}/roster/example.csv"):
        assert client.get(url).status_code == 404
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post(f"{other_centre_import}/confirm", data={"csrf_token": token, "consent": "y"}).status_code == 404
    assert len(people(app)) == 1  # only the learner who tried


def test_a_deleted_learner_leaves_a_blank_row_and_rosters_are_forgotten_after_two_weeks(app, client, trainer, place):
    url, _ = preview(client, place.centre, THAI_ROSTER.encode())
    confirm(client, url)
    somsri = people(app)[0]
    submit(client, f"/learners/{somsri.id}/delete", {})
    text = visible_text(client.get(url).get_data(as_text=True))
    assert "สมศรี" not in text and "Deleted at the learner's request" in text and "บุญมี รักดี" in text

    with app.app_context():
        db.session.execute(db.update(RosterImport).values(created_at=utcnow() - roster.KEEP_FOR - timedelta(minutes=1)))
        db.session.commit()
    fresh, _ = preview(client, place.centre, "ชื่อ,รุ่น\r\nมาลี มีสุข,รุ่นที่ 1\r\n".encode())  # an upload forgets old ones
    with app.app_context():
        assert [upload.rows[0]["name"] for upload in db.session.scalars(select(RosterImport))] == ["มาลี มีสุข"]
    assert "บุญมี" not in client.get(url).get_data(as_text=True)  # (SQLite may give the new roster the old id)
