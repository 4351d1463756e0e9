"""A person who uses CivicLearn.

One row per person, whatever roles they hold. Later features hang off it in their own tables
(role assignments scoped to a centre or class, identities asserted by an external LMS as
issuer + subject), so this table keeps only what every person has.
"""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from civiclearn.database import utcnow
from civiclearn.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(60))
    learner_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    # The registration form's one-time token: a double click on "Create" finds this row, not a second one.
    registration_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.learner_code}>"
