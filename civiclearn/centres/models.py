"""Community digital centres, their cohorts (training rounds), who is enrolled, and their kiosks."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civiclearn.database import indexed_foreign_key, utcnow
from civiclearn.extensions import db

DEFAULT_IDLE_MINUTES = 5


class Centre(db.Model):
    __tablename__ = "centre"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(100), index=True)
    district: Mapped[str] = mapped_column(String(100))
    subdistrict: Mapped[str] = mapped_column(String(100))
    lgo_name: Mapped[str] = mapped_column(String(200))  # the local government organisation it serves
    idle_minutes: Mapped[int] = mapped_column(default=DEFAULT_IDLE_MINUTES)  # kiosks sign out after this
    sign_in_by_name: Mapped[bool] = mapped_column(default=False)  # kiosks list the cohort's names
    # Who signs its certificates, as printed under the signature line.
    signatory_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    signatory_title_th: Mapped[str] = mapped_column(String(120), default="", server_default="")
    signatory_title_en: Mapped[str] = mapped_column(String(120), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())  # `flask demo`'s: never counted

    cohorts: Mapped[list["Cohort"]] = relationship(back_populates="centre", order_by="Cohort.id.desc()")

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_th


class Cohort(db.Model):
    """A training round at a centre."""

    __tablename__ = "cohort"
    __table_args__ = (UniqueConstraint("centre_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = indexed_foreign_key("centre")
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    centre: Mapped[Centre] = relationship(back_populates="cohorts")


class Enrolment(db.Model):
    """A learner in a cohort; through it, a learner of the centre."""

    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("person_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = indexed_foreign_key("person")
    cohort_id: Mapped[int] = indexed_foreign_key("cohort")
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort: Mapped[Cohort] = relationship()


class Kiosk(db.Model):
    """A shared computer that a trainer turned into a kiosk of their centre (its browser holds a signed cookie)."""

    __tablename__ = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = indexed_foreign_key("centre")
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    revoked_at: Mapped[datetime | None]

    centre: Mapped[Centre] = relationship()


class RosterImport(db.Model):
    """An uploaded roster between its preview and its confirmation: the rows as read, each with its
    problems. Confirming writes every good row at once; confirming again writes nothing more."""

    __tablename__ = "roster_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = indexed_foreign_key("centre")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[list] = mapped_column(JSON)  # [{"line", "name", "birth_year", "gender", "cohort", "problems"}]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
