"""Learning records sent to a real Learning Record Store (Ralph, tests/xapi/conftest.py): launched, completed,
passed or failed, answered; people as an opaque account; kept and sent again when the LRS is out of reach."""

import json
import secrets
import time

import pytest
from sqlalchemy import select

from civiclearn.accounts.models import ExternalIdentity, User
from civiclearn.courses.store import load_courses
from civiclearn.extensions import db
from civiclearn.records.models import XapiStatement
from tests.conftest import SAMPLE_COURSE
from tests.helpers import answer_quiz, finish_lesson, submit
from tests.learning.test_flow import answers
from tests.lti.conftest import launch, lms, lms_server, register, registered  # noqa: F401 (fixtures)

ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def app(make_app, lrs):
    """Sending to the session's LRS. A secret of its own: row ids start again in each test, and the opaque
    account names made from them must not meet another test's in the LRS, which keeps everything."""
    return make_app(XAPI_LRS_URL=lrs.url, XAPI_LRS_USERNAME=lrs.username, XAPI_LRS_PASSWORD=lrs.password,
                    XAPI_RETRY_SECONDS=(0.2,), LTI_ALLOW_PLAIN_HTTP=True, SECRET_KEY=secrets.token_hex(16))


def actor_of(app, person_id: int) -> dict:
    from civiclearn.records.statements import actor
    with app.app_context():
        return actor(person_id)


def statements_of(lrs, actor: dict, count: int, seconds: float = 10) -> list[dict]:
    """The actor's statements in the LRS, in the order they were made, once there are `count` of them."""
    deadline = time.monotonic() + seconds
    while True:
        found = lrs.statements(agent=json.dumps(actor))
        if len(found) >= count or time.monotonic() > deadline:
            return sorted(found, key=lambda item: item["timestamp"])
        time.sleep(0.1)


def test_a_learner_s_lesson_and_quiz_reach_the_lrs_as_an_opaque_account(app, client, lrs, learner, sample):
    module = sample.modules[0]
    finish_lesson(client, module.lessons[0])
    answer_quiz(client, f"/courses/getting-started/{module.key}/quiz", answers(module.quiz, right=True))
    actor = actor_of(app, learner.id)
    found = statements_of(lrs, actor, 2 + len(module.quiz.questions))
    assert [item["verb"]["id"] for item in found] == (
        [ADL + "completed", ADL + "passed"] + [ADL + "answered"] * len(module.quiz.questions))
    completed, passed, first_answer = found[0], found[1], found[2]
    assert completed["object"]["id"].endswith(f"/courses/getting-started/{module.key}/{module.lessons[0].key}")
    assert completed["object"]["definition"]["name"]["th-TH"] == module.lessons[0].title.th
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 1.0
    assert first_answer["result"]["success"] is True
    assert passed["context"]["contextActivities"]["parent"][0]["id"].endswith(f"/{module.key}")
    assert actor["account"]["homePage"] == app.config["PUBLIC_URL"] and len(actor["account"]["name"]) == 32
    everything = json.dumps(found, ensure_ascii=False)
    assert learner.name not in everything and learner.code not in everything and "mbox" not in everything
    with app.app_context():
        assert set(db.session.scalars(select(XapiStatement.state))) == {"sent"}


def test_an_lms_launch_is_launched(app, client, lrs, lms, registered, launch, sample):  # noqa: F811 (fixtures)
    module = sample.modules[1]
    lms.next.target = f"{app.config['PUBLIC_URL']}/courses/{sample.key}/{module.key}"
    launch()
    with app.app_context():
        person_id = db.session.scalar(select(ExternalIdentity.person_id))
    [launched] = statements_of(lrs, actor_of(app, person_id), 1)
    assert launched["verb"]["id"] == ADL + "launched" and launched["object"]["id"].endswith(f"/{module.key}")


def test_statements_wait_while_the_lrs_is_out_of_reach_and_go_when_it_is_back(make_app, lrs, sample, runner):
    offline = make_app(XAPI_LRS_URL="http://127.0.0.1:9/xAPI/", XAPI_LRS_USERNAME=lrs.username,
                       XAPI_LRS_PASSWORD=lrs.password, XAPI_RETRY_SECONDS=(3600,), SECRET_KEY=secrets.token_hex(16))
    with offline.app_context():
        load_courses(SAMPLE_COURSE)
    browser = offline.test_client()
    submit(browser, "/register", {"display_name": "ทองใบ แก้วมณี", "pin": "4826", "pin_confirm": "4826",
                                  "consent": "y"})
    module = sample.modules[0]
    answer_quiz(browser, f"/courses/getting-started/{module.key}/quiz", answers(module.quiz, right=False))
    deadline = time.monotonic() + 10
    while True:
        with offline.app_context():
            rows = db.session.scalars(select(XapiStatement)).all()
            if rows and all(row.tries == 1 for row in rows) or time.monotonic() > deadline:
                break
        time.sleep(0.05)
    assert rows and {row.state for row in rows} == {"waiting"} and all(row.last_error for row in rows)

    offline.config["XAPI_LRS_URL"] = lrs.url  # the centre is back online
    with offline.app_context():
        db.session.execute(db.update(XapiStatement).values(next_try_at=db.func.now()))
        db.session.commit()
        person_id = db.session.scalar(select(User.id))
    result = offline.test_cli_runner().invoke(args=["records", "send"])
    assert result.exit_code == 0 and f"{len(rows)} statements sent" in result.output
    assert [item["verb"]["id"] for item in statements_of(lrs, actor_of(offline, person_id), len(rows))][0] == \
        ADL + "failed"


def test_no_lrs_no_records(make_app, sample):
    quiet = make_app()
    browser = quiet.test_client()
    submit(browser, "/register", {"display_name": "มานี", "pin": "4826", "pin_confirm": "4826", "consent": "y"})
    with quiet.app_context():
        load_courses(SAMPLE_COURSE)
    module = sample.modules[0]
    answer_quiz(browser, f"/courses/getting-started/{module.key}/quiz", answers(module.quiz, True))
    with quiet.app_context():
        assert db.session.scalar(select(db.func.count(XapiStatement.id))) == 0
