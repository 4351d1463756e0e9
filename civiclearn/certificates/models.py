"""Certificates (of a course, or of the Digital Citizen Leader award), and
batches of certificates issued for a whole cohort or class."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civiclearn.accounts.models import User
from civiclearn.database import utcnow
from civiclearn.extensions import db

LEADER_AWARD = "leader"


class Certificate(db.Model):
    """One issued certificate. It keeps its own copy of what it says (name, titles, issuer, signatory),
    so it stays verifiable as issued when a course is renamed or the person is deleted.

    A person holds one current certificate per award: a unique index over the rows not replaced, so
    two completions at the same moment cannot both issue one. Reissuing replaces the row."""

    __tablename__ = "certificate"
    __table_args__ = (
        Index("uq_certificate_current", "person_id", "award", unique=True,
              sqlite_where=db.text("replaced_at IS NULL"), postgresql_where=db.text("replaced_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)  # without dashes, its check character last
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    award: Mapped[str] = mapped_column(String(80))  # "course:<key>" or LEADER_AWARD
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"))
    holder_name: Mapped[str] = mapped_column(String(60))
    title_th: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centre.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    issuer_th: Mapped[str] = mapped_column(String(200))
    issuer_en: Mapped[str] = mapped_column(String(200))
    signatory_name: Mapped[str] = mapped_column(String(120), default="")
    signatory_title_th: Mapped[str] = mapped_column(String(120), default="")
    signatory_title_en: Mapped[str] = mapped_column(String(120), default="")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # None: on completion
    expires_on: Mapped[date | None]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    replaced_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))

    person: Mapped[User] = relationship(foreign_keys=[person_id])


class CertificateBatch(db.Model):
    """The certificates of a cohort or a class, issued (or found) and rendered together in the background:
    its progress for the page that waits, and its files (one merged PDF, a ZIP) once done."""

    __tablename__ = "certificate_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("school_class.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))  # the course whose certificates it prints
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued, running, done, failed
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime | None]  # a running batch's last sign of life
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
