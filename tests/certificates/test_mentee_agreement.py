"""A leader who adds a mentee by their learner code sees nothing of them (no name, no progress) until the
mentee answers "yes" on their home page, or a trainer confirms it (asking them in person); "no" removes the
request. Who may answer, answering twice, the person's data, and what the pathway counts."""

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import select

from civiclearn import access
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.leaders import services as leaders
from civiclearn.leaders.models import Mentee
from tests.certificates.conftest import LEADER_PAGE, add_mentee, decide, events, pass_entry, practicum_rows, text
from tests.helpers import csrf_token, record_finished, submit, visible_text

LEADER_NAME, MENTEE_NAME = "ปรีชา ผู้นำ", "มานี มีนา"
LANGUAGES = ["th", "en"]
ANSWER = "/me/mentor-requests/{}"


def says(app, language: str, message: str, **values) -> str:
    """What a page says in `language`: the catalogue's words (the English ones until they are translated)."""
    with app.test_request_context(), force_locale(language):
        return gettext(message, **values)


@dataclass
class Added:
    leader: object
    mentee: object
    leader_browser: FlaskClient
    request_id: int
    masked_code: str  # as the leader's page shows the code they typed: CAT-•••


@pytest.fixture
def added(app, scene, learner_at, browser, sign_in):
    """A leader past the entry modules who has just added, through their page, a learner of their centre who
    finished 3 of the 4 mentee modules."""
    def add(language: str = "en") -> Added:
        leader, mentee = learner_at(scene.cohort, LEADER_NAME), learner_at(scene.cohort, MENTEE_NAME)
        pass_entry(app, leader.id, scene.pathway)
        record_finished(app, mentee.id, scene.pathway.mentee_modules()[:3])
        own = browser(english=language == "en")
        sign_in(leader, on=own)
        assert add_mentee(own, scene.centre, mentee.code).status_code == 303
        [row] = practicum_rows(app, Mentee)
        return Added(leader, mentee, own, row.id, f"{mentee.code[:3]}-•••")
    return add


def signed_in_browser(browser, sign_in, person, language: str) -> FlaskClient:
    client = browser(english=language == "en")
    sign_in(person, on=client)
    return client


def answer(client: FlaskClient, request_id: int, said: str):
    """Press "Yes, they helped me" or "No" on the home page."""
    return submit(client, "/", {"answer": said}, action=ANSWER.format(request_id))


def progress(app, language: str) -> str:
    return says(app, language, "%(done)s of %(total)s finished", done=3, total=4)


def leader_sees_mentee(app, added_: Added, language: str) -> bool:
    """Whether the leader's page, or their data (page and download), shows the mentee's name or progress.
    Raw HTML and JSON, so a name in an attribute (a button's hidden label) counts too."""
    client = added_.leader_browser
    page = client.get(LEADER_PAGE).get_data(as_text=True)
    shown = [MENTEE_NAME in page, progress(app, language) in page]
    for address in ("/me/data", "/me/data.json"):
        shown.append(MENTEE_NAME in client.get(address).get_data(as_text=True))
    assert len(set(shown)) == 1, shown  # all or nothing
    return shown[0]


# -- Before and after the mentee's answer ----------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_leader_sees_nothing_of_a_mentee_until_they_say_yes(app, scene, added, browser, sign_in, language):
    pair = added(language)
    html = pair.leader_browser.get(LEADER_PAGE).get_data(as_text=True)  # with the message about the code just added
    page = visible_text(html)
    assert f'<html lang="{language}">' in html
    assert MENTEE_NAME not in html and progress(app, language) not in page
    assert pair.masked_code in page and pair.mentee.code not in page  # the code they typed, masked
    assert says(app, language, "Waiting for the learner to agree") in page
    assert says(app, language, "%(asked)s waiting for the learner to agree, %(waiting)s waiting for a trainer, "
                               "%(learning)s still learning", asked=1, waiting=0, learning=0) in page
    assert not leader_sees_mentee(app, pair, language)
    assert pair.leader_browser.get("/me/data.json").get_json()["mentees"][0]["name"] is None
    again = add_mentee(pair.leader_browser, scene.centre, pair.mentee.code)  # typing the code again names nobody
    assert again.status_code == 400 and MENTEE_NAME not in again.get_data(as_text=True)

    # The mentee signs in: the question comes first on their home page, in plain words, with the leader's name.
    mentee = signed_in_browser(browser, sign_in, pair.mentee, language)
    home = mentee.get("/").get_data(as_text=True)
    with app.test_request_context():
        centre = db.session.get(Centre, scene.centre).name(language)
    first_question = visible_text(re.search(r"<h2\b.*?</h2>", home, re.S).group(0))
    assert first_question == says(app, language, "%(name)s says they helped you learn at %(centre)s. Is this right?",
                                  name=LEADER_NAME, centre=centre)
    assert says(app, language, "Yes, they helped me") in visible_text(home)
    assert answer(mentee, pair.request_id, "yes").headers["Location"] == "/"
    home = mentee.get("/").get_data(as_text=True)
    assert ANSWER.format(pair.request_id) not in home  # answered: not asked again
    assert says(app, language, "Thank you. The leader can now see your name and how many of the modules you have "
                               "finished.") in visible_text(home)

    assert leader_sees_mentee(app, pair, language)
    assert pair.leader_browser.get("/me/data.json").get_json()["mentees"][0]["name"] == MENTEE_NAME
    assert says(app, language, "Waiting for the learner to agree") not in text(pair.leader_browser, LEADER_PAGE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_trainer_confirming_in_person_counts_as_the_mentees_agreement(app, scene, added, browser, sign_in,
                                                                       staff_sign_in, language):
    pair = added(language)
    trainer = browser(english=language == "en")
    staff_sign_in(scene.trainer, on=trainer)
    page = text(trainer, f"/centres/{scene.centre}/leaders")
    assert MENTEE_NAME in page and progress(app, language) in page  # the trainer manages the learner
    assert says(app, language, "Not answered yet") in page
    assert says(app, language, "Confirming counts as the learner agreeing in person: ask the learner first. Until "
                               "the learner agrees or you confirm, the leader does not see the learner's name or "
                               "progress.") in page
    assert not leader_sees_mentee(app, pair, language)

    assert decide(trainer, scene.centre, "mentees", pair.request_id).status_code == 303
    assert leader_sees_mentee(app, pair, language)
    mentee = signed_in_browser(browser, sign_in, pair.mentee, language)
    assert ANSWER.format(pair.request_id) not in mentee.get("/").get_data(as_text=True)  # nothing left to ask


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_removes_the_request_and_the_leader_learns_nothing(app, scene, added, browser, sign_in, language):
    pair = added(language)
    mentee = signed_in_browser(browser, sign_in, pair.mentee, language)
    assert answer(mentee, pair.request_id, "no").status_code == 303
    assert says(app, language, "Thank you. The leader will not see your name or your progress.") in text(mentee, "/")
    assert practicum_rows(app, Mentee) == []

    assert not leader_sees_mentee(app, pair, language)  # (this also shows the message about adding them, once)
    page = text(pair.leader_browser, LEADER_PAGE)
    assert pair.masked_code not in page
    assert says(app, language, "Nobody on your list yet.") in page
    assert says(app, language, "Each learner you add is asked, when they next sign in, whether you helped them. You "
                               "see their name and progress once they say yes, or once a trainer confirms it with "
                               "them. If they say no, or a trainer declines it, it leaves this list.") in page
    data = pair.leader_browser.get("/me/data.json").get_json()
    assert data["mentees"] == []
    [refused] = events(app, "leader.mentee.refuse")  # in the mentee's record, not in the leader's data
    assert refused.actor_id == refused.subject_id == pair.mentee.id
    assert "leader.mentee.refuse" not in {event["action"] for event in data["staff_actions_about_you"]}


# -- Who answers, and answering twice --------------------------------------------------------------

def test_only_the_mentee_answers(app, scene, added, learner_at, browser, sign_in, staff_sign_in):
    pair = added()
    someone = signed_in_browser(browser, sign_in, learner_at(scene.cohort, "บุญมี รักดี"), "en")
    trainer = browser()
    staff_sign_in(scene.trainer, on=trainer)
    for client in (someone, pair.leader_browser, trainer):
        token = csrf_token(client.get("/courses").get_data(as_text=True))
        for said in ("yes", "no", ""):
            response = client.post(ANSWER.format(pair.request_id), data={"answer": said, "csrf_token": token})
            assert response.status_code == 404, said
    [row] = practicum_rows(app, Mentee)
    assert row.agreed_at is None and events(app, "leader.mentee.agree") == []
    assert not leader_sees_mentee(app, pair, "en")

    mentee = signed_in_browser(browser, sign_in, pair.mentee, "en")
    token = csrf_token(mentee.get("/").get_data(as_text=True))
    assert mentee.post(ANSWER.format(pair.request_id), data={"answer": "maybe", "csrf_token": token}).status_code == 400
    assert mentee.post(ANSWER.format(pair.request_id), data={"answer": "yes"}).status_code == 400  # no CSRF token
    assert practicum_rows(app, Mentee)[0].agreed_at is None


def test_answering_twice_changes_nothing_more(app, scene, added, learner_at, browser, sign_in, staff_sign_in):
    pair = added()
    other_leader = learner_at(scene.cohort, "สมชาย ผู้นำ")
    with app.test_request_context():
        other = Mentee(leader_id=other_leader.id, mentee_id=pair.mentee.id, centre_id=scene.centre)
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    mentee = signed_in_browser(browser, sign_in, pair.mentee, "en")
    token = csrf_token(mentee.get("/").get_data(as_text=True))

    def press(request_id: int, said: str):
        return mentee.post(ANSWER.format(request_id), data={"answer": said, "csrf_token": token})

    # A double click: both requests end on the home page, and each answer counts once.
    assert [press(pair.request_id, "yes").status_code for _ in range(2)] == [303, 303]
    assert [press(other_id, "no").status_code for _ in range(2)] == [303, 303]
    assert "Thank you. The leader will not see your name or your progress." in text(mentee, "/")
    assert [row.id for row in practicum_rows(app, Mentee)] == [pair.request_id]
    assert len(events(app, "leader.mentee.agree")) == len(events(app, "leader.mentee.refuse")) == 1
    assert press(other_id, "yes").status_code == 303  # a stale page: the request is gone, nothing comes back
    assert "nothing to answer any more" in text(mentee, "/") and len(practicum_rows(app, Mentee)) == 1

    # Once a trainer has confirmed it, "no" cannot take it off the leader's record: the learner is told whom to ask.
    trainer = browser()
    staff_sign_in(scene.trainer, on=trainer)
    decide(trainer, scene.centre, "mentees", pair.request_id)
    assert press(pair.request_id, "no").status_code == 303
    assert "A trainer has already confirmed it." in text(mentee, "/") and len(practicum_rows(app, Mentee)) == 1


# -- The mentee's data, and what the pathway counts ------------------------------------------------

def test_the_request_is_in_the_mentees_data_and_goes_when_they_delete_it(app, added, browser, sign_in):
    pair = added()
    mentee = signed_in_browser(browser, sign_in, pair.mentee, "en")
    [mentored] = mentee.get("/me/data.json").get_json()["mentored_by"]
    assert (mentored["leader"], mentored["agreed_at"], mentored["confirmed_at"]) == (LEADER_NAME, None, None)
    assert f"{LEADER_NAME} · ศูนย์ดิจิทัลชุมชนบ้านทดสอบ (Not answered yet)" in text(mentee, "/me/data")
    answer(mentee, pair.request_id, "yes")
    assert mentee.get("/me/data.json").get_json()["mentored_by"][0]["agreed_at"] is not None
    assert "(You agreed)" in text(mentee, "/me/data")

    submit(mentee, "/me/delete", {}, action="/me/delete")
    assert practicum_rows(app, Mentee) == []  # agreed, not confirmed: it goes with the person
    assert "Nobody on your list yet." in text(pair.leader_browser, LEADER_PAGE)


def test_the_pathway_counts_only_mentees_a_trainer_confirmed(app, scene, learner_at):
    """Confirming counts as agreeing in person, so everyone counted agreed; a "yes" alone shows the mentee to
    the leader but is not the trainer's check. The mentee and the trainers of their centre always see them."""
    leader = learner_at(scene.cohort)
    mentees = [learner_at(scene.cohort, f"ผู้เรียน {number}") for number in range(3)]
    for mentee in mentees:
        record_finished(app, mentee.id, scene.pathway.mentee_modules())
    with app.test_request_context():
        now = utcnow()
        db.session.add_all([Mentee(leader_id=leader.id, mentee_id=mentees[0].id, centre_id=scene.centre),
                            Mentee(leader_id=leader.id, mentee_id=mentees[1].id, centre_id=scene.centre, agreed_at=now),
                            Mentee(leader_id=leader.id, mentee_id=mentees[2].id, centre_id=scene.centre,
                                   confirmed_at=now)])
        db.session.commit()
        found = leaders.pathway_status(db.session.get(User, leader.id), scene.pathway)
        rows = db.session.scalars(select(Mentee).order_by(Mentee.id)).all()
        seen_by = {name: [row.mentee_id for row in rows if access.may_see_mentee(db.session.get(User, person), row)]
                   for name, person in (("leader", leader.id), ("mentee", mentees[0].id),
                                        ("trainer", scene.trainer.id), ("other trainer", scene.other_trainer.id),
                                        ("other learner", mentees[1].id))}
    assert (found.mentees.done, found.mentees_asked, found.mentees_pending, found.mentees_learning) == (1, 1, 1, 0)
    everyone = [mentee.id for mentee in mentees]
    assert seen_by == {"leader": everyone[1:], "mentee": everyone[:1], "trainer": everyone, "other trainer": [],
                       "other learner": everyone[1:2]}
