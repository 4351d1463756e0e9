"""Civic actions, the staff's side: the trainers (and admins over) a learner's centre read the learner's actions on
their page and in the centre's list, with its spreadsheet in the reader's language; the teacher of the learner's
class, and the trainers of another centre, see none of it."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from civiclearn.audit.models import AuditEvent
from civiclearn.civic.models import CivicAction
from civiclearn.database import utcnow
from civiclearn.extensions import db
from tests.helpers import visible_text

CASE = "2569-TEST1"  # the world's action
NOTE = "ไฟถนนหน้าวัดดับ สามคืนแล้ว"


@pytest.fixture
def noted(app, world):
    """A second action of the world's learner, with a note and its outcome, logged by a leader for them."""
    with app.app_context():
        db.session.add(CivicAction(person_id=world.ids["learner"], token="staff-test", kind="asked_for_information",
                                   channel="in_person", done_on=date(2026, 3, 2), note=NOTE, outcome="fixed",
                                   logged_by_id=world.ids["other_learner"], consent_at=utcnow(),
                                   consent_how="in_person"))
        db.session.commit()
    return world


@pytest.mark.parametrize("visitor", ["trainer", "admin"])
def test_staff_of_the_learners_centre_read_their_actions_and_cannot_change_them(noted, visitor):
    browser = noted.browsers[visitor]
    learner, centre = noted.ids["learner"], noted.ids["centre"]
    for page in (f"/learners/{learner}", f"/centres/{centre}/actions"):
        response = browser.get(page)
        html = response.get_data(as_text=True)
        text = visible_text(html)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        assert CASE in text and NOTE in text and "2 มี.ค. 2569" in text  # both actions, the day in B.E.
        assert "ฉันขอข้อมูลข่าวสารของราชการ" in text
        assert "ผู้นำที่ช่วยเขาบันทึกให้ โดยเขายินยอม" in text
        assert "/me/actions/" not in html  # read only: no link to change or delete
    centre_page = visible_text(browser.get(f"/centres/{centre}/actions").get_data(as_text=True))
    assert "สมศรี ใจดี" in centre_page and "2 เรื่อง" in centre_page


def test_the_teacher_of_the_learners_class_and_other_centres_trainers_see_no_action(noted):
    learner, centre = noted.ids["learner"], noted.ids["centre"]
    teacher = noted.browsers["teacher"].get(f"/learners/{learner}")
    assert teacher.status_code == 200  # the learner's page, as their teacher: not their civic life
    assert CASE not in teacher.get_data(as_text=True) and NOTE not in teacher.get_data(as_text=True)
    other = noted.browsers["other trainer"]
    for page in (f"/learners/{learner}", f"/centres/{centre}/actions", f"/centres/{centre}/actions.csv",
                 f"/centres/{centre}/actions.xlsx"):
        with other.get(page) as response:
            assert response.status_code == 404
    assert CASE not in other.get(f"/centres/{noted.ids['other_centre']}/actions").get_data(as_text=True)


WORDS = {  # the language: a header, the kind, the channel, the outcome, "logged by a leader", the day
    "th": ("ทำอะไร", "ฉันขอข้อมูลข่าวสารของราชการ", "ไปติดต่อด้วยตนเอง", "แก้ไขแล้ว หรือได้รับคำตอบแล้ว", "ใช่",
           "2 มี.ค. 2569"),
    "en": ("What they did", "I asked for public information", "In person", "It was fixed or answered", "Yes",
           "Mar 2, 2026"),
}


def sheet_rows(data: bytes, file_format: str) -> list[list]:
    if file_format == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_centres_spreadsheet_reads_as_the_page_in_the_readers_language(app, noted, language, file_format):
    browser = noted.browsers["trainer"]
    with browser.session_transaction() as session:
        session["lang"] = language
    with browser.get(f"/centres/{noted.ids['centre']}/actions.{file_format}") as response:
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        header, *rows = sheet_rows(response.get_data(), file_format)
    what, kind, channel, outcome, yes, day = WORDS[language]
    assert len(rows) == 2 and what in header
    noted_row = next(row for row in rows if NOTE in row)  # latest first: the world's action is today's
    assert noted_row[0] == day and noted_row[1] == "สมศรี ใจดี" and noted_row[3:5] == [kind, channel]
    assert noted_row[7:] == [outcome, yes]
    with app.app_context():
        [audit] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).all()
        assert (audit.subject_type, audit.subject_id) == ("centre", noted.ids["centre"])
