"""Certificate speed and size: one certificate once the process is warm, and a cohort of 1,000 who finished the
sample course issued and printed as one batch (one merged PDF and a ZIP), rendered by a pool of processes.

Goals (issue 5): one certificate under 100 ms once warm; a batch of 1,000 under 30 s on the 2-core machine;
each PDF under 60 KB. The batch's time includes issuing the 1,000 certificates, starting the worker processes,
rendering, merging and zipping; a second run finds every certificate issued already.
Run: .venv/bin/python benchmarks/certificates.py [learners]   (BENCHMARK_DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
"""

import os
import resource
import statistics
import sys
import tempfile
import time
import zipfile

from common import benchmark_app, cohort_of, percentile
from sqlalchemy import insert, select

from civiclearn.centres.models import Cohort
from civiclearn.certificates import batches, services
from civiclearn.certificates.document import certificate_pdf
from civiclearn.certificates.models import Certificate
from civiclearn.config import ROOT
from civiclearn.courses.store import catalogue, load_courses
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress, QuizAttempt

LEARNERS = 1000
RENDERS = 50
GOALS = {"one": 0.100, "batch": 30.0, "size": 60 * 1024}


def cohort_who_finished(learners: int) -> tuple[Cohort, object]:
    """A centre's cohort of `learners`, every one of whom finished the sample course (progress rows as recorded)."""
    load_courses(ROOT / "courses" / "getting-started")
    course = catalogue().course("getting-started")
    _centre, cohort, people = cohort_of(learners, signatory_name="นายประเสริฐ รักษ์ถิ่น",
                                        signatory_title_th="นายกเทศมนตรีตำบลริมใต้", signatory_title_en="Mayor of Rim Tai")
    now = utcnow()
    db.session.execute(insert(LessonProgress), [
        {"user_id": person.id, "lesson_id": lesson.id, "started_at": now, "last_opened_at": now, "completed_at": now,
         "seconds_spent": 60} for person in people for lesson in course.lessons()])
    db.session.execute(insert(QuizAttempt), [
        {"user_id": person.id, "quiz_id": quiz.id, "token": f"bench-{person.id}-{quiz.id}", "score": 100,
         "passed": True, "submitted_at": now} for person in people for quiz in course.quizzes()])
    db.session.commit()
    return cohort, course


def one_certificate(cohort: Cohort, course) -> None:
    person = batches.members(cohort)[0]
    certificate = services.issue_if_course_complete(person, course)
    db.session.commit()
    start = time.perf_counter()
    pdf = certificate_pdf(certificate)
    cold = time.perf_counter() - start
    timings = []
    for _ in range(RENDERS):
        start = time.perf_counter()
        certificate_pdf(certificate)
        timings.append(time.perf_counter() - start)
    print(f"One certificate ({len(pdf) / 1024:.0f} KB): first in the process {cold * 1000:.0f} ms, then median "
          f"{statistics.median(timings) * 1000:.0f} ms, p95 {percentile(timings, 0.95) * 1000:.0f} ms of {RENDERS} "
          f"(goal: under {GOALS['one'] * 1000:.0f} ms)")


def cpu_seconds() -> tuple[float, float]:
    """CPU time used so far by this process, and by its finished child processes (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def batch_of(cohort: Cohort, course, label: str) -> None:
    batch = batches.create(None, cohort, course)
    db.session.commit()
    own, workers = cpu_seconds()
    start = time.perf_counter()
    batch = batches.run(batch.id)
    took = time.perf_counter() - start
    own, workers = (after - before for after, before in zip(cpu_seconds(), (own, workers), strict=True))
    assert batch.status == "done", batch.error
    merged, archive = batches.merged_file(batch), batches.zip_file(batch)
    with zipfile.ZipFile(archive) as opened:
        sizes = [entry.file_size for entry in opened.infolist()]
    print(f"A batch of {batch.total} ({label}, {db.engine.url.get_backend_name()}): {took:.1f} s "
          f"(goal: under {GOALS['batch']:.0f} s); CPU: {workers:.1f} s in {os.cpu_count()} worker processes "
          f"(rendering), {own:.1f} s in this one (issuing, merging, zipping); "
          f"merged PDF {merged.stat().st_size / 1024 / 1024:.1f} MB, ZIP {archive.stat().st_size / 1024 / 1024:.1f} MB")
    print(f"  single PDFs: median {statistics.median(sizes) / 1024:.1f} KB, largest {max(sizes) / 1024:.1f} KB "
          f"(goal: each under {GOALS['size'] / 1024:.0f} KB)")


def main(learners: int) -> None:
    with tempfile.TemporaryDirectory() as files, benchmark_app() as app:
        app.config["CERTIFICATE_BATCHES_DIR"] = files
        with app.test_request_context():
            cohort, course = cohort_who_finished(learners)
            one_certificate(cohort, course)
            batch_of(cohort, course, "issued now")
            batch_of(cohort, course, "run again: all issued already")
            assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == learners


if __name__ == "__main__":  # the worker processes import this module again: they must not run it
    main(int(sys.argv[1]) if len(sys.argv) > 1 else LEARNERS)
