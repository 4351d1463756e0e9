"""Fixtures: every test that uses `app` runs on SQLite and, when CIVICLEARN_TEST_DATABASE_URL is set,
again on that PostgreSQL database. The schema comes from the real migrations, once per backend."""

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from civiclearn import create_app
from civiclearn.config import ROOT
from civiclearn.extensions import db, limiter
from tests.helpers import csrf_token, submit

SAMPLE_COURSE = ROOT / "courses" / "getting-started"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("CIVICLEARN_TEST_DATABASE_URL") else [])


def _test_config(database_url: str, courses_dir: Path, **overrides) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "COURSES_DIR": courses_dir,
        "CONTENT_POLL_SECONDS": 0,
        **overrides,
    }


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> str:
    """A migrated, empty database for one backend, shared by the tests of the session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'civiclearn.db'}"
    else:
        url = os.environ["CIVICLEARN_TEST_DATABASE_URL"]
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    from flask_migrate import upgrade
    app = create_app(_test_config(url, ROOT / "courses"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _empty_tables(app: Flask) -> None:
    with app.app_context():
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def courses_dir(tmp_path) -> Path:
    """A writable copy of the shipped sample course, for tests that edit course files."""
    folder = tmp_path / "courses"
    shutil.copytree(SAMPLE_COURSE, folder / SAMPLE_COURSE.name)
    return folder


@pytest.fixture
def make_app(database_url, tmp_path) -> Callable[..., Flask]:
    """Build apps on the test database (several may share it, like gunicorn workers); tables are emptied after.
    Files the app writes (certificate batches) go to the test's own folder."""
    built = []

    def build(courses_dir: Path = ROOT / "courses", **overrides) -> Flask:
        overrides.setdefault("CERTIFICATE_BATCHES_DIR", tmp_path / "certificate-batches")
        app = create_app(_test_config(database_url, courses_dir, **overrides))
        built.append(app)
        return app

    yield build
    if built:
        _empty_tables(built[0])
    limiter.reset()
    for app in built:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def load_courses(app) -> Callable[[Path | None], list]:
    """Load courses (default: the shipped ones) into the test database."""
    from civiclearn.courses.store import load_courses as load

    def run(folder: Path | None = None) -> list:
        with app.app_context():
            return load(folder or app.config["COURSES_DIR"])
    return run


@pytest.fixture
def sample(app, load_courses):
    """The shipped sample course (only it: loading is quicker), loaded; returns it as served."""
    load_courses(SAMPLE_COURSE)
    from civiclearn.courses.store import catalogue
    with app.test_request_context():
        return catalogue().course("getting-started")


@dataclass
class Learner:
    id: int
    code: str
    pin: str
    name: str


@pytest.fixture
def make_learner(app) -> Callable[..., Learner]:
    """Register a learner through the service, as the registration page does."""
    from civiclearn.accounts.services import register_learner

    def make(name: str = "สมใจ ทดสอบ", pin: str = "4826") -> Learner:
        with app.app_context():
            learner = register_learner(name, pin)
            db.session.commit()
            return Learner(learner.id, learner.learner_code, pin, name)
    return make


@pytest.fixture
def sign_in(client) -> Callable[[Learner], None]:
    """Sign a learner in through the sign-in form."""
    def run(learner: Learner, on: FlaskClient | None = None) -> None:
        response = submit(on or client, "/sign-in", {"code": learner.code, "pin": learner.pin})
        assert response.status_code == 303, response.get_data(as_text=True)
    return run


@pytest.fixture
def learner(make_learner, sign_in, sample) -> Learner:
    """A signed-in learner, with the sample course loaded."""
    person = make_learner()
    sign_in(person)
    return person


@dataclass
class Staff:
    id: int
    username: str
    password: str


@pytest.fixture
def make_centre(app) -> Callable[..., int]:
    """A community digital centre; returns its id."""
    from civiclearn.centres.models import Centre

    def make(name: str = "ศูนย์ดิจิทัลชุมชนบ้านทดสอบ", province: str = "เชียงใหม่", district: str = "แม่ริม",
             **fields) -> int:
        with app.app_context():
            centre = Centre(name_th=name, name_en=fields.pop("name_en", "Test Village Digital Centre"),
                            province=province, district=district, subdistrict=fields.pop("subdistrict", "ริมใต้"),
                            lgo_name=fields.pop("lgo_name", "เทศบาลตำบลทดสอบ"), **fields)
            db.session.add(centre)
            db.session.commit()
            return centre.id
    return make


@pytest.fixture
def make_cohort(app) -> Callable[..., int]:
    """A cohort (training round) of a centre; returns its id."""
    from civiclearn.centres.models import Cohort

    def make(centre_id: int, name: str = "รุ่นที่ 1") -> int:
        with app.app_context():
            cohort = Cohort(centre_id=centre_id, name=name)
            db.session.add(cohort)
            db.session.commit()
            return cohort.id
    return make


@pytest.fixture
def enrol(app) -> Callable[[int, int], None]:
    """Put a learner in a cohort."""
    from civiclearn.centres.models import Enrolment

    def run(person_id: int, cohort_id: int) -> None:
        with app.app_context():
            db.session.add(Enrolment(person_id=person_id, cohort_id=cohort_id))
            db.session.commit()
    return run


@pytest.fixture
def make_school(app) -> Callable[..., int]:
    from civiclearn.schools.models import School

    def make(name: str = "โรงเรียนบ้านทดสอบ", province: str = "เชียงใหม่", district: str = "แม่ริม") -> int:
        with app.app_context():
            school = School(name_th=name, name_en="Test Village School", province=province, district=district)
            db.session.add(school)
            db.session.commit()
            return school.id
    return make


@pytest.fixture
def make_staff(app) -> Callable[..., Staff]:
    """A staff account holding one role: make_staff("trainer", centre_id=...), make_staff("admin", province=...)."""
    from civiclearn.accounts.services import create_staff, grant_role
    counter = iter(range(1, 1000))

    def make(role: str | None = "trainer", username: str | None = None, password: str = "long enough passphrase",
             **scope) -> Staff:
        username = username or f"{role or 'staff'}{next(counter)}"
        with app.app_context():
            person = create_staff(None, f"Staff {username}", username, None, password)
            if role:
                grant_role(None, person, role, **scope)
            db.session.commit()
            return Staff(person.id, username, password)
    return make


@pytest.fixture
def staff_sign_in(client) -> Callable[..., None]:
    """Sign a staff member in through the staff sign-in form."""
    def run(staff: Staff, on: FlaskClient | None = None) -> None:
        response = submit(on or client, "/staff/sign-in", {"login": staff.username, "password": staff.password})
        assert response.status_code == 303, response.get_data(as_text=True)
    return run


@pytest.fixture
def english(client) -> None:
    """The client reads the pages in English."""
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    assert client.post("/language", data={"lang": "en", "csrf_token": token}).status_code == 303


@pytest.fixture
def sign_in_admin(english, make_staff, staff_sign_in) -> Callable:
    """Sign the client in as a new admin of everything, of a province, or of a district of it."""
    def run(province: str | None = None, district: str | None = None, **fields):
        admin = make_staff("admin", province=province, district=district, **fields)
        staff_sign_in(admin)
        return admin
    return run
