"""Shared set-up for the benchmark scripts: an app on a fresh, migrated database."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from civiclearn import codes, create_app  # noqa: E402
from civiclearn.accounts.models import User  # noqa: E402
from civiclearn.centres.models import Centre, Cohort, Enrolment  # noqa: E402
from civiclearn.config import COUNT_SETTINGS, LIMIT_SETTINGS, ROOT  # noqa: E402
from civiclearn.database import utcnow  # noqa: E402
from civiclearn.extensions import db, migrations  # noqa: E402

# Names of every length a cohort has, the longest to see that a card or certificate still fits.
NAMES = ("สมศรี ใจดี", "บุญมี รักดี", "ประภาพรรณ ศรีสุวรรณวงศ์ชัยพัฒนากุล", "Anan Rakdee", "ทองใบ แก้วมณี")


# The limits stay on (their counting is part of what a request costs) but out of reach of a benchmark's requests.
LIMITS_OUT_OF_REACH = {name: "1000000 per minute" for name in LIMIT_SETTINGS} | {name: 1_000_000 for name in COUNT_SETTINGS}


@contextmanager
def benchmark_app(courses_dir: Path = ROOT / "courses"):
    """An app on a temporary SQLite file (or on BENCHMARK_DATABASE_URL), migrated and empty."""
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCHMARK_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        app = create_app({"SECRET_KEY": "benchmark", "SQLALCHEMY_DATABASE_URI": url, "COURSES_DIR": courses_dir,
                          **LIMITS_OUT_OF_REACH})
        with app.app_context():
            if url.startswith("postgresql"):
                db.drop_all()
                db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
                db.session.commit()
            migrations().upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def cohort_of(size: int, **centre_fields) -> tuple[Centre, Cohort, list[User]]:
    """A centre with one cohort of `size` learners (no PINs: nobody signs in), written in bulk. Flushes."""
    centre = Centre(name_th="ศูนย์ดิจิทัลชุมชนตำบลริมใต้", name_en="Rim Tai Digital Centre", province="เชียงใหม่",
                    district="แม่ริม", subdistrict="ริมใต้", lgo_name="เทศบาลตำบลริมใต้", **centre_fields)
    db.session.add(centre)
    db.session.flush()
    cohort = Cohort(centre_id=centre.id, name="รุ่นที่ 1")
    learner_codes = set()
    while len(learner_codes) < size:  # random codes may collide in a large cohort: the database refuses twins
        learner_codes.add(codes.new_code())
    people = [User(display_name=f"{NAMES[number % len(NAMES)]} {number}", learner_code=code)
              for number, code in enumerate(sorted(learner_codes))]
    db.session.add_all([cohort, *people])
    db.session.flush()
    now = utcnow()
    db.session.execute(insert(Enrolment), [{"person_id": person.id, "cohort_id": cohort.id, "enrolled_at": now}
                                           for person in people])
    return centre, cohort, people
