"""Progress rules: opening and finishing lessons, grading quizzes, and where a learner stands.

Functions flush and never commit; the request that calls them commits once.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, bindparam, case, cast, func, literal, null, select, union_all, update
from sqlalchemy.exc import IntegrityError

from civiclearn.accounts.models import User
from civiclearn.courses.schema import Choice, Course, Lesson, Module, Question, Quiz
from civiclearn.courses.store import Catalogue
from civiclearn.database import upsert, utcnow
from civiclearn.extensions import db
from civiclearn.learning.models import AttemptAnswer, LessonProgress, QuizAttempt

AWAY_SECONDS = 30 * 60  # a longer gap between two visits means the learner was away: it counts as nothing


def choices_in_order(question: Question, token: str | None) -> list[Choice]:
    """A question's choices in the order one attempt shows them: shuffled by the attempt's token, so where the
    right answer stands gives nothing away, yet the same on every page of the attempt (Back, a reload, a language
    switch) and on its feedback. True / false stays in that order."""
    if question.kind == "true_false" or not token:
        return list(question.choices)
    return sorted(question.choices,
                  key=lambda choice: hashlib.sha256(f"{token}\0{question.key}\0{choice.key}".encode()).digest())


VISIT_WRITTEN_AFTER_SECONDS = 60  # a visit this soon after the last one written is not written


def _record_visit(user: User, lesson: Lesson, complete: bool, with_help: bool | None = None) -> None:
    """Start the lesson once, credit the reading time since the last visit, and mark it done if asked: with help
    (True: only a first completion), done alone (False: clears earlier help) or as it was (None).

    Most views write nothing: a visit within a minute of the last one written (a reload, a language switch,
    Back) is left out, and its time is credited with the next visit written, since the time between written
    visits adds up the same. So "last opened" is exact to the minute, started, completed and reading time
    exactly; and learners reading do not queue on the database (SQLite has one writer)."""
    now = utcnow()
    progress = _progress_of(user, lesson)
    if progress is None:
        values = {"user_id": user.id, "lesson_id": lesson.id, "started_at": now, "last_opened_at": now,
                  "seconds_spent": 0}
        upsert(db.session, LessonProgress, values, ["user_id", "lesson_id"])  # two first visits: one row
        if not complete:
            return  # started now: nothing to credit yet
        progress = _progress_of(user, lesson)
    elif not complete and (now - progress.last_opened_at).total_seconds() < VISIT_WRITTEN_AFTER_SECONDS:
        return
    gap = int((now - progress.last_opened_at).total_seconds())
    credit = gap if 0 < gap <= AWAY_SECONDS else 0
    # One statement. The visit is credited only if the last visit we read is still the last one written, so two
    # simultaneous requests credit the time once; the completion is unconditional: a racing visit must never cost it.
    unchanged = LessonProgress.last_opened_at == progress.last_opened_at
    values = {"seconds_spent": LessonProgress.seconds_spent + case((unchanged, credit), else_=0),
              "last_opened_at": case((unchanged, literal(now, LessonProgress.last_opened_at.type)),
                                     else_=LessonProgress.last_opened_at)}
    if complete and (progress.completed_at is None or (with_help is False and progress.completed_with_help)):
        values["completed_at"] = func.coalesce(LessonProgress.completed_at, now)
        if with_help is not None:  # help marks a first completion only, never one the learner made alone
            values["completed_with_help"] = case((LessonProgress.completed_at.is_(None), True),
                                                 else_=LessonProgress.completed_with_help) if with_help else False
    db.session.execute(update(LessonProgress).where(LessonProgress.id == progress.id).values(**values)
                       .execution_options(synchronize_session=False))


# The progress reads every learner page makes, built once with placeholders: building a statement costs more than
# running it (SQLAlchemy checks every part of it), and they run on every lesson view.
_PROGRESS_OF = (
    select(LessonProgress.id, LessonProgress.last_opened_at, LessonProgress.completed_at,
           LessonProgress.completed_with_help)
    .where(LessonProgress.user_id == bindparam("user_id"), LessonProgress.lesson_id == bindparam("lesson_id"))
)


def _progress_of(user: User, lesson: Lesson):
    """The learner's row for the lesson, as plain values (id, last opened, completed, with help), or None."""
    return db.session.execute(_PROGRESS_OF, {"user_id": user.id, "lesson_id": lesson.id}).first()


class PracticePending(ValueError):
    """"Done" on a practice lesson whose practice the learner has not done well yet, nor seen the answer of."""


def record_practice(user: User, lesson: Lesson, done: bool, answer_seen: bool = False) -> None:
    """A look at a lesson, or a go at its practice: done well, the lesson is complete; with help if the learner had
    seen the answer, else done alone (which clears the help of an earlier completion)."""
    if done:
        complete_lesson(user, lesson, with_help=answer_seen)
    else:
        open_lesson(user, lesson)


def finish_lesson(user: User, lesson: Lesson, answer_seen: bool = False) -> None:
    """"Done" on a lesson. A practice lesson counts once its practice was done well, or, done with help, once the
    learner has seen its answer (after two wrong tries: `learning.practice`). Flushes."""
    if lesson.activity and not _completed(user, lesson):
        if not answer_seen:
            raise PracticePending(lesson.key)
        complete_lesson(user, lesson, with_help=True)
        return
    complete_lesson(user, lesson)


def _completed(user: User, lesson: Lesson) -> bool:
    progress = _progress_of(user, lesson)
    return progress is not None and progress.completed_at is not None


def open_lesson(user: User, lesson: Lesson) -> None:
    """Record a visit to a lesson (a reload or a language switch keeps counting the reading time)."""
    _record_visit(user, lesson, complete=False)


def complete_lesson(user: User, lesson: Lesson, with_help: bool | None = None) -> None:
    """Mark a lesson done (the first time counts) and credit the reading time; `with_help` as in `_record_visit`."""
    _record_visit(user, lesson, complete=True, with_help=with_help)


@dataclass
class Grade:
    score: int
    passed: bool
    correct: dict[str, bool]  # question key -> answered right


def grade(quiz: Quiz, answers: dict[str, frozenset[str]]) -> Grade:
    """Score a quiz: a question is right when exactly its correct choices are chosen.

    Passing compares exact shares (7 of 8 is 87.5%, below a pass mark of 88); the score shown is
    rounded half up.
    """
    correct = {question.key: answers.get(question.key, frozenset()) == question.correct_keys
               for question in quiz.questions}
    right, total = sum(correct.values()), len(quiz.questions)
    score = (200 * right + total) // (2 * total)
    return Grade(score, 100 * right >= quiz.pass_mark * total, correct)


def unanswered(quiz: Quiz, answers: dict[str, frozenset[str]]) -> list[Question]:
    """The questions without an answer: a quiz is checked only once every question has one."""
    return [question for question in quiz.questions if not answers.get(question.key)]


class TokenReused(ValueError):
    """A quiz form arrived with the token of another quiz's attempt (a tampered form)."""


def earlier_attempt(user: User, quiz: Quiz, token: str) -> QuizAttempt | None:
    """The attempt this form token has already made (the form was sent before), or None; TokenReused if the
    token made another quiz's attempt."""
    existing = _attempt_by_token(user, token)
    if existing and existing.quiz_id != quiz.id:
        raise TokenReused(token)
    return existing


def submit_quiz(user: User, quiz: Quiz, token: str, answers: dict[str, frozenset[str]]) -> QuizAttempt:
    """Record an attempt once per form token; the same form sent twice returns the first attempt."""
    existing = earlier_attempt(user, quiz, token)
    if existing:
        return existing
    result = grade(quiz, answers)
    attempt = QuizAttempt(user_id=user.id, quiz_id=quiz.id, token=token, score=result.score,
                          passed=result.passed, submitted_at=utcnow())
    attempt.answers = [
        AttemptAnswer(question_key=question.key, chosen=",".join(sorted(answers.get(question.key, ()))),
                      correct=result.correct[question.key])
        for question in quiz.questions
    ]
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # the same form won a race in another request
        return _attempt_by_token(user, token)
    return attempt


def _attempt_by_token(user: User, token: str) -> QuizAttempt | None:
    return db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.token == token))


@dataclass
class ModuleStatus:
    """Where a learner stands in one module."""

    module: Module
    completed_lessons: set[str] = field(default_factory=set)  # lesson keys
    helped_lessons: set[str] = field(default_factory=set)  # completed after seeing the practice's answer
    opened_lessons: set[str] = field(default_factory=set)
    best_score: int | None = None
    quiz_passed: bool = False
    # When and where the learner was last in the module: the lesson opened, or the quiz sent, most recently.
    latest: tuple[datetime, Lesson | Quiz] | None = None

    @property
    def steps_total(self) -> int:
        return len(self.module.lessons) + (1 if self.module.quiz else 0)

    @property
    def steps_done(self) -> int:
        return len(self.completed_lessons) + (1 if self.quiz_passed else 0)

    @property
    def complete(self) -> bool:
        return self.steps_done == self.steps_total

    @property
    def started(self) -> bool:
        return bool(self.opened_lessons) or self.best_score is not None

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 100

    def lesson_done(self, lesson: Lesson) -> bool:
        return lesson.key in self.completed_lessons

    def lesson_helped(self, lesson: Lesson) -> bool:
        """Done with help: counted as done, and shown as such to staff."""
        return lesson.key in self.helped_lessons

    @property
    def lessons_helped(self) -> list[Lesson]:
        return [lesson for lesson in self.module.lessons if self.lesson_helped(lesson)]


def course_status(user: User, course: Course) -> dict[str, ModuleStatus]:
    """The learner's status in every module of a course, in one query."""
    return course_statuses(user, [course])[course.key]


CourseStatuses = dict[str, dict[str, ModuleStatus]]  # course key -> module key -> status


def course_statuses(user: User, courses: list[Course]) -> CourseStatuses:
    """The learner's status in every module of several courses (course key -> module key -> status), in one
    query whatever the number of courses (the home page shows them all)."""
    statuses = _statuses(user, [module for course in courses for module in course.modules])
    return {course.key: {module.key: statuses[module] for module in course.modules} for course in courses}


def module_status(user: User, module: Module) -> ModuleStatus:
    return _statuses(user, [module])[module]


def _statuses(user: User, modules: list[Module]) -> dict[Module, ModuleStatus]:
    """The learner's status in each of `modules`, in one query (none for a visitor)."""
    statuses = {module: ModuleStatus(module) for module in modules}
    if not user.is_authenticated:
        return statuses
    lessons = {lesson.id: lesson for module in modules for lesson in module.lessons}
    quizzes = {module.quiz.id: module.quiz for module in modules if module.quiz}
    rows = db.session.execute(_PROGRESS_ROWS if quizzes else _LESSON_ROWS,
                              {"user_id": user.id, "lesson_ids": list(lessons), "quiz_ids": list(quizzes)})
    for kind, item_id, done, score, at in rows:
        if kind == LESSON_ROW:
            item = lessons[item_id]
            status = statuses[item.module]
            status.opened_lessons.add(item.key)
            if done:
                status.completed_lessons.add(item.key)
            if done == DONE_WITH_HELP:
                status.helped_lessons.add(item.key)
        else:
            item = quizzes[item_id]
            status = statuses[item.module]
            status.best_score = score
            status.quiz_passed = bool(done)
        if status.latest is None or at > status.latest[0]:
            status.latest = (at, item)
    return statuses


LESSON_ROW, QUIZ_ROW = 0, 1
DONE_WITH_HELP = 2  # a lesson row's "completed": 0 not yet, 1 done, 2 done with help


# (LESSON_ROW, lesson id, completed, None, last opened) for each lesson opened, then (QUIZ_ROW, quiz id, passed, best
# score, last sent) for each quiz tried: one round trip to the database for a page's progress bar, its next step and
# "continue where you left off". Built once (see above).
_LESSON_ROWS = (
    select(literal(LESSON_ROW), LessonProgress.lesson_id,
           case((LessonProgress.completed_at.is_(None), 0), (LessonProgress.completed_with_help, DONE_WITH_HELP),
                else_=1),
           cast(null(), Integer), LessonProgress.last_opened_at)
    .where(LessonProgress.user_id == bindparam("user_id"),
           LessonProgress.lesson_id.in_(bindparam("lesson_ids", expanding=True)))
)
# A pass counts as given at the time: raising a pass mark later does not take it back.
_PROGRESS_ROWS = union_all(_LESSON_ROWS, (
    select(literal(QUIZ_ROW), QuizAttempt.quiz_id, func.max(case((QuizAttempt.passed, 1), else_=0)),
           func.max(QuizAttempt.score), func.max(QuizAttempt.submitted_at))
    .where(QuizAttempt.user_id == bindparam("user_id"), QuizAttempt.quiz_id.in_(bindparam("quiz_ids", expanding=True)))
    .group_by(QuizAttempt.quiz_id)
))


@dataclass(frozen=True)
class Step:
    """A place in a course: a lesson, or a module's quiz (lesson is None)."""

    module: Module
    lesson: Lesson | None = None


def _steps(course: Course) -> list[Step]:
    steps = []
    for module in course.modules:
        steps.extend(Step(module, lesson) for lesson in module.lessons)
        if module.quiz:
            steps.append(Step(module))
    return steps


def _is_done(step: Step, statuses: dict[str, ModuleStatus]) -> bool:
    status = statuses[step.module.key]
    return status.lesson_done(step.lesson) if step.lesson else status.quiz_passed


def step_after_lesson(lesson: Lesson, status: ModuleStatus) -> Step | None:
    """Where "Done" leads: the module's next unfinished step after this lesson (wrapping round, never the
    lesson itself), by the learner's `status` in its module; None when nothing else is left, that is, the module
    is complete once this one is."""
    module = lesson.module
    statuses = {module.key: status}
    steps = [step for step in _steps(module.course) if step.module is module]
    here = steps.index(Step(module, lesson))
    others = steps[here + 1:] + steps[:here]
    return next((step for step in others if not _is_done(step, statuses)), None)


def next_step_in_module(user: User, module: Module, status: ModuleStatus) -> Step | None:
    """The module's first unfinished step (a lesson, or its quiz); None when the module is complete."""
    statuses = {module.key: status}
    return next((step for step in _steps(module.course) if step.module is module and not _is_done(step, statuses)),
                None)


def next_step(user: User, course: Course, after: Step | None = None,
              statuses: dict[str, ModuleStatus] | None = None) -> Step | None:
    """The first unfinished step from `after` onwards (wrapping round); None when the course is done. `statuses`:
    the course's, when the caller read them already."""
    statuses = course_status(user, course) if statuses is None else statuses
    steps = _steps(course)
    start = steps.index(after) if after in steps else 0
    for step in steps[start:] + steps[:start]:
        if not _is_done(step, statuses):
            return step
    return None


def _latest_item(catalogue: Catalogue, learners) -> Lesson | Quiz | None:
    """The served lesson opened, or quiz sent, most recently by the people `learners` selects (their ids, or a select
    of them). Read from the latest rows of each (no join): those of retired lessons or quizzes are skipped, as they
    are no longer in the catalogue."""
    lessons = db.session.execute(
        select(LessonProgress.lesson_id, LessonProgress.last_opened_at).where(LessonProgress.user_id.in_(learners))
        .order_by(LessonProgress.last_opened_at.desc()).limit(20)
    ).all()
    quizzes = db.session.execute(
        select(QuizAttempt.quiz_id, QuizAttempt.submitted_at).where(QuizAttempt.user_id.in_(learners))
        .order_by(QuizAttempt.submitted_at.desc()).limit(20)
    ).all()
    candidates = [(at, lesson) for lesson_id, at in lessons if (lesson := catalogue.lesson_by_id(lesson_id))]
    candidates += [(at, quiz) for quiz_id, at in quizzes if (quiz := catalogue.quiz_by_id(quiz_id))]
    return max(candidates, key=lambda candidate: candidate[0])[1] if candidates else None


def continue_point(user: User, catalogue: Catalogue, statuses: CourseStatuses) -> Step | None:
    """Where "continue where you left off" leads: the last place if unfinished, else the next unfinished
    step of that course, else the first unfinished step of another course; None if nothing was started.
    `statuses`: the learner's in every course served (course_statuses), which say where they were last."""
    latest = [status.latest for course in statuses.values() for status in course.values() if status.latest]
    if not latest:
        return None
    item = max(latest, key=lambda moment: moment[0])[1]
    last = Step(item.module, item) if isinstance(item, Lesson) else Step(item.module)
    step = next_step(user, last.module.course, after=last, statuses=statuses[last.module.course.key])
    others = (next_step(user, course, statuses=statuses[course.key])
              for course in catalogue.courses if course is not last.module.course)
    return step or next((other for other in others if other), None)


def group_course(catalogue: Catalogue, asked: str, learners) -> Course | None:
    """The course a group's pages (a centre's dashboard, a cohort's certificates) open on: the one asked for (the
    page's ?course=) when it is served, else the one the group is studying, else the first served; None when no
    course is served. `learners` selects the ids of the group's learners."""
    return catalogue.course(asked) or course_in_study(catalogue, learners) or next(iter(catalogue.courses), None)


def course_in_study(catalogue: Catalogue, learners) -> Course | None:
    """The served course in which the learners `learners` selects last opened a lesson or sent a quiz; None when
    they have not started one. (The first course served is rarely the one a cohort is on: it opened the pages
    on the wrong course.)"""
    item = _latest_item(catalogue, learners)
    return item.module.course if item else None
