"""What learners say about a module (a rating and a comment), and the answer trainers or course owners give."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from civiclearn.database import utcnow
from civiclearn.extensions import db


class ModuleFeedback(db.Model):
    """One learner's say on one module: sent again, it is updated (one row per learner and module)."""

    __tablename__ = "module_feedback"
    __table_args__ = (UniqueConstraint("person_id", "module_id"),
                      CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5))  # the page's language when it was written
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    replied_at: Mapped[datetime | None]
