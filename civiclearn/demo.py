"""`flask demo seed`: demo accounts for trying CivicLearn out; running it again changes nothing."""

from dataclasses import dataclass

import click
from flask.cli import AppGroup
from sqlalchemy import select

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.accounts.services import hash_pin
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.learning import services

demo_cli = AppGroup("demo", help="Demo data for trying CivicLearn out.")

DEMO_PIN = "2580"


@dataclass(frozen=True)
class DemoLearner:
    code: str
    name: str
    lessons_done: int  # how many lessons of the first course this learner has finished


DEMO_LEARNERS = (
    DemoLearner("CAT347", "สมศรี (ตัวอย่าง)", 2),
    DemoLearner("FAN799", "Anan (demo)", 0),
)


def seed_demo_learners() -> list[User]:
    """Create the demo learners, with some progress, unless they exist. Flushes."""
    learners = []
    courses = catalogue().courses
    for demo in DEMO_LEARNERS:
        learner = db.session.scalar(select(User).where(User.learner_code == demo.code))
        if learner is None:
            learner = User(display_name=demo.name, learner_code=demo.code, pin_hash=hash_pin(DEMO_PIN))
            db.session.add(learner)
            db.session.flush()
            for lesson in (courses[0].lessons()[:demo.lessons_done] if courses else []):
                services.complete_lesson(learner, lesson)
        learners.append(learner)
    return learners


@demo_cli.command("seed")
def seed() -> None:
    """Create demo learners (idempotent) and print how to sign in."""
    learners = seed_demo_learners()
    db.session.commit()
    click.echo("Demo learners - sign in at http://127.0.0.1:5000/sign-in with a learner code and PIN:")
    for learner in learners:
        click.echo(f"  code {codes.display(learner.learner_code)}  PIN {DEMO_PIN}  {learner.display_name}")
