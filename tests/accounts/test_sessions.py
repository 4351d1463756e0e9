"""A session ends everywhere when it should: a copied cookie is worth nothing after sign-out, a new PIN or
password, a trainer's PIN reset, a lock, a role removed or a deletion."""

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from civiclearn.accounts.models import RoleAssignment
from civiclearn.extensions import db
from tests.helpers import submit, visible_text

STALE = "ระบบออกจากบัญชีนี้แล้ว"  # "You were signed out: this account was signed out on another screen..."


def copy_of(client: FlaskClient, app) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie (taken from a shared computer, say)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def assert_signed_out(browser: FlaskClient, page: str, sign_in_page: str = "/sign-in") -> None:
    """The page sends the copied session to sign in again, with a plain message and no error."""
    response = browser.get(page)
    assert response.status_code == 303 and response.headers["Location"] == f"{sign_in_page}?next={page}"
    assert STALE in visible_text(browser.get(response.headers["Location"]).get_data(as_text=True))
    again = browser.get(page)  # the copy was cleared: now simply not signed in
    assert again.status_code == 302 and again.headers["Location"].startswith(sign_in_page)


@pytest.fixture
def learner_elsewhere(app, client, make_learner, sign_in):
    """A learner signed in on `client`, and a copy of that session in another browser."""
    person = make_learner()
    sign_in(person)
    assert client.get("/card").status_code == 200
    return person, copy_of(client, app)


def test_a_session_copied_before_sign_out_is_refused(app, client, learner_elsewhere):
    _learner, thief = learner_elsewhere
    assert thief.get("/card").status_code == 200  # the copy works while the session lives: it is a real copy
    captured = client.get_cookie("session").value
    submit(client, "/", {}, action="/sign-out")
    assert_signed_out(thief, "/card")
    replay = app.test_client()
    replay.set_cookie("session", captured)
    assert replay.get("/me/data").status_code == 303


def test_signing_out_on_one_screen_signs_out_the_others(app, client, make_learner, sign_in):
    learner = make_learner()
    kiosk, phone = app.test_client(), app.test_client()
    sign_in(learner, on=kiosk)
    sign_in(learner, on=phone)
    submit(kiosk, "/", {}, action="/sign-out")
    assert_signed_out(phone, "/card")


def test_a_pin_reset_ends_an_old_session_so_it_cannot_choose_the_new_pin(
        app, client, make_learner, sign_in, make_centre, make_cohort, enrol, make_staff, staff_sign_in):
    centre = make_centre()
    learner = make_learner()
    enrol(learner.id, make_cohort(centre))
    old = app.test_client()
    sign_in(learner, on=old)
    staff_sign_in(make_staff("trainer", centre_id=centre))
    page = submit(client, f"/learners/{learner.id}", {}, action=f"/learners/{learner.id}/pin").get_data(as_text=True)
    starting_pin = page.split('<dd class="code-display" lang="en">')[2].split("<")[0]
    assert_signed_out(old, "/pin")  # and so it never reaches "choose your PIN"
    fresh = app.test_client()  # the learner, with the starting PIN from the trainer, chooses their own
    assert submit(fresh, "/sign-in", {"code": learner.code, "pin": starting_pin}).headers["Location"] == "/"
    assert submit(fresh, "/pin", {"pin": "583920", "pin_confirm": "583920"}).status_code == 303


def test_a_new_pin_ends_the_other_sessions_and_keeps_this_one(app, client, learner_elsewhere):
    _learner, other = learner_elsewhere
    assert submit(client, "/pin", {"pin": "583920", "pin_confirm": "583920"}).status_code == 303
    assert client.get("/card").status_code == 200
    assert_signed_out(other, "/card")


def test_a_lock_ends_the_sessions_of_the_account(app, client, learner_elsewhere):
    learner, _copy = learner_elsewhere
    guesser = app.test_client()
    for _ in range(5):
        submit(guesser, "/sign-in", {"code": learner.code, "pin": "000000"})
    assert_signed_out(client, "/card")


def test_deleting_ones_data_ends_every_session(app, client, learner_elsewhere):
    _learner, other = learner_elsewhere
    assert submit(client, "/me/delete", {}, action="/me/delete").status_code == 303
    assert_signed_out(other, "/card")


def test_a_role_removed_ends_the_staff_members_sessions(app, client, make_centre, make_staff, staff_sign_in,
                                                        sign_in_admin):
    centre = make_centre()
    trainer = make_staff("trainer", centre_id=centre)
    trainers_browser = app.test_client()
    staff_sign_in(trainer, on=trainers_browser)
    assert trainers_browser.get(f"/centres/{centre}").status_code == 200
    sign_in_admin()
    with app.app_context():
        role = db.session.scalar(select(RoleAssignment).where(RoleAssignment.person_id == trainer.id))
    admin_page = f"/admin/staff/{trainer.id}"
    response = submit(client, admin_page, {}, action=f"/admin/staff/{trainer.id}/roles/{role.id}/revoke")
    assert response.status_code == 303
    assert_signed_out(trainers_browser, f"/centres/{centre}", "/staff/sign-in")


def test_a_new_password_ends_the_other_sessions(app, client, make_staff, staff_sign_in):
    staff = make_staff("admin")
    other = app.test_client()
    staff_sign_in(staff)
    staff_sign_in(staff, on=other)
    new = "another long passphrase here"
    wrong = submit(client, "/staff/password", {"current": "not my password", "password": new, "password_confirm": new})
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in visible_text(wrong.get_data(as_text=True))
    assert other.get("/staff").status_code == 200  # a wrong current password changes nothing
    done = submit(client, "/staff/password", {"current": staff.password, "password": new, "password_confirm": new})
    assert done.status_code == 303 and client.get("/staff").status_code == 200
    assert_signed_out(other, "/admin/centres", "/staff/sign-in")
    submit(client, "/", {}, action="/sign-out")
    assert submit(client, "/staff/sign-in", {"login": staff.username, "password": staff.password}).status_code == 200
    assert submit(client, "/staff/sign-in", {"login": staff.username, "password": new}).status_code == 303


def test_a_session_from_before_this_version_signs_in_again_without_an_error(app, client, learner_elsewhere):
    """Cookies written before sessions had generations hold the bare id: they are stale, not an error."""
    learner, _copy = learner_elsewhere
    with client.session_transaction() as session:
        session["_user_id"] = str(learner.id)
    assert_signed_out(client, "/card")


def test_a_new_secret_key_ends_the_sessions_signed_with_the_old_one(app, client, learner_elsewhere):
    """The session cookie's serializer is built once per key (lti.embedding.FramedSessionInterface), never kept
    past a change of key: an operator who replaces a leaked SECRET_KEY signs out every cookie signed with it."""
    assert client.get("/card").status_code == 200
    app.config["SECRET_KEY"] = "a-new-secret-key"
    response = client.get("/card")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
