"""Kiosk mode: the centre on the sign-in screen, Finish, idle sign-out, names to pick, retiring a kiosk."""

import re
import time

import pytest
from sqlalchemy import update

from civiclearn.centres.kiosk import COOKIE
from civiclearn.centres.models import Centre
from civiclearn.extensions import db
from tests.helpers import confirm_step, find_form, forms, say_yes, submit, visible_text

KIOSK_MARK = '<p class="eyebrow">เครื่องส่วนกลางของ'  # the sign-in screen names the kiosk's centre


@pytest.fixture
def kiosk_client(make_app, make_centre, make_staff, staff_sign_in):
    """A browser made a kiosk by its centre's trainer (idle "minutes" of one second, for testing)."""
    def make(**centre_fields):
        app = make_app(IDLE_MINUTE_SECONDS=1)
        centre = make_centre(**centre_fields)
        client = app.test_client()
        staff_sign_in(make_staff("trainer", centre_id=centre), on=client)
        response = submit(client, f"/centres/{centre}/kiosk", {"name": "เครื่องที่ 1"})
        assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
        return client, centre, app
    return make


def test_a_kiosk_shows_its_centre_and_finish_and_its_trainer_is_signed_out(kiosk_client, make_learner, sign_in):
    client, centre, _app = kiosk_client()
    assert client.get_cookie(COOKIE) is not None
    page = visible_text(client.get("/sign-in").get_data(as_text=True))
    assert "เครื่องส่วนกลางของศูนย์ดิจิทัลชุมชนบ้านทดสอบ" in page
    assert client.get("/staff").status_code == 302  # the trainer was signed out
    sign_in(make_learner(), on=client)
    home = client.get("/").get_data(as_text=True)
    assert "เสร็จแล้ว" in visible_text(home) and 'data-idle-seconds="5"' in home and "kiosk.js" in home


def test_an_idle_kiosk_session_ends_at_the_next_request_even_without_javascript(kiosk_client, make_learner, sign_in):
    client, centre, app = kiosk_client()
    with app.app_context():
        db.session.execute(update(Centre).where(Centre.id == centre).values(idle_minutes=1))
        db.session.commit()
    sign_in(make_learner(), on=client)
    assert client.get("/card").status_code == 200
    time.sleep(1.2)
    response = client.get("/card")
    assert response.status_code == 303 and response.headers["Location"].startswith("/sign-in")


def test_a_tampered_or_retired_kiosk_cookie_counts_for_nothing(kiosk_client, make_staff, staff_sign_in):
    client, centre, _app = kiosk_client()
    cookie = client.get_cookie(COOKIE).value
    assert KIOSK_MARK in client.get("/sign-in").get_data(as_text=True)
    client.set_cookie(COOKIE, cookie[:-2] + "xx")
    assert KIOSK_MARK not in client.get("/sign-in").get_data(as_text=True)
    client.set_cookie(COOKIE, cookie)
    staff_sign_in(make_staff("trainer", centre_id=centre), on=client)
    asked = retire(client, centre)
    assert say_yes(client, asked, STOP_QUESTION, STOP_YES, f"/centres/{centre}/kiosk").status_code == 303
    assert client.get_cookie(COOKIE) is None
    client.set_cookie(COOKIE, cookie)  # an old copy of the cookie
    assert KIOSK_MARK not in client.get("/sign-in").get_data(as_text=True)


STOP_QUESTION, STOP_YES = "ให้ เครื่องที่ 1 เลิกเป็นเครื่องส่วนกลางใช่ไหม", "ใช่ เลิกเป็นเครื่องส่วนกลาง"


def retire(client, centre: int):
    """Press "Stop being a kiosk" on the centre's kiosk page (its only kiosk)."""
    page = client.get(f"/centres/{centre}/kiosk").get_data(as_text=True)
    [action] = [form["action"] for form in forms(page) if form["action"].endswith("/retire")]
    return submit(client, f"/centres/{centre}/kiosk", {}, action=action)


def test_stopping_a_kiosk_asks_first_and_only_yes_stops_it(kiosk_client, make_staff, staff_sign_in):
    kiosk, centre, app = kiosk_client()
    trainer = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=centre), on=trainer)
    asked = retire(trainer, centre)
    confirm_step(asked, STOP_QUESTION, STOP_YES, f"/centres/{centre}/kiosk")
    assert "หน้าเข้าสู่ระบบของเครื่องนั้นจะไม่แสดงศูนย์นี้อีก" in visible_text(asked.get_data(as_text=True))
    assert KIOSK_MARK in kiosk.get("/sign-in").get_data(as_text=True)  # not asked yet: still a kiosk
    language = find_form(asked.get_data(as_text=True), form_id="language-form")["action"]
    assert language == f"/language?next=/centres/{centre}/kiosk"  # a switch returns to where it was started
    done = say_yes(trainer, asked, STOP_QUESTION, STOP_YES, f"/centres/{centre}/kiosk")
    assert done.status_code == 303 and done.headers["Location"] == f"/centres/{centre}/kiosk"
    assert "เครื่อง เครื่องที่ 1 เลิกเป็นเครื่องส่วนกลางแล้ว" in visible_text(
        trainer.get(done.headers["Location"]).get_data(as_text=True))
    assert KIOSK_MARK not in kiosk.get("/sign-in").get_data(as_text=True)


def test_learners_can_pick_their_name_where_the_centre_allows_it(kiosk_client, make_learner, make_cohort, enrol):
    client, centre, _app = kiosk_client(sign_in_by_name=True)
    cohort = make_cohort(centre)
    learner, stranger = make_learner(name="ป้าสมศรี"), make_learner(name="คนอื่น")
    enrol(learner.id, cohort)
    assert "หาชื่อของฉันแทน" in visible_text(client.get("/sign-in").get_data(as_text=True))
    names = visible_text(client.get(f"/kiosk/names?cohort={cohort}").get_data(as_text=True))
    assert "ป้าสมศรี" in names and "คนอื่น" not in names
    assert client.get(f"/kiosk/names/{stranger.id}").status_code == 404  # not of this centre
    wrong = submit(client, f"/kiosk/names/{learner.id}", {"pin": "000000"})
    assert "รหัส PIN ไม่ถูกต้อง" in visible_text(wrong.get_data(as_text=True))
    assert submit(client, f"/kiosk/names/{learner.id}", {"pin": learner.pin}).headers["Location"] == "/"


def test_names_are_not_listed_where_the_centre_does_not_allow_it(kiosk_client, make_learner, make_cohort, enrol, app):
    client, centre, _app = kiosk_client()
    assert client.get("/kiosk/names").status_code == 404
    assert app.test_client().get("/kiosk/names").status_code == 404  # nor on a browser that is no kiosk


def test_after_an_idle_finish_the_next_learner_starts_fresh_with_the_code_field_ready(kiosk_client, make_learner,
                                                                                      sign_in, sample):
    """Nothing of the last learner in the address (their page would be the next learner's "not found"), and the
    code field has the focus, so a card scanner types into it."""
    client, _centre, _app = kiosk_client()
    sign_in(make_learner(), on=client)
    assert client.get("/card").status_code == 200
    time.sleep(5.5)  # the kiosk's idle time (5 "minutes" of a second)
    response = client.get("/card")
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
    page = client.get("/sign-in").get_data(as_text=True)
    assert re.search(r'<input[^>]*autofocus[^>]*id="code"|<input[^>]*id="code"[^>]*autofocus', page)


def test_elsewhere_a_signed_out_learner_comes_back_to_their_page(app, client, learner, sample):
    with app.app_context():
        from civiclearn.accounts.models import User
        from civiclearn.accounts.sessions import end_all_sessions
        end_all_sessions(db.session.get(User, learner.id))
        db.session.commit()
    response = client.get("/card")
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in?next=/card"
