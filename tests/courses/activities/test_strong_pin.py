"""Make a strong PIN: honest feedback on the example, which goes nowhere, by the PIN forms' own rule."""

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from civiclearn.accounts.forms import ChangePinForm
from civiclearn.accounts.models import User
from civiclearn.courses.activities.strong_pin import password_checks, pin_checks
from civiclearn.courses.reader import read_course
from civiclearn.courses.sources import CourseSource
from civiclearn.extensions import db
from tests.accounts.test_pins import GOOD, PERSON, REFUSED
from tests.helpers import find_form, submit, visible_text

URL = "/courses/getting-started/how-it-works/code-and-pin"


@pytest.mark.parametrize(("example", "failing"), [
    ("583920", []),
    ("4826", []),  # 4 digits are enough, as for the forms
    ("250812", []),  # a date: the rule cannot know whose birthday it is, the lesson says so
    ("1234", ["A PIN of digits in a row, like 1234 or 9876, is easy to guess.",
              "This is one of the PINs people choose most often: thieves try those first."]),
    ("2569", ["A PIN that is a year, like 1967 or 2510, is easy to guess."]),
    ("12a456", ["Use 4 to 6 digits, and nothing else: no letters, spaces or signs."]),  # and nothing more
    ("1234567", ["Use 4 to 6 digits, and nothing else: no letters, spaces or signs."]),
])
def test_pin_examples_are_judged_like_a_thief_would(app, example, failing):
    with app.test_request_context(), force_locale("en"):
        checks = [(check.passed, check.message) for check in pin_checks(example)]
    assert [message for passed, message in checks if not passed] == failing
    assert len(checks) == (1 if example in ("12a456", "1234567") else 7)  # the personal rules show only when broken


def test_the_practice_says_what_the_pin_form_says_about_every_example(app, client, learner):
    """Judged for the same learner, born 1967 with the code CAT-347: refused by the form <=> not strong in the
    lesson, and the lesson's first failing line is the form's reason."""
    with app.app_context():
        db.session.execute(update(User).where(User.id == learner.id).values(**PERSON))
        db.session.commit()
    for example in [pin for pin, _rule in REFUSED] + GOOD:
        page = submit(client, URL, {"pin_example": example}, form_id="practice-form").get_data(as_text=True)
        failing = [visible_text(item) for item in re.findall(r'<li class="check check-fail">(.*?)</li>', page, re.S)]
        with app.test_request_context("/pin", method="POST", data={"pin": example, "pin_confirm": example}):
            form = ChangePinForm(db.session.get(User, learner.id), meta={"csrf": False})
            form.validate()
        if form.pin.errors:
            assert "ตัวอย่างนี้ยังปลอดภัยได้มากกว่านี้" in visible_text(page), example
            assert failing[0].endswith(form.pin.errors[0]), example
        else:
            assert "ตัวอย่างนี้ปลอดภัยดี" in visible_text(page) and failing == [], example


def test_a_long_phrase_is_a_strong_password_and_password123_is_not():
    assert all(check.passed for check in password_checks("rice field morning bicycle"))
    assert not all(check.passed for check in password_checks("password123"))


def test_the_example_is_never_written_back_or_kept(app, client, learner, sample):
    response = submit(client, URL, {"pin_example": "147852"}, form_id="practice-form")
    html = response.get_data(as_text=True)
    assert "ตัวอย่างนี้ยังปลอดภัยได้มากกว่านี้" in visible_text(html)
    assert "147852" not in html
    with client.session_transaction() as session:
        assert "147852" not in str(dict(session))
    # a language switch does not carry it over either
    form = find_form(client.get(URL).get_data(as_text=True), form_id="practice-form")
    client.post(f"/language?next={URL}", data={**dict(form["fields"]), "pin_example": "583920", "lang": "en"})
    with client.session_transaction() as session:
        assert "583920" not in str(dict(session))
    assert "583920" not in client.get(URL).get_data(as_text=True)


def test_a_strong_example_finishes_the_lesson(client, learner, sample):
    page = visible_text(submit(client, URL, {"pin_example": "๕๘๓๙๒๐"}, form_id="practice-form").get_data(as_text=True))
    assert "ตัวอย่างนี้ปลอดภัยดี" in page  # Thai digits count as digits
    assert "เรียนจบแล้ว: ไปบทต่อไป" in page


@pytest.mark.parametrize("example", ["²²²²²²", "₁₂₃₄₅₆", "１２３４５６", "٥٨٣٩٢٠"])
def test_odd_digits_are_judged_not_crashed_on(client, learner, sample, example):
    response = submit(client, URL, {"pin_example": example}, form_id="practice-form")
    assert response.status_code == 200
    assert "ตัวอย่างนี้ยังปลอดภัยได้มากกว่านี้" in visible_text(response.get_data(as_text=True))


# A lesson about another service's PIN gives its length: ThaID's passcode has 8 digits (issue 15) ----------------

@pytest.mark.parametrize(("example", "failing"), [
    ("58392047", []),
    ("12052500", []),  # a date again: only the learner's own year of birth is known, and the lesson warns of dates
    ("12345678", ["A PIN of digits in a row, like 1234 or 9876, is easy to guess."]),
    ("11111111", ["A PIN of one digit repeated, like 1111, is easy to guess.",
                  "A PIN of a small group repeated, like 1212 or 123123, or of pairs, like 1122, is easy to guess."]),
    ("12341234", ["A PIN of a small group repeated, like 1212 or 123123, or of pairs, like 1122, is easy to guess."]),
    ("583920", ["Use exactly 8 digits, and nothing else: no letters, spaces or signs."]),  # a 6-digit PIN is not it
    ("583920471", ["Use exactly 8 digits, and nothing else: no letters, spaces or signs."]),
    ("5839 047", ["Use exactly 8 digits, and nothing else: no letters, spaces or signs."]),
    ("５８３９２０４７", ["Use exactly 8 digits, and nothing else: no letters, spaces or signs."]),
])
def test_an_example_of_a_given_length_is_judged_by_the_same_rules(app, example, failing):
    with app.test_request_context(), force_locale("en"):
        checks = [(check.passed, check.message) for check in pin_checks(example, digits=8)]
    assert [message for passed, message in checks if not passed] == failing
    if not failing:
        assert checks[0] == (True, "It is 8 digits, nothing else.")


@pytest.fixture
def eight_digits(course, app, load_courses, make_learner, sign_in):
    """The sample's PIN practice asking for 8 digits, as the ThaID lessons do, loaded, with a learner signed in."""
    lesson = course / "how-it-works" / "code-and-pin.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("  kind: pin\n", "  kind: pin\n  digits: 8\n", 1),
                      encoding="utf-8")
    assert [result.status for result in load_courses(course)] == ["loaded"]
    sign_in(make_learner())


def test_a_practice_of_8_digits_asks_for_8_and_its_answer_has_8(app, client, eight_digits):
    page = visible_text(client.get(URL).get_data(as_text=True))
    assert "พิมพ์ PIN ตัวอย่าง 8 หลัก (ไม่ใช่ PIN จริงของคุณ)" in page
    for _try in range(2):  # a strong 6-digit PIN is not the 8 digits the lesson asks for
        page = visible_text(submit(client, URL, {"pin_example": "583920"}, form_id="practice-form")
                            .get_data(as_text=True))
        assert "ใช้ตัวเลข 8 ตัวพอดี" in page and "ตัวอย่างนี้ยังปลอดภัยได้มากกว่านี้" in page
    answer = client.get(f"{URL}?answer=1").get_data(as_text=True)
    example = re.search(r'<p class="answer-text">\s*(\d+)\s*</p>', answer).group(1)
    assert len(example) == 8 and "ตัวเลข 8 ตัวที่ไม่มีแบบแผน" in visible_text(answer)
    with app.test_request_context():
        assert all(check.passed for check in pin_checks(example, digits=8))
    page = visible_text(submit(client, URL, {"pin_example": "๕๘๓๙๒๐๔๗"}, form_id="practice-form")
                        .get_data(as_text=True))
    assert "ตัวอย่างนี้ปลอดภัยดี" in page and "เป็นตัวเลข 8 หลัก ไม่มีอย่างอื่น" in page


@pytest.mark.parametrize(("activity", "message"), [
    ("  kind: pin\n  digits: 3\n", "digits must be a whole number from 4 to 12"),
    ("  kind: pin\n  digits: eight\n", "digits must be a whole number from 4 to 12"),
    ("  kind: password\n  digits: 8\n", "digits is for kind: pin only"),
])
def test_a_wrong_length_is_a_problem_with_its_line(course, activity, message):
    lesson = course / "how-it-works" / "code-and-pin.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("  kind: pin\n", activity, 1), encoding="utf-8")
    _course, problems = read_course(CourseSource.from_directory(course))
    assert [(problem.message, problem.line) for problem in problems] == [(message, 9)]
