"""Declarative base with a naming convention, shared column helpers and SQLite tuning."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import DateTime, Integer, MetaData, Table, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, Session, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


log = logging.getLogger("fieldapp.db")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Mapper, "after_mapper_constructed")
def _never_reuse_ids_of_mapped_tables(mapper, class_) -> None:
    if isinstance(mapper.local_table, Table):
        never_reuse_ids(mapper.local_table)


def never_reuse_ids(table: Table) -> None:
    """An integer id, once used, is never given again (SQLite AUTOINCREMENT).

    Without it SQLite hands out max(id) + 1, so after an erasure the next participant (or
    consent record, study...) gets the erased one's id, and the audit log, which names
    objects by id, would point at the wrong one. PostgreSQL sequences never go back.
    """
    columns = list(table.primary_key.columns)
    if len(columns) == 1 and isinstance(columns[0].type, Integer):
        table.dialect_options["sqlite"]["autoincrement"] = True


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """WAL, a busy timeout and foreign keys; transactions are begun by us, not by pysqlite.

    synchronous=FULL: in WAL mode NORMAL syncs only at checkpoints, so a power cut can take
    back a transaction already answered "received" (rule 3); FULL syncs the WAL at every
    commit. secure_delete=ON: deleted rows are overwritten with zeros in the pages that held
    them, whatever the build's default (erasure, rule 2); the WAL is handled after an
    erasure commits (checkpoint_after_erasure).
    """
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # Long enough for a queue of 50 writers on a busy 2-core machine (bench/concurrency.py)
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _begin_mode() -> str:
    """Reads (GET, HEAD) begin deferred; every other transaction takes the write lock at once.

    A deferred transaction that later writes must upgrade its lock, and in WAL mode that
    upgrade fails at once with "database is locked" when another writer committed in
    between; BEGIN IMMEDIATE waits for the lock (busy timeout) before reading anything.
    A GET view that writes (a card shown once, a draft made on first visit) says so with
    `writes_during_read` and begins immediately too.
    """
    from flask import current_app, has_request_context, request

    if has_request_context() and request.method in ("GET", "HEAD", "OPTIONS"):
        view = current_app.view_functions.get(request.endpoint or "")
        if getattr(view, _WRITES_DURING_READ, False):
            return "BEGIN IMMEDIATE"
        return "BEGIN"
    return "BEGIN IMMEDIATE"


_WRITES_DURING_READ = "fieldapp_writes_during_read"


def writes_during_read(view):
    """Mark a view whose GET writes rows (not only an audit entry): its transaction begins
    with the write lock, as a POST's does, so the write never needs a lock upgrade."""
    setattr(view, _WRITES_DURING_READ, True)
    return view


_WROTE = "fieldapp_wrote"


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany):
    if conn.dialect.name == "sqlite" and statement.lstrip()[:6].upper() in (
        "INSERT",
        "UPDATE",
        "DELETE",
    ):
        conn.info[_WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_writes(conn):
    conn.info.pop(_WROTE, None)


def wrote_in_transaction(session: Session) -> bool:
    """True when the session's open transaction has written to SQLite (holds the write lock)."""
    session = session.registry() if hasattr(session, "registry") else session  # scoped
    if not session.in_transaction():
        return False
    return bool(session.connection().info.get(_WROTE))


def in_read_request() -> bool:
    """True while a GET (HEAD, OPTIONS) is served: its transactions begin deferred."""
    return _begin_mode() == "BEGIN"


# A connection given this execution option begins BEGIN IMMEDIATE even inside a GET: for a
# short write of its own (an audit entry) next to the request's deferred read transaction.
IMMEDIATE = {"fieldapp_begin": "BEGIN IMMEDIATE"}


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn):
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql(conn.get_execution_options().get("fieldapp_begin") or _begin_mode())


# ---------------------------------------------------------------- erasure leaves no copies

_ERASURE_PENDING = "fieldapp_erasure_pending"


def checkpoint_after_erasure(session: Session) -> None:
    """Ask for the SQLite WAL to be emptied once this session's transaction commits.

    In WAL mode the erased rows stay readable in the -wal file (the page images written
    before the erasure) until a checkpoint copies the pages back and the file is reused;
    a TRUNCATE checkpoint right after the commit leaves them neither in the WAL nor, with
    secure_delete, in the main file.
    """
    session.info[_ERASURE_PENDING] = True


@event.listens_for(Session, "after_commit")
def _checkpoint_after_commit(session: Session) -> None:
    # A savepoint's release fires this too; only the outermost commit makes it durable.
    if session.in_nested_transaction() or not session.info.pop(_ERASURE_PENDING, False):
        return
    engine = session.get_bind()
    if engine.dialect.name == "sqlite":
        checkpoint_wal(engine)


def checkpoint_wal(engine) -> bool:
    """Copy the WAL into the database file and truncate it to zero bytes; True if complete.

    Waits (busy timeout) for writers and readers of older snapshots to finish. When it
    cannot complete, the next erasure or the next automatic checkpoint finishes the job;
    the incomplete attempt is logged so an operator can see it.
    """
    raw = engine.raw_connection()
    try:
        busy, _, _ = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        raw.close()
    if busy:
        log.warning("WAL checkpoint after an erasure could not complete; it is retried later")
    return not busy


def render_migration_item(type_, obj, autogen_context):
    """Migrations stay self-contained: our UTC column type is written as a plain DateTime."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
