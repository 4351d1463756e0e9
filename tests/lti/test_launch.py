"""Launches from a real LTI 1.3 platform (tests/lti/platform.py): who arrives where, and as whom."""

from sqlalchemy import select

from civiclearn.accounts.models import ExternalIdentity, RoleAssignment, User
from civiclearn.extensions import db
from civiclearn.lti.models import LtiContext, LtiResourceLink
from civiclearn.schools.models import Assignment, ClassMember, SchoolClass
from tests.lti.platform import INSTRUCTOR


def module_target(app, module) -> str:
    return f"{app.config['PUBLIC_URL']}/courses/{module.course.key}/{module.key}"


def test_a_learner_lands_in_the_module_signed_in_with_no_pin_or_email(app, lms, registered, launch, sample):
    module = sample.modules[1]
    lms.next.target = module_target(app, module)
    launched = launch()
    assert launched.launch.status_code == 303, launched.launch.get_data(as_text=True)
    assert launched.landing.status_code == 303
    assert launched.landing.headers["Location"] == f"/courses/{module.course.key}/{module.key}"
    with app.app_context():
        identity = db.session.scalar(select(ExternalIdentity))
        assert (identity.issuer, identity.subject) == (lms.base, "lms-user-1")
        person = db.session.get(User, identity.person_id)
        assert person.display_name == "สมศรี ใจดี"
        assert (person.pin_hash, person.password_hash, person.email, person.learner_code) == (None, None, None, None)
        context = db.session.scalar(select(LtiContext))
        school_class = db.session.get(SchoolClass, context.class_id)
        assert school_class.name == "ม.2/1 พลเมืองดิจิทัล"
        members = db.session.scalars(select(ClassMember.person_id).where(ClassMember.class_id == school_class.id))
        assert list(members) == [person.id]
        assigned = db.session.scalars(select(Assignment.module_id).where(Assignment.class_id == school_class.id))
        assert list(assigned) == [module.id]
        link = db.session.scalar(select(LtiResourceLink))
        assert (link.resource_link_id, link.module_id) == ("link-1", module.id)
    cookie = launched.launch.headers["Set-Cookie"]
    assert "SameSite=None" in cookie and "Secure" in cookie and "Partitioned" in cookie


def test_the_learner_then_works_in_the_module_as_any_signed_in_learner(app, lms, registered, launch, client, sample):
    module = sample.modules[0]
    lms.next.target = module_target(app, module)
    launch()
    page = client.get(f"/courses/{module.course.key}/{module.key}/{module.lessons[0].key}")
    assert page.status_code == 200
    assert "สมศรี ใจดี" in page.get_data(as_text=True)


def test_a_second_launch_finds_the_same_person_and_follows_the_lms_name(app, lms, registered, launch, make_app):
    launch()
    lms.next.name = "สมศรี ใจงาม"
    lms.next.resource_link_id = "link-2"
    launched = launch(on=app.test_client())
    assert launched.launch.status_code == 303
    with app.app_context():
        people = db.session.scalars(select(User)).all()
        assert [person.display_name for person in people] == ["สมศรี ใจงาม"]
        assert db.session.scalar(select(db.func.count(SchoolClass.id))) == 1


def test_an_instructor_teaches_that_class_only_and_lands_on_it(app, lms, registered, launch, client, sample):
    lms.next.roles = [INSTRUCTOR]
    lms.next.subject = "lms-teacher-1"
    lms.next.target = module_target(app, sample.modules[0])
    launched = launch()
    with app.app_context():
        school_class = db.session.scalar(select(SchoolClass))
        role = db.session.scalar(select(RoleAssignment))
        assert (role.role, role.class_id, role.scope) == ("teacher", school_class.id, f"class:{school_class.id}")
        assert db.session.scalar(select(db.func.count(ClassMember.id))) == 0
        other = SchoolClass(school_id=school_class.school_id, name="ม.3/1", grade="ม.3", year=2569, join_code="KQ3TWZ")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    assert launched.landing.headers["Location"] == f"/classes/{school_class.id}"
    assert client.get(f"/classes/{school_class.id}").status_code == 200
    assert client.get(f"/classes/{other_id}").status_code == 404  # the school's other classes are not theirs


def test_a_role_we_do_not_know_is_a_learner(app, lms, registered, launch, sample):
    lms.next.roles = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor", "urn:example:role:Unheard-of"]
    lms.next.target = module_target(app, sample.modules[0])
    launched = launch()
    assert launched.landing.headers["Location"] == f"/courses/{sample.key}/{sample.modules[0].key}"
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ClassMember.id))) == 1
        assert db.session.scalar(select(db.func.count(RoleAssignment.id))) == 0


def test_the_lms_language_is_the_page_language(app, lms, registered, launch, client, sample):
    lms.next.locale = "en-US"
    lms.next.target = module_target(app, sample.modules[0])
    launch()
    page = client.get(f"/courses/{sample.key}/{sample.modules[0].key}").get_data(as_text=True)
    assert '<html lang="en">' in page


def test_launched_pages_may_be_framed_by_that_lms_only(app, lms, registered, launch, client, sample):
    lms.next.target = module_target(app, sample.modules[0])
    launch()
    policy = client.get(f"/courses/{sample.key}/{sample.modules[0].key}").headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {lms.base}" in policy
    elsewhere = app.test_client().get("/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self';" in elsewhere + ";" and lms.base not in elsewhere


def test_when_the_frame_refuses_the_cookie_a_new_window_takes_over_once(app, lms, registered, launch, sample):
    lms.next.target = module_target(app, sample.modules[0])
    launched = launch(land=False)
    arrive = launched.launch.headers["Location"]
    no_cookies = app.test_client()  # the frame's browser that kept nothing
    page = no_cookies.get(arrive)
    assert page.status_code == 200
    window_url = page.get_data(as_text=True).split('href="/lti/window/')[1].split('"')[0]
    window = app.test_client()
    taken = window.get(f"/lti/window/{window_url}")
    assert taken.status_code == 303 and taken.headers["Location"] == f"/courses/{sample.key}/{sample.modules[0].key}"
    assert "สมศรี ใจดี" in window.get(taken.headers["Location"]).get_data(as_text=True)
    assert app.test_client().get(f"/lti/window/{window_url}").status_code == 400  # once only


def test_an_lms_teacher_has_the_class_report_certificates_and_assignments_of_our_teachers(
        app, lms, registered, launch, client, sample):
    lms.next.target = module_target(app, sample.modules[0])
    launch(on=app.test_client())  # a learner first: the class has a member
    lms.next.roles, lms.next.subject, lms.next.name = [INSTRUCTOR], "lms-teacher-1", "ครูสมชาย"
    class_page = launch().landing.headers["Location"]
    report = client.get(f"{class_page}/report")
    assert report.status_code == 200 and "สมศรี ใจดี" in report.get_data(as_text=True)
    assert client.get(f"{class_page}/report.pdf").status_code == 200
    assert client.get(f"{class_page}/certificates").status_code == 200
    page = client.get(class_page).get_data(as_text=True)
    assert sample.modules[0].title.th in page  # the activity's module, assigned to the class
