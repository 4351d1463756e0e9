"""Background jobs: with Redis, a large certificate batch waits in the queue and a real RQ job worker
(`flask jobs worker`, a process of its own, forking one process per job) makes it; without Redis, a thread of the
web process does. Progress, "go on after a stop" and "never issue twice" hold on both."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from redis import Redis
from sqlalchemy import func, select

from civiclearn import jobs
from civiclearn.certificates import batches
from civiclearn.certificates.models import Certificate, CertificateBatch
from civiclearn.config import ROOT
from civiclearn.database import utcnow
from civiclearn.extensions import db
from tests.certificates.test_batches import COURSE, cohort, issue, merged_pages, the_batch  # noqa: F401 - fixture
from tests.helpers import submit

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_or_skip() -> Redis:
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except Exception as error:  # noqa: BLE001 - any failure to reach it means the same here
        if os.environ.get("CIVICLEARN_REQUIRE_TOOLS"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL} ({error}); .ci/run starts one")
    return connection


@pytest.fixture
def queued(make_app, tmp_path):
    """An app whose jobs go to a queue of this test's own in the local Redis (deleted afterwards)."""
    connection = redis_or_skip()
    name = f"civiclearn-test-{uuid.uuid4().hex[:8]}"
    app = make_app(JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=name)
    yield app
    with app.app_context():
        jobs.queue().empty()
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def run_job_worker(app, database_url: str, tmp_path) -> str:
    """`flask jobs worker --burst` in a process of its own, on the test's database and queue: it runs what waits,
    then stops. Returns what it printed."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
           "CIVICLEARN_COURSES_DIR": str(app.config["COURSES_DIR"]),
           "CIVICLEARN_CERTIFICATE_BATCHES_DIR": str(app.config["CERTIFICATE_BATCHES_DIR"]),
           "CIVICLEARN_JOBS_REDIS_URL": app.config["JOBS_REDIS_URL"], "CIVICLEARN_JOBS_QUEUE": app.config["JOBS_QUEUE"]}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "--burst"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def trainer_of(app, cohort, make_staff, staff_sign_in):  # noqa: F811 - the fixture's value
    browser = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=cohort["centre"]), on=browser)
    with browser.session_transaction() as session:
        session["lang"] = "en"
    return browser


def certificates_held(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Certificate))


def test_a_large_batch_waits_in_redis_until_a_job_worker_makes_it(queued, cohort, sample, make_staff,  # noqa: F811
                                                                  staff_sign_in, database_url, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setattr(batches, "SMALL_BATCH", 1)  # three certificates count as a large batch here
    trainer = trainer_of(queued, cohort, make_staff, staff_sign_in)
    response = issue(trainer, f"/cohorts/{cohort['id']}/certificates")
    assert response.status_code == 303
    batch_id = the_batch(queued).id
    time.sleep(0.5)
    # Nothing in the web process makes it: the job waits in Redis for a job worker.
    assert the_batch(queued, batch_id).status == "queued" and certificates_held(queued) == 0
    with queued.app_context():
        assert jobs.queue().count == 1

    printed = run_job_worker(queued, database_url, tmp_path)
    assert f"certificate-batch-{batch_id}" in printed  # RQ logs the job it ran
    assert (the_batch(queued, batch_id).status, the_batch(queued, batch_id).done) == ("done", 3)
    assert certificates_held(queued) == 3
    assert len(merged_pages(trainer, batch_id).pages) == 3

    # A worker that died half way: the batch stalls, "Go on" queues it again, and nothing is issued twice.
    with queued.app_context():
        batch = db.session.get(CertificateBatch, batch_id)
        batch.status, batch.heartbeat_at = "running", utcnow() - batches.STALE_AFTER - timedelta(seconds=1)
        db.session.commit()
    page = f"/certificate-batches/{batch_id}"
    assert submit(trainer, page, {}, action=f"{page}/resume").status_code == 303
    with queued.app_context():
        assert jobs.queue().count == 1
    run_job_worker(queued, database_url, tmp_path)
    assert (the_batch(queued, batch_id).status, the_batch(queued, batch_id).done) == ("done", 3)
    assert certificates_held(queued) == 3


def test_without_redis_a_thread_of_the_web_process_runs_the_job(app, cohort, sample, make_staff,  # noqa: F811
                                                                staff_sign_in, monkeypatch):
    assert not jobs.uses_queue(app)
    monkeypatch.setattr(batches, "SMALL_BATCH", 1)
    trainer = trainer_of(app, cohort, make_staff, staff_sign_in)
    assert issue(trainer, f"/cohorts/{cohort['id']}/certificates").status_code == 303
    batch_id = the_batch(app).id
    deadline = time.monotonic() + 60
    while the_batch(app, batch_id).status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (the_batch(app, batch_id).status, certificates_held(app)) == ("done", 3)


def test_the_job_worker_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "CIVICLEARN_JOBS_REDIS_URL is not set" in result.output
