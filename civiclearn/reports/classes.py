"""A class's report against its assignments (journey 5): each student in each assigned module is done, late,
stuck, in progress or not started; with counts per module. The cells come from the dashboard's rows, so a
teacher and a trainer see the same states."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import to_user_timezone
from sqlalchemy import literal, select

from civiclearn.accounts.models import User
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.reports.dashboard import FAILS_FOR_HELP, STUCK_AFTER, Cell, Row, build_rows
from civiclearn.schools.models import ClassMember, SchoolClass
from civiclearn.schools.services import assignments_of

STATUSES = ("done", "late", "stuck", "in-progress", "not-started")


def status_of(cell: Cell, row: Row, due_on: date | None, today: date, now: datetime) -> str:
    """done: the module is complete. late: not done and the due date has passed. stuck: started, not done, and
    failed its quiz twice or no activity for 14 days. Otherwise in progress, or not started."""
    if cell.done:
        return "done"
    if due_on is not None and due_on < today:
        return "late"
    if cell.state != "not-started" and (cell.fails >= FAILS_FOR_HELP or now - row.idle_since() >= STUCK_AFTER):
        return "stuck"
    return "in-progress" if cell.state != "not-started" else "not-started"


@dataclass
class ClassReport:
    school_class: SchoolClass
    assignments: list  # (Assignment, Module), by due date
    rows: list[tuple[Row, list[str]]]  # each student and their status in each assigned module
    made_at: datetime

    def counts(self) -> list[Counter]:
        """Per assigned module, how many students are in each status."""
        return [Counter(statuses[index] for _row, statuses in self.rows) for index in range(len(self.assignments))]


def members_query(school_class: SchoolClass):
    """The class's students in the shape the dashboard rows take: id, name, code, class name, joined at."""
    return (select(User.id, User.display_name, User.learner_code, literal(school_class.name), ClassMember.joined_at)
            .join(ClassMember, ClassMember.person_id == User.id)
            .where(ClassMember.class_id == school_class.id, User.anonymised_at.is_(None))
            .order_by(User.display_name, User.id))


def class_report(school_class: SchoolClass, now: datetime | None = None) -> ClassReport:
    now = now or utcnow()
    today = to_user_timezone(now).date()  # due dates are Thai dates
    assignments = assignments_of(school_class, catalogue())
    modules = [module for _assignment, module in assignments]
    ids = select(ClassMember.person_id).where(ClassMember.class_id == school_class.id)
    rows = build_rows(members_query(school_class), ids, modules, now)
    return ClassReport(school_class, assignments,
                       [(row, [status_of(cell, row, assignment.due_on, today, now)
                               for cell, (assignment, _module) in zip(row.cells, assignments, strict=True)])
                        for row in rows], now)
