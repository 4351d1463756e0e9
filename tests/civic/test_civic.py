"""Civic actions: a learner logs what they did for real, changes and deletes it, is asked once what happened 30
days on; a leader logs for a person they helped, with that person's consent; nobody else sees them; the privacy
page, download and deletion include them."""

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from civiclearn.audit.models import AuditEvent
from civiclearn.civic.models import CivicAction
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.leaders import services as leaders
from civiclearn.leaders.models import Mentee
from tests.helpers import csrf_token, record_finished, say_yes, visible_text

GOOD = {"kind": "reported_problem", "channel": "traffy_fondue", "done_on": "2026-03-02",
        "case_number": "2569-ABCD12", "note": "ไฟถนนหน้าวัดดับ"}


def form_of(client, page: str) -> dict:
    """The CSRF token and the one-time form token of the page's form."""
    html = client.get(page).get_data(as_text=True)
    return {"csrf_token": csrf_token(html), "token": re.search(r'name="token" type="hidden" value="([^"]+)"',
                                                                html)[1]}


def log(client, page: str = "/me/actions/new", **fields):
    return client.post(page, data={**form_of(client, page), **GOOD, **fields})


def actions(app, **where) -> list[CivicAction]:
    with app.app_context():
        return db.session.scalars(select(CivicAction).filter_by(**where).order_by(CivicAction.id)).all()


def in_language(client, language: str) -> None:
    with client.session_transaction() as session:
        session["lang"] = language


def test_a_learner_logs_an_action_from_a_civic_module_and_sees_it_in_their_list(app, client, learner, sample):
    response = log(client, "/me/actions/new?module=getting-started/take-part")
    assert response.status_code == 303 and response.headers["Location"].endswith("/me/actions")
    [action] = actions(app, person_id=learner.id)
    assert (action.kind, action.channel, action.done_on, action.case_number, action.note, action.logged_by_id) == (
        "reported_problem", "traffy_fondue", date(2026, 3, 2), "2569-ABCD12", "ไฟถนนหน้าวัดดับ", None)
    assert action.module_id == sample.module("take-part").id
    listed = client.get("/me/actions")
    assert listed.headers["Cache-Control"] == "no-store"
    page = visible_text(listed.get_data(as_text=True))
    assert "ฉันแจ้งปัญหา" in page and "ทราฟฟี่ ฟองดูว์" in page and "2 มี.ค. 2569" in page and "2569-ABCD12" in page


def test_the_home_page_and_a_civic_modules_done_page_offer_logging(client, learner, sample):
    assert 'href="/me/actions/new"' in client.get("/").get_data(as_text=True)
    with client.application.test_request_context():
        from civiclearn.civic.views import civic_offer
        assert civic_offer(sample.module("take-part")) == "/me/actions/new?module=getting-started/take-part"
        assert civic_offer(sample.module("how-it-works")) is None


def test_the_same_form_sent_twice_is_one_action(app, client, learner):
    fields = {**form_of(client, "/me/actions/new"), **GOOD}
    assert [client.post("/me/actions/new", data=fields).status_code for _ in range(2)] == [303, 303]
    assert len(actions(app, person_id=learner.id)) == 1


def test_a_buddhist_era_day_typed_as_thai_people_write_it_is_kept(app, client, learner):
    assert log(client, done_on="๒/๓/๒๕๖๙").status_code == 303
    assert [action.done_on for action in actions(app, person_id=learner.id)] == [date(2026, 3, 2)]


@pytest.mark.parametrize(("fields", "thai", "english"), [
    ({"done_on": "tomorrow"}, "วันที่ต้องไม่เกินวันนี้", "The day cannot be after today."),
    ({"done_on": "2019-12-31"}, "เลือกวันตั้งแต่ปี 2563", "Choose a day from 2020 (2563) on."),
    ({"done_on": "31/02/2569"}, "หรือพิมพ์แบบ วัน/เดือน/ปี", "type it as day/month/year"),
    ({"case_number": "<script>"}, "พิมพ์เลขตามที่ได้รับ", "Write the number as it was given"),
    ({"case_number": "1" * 31}, "ใช้ได้ไม่เกิน 30 ตัวอักษร", "Use at most 30 characters."),
    ({"note": "ก" * 281}, "ใช้ได้ไม่เกิน 280 ตัวอักษร", "Use at most 280 characters."),
    ({"kind": "bribed_someone"}, "เลือกสิ่งที่คุณทำ", "Choose what you did."),
    ({"channel": "pigeon"}, "เลือกว่าคุณทำผ่านช่องทางใด", "Choose how you did it."),
])
def test_bad_input_is_refused_in_the_learners_language_and_nothing_is_written(app, client, learner, fields, thai,
                                                                              english):
    if fields.get("done_on") == "tomorrow":  # in Thailand
        with app.app_context():
            fields = {"done_on": (leaders.today() + timedelta(days=1)).isoformat()}
    for language, message in (("th", thai), ("en", english)):
        in_language(client, language)
        response = log(client, **fields)
        assert response.status_code == 400
        assert message in visible_text(response.get_data(as_text=True))
    assert actions(app, person_id=learner.id) == []


def test_the_learner_changes_and_deletes_their_action_after_confirming(app, client, learner):
    log(client)
    [action] = actions(app, person_id=learner.id)
    page = f"/me/actions/{action.id}"
    response = client.post(page, data={**form_of(client, page), **GOOD, "channel": "in_person", "note": "",
                                       "outcome": "fixed"})
    assert response.status_code == 303
    [changed] = actions(app, person_id=learner.id)
    assert (changed.channel, changed.note, changed.outcome) == ("in_person", "", "fixed")
    assert changed.outcome_at and changed.asked_outcome_at and changed.updated_at > changed.created_at

    token = csrf_token(client.get("/me/actions").get_data(as_text=True))
    asked = client.post(f"{page}/delete", data={"csrf_token": token})
    assert actions(app, person_id=learner.id) != []  # only the question so far
    done = say_yes(client, asked, "ลบเรื่องนี้ออกจากรายการของคุณไหม", "ใช่ ลบเลย", "/me/actions")
    assert done.status_code == 303 and actions(app, person_id=learner.id) == []


def test_another_learner_can_neither_see_change_nor_delete_it(app, client, learner, make_learner, sign_in):
    log(client)
    [action] = actions(app, person_id=learner.id)
    other = app.test_client()
    sign_in(make_learner("บุญมี รักดี"), on=other)
    token = csrf_token(other.get("/me/actions").get_data(as_text=True))
    assert other.get(f"/me/actions/{action.id}").status_code == 404
    for url in (f"/me/actions/{action.id}", f"/me/actions/{action.id}/delete", f"/me/actions/{action.id}/outcome"):
        assert other.post(url, data={"csrf_token": token, **GOOD, "confirmed": "yes", "outcome": "fixed"}
                          ).status_code == 404
    assert "2569-ABCD12" not in other.get("/me/actions").get_data(as_text=True)
    [kept] = actions(app, person_id=learner.id)
    assert kept.outcome is None and kept.asked_outcome_at is None


def age(app, action_id: int, days: int) -> None:
    with app.app_context():
        db.session.get(CivicAction, action_id).created_at = utcnow() - timedelta(days=days)
        db.session.commit()


def test_thirty_days_on_the_home_page_asks_once_what_happened(app, client, learner):
    log(client)
    [action] = actions(app, person_id=learner.id)
    assert "เกิดอะไรขึ้น" not in visible_text(client.get("/").get_data(as_text=True))  # too early
    age(app, action.id, 30)
    home = client.get("/").get_data(as_text=True)
    assert "หลังจากที่คุณลงมือทำ เกิดอะไรขึ้น" in visible_text(home)
    answered = client.post(f"/me/actions/{action.id}/outcome", data={"csrf_token": csrf_token(home),
                                                                     "outcome": "in_progress"})
    assert answered.status_code == 303
    [action] = actions(app, person_id=learner.id)
    assert action.outcome == "in_progress" and action.asked_outcome_at is not None
    assert "หลังจากที่คุณลงมือทำ" not in visible_text(client.get("/").get_data(as_text=True))
    assert "กำลังดำเนินการ" in visible_text(client.get("/me/actions").get_data(as_text=True))


def test_answer_later_stops_the_question_without_an_outcome(app, client, learner):
    log(client)
    log(client, done_on="2026-03-05")
    first, second = actions(app, person_id=learner.id)
    age(app, first.id, 40)
    age(app, second.id, 35)
    home = client.get("/").get_data(as_text=True)
    assert f"/me/actions/{first.id}/outcome" in home and f"/me/actions/{second.id}/outcome" not in home  # oldest first
    client.post(f"/me/actions/{first.id}/outcome", data={"csrf_token": csrf_token(home), "later": "yes"})
    home = client.get("/").get_data(as_text=True)
    assert f"/me/actions/{first.id}/outcome" not in home and f"/me/actions/{second.id}/outcome" in home
    first, _second = actions(app, person_id=learner.id)
    assert first.outcome is None and first.asked_outcome_at is not None


@pytest.fixture
def leader_world(app, load_courses, make_centre, make_cohort, enrol, make_learner, sign_in):
    """A leader (entry modules passed) at a centre with a mentee who said yes and another learner of the centre."""
    load_courses()
    centre = make_centre()
    cohort = make_cohort(centre)
    leader, mentee, neighbour = make_learner("ผู้นำ ใจดี"), make_learner("ยายมี สุขใจ"), make_learner("ตาสม ดีมาก")
    for person in (leader, mentee, neighbour):
        enrol(person.id, cohort)
    with app.test_request_context():
        entry = leaders.current_pathway().entry_modules()
    record_finished(app, leader.id, entry)
    with app.app_context():
        db.session.add(Mentee(leader_id=leader.id, mentee_id=mentee.id, centre_id=centre, agreed_at=utcnow()))
        db.session.commit()
    client = app.test_client()
    sign_in(leader, on=client)
    return client, leader, mentee, neighbour


def test_a_leader_logs_for_a_mentee_and_a_learner_by_code_with_their_consent(app, leader_world):
    client, leader, mentee, neighbour = leader_world
    page = "/me/actions/for-someone"
    consent = {"consent": "y", "consent_how": "in_person"}
    assert client.post(page, data={**form_of(client, page), **GOOD, **consent, "helped": str(mentee.id)}
                       ).status_code == 303
    assert client.post(page, data={**form_of(client, page), **GOOD, **consent, "helped": "code",
                                   "person_code": neighbour.code.lower()}).status_code == 303
    [for_mentee] = actions(app, person_id=mentee.id)
    [for_neighbour] = actions(app, person_id=neighbour.id)
    for action in (for_mentee, for_neighbour):
        assert action.logged_by_id == leader.id and action.consent_at and action.consent_how == "in_person"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "civic.log_for", AuditEvent.actor_id == leader.id)) == 2
    pathway = visible_text(client.get("/me/leader").get_data(as_text=True))
    help_given = pathway[pathway.index("ความช่วยเหลือที่ให้"):]
    assert "ยายมี สุขใจ" in help_given and "ตาสม ดีมาก" not in help_given  # named only once they agreed as mentee
    assert actions(app, person_id=leader.id) == []  # it counts for the person helped, not the leader


def test_without_consent_or_for_a_stranger_nothing_is_logged(app, leader_world, make_learner):
    client, _leader, mentee, _neighbour = leader_world
    page = "/me/actions/for-someone"
    no_consent = client.post(page, data={**form_of(client, page), **GOOD, "helped": str(mentee.id)})
    assert no_consent.status_code == 400
    assert "ถามเจ้าตัวก่อน บันทึกได้เฉพาะเมื่อเขายินยอม" in visible_text(no_consent.get_data(as_text=True))
    stranger = make_learner("คนไกล")  # of no centre of the leader's
    unknown = client.post(page, data={**form_of(client, page), **GOOD, "consent": "y", "consent_how": "by_phone",
                                      "helped": "code", "person_code": stranger.code})
    assert unknown.status_code == 400 and "ไม่มีผู้เรียนของศูนย์ที่ใช้รหัสนี้" in visible_text(
        unknown.get_data(as_text=True))
    assert actions(app) == []


def test_a_learner_who_is_no_leader_cannot_log_for_others(app, client, learner, make_learner):
    other = make_learner("บุญมี รักดี")
    assert client.get("/me/actions/for-someone").status_code == 404
    response = client.post("/me/actions/for-someone", data={
        "csrf_token": csrf_token(client.get("/me/actions").get_data(as_text=True)), **GOOD, "consent": "y",
        "consent_how": "in_person", "helped": "code", "person_code": other.code})
    assert response.status_code == 404 and actions(app) == []


def test_the_privacy_page_and_download_include_the_actions_and_deletion_removes_them(app, client, learner):
    log(client)
    assert "ไฟถนนหน้าวัดดับ" in visible_text(client.get("/me/data").get_data(as_text=True))
    [downloaded] = json.loads(client.get("/me/data.json").data)["civic_actions"]
    assert (downloaded["kind"], downloaded["done_on"], downloaded["case_number"]) == (
        "reported_problem", "2026-03-02", "2569-ABCD12")
    asked = client.post("/me/delete", data={"csrf_token": csrf_token(client.get("/me/data").get_data(as_text=True))})
    say_yes(client, asked, "ลบข้อมูลทั้งหมดของคุณใช่ไหม", "ใช่ ลบทั้งหมด", "/me/data")
    assert actions(app) == []
