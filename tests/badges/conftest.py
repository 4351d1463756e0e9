"""Open Badges fixtures: a learner with a course certificate from a centre; the leader pathway's scene."""

from dataclasses import dataclass

import pytest

from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre
from civiclearn.certificates import services as certificates
from civiclearn.extensions import db
from tests.certificates.conftest import learner_at, scene  # noqa: F401 (fixtures, for the leader award)


@dataclass
class Certified:
    learner: object  # tests.conftest.Learner: id, code, pin
    code: str  # the certificate's code


@pytest.fixture
def certified(app, sample, make_learner, make_centre, make_cohort, enrol) -> Certified:
    """A learner of a centre holding the sample course's certificate."""
    centre = make_centre()
    learner = make_learner("สมศรี ใจดี")
    enrol(learner.id, make_cohort(centre))
    with app.test_request_context():
        found = certificates.issue(db.session.get(User, learner.id), certificates.course_award(sample),
                                   issuer=db.session.get(Centre, centre))
        db.session.commit()
        return Certified(learner, found.code)
