"""A school with its teacher signed in on a browser of their own, and classes made through the pages."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from civiclearn.extensions import db
from tests.helpers import submit


def in_english(client: FlaskClient) -> None:
    """Show the pages in English (these tests read English words; Thai is checked where dates matter)."""
    with client.session_transaction() as session:
        session["lang"] = "en"


@dataclass
class Class:
    id: int
    join_code: str


@pytest.fixture
def school(make_school) -> int:
    return make_school()


@pytest.fixture
def teacher(make_staff, school):
    return make_staff("teacher", school_id=school)


@pytest.fixture
def teacher_client(app, staff_sign_in, teacher, sample) -> FlaskClient:
    """The teacher's own browser (the `client` fixture is the learner's), with the sample course loaded."""
    browser = app.test_client()
    staff_sign_in(teacher, on=browser)
    in_english(browser)
    return browser


@pytest.fixture
def make_class(app, teacher_client, school) -> Callable[..., Class]:
    """Create a class through the school page, as the teacher does."""
    from civiclearn.schools.forms import current_academic_year
    from civiclearn.schools.models import SchoolClass

    def make(name: str = "ม.2/1", grade: str = "ม.2", year: str | None = None, school_id: int | None = None) -> Class:
        if year is None:
            with app.test_request_context():
                year = str(current_academic_year())
        response = submit(teacher_client, f"/schools/{school_id or school}", {"name": name, "grade": grade, "year": year})
        assert response.status_code == 303, response.get_data(as_text=True)
        class_id = int(response.headers["Location"].rsplit("/", 1)[1])
        with app.app_context():
            return Class(class_id, db.session.get(SchoolClass, class_id).join_code)
    return make
