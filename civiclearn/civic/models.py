"""Civic actions: something a learner did for real with their local government (reported a problem, joined a
forum, asked for information...), logged by them or, with their consent, by a leader who helped them."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from civiclearn.database import utcnow
from civiclearn.extensions import db

KINDS = ("reported_problem", "joined_forum_or_hearing", "commented_on_plan", "asked_for_information",
         "helped_someone")
CHANNELS = ("traffy_fondue", "hotline_1111", "lgo_line_or_page", "in_person", "phone", "other")
OUTCOMES = ("fixed", "in_progress", "no_answer", "dont_know")
CONSENT_WAYS = ("in_person", "by_phone")
CASE_NUMBER_LENGTH = 30
NOTE_LENGTH = 280


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class CivicAction(db.Model):
    """One action, counted for `person_id`. The form's one-time `token` makes a double submit one row. Logged by a
    leader on the person's behalf (`logged_by_id`), it carries the person's consent: when and how they said yes.
    `asked_outcome_at` is when the one-time "what happened?" question was shown and answered or put off."""

    __tablename__ = "civic_action"
    __table_args__ = (
        UniqueConstraint("person_id", "token"),
        CheckConstraint(_one_of("kind", KINDS), name="kind_known"),
        CheckConstraint(_one_of("channel", CHANNELS), name="channel_known"),
        CheckConstraint(f"outcome IS NULL OR {_one_of('outcome', OUTCOMES)}", name="outcome_known"),
        CheckConstraint("logged_by_id IS NULL OR (consent_at IS NOT NULL AND consent_how IS NOT NULL)",
                        name="consent_when_logged_for"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(30))
    done_on: Mapped[date] = mapped_column(index=True)  # counts by month
    case_number: Mapped[str] = mapped_column(String(CASE_NUMBER_LENGTH), default="")
    note: Mapped[str] = mapped_column(String(NOTE_LENGTH), default="")
    module_id: Mapped[int | None] = mapped_column(ForeignKey("module.id"))  # the module page it was logged from
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_at: Mapped[datetime | None]
    asked_outcome_at: Mapped[datetime | None]
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    consent_at: Mapped[datetime | None]
    consent_how: Mapped[str | None] = mapped_column(String(20))
