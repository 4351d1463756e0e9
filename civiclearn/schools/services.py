"""Classes and their join codes, learners joining, modules assigned with due dates, a learner's assignments.

Functions flush and never commit; the request that calls them commits once.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import to_user_timezone
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.audit.services import record
from civiclearn.courses.schema import Module
from civiclearn.courses.store import Catalogue
from civiclearn.database import upsert, utcnow
from civiclearn.extensions import db
from civiclearn.learning.services import CourseStatuses, course_statuses
from civiclearn.schools.models import Assignment, ClassMember, School, SchoolClass

JOIN_CODE_LENGTH = 6  # 19**6 = 47 million codes: a guess almost never finds a class
CODE_ATTEMPTS = 20


class CodeSpaceExhausted(RuntimeError):
    """No free join code was found; with 47 million codes this means something is broken."""


class UnknownJoinCode(ValueError):
    """No class has the code the learner typed."""


def create_class(actor: User, school: School, name: str, grade: str, year: int) -> SchoolClass:
    """A class with a fresh join code, trying again if the code is taken. Flushes."""
    for _ in range(CODE_ATTEMPTS):
        school_class = SchoolClass(school_id=school.id, name=name, grade=grade, year=year,
                                   join_code=codes.new_code(JOIN_CODE_LENGTH), created_by_id=actor.id)
        try:
            with db.session.begin_nested():  # a clashing code rolls back this insert only
                db.session.add(school_class)
        except IntegrityError:
            continue
        record(actor, "class.create", "school", school.id, school_class=school_class.id, name=name)
        return school_class
    raise CodeSpaceExhausted


def classes_of(school: School) -> list[tuple[SchoolClass, int]]:
    """The school's classes, newest year first, each with how many learners joined it."""
    members = (select(db.func.count(ClassMember.id)).join(User, User.id == ClassMember.person_id)
               .where(ClassMember.class_id == SchoolClass.id, User.anonymised_at.is_(None)).scalar_subquery())
    return db.session.execute(select(SchoolClass, members).where(SchoolClass.school_id == school.id)
                              .order_by(SchoolClass.year.desc(), SchoolClass.name)).all()


def class_named(school: School, name: str, year: int) -> SchoolClass | None:
    return db.session.scalar(select(SchoolClass).where(
        SchoolClass.school_id == school.id, SchoolClass.name == name, SchoolClass.year == year))


def members_of(school_class: SchoolClass) -> list[User]:
    """The learners who joined the class, by name."""
    return db.session.scalars(
        select(User).join(ClassMember, ClassMember.person_id == User.id)
        .where(ClassMember.class_id == school_class.id, User.anonymised_at.is_(None)).order_by(User.display_name)
    ).all()


def left_the_course(school_class: SchoolClass) -> set[int]:
    """The ids of members who left the class's LMS course (its roster said so): still listed, marked."""
    return set(db.session.scalars(select(ClassMember.person_id).where(ClassMember.class_id == school_class.id,
                                                                      ClassMember.left_at.is_not(None))))


def join(learner: User, typed_code: str) -> SchoolClass:
    """Put the learner in the class with this code (as they typed it); joining again changes nothing.
    Raises UnknownJoinCode. Flushes."""
    code = codes.normalise(typed_code)
    school_class = db.session.scalar(select(SchoolClass).where(SchoolClass.join_code == code)) \
        if codes.is_well_formed(code, JOIN_CODE_LENGTH) else None
    if school_class is None:
        raise UnknownJoinCode(typed_code)
    upsert(db.session, ClassMember, {"class_id": school_class.id, "person_id": learner.id, "joined_at": utcnow()},
           ["class_id", "person_id"])
    return school_class


def modules_by_id(catalogue: Catalogue) -> dict[int, Module]:
    """Every module served now, by database id (retired modules are not in the catalogue)."""
    return {module.id: module for course in catalogue.courses for module in course.modules}


def assign(actor: User, school_class: SchoolClass, module: Module, due_on: date | None) -> None:
    """Assign a module to a class; assigning it again changes the due date, never adds a second one. Flushes."""
    upsert(db.session, Assignment, {"class_id": school_class.id, "module_id": module.id, "due_on": due_on,
                                    "assigned_at": utcnow(), "assigned_by_id": actor.id},
           ["class_id", "module_id"], update={"due_on": due_on})
    record(actor, "assignment.set", "class", school_class.id, module=module.id,
           due_on=due_on.isoformat() if due_on else None)


def change_due_date(actor: User, assignment: Assignment, due_on: date | None) -> None:
    assignment.due_on = due_on
    db.session.flush()
    record(actor, "assignment.set", "class", assignment.class_id, module=assignment.module_id,
           due_on=due_on.isoformat() if due_on else None)


def unassign(actor: User, assignment: Assignment) -> None:
    record(actor, "assignment.remove", "class", assignment.class_id, module=assignment.module_id)
    db.session.delete(assignment)
    db.session.flush()


def assignments_of(school_class: SchoolClass, catalogue: Catalogue) -> list[tuple[Assignment, Module]]:
    """The class's assignments of modules still served, by due date (none last), then course order."""
    modules = modules_by_id(catalogue)
    rows = db.session.scalars(select(Assignment).where(Assignment.class_id == school_class.id)).all()
    found = [(assignment, modules[assignment.module_id]) for assignment in rows if assignment.module_id in modules]
    return sorted(found, key=lambda pair: (_due_key(pair[0].due_on), _module_key(pair[1])))


@dataclass(frozen=True)
class LearnerAssignment:
    """A module a learner's class was given, and where the learner stands with it."""

    module: Module
    school_class: SchoolClass
    due_on: date | None
    done: bool
    late: bool  # due before today and not done


def learner_assignments(learner: User, catalogue: Catalogue, today: date | None = None,
                        statuses: CourseStatuses | None = None) -> list[LearnerAssignment]:
    """The learner's assignments in every class they joined, by due date (none last). `statuses`: the learner's,
    when the caller read them already (the home page); those of other courses are read in one query."""
    today = today or to_user_timezone(utcnow()).date()
    modules = modules_by_id(catalogue)
    rows = db.session.execute(
        select(Assignment, SchoolClass).join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .join(ClassMember, ClassMember.class_id == SchoolClass.id).where(ClassMember.person_id == learner.id)
    ).all()
    assigned = [(assignment, school_class, modules[assignment.module_id]) for assignment, school_class in rows
                if assignment.module_id in modules]
    statuses = statuses or {}
    unread = {module.course.key: module.course for _a, _c, module in assigned if module.course.key not in statuses}
    if unread:
        statuses = statuses | course_statuses(learner, list(unread.values()))
    found = []
    for assignment, school_class, module in assigned:
        done = statuses[module.course.key][module.key].complete
        late = not done and assignment.due_on is not None and assignment.due_on < today
        found.append(LearnerAssignment(module, school_class, assignment.due_on, done, late))
    return sorted(found, key=lambda item: (_due_key(item.due_on), _module_key(item.module), item.school_class.name))


def _due_key(due_on: date | None) -> tuple:
    return (due_on is None, due_on or date.min)


def _module_key(module: Module) -> tuple:
    return (module.course.order, module.course.key, module.position)
