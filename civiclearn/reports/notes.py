"""Notes staff keep on a learner's page: written by trainers and teachers who may see the learner."""

from sqlalchemy import select

from civiclearn.accounts.models import User
from civiclearn.audit.services import record
from civiclearn.extensions import db
from civiclearn.reports.models import LearnerNote


def add(author: User, learner: User, body: str) -> LearnerNote:
    """Flushes."""
    note = LearnerNote(person_id=learner.id, author_id=author.id, body=body.strip())
    db.session.add(note)
    db.session.flush()
    record(author, "learner.note", "person", learner.id, note=note.id)
    return note


def notes_of(learner: User) -> list[tuple[LearnerNote, User | None]]:
    """The notes about a learner, newest first, with their author."""
    return db.session.execute(select(LearnerNote, User).outerjoin(User, User.id == LearnerNote.author_id)
                              .where(LearnerNote.person_id == learner.id)
                              .order_by(LearnerNote.created_at.desc(), LearnerNote.id.desc())).all()
