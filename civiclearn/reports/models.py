"""Notes a trainer or teacher keeps about a learner (shown on the learner's timeline, and in their data)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from civiclearn.database import utcnow
from civiclearn.extensions import db


class LearnerNote(db.Model):
    __tablename__ = "learner_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
