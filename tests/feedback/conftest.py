"""A learner who started the sample course's first module, enrolled at a centre whose trainer has a browser
of their own; and ways to give and answer feedback through the pages."""

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from tests.helpers import csrf_token, submit

MODULE = "/courses/getting-started/how-it-works"
GIVE = "/me/feedback/getting-started/how-it-works"
STAFF_PAGE = "/staff/feedback/getting-started/how-it-works"


def in_english(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["lang"] = "en"


def switch_to_english(client: FlaskClient) -> None:
    """Press "English", as a learner does."""
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client.get("/").get_data(as_text=True))})


def give(client: FlaskClient, page: str = MODULE, **data) -> TestResponse:
    """Fill in the feedback form on a module's page (by default the module page) and send it."""
    return submit(client, page, data, action=GIVE)


def answer(client: FlaskClient, feedback_id: int, reply: str) -> TestResponse:
    """Answer one feedback with its form on the staff page of the module."""
    return submit(client, STAFF_PAGE, {f"answer-{feedback_id}-reply": reply},
                  action=f"{STAFF_PAGE}/{feedback_id}/answer")


def rows(app) -> list[ModuleFeedback]:
    with app.app_context():
        return db.session.scalars(select(ModuleFeedback).order_by(ModuleFeedback.id)).all()


@pytest.fixture
def start(client, sample) -> Callable[..., None]:
    """Open the first lesson of the module, which is what lets a learner give feedback on it."""
    def run(on: FlaskClient | None = None) -> None:
        module = sample.modules[0]
        assert (on or client).get(f"{MODULE}/{module.lessons[0].key}").status_code == 200
    return run


@pytest.fixture
def centre(make_centre) -> int:
    return make_centre()


@pytest.fixture
def started(learner, start, centre, make_cohort, enrol):
    """The signed-in learner (on `client`), enrolled at `centre`, who opened a lesson of the module."""
    enrol(learner.id, make_cohort(centre))
    start()
    return learner


@pytest.fixture
def trainer_client(app, make_staff, staff_sign_in, centre) -> FlaskClient:
    """A trainer of the learner's centre, in English on a browser of their own."""
    browser = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=centre), on=browser)
    in_english(browser)
    return browser
