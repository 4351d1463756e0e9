"""PDPA: a learner (or their trainer) sees, downloads, corrects and deletes their data; counts stay."""

import json

from sqlalchemy import func, select

from civiclearn.accounts.models import User
from civiclearn.audit.models import AuditEvent
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress, QuizAttempt
from tests.helpers import confirm_step, csrf_token, finish_module, say_yes, submit, visible_text


def test_a_learner_sees_and_downloads_all_their_data(client, learner, sample):
    finish_module(client, sample.modules[0])
    page = visible_text(client.get("/me/data").get_data(as_text=True))
    assert learner.name in page and "เปิดบทเรียน 3 บท เรียนจบ 3 บท ทำแบบทดสอบ 1 ครั้ง" in page
    download = client.get("/me/data.json")
    assert "attachment" in download.headers["Content-Disposition"] and download.headers["Cache-Control"] == "no-store"
    data = json.loads(download.data)
    assert data["person"]["name"] == learner.name and data["person"]["learner_code"] == learner.code
    assert len(data["lessons"]) == 3 and data["quiz_attempts"][0]["score"] == 100
    assert "pin" not in json.dumps(data["person"]).replace("has_pin", "")


def test_a_learner_corrects_their_details(app, client, learner):
    response = submit(client, "/me/details", {"display_name": "ชื่อที่ถูก", "birth_year": "2510", "gender": "female"})
    assert response.status_code == 303
    with app.app_context():
        person = db.session.get(User, learner.id)
        assert (person.display_name, person.birth_year, person.gender) == ("ชื่อที่ถูก", 1967, "female")


def test_deleting_removes_the_person_keeps_the_counts_and_signs_out(app, client, learner, sample):
    finish_module(client, sample.modules[0])
    confirm_step(client.get("/me/delete"), "ลบข้อมูลทั้งหมดของคุณใช่ไหม", "ใช่ ลบทั้งหมด", "/me/data")
    # a POST that did not come through the confirm page (an old form, a crafted one) only asks
    token = csrf_token(client.get("/me/data").get_data(as_text=True))
    asked = client.post("/me/delete", data={"csrf_token": token})
    confirm_step(asked, "ลบข้อมูลทั้งหมดของคุณใช่ไหม", "ใช่ ลบทั้งหมด", "/me/data")
    with app.app_context():
        assert db.session.get(User, learner.id).anonymised_at is None
    assert client.get("/card").status_code == 200
    response = say_yes(client, asked, "ลบข้อมูลทั้งหมดของคุณใช่ไหม", "ใช่ ลบทั้งหมด", "/me/data")
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
    with app.app_context():
        person = db.session.get(User, learner.id)
        assert person.anonymised_at and person.display_name == ""
        assert person.learner_code is None and person.pin_hash is None
        assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 3
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1
    assert client.get("/card").status_code == 302  # signed out for good
    assert submit(client, "/sign-in", {"code": learner.code, "pin": learner.pin}).status_code == 200


def test_a_trainer_sees_exports_and_deletes_for_a_learner_and_it_is_audited(
        app, client, make_learner, make_centre, make_cohort, enrol, make_staff, staff_sign_in, english):
    centre = make_centre()
    learner = make_learner()
    enrol(learner.id, make_cohort(centre))
    trainer = make_staff("trainer", centre_id=centre)
    staff_sign_in(trainer)
    assert learner.name in visible_text(client.get(f"/learners/{learner.id}/data").get_data(as_text=True))
    assert json.loads(client.get(f"/learners/{learner.id}/data.json").data)["person"]["name"] == learner.name
    question, back = f"Delete all the data of {learner.name}?", f"/learners/{learner.id}/data"
    asked = client.post(f"/learners/{learner.id}/delete",
                        data={"csrf_token": csrf_token(client.get("/staff").get_data(as_text=True))})
    confirm_step(asked, question, "Yes, delete it all", back)
    assert "cannot be brought back" in visible_text(asked.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(User, learner.id).anonymised_at is None
    done = say_yes(client, asked, question, "Yes, delete it all", back)
    assert done.status_code == 303 and done.headers["Location"] == "/staff"
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == trainer.id)
                                     .order_by(AuditEvent.id)).all()
        assert actions == ["data.export", "data.export", "person.delete"]


def test_nobody_else_sees_a_learners_data(app, make_learner, make_centre, make_cohort, enrol, make_staff, sign_in,
                                           staff_sign_in):
    centre = make_centre()
    learner, other = make_learner(), make_learner(name="อีกคน")
    enrol(learner.id, make_cohort(centre))
    for who in ("other learner", "trainer elsewhere"):
        client = app.test_client()
        if who == "other learner":
            sign_in(other, on=client)
        else:
            staff_sign_in(make_staff("trainer", centre_id=make_centre(name="ที่อื่น")), on=client)
        for url in (f"/learners/{learner.id}/data", f"/learners/{learner.id}/data.json",
                    f"/learners/{learner.id}/delete"):
            assert client.get(url).status_code == 404, (who, url)
