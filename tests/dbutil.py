"""Test databases: a SQLite file by default, a fresh PostgreSQL database with TEST_DATABASE_URL."""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

from fieldapp.config import database_url


def postgres_server_url() -> str | None:
    raw = os.environ.get("TEST_DATABASE_URL")
    return database_url(raw) if raw else None


@contextmanager
def fresh_database(tmp_dir: Path, name: str = "fieldapp"):
    """Yield the URL of an empty database, removed afterwards."""
    server = postgres_server_url()
    if server is None:
        path = tmp_dir / f"{name}-{secrets.token_hex(4)}.sqlite"
        yield f"sqlite:///{path}"
        return
    base = make_url(server)
    db_name = f"fieldapp_test_{secrets.token_hex(6)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db_name}"'))
        try:
            yield base.set(database=db_name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def scratch_database(url: str, tmp_dir: Path, name: str = "scratch"):
    """Yield the URL of a second empty database beside the one at `url`, removed afterwards.

    On SQLite a file of its own; on PostgreSQL a schema of its own in the same database (the
    URL sets the search path), because DROP DATABASE waits for a checkpoint, which took from
    seconds to over a minute on a busy shared server.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_dir / f'{name}-{secrets.token_hex(4)}.sqlite'}"
        return
    schema = f"{name}_{secrets.token_hex(6)}"
    _run(url, f'CREATE SCHEMA "{schema}"')
    try:
        yield parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        _run(url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def wipe_database(url: str) -> None:
    """Drop every table of a database made by fresh_database or scratch_database, for the
    next test to start from nothing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return
    schema = parsed.query.get("options", "-csearch_path=public").split("=", 1)[1]
    _run(url, f'DROP SCHEMA "{schema}" CASCADE', f'CREATE SCHEMA "{schema}"')


def _run(url: str, *statements: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def engine_options_for_tests(url: str) -> dict:
    """Engine options for a test database.

    On PostgreSQL a commit does not wait for the WAL to reach the disk (synchronous_commit
    off, for this connection only): a test database need not survive a power cut, and on a
    busy machine the flushes were a large part of every test's time.
    """
    options: dict = {"pool_pre_ping": False}
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        # connect_args replace the URL's own options (a search path), so repeat those.
        given = parsed.query.get("options", "")
        options["connect_args"] = {"options": f"{given} -c synchronous_commit=off".strip()}
    return options


# One round trip: empty every table (children first), then restart the sequences that were
# used, as TRUNCATE ... RESTART IDENTITY would. TRUNCATE gives every table and index new files
# and scans the shared buffers once per relation; on ~45 nearly empty tables that cost up to a
# second per test on a busy machine, a plain DELETE a few milliseconds.
_EMPTY_POSTGRES = """
DO $$
DECLARE
    name text;
    seq record;
BEGIN
    FOREACH name IN ARRAY ARRAY[{names}]::text[] LOOP
        EXECUTE 'DELETE FROM ' || quote_ident(name);
    END LOOP;
    FOR seq IN SELECT schemaname, sequencename FROM pg_sequences
               WHERE last_value IS NOT NULL AND schemaname = current_schema() LOOP
        PERFORM setval(
            (quote_ident(seq.schemaname) || '.' || quote_ident(seq.sequencename))::regclass,
            1,
            false
        );
    END LOOP;
END
$$
"""


def empty_tables(engine: Engine, metadata: MetaData) -> None:
    """Delete every row of the metadata's tables and start their ids at 1 again."""
    tables = list(reversed(metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join("'" + t.name.replace("'", "''") + "'" for t in tables)
            conn.exec_driver_sql(_EMPTY_POSTGRES.format(names=names))
            return
        for table in tables:
            conn.execute(table.delete())
        # Tables with AUTOINCREMENT keep their counter here; forget it, as PostgreSQL does.
        if conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
        ).first():
            conn.exec_driver_sql("DELETE FROM sqlite_sequence")
