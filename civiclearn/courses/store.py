"""Loading courses into the database, and the catalogue each app process serves from it.

A course loads all-or-nothing: its files are read and checked first, and only a course without
problems is written, in one transaction. The database keeps a snapshot of the last good files,
so the app goes on serving that version while someone fixes a broken edit on disk.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from civiclearn.courses.models import CourseRecord, LessonRecord, ModuleRecord, QuizRecord
from civiclearn.courses.reader import check_pathway, read_course
from civiclearn.courses.schema import Course, Lesson, Problem, Quiz
from civiclearn.courses.sources import COURSE_FILE, CourseSource, course_folders
from civiclearn.database import utcnow
from civiclearn.extensions import db

logger = logging.getLogger(__name__)


@dataclass
class LoadResult:
    key: str
    status: str  # "loaded", "unchanged" or "not loaded"
    version: int | None = None
    problems: list[Problem] = field(default_factory=list)


def check_courses(root: Path) -> list[tuple[CourseSource, Course | None, list[Problem]]]:
    """Read and check every course in `root` without touching the database, then what they say of each other.

    Each course stands alone: one with problems, even one the checker fails on, never stops the others.
    """
    checked = [_check(CourseSource.from_directory(folder)) for folder in course_folders(root)]
    courses = {course.key: course for _source, course, _problems in checked if course}
    broken = {source.key for source, course, _problems in checked if course is None}
    for index, (source, course, problems) in enumerate(checked):
        across = check_pathway(course, courses, broken, source.shown(COURSE_FILE)) if course else []
        if across:
            checked[index] = (source, None, problems + across)
    return checked


def _check(source: CourseSource) -> tuple[CourseSource, Course | None, list[Problem]]:
    """One course read and checked; should the checker itself fail on some file, that is this course's problem."""
    try:
        return source, *read_course(source)
    except Exception as error:  # noqa: BLE001 - a checker bug must not stop the other courses; the log has the trace
        logger.exception("the checker failed on %s", source.label)
        return source, None, [Problem(source.shown(COURSE_FILE), 1, f"the checker failed on this course ({type(error).__name__}); "
                                      "please report it to the CivicLearn developers with the files")]


def load_courses(root: Path) -> list[LoadResult]:
    """Check every course in `root` and store each good one; each course commits on its own."""
    results = []
    for source, course, problems in check_courses(root):
        if problems:
            results.append(LoadResult(source.key, "not loaded", problems=problems))
            continue
        try:
            result = store_course(source, course)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        results.append(result)
    current_app.extensions["civiclearn.catalogue"].invalidate()
    return results


def store_course(source: CourseSource, course: Course) -> LoadResult:
    """Write a checked course: upsert its items by key, retire the ones that left. Flushes only."""
    record = db.session.scalar(select(CourseRecord).where(CourseRecord.key == course.key))
    if record and record.source_hash == course.source_hash and record.retired_at is None:
        return LoadResult(course.key, "unchanged", record.version)
    now = utcnow()
    if record is None:
        record = CourseRecord(key=course.key, version=0)
        db.session.add(record)
    record.version += 1
    record.title_th, record.title_en = course.title.th, course.title.en
    record.source_hash = course.source_hash
    record.source_dir = str(source.folder)
    record.snapshot = source.snapshot()
    record.loaded_at, record.retired_at = now, None
    db.session.flush()

    modules = _sync(ModuleRecord, record.id, [
        (module.key, module.title, position, {}) for position, module in enumerate(course.modules, start=1)
    ], now)
    _sync(LessonRecord, record.id, [
        (lesson.key, lesson.title, position, {"module_id": modules[module.key].id})
        for module in course.modules for position, lesson in enumerate(module.lessons, start=1)
    ], now)
    _sync(QuizRecord, record.id, [
        (module.quiz.key, module.quiz.title, len(module.lessons) + 1, {"module_id": modules[module.key].id})
        for module in course.modules if module.quiz
    ], now)
    return LoadResult(course.key, "loaded", record.version)


def _sync(model, course_id: int, items: list, now) -> dict:
    """Make `model` rows of a course match `items` (key, title, position in its parent, other columns)."""
    existing = {row.key: row for row in db.session.scalars(select(model).where(model.course_id == course_id))}
    current = {}
    for key, title, position, extra in items:
        row = existing.get(key) or model(course_id=course_id, key=key)
        row.title_th, row.title_en, row.position, row.retired_at = title.th, title.en, position, None
        for column, value in extra.items():
            setattr(row, column, value)
        db.session.add(row)
        current[key] = row
    for key, row in existing.items():
        if key not in current and row.retired_at is None:
            row.retired_at = now
    db.session.flush()
    return current


def retire_course(key: str) -> bool:
    """Stop serving a course; its rows and learners' progress stay. Loading it again brings it back. Flushes."""
    record = db.session.scalar(select(CourseRecord).where(CourseRecord.key == key, CourseRecord.retired_at.is_(None)))
    if record is None:
        return False
    record.retired_at = utcnow()
    db.session.flush()
    return True


class Catalogue:
    """The courses one app process serves, with lookups by database id."""

    def __init__(self, courses: list[Course]):
        self.courses = sorted(courses, key=lambda course: (course.order, course.key))
        self.stamp = tuple(sorted((course.key, course.version) for course in courses))
        self._courses = {course.key: course for course in courses}
        self._lessons: dict[int, Lesson] = {}
        self._quizzes: dict[int, Quiz] = {}
        for course in courses:
            self._lessons.update((lesson.id, lesson) for lesson in course.lessons())
            self._quizzes.update((quiz.id, quiz) for quiz in course.quizzes())

    def course(self, key: str) -> Course | None:
        return self._courses.get(key)

    def lesson_by_id(self, lesson_id: int) -> Lesson | None:
        return self._lessons.get(lesson_id)

    def quiz_by_id(self, quiz_id: int) -> Quiz | None:
        return self._quizzes.get(quiz_id)


class CatalogueHolder:
    """Keeps a process's catalogue in step with the database, checking at most every `poll_seconds`."""

    def __init__(self, poll_seconds: float):
        self.poll_seconds = poll_seconds
        self._catalogue = Catalogue([])
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        self._checked_at = float("-inf")

    def get(self) -> Catalogue:
        if time.monotonic() - self._checked_at >= self.poll_seconds:
            self._refresh()
        return self._catalogue

    def _refresh(self) -> None:
        rows = db.session.execute(
            select(CourseRecord.key, CourseRecord.version).where(CourseRecord.retired_at.is_(None))
        ).all()
        stamp = tuple(sorted((key, version) for key, version in rows))
        if stamp != self._catalogue.stamp:
            with self._lock:
                if stamp != self._catalogue.stamp:
                    self._catalogue = self._rebuild(dict(stamp))
        self._checked_at = time.monotonic()

    def _rebuild(self, versions: dict[str, int]) -> Catalogue:
        """Reuse courses whose version is unchanged (keeping their rendered lessons); read the others."""
        kept = [course for course in self._catalogue.courses if versions.get(course.key) == course.version]
        kept_keys = {course.key for course in kept}
        for key in versions.keys() - kept_keys:
            course = _course_from_database(key)
            if course:
                kept.append(course)
        return Catalogue(kept)


def _course_from_database(key: str) -> Course | None:
    """Rebuild a course from its stored snapshot and attach the database ids of its items."""
    record = db.session.scalar(select(CourseRecord).where(CourseRecord.key == key))
    course, problems = read_course(CourseSource.from_snapshot(key, record.snapshot))
    if course is None:  # only if a newer app version reads old files more strictly
        current_app.logger.error("course %s v%s cannot be served: %s", key, record.version, problems[0])
        return None
    course.id, course.version, course.media_dir = record.id, record.version, record.source_dir
    ids = {
        model: {row.key: row.id for row in db.session.scalars(
            select(model).where(model.course_id == record.id, model.retired_at.is_(None)))}
        for model in (ModuleRecord, LessonRecord, QuizRecord)
    }
    for module in course.modules:
        module.id = ids[ModuleRecord][module.key]
        for lesson in module.lessons:
            lesson.id = ids[LessonRecord][lesson.key]
        if module.quiz:
            module.quiz.id = ids[QuizRecord][module.quiz.key]
    return course


def catalogue() -> Catalogue:
    """The catalogue of the current app."""
    return current_app.extensions["civiclearn.catalogue"].get()
