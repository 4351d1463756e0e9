"""The class list from the LMS (Names and Role Provisioning Services), read from the real platform's service:
new learners join, instructors teach, those who left are marked and kept."""

import pytest
from sqlalchemy import select

from civiclearn.extensions import db
from civiclearn.lti.models import LtiContext
from civiclearn.schools.models import ClassMember
from tests.helpers import csrf_token, visible_text
from tests.lti.platform import INSTRUCTOR, LEARNER


@pytest.fixture
def teacher(app, client, lms, registered, launch):
    """The LMS course's teacher, launched (so the class exists) and on its page; the LMS knows our keys."""
    lms.tool_keys = client.get("/lti/jwks").get_json()
    lms.next.roles, lms.next.subject, lms.next.name = [INSTRUCTOR], "lms-teacher-1", "ครูสมชาย"
    return launch().landing.headers["Location"]


def sync(client, class_page: str):
    token = csrf_token(client.get(class_page).get_data(as_text=True))
    answer = client.post(f"/lti/{class_page.strip('/')}/roster", data={"csrf_token": token})
    assert answer.status_code == 303
    return visible_text(client.get(answer.headers["Location"]).get_data(as_text=True))


def test_the_teacher_brings_the_class_list_in_and_those_who_left_are_marked(app, client, lms, teacher, launch):
    lms.next.roles, lms.next.subject, lms.next.name = [LEARNER], "lms-user-1", "สมศรี ใจดี"
    launch(on=app.test_client())  # one learner came in by a launch already
    lms.members = [{"user_id": "lms-user-1", "roles": [LEARNER], "name": "สมศรี ใจดี"},
                   {"user_id": "lms-user-2", "roles": [LEARNER], "name": "มานะ ขยัน"},
                   {"user_id": "lms-teacher-2", "roles": [INSTRUCTOR], "name": "ครูวิไล"}]
    page = sync(client, teacher)
    assert "1 คนเข้าห้อง 0 คนออก 1 คนยังอยู่ในรายวิชา" in page
    assert "มานะ ขยัน" in page and "สมศรี ใจดี" in page

    lms.members = [{"user_id": "lms-user-2", "roles": [LEARNER], "name": "มานะ ขยัน"},
                   {"user_id": "lms-user-3", "roles": [LEARNER], "name": "ปิติ", "status": "Inactive"}]
    page = sync(client, teacher)
    assert "สมศรี ใจดี (ออกจากรายวิชาใน LMS แล้ว)" in page  # kept, marked
    assert "ปิติ" not in page  # inactive in the LMS: not brought in
    with app.app_context():
        rows = db.session.execute(select(ClassMember.person_id, ClassMember.left_at)).all()
        assert len(rows) == 2 and sum(left is not None for _person, left in rows) == 1


def test_a_learner_who_comes_back_is_in_the_class_again(app, client, lms, teacher, launch):
    lms.next.roles, lms.next.subject = [LEARNER], "lms-user-1"
    learner = app.test_client()
    launch(on=learner)
    lms.members = []
    sync(client, teacher)
    launch(on=learner)
    with app.app_context():
        assert db.session.scalar(select(ClassMember.left_at)) is None


def test_an_lms_course_without_a_class_list_says_so(app, client, lms, registered, launch):
    lms.next.roles, lms.next.subject, lms.next.roster = [INSTRUCTOR], "lms-teacher-1", False
    class_page = launch().landing.headers["Location"]
    page = client.get(class_page).get_data(as_text=True)
    assert "lms-course" in page and "/roster" not in page
    text = sync(client, class_page)
    assert "LMS" in text and "ไม่ได้ให้รายชื่อ" in text
    with app.app_context():
        assert db.session.scalar(select(LtiContext.roster_synced_at)) is None
