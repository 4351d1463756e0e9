"""The themes page: each staff member sees the themes of the comments they may read, never who wrote them; filters;
"Run again" starts one run; a failed run says why; the honest notice in Thai and English; deletion."""

import pytest
from sqlalchemy import func, select

from civiclearn.accounts.models import User
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.privacy import services as privacy
from civiclearn.themes import services
from civiclearn.themes.models import ThemeRun
from tests.helpers import csrf_token, visible_text

NOTICE_TH = "หัวข้อเหล่านี้จัดกลุ่มโดยโปรแกรมคอมพิวเตอร์ และอาจผิดพลาดได้"
NOTICE_EN = "These themes are made by a computer program and may be wrong"


def finished_run(app, staff, filters: dict | None = None, language: str = "en") -> int:
    """A run of `staff`'s comments, done as the job does it (here, not in a thread)."""
    with app.app_context():
        found, _new = services.request_run(db.session.get(User, staff.id), "feedback", filters or {}, language)
        db.session.commit()
        services.run(found.id)
        return found.id


@pytest.fixture
def enqueued(monkeypatch) -> list[tuple]:
    """The jobs the page hands over, kept instead of started."""
    kept = []
    monkeypatch.setattr(services.jobs, "enqueue", lambda *args, **kwargs: kept.append(args))
    return kept


def test_a_trainer_sees_their_centres_themes_and_comments_but_no_names(app, client, commented, english,
                                                                        staff_sign_in, fixture_texts):
    trainer, _other = commented
    finished_run(app, trainer)
    staff_sign_in(trainer)
    response = client.get("/staff/themes")
    html = response.get_data(as_text=True)
    text = visible_text(html)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Done" in text and "Comments read 164" in text
    assert text.count("Theme ") >= 7 and "traffy" in text
    assert html.count('<svg class="chart"') == html.count('class="card theme"') >= 7  # a trend chart per theme
    assert sum(text.count(comment) >= 1 for comment in fixture_texts) >= 150  # the comments are one click away
    assert "ผู้เรียนลับ" not in html and "T000" not in html  # neither names nor learner codes
    assert NOTICE_EN in text and NOTICE_TH in text


def test_another_centres_trainer_sees_none_of_these_comments(app, client, commented, english, staff_sign_in,
                                                             fixture_texts):
    _trainer, other = commented
    finished_run(app, other)
    staff_sign_in(other)
    text = visible_text(client.get("/staff/themes").get_data(as_text=True))
    assert "Comments read 0" in text and "No theme was found" in text
    assert not any(comment in text for comment in fixture_texts)


def test_the_thai_page_says_when_it_ran_in_the_buddhist_era_and_both_notices(app, client, commented,
                                                                              staff_sign_in):
    trainer, _other = commented
    run_id = finished_run(app, trainer, language="th")
    staff_sign_in(trainer)
    text = visible_text(client.get("/staff/themes").get_data(as_text=True))
    with app.app_context():
        finished = db.session.get(ThemeRun, run_id).finished_at
    assert f"{finished.year + 543}" in text and "จบแล้ว" in text
    assert text.index(NOTICE_TH) < text.index(NOTICE_EN)  # the page's language first


def test_filters_choose_the_run_shown_and_odd_ones_are_refused(app, client, commented, english, staff_sign_in,
                                                               sample):
    trainer, _other = commented
    finished_run(app, trainer, {"months": 3})
    staff_sign_in(trainer)
    assert "Comments read 164" in visible_text(client.get("/staff/themes?months=3").get_data(as_text=True))
    assert "have not been found yet" in visible_text(client.get("/staff/themes?months=6").get_data(as_text=True))
    module = f"getting-started/{sample.modules[-1].key}"
    assert "have not been found yet" in visible_text(
        client.get(f"/staff/themes?months=3&module={module}").get_data(as_text=True))
    refused = client.get("/staff/themes?district=สันทราย&centre=999")  # another trainer's district and centre
    text = visible_text(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "no such district among your centres" in text and "no such centre among yours" in text


def test_run_again_starts_one_run_and_says_when_one_is_waiting(app, client, commented, english, staff_sign_in,
                                                                enqueued):
    trainer, _other = commented
    staff_sign_in(trainer)
    for _press in range(2):
        token = csrf_token(client.get("/staff/themes?months=6").get_data(as_text=True))
        response = client.post("/staff/themes/run?months=6", data={"csrf_token": token})
        assert response.status_code == 303 and response.headers["Location"].endswith("/staff/themes?months=6")
    text = visible_text(client.get("/staff/themes?months=6").get_data(as_text=True))
    assert "already waiting or running, so no second one was started" in text
    assert "Waiting to start" in text and "is not started twice" in text
    with app.app_context():
        runs = db.session.scalars(select(ThemeRun)).all()
    assert [(found.filters, found.status, found.language) for found in runs] == [({"months": 6}, "queued", "en")]
    assert enqueued == [("civiclearn.themes.services.run", runs[0].id)]


def test_run_again_without_its_token_is_refused(app, client, commented, staff_sign_in, enqueued):
    trainer, _other = commented
    staff_sign_in(trainer)
    assert client.post("/staff/themes/run").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ThemeRun)) == 0
    assert enqueued == []


def test_a_failed_run_shows_its_error(app, client, commented, english, staff_sign_in, monkeypatch):
    trainer, _other = commented

    def broken(viewer, filters):
        raise RuntimeError("the comments table is away")
    monkeypatch.setitem(services.SOURCES, "feedback", broken)
    with pytest.raises(RuntimeError):
        finished_run(app, trainer)
    staff_sign_in(trainer)
    text = visible_text(client.get("/staff/themes").get_data(as_text=True))
    assert "Failed" in text and "the comments table is away" in text and "Theme 1" not in text


def test_deleting_a_learner_takes_their_comment_off_the_page_and_a_staff_member_their_runs(
        app, client, commented, english, staff_sign_in):
    trainer, other = commented
    finished_run(app, trainer)
    finished_run(app, other)
    with app.app_context():
        shown = db.session.get(ThemeRun, services.latest(db.session.get(User, trainer.id), "feedback", {}).id)
        typical = db.session.get(ModuleFeedback, shown.themes[0]["comment_ids"][0])
        text, writer = typical.comment, db.session.get(User, typical.person_id)
        privacy.anonymise(writer, writer)
        privacy.anonymise(db.session.get(User, other.id), db.session.get(User, other.id))
        db.session.commit()
        assert db.session.scalars(select(ThemeRun.requester_id)).all() == [trainer.id]
    staff_sign_in(trainer)
    assert text not in visible_text(client.get("/staff/themes").get_data(as_text=True))
