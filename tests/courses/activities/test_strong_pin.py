"""Make a strong PIN: honest feedback on the example, which goes nowhere, by the PIN forms' own rule."""

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from civiclearn.accounts.forms import ChangePinForm
from civiclearn.accounts.models import User
from civiclearn.courses.activities.strong_pin import password_checks, pin_checks
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
