"""The test LRS (Ralph) takes an xAPI statement and gives it back, as the app's statements will be checked."""

import uuid

import requests

from tests.xapi.conftest import XAPI_VERSION

LEARNER = {"objectType": "Agent", "account": {"homePage": "https://civiclearn.invalid/", "name": "learner-42"}}


def test_a_statement_sent_to_the_lrs_is_read_back(lrs):
    statement_id = str(uuid.uuid4())
    statement = {
        "id": statement_id,
        "actor": LEARNER,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": "https://civiclearn.invalid/courses/getting-started"},
    }
    sent = requests.post(lrs.url + "statements", json=statement, auth=lrs.auth, headers=XAPI_VERSION, timeout=10)
    assert sent.status_code == 200, sent.text
    assert sent.json() == [statement_id]

    stored = {one["id"]: one for one in lrs.statements()}
    assert stored[statement_id]["actor"] == LEARNER
    assert "mbox" not in stored[statement_id]["authority"]
