"""Grade sends on the real job queue: the score waits in Redis, a real RQ job worker (`flask jobs worker`, a
process of its own) sends it to the LMS; a send that fails leaves its retry scheduled in Redis, where a restart
of the web process cannot lose it."""

import uuid

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from civiclearn import jobs
from civiclearn.extensions import db
from civiclearn.lti.models import LtiGradeSend
from tests.lti.test_grades import in_the_course, take_quiz  # noqa: F401 (a fixture)
from tests.test_jobs import REDIS_URL, redis_or_skip, run_job_worker


@pytest.fixture
def app(make_app):
    """Jobs on a queue of this test's own in the local Redis (deleted afterwards)."""
    connection = redis_or_skip()
    name = f"civiclearn-test-{uuid.uuid4().hex[:8]}"
    queued = make_app(JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=name, LTI_ALLOW_PLAIN_HTTP=True)
    yield queued
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def grade(app) -> LtiGradeSend:
    with app.app_context():
        return db.session.scalar(select(LtiGradeSend))


def test_a_job_worker_sends_the_score(app, client, lms, in_the_course, database_url, tmp_path):  # noqa: F811
    take_quiz(client, in_the_course, right=True)
    with app.app_context():
        assert jobs.queue().count == 1  # waiting in Redis: nothing sent by the web process
    assert lms.scores == [] and grade(app).state == "waiting"
    run_job_worker(app, database_url, tmp_path)
    assert [score["userId"] for _column, score in lms.scores] == ["lms-user-1"]
    assert grade(app).state == "sent"


def test_a_failed_send_leaves_its_retry_scheduled_in_redis(app, client, lms, in_the_course,  # noqa: F811
                                                           database_url, tmp_path):
    lms.gradebook_down = True
    take_quiz(client, in_the_course, right=True)
    run_job_worker(app, database_url, tmp_path)
    waiting = grade(app)
    assert (waiting.state, waiting.tries) == ("waiting", 1) and "503" in waiting.last_error
    with app.app_context():
        scheduled = ScheduledJobRegistry(queue=jobs.queue())
        assert scheduled.count == 1  # the job worker's scheduler moves it to the queue in a minute
