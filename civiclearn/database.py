"""Database conventions shared by every feature: naming, UTC timestamps, foreign keys, SQLite settings, upserts,
ids in URLs."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, MetaData, String, Text, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, Session, mapped_column, registry
from sqlalchemy.types import TypeDecorator
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest id an integer column holds (PostgreSQL's integer)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC and always returned timezone-aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use civiclearn.database.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Model(DeclarativeBase):
    """Base of every table: stable constraint names for migrations, and every datetime in UTC."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )

    def __repr__(self) -> str:
        """The table's class and the row's primary key, nothing more: a log line must not carry a name, a
        learner code or a hash."""
        identity = inspect(self).identity
        return f"<{type(self).__name__} {'/'.join(map(str, identity)) if identity else '(not saved)'}>"


def utcnow() -> datetime:
    """The current time, timezone-aware (every `*_at` column holds UTC)."""
    return datetime.now(UTC)


class SigningKeyColumns:
    """The columns of a signing key pair kept in the database, so every app server and job worker signs alike (the
    LTI key, the credentials' key): its public JWK's thumbprint, the private key (PEM), the public JWK, when it was
    made and when a newer key replaced it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_at: Mapped[datetime | None]


def indexed_foreign_key(table: str) -> MappedColumn[Any]:
    """A column holding the id of a row of `table`, indexed: rows are looked up by the row they belong to."""
    return mapped_column(ForeignKey(f"{table}.id"), index=True)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """Turn on what SQLite leaves off: foreign keys, WAL (readers never block the writer), a busy wait."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def upsert(session: Session, model: type, values: dict[str, Any], unique: list[str],
           update: dict[str, Any] | None = None) -> int:
    """INSERT a row, or when one with the same unique key exists, UPDATE it with `update` (or leave it).

    One statement (ON CONFLICT), so unlike "SELECT, then INSERT" two racing requests can neither
    create a duplicate nor fail. Returns the number of rows written (0 or 1).
    """
    dialect = session.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    statement = insert(model).values(**values)
    if update:
        statement = statement.on_conflict_do_update(index_elements=unique, set_=update)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=unique)
    return session.execute(statement).rowcount


class RowIdConverter(IntegerConverter):
    """`<int:...>` in a route is a row id: one larger than any column holds is not found (404), rather
    than an error from PostgreSQL. Installed as the app's `int` converter."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False):
        super().__init__(map, fixed_digits, min, max, signed)
