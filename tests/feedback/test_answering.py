"""Staff read what their learners said about a module and answer; the learner finds the answer on the module
page. Who sees which feedback follows who may see the learner; course owners see all of it."""

import csv
import io

import pytest
from sqlalchemy import select

from civiclearn.audit.models import AuditEvent
from civiclearn.extensions import db
from tests.feedback.conftest import MODULE, STAFF_PAGE, answer, give, in_english, rows
from tests.helpers import csrf_token, visible_text
from tests.reports.test_dashboard import today_as_written


def audit_events(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback.answer")
                                  .order_by(AuditEvent.id)).all()


def test_the_trainer_of_the_centre_sees_the_feedback_and_answers_it(app, client, started, trainer_client):
    give(client, rating="4", comment="อยากให้มีวิดีโอ")
    [feedback] = rows(app)
    page = visible_text(trainer_client.get(STAFF_PAGE).get_data(as_text=True))
    assert "สมใจ ทดสอบ" in page and "อยากให้มีวิดีโอ" in page and "ไทย" in page
    assert "Average rating 4.0 of 5, from 1 learner." in page
    assert f'href="/learners/{started.id}"' in trainer_client.get(STAFF_PAGE).get_data(as_text=True)
    overview = visible_text(trainer_client.get("/staff/feedback").get_data(as_text=True))
    assert "Module 1: " in overview and "4.0 of 5" in overview

    response = answer(trainer_client, feedback.id, "เราจะเพิ่มวิดีโอในเดือนหน้า")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{STAFF_PAGE}#feedback-{feedback.id}"
    with trainer_client.get(f"{STAFF_PAGE}.csv") as exported:
        table = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert [row[1:5] for row in table[1:]] == [["สมใจ ทดสอบ", "4", "อยากให้มีวิดีโอ", "เราจะเพิ่มวิดีโอในเดือนหน้า"]]
    assert table[1][0] == table[1][5] == today_as_written("en")  # written and answered today, dates as on the page
    [answered] = rows(app)
    assert answered.reply == "เราจะเพิ่มวิดีโอในเดือนหน้า" and answered.replied_at is not None
    [event] = audit_events(app)
    assert (event.subject_type, event.subject_id, event.actor_id) == ("person", started.id, answered.replied_by_id)
    assert event.detail == {"feedback": feedback.id, "module": feedback.module_id, "edited": False}

    assert answer(trainer_client, feedback.id, "เพิ่มวิดีโอแล้ว").status_code == 303  # changing the answer
    assert rows(app)[0].reply == "เพิ่มวิดีโอแล้ว"
    assert [event.detail["edited"] for event in audit_events(app)] == [False, True]


def test_the_learner_sees_the_answer_on_the_module_page(app, client, started, trainer_client):
    give(client, rating="2", comment="ยากไปหน่อย")
    answer(trainer_client, rows(app)[0].id, "ลองดูบทเรียนแรกอีกครั้ง แล้วถามครูที่ศูนย์ได้เลย")
    in_english(client)
    page = visible_text(client.get(MODULE).get_data(as_text=True))
    assert "You said: 2 of 5 · “ยากไปหน่อย”" in page
    assert "Our answer: ลองดูบทเรียนแรกอีกครั้ง แล้วถามครูที่ศูนย์ได้เลย (a trainer of Test Village Digital Centre," in page


def test_answers_are_checked_and_a_refused_one_changes_nothing(app, client, started, trainer_client):
    give(client, rating="5")
    feedback_id = rows(app)[0].id
    for reply, message in (("   ", "Write your answer."), ("ก" * 2001, "Use at most 2000 characters.")):
        response = answer(trainer_client, feedback_id, reply)
        assert response.status_code == 400
        assert message in visible_text(response.get_data(as_text=True))
    assert rows(app)[0].reply == ""
    assert audit_events(app) == []


def test_a_trainer_of_another_centre_sees_nothing_and_cannot_answer(app, client, started, make_centre, make_staff,
                                                                     staff_sign_in):
    give(client, rating="1", comment="ไม่ชอบเลย")
    feedback_id = rows(app)[0].id
    other = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=make_centre("ศูนย์อื่น", district="สันทราย")), on=other)
    in_english(other)
    page = visible_text(other.get(STAFF_PAGE).get_data(as_text=True))
    assert "ไม่ชอบเลย" not in page and "สมใจ" not in page
    assert "None of your learners has rated this module yet." in page
    assert "1.0 of 5" not in visible_text(other.get("/staff/feedback").get_data(as_text=True))
    with other.get(f"{STAFF_PAGE}.csv") as exported:
        assert "ไม่ชอบเลย" not in exported.data.decode("utf-8-sig")  # nor in its download
    token = csrf_token(other.get(STAFF_PAGE).get_data(as_text=True))
    response = other.post(f"{STAFF_PAGE}/{feedback_id}/answer", data={"csrf_token": token,
                                                                     f"answer-{feedback_id}-reply": "ขอบคุณ"})
    assert response.status_code == 404
    assert rows(app)[0].reply == ""
    assert audit_events(app) == []


@pytest.mark.parametrize(("role", "scope", "sees"), [
    ("teacher", "school", {"in class"}),
    ("admin", {"province": "เชียงใหม่"}, {"at centre", "in class"}),
    ("admin", {"province": "ลำพูน"}, set()),
    ("admin", {}, {"at centre", "in class", "on their own"}),  # an admin of everything owns the courses
])
def test_who_sees_which_feedback(app, sample, make_learner, sign_in, start, make_centre, make_cohort, enrol,
                                 make_school, make_staff, staff_sign_in, role, scope, sees):
    """The list and the answer form follow the same rule: what is listed can be answered, nothing else."""
    from civiclearn.schools.models import ClassMember, SchoolClass
    learners = {name: make_learner(name) for name in ("at centre", "in class", "on their own")}
    enrol(learners["at centre"].id, make_cohort(make_centre()))
    school = make_school()
    with app.app_context():
        school_class = SchoolClass(school_id=school, name="ม.2/1", grade="ม.2", year=2569, join_code="KEM347")
        db.session.add(school_class)
        db.session.flush()
        db.session.add(ClassMember(class_id=school_class.id, person_id=learners["in class"].id))
        db.session.commit()
    for person in learners.values():
        browser = app.test_client()
        sign_in(person, on=browser)
        start(on=browser)
        give(browser, rating="3", comment=f"comment of {person.name}")
    staff = app.test_client()
    staff_sign_in(make_staff(role, **({"school_id": school} if scope == "school" else scope)), on=staff)
    page = visible_text(staff.get(STAFF_PAGE).get_data(as_text=True))
    assert {name for name in learners if f"comment of {name}" in page} == sees
    by_writer = {feedback.person_id: feedback.id for feedback in rows(app)}
    token = csrf_token(staff.get(STAFF_PAGE).get_data(as_text=True))
    answerable = {name for name, person in learners.items()
                  if staff.post(f"{STAFF_PAGE}/{by_writer[person.id]}/answer",
                                data={"csrf_token": token}).status_code == 400}  # empty: allowed, but refused
    assert answerable == sees


def test_a_learner_of_no_centre_is_listed_for_the_course_owner_without_a_link(app, client, learner, start,
                                                                              make_staff, staff_sign_in):
    start()
    give(client, rating="4")
    owner = app.test_client()
    staff_sign_in(make_staff("admin"), on=owner)
    html = owner.get(STAFF_PAGE).get_data(as_text=True)
    assert learner.name in visible_text(html)
    assert f'href="/learners/{learner.id}"' not in html  # their learner page is no staff member's to see


def test_the_staff_home_links_to_the_feedback(trainer_client):
    assert 'href="/staff/feedback"' in trainer_client.get("/staff").get_data(as_text=True)
