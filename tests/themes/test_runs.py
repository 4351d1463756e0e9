"""A run of the themes: asked once while it waits, run as a job, reading only what the requester may read."""

import pytest
from sqlalchemy import select

from civiclearn.accounts.models import User
from civiclearn.extensions import db
from civiclearn.themes import services
from civiclearn.themes.models import ThemeRun


def test_a_run_finds_the_themes_of_the_comments_its_requester_may_read(app, commented):
    trainer, other = commented
    with app.app_context():
        mine, _new = services.request_run(db.session.get(User, trainer.id), "feedback", {}, "en")
        theirs, _new = services.request_run(db.session.get(User, other.id), "feedback", {}, "en")
        db.session.commit()
        services.run(mine.id)
        services.run(theirs.id)
        mine, theirs = db.session.get(ThemeRun, mine.id), db.session.get(ThemeRun, theirs.id)
        assert (mine.status, mine.comment_count, theirs.status, theirs.comment_count) == ("done", 164, "done", 0)
        assert len(mine.themes) >= 7 and theirs.themes == []
        assert any("traffy" in theme["words"] for theme in mine.themes)
        readable = services.readable_comments(db.session.get(User, trainer.id), mine)
        assert len(readable) == sum(len(theme["comment_ids"]) for theme in mine.themes)
        assert services.readable_comments(db.session.get(User, other.id), mine) == {}


def test_filters_narrow_the_comments(app, commented, sample):
    trainer, _other = commented
    with app.app_context():
        viewer = db.session.get(User, trainer.id)
        assert len(services.comments(viewer, "feedback", {"district": "แม่ริม", "months": 3})) == 164
        assert services.comments(viewer, "feedback", {"district": "สันทราย"}) == []
        assert services.comments(viewer, "feedback", {"modules": [sample.modules[-1].id]}) == []


def test_a_run_waiting_is_not_asked_twice_and_a_job_runs_once(app, commented):
    trainer, _other = commented
    with app.app_context():
        viewer = db.session.get(User, trainer.id)
        first, new = services.request_run(viewer, "feedback", {"months": 6}, "th")
        again, new_again = services.request_run(viewer, "feedback", {"months": 6}, "th")
        other_filters, _new = services.request_run(viewer, "feedback", {"months": 3}, "th")
        db.session.commit()
        assert new and not new_again and again.id == first.id and other_filters.id != first.id
        assert services.claim(first.id) and not services.claim(first.id)
        services.run(first.id)  # already claimed: does nothing
        assert db.session.get(ThemeRun, first.id, populate_existing=True).status == "running"


def test_a_failed_run_keeps_its_error(app, commented, monkeypatch):
    trainer, _other = commented

    def broken(viewer, filters):
        raise RuntimeError("no comments today")
    monkeypatch.setitem(services.SOURCES, "feedback", broken)
    with app.app_context():
        found, _new = services.request_run(db.session.get(User, trainer.id), "feedback", {}, "th")
        db.session.commit()
        with pytest.raises(RuntimeError):
            services.run(found.id)
        failed = db.session.scalars(select(ThemeRun)).one()
        assert failed.status == "failed" and "no comments today" in failed.error and failed.finished_at
