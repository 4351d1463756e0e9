"""`flask demo remove`: every demo row, and every row that hangs on one, in one transaction.

The demo's own rows are the people, centres and schools marked `is_demo`. A row of any other table goes with
them when it points to a row that goes: a demo learner's progress, attempts and their answers, certificates,
feedback, notes, enrolments, class memberships, roles, identities; a demo centre's cohorts, kiosks, rosters,
practicum and certificates; a demo school's classes, their members, assignments and certificate batches. This
follows the foreign keys of the metadata, so a table added later is covered without a change here (and
tests/test_demo.py checks that no reference to a demo row is left anywhere).

The exceptions are the columns that only say who did something (`WHO_DID_IT`): when the demo's trainer
answered a real learner's feedback, or the demo's admin granted a real person a role, the real row stays and
forgets who did it. Audit events about a removed row go too: their subject is a plain id, which SQLite may
give to a new row later, and the log must not tell a real person's story with the demo's events.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement, Table, and_, false, or_, select

from civiclearn.audit.models import AuditEvent
from civiclearn.audit.services import record
from civiclearn.certificates import batches
from civiclearn.certificates.models import CertificateBatch
from civiclearn.database import utcnow
from civiclearn.demo.models import STATE_ID, DemoState
from civiclearn.demo.seed import passwords_file
from civiclearn.extensions import db

WHO_DID_IT = frozenset({"actor_id", "granted_by_id", "created_by_id", "uploaded_by_id", "issued_by_id",
                        "confirmed_by_id", "requested_by_id", "assigned_by_id", "replied_by_id", "author_id"})
AUDIT_SUBJECTS = {"person": "person", "centre": "centre", "school": "school", "cohort": "cohort",
                  "class": "school_class"}  # an audit event's subject_type, and the table its subject_id is in


@dataclass
class Removal:
    """What went: rows by table, and the files to delete once the transaction is committed."""

    rows: Counter = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)


def _going() -> dict[Table, ColumnElement]:
    """For each table with rows to remove, SQL on that table saying which: the rows marked `is_demo`, and the
    rows pointing to a row that goes (except through a WHO_DID_IT column). Parents come first in
    `sorted_tables`, so each table's condition can use its parents'."""
    going = {}
    for table in db.metadata.sorted_tables:
        reasons = [table.c.is_demo.is_(True)] if "is_demo" in table.c else []
        for key in table.foreign_keys:
            parent = key.column.table
            if parent in going and parent is not table and key.parent.name not in WHO_DID_IT:
                reasons.append(key.parent.in_(select(key.column).where(going[parent])))
        if reasons:
            going[table] = or_(*reasons)
    audit = AuditEvent.__table__
    going[audit] = or_(going.get(audit, false()), *(
        and_(audit.c.subject_type == kind, audit.c.subject_id.in_(_ids(going, name)))
        for kind, name in AUDIT_SUBJECTS.items()))
    return going


def _ids(going: dict[Table, ColumnElement], name: str):
    """SQL: the ids of the table `name`'s rows that go."""
    table = db.metadata.tables[name]
    return select(table.c.id).where(going[table])


def _forget_who_did_it(people) -> None:
    """Every WHO_DID_IT column naming one of `people` (SQL) is emptied, so the rows that stay stop naming them."""
    for table in db.metadata.sorted_tables:
        for column in table.c:
            if column.name in WHO_DID_IT:
                db.session.execute(table.update().where(column.in_(people)).values({column.name: None}))


def remove_demo() -> Removal:
    """Remove every demo row (see the module's docstring), remember that the demo was removed (even from a
    database that never had it: `make run` will not add it there either), and audit it. Flushes; removing
    again finds nothing and changes nothing."""
    going, removal = _going(), Removal()
    _forget_who_did_it(_ids(going, "person"))
    removal.files = [batches.folder(batch) for batch in
                     db.session.scalars(select(CertificateBatch).where(going[CertificateBatch.__table__]))]
    removal.files.append(passwords_file())
    # The audit log first: its conditions read the cohorts and classes that go, which come after it in order.
    audit = AuditEvent.__table__
    removal.rows[audit.name] = db.session.execute(audit.delete().where(going.pop(audit))).rowcount
    for table in reversed(db.metadata.sorted_tables):  # children first; their conditions read their parents
        if table in going:
            removal.rows[table.name] = db.session.execute(table.delete().where(going[table])).rowcount
    removal.rows = +removal.rows  # only what there was
    state = db.session.get(DemoState, STATE_ID) or DemoState(id=STATE_ID)
    if state.removed_at is None:
        state.removed_at = utcnow()
        db.session.add(state)
    if removal.rows:
        record(None, "demo.remove", "demo", None, rows=dict(removal.rows))
    db.session.expire_all()  # objects loaded before still think their rows exist
    return removal
