"""Make a strong PIN: honest feedback on the example, which goes nowhere."""

import pytest

from civiclearn.activities.strong_pin import password_checks, pin_checks
from tests.helpers import find_form, submit, visible_text

URL = "/courses/getting-started/how-it-works/code-and-pin"


@pytest.mark.parametrize(("example", "failing"), [
    ("583920", 0),
    ("1234", 2),      # a run, and only 4 digits
    ("111111", 3),    # one digit repeated, everybody's PIN, and a date (11 Nov 2011)
    ("121212", 3),    # a repeated pair, everybody's PIN, and a date
    ("250812", 1),    # a birthday: 25 Aug 2012
    ("2569", 2),      # a Buddhist Era year, and only 4 digits
    ("12a456", 2),    # not only digits (and so not 6 digits either)
])
def test_pin_examples_are_judged_like_a_thief_would(example, failing):
    assert sum(not check.passed for check in pin_checks(example)) == failing


def test_a_long_phrase_is_a_strong_password_and_password123_is_not():
    assert all(check.passed for check in password_checks("rice field morning bicycle"))
    assert not all(check.passed for check in password_checks("password123"))


def test_the_example_is_never_written_back_or_kept(app, client, learner, sample):
    response = submit(client, URL, {"pin_example": "250812"}, form_id="practice-form")
    html = response.get_data(as_text=True)
    assert "ตัวอย่างนี้ยังปลอดภัยได้มากกว่านี้" in visible_text(html)
    assert "250812" not in html
    with client.session_transaction() as session:
        assert "250812" not in str(dict(session))
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
