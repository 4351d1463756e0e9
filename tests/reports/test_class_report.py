"""A class's report against its assignments (journey 5): done, late, stuck, in progress, not started; printed as
a PDF with the school, the class and the date; exported; only for the school's teachers and admins."""

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.schools.models import Assignment, ClassMember, SchoolClass
from tests.helpers import embedded_fonts, record_finished, visible_text
from tests.reports.test_dashboard import (
    NAMES,
    THAI_MONTHS,
    add_people,
    answer_quiz,
    card_code,
    helped_with_first_lesson,
    open_lessons,
    table_of,
)


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
    return {"id": class_id, "school": school, "people": people}


@pytest.fixture
def teacher(app, make_staff, staff_sign_in, school_class):
    browser = app.test_client()
    staff_sign_in(make_staff("teacher", school_id=school_class["school"]), on=browser)
    from tests.helpers import csrf_token
    browser.post("/language", data={"lang": "en", "csrf_token": csrf_token(browser.get("/staff").get_data(as_text=True))})
    return browser


@pytest.fixture
def thai_teacher(app, make_staff, staff_sign_in, school_class):
    """A teacher of the school who reads the pages in Thai, the default."""
    browser = app.test_client()
    staff_sign_in(make_staff("teacher", school_id=school_class["school"]), on=browser)
    return browser


def date_as_written(language: str, days: int) -> str:
    """The date `days` from today as the pages write it (the due dates are set from the test's today)."""
    day = date.today() + timedelta(days=days)
    if language == "th":
        return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"
    return f"{day:%b} {day.day}, {day.year}"


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


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_report_exports_as_the_page_reads(app, teacher, thai_teacher, school_class, sample, language,
                                              file_format):
    """Statuses in the page's words (with the lessons done with help), each module with its due date as the page
    writes it, learner codes as on the cards."""
    helped_with_first_lesson(app, school_class["people"][0], sample.modules[0])
    browser = thai_teacher if language == "th" else teacher
    with browser.get(f"/classes/{school_class['id']}/report.{file_format}") as response:
        rows = table_of(response)
    first, second = sample.modules
    yesterday, week = (date_as_written(language, days) for days in (-1, 7))
    if language == "th":
        assert rows[0] == ["ชื่อ", "รหัสผู้เรียน", f"{first.title.th} · ส่งภายใน {yesterday}",
                           f"{second.title.th} · ส่งภายใน {week}"]
        statuses = [["จบแล้ว · ดูเฉลยแล้วทำจบ 1 บท", "จบแล้ว"], ["เลยกำหนดส่ง", "กำลังเรียน"],
                    ["เลยกำหนดส่ง", "ติดขัด"], ["เลยกำหนดส่ง", "ยังไม่เริ่ม"]]
    else:
        assert rows[0] == ["Name", "Learner code", f"{first.title.en} · due {yesterday}",
                           f"{second.title.en} · due {week}"]
        statuses = [["Done · 1 done with help", "Done"], ["Late", "Still learning"], ["Late", "Stuck"],
                    ["Late", "Not started"]]
    assert [row[0] for row in rows[1:]] == list(NAMES[:4]) and [row[2:] for row in rows[1:]] == statuses
    assert [row[1] for row in rows[1:]] == [card_code(app, person) for person in school_class["people"]]


def test_the_page_and_its_pdf_say_which_lessons_were_done_with_help(app, teacher, school_class, sample):
    helped_with_first_lesson(app, school_class["people"][0], sample.modules[0])
    text = visible_text(teacher.get(f"/classes/{school_class['id']}/report").get_data(as_text=True))
    assert f"{NAMES[0]} Done · 1 done with help Done" in text
    assert "Done with help: lessons finished after the practice's answer was shown" in text
    response = teacher.get(f"/classes/{school_class['id']}/report.pdf")
    pdf = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "Done · 1 done with help" in pdf


def test_only_the_schools_teachers_see_it(app, school_class, make_school, make_staff, staff_sign_in):
    other = app.test_client()
    staff_sign_in(make_staff("teacher", school_id=make_school("โรงเรียนอื่น")), on=other)
    for path in ("report", "report.pdf", "report.csv"):
        assert other.get(f"/classes/{school_class['id']}/{path}").status_code == 404
