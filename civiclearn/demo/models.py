"""Whether this database has had the demo data."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from civiclearn.extensions import db

STATE_ID = 1  # the table's one row


class DemoState(db.Model):
    """When the demo was added and when it was removed: one row, so that `make run` adds the demo to a new
    database only, and `flask demo seed` does not bring back a demo someone removed. Kept in the database,
    not in a file, so it travels with the data (a backup, a second server)."""

    __tablename__ = "demo_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    seeded_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]

    @property
    def present(self) -> bool:
        return self.seeded_at is not None and self.removed_at is None
