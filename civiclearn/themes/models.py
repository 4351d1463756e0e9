"""A run of the comment themes: what it was asked for (a source, filters, whose view), how it went, and what it
found (the themes, as comment ids: the comments themselves stay in their own table, so a deleted comment is
gone from the themes too)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from civiclearn.database import utcnow
from civiclearn.extensions import db


class ThemeRun(db.Model):
    """One analysis, for one staff member (themes hold only what they may read) and one set of filters."""

    __tablename__ = "theme_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A run is its requester's own (like their notes): it goes with them, on deletion and with the demo.
    requester_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # a key of civiclearn.themes.services.SOURCES
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(5))  # of the key words
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued, running, done, failed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    comment_count: Mapped[int] = mapped_column(default=0)
    themes: Mapped[list] = mapped_column(JSON, default=list)  # Theme.as_dict() of each, the largest first

    def __repr__(self) -> str:
        return f"<ThemeRun {self.id} {self.source} {self.status}>"
