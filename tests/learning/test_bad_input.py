"""Odd and hostile input gets a clear answer, never a crash, on SQLite and on PostgreSQL."""

import re

import pytest
from sqlalchemy import func, select

from civiclearn.accounts.models import User
from civiclearn.extensions import db
from civiclearn.learning.models import QuizAttempt
from tests.helpers import csrf_token, find_form, show_all_questions, submit, visible_text
from tests.learning.test_flow import COURSE, answers


def quiz_post(client, module, token: str | None = None):
    """The whole quiz answered on one page (see all_on_one_page), sent with `token` in place of the form's own."""
    url = f"{COURSE}/{module.key}/quiz"
    form = find_form(client.get(url).get_data(as_text=True), action=url)
    fields = [(name, token if name == "token" and token is not None else value) for name, value in form["fields"]]
    fields += [(name, value) for name, values in answers(module.quiz, True).items() for value in values]
    from werkzeug.datastructures import MultiDict
    return client.post(url, data=MultiDict(fields))


@pytest.fixture
def all_on_one_page(client, learner, sample):
    """The learner chose to see quizzes with all questions on one page."""
    show_all_questions(client, f"{COURSE}/{sample.modules[0].key}/quiz")


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_tampered_quiz_token_is_refused(app, client, learner, sample, all_on_one_page):
    for token in ("bad\x00token-with-a-nul", "short", "x" * 65, "<script>alert(1)</script>xxxxxxxx"):
        assert quiz_post(client, sample.modules[0], token).status_code == 400
    assert count(app, QuizAttempt) == 0


def test_a_token_from_another_quiz_does_not_return_that_attempt(app, client, learner, sample, all_on_one_page):
    assert quiz_post(client, sample.modules[0]).status_code == 303
    with app.app_context():
        token = db.session.scalar(select(QuizAttempt.token))
    assert quiz_post(client, sample.modules[1], token).status_code == 400
    assert count(app, QuizAttempt) == 1


def test_ids_beyond_any_row_are_not_found(client, learner, sample):
    for attempt in ("0", "2147483647", "2147483648", "99999999999999999999", "-1", "abc"):
        assert client.get(f"/attempts/{attempt}").status_code == 404


def test_a_huge_or_broken_name_is_refused_with_a_message(app, client):
    for name, message in (("ก" * 10_000, "ใช้ได้ไม่เกิน 60 ตัวอักษร"), ("Som\x00chai", "มีตัวอักษรแปลก ๆ ปนอยู่")):
        html = submit(client, "/register", {"display_name": name, "pin": "4826", "pin_confirm": "4826"}).get_data(as_text=True)
        assert message in visible_text(html)
    assert count(app, User) == 0


def test_learning_posts_need_a_signed_in_learner(client, sample):
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    lesson = f"{COURSE}/{sample.modules[0].key}/{sample.modules[0].lessons[0].key}"
    quiz = f"{COURSE}/{sample.modules[0].key}/quiz"
    for url in (f"{lesson}/complete", quiz, f"{quiz}/1"):
        response = client.post(url, data={"csrf_token": token})
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), url


def test_a_switch_with_a_huge_draft_still_changes_the_language(client):
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post("/language?next=/register", data={"lang": "en", "csrf_token": token, "display_name": "ก" * 6000})
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert len(cookie) < 4000
    assert '<html lang="en">' in client.get("/register").get_data(as_text=True)


def test_the_language_switch_on_an_error_page_of_a_post_returns_home(client, sample):
    html = client.post("/sign-out", data={}).get_data(as_text=True)  # no CSRF token: the error page
    action = re.search(r'<form id="language-form"[^>]*action="([^"]+)"', html).group(1)
    assert action == "/language?next=/"
    html = submit(client, "/sign-in?next=/courses", {"code": "X", "pin": ""}, action="/sign-in").get_data(as_text=True)
    action = re.search(r'<form id="language-form"[^>]*action="([^"]+)"', html).group(1)
    assert action.replace("&amp;", "&") == "/language?next=/sign-in?next%3D/courses"
