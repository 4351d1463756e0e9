"""Learning records to an xAPI Learning Record Store (off unless CIVICLEARN_XAPI_LRS_URL is set).

Statements are rows (XapiStatement) written in the request that records what they say; once it has committed, a
job posts every waiting statement to the LRS, a hundred at a time. A post that fails is tried again after 1, 5
and 30 minutes, 2 and 12 hours, then every 12 hours, for as long as it takes: a centre offline for days forwards
its records when it is back. An id the LRS already holds (409) counts as sent: statements never change.
`flask records send` sends what is due now.
"""

import logging
from datetime import timedelta

from flask import after_this_request, current_app, has_request_context
from sqlalchemy import select, update

from civiclearn import jobs
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.records.models import XapiStatement

log = logging.getLogger(__name__)

BATCH = 100
SEND = "civiclearn.records.services.send_waiting"
TIMEOUT_SECONDS = 20


def enabled() -> bool:
    return bool(current_app.config.get("XAPI_LRS_URL"))


def keep(statements: list[dict]) -> None:
    """Statements wait in the outbox; their send starts once the request has committed. Flushes."""
    db.session.add_all(XapiStatement(id=body["id"], body=body) for body in statements)
    db.session.flush()
    if has_request_context():
        after_this_request(_send_soon)
    else:
        jobs.enqueue(SEND)


def _send_soon(response):
    jobs.enqueue(SEND)
    return response


def send_waiting() -> int:
    """The job: post the waiting statements whose time has come, batch by batch. Returns how many were sent.
    Commits after each batch."""
    sent = 0
    while True:
        batch = db.session.scalars(select(XapiStatement).where(
            XapiStatement.state == "waiting", XapiStatement.next_try_at <= utcnow())
            .order_by(XapiStatement.created_at, XapiStatement.id).limit(BATCH)).all()
        if not batch:
            db.session.rollback()
            return sent
        error = post(batch)
        if error:
            retry_in = failed(batch, error)
            db.session.commit()
            jobs.enqueue_in(retry_in, SEND)
            return sent
        db.session.execute(update(XapiStatement).where(XapiStatement.id.in_([row.id for row in batch]))
                           .values(state="sent", sent_at=utcnow(), last_error=None))
        db.session.commit()
        sent += len(batch)


def post(batch: list[XapiStatement]) -> str | None:
    """POST the statements to the LRS; None when it took them, else why not."""
    import requests  # loaded by the job that sends, not by every web worker
    config = current_app.config
    try:
        response = requests.post(config["XAPI_LRS_URL"].rstrip("/") + "/statements",
                                 json=[row.body for row in batch], timeout=TIMEOUT_SECONDS,
                                 auth=(config["XAPI_LRS_USERNAME"], config["XAPI_LRS_PASSWORD"]),
                                 headers={"X-Experience-API-Version": "1.0.3"})
    except requests.RequestException as error:
        return str(error)[:500] or type(error).__name__
    if response.ok or response.status_code == 409:  # 409: ids it holds already (a retry after a lost answer)
        return None
    return f"{response.status_code} {response.text[:200]}"


def failed(batch: list[XapiStatement], error: str) -> float:
    """Count a failed post; returns the seconds until the next try. Flushes."""
    retries = current_app.config["XAPI_RETRY_SECONDS"]
    tries = max(row.tries for row in batch) + 1
    retry_in = retries[min(tries, len(retries)) - 1]
    log.warning("xAPI statements not taken by the LRS (try %s, next in %s s): %s", tries, retry_in, error)
    for row in batch:
        row.tries, row.last_error = tries, error[:500]
    # Everything waiting waits as long: the LRS is out of reach for all of them.
    db.session.execute(update(XapiStatement).where(XapiStatement.state == "waiting")
                       .values(next_try_at=utcnow() + timedelta(seconds=retry_in)))
    db.session.flush()
    return retry_in
