"""A class's report against its assignments (journey 5): done, late, stuck, in progress, not started; printed as
a PDF with the school, the class and the date; exported; only for the school's teachers and admins."""

import csv
import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.schools.models import Assignment, ClassMember, SchoolClass
from tests.helpers import embedded_fonts, record_finished, visible_text
from tests.reports.test_dashboard import NAMES, add_people, answer_quiz, open_lessons


@pytest.fixture
def school_class(app, sample, make_school, make_centre, make_cohort):
    """A class of four: module 1 due yesterday, module 2 due in a week.
    กมล finished both; ขวัญใจ read module 2's lessons; คำปุน failed module 2's quiz twice; งามตา nothing."""
    school = make_school()
    people = add_people(app, make_cohort(make_centre()), NAMES[:4])
    first, second = sample.modules
    with app.app_context():
        found = SchoolClass(school_id=school, name="ม.2/1", grade="ม.2", year=2569, join_code="KEM347")
        db.session.add(found)
        db.session.flush()
        db.session.add_all(ClassMember(class_id=found.id, person_id=person) for person in people)
        today = date.today()
        db.session.add_all([Assignment(class_id=found.id, module_id=first.id, due_on=today - timedelta(days=1)),
                            Assignment(class_id=found.id, module_id=second.id, due_on=today + timedelta(days=7))])
        db.session.commit()
        class_id = found.id
    record_finished(app, people[0], sample.modules)
    open_lessons(app, people[1], second.lessons, completed=False)
    question = second.quiz.questions[0]
    wrong = {question.key: {next(choice.key for choice in question.choices if not choice.correct)}}
    open_lessons(app, people[2], second.lessons[:1], completed=True)
    answer_quiz(app, people[2], second.quiz, wrong)
    answer_quiz(app, people[2], second.quiz, wrong)
    return {"id": class_id, "school": school}


@pytest.fixture
def teacher(app, make_staff, staff_sign_in, school_class):
    browser = app.test_client()
    staff_sign_in(make_staff("teacher", school_id=school_class["school"]), on=browser)
    from tests.helpers import csrf_token
    browser.post("/language", data={"lang": "en", "csrf_token": csrf_token(browser.get("/staff").get_data(as_text=True))})
    return browser


def test_each_student_is_done_late_stuck_or_not_started_in_each_assigned_module(teacher, school_class):
    text = visible_text(teacher.get(f"/classes/{school_class['id']}/report").get_data(as_text=True))
    assert f"{NAMES[0]} Done Done" in text
    assert f"{NAMES[1]} Late Still learning" in text
    assert f"{NAMES[2]} Late Stuck" in text
    assert f"{NAMES[3]} Late Not started" in text
    assert "In all Done 1 Late 3 Done 1 Stuck 1 Still learning 1 Not started 1" in text


def test_the_report_prints_as_a_pdf_with_the_school_class_and_date(teacher, school_class):
    response = teacher.get(f"/classes/{school_class['id']}/report.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(reader.pages[0].extract_text().split())  # English only: Thai can lose marks (WeasyPrint #2841)
    assert text.startswith("Class report:") and "Test Village School · As of" in text
    assert str(utcnow().year) in text and "Late" in text and "Stuck" in text
    assert all(embedded_fonts(reader).values())


def test_the_report_exports_as_csv(teacher, school_class, sample):
    with teacher.get(f"/classes/{school_class['id']}/report.csv") as response:
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Learner code", *(module.title.en for module in sample.modules)]
    assert [row[0] for row in rows[1:]] == list(NAMES[:4]) and rows[3][2:] == ["late", "stuck"]


def test_only_the_schools_teachers_see_it(app, school_class, make_school, make_staff, staff_sign_in):
    other = app.test_client()
    staff_sign_in(make_staff("teacher", school_id=make_school("โรงเรียนอื่น")), on=other)
    for path in ("report", "report.pdf", "report.csv"):
        assert other.get(f"/classes/{school_class['id']}/{path}").status_code == 404
