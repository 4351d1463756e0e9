"""xAPI statements waiting for the Learning Record Store (an outbox): written with what they record, in the same
transaction, and sent by a job; a centre offline for days keeps them until the LRS can be reached."""

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from civiclearn.database import utcnow
from civiclearn.extensions import db

STATEMENT_STATES = ("waiting", "sent")


class XapiStatement(db.Model):
    __tablename__ = "xapi_statement"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the statement's own id (a UUID)
    body: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="waiting", index=True)  # one of STATEMENT_STATES
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    tries: Mapped[int] = mapped_column(default=0)  # failed sends since it was written
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]
