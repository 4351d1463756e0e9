"""People, their roles and their identities.

One row per person, whatever they do: learners have a learner code and a PIN, staff a username or
email and a password, and a person may be both. Roles are rows of their own, each scoped to a
place; identities asserted by an external LMS (issuer + subject) point to a person too.
"""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civiclearn.database import indexed_foreign_key, utcnow
from civiclearn.extensions import db

ROLES = ("admin", "trainer", "teacher")
GENDERS = ("female", "male", "other")


class User(UserMixin, db.Model):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(60))
    learner_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_pin: Mapped[bool] = mapped_column(default=False)  # a PIN a trainer set: the learner picks their own
    username: Mapped[str | None] = mapped_column(String(60), unique=True)  # staff sign in with this or their email
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    birth_year: Mapped[int | None]  # Christian Era; only for age bands in reports
    gender: Mapped[str | None] = mapped_column(String(10))  # one of GENDERS, if the person chose to say
    locale: Mapped[str | None] = mapped_column(String(5))
    failed_sign_ins: Mapped[int] = mapped_column(default=0)  # wrong PINs or passwords in a row
    locked_until: Mapped[datetime | None]
    consented_at: Mapped[datetime | None]  # when the person (or their guardian) agreed to the data we keep
    guardian_consented: Mapped[bool] = mapped_column(default=False)
    anonymised_at: Mapped[datetime | None]  # after a deletion request: counts stay, the person is gone
    # The registration form's one-time token: a double click on "Create" finds this row, not a second one.
    registration_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())  # `flask demo`'s: never counted
    # Part of every session cookie: raising it ends all the person's sessions, on every device (sign-out,
    # a new PIN or password, a reset, a lock, a role removed, a deletion). See accounts.sessions.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    roles: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="person", foreign_keys="RoleAssignment.person_id", cascade="all, delete-orphan")

    @property
    def is_staff(self) -> bool:
        return self.password_hash is not None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session generation it was signed in with."""
        return f"{self.id}.{self.session_generation}"


class RoleAssignment(db.Model):
    """A role a person holds in one scope: a trainer at a centre, a teacher at a school (or of one class, as an
    LMS instructor is), an admin of a province, a district or everything. `scope` spells the scope out, so it can
    be unique."""

    __tablename__ = "role_assignment"
    __table_args__ = (UniqueConstraint("person_id", "role", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = indexed_foreign_key("person")
    role: Mapped[str] = mapped_column(String(20))  # one of ROLES
    centre_id: Mapped[int | None] = indexed_foreign_key("centre")
    school_id: Mapped[int | None] = indexed_foreign_key("school")
    class_id: Mapped[int | None] = indexed_foreign_key("school_class")  # a teacher of one class only (an LMS course)
    province: Mapped[str | None] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100))
    # "centre:3", "school:7", "class:9", "province:เชียงใหม่", "district:…/…", "all"
    scope: Mapped[str] = mapped_column(String(220))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    person: Mapped[User] = relationship(back_populates="roles", foreign_keys=[person_id])


class ExternalIdentity(db.Model):
    """A person as an external system knows them: an LMS (the issuer) and its id for them (the subject)."""

    __tablename__ = "external_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = indexed_foreign_key("person")
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
