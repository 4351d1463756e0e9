"""The pages of certificates and reports in a real browser on a phone, in Thai and in English: each passes an axe
scan (WCAG 2.2 A/AA) and does not scroll sideways."""

from datetime import date

import pytest

from civiclearn.certificates import services as certificates
from civiclearn.civic.models import CivicAction
from civiclearn.extensions import db
from civiclearn.schools.models import Assignment, ClassMember, SchoolClass
from tests.helpers import record_finished
from tests.reports.test_dashboard import add_people

STAFF_PAGES = ("/centres/{centre}/courses/getting-started/how-it-works/quiz", "/centres/{centre}/leaders",
               "/cohorts/{cohort}/certificates", "/classes/{class_}/report", "/learners/{learner}",
               "/staff/feedback", "/overview", "/centres/{centre}/actions", "/admin/badges",
               "/staff/themes?source=actions", "/open-data", "/credentials/check")


@pytest.fixture
def world(app, sample, make_centre, make_cohort, make_school):
    """A centre whose learner finished the sample course (and holds its certificate) and logged a civic action, in a
    class with an assignment, at a school."""
    centre = make_centre()
    cohort = make_cohort(centre)
    [learner] = add_people(app, cohort, ["กมล ใจดี"])
    record_finished(app, learner, sample.modules)
    school = make_school()
    with app.test_request_context():
        from civiclearn.accounts.models import User
        held = certificates.issue_if_course_complete(db.session.get(User, learner), sample)
        found = SchoolClass(school_id=school, name="ม.2/1", grade="ม.2", year=2569, join_code="KEM347")
        db.session.add(found)
        db.session.flush()
        db.session.add_all([ClassMember(class_id=found.id, person_id=learner),
                            Assignment(class_id=found.id, module_id=sample.modules[0].id),
                            CivicAction(person_id=learner, token="pages", kind="joined_forum_or_hearing",
                                        channel="in_person", done_on=date(2026, 3, 2), note="ประชาคมหมู่บ้าน")])
        db.session.commit()
        return {"centre": centre, "cohort": cohort, "learner": learner, "class_": found.id, "school": school,
                "code": held.code}


def sign_in(page, staff) -> None:
    page.goto("/staff/sign-in")
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(staff.username)
    page.get_by_label("รหัสผ่าน").fill(staff.password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_staff_report_and_certificate_pages_are_accessible_in_both_languages(page, world, make_staff,
                                                                            assert_accessible):
    admin = make_staff("admin")
    sign_in(page, admin)
    for language in ("th", "en"):
        if language == "en":
            page.get_by_role("button", name="English").click()
        for address in STAFF_PAGES:
            page.goto(address.format(**world))
            assert page.locator("h1").count() == 1, address
            assert_accessible(page)

