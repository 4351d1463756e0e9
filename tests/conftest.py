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
from civiclearn.extensions import db, migrations
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


def _postgresql_of_this_worker(url: str) -> str:
    """The database itself when the suite runs in one process; run in parallel (pytest-xdist, as `make test`
    does), each worker gets a database of its own beside it (test_gw0, test_gw1, ...), created on first use."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    given = sa.make_url(url)
    own = given.set(database=f"{given.database}_{worker}")
    engine = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": own.database})
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> str:
    """A migrated, empty database for one backend, shared by the tests of the session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'civiclearn.db'}"
    else:
        url = _postgresql_of_this_worker(os.environ["CIVICLEARN_TEST_DATABASE_URL"])
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(_test_config(url, ROOT / "courses"))
    with app.app_context():
        migrations().upgrade()
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
        _empty_tables(built[0])  # the rate-limit counters too: they live in the database
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


@dataclass
class World:
    """Two centres with a learner each; a school whose class holds the first learner; what they lead to.
    `ids` name every object (as the access matrix's addresses do); `browsers` are signed in as each visitor."""
    ids: dict[str, int | str]
    browsers: dict[str, FlaskClient]


@pytest.fixture
def world(app, sample, make_centre, make_cohort, enrol, make_school, make_learner, make_staff, sign_in,
          staff_sign_in) -> World:
    """One of everything the app has (a cohort, a class, an assignment, an attempt, a roster, a kiosk, a
    certificate and its finished batch, leader sessions and mentees, feedback, a civic action), and a browser for each
    kind of visitor: anonymous, learner, other learner (at the other centre), trainer, other trainer,
    teacher, admin."""
    from sqlalchemy import select

    from civiclearn.accounts.models import RoleAssignment, User
    from civiclearn.centres import services as centres
    from civiclearn.centres.models import Centre, Cohort, RosterImport
    from civiclearn.certificates import batches
    from civiclearn.certificates import services as certificates
    from civiclearn.civic.models import CivicAction
    from civiclearn.database import utcnow
    from civiclearn.feedback.models import ModuleFeedback
    from civiclearn.leaders.models import Mentee, PracticumSession
    from civiclearn.learning.models import QuizAttempt
    from civiclearn.lti.models import LtiPlatform
    from civiclearn.schools.models import Assignment, ClassMember, SchoolClass

    centre, other_centre = make_centre(), make_centre("ศูนย์อื่น", district="สันทราย")
    learner, other_learner = make_learner("สมศรี ใจดี"), make_learner("บุญมี รักดี")
    cohort = make_cohort(centre)
    enrol(learner.id, cohort)
    mentee = make_learner("มานี มีนา")  # helped by the learner, as a leader, at the same centre
    enrol(mentee.id, cohort)
    enrol(other_learner.id, make_cohort(other_centre))
    school = make_school()
    trainer = make_staff("trainer", centre_id=centre)
    teacher = make_staff("teacher", school_id=school)
    staff = {"trainer": trainer, "other trainer": make_staff("trainer", centre_id=other_centre),
             "teacher": teacher, "admin": make_staff("admin")}
    ids = {"centre": centre, "other_centre": other_centre, "cohort": cohort, "learner": learner.id,
           "other_learner": other_learner.id, "school": school, "teacher": teacher.id}
    with app.app_context():
        school_class = SchoolClass(school_id=school, name="ม.2/1", grade="ม.2", year=2569, join_code="KEM347")
        db.session.add(school_class)
        db.session.flush()
        db.session.add(ClassMember(class_id=school_class.id, person_id=learner.id))
        assignment = Assignment(class_id=school_class.id, module_id=sample.modules[1].id)
        attempt = QuizAttempt(user_id=learner.id, quiz_id=sample.modules[1].quiz.id, token="matrix", score=50,
                              passed=False, submitted_at=utcnow())
        roster = RosterImport(centre_id=centre, uploaded_by_id=trainer.id, filename="roster.csv", rows=[])
        kiosk = centres.make_kiosk(db.session.get(User, trainer.id), db.session.get(Centre, centre), "Kiosk 1")
        certificate = certificates.issue(db.session.get(User, learner.id), certificates.course_award(sample),
                                         issuer=db.session.get(Centre, centre))
        session = PracticumSession(leader_id=learner.id, centre_id=centre, held_on=utcnow().date(), place="ศูนย์",
                                   topic="แจ้งปัญหาถนน", attendees=8)
        mentored = Mentee(leader_id=learner.id, mentee_id=mentee.id, centre_id=centre)
        batch = batches.create(None, db.session.get(Cohort, cohort), sample)
        feedback = ModuleFeedback(person_id=learner.id, module_id=sample.modules[0].id, rating=4, comment="ดีมาก",
                                  language="th")
        lms = "https://lms.example.ac.th"
        platform = LtiPlatform(name="Moodle", issuer=lms, client_id="civiclearn", auth_login_url=f"{lms}/auth",
                               key_set_url=f"{lms}/jwks", auth_token_url=f"{lms}/token")
        civic_action = CivicAction(person_id=learner.id, token="matrix-civic-action", kind="reported_problem",
                                   channel="traffy_fondue", done_on=utcnow().date(), case_number="2569-TEST1")
        db.session.add_all([assignment, attempt, roster, session, mentored, feedback, platform, civic_action])
        db.session.commit()
        batches.run(batch.id, processes=1)  # done: its files are there to download
        ids |= {"class_": school_class.id, "assignment": assignment.id, "attempt": attempt.id, "roster": roster.id,
                "kiosk": kiosk.id, "certificate": certificate.code, "feedback": feedback.id,
                "session": session.id, "mentee": mentored.id, "civic_action": civic_action.id, "batch": batch.id,
                "platform": platform.id,
                "teacher_role": db.session.scalar(
                    select(RoleAssignment.id).where(RoleAssignment.person_id == teacher.id))}
    browsers = {"anonymous": app.test_client()}
    for name, person in (("learner", learner), ("other learner", other_learner)):
        browsers[name] = app.test_client()
        sign_in(person, on=browsers[name])
    for name, person in staff.items():
        browsers[name] = app.test_client()
        staff_sign_in(person, on=browsers[name])
    return World(ids, browsers)
