"""Rate-limit counters that every worker of the server shares, without Redis.

Flask-Limiter keeps its counters in a `limits` storage. Its in-memory storage is per process, so
gunicorn's two workers would each allow the whole limit; Redis is shared but not on every centre's
PC. This storage keeps the counters in the app's own database (the `rate_limit_counter` table), which
every worker already shares: `RATELIMIT_STORAGE_URI=database://` (the default). A deployment with Redis
sets `RATELIMIT_STORAGE_URI=redis://...` instead.

Only the fixed-window strategy is supported (Flask-Limiter's default): a counter with an expiry.
Counting is one INSERT ... ON CONFLICT DO UPDATE ... RETURNING statement, so two workers counting at once
both count. It runs in a short transaction of its own, so a request that fails keeps its count; except on
SQLite when the request is already writing: SQLite lets one connection write at a time, so the count then
joins the request's own transaction (waiting for the request to finish would wait forever).
"""

import hashlib
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

from limits.storage import Storage
from sqlalchemy import Float, String, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from civiclearn.extensions import db

SWEEP_CHANCE = 0.01  # about one count in a hundred also deletes the counters that have expired


class RateLimitCounter(db.Model):
    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int]
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch, as `limits` counts


class DatabaseStorage(Storage):
    """A `limits` storage in the app's database (the app of the current request or CLI command)."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        table = RateLimitCounter.__table__
        insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[db.engine.dialect.name]
        statement = insert(table).values(key=_stored(key), count=amount, expires_at=now + expiry)
        expired = table.c.expires_at <= now
        statement = statement.on_conflict_do_update(index_elements=["key"], set_={
            "count": db.case((expired, amount), else_=table.c.count + amount),
            "expires_at": db.case((expired, now + expiry), else_=table.c.expires_at),
        }).returning(table.c.count)
        with _writing() as connection:
            count = connection.execute(statement).scalar_one()
            if random.random() < SWEEP_CHANCE:
                connection.execute(delete(table).where(expired))
        return count

    def get(self, key: str) -> int:
        with db.engine.connect() as connection:
            count = connection.execute(select(RateLimitCounter.count).where(
                RateLimitCounter.key == _stored(key), RateLimitCounter.expires_at > time.time())).scalar()
        return count or 0

    def get_expiry(self, key: str) -> float:
        with db.engine.connect() as connection:
            expires_at = connection.execute(select(RateLimitCounter.expires_at).where(
                RateLimitCounter.key == _stored(key))).scalar()
        return expires_at if expires_at and expires_at > time.time() else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int:
        with _writing() as connection:
            return connection.execute(delete(RateLimitCounter)).rowcount

    def clear(self, key: str) -> None:
        with _writing() as connection:
            connection.execute(delete(RateLimitCounter).where(RateLimitCounter.key == _stored(key)))


@contextmanager
def _writing() -> Iterator[Connection]:
    """A connection to count with: see the module's docstring."""
    session = db.session()
    if session.in_transaction() and session.get_bind().dialect.name == "sqlite":
        connection = session.connection()
        if connection.connection.dbapi_connection.in_transaction:  # sqlite3 began: the request has written
            yield connection
            return
    with db.engine.begin() as connection:
        yield connection


def _stored(key: str) -> str:
    """Keys hold what people typed (a learner code, a login): anything long or unprintable (PostgreSQL refuses
    a NUL in text) is stored as its hash, so every key fits the column and stays distinct."""
    if len(key) <= 200 and key.isprintable():
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
