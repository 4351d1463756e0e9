"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from civiclearn.extensions import db, migrations


def test_migrations_match_the_models(app):
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_an_sqlite_database_with_data_upgrades_from_the_first_migration(make_app, tmp_path):
    """A centre that installed an earlier version upgrades with its learners and progress intact."""
    from sqlalchemy import text
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.db'}")
    with app.app_context():
        migrations().upgrade(revision="748256835544")
        db.session.execute(text(
            "INSERT INTO person (id, display_name, learner_code, created_at) VALUES (1, 'สมศรี', 'CAT347', '2026-01-01')"))
        db.session.execute(text(
            "INSERT INTO course (id, key, title_th, title_en, version, source_hash, source_dir, snapshot, loaded_at)"
            " VALUES (1, 'c', 'ท', 'e', 1, 'h', '/x', '{}', '2026-01-01')"))
        db.session.execute(text("INSERT INTO module (id, course_id, key, title_th, title_en, position) VALUES (1, 1, 'm', 'ท', 'e', 1)"))
        db.session.execute(text(
            "INSERT INTO lesson (id, course_id, module_id, key, title_th, title_en, position) VALUES (1, 1, 1, 'l', 'ท', 'e', 1)"))
        db.session.execute(text(
            "INSERT INTO lesson_progress (user_id, lesson_id, started_at, last_opened_at, seconds_spent)"
            " VALUES (1, 1, '2026-01-01', '2026-01-01', 60)"))
        db.session.commit()
        migrations().upgrade()
        assert db.session.execute(text("SELECT display_name FROM person")).scalar() == "สมศรี"
        assert db.session.execute(text("SELECT seconds_spent FROM lesson_progress")).scalar() == 60
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
