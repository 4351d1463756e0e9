"""Centre dashboard and activity export: a centre of 5,000 learners in the 45-lesson digital-citizen course.

Goals (issue 6): the dashboard renders in under 300 ms (the process set up as deploy/gunicorn.conf.py sets it up); its number of SQL queries does not grow with the
learners (tests/reports asserts it); an export of 100,000 activity rows streams in under 10 s with flat
memory. Each learner has read a random share of the lessons (half on average) and tried the quizzes of the
modules they finished, some failing first; a quarter stopped 20 days ago.
Run: .venv/bin/python benchmarks/dashboard.py [learners]   (BENCHMARK_DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
"""

import gc
import random
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta

from common import benchmark_app, cohort_of, percentile
from sqlalchemy import func, insert, select, text

from civiclearn.accounts.services import create_staff, grant_role
from civiclearn.config import ROOT
from civiclearn.courses.store import catalogue, load_courses
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress, QuizAttempt
from civiclearn.reports import activity
from tests.helpers import submit

LEARNERS = 5000
RENDERS = 20
GOALS = {"dashboard": 0.300, "export": 10.0}
PASSWORD = "long enough passphrase"


def centre_with_progress(learners: int):
    """The centre, with learners part-way through the course (progress rows as the pages write them)."""
    load_courses(ROOT / "courses" / "digital-citizen")
    course = catalogue().course("digital-citizen")
    centre, _cohort, people = cohort_of(learners)
    lessons, now, chance = course.lessons(), utcnow(), random.Random(6)
    progress, attempts = [], []
    for person in people:
        when = now - timedelta(days=20 if chance.random() < 0.25 else chance.randint(0, 13))
        read = chance.randint(0, len(lessons))
        progress += [{"user_id": person.id, "lesson_id": lesson.id, "started_at": when, "last_opened_at": when,
                      "completed_at": when if number < read - 1 else None, "seconds_spent": 120}
                     for number, lesson in enumerate(lessons[:read])]
        finished = {lesson.module.key for lesson in lessons[:max(read - 1, 0)]}
        for module in course.modules:
            if module.key in finished and module.quiz:
                tries = chance.choice((1, 1, 2, 3))
                attempts += [{"user_id": person.id, "quiz_id": module.quiz.id, "token": f"b-{person.id}-{module.key}-{n}",
                              "score": 100 if n == tries - 1 and tries < 3 else 40, "passed": n == tries - 1 and tries < 3,
                              "submitted_at": when} for n in range(tries)]
    db.session.execute(insert(LessonProgress), progress)
    db.session.execute(insert(QuizAttempt), attempts)
    grant_role(None, create_staff(None, "Trainer", "trainer", None, PASSWORD), "trainer", centre_id=centre.id)
    db.session.commit()
    if db.engine.url.get_backend_name() == "postgresql":
        db.session.execute(text("ANALYZE"))  # what autovacuum does after a bulk load; without it plans are blind
        db.session.commit()
    return centre, len(progress), len(attempts)


def dashboard(app, centre) -> None:
    client = app.test_client()
    submit(client, "/staff/sign-in", {"login": "trainer", "password": PASSWORD})
    url = f"/centres/{centre.id}/dashboard?course=digital-citizen"
    assert client.get(url).status_code == 200
    gc.freeze()  # as deploy/gunicorn.conf.py does once the app is built (here, once it has served a first page)
    timings = []
    for show in ("all", "needs-help") * (RENDERS // 2):
        start = time.perf_counter()
        response = client.get(f"{url}&show={show}")
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    print(f"Dashboard of {LEARNERS} learners x 45 lessons ({backend}): median "
          f"{statistics.median(timings) * 1000:.0f} ms, p95 {percentile(timings, 0.95) * 1000:.0f} ms of {RENDERS} "
          f"(goal: under {GOALS['dashboard'] * 1000:.0f} ms); page {len(response.data) / 1024:.0f} KB")
    opened = []
    for _ in range(RENDERS // 2):  # as the centre's page links it: no ?course=, so the course studied last is found
        start = time.perf_counter()
        response = client.get(f"/centres/{centre.id}/dashboard")
        opened.append(time.perf_counter() - start)
    assert '<option value="digital-citizen" selected>' in response.get_data(as_text=True)
    print(f"Opened without a course (the one studied last found first): median "
          f"{statistics.median(opened) * 1000:.0f} ms (goal: under {GOALS['dashboard'] * 1000:.0f} ms)")


def export(centre) -> None:
    """The activity export as the response streams it: every row in words (moments as the page writes them, in
    the request's language: Thai) through the CSV writer; then again with its memory traced (tracing slows
    Python down several times, so the time comes from the first run)."""
    from civiclearn.exports import csv_chunks, written_rows
    from civiclearn.reports.tables import activity_table

    def stream() -> tuple[int, int]:
        size = rows = 0
        header, table = activity_table(activity.rows(centre))
        for chunk in csv_chunks(header, written_rows(table)):
            size += len(chunk.encode())
            rows += chunk.count("\n")
        return size, rows - 1
    start = time.perf_counter()
    size, rows = stream()
    took = time.perf_counter() - start
    tracemalloc.start()
    stream()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"Activity export of {rows:,} rows ({size / 1024 / 1024:.1f} MB CSV): {took:.1f} s, "
          f"{rows / took / 1000:.0f}k rows/s (goal: 100,000 rows under {GOALS['export']:.0f} s); "
          f"peak Python memory {peak / 1024 / 1024:.1f} MB")


def main(learners: int) -> None:
    with benchmark_app() as app:
        with app.test_request_context():
            centre, lesson_rows, attempt_rows = centre_with_progress(learners)
            events = db.session.scalar(select(func.count()).select_from(activity.events(
                activity.learners_of(centre)).subquery()))
            print(f"{learners} learners, {lesson_rows:,} lesson rows, {attempt_rows:,} quiz attempts, {events:,} events")
        dashboard(app, centre)
        with app.test_request_context():
            export(centre)


if __name__ == "__main__":
    LEARNERS = int(sys.argv[1]) if len(sys.argv) > 1 else LEARNERS
    main(LEARNERS)
