"""A centre's dashboard: its learners x a course's modules, who needs help and why, and each quiz's questions.

Built from a fixed number of aggregate queries whatever the number of learners (one for the learners,
one for lesson progress, one for quiz attempts, two for the last activity in any course, one for the civic
actions each learner logged), then put
together in Python. The states follow `learning.services.ModuleStatus`, so the dashboard and the
learner's own pages always agree.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.civic.services import counts_by_person
from civiclearn.courses.models import LessonRecord
from civiclearn.courses.schema import Course, Module, Quiz
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning.models import AttemptAnswer, LessonProgress, QuizAttempt

STUCK_AFTER = timedelta(days=14)  # no activity for this long, and the course not finished: needs help
FAILS_FOR_HELP = 2  # failed the same quiz this many times without passing it: needs help
FILTERS = ("all", "needs-help", "inactive", "completed")


@dataclass(slots=True)
class Cell:
    """One learner in one module: "not-started", "in-progress", "completed" (every lesson; quiz not passed yet,
    or the module has none) or "passed" (every lesson and the quiz), with the best quiz score."""

    state: str = "not-started"
    lessons_done: int = 0
    lessons_helped: int = 0  # of those, done with help (the practice's answer seen)
    score: int | None = None
    fails: int = 0  # failed attempts, when the quiz is not passed
    passed: bool = False  # the quiz
    done: bool = False  # the module is complete: every lesson, and the quiz passed if it has one

    @property
    def mark(self) -> str:
        """What the grid shows: the state, except "failed" once the quiz is failed FAILS_FOR_HELP times without a
        pass (the learner needs help there, whatever the lessons), and "passed" for any complete module (one without
        a quiz too)."""
        if self.fails >= FAILS_FOR_HELP:
            return "failed"
        return "passed" if self.done else self.state


NOT_STARTED = Cell()  # shared by every cell nobody has started (most of a large grid): never changed


def started_cell(row: "Row", index: int) -> Cell:
    """The row's cell for module `index`, made its own the first time there is progress in it."""
    cell = row.cells[index]
    if cell is NOT_STARTED:
        cell = row.cells[index] = Cell("in-progress")
    return cell


@dataclass
class Help:
    """Why a learner needs help: failed a module's quiz `fails` times, or no activity for `days` days."""

    module: Module | None = None
    fails: int = 0
    days: int = 0


@dataclass(slots=True)
class Row:
    learner_id: int
    name: str
    code: str | None
    cohort: str
    cells: list[Cell]
    last_activity: datetime | None
    enrolled_at: datetime
    help: list[Help] = field(default_factory=list)
    actions: int = 0  # civic actions logged (something done for real with the local government; set by fill_cells)
    completed: bool = False  # every module complete (set by _settle)
    idle: timedelta = timedelta(0)  # since the last activity, or since joining (set by _diagnose)

    def idle_since(self) -> datetime:
        return self.last_activity or self.enrolled_at


@dataclass
class Grid:
    course: Course
    rows: list[Row]  # every learner, before filtering
    today: datetime

    def shown(self, chosen: str) -> list[Row]:
        if chosen == "needs-help":
            return [row for row in self.rows if row.help]
        if chosen == "inactive":
            return [row for row in self.rows if row.idle >= STUCK_AFTER]
        if chosen == "completed":
            return [row for row in self.rows if row.completed]
        return self.rows

    def counts(self) -> dict[str, int]:
        return {chosen: len(self.shown(chosen)) for chosen in FILTERS}


def learner_ids(centre: Centre, cohort_id: int | None):
    """A select of the ids of the centre's (or cohort's) learners: what the progress queries filter on."""
    ids = select(Enrolment.person_id).join(Cohort).where(Cohort.centre_id == centre.id)
    return ids.where(Cohort.id == cohort_id) if cohort_id else ids


def learners_query(centre: Centre, cohort_id: int | None):
    """The centre's learners (each once, with the cohort they joined first), as a select of id, name, code,
    cohort name and enrolment time; people who deleted their data are not listed."""
    first = (select(Enrolment.person_id, func.min(Enrolment.id).label("enrolment_id"))
             .join(Cohort).where(Cohort.centre_id == centre.id))
    if cohort_id:
        first = first.where(Cohort.id == cohort_id)
    first = first.group_by(Enrolment.person_id).subquery()
    return (select(User.id, User.display_name, User.learner_code, Cohort.name, Enrolment.enrolled_at)
            .join(first, first.c.person_id == User.id).join(Enrolment, Enrolment.id == first.c.enrolment_id)
            .join(Cohort, Cohort.id == Enrolment.cohort_id)
            .where(User.anonymised_at.is_(None)).order_by(User.display_name, User.id))


def plain_rows(query) -> list:
    """All the rows of a select at once, through Core: the ORM's row handling, or fetching row by row, would
    cost more than the queries themselves in a large grid."""
    return db.session.connection().execute(query).all()


def grid(centre: Centre, course: Course, cohort_id: int | None = None, now: datetime | None = None) -> Grid:
    """Every learner of the centre (or of one cohort) in `course`: who completed it and who needs help, found
    in SQL for everyone; the cells themselves are filled (`fill_cells`) only for the rows shown."""
    now = now or utcnow()
    ids, modules = learner_ids(centre, cohort_id), course.modules
    rows = [Row(person_id, name, code, group, [NOT_STARTED] * len(modules), None, joined_at)
            for person_id, name, code, group, joined_at in plain_rows(learners_query(centre, cohort_id))]
    by_id = {row.learner_id: row for row in rows}
    _add_last_activity(by_id, ids)
    completed, failing = _completed(ids, modules), _failing(ids, modules)
    for row in rows:
        row.completed = row.learner_id in completed
        row.help = [Help(module=modules[index], fails=fails) for index, fails in failing.get(row.learner_id, ())]
        _add_idle(row, now)
    return Grid(course, rows, now)


def fill_cells(rows: list[Row], modules: list[Module], ids=None) -> None:
    """Each row's cells and civic actions; `ids` (a select of the rows' ids) instead of the ids themselves for many
    rows."""
    by_id = {row.learner_id: row for row in rows}
    ids = ids if ids is not None else list(by_id)
    _add_lessons(by_id, ids, modules)
    _add_quizzes(by_id, ids, modules)
    for person_id, count in counts_by_person(ids).items():
        if person_id in by_id:
            by_id[person_id].actions = count
    shapes = [(len(module.lessons), module.quiz is not None) for module in modules]
    for row in rows:
        _settle(row, shapes)


def _completed(ids, modules: list[Module]) -> set[int]:
    """Who completed every module, by the module page's rule, counted in SQL: every lesson of the course done
    (each lesson is in one module) and every quiz passed."""
    lessons = [lesson.id for module in modules for lesson in module.lessons]
    quizzes = [module.quiz.id for module in modules if module.quiz]
    every_lesson = (select(LessonProgress.user_id)
                    .where(LessonProgress.lesson_id.in_(lessons), LessonProgress.completed_at.is_not(None),
                           LessonProgress.user_id.in_(ids))
                    .group_by(LessonProgress.user_id).having(func.count() == len(lessons)))
    done = {person for (person,) in plain_rows(every_lesson)}
    if quizzes:
        every_quiz = (select(QuizAttempt.user_id)
                      .where(QuizAttempt.quiz_id.in_(quizzes), QuizAttempt.passed, QuizAttempt.user_id.in_(ids))
                      .group_by(QuizAttempt.user_id)
                      .having(func.count(func.distinct(QuizAttempt.quiz_id)) == len(quizzes)))
        done &= {person for (person,) in plain_rows(every_quiz)}
    return done


def _failing(ids, modules: list[Module]) -> dict[int, list[tuple[int, int]]]:
    """Who failed a module's quiz FAILS_FOR_HELP times or more and has not passed it: {person: [(module index,
    failed attempts)]}."""
    quizzes = {module.quiz.id: index for index, module in enumerate(modules) if module.quiz}
    failing = {}
    for person, quiz_id, fails in plain_rows(
            select(QuizAttempt.user_id, QuizAttempt.quiz_id, func.count())
            .where(QuizAttempt.quiz_id.in_(list(quizzes)), QuizAttempt.user_id.in_(ids))
            .group_by(QuizAttempt.user_id, QuizAttempt.quiz_id)
            .having(func.max(case((QuizAttempt.passed, 1), else_=0)) == 0, func.count() >= FAILS_FOR_HELP)):
        failing.setdefault(person, []).append((quizzes[quiz_id], fails))
    for found in failing.values():
        found.sort()
    return failing


def _add_idle(row: Row, now: datetime) -> None:
    """How long since the learner last moved, and whether that alone makes them need help."""
    row.idle = now - row.idle_since()
    if row.idle >= STUCK_AFTER and not row.completed:
        row.help.append(Help(days=row.idle.days))


def build_rows(people_query, ids, modules: list[Module], now: datetime) -> list[Row]:
    """A row per person of `people_query` (id, name, code, group name, joined at) with a cell per module;
    `ids` selects the same people's ids, simply (a plain subquery keeps the grouped queries fast)."""
    rows = [Row(person_id, name, code, group, [NOT_STARTED] * len(modules), None, joined_at)
            for person_id, name, code, group, joined_at in plain_rows(people_query)]
    by_id = {row.learner_id: row for row in rows}
    _add_lessons(by_id, ids, modules)
    _add_quizzes(by_id, ids, modules)
    _add_last_activity(by_id, ids)
    shapes = [(len(module.lessons), module.quiz is not None) for module in modules]
    for row in rows:
        _settle(row, shapes)
        _diagnose(row, modules, now)
    return rows


def _add_lessons(by_id: dict[int, Row], ids, modules: list[Module]) -> None:
    places = {module.id: index for index, module in enumerate(modules)}
    lesson_rows = plain_rows(
        select(LessonProgress.user_id, LessonRecord.module_id, func.count(LessonProgress.completed_at),
               func.sum(case((LessonProgress.completed_with_help, 1), else_=0)))
        .join(LessonRecord, LessonRecord.id == LessonProgress.lesson_id)
        .where(LessonRecord.module_id.in_(list(places)), LessonProgress.user_id.in_(ids))
        .group_by(LessonProgress.user_id, LessonRecord.module_id))
    for person_id, module_id, completed, helped in lesson_rows:
        if person_id in by_id:  # a select of ids may hold people not shown
            cell = started_cell(by_id[person_id], places[module_id])
            cell.lessons_done, cell.lessons_helped = completed, helped or 0


def _add_quizzes(by_id: dict[int, Row], ids, modules: list[Module]) -> None:
    quizzes = {quiz.id: index for index, module in enumerate(modules) if (quiz := module.quiz)}
    attempts = plain_rows(
        select(QuizAttempt.user_id, QuizAttempt.quiz_id, func.max(QuizAttempt.score),
               func.max(case((QuizAttempt.passed, 1), else_=0)), func.sum(case((QuizAttempt.passed, 0), else_=1)))
        .where(QuizAttempt.quiz_id.in_(list(quizzes)), QuizAttempt.user_id.in_(ids))
        .group_by(QuizAttempt.user_id, QuizAttempt.quiz_id))
    for person_id, quiz_id, best, passed, fails in attempts:
        if person_id not in by_id:
            continue
        cell = started_cell(by_id[person_id], quizzes[quiz_id])
        cell.score, cell.passed, cell.fails = best, bool(passed), 0 if passed else fails


def _add_last_activity(by_id: dict[int, Row], ids) -> None:
    """The last time each learner opened a lesson or sent a quiz, in any course."""
    for column, person in ((LessonProgress.last_opened_at, LessonProgress.user_id),
                           (QuizAttempt.submitted_at, QuizAttempt.user_id)):
        for person_id, last in plain_rows(select(person, func.max(column))
                                                  .where(person.in_(ids)).group_by(person)):
            row = by_id[person_id]
            if last is not None and (row.last_activity is None or last > row.last_activity):
                row.last_activity = last


def _settle(row: Row, shapes: list[tuple[int, bool]]) -> None:
    """Each cell's final state, by the module page's rule: complete = every lesson done and the quiz passed.
    `shapes`: each module's number of lessons and whether it has a quiz."""
    completed = True
    for (lessons, has_quiz), cell in zip(shapes, row.cells, strict=True):
        if cell is NOT_STARTED:
            completed = False
            continue
        every_lesson = cell.lessons_done >= lessons
        cell.done = every_lesson and (cell.passed or not has_quiz)
        completed = completed and cell.done
        if every_lesson:
            cell.state = "passed" if cell.done and has_quiz else "completed"
    row.completed = completed


def _diagnose(row: Row, modules: list[Module], now: datetime) -> None:
    """Who needs help, from the row's own cells (the class report's rows, where every cell is known)."""
    row.help = [Help(module=module, fails=cell.fails) for module, cell in zip(modules, row.cells, strict=True)
                if cell.fails >= FAILS_FOR_HELP]
    _add_idle(row, now)


# -- Quizzes: what to re-teach --------------------------------------------------------------------------

@dataclass
class QuestionStats:
    question: object  # courses.schema.Question
    answered: int
    wrong: int
    common_wrong: frozenset[str] | None  # the wrong choice (or set of choices) picked most often
    common_wrong_count: int

    @property
    def wrong_share(self) -> int:
        return round(100 * self.wrong / self.answered) if self.answered else 0


def quiz_stats(centre: Centre, quiz: Quiz, cohort_id: int | None = None) -> list[QuestionStats]:
    """Each question of the quiz, over every attempt by the centre's (or cohort's) learners: how many answered
    it, how many wrongly, and the wrong answer chosen most often. Hardest first."""
    ids = learner_ids(centre, cohort_id)
    answers = (select(AttemptAnswer.question_key, AttemptAnswer.chosen, AttemptAnswer.correct, func.count())
               .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
               .where(QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id.in_(ids))
               .group_by(AttemptAnswer.question_key, AttemptAnswer.chosen, AttemptAnswer.correct))
    answered, wrong, wrong_choices = Counter(), Counter(), defaultdict(Counter)
    for key, chosen, correct, count in plain_rows(answers):
        answered[key] += count
        if not correct:
            wrong[key] += count
            wrong_choices[key][chosen] += count
    stats = []
    for question in quiz.questions:
        common = wrong_choices[question.key].most_common(1)
        chosen, count = common[0] if common else (None, 0)
        stats.append(QuestionStats(question, answered[question.key], wrong[question.key],
                                   frozenset(chosen.split(",")) if chosen else (frozenset() if common else None),
                                   count))
    return sorted(stats, key=lambda item: -item.wrong_share)
