"""Civic action notes as a second source of the themes: the same job and page, only the notes of the actions the
staff member may see (their centres' learners), grouped, with the channels they came by."""

from collections import Counter
from datetime import date
from itertools import cycle

from sqlalchemy import insert, select

from civiclearn.accounts.models import User
from civiclearn.civic.models import CHANNELS, CivicAction
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.privacy import services as privacy
from civiclearn.themes import services
from civiclearn.themes.models import ThemeRun
from tests.helpers import visible_text


def note_actions(app) -> dict[int, str]:
    """Each fixture learner logs an action whose note is their comment (the channels taken in turn); the comments
    themselves are emptied, so only the notes can make themes. Returns each action's channel by id."""
    with app.app_context():
        said = db.session.execute(select(ModuleFeedback.person_id, ModuleFeedback.comment)).all()
        db.session.execute(insert(CivicAction), [
            {"person_id": person, "token": f"note-{person}", "kind": "reported_problem", "channel": channel,
             "done_on": date(2026, 11, 1), "note": note[:280]}
            for (person, note), channel in zip(said, cycle(CHANNELS))])
        db.session.execute(ModuleFeedback.__table__.update().values(comment=""))
        db.session.commit()
        return dict(db.session.execute(select(CivicAction.id, CivicAction.channel)).all())


def run_of(app, staff, source: str) -> ThemeRun:
    with app.app_context():
        found, _new = services.request_run(db.session.get(User, staff.id), source, {}, "en")
        db.session.commit()
        services.run(found.id)
        return db.session.get(ThemeRun, found.id)


def test_the_notes_of_a_centres_actions_make_themes_for_its_trainer_only(app, commented, fixture_texts):
    trainer, other = commented
    channels = note_actions(app)
    mine, theirs = run_of(app, trainer, "actions"), run_of(app, other, "actions")
    feedback = run_of(app, trainer, "feedback")
    assert (mine.status, mine.comment_count, theirs.comment_count, feedback.comment_count) == ("done", 164, 0, 0)
    assert len(mine.themes) >= 7 and any("traffy" in theme["words"] for theme in mine.themes)
    with app.app_context():
        shown = services.shown_themes(db.session.get(User, trainer.id), mine)
    assert sum(len(theme.comments) for theme in shown) >= 150
    for theme in shown:  # each theme counts its comments by the channel they came by
        assert theme.about == dict(Counter(channels[said.id] for said in theme.comments))


def test_the_page_shows_the_notes_themes_with_their_channels(app, client, commented, english, staff_sign_in,
                                                             fixture_texts):
    trainer, _other = commented
    note_actions(app)
    run_of(app, trainer, "actions")
    staff_sign_in(trainer)
    text = visible_text(client.get("/staff/themes?source=actions").get_data(as_text=True))
    assert "Comments read 164" in text and "Channels: " in text and "Traffy Fondue (" in text
    assert sum(note in text for note in fixture_texts) >= 150 and "ผู้เรียนลับ" not in text
    feedback_page = visible_text(client.get("/staff/themes").get_data(as_text=True))
    assert "have not been found yet" in feedback_page  # each source has its own runs
    refused = client.get("/staff/themes?source=learners")
    assert refused.status_code == 400 and "There are no such comments" in visible_text(refused.get_data(as_text=True))


def test_a_deleted_learner_takes_their_note_off_the_page(app, client, commented, english, staff_sign_in):
    trainer, _other = commented
    note_actions(app)
    shown = run_of(app, trainer, "actions")
    with app.app_context():
        typical = db.session.get(CivicAction, shown.themes[0]["comment_ids"][0])
        note, writer = typical.note, db.session.get(User, typical.person_id)
        privacy.anonymise(writer, writer)
        db.session.commit()
    staff_sign_in(trainer)
    assert note not in visible_text(client.get("/staff/themes?source=actions").get_data(as_text=True))
