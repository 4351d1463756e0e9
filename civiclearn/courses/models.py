"""Loaded courses in the database: one row per course, module, lesson and quiz, with stable ids.

Rows are never deleted: an item that leaves the course files gets `retired_at`, so progress on it
is kept. The course row holds a snapshot of its last good files, which every app process serves.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civiclearn.extensions import db


class CourseRecord(db.Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title_th: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(default=1)
    source_hash: Mapped[str] = mapped_column(String(64))
    source_dir: Mapped[str] = mapped_column(String(1000))
    snapshot: Mapped[dict] = mapped_column(JSON)
    loaded_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]

    modules: Mapped[list["ModuleRecord"]] = relationship(back_populates="course")


class _CourseItem:
    """Columns every item of a course has."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    title_th: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    position: Mapped[int]  # 1-based: a module in its course, a lesson or quiz in its module
    retired_at: Mapped[datetime | None]


class ModuleRecord(_CourseItem, db.Model):
    __tablename__ = "module"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    course: Mapped[CourseRecord] = relationship(back_populates="modules")


class LessonRecord(_CourseItem, db.Model):
    """A lesson; its key is unique in the course, so a lesson moved to another module keeps progress."""

    __tablename__ = "lesson"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)


class QuizRecord(_CourseItem, db.Model):
    __tablename__ = "quiz"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
