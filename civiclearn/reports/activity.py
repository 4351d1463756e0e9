"""The raw activity of a centre's learners, one row per event, for analysts: lessons opened and finished,
quiz attempts, certificates issued. Read in slices (`yield_per`) and streamed, so memory stays flat."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, cast, literal, null, select, union_all

from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.certificates.models import Certificate
from civiclearn.courses.models import CourseRecord, LessonRecord, ModuleRecord, QuizRecord
from civiclearn.courses.schema import Bilingual
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress, QuizAttempt

SLICE = 2000  # rows fetched from the database at a time
NO_SCORE, NO_PASS = cast(null(), Integer), cast(null(), Boolean)  # typed: PostgreSQL matches a union's columns


def learners_of(centre: Centre):
    return (select(Enrolment.person_id).join(Cohort).where(Cohort.centre_id == centre.id)
            .distinct().scalar_subquery())


def events(learners):
    """One select of every event of the people `learners` selects, oldest first. Anonymised learners keep their
    id (for counts), not their code. `helped`: a lesson finished with help (the practice's answer seen)."""
    opened = (select(LessonProgress.started_at.label("at"), literal("lesson.open").label("event"),
                     LessonProgress.user_id.label("person"), CourseRecord.key.label("course"),
                     ModuleRecord.key.label("module"), LessonRecord.key.label("item"),
                     NO_SCORE.label("score"), NO_PASS.label("passed"), NO_PASS.label("helped")))
    finished = (select(LessonProgress.completed_at, literal("lesson.complete"), LessonProgress.user_id,
                       CourseRecord.key, ModuleRecord.key, LessonRecord.key, NO_SCORE, NO_PASS,
                       LessonProgress.completed_with_help)
                .where(LessonProgress.completed_at.is_not(None)))
    opened, finished = (query.select_from(LessonProgress)
                        .join(LessonRecord, LessonRecord.id == LessonProgress.lesson_id)
                        .join(ModuleRecord, ModuleRecord.id == LessonRecord.module_id)
                        .join(CourseRecord, CourseRecord.id == LessonRecord.course_id)
                        .where(LessonProgress.user_id.in_(learners)) for query in (opened, finished))
    attempts = (select(QuizAttempt.submitted_at, literal("quiz.attempt"), QuizAttempt.user_id, CourseRecord.key,
                       ModuleRecord.key, QuizRecord.key, QuizAttempt.score, QuizAttempt.passed, NO_PASS)
                .join(QuizRecord, QuizRecord.id == QuizAttempt.quiz_id)
                .join(ModuleRecord, ModuleRecord.id == QuizRecord.module_id)
                .join(CourseRecord, CourseRecord.id == QuizRecord.course_id)
                .where(QuizAttempt.user_id.in_(learners)))
    issued = (select(Certificate.issued_at, literal("certificate.issue"), Certificate.person_id, Certificate.award,
                     cast(null(), String), Certificate.code, NO_SCORE, NO_PASS, NO_PASS)
              .where(Certificate.person_id.in_(learners)))
    every = union_all(opened, finished, attempts, issued).subquery()
    return (select(every.c.at, every.c.event, every.c.person, User.learner_code, every.c.course, every.c.module,
                   every.c.item, every.c.score, every.c.passed, every.c.helped)
            .join(User, User.id == every.c.person).order_by(every.c.at, every.c.person))


def rows(centre: Centre) -> Iterator[tuple]:
    """The events as rows (at, event, learner id, learner code, course, module, item, score, passed, helped),
    fetched SLICE at a time."""
    # Core, not the ORM: plain rows are about a third cheaper, and nothing here needs objects.
    # (yield_per for this statement only: Connection.execution_options would change the session's connection
    # for the rest of the request, and on PostgreSQL the audit row written after the rows would fail.)
    result = db.session.connection().execute(events(learners_of(centre)), execution_options={"yield_per": SLICE})
    for at, event, person, code, course, module, item, score, passed, helped in result:
        yield (at, event, person, code, course, module or "", item, score, None if passed is None else bool(passed),
               bool(helped))


@dataclass
class Moment:
    """One event on a learner's timeline, with the title of what it was about (None once no longer served)."""

    at: datetime
    event: str
    about: str  # the course's key; for a certificate, its award ("course:<key>" or "leader")
    title: Bilingual | None
    score: int | None
    passed: bool | None
    helped: bool  # a lesson finished with help


def timeline(person: User, limit: int = 200) -> list[Moment]:
    """The person's latest events, newest first, for their page."""
    every = events(select(User.id).where(User.id == person.id).scalar_subquery()).subquery()
    served = catalogue()
    moments = []
    for at, event, _person, _code, course_key, module_key, item, score, passed, helped in db.session.execute(
            select(every).order_by(every.c.at.desc()).limit(limit)):
        moments.append(Moment(at, event, course_key, title_of(served, event, course_key, module_key, item), score,
                              passed, bool(helped)))
    return moments


def title_of(served, event: str, course_key: str, module_key: str | None, item: str) -> Bilingual | None:
    if event == "certificate.issue":  # course_key holds the award: "course:<key>" or "leader"
        course = served.course(course_key.removeprefix("course:"))
        return course.title if course else None
    course = served.course(course_key)
    module = course.module(module_key) if course else None
    if module is None:
        return None
    if event == "quiz.attempt":
        return module.title
    lesson = module.lesson(item)
    return lesson.title if lesson else None
