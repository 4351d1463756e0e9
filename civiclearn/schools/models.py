"""Schools, classes, who is in a class, and the modules assigned to it."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civiclearn.database import indexed_foreign_key, utcnow
from civiclearn.extensions import db


class School(db.Model):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(100), index=True)
    district: Mapped[str] = mapped_column(String(100))
    # Who signs its certificates, as printed under the signature line.
    signatory_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    signatory_title_th: Mapped[str] = mapped_column(String(120), default="", server_default="")
    signatory_title_en: Mapped[str] = mapped_column(String(120), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())  # `flask demo`'s

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_th


class SchoolClass(db.Model):
    __tablename__ = "school_class"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = indexed_foreign_key("school")
    name: Mapped[str] = mapped_column(String(100))  # as the school names it, e.g. ม.2/1
    grade: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]  # the academic year, Buddhist Era, e.g. 2569
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()


class ClassMember(db.Model):
    __tablename__ = "class_member"
    __table_args__ = (UniqueConstraint("class_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = indexed_foreign_key("school_class")
    person_id: Mapped[int] = indexed_foreign_key("person")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]  # left the class's LMS course (its roster says so): kept, with their progress


class Assignment(db.Model):
    """A module a teacher assigned to a class, with an optional due date."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("class_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = indexed_foreign_key("school_class")
    module_id: Mapped[int] = indexed_foreign_key("module")
    due_on: Mapped[date | None]
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
