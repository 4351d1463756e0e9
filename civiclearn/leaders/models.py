"""The Digital Citizen Leader's practicum: sessions they ran and people they mentored, for a trainer to confirm."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civiclearn.accounts.models import User
from civiclearn.database import utcnow
from civiclearn.extensions import db


class PracticumSession(db.Model):
    """A session a leader ran as their practicum, for a trainer of the centre to confirm."""

    __tablename__ = "practicum_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200))
    attendees: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))


class Mentee(db.Model):
    """A learner a leader mentors through the practicum's modules. The leader sees who it is, and their progress,
    only once the learner agreed (`agreed_at`, asked at their next sign-in) or a trainer confirmed it, which
    counts as the learner's agreement in person (access.may_see_mentee)."""

    __tablename__ = "mentee"
    __table_args__ = (UniqueConstraint("leader_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    agreed_at: Mapped[datetime | None]  # the learner answered "yes, they helped me"
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
