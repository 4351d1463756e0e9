"""Scores to the LMS's gradebook (Assignment and Grade Services), received by the real platform's service: sent
when a learner passes or improves, tried again with back-off, shown to the teacher when the LMS will not take
them, never lost."""

import time

import pytest
from sqlalchemy import select

from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.lti.models import LtiGradeSend
from tests.helpers import answer_quiz, csrf_token
from tests.learning.test_flow import answers
from tests.lti.platform import INSTRUCTOR


@pytest.fixture
def app(make_app):
    return make_app(LTI_ALLOW_PLAIN_HTTP=True, LTI_GRADE_RETRY_SECONDS=(0.1, 0.1))


@pytest.fixture
def in_the_course(app, client, lms, registered, launch, sample):
    """A learner launched from the LMS activity "link-1", which opens the first module; the LMS knows our keys."""
    module = sample.modules[0]
    lms.tool_keys = client.get("/lti/jwks").get_json()
    lms.next.target = f"{app.config['PUBLIC_URL']}/courses/{sample.key}/{module.key}"
    assert launch().landing.status_code == 303
    return module


def take_quiz(client, module, right: bool):
    response = answer_quiz(client, f"/courses/getting-started/{module.key}/quiz", answers(module.quiz, right))
    assert response.status_code == 303


def wait_for(condition, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def grade_state(app) -> str | None:
    with app.app_context():
        return db.session.scalar(select(LtiGradeSend.state))


def test_a_passed_quiz_reaches_the_gradebook_as_the_lms_user(app, client, lms, in_the_course):
    take_quiz(client, in_the_course, right=True)
    wait_for(lambda: lms.scores)
    [(column, score)] = lms.scores
    assert column == "link-1"
    assert score["userId"] == "lms-user-1"
    questions = len(in_the_course.quiz.questions)
    assert (score["scoreGiven"], score["scoreMaximum"]) == (questions, questions)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    wait_for(lambda: grade_state(app) == "sent")


def test_only_a_better_score_is_sent_again(app, client, lms, in_the_course):
    take_quiz(client, in_the_course, right=False)
    wait_for(lambda: len(lms.scores) == 1)
    assert lms.scores[0][1]["scoreGiven"] == 0 and lms.scores[0][1]["activityProgress"] == "Submitted"
    wait_for(lambda: grade_state(app) == "sent")
    take_quiz(client, in_the_course, right=False)  # no better: nothing to send
    take_quiz(client, in_the_course, right=True)
    wait_for(lambda: len(lms.scores) == 2)
    assert lms.scores[1][1]["activityProgress"] == "Completed"
    time.sleep(0.3)
    assert len(lms.scores) == 2


def test_a_gradebook_that_refuses_is_tried_again_then_shown_to_the_teacher_who_sends_again(
        app, client, lms, launch, in_the_course, make_app):
    lms.gradebook_down = True
    take_quiz(client, in_the_course, right=True)
    wait_for(lambda: grade_state(app) == "failed")  # the first try and both retries refused
    with app.app_context():
        grade = db.session.scalar(select(LtiGradeSend))
        assert grade.tries == 3 and "503" in grade.last_error and grade.score_given > 0  # the score is kept

    teacher = app.test_client()
    lms.next.roles, lms.next.subject, lms.next.name = [INSTRUCTOR], "lms-teacher-1", "ครูสมชาย"
    landing = launch(on=teacher).landing.headers["Location"]
    page = teacher.get(landing).get_data(as_text=True)
    assert "สมศรี ใจดี" in page and "503" in page
    lms.gradebook_down = False
    sent = teacher.post(f"/lti/grades/{grade.id}/send-again", data={"csrf_token": csrf_token(page)})
    assert sent.status_code == 303
    wait_for(lambda: lms.scores)
    assert lms.scores[0][1]["userId"] == "lms-user-1"
    wait_for(lambda: grade_state(app) == "sent")
    assert 'id="lms-grades"' not in teacher.get(landing).get_data(as_text=True)


def test_the_timer_s_command_sends_what_is_due(app, client, lms, in_the_course, runner):
    """A retry lost with its process (a restart): the row still says it is due, and the command finds it."""
    lms.gradebook_down = True
    take_quiz(client, in_the_course, right=True)
    wait_for(lambda: grade_state(app) == "failed")
    with app.app_context():
        grade = db.session.scalar(select(LtiGradeSend))
        grade.state, grade.tries, grade.next_try_at = "waiting", 0, utcnow()
        db.session.commit()
    lms.gradebook_down = False
    result = runner.invoke(args=["lti", "send-grades"])
    assert result.exit_code == 0 and "1 scores tried" in result.output
    assert grade_state(app) == "sent" and len(lms.scores) == 1


def test_a_learner_from_no_lms_sends_nothing(app, client, lms, registered, learner, sample):
    take_quiz(client, sample.modules[0], right=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(LtiGradeSend.id))) == 0
