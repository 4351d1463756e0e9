"""The centre dashboard (journey 3): the learners x modules grid, "needs help" with its reasons, the filters,
what each quiz question shows, the exports, and that the number of queries does not grow with the learners."""

import csv
import io
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.centres.models import Enrolment
from civiclearn.civic.models import CivicAction
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress
from civiclearn.learning.services import submit_quiz
from tests.helpers import record_finished, sql_statements, text_outside, visible_text

NAMES = ("กมล ใจดี", "ขวัญใจ รักเรียน", "คำปุน ศรีสุข", "งามตา มีสุข", "จันทร์เพ็ญ ทองดี")
THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


def add_people(app, cohort_id: int, names) -> list[int]:
    """Learners of the cohort, written directly (nobody signs in)."""
    with app.app_context():
        people = [User(display_name=name, learner_code=codes.new_code()) for name in names]
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(Enrolment(person_id=person.id, cohort_id=cohort_id) for person in people)
        db.session.commit()
        return [person.id for person in people]


def open_lessons(app, person_id: int, lessons, completed: bool, days_ago: int = 0, with_help: bool = False) -> None:
    with app.app_context():
        when = utcnow() - timedelta(days=days_ago)
        db.session.add_all(LessonProgress(user_id=person_id, lesson_id=lesson.id, started_at=when, last_opened_at=when,
                                          completed_at=when if completed else None, completed_with_help=with_help)
                           for lesson in lessons)
        db.session.commit()


def answer_quiz(app, person_id: int, quiz, answers: dict[str, set[str]]) -> None:
    with app.test_request_context():
        submit_quiz(db.session.get(User, person_id), quiz, secrets.token_urlsafe(16),
                    {key: frozenset(chosen) for key, chosen in answers.items()})
        db.session.commit()


@pytest.fixture
def cohort(app, sample, make_centre, make_cohort):
    """Five learners of the sample course (two modules), hand-placed:
    กมล finished both modules; ขวัญใจ read one lesson today; คำปุน did module 1's lessons and failed its quiz
    twice; งามตา joined 20 days ago and did nothing; จันทร์เพ็ญ read a lesson 15 days ago."""
    centre = make_centre()
    cohort_id = make_cohort(centre)
    people = add_people(app, cohort_id, NAMES)
    first, second = sample.modules
    record_finished(app, people[0], sample.modules)
    open_lessons(app, people[1], first.lessons[:1], completed=False)
    open_lessons(app, people[2], first.lessons, completed=True)
    question = first.quiz.questions[0]
    wrong = {question.key: {next(choice.key for choice in question.choices if not choice.correct)}}
    answer_quiz(app, people[2], first.quiz, wrong)
    answer_quiz(app, people[2], first.quiz, wrong)
    open_lessons(app, people[4], first.lessons[:1], completed=True, days_ago=15)
    with app.app_context():
        db.session.execute(update(Enrolment).where(Enrolment.person_id.in_(people[3:]))
                           .values(enrolled_at=utcnow() - timedelta(days=20)))
        db.session.commit()
    return {"centre": centre, "cohort": cohort_id, "people": people, "first": first, "second": second}


@pytest.fixture
def trainer(app, make_staff, staff_sign_in, cohort):
    browser = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=cohort["centre"]), on=browser)
    browser.post("/language", data={"lang": "en", "csrf_token": _token(browser)})
    return browser


def _token(client) -> str:
    from tests.helpers import csrf_token
    return csrf_token(client.get("/staff").get_data(as_text=True))


def hidden_from_sight(tag, attrs) -> bool:
    return "visually-hidden" in attrs.get("class", "").split()


def hidden_from_screen_readers(tag, attrs) -> bool:
    return attrs.get("aria-hidden") == "true"


@dataclass
class GridRow:
    """A learner's row: its header (the name, and why they need help) as seen, then each module's cell as seen and
    as a screen reader says it."""

    header: str
    seen: list[str]
    heard: list[str]


def grid_rows(html: str) -> dict[str, GridRow]:
    """The grid's rows by learner name."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in body.split("<tr>")[1:]:
        header = re.search(r'<th scope="row".*?</th>', row, re.DOTALL).group(0)
        name = visible_text(re.search(r"<a [^>]*>(.*?)</a>", header).group(1))
        cells = re.findall(r'<td class="grid-cell.*?</td>', row, re.DOTALL)
        rows[name] = GridRow(text_outside(header, hidden_from_sight),
                             [text_outside(cell, hidden_from_sight) for cell in cells],
                             [text_outside(cell, hidden_from_screen_readers) for cell in cells])
    return rows


def test_each_cell_shows_a_symbol_and_tells_screen_readers_its_state_in_words(app, trainer, cohort):
    second = cohort["second"]
    kwanjai = cohort["people"][1]  # also: module 2's lessons done (one with help), its quiz failed once
    open_lessons(app, kwanjai, second.lessons[:1], completed=True, with_help=True)
    open_lessons(app, kwanjai, second.lessons[1:], completed=True)
    answer_quiz(app, kwanjai, second.quiz, {})
    page = trainer.get(f"/centres/{cohort['centre']}/dashboard?course=getting-started")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    rows = grid_rows(page.get_data(as_text=True))
    assert list(rows) == list(NAMES)  # by name
    assert [(row.seen, row.heard) for row in rows.values()] == [
        (["✓ 100%", "✓ 100%"], ["Passed, best score 100%", "Passed, best score 100%"]),
        (["◐", "● 0%*"], ["Still learning", "Lessons done, quiz not passed yet, best score 0%, 1 done with help"]),
        (["✗ 0%", "–"], ["Failed the quiz 2 times, best score 0%", "Not started"]),
        (["–", "–"], ["Not started", "Not started"]),
        (["◐", "–"], ["Still learning", "Not started"]),
    ]
    # Why they need help, beside the name (the module by its short label).
    assert [row.header for row in rows.values()] == [
        f"{NAMES[0]} รุ่นที่ 1", f"{NAMES[1]} รุ่นที่ 1", f"{NAMES[2]} รุ่นที่ 1 ! Failed the M1 quiz 2 times",
        f"{NAMES[3]} รุ่นที่ 1 ! No activity for 20 days", f"{NAMES[4]} รุ่นที่ 1 ! No activity for 15 days"]


def log_actions(app, person_id: int, count: int) -> None:
    """Civic actions the learner logged, written directly."""
    with app.app_context():
        db.session.add_all(CivicAction(person_id=person_id, token=f"dashboard-{number}", kind="reported_problem",
                                       channel="traffy_fondue", done_on=date(2026, 3, 2)) for number in range(count))
        db.session.commit()


def test_the_actions_a_learner_logged_show_as_a_count_beside_their_name(app, trainer, cohort):
    log_actions(app, cohort["people"][1], 2)
    log_actions(app, cohort["people"][3], 1)
    html = trainer.get(f"/centres/{cohort['centre']}/dashboard?course=getting-started").get_data(as_text=True)
    headers = {name: re.search(rf"{re.escape(name)}</a>(.*?)</th>", html, re.DOTALL).group(1) for name in NAMES}
    seen = {name: text_outside(header, hidden_from_sight) for name, header in headers.items()}
    heard = {name: text_outside(header, hidden_from_screen_readers) for name, header in headers.items()}
    assert seen[NAMES[1]].startswith("⚑ 2 ") and heard[NAMES[1]].startswith(", 2 actions logged")
    assert seen[NAMES[3]].startswith("⚑ 1 ") and heard[NAMES[3]].startswith(", 1 action logged")
    assert [name for name in NAMES if "⚑" in seen[name] or "action" in heard[name]] == [NAMES[1], NAMES[3]]
    with trainer.get(f"/centres/{cohort['centre']}/dashboard.csv?course=getting-started") as response:
        rows = {row[0]: row for row in table_of(response)}
    assert rows["Name"][-1] == "Actions logged"
    assert [rows[name][-1] for name in NAMES] == ["0", "2", "0", "1", "0"]


def test_modules_have_short_numbered_headers_with_their_titles_on_hover_and_in_the_key(trainer, cohort, sample):
    html = trainer.get(f"/centres/{cohort['centre']}/dashboard?course=getting-started").get_data(as_text=True)
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    for number, module in enumerate(sample.modules, start=1):
        assert f'<abbr title="{module.title.en}">M{number}</abbr>' in head
        assert f"Module {number}: {module.title.en}" in text_outside(head, hidden_from_screen_readers)
    assert text_outside(head, hidden_from_sight) == "Learner Last activity M1 M2"
    key = visible_text(html.split('id="modules"', 1)[1])
    assert f"M1 {sample.modules[0].title.en} · Quiz questions" in key
    assert f"M2 {sample.modules[1].title.en} · Quiz questions" in key


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["Key", "– Not started", "◐ Still learning", "● Lessons done, quiz not passed yet", "✓ Passed",
            "✗ Failed the quiz 2 times or more", "85% The best quiz score", "! Needs help, and why", "Modules",
            "M1 {m1}", "M2 {m2}"]),
    ("th", ["ความหมายของสัญลักษณ์", "– ยังไม่เริ่ม", "◐ กำลังเรียน", "● เรียนครบทุกบท ยังไม่ผ่านแบบทดสอบ", "✓ ผ่านแล้ว",
            "✗ ทำแบบทดสอบไม่ผ่าน 2 ครั้งขึ้นไป", "85% คะแนนแบบทดสอบที่ดีที่สุด", "! ต้องการความช่วยเหลือ และสาเหตุ",
            "หน่วยการเรียน", "หน่วย 1 {m1}", "หน่วย 2 {m2}"]),
])
def test_the_key_explains_every_symbol_and_names_the_modules_in_the_pages_language(trainer, cohort, sample, language,
                                                                                  expected):
    trainer.post("/language", data={"lang": language, "csrf_token": _token(trainer)})
    text = visible_text(trainer.get(f"/centres/{cohort['centre']}/dashboard?course=getting-started")
                        .get_data(as_text=True))
    titles = [getattr(module.title, language) for module in sample.modules]
    for words in expected:
        assert words.format(m1=titles[0], m2=titles[1]) in text

@pytest.mark.parametrize(("show", "expected"), [
    ("needs-help", NAMES[2:]), ("inactive", NAMES[3:]), ("completed", NAMES[:1]), ("all", NAMES)])
def test_the_filters(trainer, cohort, show, expected):
    html = trainer.get(f"/centres/{cohort['centre']}/dashboard?course=getting-started&show={show}").get_data(
        as_text=True)
    assert list(grid_rows(html)) == list(expected)
    assert "Needs help (3)" in visible_text(html) and "Completed the course (1)" in visible_text(html)


def test_another_cohort_of_the_centre_is_filtered_out(app, trainer, cohort, make_cohort):
    other = make_cohort(cohort["centre"], "รุ่นที่ 2")
    add_people(app, other, ["ฉวี อื่น"])
    base = f"/centres/{cohort['centre']}/dashboard?course=getting-started"
    assert "ฉวี" in trainer.get(base).get_data(as_text=True)
    assert "ฉวี" not in trainer.get(f"{base}&cohort={cohort['cohort']}").get_data(as_text=True)


def test_a_quizs_questions_show_the_share_wrong_and_the_wrong_answer_chosen_most(app, trainer, cohort):
    first = cohort["first"]
    answer_quiz(app, cohort["people"][1], first.quiz,
                {question.key: set(question.correct_keys) for question in first.quiz.questions})
    page = trainer.get(f"/centres/{cohort['centre']}/courses/getting-started/{first.key}/quiz")
    text = visible_text(page.get_data(as_text=True))
    # ขวัญใจ right, คำปุน twice with the same wrong choice (กมล's pass was recorded without answers).
    question = first.quiz.questions[0]
    chosen = next(choice for choice in question.choices if not choice.correct)
    label = chosen.text.en if chosen.text else "False" if chosen.key == "false" else "True"
    assert f"{question.prompt.en} 67% (2 of 3) {label} (2)" in text
    unanswered = first.quiz.questions[1]  # left empty by คำปุน: "No answer", twice
    assert f"{unanswered.prompt.en} 67% (2 of 3) No answer (2)" in text
    with trainer.get(f"/centres/{cohort['centre']}/courses/getting-started/{first.key}/quiz.csv") as response:
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Question", "Answered", "Answered wrongly", "Wrong answer chosen most often", "Chosen"]
    assert [question.prompt.en, "3", "2", label, "2"] in rows


def table_of(response) -> list[list]:
    """A CSV or XLSX export's rows, each as its cells (XLSX cells as openpyxl reads them back)."""
    assert response.status_code == 200
    if response.mimetype == "text/csv":
        assert response.data.startswith("\ufeff".encode())  # the byte order mark Excel needs to show Thai
        return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    return [list(row) for row in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]


def today_as_written(language: str) -> str:
    """Today in Bangkok as the pages write a date: 5 ธ.ค. 2569 (Buddhist Era) in Thai, Dec 5, 2026 in English."""
    today = datetime.now(ZoneInfo("Asia/Bangkok")).date()
    if language == "th":
        return f"{today.day} {THAI_MONTHS[today.month - 1]} {today.year + 543}"
    return f"{today:%b} {today.day}, {today.year}"


def card_code(app, person_id: int) -> str:
    """The learner's code as their card prints it: ACE-479."""
    with app.app_context():
        code = db.session.get(User, person_id).learner_code
    return f"{code[:3]}-{code[3:]}"


def helped_with_first_lesson(app, person_id: int, module) -> None:
    """The learner finished the module's first lesson after seeing its practice's answer."""
    with app.app_context():
        db.session.execute(update(LessonProgress).where(LessonProgress.user_id == person_id,
                                                        LessonProgress.lesson_id == module.lessons[0].id)
                           .values(completed_with_help=True))
        db.session.commit()


@pytest.fixture
def thai_trainer(app, make_staff, staff_sign_in, cohort):
    """A trainer of the cohort's centre who reads the pages in Thai, the default."""
    browser = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=cohort["centre"]), on=browser)
    return browser


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_table_exports_read_as_the_page_does(app, trainer, thai_trainer, cohort, language, file_format):
    """Headers, states and reasons in the page's language, the last activity as the page writes the date, codes
    with their dash, and lessons done with help as the grid says them; scores stay numbers."""
    helped_with_first_lesson(app, cohort["people"][0], cohort["first"])
    browser = thai_trainer if language == "th" else trainer
    base = f"/centres/{cohort['centre']}/dashboard"
    with browser.get(f"{base}.{file_format}?course=getting-started") as response:
        rows = table_of(response)
    by_name = {row[0]: row for row in rows[1:]}
    assert list(by_name) == list(NAMES)
    finished, failing = by_name[NAMES[0]], by_name[NAMES[2]]
    score = "100" if file_format == "csv" else 100
    if language == "th":
        assert rows[0][:4] == ["ชื่อ", "รหัสผู้เรียน", "รุ่น", "เข้าเรียนล่าสุด"]
        assert finished[4:8] == ["ผ่านแล้ว · ดูเฉลยแล้วทำจบ 1 บท", score, "ผ่านแล้ว", score]
        assert failing[4] == "เรียนครบทุกบท ยังไม่ผ่านแบบทดสอบ" and failing[-2].startswith("ทำแบบทดสอบ")
        assert by_name[NAMES[3]][3] == "ยังไม่เคย" and by_name[NAMES[3]][4] == "ยังไม่เริ่ม"
    else:
        assert rows[0][:4] == ["Name", "Learner code", "Cohort", "Last activity"]
        assert finished[4:8] == ["Passed · 1 done with help", score, "Passed", score]
        assert failing[4] == "Lessons done, quiz not passed yet" and failing[-2].startswith("Failed the quiz of")
        assert by_name[NAMES[3]][3] == "Never" and by_name[NAMES[3]][4] == "Not started"
    assert finished[1] == card_code(app, cohort["people"][0]) and finished[2] == "รุ่นที่ 1"
    assert finished[3] == today_as_written(language)


def test_the_export_keeps_the_pages_filters(trainer, cohort):
    base = f"/centres/{cohort['centre']}/dashboard"
    with trainer.get(f"{base}.csv?course=getting-started&show=needs-help") as response:
        rows = table_of(response)
    assert [row[0] for row in rows[1:]] == list(NAMES[2:])
    assert trainer.get(f"{base}.pdf?course=getting-started").status_code == 404


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_activity_export_has_one_row_per_event_in_the_pages_words(app, trainer, thai_trainer, cohort, sample,
                                                                     language):
    helped_with_first_lesson(app, cohort["people"][0], cohort["first"])
    browser = thai_trainer if language == "th" else trainer
    with browser.get(f"/centres/{cohort['centre']}/activity.xlsx") as response:
        rows = table_of(response)
    words = {"th": ("เปิดบทเรียน", "เรียนบทเรียนจบ", "เรียนบทเรียนจบโดยดูเฉลย", "ส่งแบบทดสอบ", "ผ่านแล้ว", "ไม่ผ่าน"),
             "en": ("Opened a lesson", "Finished a lesson", "Finished a lesson with help", "Sent a quiz", "Passed",
                    "Not passed")}
    opened, finished, helped, sent, passed, failed = words[language]
    by_event = {}
    for row in rows[1:]:
        by_event.setdefault(row[1], []).append(row)
    lessons = len(sample.lessons())
    # opened: กมล all, ขวัญใจ 1, คำปุน module 1, จันทร์เพ็ญ 1; completed: the same less ขวัญใจ's, กมล's first with help.
    first_lessons = len(cohort["first"].lessons)
    assert len(by_event[opened]) == lessons + 1 + first_lessons + 1
    assert len(by_event[finished]) == lessons - 1 + first_lessons + 1 and len(by_event[helped]) == 1
    assert sorted((row[7], row[8]) for row in by_event[sent]) == [(0, failed), (0, failed), (100, passed),
                                                                  (100, passed)]
    [row] = by_event[helped]
    assert row[2:7] == [cohort["people"][0], card_code(app, cohort["people"][0]), "getting-started",
                        cohort["first"].key, cohort["first"].lessons[0].key]  # keys: they stay when titles change
    assert row[0].startswith(today_as_written(language) + " ")  # then the time, 14:05


def test_trainers_of_other_centres_see_nothing(app, cohort, make_centre, make_staff, staff_sign_in):
    other = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=make_centre("ศูนย์อื่น", district="สันทราย")), on=other)
    for path in ("dashboard", "dashboard.csv", "activity.csv", "courses/getting-started/take-part/quiz"):
        assert other.get(f"/centres/{cohort['centre']}/{path}").status_code == 404


def count_queries(app, work) -> int:
    with sql_statements(app) as seen:
        work()
    return len(seen)


def test_the_number_of_queries_does_not_grow_with_the_learners(app, trainer, cohort, sample):
    page = f"/centres/{cohort['centre']}/dashboard?course=getting-started"
    small = count_queries(app, lambda: trainer.get(page))
    more = add_people(app, cohort["cohort"], [f"ผู้เรียน {number}" for number in range(40)])
    for person in more[::2]:
        record_finished(app, person, sample.modules[:1])
    for person in more[::3]:
        log_actions(app, person, 2)
    large = count_queries(app, lambda: trainer.get(page))
    assert large == small
    text = visible_text(trainer.get(page).get_data(as_text=True))
    assert "45 learners shown" in text and text.count("⚑ 2") == len(more[::3]) + 1  # and the key


def test_a_learners_page_shows_their_timeline_and_the_notes_staff_keep(app, trainer, cohort):
    failed = cohort["people"][2]
    page = f"/learners/{failed}"
    text = visible_text(trainer.get(page).get_data(as_text=True))
    quiz_line = f"Quiz of {cohort['first'].title.en}: 0%, not passed"
    assert text.count(quiz_line) == 2 and f"Finished the lesson {cohort['first'].lessons[0].title.en}" in text
    from tests.helpers import submit
    assert submit(trainer, page, {"body": ""}, action=f"{page}/notes").status_code == 303
    assert "Write the note first." in visible_text(trainer.get(page).get_data(as_text=True))
    assert submit(trainer, page, {"body": "ทบทวนหน่วยที่ 1 กับลูกสาวที่บ้าน"}, action=f"{page}/notes").status_code == 303
    assert "ทบทวนหน่วยที่ 1 กับลูกสาวที่บ้าน" in visible_text(trainer.get(page).get_data(as_text=True))


def test_a_learners_timeline_says_which_lessons_were_finished_with_help(app, trainer, cohort):
    helped = cohort["first"].lessons[0]
    helped_with_first_lesson(app, cohort["people"][0], cohort["first"])
    text = visible_text(trainer.get(f"/learners/{cohort['people'][0]}").get_data(as_text=True))
    timeline = text.split("Timeline", 1)[1]
    assert f"Finished the lesson {helped.title.en} with help" in timeline
    assert timeline.count("with help") == 1 and timeline.count("Finished the lesson") == len(cohort["first"].lessons) \
        + len(cohort["second"].lessons)  # every other lesson finished alone


def test_notes_and_feedback_are_in_the_learners_data_and_deleting_removes_them(app, trainer, cohort, sample):
    from civiclearn.feedback.models import ModuleFeedback
    from civiclearn.reports.models import LearnerNote
    from tests.helpers import submit
    person = cohort["people"][0]
    submit(trainer, f"/learners/{person}", {"body": "ช่วยเพื่อนได้ดี"}, action=f"/learners/{person}/notes")
    with app.app_context():
        db.session.add(ModuleFeedback(person_id=person, module_id=sample.modules[0].id, rating=5,
                                      comment="ชอบมาก ลูกสาวช่วยสอน", language="th"))
        db.session.commit()
    data = trainer.get(f"/learners/{person}/data.json").get_json()
    assert [item["note"] for item in data["notes_by_staff"]] == ["ช่วยเพื่อนได้ดี"]
    assert [(item["rating"], item["comment"]) for item in data["feedback"]] == [(5, "ชอบมาก ลูกสาวช่วยสอน")]
    assert submit(trainer, f"/learners/{person}/delete", {}, action=f"/learners/{person}/delete").status_code == 303
    with app.app_context():
        assert db.session.query(LearnerNote).count() == 0
        [kept] = db.session.query(ModuleFeedback).all()
        assert (kept.rating, kept.comment) == (5, "")  # the average keeps its number, not the words


def test_who_completed_and_who_failed_twice_agree_between_sql_and_the_cells(app, cohort, sample):
    """The filters count everyone in SQL; the cells of the rows shown follow the module page's rule."""
    from civiclearn.centres.models import Centre
    from civiclearn.reports import dashboard
    record_finished(app, cohort["people"][3], sample.modules[:1])  # one module done of two: not completed
    with app.test_request_context():
        grid = dashboard.grid(db.session.get(Centre, cohort["centre"]), sample)
        flags = {row.learner_id: (row.completed, [(reason.module.key, reason.fails) for reason in row.help
                                                  if reason.module]) for row in grid.rows}
        dashboard.fill_cells(grid.rows, sample.modules)
        from_cells = {row.learner_id: (row.completed, [(module.key, cell.fails) for module, cell in
                                                       zip(sample.modules, row.cells, strict=True) if cell.fails >= 2])
                      for row in grid.rows}
    assert flags == from_cells
    assert [person for person, (completed, _failing) in flags.items() if completed] == cohort["people"][:1]
