"""A quiz one question at a time (the default), through the pages: Next and Back keep the answers in the session,
nothing is graded before "Check my answers", which grades as the whole quiz on one page does, names the questions
still without an answer, and records one attempt however often it is sent. All on one page is the learner's choice,
kept in the session."""

import re
import secrets
from html import unescape

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from civiclearn.extensions import db
from civiclearn.learning import quiz_steps
from civiclearn.learning.forms import field_name
from civiclearn.learning.models import AttemptAnswer, QuizAttempt
from tests.helpers import (
    answer_quiz,
    csrf_token,
    find_form,
    show_all_questions,
    submit,
    visible_text,
)
from tests.learning.test_flow import COURSE, answers


@pytest.fixture
def module(sample):
    """The first module: its quiz asks a single-choice, a multiple-choice and a true/false question."""
    return sample.modules[0]


@pytest.fixture
def quiz_url(module) -> str:
    return f"{COURSE}/{module.key}/quiz"


def press(client, url: str, action: str | None, chosen: dict | None = None, token: str | None = None):
    """Open the question's page at `url`, choose `chosen` (by field name; [] for none) in place of what the page
    shows chosen, press the button `action` (None: Enter in the form) and send it. Returns the response."""
    chosen = chosen or {}
    form = find_form(client.get(url).get_data(as_text=True), form_id="quiz-form")
    fields = [(name, value) for name, value in form["fields"] if name not in {*chosen, "token"}]
    fields.append(("token", token or dict(form["fields"])["token"]))
    for name, values in chosen.items():
        fields += [(name, value) for value in (values if isinstance(values, list) else [values])]
    if action:
        fields.append(("action", action))
    return client.post(form["action"], data=MultiDict(fields))


def checked(html: str, name: str) -> list[str]:
    """The values of the ticked radio buttons or checkboxes named `name`."""
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in re.findall(r"<input[^>]*>", html)
            if f'name="{name}"' in tag and " checked" in tag]


def summary_links(html: str) -> list[tuple[str, str]]:
    """The error summary's lines: (where each links to, its text)."""
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S)
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', summary.group(0)) if summary else []


def token_of(html: str) -> str:
    return dict(find_form(html, form_id="quiz-form")["fields"])["token"]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_quiz_opens_on_its_first_question_with_where_it_is_and_the_ways_on(client, learner, module, quiz_url):
    html = client.get(quiz_url).get_data(as_text=True)
    total = len(module.quiz.questions)
    assert f"<title>ข้อที่ 1 จาก {total} · {module.quiz.title.th} · CivicLearn</title>" in html
    assert re.search(rf'<h2 class="question-position">ข้อที่ 1 จาก {total}</h2>\s*<progress[^>]*max="{total}" value="1"',
                     html)
    assert html.count('<fieldset class="question') == 1
    assert re.search(r'<fieldset class="question" id="question-1"[^>]*>\s*<legend>\s*<span class="question-text">'
                     + re.escape(module.quiz.questions[0].prompt.th), html)
    assert find_form(html, form_id="quiz-form")["action"] == f"{quiz_url}/1"
    assert 'value="next"' in html and 'value="back"' not in html and 'value="check"' not in html
    assert "ดูคำถามทุกข้อในหน้าเดียว" in visible_text(html)
    last = client.get(f"{quiz_url}/{total}").get_data(as_text=True)
    assert 'value="back"' in last and 'value="check"' in last and 'value="next"' not in last
    assert "ย้อนกลับ" in visible_text(last) and "ตรวจคำตอบ" in visible_text(last)


def test_next_and_back_keep_the_answers_and_nothing_is_graded_before_the_check(app, client, learner, module, quiz_url):
    single, multiple, true_false = module.quiz.questions
    picked = {field_name(single): "start-over", field_name(multiple): ["never-tell", "not-birth-year"]}

    response = press(client, f"{quiz_url}/1", "next", {field_name(single): picked[field_name(single)]})
    assert response.status_code == 303 and response.headers["Location"] == f"{quiz_url}/2"
    token = token_of(client.get(f"{quiz_url}/2").get_data(as_text=True))
    assert token == token_of(client.get(f"{quiz_url}/1").get_data(as_text=True))  # one attempt on every page
    response = press(client, f"{quiz_url}/2", None, {field_name(multiple): picked[field_name(multiple)]})
    assert response.headers["Location"] == f"{quiz_url}/3"  # Enter in the form goes on, as Next does
    response = press(client, f"{quiz_url}/3", "back", {field_name(true_false): "false"})
    assert response.headers["Location"] == f"{quiz_url}/2"

    assert sorted(checked(client.get(f"{quiz_url}/2").get_data(as_text=True), field_name(multiple))) == [
        "never-tell", "not-birth-year"]
    assert checked(client.get(f"{quiz_url}/1").get_data(as_text=True), field_name(single)) == ["start-over"]
    assert checked(client.get(quiz_url).get_data(as_text=True), field_name(single)) == ["start-over"]
    assert checked(client.get(f"{quiz_url}/3").get_data(as_text=True), field_name(true_false)) == ["false"]
    assert count(app, QuizAttempt) == 0

    press(client, f"{quiz_url}/2", "next", {field_name(multiple): "never-tell"})  # a new answer replaces the kept one
    assert checked(client.get(f"{quiz_url}/2").get_data(as_text=True), field_name(multiple)) == ["never-tell"]
    press(client, f"{quiz_url}/1", "next", {field_name(single): []})  # and no answer clears it
    assert checked(client.get(f"{quiz_url}/1").get_data(as_text=True), field_name(single)) == []
    assert press(client, f"{quiz_url}/1", "back").headers["Location"] == f"{quiz_url}/1"  # nothing before the first


@pytest.mark.parametrize("right", [True, False, "mixed"])
def test_checking_one_question_at_a_time_grades_as_all_on_one_page_does(app, client, learner, module, quiz_url, right):
    chosen = answers(module.quiz, right=bool(right))
    if right == "mixed":
        first = field_name(module.quiz.questions[0])
        chosen[first] = answers(module.quiz, right=False)[first]
    one_at_a_time = answer_quiz(client, quiz_url, chosen)
    assert one_at_a_time.status_code == 303
    show_all_questions(client, quiz_url)
    all_on_one_page = submit(client, quiz_url, chosen)
    assert all_on_one_page.status_code == 303
    assert one_at_a_time.headers["Location"] != all_on_one_page.headers["Location"]  # two attempts
    with app.app_context():
        attempts = db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id)).all()
        graded = [(attempt.quiz_id, attempt.score, attempt.passed,
                   sorted((answer.question_key, answer.chosen, answer.correct) for answer in attempt.answers))
                  for attempt in attempts]
    assert len(graded) == 2 and graded[0] == graded[1]
    assert graded[0][1] == {True: 100, False: 0, "mixed": 67}[right]


def test_the_check_names_each_question_without_an_answer_with_a_link_to_it(app, client, learner, module, quiz_url):
    single, multiple, true_false = module.quiz.questions
    press(client, f"{quiz_url}/1", "next", {field_name(single): "press-english"})
    press(client, f"{quiz_url}/2", "next")  # skipped: nothing chosen
    response = press(client, f"{quiz_url}/3", "check", {field_name(true_false): "false"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert summary_links(html) == [(f"{quiz_url}/2", "ข้อที่ 2 ยังไม่ได้ตอบ")]
    assert count(app, QuizAttempt) == 0
    assert checked(html, field_name(true_false)) == ["false"]  # the page keeps the answer just given

    press(client, f"{quiz_url}/2", "next", {field_name(multiple): sorted(multiple.correct_keys)})
    assert press(client, f"{quiz_url}/3", "check").status_code == 303
    assert count(app, QuizAttempt) == 1

    # the question on the page when checking is named too, with its message by it
    press(client, f"{quiz_url}/1", "next", {field_name(single): "press-english"})
    html = press(client, f"{quiz_url}/3", None).get_data(as_text=True)  # Enter on the last question checks
    links = summary_links(html)
    assert links == [(f"{quiz_url}/2", "ข้อที่ 2 ยังไม่ได้ตอบ"), (f"{quiz_url}/3", "ข้อที่ 3 ยังไม่ได้ตอบ")]
    assert re.search(rf'<p class="error-message" id="{field_name(true_false)}-error">.*กรุณาเลือกคำตอบ</p>', html)


def test_a_missing_answer_is_named_in_english_too(client, learner, module, quiz_url):
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    html = answer_quiz(client, quiz_url, {field_name(module.quiz.questions[1]): "never-tell"}).get_data(as_text=True)
    assert summary_links(html) == [
        (f"{quiz_url}/1", "Question 1 has no answer"), (f"{quiz_url}/3", "Question 3 has no answer")]
    assert '<html lang="en">' in html and "Please check the following" in visible_text(html)


def test_on_one_page_a_missing_answer_links_to_its_question_on_the_page(client, learner, module, quiz_url):
    show_all_questions(client, quiz_url)
    chosen = answers(module.quiz, right=True)
    del chosen[field_name(module.quiz.questions[0])]
    html = submit(client, quiz_url, chosen).get_data(as_text=True)
    assert summary_links(html) == [("#question-1", "ข้อที่ 1 ยังไม่ได้ตอบ")]
    assert re.search(r'<fieldset class="question field-error" id="question-1"', html)
    # nothing else is lost: the other answers stay chosen
    assert checked(html, field_name(module.quiz.questions[2])) == sorted(module.quiz.questions[2].correct_keys)


@pytest.mark.parametrize("step", ["0", "4", "99999999999999999999", "-1", "abc", "1.5"])
def test_a_question_number_the_quiz_has_not_is_not_found(client, learner, quiz_url, step):
    assert client.get(f"{quiz_url}/{step}").status_code == 404
    token = csrf_token(client.get(quiz_url).get_data(as_text=True))
    assert client.post(f"{quiz_url}/{step}", data={"csrf_token": token, "action": "next"}).status_code == 404


def test_all_on_one_page_is_a_choice_the_session_keeps(app, client, learner, make_learner, sign_in, sample, module,
                                                       quiz_url):
    single, multiple, true_false = module.quiz.questions
    press(client, f"{quiz_url}/1", "next", {field_name(single): "press-english"})
    response = press(client, f"{quiz_url}/2", "all", {field_name(multiple): "never-tell"})
    assert response.status_code == 303 and response.headers["Location"] == f"{quiz_url}#question-2"
    html = client.get(quiz_url).get_data(as_text=True)
    assert html.count('<fieldset class="question') == len(module.quiz.questions)
    assert checked(html, field_name(single)) == ["press-english"]
    assert checked(html, field_name(multiple)) == ["never-tell"]
    assert "ดูคำถามทีละข้อ" in visible_text(html) and find_form(html, form_id="quiz-form")["action"] == quiz_url
    other = client.get(f"{COURSE}/{sample.modules[1].key}/quiz").get_data(as_text=True)
    assert other.count('<fieldset class="question') == len(sample.modules[1].quiz.questions)  # every quiz

    # "One question at a time" keeps what the page holds and goes to the first question without an answer
    form = find_form(html, form_id="quiz-form")
    response = client.post(quiz_url, data=MultiDict([*form["fields"], ("action", "one")]))
    assert response.status_code == 303 and response.headers["Location"] == f"{quiz_url}/3"
    assert 'value="next"' in client.get(quiz_url).get_data(as_text=True)
    assert checked(client.get(f"{quiz_url}/2").get_data(as_text=True), field_name(multiple)) == ["never-tell"]
    assert count(app, QuizAttempt) == 0

    # the choice is the session's, not the account's: a new sign-in (the kiosk's next learner) starts one at a time
    press(client, f"{quiz_url}/1", "all")
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    sign_in(learner)
    html = client.get(quiz_url).get_data(as_text=True)
    assert 'value="next"' in html and checked(html, field_name(single)) == []  # and no answers of before


def test_check_sent_twice_is_one_attempt_and_an_old_page_then_leads_to_it(app, client, learner, module, quiz_url):
    right = answers(module.quiz, right=True)
    for number, question in enumerate(module.quiz.questions[:-1], start=1):
        press(client, f"{quiz_url}/{number}", "next", {field_name(question): right[field_name(question)]})
    last = len(module.quiz.questions)
    form = find_form(client.get(f"{quiz_url}/{last}").get_data(as_text=True), form_id="quiz-form")
    final = field_name(module.quiz.questions[-1])
    data = MultiDict([*form["fields"], ("action", "check"), *((final, key) for key in right[final])])
    first, second = client.post(form["action"], data=data), client.post(form["action"], data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, QuizAttempt) == 1 and count(app, AttemptAnswer) == len(module.quiz.questions)

    # Next on a page of that attempt (another tab, an old page) leads to its result, keeping and recording nothing
    response = press(client, f"{quiz_url}/1", "next", {field_name(module.quiz.questions[0]): "start-over"},
                     token=dict(form["fields"])["token"])
    assert response.status_code == 303 and response.headers["Location"] == first.headers["Location"]
    fresh = client.get(f"{quiz_url}/1").get_data(as_text=True)
    assert token_of(fresh) != dict(form["fields"])["token"]
    assert checked(fresh, field_name(module.quiz.questions[0])) == []
    assert count(app, QuizAttempt) == 1


def test_two_tabs_one_question_at_a_time_keep_their_answers_apart(app, client, learner, module, quiz_url):
    single = field_name(module.quiz.questions[0])
    tab_one, tab_two = (token_of(client.get(quiz_url).get_data(as_text=True)) for _tab in range(2))
    assert tab_one != tab_two
    right, wrong = answers(module.quiz, right=True), answers(module.quiz, right=False)
    for number, question in enumerate(module.quiz.questions, start=1):
        for token, chosen in ((tab_one, wrong), (tab_two, right)):
            press(client, f"{quiz_url}/{number}", "check" if number == len(module.quiz.questions) else "next",
                  {field_name(question): chosen[field_name(question)]}, token=token)
    with app.app_context():
        assert sorted(db.session.scalars(select(QuizAttempt.score))) == [0, 100]
    assert checked(client.get(quiz_url).get_data(as_text=True), single) == []  # both checked: nothing kept


def test_switching_language_on_a_question_keeps_it_its_answer_and_the_attempt(client, learner, module, quiz_url):
    single, multiple, _true_false = module.quiz.questions
    press(client, f"{quiz_url}/1", "next", {field_name(single): "press-english"})
    html = client.get(f"{quiz_url}/2").get_data(as_text=True)
    english = re.search(r'<button[^>]*value="en"[^>]*>', html).group(0)
    assert 'form="quiz-form"' in english
    form = find_form(html, form_id="quiz-form")
    data = MultiDict([*form["fields"], (field_name(multiple), "never-tell"), ("lang", "en")])  # ticked, not yet sent
    response = client.post(unescape(re.search(r'formaction="([^"]+)"', english).group(1)), data=data)
    assert response.status_code == 303 and response.headers["Location"] == f"{quiz_url}/2"

    page = client.get(f"{quiz_url}/2").get_data(as_text=True)
    assert '<html lang="en">' in page and multiple.prompt.en in visible_text(page)
    assert "Question 2 of 3" in visible_text(page) and "Next" in visible_text(page)
    assert checked(page, field_name(multiple)) == ["never-tell"] and token_of(page) == dict(form["fields"])["token"]
    press(client, f"{quiz_url}/2", "back", {field_name(multiple): "never-tell"})
    first = client.get(f"{quiz_url}/1").get_data(as_text=True)
    assert checked(first, field_name(single)) == ["press-english"]  # kept across the switch
    assert checked(client.get(f"{quiz_url}/2").get_data(as_text=True), field_name(multiple)) == ["never-tell"]


def test_a_tampered_question_page_is_refused_and_keeps_nothing(app, client, learner, sample, module, quiz_url):
    single = field_name(module.quiz.questions[0])
    response = press(client, f"{quiz_url}/1", "next", {single: "not-a-choice"})
    assert response.status_code == 200 and "กรุณาเลือกจากคำตอบที่มีให้" in visible_text(response.get_data(as_text=True))
    assert checked(client.get(f"{quiz_url}/1").get_data(as_text=True), single) == []
    assert press(client, f"{quiz_url}/1", "next", token="short").status_code == 400
    # the token of another quiz's attempt
    finished = answer_quiz(client, f"{COURSE}/{sample.modules[1].key}/quiz", answers(sample.modules[1].quiz, True))
    with app.app_context():
        other = db.session.get(QuizAttempt, int(finished.headers["Location"].rsplit("/", 1)[1])).token
    assert press(client, f"{quiz_url}/1", "next", {single: "start-over"}, token=other).status_code == 400
    assert count(app, QuizAttempt) == 1


def test_the_session_keeps_the_answers_of_a_few_quizzes_and_only_real_choices(app, module):
    quiz = module.quiz
    single = quiz.questions[0]
    with app.test_request_context():
        quiz_steps.keep_answers(quiz, "token-one", {single.key: frozenset({"press-english"}),
                                                    "no-such-question": frozenset({"x"})})
        quiz_steps.keep_answers(quiz, "token-two", {single.key: frozenset({"start-over", "no-such-choice"})})
        assert quiz_steps.latest_token(quiz) == "token-two"
        assert quiz_steps.kept_answers(quiz, "token-one") == {single.key: frozenset({"press-english"})}
        assert quiz_steps.kept_answers(quiz, "token-two") == {single.key: frozenset({"start-over"})}
        quiz_steps.keep_answers(quiz, "token-three", {single.key: frozenset({"ask-someone"})})
        assert quiz_steps.kept_answers(quiz, "token-one") == {}  # the oldest goes: the cookie stays small
        quiz_steps.forget_answers("token-three")
        assert quiz_steps.latest_token(quiz) == "token-two"


def test_the_session_cookie_stays_small_with_the_largest_quizzes_in_progress(app, load_courses):
    """Browsers drop a cookie over 4 KB, and with it the learner's sign-in: the two largest shipped quizzes, every
    choice ticked, and the largest draft a language switch carries, still fit."""
    from flask import session

    from civiclearn.courses.store import catalogue
    from civiclearn.i18n import DRAFT_KEY, DRAFT_LIMIT
    load_courses()
    with app.test_request_context():
        quizzes = [module.quiz for course in catalogue().courses for module in course.modules if module.quiz]
        size = {quiz: sum(len(q.key) + sum(len(c.key) for c in q.choices) for q in quiz.questions) for quiz in quizzes}
        for quiz in sorted(quizzes, key=size.get)[-quiz_steps.KEPT:]:
            every = {question.key: frozenset(choice.key for choice in question.choices) for question in quiz.questions}
            quiz_steps.keep_answers(quiz, f"token-{quiz.id:0>20}", every)
        typed = secrets.token_urlsafe(DRAFT_LIMIT)[:DRAFT_LIMIT - 10]  # text that does not compress much
        session[DRAFT_KEY] = {"path": "/courses/c/m/quiz", "fields": [["name", typed]]}
        session.update({"_user_id": "123456.7", "_fresh": True, "csrf_token": "x" * 40, "lang": "th", "seen_at": 1.5})
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    assert len(cookie) < 3600  # the rest of the 4 KB: the cookie's name and attributes
