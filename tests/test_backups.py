"""Backups round-trip on both databases: back up, change, restore, and the database is as it was backed up."""

from sqlalchemy import select

from civiclearn.accounts.models import User
from civiclearn.extensions import db


def people(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(select(User.id, User.display_name, User.learner_code).order_by(User.id)).all()
        db.session.remove()
        return [tuple(row) for row in rows]


def flask(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_a_backup_restores_the_database_as_it_was(app, make_learner, tmp_path):
    make_learner(name="สมศรี ใจดี")
    make_learner(name="Anan Rakdee")
    before = people(app)
    backup = tmp_path / "backups" / "civiclearn.backup"
    made = flask(app, "backup", "create", str(backup))
    assert made.exit_code == 0, made.output
    assert backup.stat().st_mode & 0o077 == 0  # names and PIN hashes: readable by its owner only

    with app.app_context():  # what happens after the backup, and must go
        db.session.execute(db.update(User).values(display_name="changed"))
        db.session.add(User(display_name="added later", learner_code="ZZZZZZ"))
        db.session.commit()
        db.session.remove()
    assert people(app) != before

    restored = flask(app, "backup", "restore", "--yes", str(backup))
    assert restored.exit_code == 0, restored.output
    assert people(app) == before


def test_restoring_a_file_that_is_no_backup_says_so_and_changes_nothing(app, make_learner, tmp_path):
    make_learner(name="สมศรี ใจดี")
    before = people(app)
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    refused = flask(app, "backup", "restore", "--yes", str(junk))
    assert refused.exit_code != 0 and "Error:" in refused.output
    assert people(app) == before
