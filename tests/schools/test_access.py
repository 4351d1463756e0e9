"""Who may open the school pages: the school's teachers and admins in scope; nobody else learns they exist."""

import pytest
from sqlalchemy import select

from civiclearn.extensions import db
from civiclearn.schools.models import Assignment, ClassMember
from tests.helpers import csrf_token, submit

STAFF_PAGES = ["/schools/{school}", "/classes/{class_id}", "/assignments/{assignment_id}"]
POSTS = ["/schools/{school}", "/classes/{class_id}", "/assignments/{assignment_id}",
         "/assignments/{assignment_id}/remove"]


@pytest.fixture
def places(app, make_class, teacher_client, school, sample) -> dict:
    """A class of the school with one assignment; the ids the pages are reached by."""
    school_class = make_class()
    submit(teacher_client, f"/classes/{school_class.id}", {"modules": [str(sample.modules[0].id)], "due_on": ""})
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    return {"school": school, "class_id": school_class.id, "assignment_id": assignment_id,
            "join_code": school_class.join_code}


@pytest.fixture
def visitor(request, app, client, make_staff, make_school, make_centre, make_learner, sign_in, staff_sign_in, school):
    """A browser signed in as the role named by the test's parameter."""
    role = request.param
    if role == "learner":
        sign_in(make_learner())
    elif role == "teacher elsewhere":
        staff_sign_in(make_staff("teacher", school_id=make_school("โรงเรียนอื่น", district="สันทราย")))
    elif role == "trainer":
        staff_sign_in(make_staff("trainer", centre_id=make_centre()))
    elif role == "admin elsewhere":
        staff_sign_in(make_staff("admin", province="ลำพูน"))
    elif role == "teacher of the school":
        staff_sign_in(make_staff("teacher", school_id=school))
    elif role in ("admin of the province", "admin of the district"):
        staff_sign_in(make_staff("admin", province="เชียงใหม่", district="แม่ริม" if "district" in role else None))
    return client


ALLOWED = ["teacher of the school", "admin of the province", "admin of the district"]
REFUSED = ["learner", "teacher elsewhere", "trainer", "admin elsewhere"]


@pytest.mark.parametrize("visitor", ALLOWED, indirect=True)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_the_schools_staff_open_its_pages(places, visitor, page):
    assert visitor.get(page.format(**places)).status_code == 200


@pytest.mark.parametrize("visitor", REFUSED, indirect=True)
@pytest.mark.parametrize("page", STAFF_PAGES + ["/schools/999999", "/classes/999999", "/assignments/99999999999"])
def test_everyone_else_gets_not_found(app, places, visitor, page):
    assert visitor.get(page.format(**places)).status_code == 404


@pytest.mark.parametrize("visitor", REFUSED, indirect=True)
@pytest.mark.parametrize("page", POSTS)
def test_everyone_else_changes_nothing(app, places, visitor, page):
    token = csrf_token(visitor.get("/courses").get_data(as_text=True))
    response = visitor.post(page.format(**places), data={"csrf_token": token, "name": "x", "grade": "x", "year": "2569",
                                                         "modules": "1", "due_on": ""})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Assignment.due_on)) is None and db.session.scalar(select(Assignment.id))


@pytest.mark.parametrize(("page", "sign_in"), [(page, "/staff/sign-in") for page in STAFF_PAGES] + [("/join", "/sign-in")])
def test_anonymous_visitors_are_sent_to_sign_in(places, client, page, sign_in):
    """Staff to the staff sign-in; a learner joining a class to the learners' sign-in."""
    response = client.get(page.format(**places))
    assert response.status_code == 302 and response.headers["Location"].startswith(f"{sign_in}?next=")


@pytest.mark.parametrize("visitor", ["learner", "trainer", "teacher elsewhere"], indirect=True)
def test_any_signed_in_person_may_join_a_class(app, places, visitor):
    assert submit(visitor, "/join", {"code": places["join_code"]}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(ClassMember.id)) is not None


def test_a_member_does_not_make_the_class_theirs(places, client, make_learner, sign_in):
    sign_in(make_learner())
    submit(client, "/join", {"code": places["join_code"]})
    assert client.get(f"/classes/{places['class_id']}").status_code == 404
