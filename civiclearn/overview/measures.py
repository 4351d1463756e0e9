"""The programme's four measures, counted in SQL for every learner at once (one GROUP BY query each, so
the number of queries does not grow with learners or centres). The overview and open data share them.

- A learner of a centre is a person enrolled in a cohort of it. A person enrolled at two centres counts
  at both, but once in any one row (a district holding both centres counts them once).
- Registered: when the person's account was made (person.created_at), whatever centre they joined since.
- Active: a lesson opened or finished, or a quiz sent. "In the last 30 days" uses the last time each
  lesson was opened and every quiz sent; "in a month" also the first opening and finishing of each lesson,
  the moments kept for earlier months.
- Module completed: every current lesson of a current module done and, if it has a quiz, the quiz passed:
  the rule of `learning.services.course_status`. Completed when the last of those steps was done (a quiz
  counts from its first pass).
- Certificate issued: counted once, when first issued, at the centre that issued it; a reissue (a name
  corrected, a leader renewed) replaces it and is not a new certificate. One later revoked still counts.
- School students (counted beside the learners, never inside the four measures): the people who joined a class
  of a school, the classes an LMS course became included (they belong to the platform's school). Students who
  left a class's LMS course since (`class_member.left_at`) still count, as every learner ever enrolled does:
  they learned with the programme. A student in two classes of a school counts in each class, once for the
  school. Someone who is both a centre learner and a school student counts in both figures, and once in the
  programme's people reached (`people_reached`).
- Civic actions (beside the four measures): what the centres' learners logged doing for real with their local
  government (`civic_actions`), by the month it was done (the day the learner gave), kind and channel; those
  logged at least 30 days ago are "due" (the learner has been asked what happened), and of those, the ones the
  learner said were fixed or answered are "resolved". The learner deleting an action or their data takes it away
  (an action is theirs to delete, unlike the learning counts).
People who deleted their data (anonymised) still count: that is what anonymising keeps.
The demo data never counts (`counted_centres`, `counted_schools`, `counted_people`): not its centres or schools,
nor its people wherever they are enrolled.
Months are those of the programme's time zone (Bangkok), not UTC.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select, union, union_all
from sqlalchemy.orm import aliased

from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.certificates.models import Certificate
from civiclearn.civic.models import CivicAction
from civiclearn.civic.services import FOLLOW_UP_DAYS
from civiclearn.courses.models import CourseRecord, LessonRecord, ModuleRecord, QuizRecord
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress, QuizAttempt
from civiclearn.schools.models import ClassMember, School, SchoolClass

MEASURES = ("learners", "active", "modules", "certificates")
ACTIVE_DAYS = 30
AGE_BANDS = ("under-18", "18-39", "40-59", "60-plus")  # and None: year of birth not recorded


@dataclass(frozen=True)
class Grouping:
    """How to split the counts: the centres that count (`where`, SQL on Centre), by which Centre columns, and
    whether by month too (then "active" means active in that month, else in the last 30 days)."""

    where: ColumnElement
    places: tuple = ()
    by_month: bool = False


@dataclass
class Counts:
    """Each measure as {key: count}, where a key is the place columns' values, then the month ("YYYY-MM")."""

    learners: Counter = field(default_factory=Counter)
    active: Counter = field(default_factory=Counter)
    modules: Counter = field(default_factory=Counter)
    certificates: Counter = field(default_factory=Counter)

    def keys(self) -> set[tuple]:
        return set().union(*(getattr(self, measure) for measure in MEASURES))


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_month(column) -> ColumnElement:
    """SQL: the month ("YYYY-MM") of a UTC timestamp in the programme's time zone."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(zone().key, column), "YYYY-MM")
    offset = zone().utcoffset(datetime.now())  # SQLite knows no zones: today's offset (Bangkok keeps one)
    return func.strftime("%Y-%m", column, f"{int(offset.total_seconds() // 60):+d} minutes")


def _keyed(columns: list, grouping: Grouping, moment=None) -> list:
    """The columns of a row to count, labelled place0, place1... and month, so every measure groups alike."""
    labelled = [column.label(f"place{number}") for number, column in enumerate(columns)]
    return labelled + ([local_month(moment).label("month")] if grouping.by_month else [])


def _count(rows: Select) -> Counter:
    """Count `rows` (each names what it counts as `counted`) by their other columns. Grouping by a subquery's
    plain columns, not by the expressions themselves, keeps PostgreSQL from seeing two differently bound
    copies of one expression."""
    rows = rows.subquery()
    keys = [column for column in rows.c if column.name != "counted"]
    statement = select(*keys, func.count()).select_from(rows).group_by(*keys)
    return Counter({tuple(row[:-1]): row[-1] for row in db.session.execute(statement)})


def counted_centres(where: ColumnElement) -> ColumnElement:
    """SQL on Centre: the centres of `where` that count, never the demo's (marked `is_demo` by `flask demo
    seed`), so trying the app out never shows in the programme's figures."""
    return and_(where, Centre.is_demo.is_(False))


def counted_schools(where: ColumnElement) -> ColumnElement:
    """SQL on School: the schools of `where` that count, never the demo's."""
    return and_(where, School.is_demo.is_(False))


def counted_people() -> ColumnElement:
    """SQL on User: the people who count, never the demo's, even enrolled at a real centre."""
    return User.is_demo.is_(False)


def members(grouping: Grouping):
    """Subquery: each learner of the chosen centres once per place (person_id, place0, place1...)."""
    return (select(Enrolment.person_id.label("person_id"),
                   *(column.label(f"place{number}") for number, column in enumerate(grouping.places)))
            .join(Cohort, Enrolment.cohort_id == Cohort.id).join(Centre, Cohort.centre_id == Centre.id)
            .join(User, User.id == Enrolment.person_id)
            .where(counted_centres(grouping.where), counted_people()).distinct().subquery("members"))


def _member_places(learners) -> list:
    return [column for column in learners.c if column.name.startswith("place")]


def registered(grouping: Grouping) -> Counter:
    learners = members(grouping)
    places = _keyed(_member_places(learners), grouping, User.created_at)
    return _count(select(learners.c.person_id.label("counted"), *places)
                  .select_from(learners).join(User, User.id == learners.c.person_id))


def _active_months():
    """Subquery: each person and month (person_id, month) in which they did something we keep a moment of."""
    moments = union_all(
        select(LessonProgress.user_id.label("person_id"), LessonProgress.started_at.label("at")),
        select(LessonProgress.user_id, LessonProgress.last_opened_at),
        select(LessonProgress.user_id, LessonProgress.completed_at).where(LessonProgress.completed_at.is_not(None)),
        select(QuizAttempt.user_id, QuizAttempt.submitted_at),
    ).subquery()
    return select(moments.c.person_id, local_month(moments.c.at).label("month")).distinct().subquery()


def _recently_active(since: datetime):
    """SQL: the people who opened a lesson or sent a quiz since `since`."""
    return union(select(LessonProgress.user_id).where(LessonProgress.last_opened_at >= since),
                 select(QuizAttempt.user_id).where(QuizAttempt.submitted_at >= since))


def active(grouping: Grouping) -> Counter:
    learners = members(grouping)
    counted = [learners.c.person_id.label("counted"), *_member_places(learners)]
    if grouping.by_month:
        months = _active_months()
        return _count(select(*counted, months.c.month).select_from(learners)
                      .join(months, months.c.person_id == learners.c.person_id))
    since = utcnow() - timedelta(days=ACTIVE_DAYS)
    return _count(select(*counted).where(learners.c.person_id.in_(_recently_active(since))))


def completions():
    """Subquery: each (person_id, module_id) completed, with when (completed_at): every current lesson of the
    module done, and its quiz passed if it has one, as `learning.services.course_status` decides for one
    learner. (A module always has a lesson: the course checker requires one.)"""
    lessons = (select(LessonRecord.module_id, func.count().label("total"))
               .where(LessonRecord.retired_at.is_(None)).group_by(LessonRecord.module_id).subquery())
    quizzes = select(QuizRecord.id).where(QuizRecord.module_id == ModuleRecord.id, QuizRecord.retired_at.is_(None))
    modules = (select(ModuleRecord.id, lessons.c.total, quizzes.exists().label("has_quiz"))
               .join(CourseRecord, ModuleRecord.course_id == CourseRecord.id)
               .join(lessons, lessons.c.module_id == ModuleRecord.id)
               .where(ModuleRecord.retired_at.is_(None), CourseRecord.retired_at.is_(None)).subquery())
    done = (select(LessonProgress.user_id, LessonRecord.module_id, func.count().label("done"),
                   func.max(LessonProgress.completed_at).label("at"))
            .join(LessonRecord, LessonProgress.lesson_id == LessonRecord.id)
            .where(LessonRecord.retired_at.is_(None), LessonProgress.completed_at.is_not(None))
            .group_by(LessonProgress.user_id, LessonRecord.module_id).subquery())
    passed = (select(QuizAttempt.user_id, QuizRecord.module_id, func.min(QuizAttempt.submitted_at).label("at"))
              .join(QuizRecord, QuizAttempt.quiz_id == QuizRecord.id)
              .where(QuizRecord.retired_at.is_(None), QuizAttempt.passed)
              .group_by(QuizAttempt.user_id, QuizRecord.module_id).subquery())
    return (select(done.c.user_id.label("person_id"), done.c.module_id,
                   case((passed.c.at.is_(None), done.c.at), (passed.c.at > done.c.at, passed.c.at),
                        else_=done.c.at).label("completed_at"))
            .select_from(done).join(modules, modules.c.id == done.c.module_id)
            .outerjoin(passed, (passed.c.user_id == done.c.user_id) & (passed.c.module_id == done.c.module_id))
            .where(done.c.done == modules.c.total, ~modules.c.has_quiz | passed.c.at.is_not(None))
            .subquery("completions"))


def modules_completed(grouping: Grouping) -> Counter:
    learners = members(grouping)
    completed = completions()
    places = _keyed(_member_places(learners), grouping, completed.c.completed_at)
    return _count(select(completed.c.module_id.label("counted"), *places)
                  .select_from(learners).join(completed, completed.c.person_id == learners.c.person_id))


def first_issues() -> ColumnElement:
    """SQL on Certificate: a first issue, not a reissue (no earlier row was replaced by it)."""
    earlier = aliased(Certificate)
    return ~exists().where(earlier.replaced_by_id == Certificate.id)


def certificates(grouping: Grouping) -> Counter:
    places = _keyed(list(grouping.places), grouping, Certificate.issued_at)
    return _count(select(Certificate.id.label("counted"), *places).select_from(Certificate)
                  .join(Centre, Certificate.centre_id == Centre.id).join(User, User.id == Certificate.person_id)
                  .where(counted_centres(grouping.where), counted_people(), first_issues()))


def counts(grouping: Grouping) -> Counts:
    """The four measures, split as `grouping` says: four queries, however many learners or centres."""
    return Counts(registered(grouping), active(grouping), modules_completed(grouping), certificates(grouping))


def reach(where: ColumnElement) -> Counter:
    """The learners of the chosen centres, each once, by (age band, gender); None where not recorded.
    Age is this year (in the programme's time zone) minus the year of birth."""
    learners = members(Grouping(where))
    year = datetime.now(zone()).year
    band = case((User.birth_year.is_(None), None), (User.birth_year > year - 18, AGE_BANDS[0]),
                (User.birth_year > year - 40, AGE_BANDS[1]), (User.birth_year > year - 60, AGE_BANDS[2]),
                else_=AGE_BANDS[3])
    return _count(select(User.id.label("counted"), band.label("band"), User.gender)
                  .select_from(learners).join(User, User.id == learners.c.person_id))


# -- School students ---------------------------------------------------------------------------------------

def students(where: ColumnElement):
    """Subquery: each student of the classes of the chosen schools (`where`, SQL on School), once per class
    (person_id, school_id, class_id)."""
    return (select(ClassMember.person_id, SchoolClass.school_id, ClassMember.class_id)
            .join(SchoolClass, ClassMember.class_id == SchoolClass.id).join(School, SchoolClass.school_id == School.id)
            .join(User, User.id == ClassMember.person_id)
            .where(counted_schools(where), counted_people()).subquery("students"))


def students_by_class(where: ColumnElement) -> Counter:
    """How many students each class of the chosen schools has: {class_id: count}."""
    found = students(where)
    return Counter(dict(db.session.execute(select(found.c.class_id, func.count(func.distinct(found.c.person_id)))
                                           .group_by(found.c.class_id)).all()))


def students_by_school(where: ColumnElement) -> Counter:
    """How many students each chosen school has, each once however many of its classes they are in."""
    found = students(where)
    return Counter(dict(db.session.execute(select(found.c.school_id, func.count(func.distinct(found.c.person_id)))
                                           .group_by(found.c.school_id)).all()))


def school_students(where: ColumnElement) -> int:
    """The students of the chosen schools, each once."""
    found = students(where)
    return db.session.scalar(select(func.count(func.distinct(found.c.person_id))))


def people_reached(centres: ColumnElement, schools: ColumnElement) -> int:
    """The learners of the chosen centres and the students of the chosen schools, each person once: someone
    who is both is one person reached."""
    people = union(select(members(Grouping(centres)).c.person_id), select(students(schools).c.person_id)).subquery()
    return db.session.scalar(select(func.count()).select_from(people))


# -- Civic actions -----------------------------------------------------------------------------------------

ACTION_STATES = ("young", "fixed", "open")  # logged less than FOLLOW_UP_DAYS ago; since then said fixed; or not


def day_month(column) -> ColumnElement:
    """SQL: the month ("YYYY-MM") of a date (a day, as the learner gave it: no time zone to apply)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def civic_actions(where: ColumnElement, places: tuple = ()) -> Counter:
    """The civic actions of the learners of the chosen centres (`where`, SQL on Centre), each once per place, by
    the `places` columns, then the month it was done, its kind, its channel and its state (ACTION_STATES): one
    query. An action of a learner enrolled in two districts counts in each district, once in a province."""
    learners = members(Grouping(where, places))
    due = utcnow() - timedelta(days=FOLLOW_UP_DAYS)
    state = case((CivicAction.created_at > due, ACTION_STATES[0]), (CivicAction.outcome == "fixed", ACTION_STATES[1]),
                 else_=ACTION_STATES[2])
    return _count(select(CivicAction.id.label("counted"), *_member_places(learners),
                         day_month(CivicAction.done_on).label("month"), CivicAction.kind, CivicAction.channel,
                         state.label("state"))
                  .select_from(learners).join(CivicAction, CivicAction.person_id == learners.c.person_id))
