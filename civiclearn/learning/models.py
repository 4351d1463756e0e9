"""Progress: one row per learner and lesson, one per quiz attempt, one per answer in an attempt.

Unique constraints make every write idempotent: a double click, a resubmitted form or two tabs
can neither duplicate a row nor lose one.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civiclearn.database import indexed_foreign_key
from civiclearn.extensions import db


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = indexed_foreign_key("person")
    lesson_id: Mapped[int] = indexed_foreign_key("lesson")
    started_at: Mapped[datetime]
    last_opened_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    # Finished after seeing the practice's answer (two wrong tries first): done, and the reports say "with help".
    # Doing the practice well alone later clears it.
    completed_with_help: Mapped[bool] = mapped_column(default=False, server_default=false())
    seconds_spent: Mapped[int] = mapped_column(default=0)


class QuizAttempt(db.Model):
    """One submitted quiz. `token` comes from the form, so submitting the same form twice is one attempt."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (UniqueConstraint("user_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = indexed_foreign_key("person")
    quiz_id: Mapped[int] = indexed_foreign_key("quiz")
    token: Mapped[str] = mapped_column(String(64))
    score: Mapped[int]  # percent of questions answered right, 0-100
    passed: Mapped[bool]
    submitted_at: Mapped[datetime]

    answers: Mapped[list["AttemptAnswer"]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.id", cascade="all, delete-orphan"
    )


class AttemptAnswer(db.Model):
    """The choices given to one question, as sorted choice ids joined by commas ("a,c")."""

    __tablename__ = "attempt_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id"))
    question_key: Mapped[str] = mapped_column(String(64))
    chosen: Mapped[str] = mapped_column(String(400))
    correct: Mapped[bool]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")

    @property
    def chosen_keys(self) -> frozenset[str]:
        return frozenset(self.chosen.split(",")) if self.chosen else frozenset()
