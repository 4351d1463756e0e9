"""The Digital Citizen Leader pathway (journey 6): entry modules, the leader course, the practicum the
leader logs and a trainer confirms, the trainer's endorsement, the certificate's expiry and renewal,
the leader status on the person's pages, and who may do what."""

import shutil
from datetime import date, timedelta

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import func, select

from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre
from civiclearn.certificates.models import Certificate
from civiclearn.config import ROOT
from civiclearn.database import utcnow
from civiclearn.extensions import babel, db
from civiclearn.leaders import practicum
from civiclearn.leaders import services as leaders
from civiclearn.leaders.models import Mentee, PracticumSession
from tests.accounts.test_accounts import field_error
from tests.certificates.conftest import (
    LEADER_PAGE,
    add_mentee,
    decide,
    endorse_on,
    events,
    in_english,
    leader_certificates,
    log_session,
    pass_entry,
    pass_quiz,
    post_button,
    practicum_rows,
    ready_leader,
    signed_in,
    text,
)
from tests.helpers import confirm_step, csrf_token, record_finished, say_yes, submit, visible_text

# -- The journey -----------------------------------------------------------------------------------

def test_preecha_completes_the_pathway_and_the_trainer_endorses_him(app, scene, learner_at, browser, sign_in,
                                                                     staff_sign_in):
    preecha = learner_at(scene.cohort, "ปรีชา ใจดี")
    leader, trainer = browser(), browser()
    sign_in(preecha, on=leader)
    staff_sign_in(scene.trainer, on=trainer)
    entry = scene.pathway.entry_modules()

    # Entry: nine modules passed well, one only at 75%: the page names the one missing, and no log yet.
    for module in entry[:-1]:
        pass_quiz(app, preecha.id, module, 90)
    pass_quiz(app, preecha.id, entry[-1], 75)
    page = text(leader, LEADER_PAGE)
    assert "modules passed with at least 80% on each quiz, 9 of 10" in page
    assert f"Module 10: {entry[-1].title.en} · best so far: 75%" in page
    assert "The leader course: 0 of 4 modules finished" in page
    assert "You can log sessions and mentees once you have passed" in page
    assert 'id="session-form"' not in leader.get(LEADER_PAGE).get_data(as_text=True)
    refused = leader.post(LEADER_PAGE, data={  # the form is not shown: sent anyway, it logs nothing
        "csrf_token": csrf_token(leader.get(LEADER_PAGE).get_data(as_text=True)), "held_on": "2026-03-02",
        "place": "ศาลาวัด", "topic": "x", "attendees": "5", "centre": str(scene.centre)})
    assert refused.status_code == 303 and not practicum_rows(app, PracticumSession)
    pass_quiz(app, preecha.id, entry[-1], 80)  # exactly the minimum counts
    page = leader.get(LEADER_PAGE).get_data(as_text=True)
    assert "on each quiz, 10 of 10" in visible_text(page) and 'id="session-form"' in page

    # The practicum: three sessions and ten mentees, logged through his page.
    for day, topic in ((2, "Spot the scam"), (9, "Passwords and OTP"), (16, "Check before sharing")):
        assert log_session(leader, scene.centre, held_on=f"2026-03-{day:02d}", topic=topic).status_code == 303
    mentees = [learner_at(scene.cohort, f"ผู้เรียนคนที่ {number}") for number in range(10)]
    for mentee in mentees:
        response = add_mentee(leader, scene.centre, mentee.code.lower())
        assert response.status_code == 303, field_error(leader.get(LEADER_PAGE).get_data(as_text=True), "mentee_code")
    page = text(leader, LEADER_PAGE)
    assert "Sessions you ran, confirmed by a trainer: 0 of 3. (3 more waiting for a trainer)" in page
    assert ("confirmed by a trainer: 0 of 10. (10 waiting for the learner to agree, 0 waiting for a trainer, "
            "0 still learning)") in page
    assert "Passwords and OTP" in page and "ผู้เรียนคนที่" not in page  # nobody has agreed yet: no names

    # Two of them answer "yes" on their home page; the trainer asks the others in person (below).
    for mentee, row in zip(mentees[:2], practicum_rows(app, Mentee), strict=False):
        own = browser()
        sign_in(mentee, on=own)
        assert submit(own, "/", {"answer": "yes"}, action=f"/me/mentor-requests/{row.id}").status_code == 303
    page = text(leader, LEADER_PAGE)
    assert "(8 waiting for the learner to agree, 2 waiting for a trainer, 0 still learning)" in page
    assert "ผู้เรียนคนที่ 1" in page and "ผู้เรียนคนที่ 2" not in page

    # The trainer sees what waits; the pathway is not complete, so endorsing changes nothing.
    page = text(trainer, f"/centres/{scene.centre}/leaders")
    assert "Sessions to confirm" in page and "Check before sharing" in page and "ผู้เรียนคนที่ 9" in page
    assert "Endorse and issue the certificate" not in page
    early = trainer.post(f"/centres/{scene.centre}/leaders/{preecha.id}/endorse",
                         data={"csrf_token": csrf_token(trainer.get("/").get_data(as_text=True)), "confirmed": "yes"})
    assert early.status_code == 303 and "has not finished the pathway yet" in text(trainer, early.headers["Location"])
    assert leader_certificates(app, preecha.id) == []

    for row in practicum_rows(app, PracticumSession):
        assert decide(trainer, scene.centre, "sessions", row.id).status_code == 303
    for row in practicum_rows(app, Mentee):
        assert decide(trainer, scene.centre, "mentees", row.id).status_code == 303
    page = text(leader, LEADER_PAGE)
    assert "Sessions you ran, confirmed by a trainer: 3 of 3." in page
    assert ("confirmed by a trainer: 0 of 10. (0 waiting for the learner to agree, 0 waiting for a trainer, "
            "10 still learning)") in page

    # Mentees count once they have finished modules 1-4; the leader finishes his own course.
    for mentee in mentees[:9]:
        record_finished(app, mentee.id, scene.pathway.mentee_modules())
    record_finished(app, mentees[9].id, scene.pathway.mentee_modules()[:3])
    record_finished(app, preecha.id, scene.pathway.course.modules)
    page = text(leader, LEADER_PAGE)
    assert ("confirmed by a trainer: 9 of 10. (0 waiting for the learner to agree, 0 waiting for a trainer, "
            "1 still learning)") in page
    assert "The leader course: 4 of 4 modules finished" in page
    assert "Endorse and issue the certificate" not in text(trainer, f"/centres/{scene.centre}/leaders")
    record_finished(app, mentees[9].id, scene.pathway.mentee_modules()[3:])

    # Complete: the trainer endorses, and the certificate is issued with its expiry.
    page = text(trainer, f"/centres/{scene.centre}/leaders")
    assert "Endorse and issue the certificate" in page
    asked = post_button(trainer, f"/centres/{scene.centre}/leaders",
                        f"/centres/{scene.centre}/leaders/{preecha.id}/endorse")
    response = say_yes(trainer, asked, "Endorse ปรีชา ใจดี as a Digital Citizen Leader?", "Yes, endorse",
                       f"/centres/{scene.centre}/leaders#leaders")
    assert response.status_code == 303
    assert "ปรีชา ใจดี is a Digital Citizen Leader" in text(trainer, response.headers["Location"])
    [certificate] = leader_certificates(app, preecha.id)
    with app.test_request_context():
        today = leaders.today()
    assert certificate.expires_on == leaders.add_years(today, 2) and certificate.centre_id == scene.centre
    assert certificate.title_en == "Digital Citizen Leader" and certificate.issued_by_id == scene.trainer.id
    assert [event.subject_id for event in events(app, "leader.endorse")] == [preecha.id]
    assert len(events(app, "leader.session.confirm")) == 3 and len(events(app, "leader.mentee.add")) == 10

    # His profile shows the leader status: his home, his leader page, and his trainer's view of him.
    home = text(leader, "/")
    assert "★ Digital Citizen Leader · valid until" in home and "My Digital Citizen Leader pathway" in home
    assert "You are a Digital Citizen Leader" in text(leader, LEADER_PAGE)
    assert "★ Digital Citizen Leader · valid until" in text(trainer, f"/learners/{preecha.id}")
    assert leader.get(f"/certificates/{certificate.code}.pdf").status_code == 200


# -- What is missing, part by part -----------------------------------------------------------------

def test_each_part_says_what_is_missing(app, scene, learner_at):
    person = learner_at(scene.cohort)
    entry = scene.pathway.entry_modules()
    pass_quiz(app, person.id, entry[0], 100)
    pass_quiz(app, person.id, entry[1], 79)  # passed the quiz's own mark, but below the pathway's 80
    record_finished(app, person.id, scene.pathway.course.modules[:1])
    mentee, learning = learner_at(scene.cohort, "ก"), learner_at(scene.cohort, "ข")
    record_finished(app, mentee.id, scene.pathway.mentee_modules())
    with app.test_request_context():
        now = utcnow()
        db.session.add_all([
            PracticumSession(leader_id=person.id, centre_id=scene.centre, held_on=date(2026, 1, 5), place="a",
                             topic="b", attendees=3, confirmed_at=now),
            PracticumSession(leader_id=person.id, centre_id=scene.centre, held_on=date(2026, 1, 6), place="a",
                             topic="b", attendees=3),
            Mentee(leader_id=person.id, mentee_id=mentee.id, centre_id=scene.centre, confirmed_at=now),
            Mentee(leader_id=person.id, mentee_id=learning.id, centre_id=scene.centre, confirmed_at=now)])
        db.session.commit()
        found = leaders.pathway_status(db.session.get(User, person.id))
    assert (found.entry.done, found.entry.required) == (1, 10)
    missing = [(module.key, best) for module, best in found.entry_missing]
    assert missing[:2] == [(entry[1].key, 79), (entry[2].key, None)] and len(missing) == 9
    assert (found.course.done, found.course.required) == (1, 4)
    assert found.course_missing == scene.pathway.course.modules[1:]
    assert (found.sessions.done, found.sessions.required, found.sessions_pending) == (1, 3, 1)
    assert (found.mentees.done, found.mentees.required, found.mentees_learning, found.mentees_pending) == (1, 10, 1, 0)
    assert found.parts_missing == ["entry", "course", "sessions", "mentees"] and not found.complete


# -- Who may do what -------------------------------------------------------------------------------

def test_only_the_centres_staff_confirm_and_endorse(app, scene, learner_at, browser, sign_in, staff_sign_in,
                                                    make_staff, enrol):
    leader = ready_leader(app, scene, learner_at)
    with app.app_context():
        db.session.add(PracticumSession(leader_id=leader.id, centre_id=scene.centre, held_on=date(2026, 4, 1),
                                        place="ศูนย์", topic="เพิ่ม", attendees=4))
        db.session.commit()
    pending = practicum_rows(app, PracticumSession)[-1]
    mentee = practicum_rows(app, Mentee)[0]
    other = browser()
    staff_sign_in(scene.other_trainer, on=other)
    token = csrf_token(other.get("/").get_data(as_text=True))
    for method, url, data in (
            ("get", f"/centres/{scene.centre}/leaders", None),
            ("post", f"/centres/{scene.centre}/leaders/sessions/{pending.id}", {"decision": "confirm"}),
            ("post", f"/centres/{scene.other_centre}/leaders/sessions/{pending.id}", {"decision": "confirm"}),
            ("post", f"/centres/{scene.centre}/leaders/mentees/{mentee.id}", {"decision": "decline"}),
            ("post", f"/centres/{scene.centre}/leaders/{leader.id}/endorse", {}),
            ("post", f"/centres/{scene.other_centre}/leaders/{leader.id}/endorse", {})):  # he learns elsewhere
        response = getattr(other, method)(url, data=(data or {}) | {"csrf_token": token} if method == "post" else None)
        assert response.status_code == 404, url
    assert other.get(f"/centres/{scene.other_centre}/leaders").status_code == 200  # their own centre

    learner = browser()
    sign_in(learner_at(scene.cohort, "ผู้เรียนอื่น"), on=learner)
    token = csrf_token(learner.get("/").get_data(as_text=True))
    assert learner.get(f"/centres/{scene.centre}/leaders").status_code == 404
    assert learner.post(f"/me/leader/sessions/{pending.id}/withdraw", data={"csrf_token": token}).status_code == 404
    assert browser().get(f"/centres/{scene.centre}/leaders").status_code == 302  # to the staff sign-in

    # A trainer who is also on the pathway confirms and endorses others, never themselves.
    own = make_staff("trainer", centre_id=scene.centre)
    enrol(own.id, scene.cohort)
    with app.app_context():
        db.session.add(PracticumSession(leader_id=own.id, centre_id=scene.centre, held_on=date(2026, 4, 2),
                                        place="ศูนย์", topic="ของตัวเอง", attendees=4))
        db.session.commit()
    mine = practicum_rows(app, PracticumSession)[-1]
    trainer = browser()
    staff_sign_in(own, on=trainer)
    assert decide(trainer, scene.centre, "sessions", mine.id).status_code == 404
    assert post_button(trainer, f"/centres/{scene.centre}/leaders",
                       f"/centres/{scene.centre}/leaders/sessions/{pending.id}").status_code == 400  # no decision
    assert decide(trainer, scene.centre, "sessions", pending.id).status_code == 303  # someone else's
    assert trainer.post(f"/centres/{scene.centre}/leaders/{own.id}/endorse",
                        data={"csrf_token": csrf_token(trainer.get("/").get_data(as_text=True))}).status_code == 404
    assert [row.confirmed_at is not None for row in practicum_rows(app, PracticumSession)[-2:]] == [True, False]
    assert leader_certificates(app, leader.id) == [] and events(app, "leader.decline") == []


def test_endorsing_twice_issues_one_certificate(app, scene, learner_at, browser, staff_sign_in):
    leader = ready_leader(app, scene, learner_at)
    trainer = browser()
    staff_sign_in(scene.trainer, on=trainer)
    url = f"/centres/{scene.centre}/leaders/{leader.id}/endorse"
    token = csrf_token(trainer.get(f"/centres/{scene.centre}/leaders").get_data(as_text=True))
    first, second = (trainer.post(url, data={"csrf_token": token, "confirmed": "yes"}) for _ in range(2))
    assert first.status_code == second.status_code == 303
    assert "already holds a leader certificate" in text(trainer, second.headers["Location"])
    assert len(leader_certificates(app, leader.id)) == 1
    assert len(events(app, "leader.endorse")) == 1 and len(events(app, "certificate.issue")) == 1


def test_confirming_is_idempotent_and_only_unconfirmed_entries_are_withdrawn_or_declined(
        app, scene, learner_at, browser, sign_in, staff_sign_in):
    leader = learner_at(scene.cohort)
    pass_entry(app, leader.id, scene.pathway)
    mentee, other_mentee = learner_at(scene.cohort, "ก"), learner_at(scene.cohort, "ข")
    own, trainer = browser(), browser()
    sign_in(leader, on=own)
    staff_sign_in(scene.trainer, on=trainer)
    log_session(own, scene.centre, topic="one")
    log_session(own, scene.centre, topic="two")
    add_mentee(own, scene.centre, mentee.code)
    add_mentee(own, scene.centre, other_mentee.code)
    one, two = practicum_rows(app, PracticumSession)
    _first_mentee, second_mentee = practicum_rows(app, Mentee)

    assert decide(trainer, scene.centre, "sessions", one.id).status_code == 303
    assert decide(trainer, scene.centre, "sessions", one.id).status_code == 303
    assert len(events(app, "leader.session.confirm")) == 1
    assert decide(trainer, scene.centre, "sessions", one.id, "maybe").status_code == 400
    declined = decide(trainer, scene.centre, "sessions", one.id, "decline")
    assert "stays on the leader's record" in text(trainer, declined.headers["Location"])

    page = own.get(LEADER_PAGE).get_data(as_text=True)
    assert f"/me/leader/sessions/{one.id}/withdraw" not in page  # confirmed: no button
    confirmed = own.post(f"/me/leader/sessions/{one.id}/withdraw", data={"csrf_token": csrf_token(page)})
    assert "stays on your record" in text(own, confirmed.headers["Location"])
    assert post_button(own, LEADER_PAGE, f"/me/leader/sessions/{two.id}/withdraw").status_code == 303
    assert [row.topic for row in practicum_rows(app, PracticumSession)] == ["one"]

    assert decide(trainer, scene.centre, "mentees", second_mentee.id, "decline").status_code == 303
    assert [row.mentee_id for row in practicum_rows(app, Mentee)] == [mentee.id]
    [declined_event] = events(app, "leader.decline")
    assert declined_event.actor_id == scene.trainer.id and declined_event.detail["mentee"] == other_mentee.id
    assert [event.detail["topic"] for event in events(app, "leader.withdraw")] == ["two"]
    assert "ข" not in visible_text(trainer.get(f"/centres/{scene.centre}/leaders").get_data(as_text=True)).split()


# -- Nothing that cannot be undone without a confirm step ---------------------------------------------

def test_declining_a_session_or_a_mentee_asks_first_and_only_yes_removes_it(app, scene, learner_at, browser, sign_in,
                                                                            staff_sign_in):
    leader = learner_at(scene.cohort)
    pass_entry(app, leader.id, scene.pathway)
    mentee = learner_at(scene.cohort, "มานี มีนา")
    own, trainer = browser(), browser(english=False)
    sign_in(leader, on=own)
    staff_sign_in(scene.trainer, on=trainer)
    log_session(own, scene.centre, held_on="2026-03-02")
    add_mentee(own, scene.centre, mentee.code)
    [session], [row] = practicum_rows(app, PracticumSession), practicum_rows(app, Mentee)
    page = f"/centres/{scene.centre}/leaders"
    for declined, (kind, row_id, question) in enumerate((
            ("sessions", session.id, "ไม่ยืนยันกิจกรรมของ ปรีชา ผู้นำ วันที่ 2 มี.ค. 2569 ใช่ไหม"),
            ("mentees", row.id, "ไม่ยืนยันว่า ปรีชา ผู้นำ ช่วยสอน มานี มีนา ใช่ไหม"))):
        asked = decide(trainer, scene.centre, kind, row_id, "decline", confirmed=False)
        form = confirm_step(asked, question, "ใช่ ไม่ยืนยันและลบออก", f"{page}#{kind}")
        assert dict(form["fields"])["decision"] == "decline"
        assert "ยกเลิกภายหลังไม่ได้" in visible_text(asked.get_data(as_text=True))
        assert len(events(app, "leader.decline")) == declined  # not this one yet
        done = say_yes(trainer, asked, question, "ใช่ ไม่ยืนยันและลบออก", f"{page}#{kind}")
        assert done.status_code == 303 and "ไม่ยืนยันแล้ว: ลบออกจากบันทึกของผู้นำแล้ว" in text(trainer, page)
    assert practicum_rows(app, PracticumSession) == practicum_rows(app, Mentee) == []
    assert len(events(app, "leader.decline")) == 2


def test_endorsing_asks_first_and_only_yes_issues_the_certificate(app, scene, learner_at, browser, staff_sign_in):
    leader = ready_leader(app, scene, learner_at)
    trainer = browser()
    staff_sign_in(scene.trainer, on=trainer)
    page = f"/centres/{scene.centre}/leaders"
    asked = post_button(trainer, page, f"{page}/{leader.id}/endorse")
    question = "Endorse ปรีชา ผู้นำ as a Digital Citizen Leader?"
    confirm_step(asked, question, "Yes, endorse", f"{page}#leaders")
    assert "The leader certificate is issued in this name at once" in visible_text(asked.get_data(as_text=True))
    assert leader_certificates(app, leader.id) == [] and events(app, "leader.endorse") == []
    done = say_yes(trainer, asked, question, "Yes, endorse", f"{page}#leaders")
    assert done.status_code == 303 and "ปรีชา ผู้นำ is a Digital Citizen Leader" in text(trainer, page)
    assert len(leader_certificates(app, leader.id)) == 1


# -- Expiry and renewal ----------------------------------------------------------------------------

def test_the_expiry_is_the_same_day_years_later_and_29_february_ends_on_28_february():
    assert leaders.add_years(date(2026, 5, 20), 2) == date(2028, 5, 20)
    assert leaders.add_years(date(2028, 2, 29), 2) == date(2030, 2, 28)
    assert leaders.add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)
    assert leaders.add_years(date(2027, 2, 28), 1) == date(2028, 2, 28)


def test_the_certificate_expires_after_the_programmes_years(app, scene, learner_at):
    leader = ready_leader(app, scene, learner_at)
    done = endorse_on(app, scene, leader.id, date(2028, 2, 29))
    assert done.outcome == "issued" and done.certificate.expires_on == date(2030, 2, 28)


def test_the_programme_sets_how_many_years(app, scene, learner_at, load_courses, tmp_path):
    leader = ready_leader(app, scene, learner_at)
    courses = tmp_path / "courses"
    shutil.copytree(ROOT / "courses", courses)
    course_file = courses / "citizen-leader" / "course.yml"
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("valid_years: 2", "valid_years: 3"),
                           encoding="utf-8")
    load_courses(courses)  # the programme changes its leader course: certificates from now on last 3 years
    assert endorse_on(app, scene, leader.id, date(2026, 6, 1)).certificate.expires_on == date(2029, 6, 1)


def test_renewal_replaces_the_certificate_from_90_days_before_it_ends(app, scene, learner_at, browser):
    leader = ready_leader(app, scene, learner_at)
    first = endorse_on(app, scene, leader.id, date(2026, 1, 10)).certificate
    assert first.expires_on == date(2028, 1, 10)
    with app.test_request_context():
        person = db.session.get(User, leader.id)
        assert not leaders.standing(person, date(2027, 10, 11)).renewal_due  # 91 days before
        assert leaders.standing(person, date(2027, 10, 12)).renewal_due  # 90 days before
    assert endorse_on(app, scene, leader.id, date(2027, 10, 11)).outcome == "held"

    renewed = endorse_on(app, scene, leader.id, date(2027, 10, 12))
    assert renewed.outcome == "renewed" and renewed.certificate.expires_on == date(2030, 1, 10)  # no day lost
    old, new = leader_certificates(app, leader.id)
    assert old.replaced_at is not None and old.replaced_by_id == new.id and new.replaced_at is None
    assert "This certificate was replaced" in text(browser(), f"/v/{old.code}")
    assert endorse_on(app, scene, leader.id, date(2027, 10, 12)).outcome == "held"  # sent twice: one renewal

    late = endorse_on(app, scene, leader.id, date(2030, 3, 1))  # expired: valid again from today
    assert late.outcome == "renewed" and late.certificate.expires_on == date(2032, 3, 1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.person_id == leader.id, Certificate.replaced_at.is_(None))) == 1
    assert [event.detail["replacement"] for event in events(app, "leader.renew")] == [new.code, late.certificate.code]


def test_a_revoked_certificate_is_not_renewed_by_endorsing(app, scene, learner_at):
    leader = ready_leader(app, scene, learner_at)
    certificate = endorse_on(app, scene, leader.id, date(2026, 1, 10)).certificate
    with app.app_context():
        db.session.get(Certificate, certificate.id).revoked_at = utcnow()
        db.session.commit()
    with pytest.raises(leaders.Revoked):
        endorse_on(app, scene, leader.id, date(2028, 2, 1))


def test_the_leader_sees_when_to_renew_and_the_trainer_renews_through_the_page(
        app, scene, learner_at, browser, sign_in, staff_sign_in):
    leader = ready_leader(app, scene, learner_at)
    with app.test_request_context():
        today = leaders.today()
    endorse_on(app, scene, leader.id, today)
    own, trainer = browser(), browser()
    sign_in(leader, on=own)
    staff_sign_in(scene.trainer, on=trainer)
    page = text(own, LEADER_PAGE)
    assert "From " in page and "a trainer of your centre can renew it" in page
    assert "Renew the certificate" not in text(trainer, f"/centres/{scene.centre}/leaders")

    [certificate] = leader_certificates(app, leader.id)
    with app.app_context():
        db.session.get(Certificate, certificate.id).expires_on = today + timedelta(days=30)
        db.session.commit()
    assert "It ends soon: ask a trainer of your centre to renew it" in text(own, LEADER_PAGE)
    assert "Time to renew: ask a trainer of your centre." in text(own, "/")
    assert "Due for renewal." in text(trainer, f"/learners/{leader.id}")
    asked = post_button(trainer, f"/centres/{scene.centre}/leaders",
                        f"/centres/{scene.centre}/leaders/{leader.id}/endorse")
    response = say_yes(trainer, asked, "Endorse ปรีชา ผู้นำ as a Digital Citizen Leader?", "Yes, endorse",
                       f"/centres/{scene.centre}/leaders#leaders")
    assert "leader certificate is renewed" in text(trainer, response.headers["Location"])
    old, new = leader_certificates(app, leader.id)
    assert old.replaced_by_id == new.id and new.expires_on == leaders.add_years(today + timedelta(days=30), 2)

    with app.app_context():
        db.session.get(Certificate, new.id).expires_on = today - timedelta(days=1)
        db.session.commit()
    home = text(own, "/")
    assert "★ Digital Citizen Leader" not in home and "certificate ended on" in home
    assert "Your leader certificate has ended" in text(own, LEADER_PAGE)


# -- Checking what is typed, in Thai and English ----------------------------------------------------

THAI = {  # this test's own Thai entries: Thai errors are checked whatever the real catalogue holds yet
    "Choose the date of the session.":
        "กรุณาเลือกวันที่จัดกิจกรรม",
    "Write where the session was.":
        "กรุณาเขียนสถานที่จัดกิจกรรม",
    "Write what the session was about.":
        "กรุณาเขียนหัวข้อของกิจกรรม",
    "Write how many people came.":
        "กรุณาเขียนจำนวนผู้เข้าร่วม",
    "Write a number from 1 to %(most)s.":
        "กรุณาเขียนตัวเลขตั้งแต่ 1 ถึง %(most)s",
    "The date cannot be after today.":
        "วันที่ต้องไม่เลยวันนี้",
    "Use the Christian Era year: %(year)s, not %(typed)s.":
        "กรุณาใช้ปี ค.ศ. คือ %(year)s ไม่ใช่ %(typed)s",
    "No learner of this centre has this code. Check it on their card, or ask the trainer to add them to a cohort of "
    "the centre first.":
        "ไม่มีผู้เรียนของศูนย์นี้ที่ใช้รหัสนี้ ตรวจดูรหัสบนบัตรผู้เรียนอีกครั้ง หรือขอให้ผู้สอนเพิ่มเขาเข้ารุ่นของศูนย์ก่อน",
    "This is your own code. Add the people you help.":
        "นี่คือรหัสของคุณเอง กรุณาเพิ่มคนที่คุณช่วยสอน",
    "This learner is already on your list.":
        "ผู้เรียนคนนี้อยู่ในรายชื่อของคุณแล้ว",
    "You already logged this session (same date, place and topic).":
        "คุณบันทึกกิจกรรมนี้ไว้แล้ว (วันที่ สถานที่ และหัวข้อเดียวกัน)",
}


@pytest.fixture
def thai_catalogue(app, tmp_path):
    """The real Thai catalogue plus the entries above, compiled for a test app."""
    with open(ROOT / "translations" / "th" / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalog = read_po(file)
    for english, thai in THAI.items():
        catalog.add(english, thai, flags=("python-format",) if "%(" in english else ())
    target = tmp_path / "th" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as file:
        write_mo(file, catalog)
    with app.app_context():
        babel.domain_instance.cache.clear()  # Flask-Babel caches catalogues per process, not per app
    yield tmp_path
    with app.app_context():
        babel.domain_instance.cache.clear()


def error(html: str, field: str) -> str:
    """The error shown next to a field, without the "Error:" that only screen readers hear."""
    return field_error(html, field).split(" ", 1)[-1]


@pytest.mark.parametrize("language", ["th", "en"])
def test_what_is_typed_is_checked_with_errors_next_to_the_fields(app, make_app, thai_catalogue, scene, learner_at,
                                                                 language):
    centre, other_centre = scene.centre, scene.other_centre
    leader, mentee, stranger = (learner_at(scene.cohort, "ปรีชา"), learner_at(scene.cohort, "มานี"),
                                learner_at(scene.other_cohort, "คนอื่น"))
    pass_entry(app, leader.id, scene.pathway)
    translated = make_app(BABEL_TRANSLATION_DIRECTORIES=str(thai_catalogue))
    client = signed_in(translated, leader, english=language == "en")
    says = (lambda english, **values: (THAI[english] % values) if language == "th" else english % values)

    empty = log_session(client, centre, held_on="", place="  ", topic="", attendees="")
    html = empty.get_data(as_text=True)
    assert empty.status_code == 400 and f'<html lang="{language}">' in html
    assert error(html, "held_on") == says("Choose the date of the session.")
    assert error(html, "place") == says("Write where the session was.")
    assert error(html, "topic") == says("Write what the session was about.")
    assert error(html, "attendees") == says("Write how many people came.")
    for attendees in ("0", "201", "สิบ", "-3"):
        html = log_session(client, centre, attendees=attendees).get_data(as_text=True)
        assert error(html, "attendees") == says("Write a number from 1 to %(most)s.", most=200), attendees
    assert log_session(client, centre, attendees="๑๒").status_code == 303  # Thai digits are digits
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    html = log_session(client, centre, held_on=tomorrow).get_data(as_text=True)
    assert error(html, "held_on") == says("The date cannot be after today.")
    html = log_session(client, centre, held_on="2569-03-02").get_data(as_text=True)
    assert error(html, "held_on") == says("Use the Christian Era year: %(year)s, not %(typed)s.", year=2026, typed=2569)
    html = log_session(client, centre, attendees="12").get_data(as_text=True)  # the one logged above, again
    assert error(html, "held_on") == says("You already logged this session (same date, place and topic).")
    assert 'value="ศาลาวัด"' in html  # what was typed stays
    html = log_session(client, other_centre, topic="elsewhere").get_data(as_text=True)
    assert error(html, "centre")  # not one of the leader's centres

    for code in (stranger.code, "XXX-999", "CAT"):  # another centre's learner, unknown, malformed: one answer
        html = add_mentee(client, centre, code).get_data(as_text=True)
        assert error(html, "mentee_code") == says(
            "No learner of this centre has this code. Check it on their card, or ask the trainer to add them to a "
            "cohort of the centre first."), code
    html = add_mentee(client, centre, leader.code).get_data(as_text=True)
    assert error(html, "mentee_code") == says("This is your own code. Add the people you help.")
    assert add_mentee(client, centre, f" {mentee.code[:3]}-{mentee.code[3:].lower()} ").status_code == 303
    again = add_mentee(client, centre, mentee.code)
    assert again.status_code == 400
    assert error(again.get_data(as_text=True), "mentee_code") == says("This learner is already on your list.")
    assert [row.mentee_id for row in practicum_rows(app, Mentee)] == [mentee.id]
    assert [row.attendees for row in practicum_rows(app, PracticumSession)] == [12]


def test_codes_typed_to_add_mentees_are_limited_per_leader(app, make_app, scene, learner_at):
    leader = learner_at(scene.cohort)
    pass_entry(app, leader.id, scene.pathway)
    client = signed_in(make_app(MENTEE_LIMIT="3 per hour"), leader)
    assert [add_mentee(client, scene.centre, "XXX-999").status_code for _ in range(4)] == [400, 400, 400, 429]
    assert log_session(client, scene.centre).status_code == 303  # logging sessions is not limited by it


def test_a_session_is_logged_at_a_centre_where_the_leader_learns(app, scene, learner_at):
    leader = learner_at(scene.cohort)
    pass_entry(app, leader.id, scene.pathway)
    with app.test_request_context():
        person, elsewhere = db.session.get(User, leader.id), db.session.get(Centre, scene.other_centre)
        with pytest.raises(practicum.NotEnrolledThere):
            practicum.log_session(person, elsewhere, date(2026, 1, 1), "a", "b", 5, scene.pathway)
        with pytest.raises(practicum.FutureDate):
            practicum.log_session(person, db.session.get(Centre, scene.centre), leaders.today() + timedelta(days=1),
                                  "a", "b", 5, scene.pathway)
        assert practicum.centres_of(person) == [db.session.get(Centre, scene.centre)]


def test_without_the_leader_course_the_page_says_so(client, learner, make_staff, make_centre, staff_sign_in):
    assert "ที่นี่ยังไม่เปิดเส้นทางผู้นำพลเมืองดิจิทัล" in visible_text(client.get(LEADER_PAGE).get_data(as_text=True))
    in_english(client)
    assert "not offered here yet" in visible_text(client.get(LEADER_PAGE).get_data(as_text=True))
    assert client.post(LEADER_PAGE, data={
        "csrf_token": csrf_token(client.get(LEADER_PAGE).get_data(as_text=True))}).status_code == 404


# -- Personal data ---------------------------------------------------------------------------------

def test_the_practicum_is_in_each_persons_data_and_deleting_keeps_only_what_was_confirmed(
        app, scene, learner_at, browser, sign_in):
    leader = learner_at(scene.cohort)
    pass_entry(app, leader.id, scene.pathway)
    kept, helped = learner_at(scene.cohort, "มานี มีนา"), learner_at(scene.cohort, "ชูใจ ใจดี")
    with app.test_request_context():
        person = db.session.get(User, leader.id)
        centre, trainer = db.session.get(Centre, scene.centre), db.session.get(User, scene.trainer.id)
        confirmed = practicum.log_session(person, centre, date(2026, 3, 1), "ศาลา", "หัวข้อแรก", 10, scene.pathway)
        practicum.log_session(person, centre, date(2026, 3, 8), "วัด", "หัวข้อที่สอง", 8, scene.pathway)
        for mentee in (kept, helped):
            practicum.confirm(trainer, practicum.add_mentee(person, centre, mentee.code, scene.pathway))
        practicum.confirm(trainer, confirmed)
        db.session.commit()

    own = browser()
    sign_in(leader, on=own)
    data = own.get("/me/data.json").get_json()
    assert [(row["topic"], bool(row["confirmed_at"])) for row in data["leader_sessions"]] == [
        ("หัวข้อแรก", True), ("หัวข้อที่สอง", False)]
    assert [row["name"] for row in data["mentees"]] == ["มานี มีนา", "ชูใจ ใจดี"]
    page = visible_text(own.get("/me/data").get_data(as_text=True))
    assert "Mar 8, 2026 · วัด · หัวข้อที่สอง · ศูนย์ดิจิทัลชุมชน" in page and "ชูใจ ใจดี" in page

    mentee_browser = browser()
    sign_in(kept, on=mentee_browser)
    assert [row["leader"] for row in mentee_browser.get("/me/data.json").get_json()["mentored_by"]] == ["ปรีชา ผู้นำ"]
    submit(mentee_browser, "/me/delete", {}, action="/me/delete")
    text = visible_text(own.get(LEADER_PAGE).get_data(as_text=True))
    assert "A learner who deleted their data" in text and "มานี" not in text  # still counted, no longer named

    submit(own, "/me/delete", {}, action="/me/delete")
    with app.app_context():
        assert [row.topic for row in db.session.scalars(select(PracticumSession))] == ["หัวข้อแรก"]
        assert db.session.scalar(select(func.count()).select_from(Mentee)) == 2  # both were confirmed
