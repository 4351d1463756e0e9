"""The leader pathway's scene: the shipped courses, two centres with a cohort and a trainer each, learners
enrolled there, and ways to log a leader's practicum and decide on it through the pages."""

import secrets
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from civiclearn.accounts.models import User
from civiclearn.audit.models import AuditEvent
from civiclearn.centres.models import Centre
from civiclearn.certificates.models import LEADER_AWARD, Certificate
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.leaders import services as leaders
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.learning.models import QuizAttempt
from tests.helpers import csrf_token, find_form, record_finished, submit, visible_text

LEADER_PAGE = "/me/leader"


# -- Setting the scene -----------------------------------------------------------------------------

@dataclass
class Scene:
    centre: int
    cohort: int
    other_centre: int
    other_cohort: int
    trainer: object
    other_trainer: object
    pathway: leaders.Pathway


@pytest.fixture
def scene(app, load_courses, make_centre, make_cohort, make_staff) -> Scene:
    """The shipped courses loaded; two centres, each with a cohort and a trainer."""
    load_courses()
    centre, other_centre = make_centre(), make_centre("ศูนย์ดิจิทัลชุมชนบ้านอื่น", district="สันทราย")
    with app.test_request_context():
        pathway = leaders.current_pathway()
    return Scene(centre, make_cohort(centre), other_centre, make_cohort(other_centre),
                 make_staff("trainer", centre_id=centre), make_staff("trainer", centre_id=other_centre), pathway)


@pytest.fixture
def browser(app):
    """A new browser (its own cookies), switched to English when asked."""
    def open_one(english: bool = True):
        client = app.test_client()
        if english:
            in_english(client)
        return client
    return open_one


def in_english(client) -> None:
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client.get("/").get_data(as_text=True))})


@pytest.fixture
def learner_at(make_learner, enrol):
    """A learner enrolled in a cohort."""
    def make(cohort: int, name: str = "ปรีชา ผู้นำ"):
        person = make_learner(name=name)
        enrol(person.id, cohort)
        return person
    return make


def pass_quiz(app, person_id: int, module, score: int) -> None:
    """A quiz attempt as the quiz page records it (faster than answering through the pages)."""
    with app.app_context():
        db.session.add(QuizAttempt(user_id=person_id, quiz_id=module.quiz.id, token=secrets.token_urlsafe(16),
                                   score=score, passed=score >= module.quiz.pass_mark, submitted_at=utcnow()))
        db.session.commit()


def pass_entry(app, person_id: int, pathway: leaders.Pathway, score: int = 85) -> None:
    for module in pathway.entry_modules():
        pass_quiz(app, person_id, module, score)


def ready_leader(app, scene: Scene, learner_at):
    """A leader whose whole pathway is done and confirmed (recorded directly, not through the pages)."""
    cohort = scene.cohort
    leader = learner_at(cohort)
    pass_entry(app, leader.id, scene.pathway)
    record_finished(app, leader.id, scene.pathway.course.modules)
    mentees = [learner_at(cohort, f"ผู้เรียนคนที่ {number}") for number in range(scene.pathway.rules.mentees)]
    for mentee in mentees:
        record_finished(app, mentee.id, scene.pathway.mentee_modules())
    with app.test_request_context():
        now = utcnow()
        for number in range(scene.pathway.rules.sessions):
            db.session.add(PracticumSession(leader_id=leader.id, centre_id=scene.centre,
                                            held_on=date(2026, 3, 1 + number), place="ศูนย์", topic=f"หัวข้อ {number}",
                                            attendees=12, confirmed_at=now))
        db.session.add_all(Mentee(leader_id=leader.id, mentee_id=mentee.id, centre_id=scene.centre, confirmed_at=now)
                           for mentee in mentees)
        db.session.commit()
    return leader


def leader_certificates(app, person_id: int) -> list[Certificate]:
    with app.app_context():
        return db.session.scalars(select(Certificate).where(Certificate.person_id == person_id,
                                                            Certificate.award == LEADER_AWARD)
                                  .order_by(Certificate.id)).all()


def endorse_on(app, scene: Scene, leader_id: int, on: date) -> leaders.Endorsement:
    """The trainer's endorsement on a given day (the pages use today)."""
    with app.test_request_context():
        trainer = db.session.get(User, scene.trainer.id)
        done = leaders.endorse(trainer, db.session.get(User, leader_id), db.session.get(Centre, scene.centre), on=on)
        db.session.commit()
        return done


def practicum_rows(app, model) -> list:
    with app.app_context():
        return db.session.scalars(select(model).order_by(model.id)).all()


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def log_session(client, centre: int, **fields):
    data = {"held_on": "2026-03-02", "place": "ศาลาวัด", "topic": "Spot the scam", "attendees": "15",
            "centre": str(centre)} | fields
    return submit(client, LEADER_PAGE, data, form_id="session-form")


def add_mentee(client, centre: int, code: str):
    return submit(client, LEADER_PAGE, {"mentee_code": code, "mentee_centre": str(centre)}, form_id="mentee-form")


def decide(client, centre: int, kind: str, row_id: int, decision: str = "confirm", confirmed: bool = True):
    """Confirm or decline a session or mentee; a decline `confirmed` as if "Yes" was pressed on its confirm page."""
    page = client.get(f"/centres/{centre}/leaders").get_data(as_text=True)
    return client.post(f"/centres/{centre}/leaders/{kind}/{row_id}",
                       data={"decision": decision, "csrf_token": csrf_token(page)} | (
                           {"confirmed": "yes"} if confirmed else {}))


def post_button(client, page: str, action: str):
    """Press a button whose form carries only its CSRF token."""
    html = client.get(page).get_data(as_text=True)
    return client.post(action, data=dict(find_form(html, action=action)["fields"]))


def text(client, url: str) -> str:
    return visible_text(client.get(url).get_data(as_text=True))


def signed_in(app, person, english: bool = False):
    """A browser of `app` (a test's own app, with its own settings) where `person` has signed in."""
    client = app.test_client()
    assert submit(client, "/sign-in", {"code": person.code, "pin": person.pin}).status_code == 303
    if english:
        in_english(client)
    return client
