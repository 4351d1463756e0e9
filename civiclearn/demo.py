"""`flask demo seed`: a demo centre, school and accounts for trying CivicLearn out; running it again changes nothing.

Staff passwords are made up at the first run and kept in instance/demo-accounts.txt (readable by
the owner only), so no password is written in the code and `make run` can show them every time.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from civiclearn import codes
from civiclearn.accounts import services as accounts
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort
from civiclearn.centres.services import enrol
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.learning import services as learning
from civiclearn.schools.models import ClassMember, School, SchoolClass

demo_cli = AppGroup("demo", help="Demo data for trying CivicLearn out.")

DEMO_PIN = "2580"
WORDS = ("rice", "river", "mango", "temple", "market", "bicycle", "monsoon", "lantern", "garden", "orchid")


@dataclass(frozen=True)
class DemoLearner:
    code: str
    name: str
    lessons_done: int  # how many lessons of the first course this learner has finished


DEMO_LEARNERS = (
    DemoLearner("CAT347", "สมศรี (ตัวอย่าง)", 2),
    DemoLearner("FAN799", "Anan (demo)", 0),
    DemoLearner("HEW473", "บุญมี (ตัวอย่าง)", 5),
    DemoLearner("JAM934", "มาลี (ตัวอย่าง)", 1),
)
DEMO_STAFF = (  # username, display name, role
    ("demo-admin", "ผู้ดูแลโครงการ (ตัวอย่าง)", "admin"),
    ("demo-trainer", "อนันต์ ผู้สอน (ตัวอย่าง)", "trainer"),
    ("demo-teacher", "ครูกัญญา (ตัวอย่าง)", "teacher"),
)


def _one(model, **where):
    return db.session.scalar(select(model).filter_by(**where))


def _passwords() -> dict[str, str]:
    """The demo staff passwords, made up once and kept in the instance folder."""
    path = Path(current_app.instance_path) / "demo-accounts.txt"
    if path.exists():
        return dict(line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    made = {username: " ".join(secrets.choice(WORDS) for _ in range(4)) for username, _name, _role in DEMO_STAFF}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{username} {password}\n" for username, password in made.items()))
    path.chmod(0o600)
    return made


def seed_demo() -> tuple[list[User], dict[str, str]]:
    """The demo centre with a cohort and learners (some progress made), a school with a class, and
    one admin, trainer and teacher. Flushes."""
    centre = _one(Centre, name_en="Demo Community Digital Centre") or Centre(
        name_th="ศูนย์ดิจิทัลชุมชนบ้านตัวอย่าง", name_en="Demo Community Digital Centre", province="เชียงใหม่",
        district="อำเภอตัวอย่าง", subdistrict="ตำบลตัวอย่าง", lgo_name="เทศบาลตำบลตัวอย่าง")
    db.session.add(centre)
    db.session.flush()
    cohort = _one(Cohort, centre_id=centre.id, name="รุ่นที่ 1/2570") or Cohort(centre_id=centre.id, name="รุ่นที่ 1/2570")
    school = _one(School, name_en="Demo Village School") or School(
        name_th="โรงเรียนบ้านตัวอย่าง", name_en="Demo Village School", province="เชียงใหม่", district="อำเภอตัวอย่าง")
    db.session.add_all([cohort, school])
    db.session.flush()
    school_class = _one(SchoolClass, join_code="KEM347") or SchoolClass(
        school_id=school.id, name="ม.2/1", grade="ม.2", year=2569, join_code="KEM347")
    db.session.add(school_class)
    db.session.flush()

    learners = [_demo_learner(demo, cohort) for demo in DEMO_LEARNERS]
    if not _one(ClassMember, class_id=school_class.id, person_id=learners[1].id):
        db.session.add(ClassMember(class_id=school_class.id, person_id=learners[1].id))

    passwords = _passwords()
    scope = {"trainer": {"centre_id": centre.id}, "teacher": {"school_id": school.id}, "admin": {}}
    for username, name, role in DEMO_STAFF:
        person = _one(User, username=username) or accounts.create_staff(None, name, username, None, passwords[username])
        accounts.grant_role(None, person, role, **scope[role])
    db.session.flush()
    return learners, passwords


def _demo_learner(demo: DemoLearner, cohort: Cohort) -> User:
    learner = _one(User, learner_code=demo.code)
    if learner is None:
        learner = User(display_name=demo.name, learner_code=demo.code, pin_hash=accounts.hash_secret(DEMO_PIN))
        db.session.add(learner)
        db.session.flush()
        courses = catalogue().courses
        for lesson in (courses[0].lessons()[:demo.lessons_done] if courses else []):
            learning.complete_lesson(learner, lesson)
    enrol(learner, cohort)
    return learner


@demo_cli.command("seed")
def seed() -> None:
    """Create the demo centre, school and accounts (idempotent) and print how to sign in."""
    learners, passwords = seed_demo()
    db.session.commit()
    click.echo("Demo learners - sign in at http://127.0.0.1:5000/sign-in with a learner code and PIN:")
    for learner in learners:
        click.echo(f"  code {codes.display(learner.learner_code)}  PIN {DEMO_PIN}  {learner.display_name}")
    click.echo("Demo staff - sign in at http://127.0.0.1:5000/staff/sign-in (passwords kept in instance/demo-accounts.txt):")
    for username, _name, role in DEMO_STAFF:
        click.echo(f"  {role:8} username {username}  password '{passwords[username]}'")
    click.echo("Students join the demo class ม.2/1 with the class code KEM-347.")
