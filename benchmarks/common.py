"""Shared set-up for the benchmark scripts: an app on a fresh, migrated database."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from civiclearn import create_app  # noqa: E402
from civiclearn.config import ROOT  # noqa: E402
from civiclearn.extensions import db  # noqa: E402


@contextmanager
def benchmark_app(courses_dir: Path = ROOT / "courses"):
    """An app on a temporary SQLite file (or on BENCHMARK_DATABASE_URL), migrated and empty."""
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCHMARK_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        app = create_app({"SECRET_KEY": "benchmark", "SQLALCHEMY_DATABASE_URI": url, "COURSES_DIR": courses_dir,
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            if url.startswith("postgresql"):
                db.drop_all()
                db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
                db.session.commit()
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
