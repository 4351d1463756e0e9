"""/healthz: whether this app server can serve learners, for a load balancer or a monitoring check. Its
database answers, courses are loaded, and the job queue answers when jobs use one. 200 when all hold, 503 when
one fails, with which one in JSON. Nothing personal, never cached, no sign-in, no rate limit."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from civiclearn import jobs
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    checks = {"database": database_answers(), "courses": courses_loaded(), "jobs": queue_answers()}
    healthy = all(check["ok"] for check in checks.values())
    response = jsonify(status="ok" if healthy else "failing", checks=checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"  # a proxy must not answer for a server that went down
    return response


def database_answers() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        current_app.logger.error("health check: the database does not answer: %s", error)
        db.session.rollback()
        return {"ok": False, "detail": type(error).__name__}
    return {"ok": True}


def courses_loaded() -> dict:
    try:
        served = len(catalogue().courses)
    except SQLAlchemyError as error:  # the catalogue is read from the database
        return {"ok": False, "detail": type(error).__name__}
    return {"ok": served > 0, "served": served}


def queue_answers() -> dict:
    if not jobs.uses_queue():
        return {"ok": True, "detail": "in-process (no job queue configured)"}
    from redis.exceptions import RedisError
    try:
        waiting = jobs.queue().count
    except RedisError as error:
        current_app.logger.error("health check: the job queue does not answer: %s", error)
        return {"ok": False, "detail": type(error).__name__}
    return {"ok": True, "waiting": waiting}
