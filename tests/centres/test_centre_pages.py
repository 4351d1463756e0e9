"""A trainer's centre pages: cohorts, the learner list (search, pages), adding and correcting learners."""

import pytest
from sqlalchemy import select

from civiclearn.audit.models import AuditEvent
from civiclearn.extensions import db
from tests.accounts.test_accounts import field_error
from tests.helpers import submit, visible_text


@pytest.fixture
def trainer_at(make_centre, make_staff, staff_sign_in):
    """A signed-in trainer and their centre's id."""
    centre = make_centre()
    trainer = make_staff("trainer", centre_id=centre)
    staff_sign_in(trainer)
    return centre


def test_cohorts_are_added_once_with_checked_dates(client, trainer_at):
    url = f"/centres/{trainer_at}"
    assert submit(client, url, {"name": "รุ่นที่ 1/2570", "starts_on": "2026-12-01", "ends_on": "2027-01-31"},
                  action=f"{url}/cohorts").status_code == 303
    assert "รุ่นที่ 1/2570" in visible_text(client.get(url).get_data(as_text=True))
    again = submit(client, url, {"name": "รุ่นที่ 1/2570"}, action=f"{url}/cohorts")
    assert again.status_code == 400 and "ศูนย์นี้มีรุ่นชื่อนี้อยู่แล้ว" in field_error(again.get_data(as_text=True), "name")
    backwards = submit(client, url, {"name": "รุ่นที่ 2", "starts_on": "2027-02-01", "ends_on": "2027-01-01"},
                       action=f"{url}/cohorts").get_data(as_text=True)
    assert "วันสิ้นสุดอยู่ก่อนวันเริ่ม" in field_error(backwards, "ends_on")
    bad_date = submit(client, url, {"name": "รุ่นที่ 3", "starts_on": "next tuesday"}, action=f"{url}/cohorts")
    assert "กรุณาเลือกวันที่" in field_error(bad_date.get_data(as_text=True), "starts_on")


def test_the_learner_list_searches_and_pages(app, client, trainer_at, make_cohort, make_learner, enrol):
    cohort = make_cohort(trainer_at)
    learners = [make_learner(name=f"ผู้เรียนคนที่ {number:02d}") for number in range(30)]
    for learner in learners:
        enrol(learner.id, cohort)
    first = visible_text(client.get(f"/centres/{trainer_at}").get_data(as_text=True))
    assert "ผู้เรียน 30 คน" in first and "หน้า 1 จาก 2" in first and "ผู้เรียนคนที่ 24" in first
    second = visible_text(client.get(f"/centres/{trainer_at}?page=2").get_data(as_text=True))
    assert "ผู้เรียนคนที่ 25" in second and "ผู้เรียนคนที่ 24" not in second
    by_name = visible_text(client.get(f"/centres/{trainer_at}?q=คนที่ 07").get_data(as_text=True))
    assert "ผู้เรียน 1 คน" in by_name and "ผู้เรียนคนที่ 07" in by_name
    code = learners[3].code
    by_code = visible_text(client.get(f"/centres/{trainer_at}?q={code[:3].lower()}-{code[3:]}").get_data(as_text=True))
    assert "ผู้เรียนคนที่ 03" in by_code
    assert client.get(f"/centres/{trainer_at}?page=99").status_code == 200  # clamped to the last page


def test_a_learner_page_shows_details_and_corrections_are_audited(app, client, trainer_at, make_cohort, make_learner, enrol):
    learner = make_learner()
    enrol(learner.id, make_cohort(trainer_at))
    page = visible_text(client.get(f"/learners/{learner.id}").get_data(as_text=True))
    assert learner.name in page and "รุ่นที่ 1" in page
    response = submit(client, f"/learners/{learner.id}/edit", {"display_name": "ชื่อใหม่", "birth_year": "1960", "gender": "female"})
    assert response.status_code == 303
    assert "ชื่อใหม่" in visible_text(client.get(f"/learners/{learner.id}").get_data(as_text=True))
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == learner.id)).all()
        assert [(event.action, event.detail) for event in events] == [
            ("person.correct", {"changed": ["birth_year", "display_name", "gender"]})]


@pytest.mark.parametrize("who", ["trainer elsewhere", "learner", "anonymous"])
def test_only_the_centres_own_staff_get_in(app, make_centre, make_cohort, make_learner, enrol, make_staff, sign_in,
                                           staff_sign_in, who):
    centre = make_centre()
    learner = make_learner()
    enrol(learner.id, make_cohort(centre))
    client = app.test_client()
    if who == "trainer elsewhere":
        staff_sign_in(make_staff("trainer", centre_id=make_centre(name="ศูนย์อื่น")), on=client)
    elif who == "learner":
        sign_in(learner, on=client)
    for url in (f"/centres/{centre}", f"/centres/{centre}/learners/new", f"/learners/{learner.id}",
                f"/learners/{learner.id}/edit", f"/centres/{centre}/kiosk"):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in?next="), url
        else:
            assert response.status_code == 404, (who, url)
