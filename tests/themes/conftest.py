"""The themes' fixture: the 164 comments of comments.csv, each from its own learner of one centre."""

import csv
from pathlib import Path

import pytest
from sqlalchemy import insert

from civiclearn.accounts.models import User
from civiclearn.centres.models import Enrolment
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback

FIXTURE = Path(__file__).with_name("comments.csv")


@pytest.fixture(scope="session")
def fixture_texts() -> list[str]:
    with FIXTURE.open(encoding="utf-8", newline="") as file:
        return [row["text"] for row in csv.DictReader(file)]


@pytest.fixture
def commented(app, sample, make_centre, make_cohort, make_staff, fixture_texts):
    """The fixture's comments on the sample's first module, each from a learner of one centre; that centre's
    trainer, and a trainer of another centre. The learners are written in bulk, without PINs: none signs in,
    and registering 164 through the service (a PIN hash each) took 15 s a test."""
    centre, elsewhere = make_centre(), make_centre("ศูนย์อื่น", district="สันทราย")
    cohort = make_cohort(centre)
    with app.app_context():
        ids = db.session.scalars(insert(User).returning(User.id), [
            {"display_name": f"ผู้เรียนลับ {number}", "learner_code": f"T{number:07d}"}
            for number in range(len(fixture_texts))]).all()
        db.session.execute(insert(Enrolment), [{"person_id": person, "cohort_id": cohort} for person in ids])
        db.session.add_all(ModuleFeedback(person_id=person, module_id=sample.modules[0].id, rating=3, comment=text,
                                          language="th") for person, text in zip(ids, fixture_texts, strict=True))
        db.session.commit()
    return make_staff("trainer", centre_id=centre), make_staff("trainer", centre_id=elsewhere)
