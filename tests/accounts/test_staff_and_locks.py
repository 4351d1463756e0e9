"""Staff sign-in, lock-out after wrong PINs or passwords, starting PINs, consent at registration."""

import time
from datetime import timedelta

from sqlalchemy import select, update

from civiclearn.accounts.models import User
from civiclearn.accounts.services import STARTING_PIN_HASH
from civiclearn.audit.models import AuditEvent
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.ratelimits import RateLimitCounter
from tests.accounts.test_accounts import field_error
from tests.helpers import submit, visible_text


def test_staff_sign_in_with_username_or_email(app, client, make_staff, make_centre):
    centre = make_centre()
    staff = make_staff("trainer", centre_id=centre)
    with app.app_context():
        db.session.execute(update(User).where(User.id == staff.id).values(email="anan@centre.example"))
        db.session.commit()
    for login in (staff.username, "ANAN@centre.example"):
        response = submit(client, "/staff/sign-in", {"login": login, "password": staff.password})
        assert response.status_code == 303 and response.headers["Location"] == "/staff"
        page = visible_text(client.get("/staff").get_data(as_text=True))
        assert "ศูนย์ดิจิทัลชุมชนบ้านทดสอบ" in page
        submit(client, "/", {}, action="/sign-out")
    wrong = submit(client, "/staff/sign-in", {"login": staff.username, "password": "not it at all"}).get_data(as_text=True)
    assert "ชื่อผู้ใช้ อีเมล หรือรหัสผ่านไม่ถูกต้อง" in field_error(wrong, "password")


def test_five_wrong_pins_lock_the_account_for_15_minutes(app, client, make_learner):
    learner = make_learner()
    for _ in range(4):
        html = submit(client, "/sign-in", {"code": learner.code, "pin": "000000"}).get_data(as_text=True)
        assert "รหัสผู้เรียนหรือรหัส PIN ไม่ถูกต้อง" in field_error(html, "pin")
    fifth = submit(client, "/sign-in", {"code": learner.code, "pin": "000000"}).get_data(as_text=True)
    assert "ลองผิดหลายครั้งเกินไป" in field_error(fifth, "pin")
    right_but_locked = submit(client, "/sign-in", {"code": learner.code, "pin": learner.pin})
    assert right_but_locked.status_code == 200  # the right PIN does not open a locked account
    with app.app_context():
        locked_until = db.session.get(User, learner.id).locked_until
        assert timedelta(minutes=14) < locked_until - utcnow() <= timedelta(minutes=15)
    fifteen_minutes_pass(app, learner.id)
    assert submit(client, "/sign-in", {"code": learner.code, "pin": learner.pin}).status_code == 303


def fifteen_minutes_pass(app, person_id: int) -> None:
    """The account's lock and the pause of the code typed both end."""
    with app.app_context():
        db.session.execute(update(User).where(User.id == person_id).values(locked_until=utcnow() - timedelta(seconds=1)))
        db.session.execute(update(RateLimitCounter).values(expires_at=time.time() - 1))
        db.session.commit()


def test_a_right_pin_clears_the_count_of_wrong_ones(app, client, make_learner):
    learner = make_learner()
    for _ in range(4):
        submit(client, "/sign-in", {"code": learner.code, "pin": "000000"})
    assert submit(client, "/sign-in", {"code": learner.code, "pin": learner.pin}).status_code == 303
    with app.app_context():
        assert db.session.get(User, learner.id).failed_sign_ins == 0


def test_wrong_staff_passwords_lock_too(client, make_staff):
    staff = make_staff("admin")
    for _ in range(5):
        html = submit(client, "/staff/sign-in", {"login": staff.username, "password": "wrong password here"}).get_data(as_text=True)
    assert "ลองผิดหลายครั้งเกินไป" in field_error(html, "password")


def test_a_starting_pin_must_be_replaced_at_the_first_sign_in(app, client, make_centre, make_cohort, make_staff, staff_sign_in):
    centre = make_centre()
    cohort = make_cohort(centre)
    trainer = make_staff("trainer", centre_id=centre)
    staff_sign_in(trainer)
    added = submit(client, f"/centres/{centre}/learners/new",
                   {"display_name": "ลุงบุญมี", "birth_year": "2500", "gender": "male", "cohort": str(cohort), "consent": "y"})
    page = added.get_data(as_text=True)
    code = page.split('<dd class="code-display" lang="en">')[1].split("<")[0].replace("-", "")
    pin = page.split('<dd class="code-display" lang="en">')[2].split("<")[0]
    assert len(pin) == 6 and pin.isdigit()
    with app.app_context():
        learner = db.session.scalar(select(User).where(User.learner_code == code))
        assert learner.birth_year == 1957 and learner.must_change_pin and pin not in learner.pin_hash
        assert learner.pin_hash.startswith(STARTING_PIN_HASH + "$")  # a temporary PIN: the lower cost
    submit(client, "/", {}, action="/sign-out")

    assert submit(client, "/sign-in", {"code": code, "pin": pin}).headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/pin"  # nothing else until the learner picks a PIN
    assert submit(client, "/pin", {"pin": "583920", "pin_confirm": "583920"}).headers["Location"] == "/"
    assert client.get("/").status_code == 200
    with app.app_context():  # the learner's own PIN: werkzeug's full cost
        assert db.session.scalar(select(User.pin_hash).where(User.learner_code == code)).startswith("scrypt:32768:8:1$")
    submit(client, "/", {}, action="/sign-out")
    assert submit(client, "/sign-in", {"code": code, "pin": pin}).status_code == 200  # the starting PIN is gone
    assert submit(client, "/sign-in", {"code": code, "pin": "583920"}).status_code == 303


def test_registration_needs_consent_and_a_guardian_for_minors(app, client):
    data = {"display_name": "เด็กชายทดสอบ", "pin": "583920", "pin_confirm": "583920"}
    no_consent = submit(client, "/register", data).get_data(as_text=True)
    assert "กรุณากดยินยอม" in field_error(no_consent, "consent")
    minor = submit(client, "/register", {**data, "consent": "y", "birth_year": str(utcnow().year + 543 - 12)}).get_data(as_text=True)
    assert "อายุต่ำกว่า 18 ปี ให้ถามพ่อแม่หรือผู้ปกครอง" in field_error(minor, "guardian_consent")
    impossible = submit(client, "/register", {**data, "consent": "y", "birth_year": "2700"}).get_data(as_text=True)
    assert "เขียนปีที่เกิด" in field_error(impossible, "birth_year")
    done = submit(client, "/register", {**data, "consent": "y", "guardian_consent": "y",
                                        "birth_year": str(utcnow().year + 543 - 12)})
    assert done.status_code == 303
    with app.app_context():
        person = db.session.scalar(select(User))
        assert person.consented_at and person.guardian_consented and person.birth_year == utcnow().year - 12


def test_a_pin_reset_unlocks_gives_a_new_starting_pin_and_is_audited(app, client, make_learner, make_centre,
                                                                    make_cohort, enrol, make_staff, staff_sign_in):
    centre = make_centre()
    learner = make_learner()
    enrol(learner.id, make_cohort(centre))
    other = app.test_client()
    for _ in range(5):
        submit(other, "/sign-in", {"code": learner.code, "pin": "000000"})
    trainer = make_staff("trainer", centre_id=centre)
    staff_sign_in(trainer)
    page = submit(client, f"/learners/{learner.id}", {}, action=f"/learners/{learner.id}/pin").get_data(as_text=True)
    pin = page.split('<dd class="code-display" lang="en">')[2].split("<")[0]
    assert submit(other, "/sign-in", {"code": learner.code, "pin": pin}).status_code == 303
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == learner.id)).all()
        assert "pin.reset" in events
        assert pin not in str(db.session.scalars(select(AuditEvent.detail)).all())
