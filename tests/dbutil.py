"""Test databases: a SQLite file by default, a fresh PostgreSQL database with TEST_DATABASE_URL."""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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
        yield base.set(database=db_name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
    finally:
        admin.dispose()
