"""/healthz tells a load balancer whether this server can serve: database, courses, job queue."""

import pytest

from civiclearn import create_app
from civiclearn.config import ROOT
from tests.test_jobs import REDIS_URL, redis_or_skip


def test_a_server_with_its_database_and_courses_is_healthy(client, sample):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["status"] == "ok"
    assert response.json["checks"]["courses"] == {"ok": True, "served": 1}
    assert response.json["checks"]["jobs"]["ok"] and response.headers["Cache-Control"] == "no-store"


def test_no_course_loaded_is_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["checks"]["courses"] == {"ok": False, "served": 0}


def test_a_database_that_does_not_answer_is_unhealthy(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "COURSES_DIR": ROOT / "courses",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing-folder/civiclearn.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == {"ok": False, "detail": "OperationalError"}


@pytest.mark.parametrize("url, healthy", [(REDIS_URL, True), ("redis://127.0.0.1:1/0", False)])
def test_the_job_queue_is_checked_when_jobs_use_one(make_app, sample, url, healthy):
    redis_or_skip()
    response = make_app(JOBS_REDIS_URL=url, JOBS_QUEUE="civiclearn-health-check").test_client().get("/healthz")
    assert response.status_code == (200 if healthy else 503)
    assert response.json["checks"]["jobs"]["ok"] is healthy
