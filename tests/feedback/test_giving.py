"""A learner rates a module and comments: once per module, changed by sending again, in their language."""

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from civiclearn.accounts.models import User
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.feedback import services
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.learning.services import open_lesson
from tests.feedback.conftest import GIVE, MODULE, give, rows, switch_to_english
from tests.helpers import csrf_token, find_form, finish_module, race, visible_text

RATING_MESSAGE = "Choose how useful the module was, from 1 to 5."


def test_a_rating_is_saved_once_and_changed_when_sent_again(app, client, started):
    response = give(client, rating="4", comment="  เข้าใจง่าย ชอบตัวอย่าง  ")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{MODULE}#feedback"
    [first] = rows(app)
    assert (first.person_id, first.rating, first.comment, first.language) == (started.id, 4, "เข้าใจง่าย ชอบตัวอย่าง", "th")

    page = client.get(MODULE).get_data(as_text=True)
    assert "เข้าใจง่าย ชอบตัวอย่าง" in visible_text(page)
    form = dict(find_form(page, action=GIVE)["fields"])
    assert form["rating"] == "4"  # the form shows what they said, ready to change

    assert give(client, rating="2", comment="").status_code == 303
    [again] = rows(app)
    assert (again.id, again.rating, again.comment, again.created_at) == (first.id, 2, "", first.created_at)
    assert again.updated_at >= first.updated_at


def test_the_language_of_the_page_is_kept_with_the_comment(app, client, started):
    switch_to_english(client)
    give(client, rating="5", comment="Very clear")
    assert rows(app)[0].language == "en"


def test_the_form_is_also_on_the_module_finished_page(app, client, started, sample):
    finish_module(client, sample.modules[0])
    done = client.get(f"{MODULE}/done")
    assert done.status_code == 200
    assert give(client, page=f"{MODULE}/done", rating="3").status_code == 303
    assert rows(app)[0].rating == 3


def test_mistakes_are_told_in_thai_and_nothing_is_written(app, client, started):
    for data in ({}, {"rating": "9"}, {"rating": "five"}):
        response = give(client, comment="ดี", **data)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert '<html lang="th">' in html
        with app.test_request_context(), force_locale("th"):
            assert gettext(RATING_MESSAGE) in visible_text(html)
        assert "ดี</textarea>" in html  # what was typed is kept
    response = give(client, rating="3", comment="ก" * 1001)
    assert response.status_code == 400
    with app.test_request_context(), force_locale("th"):
        assert gettext("Use at most %(most)s characters.", most=1000) in visible_text(response.get_data(as_text=True))
    assert rows(app) == []
    assert give(client, rating="3", comment="ก" * 1000).status_code == 303  # the limit itself is fine


def test_mistakes_are_told_in_english_after_switching(client, started):
    switch_to_english(client)
    text = visible_text(give(client, comment="x" * 1001).get_data(as_text=True))
    assert RATING_MESSAGE in text
    assert "Use at most 1000 characters." in text


def test_a_learner_who_has_not_started_the_module_cannot_rate_it(app, client, learner):
    assert 'id="feedback-form"' not in client.get(MODULE).get_data(as_text=True)
    assert client.get(GIVE).status_code == 404
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post(GIVE, data={"csrf_token": token, "rating": "5"}).status_code == 404
    assert rows(app) == []


def test_nobody_signed_out_is_offered_the_form(app, client, sample):
    assert 'id="feedback-form"' not in client.get(MODULE).get_data(as_text=True)
    response = client.get(GIVE)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_racing_sends_end_as_one_row(app, make_learner, sample):
    learner_id = make_learner().id
    lesson = sample.modules[0].lessons[0]
    with app.test_request_context():
        open_lesson(db.session.get(User, learner_id), catalogue().lesson_by_id(lesson.id))
        db.session.commit()
    def send():
        with app.test_request_context():
            module = catalogue().course("getting-started").modules[0]
            return services.give(db.session.get(User, learner_id), module, 4, "", "th").id

    ids = race(app, send)
    assert len(set(ids)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModuleFeedback)) == 1


def test_switching_language_on_the_form_keeps_what_was_typed(client, started):
    html = give(client, comment="x" * 1001).get_data(as_text=True)
    assert 'form="feedback-form"' in html  # the language buttons send this form along
    token = csrf_token(html)
    client.post(f"/language?next={GIVE}", data={"csrf_token": token, "rating": "4", "comment": "ชอบมาก", "lang": "en"})
    page = client.get(GIVE).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "ชอบมาก</textarea>" in page
    assert dict(find_form(page, action=GIVE)["fields"])["rating"] == "4"
