"""Configuration from the environment: database URLs, the generated secret key, SQLite settings."""

import stat

import pytest

from sqlalchemy import text

from civiclearn.config import database_url, secret_key
from civiclearn.extensions import db


def test_database_urls_default_to_sqlite_and_use_psycopg_3_for_postgresql(tmp_path):
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path / 'civiclearn.db'}"
    assert database_url("postgres://u@h/d", tmp_path) == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql://u@h/d", tmp_path) == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql+psycopg://u@h/d", tmp_path) == "postgresql+psycopg://u@h/d"


def test_a_missing_secret_key_is_generated_once_and_kept_private(tmp_path):
    instance = tmp_path / "instance"
    first = secret_key(instance)
    assert len(first) >= 40
    assert secret_key(instance) == first
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
    assert [path.name for path in instance.iterdir()] == ["secret_key"]


def test_the_environment_configures_the_app(monkeypatch, tmp_path):
    from civiclearn.config import Config
    monkeypatch.setenv("DATABASE_URL", "postgresql://learn@db/civic")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("CIVICLEARN_PROXIES", "1")
    settings = Config.from_environment(tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://learn@db/civic"
    assert settings["SECRET_KEY"] == "from-the-environment" and settings["PROXIES"] == 1
    assert not (tmp_path / "secret_key").exists()


def test_sqlite_runs_with_foreign_keys_and_write_ahead_logging(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL always enforces foreign keys and needs no journal setting")
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_every_limit_is_set_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CIVICLEARN_SIGN_IN_ADDRESS_LIMIT", "500 per 5 minutes;5000 per day")
    monkeypatch.setenv("CIVICLEARN_SIGN_IN_LOCK_AFTER", "8")
    monkeypatch.setenv("CIVICLEARN_VERIFY_LIMIT", "5 per minute")
    from civiclearn.config import Config
    settings = Config.from_environment(tmp_path)
    assert settings["SIGN_IN_ADDRESS_LIMIT"] == "500 per 5 minutes;5000 per day"
    assert settings["SIGN_IN_LOCK_AFTER"] == 8 and settings["VERIFY_LIMIT"] == "5 per minute"
    monkeypatch.setenv("CIVICLEARN_OPEN_DATA_LIMIT", "thirty a minute")
    with pytest.raises(ValueError, match="CIVICLEARN_OPEN_DATA_LIMIT"):
        Config.from_environment(tmp_path)
