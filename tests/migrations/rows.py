"""Realistic rows written at one migration revision and read back after later ones.

Each module in tests/migrations/revisions/ belongs to one migration (SecureDrop keeps a
test file per migration too). It names the revision and the rows to write once the database
is at that revision:

    REVISION = "13e95f6edbc0"
    ROWS = {"users": [{"id": 1, "username": "samira", ...}], ...}   # in insertion order

Optional:

    DOWNGRADE = False    # the migration cannot be undone; downgrades stop there
    def expected(table, row): ...   # how this migration changes rows written before it
                                    # (a renamed or converted column), as they must read after

The rows go in through the schema as the database has it at that revision (reflected, no
models), so they stay valid when the models move on.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from sqlalchemy import MetaData, Table, and_, func, select, text
from sqlalchemy.engine import Connection

from tests.migrations import revisions


@dataclass
class RevisionRows:
    revision: str
    module: str
    rows: dict[str, list[dict[str, Any]]]
    downgrade: bool = True
    expected_hook: Any = None
    written: list[tuple[str, dict]] = field(default_factory=list)


def utc(moment: str) -> dt.datetime:
    """'2026-10-05 09:30' as an aware UTC datetime."""
    return dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC)


def load_revision_rows() -> dict[str, RevisionRows]:
    """Every module of tests/migrations/revisions/, by the revision it belongs to."""
    found: dict[str, RevisionRows] = {}
    for info in pkgutil.iter_modules(revisions.__path__):
        if info.name.startswith("_"):
            continue
        module: ModuleType = importlib.import_module(f"{revisions.__name__}.{info.name}")
        revision = module.REVISION
        assert revision not in found, f"two data modules for revision {revision}"
        found[revision] = RevisionRows(
            revision=revision,
            module=info.name,
            rows=module.ROWS,
            downgrade=getattr(module, "DOWNGRADE", True),
            expected_hook=getattr(module, "expected", None),
        )
    return found


def _table(conn: Connection, name: str) -> Table:
    return Table(name, MetaData(), autoload_with=conn)


def reflect(conn: Connection) -> MetaData:
    """Every table as the database has it now (one set of catalogue queries for all)."""
    metadata = MetaData()
    metadata.reflect(conn)
    return metadata


def insert_rows(conn: Connection, data: RevisionRows) -> None:
    for name, rows in data.rows.items():
        table = _table(conn, name)
        unknown = {key for row in rows for key in row} - set(table.c.keys())
        assert not unknown, f"{data.module}: {name} has no column(s) {sorted(unknown)}"
        conn.execute(table.insert(), rows)
        if conn.dialect.name == "postgresql" and "id" in table.c and table.c.id.primary_key:
            # The rows carry their ids; move the sequence past them as the app's inserts would.
            highest = conn.scalar(select(func.max(table.c.id)))
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"),
                {"t": name, "n": highest},
            )
        data.written.extend((name, dict(row)) for row in rows)


def _normal(value: Any) -> Any:
    """Compare datetimes as naive UTC: SQLite keeps no time zone, PostgreSQL gives UTC back."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def check_rows(
    conn: Connection,
    schema: MetaData,
    data: RevisionRows,
    later: list[RevisionRows],
    step: str,
) -> list[str]:
    """What differs between the rows written at `data.revision` and the database now.

    `later` are the migrations applied since, whose `expected` hooks say how they change the
    rows. Returns one line per difference (empty when every row is as written)."""
    problems = []
    for name, written in data.written:
        expected = dict(written)
        for migration in later:
            if migration.expected_hook:
                expected = migration.expected_hook(name, expected)
        table = schema.tables.get(name)
        if table is None:
            problems.append(f"table {name} gone after {step}")
            continue
        key_columns = list(table.primary_key.columns) or list(table.c)
        key = {c.name: expected[c.name] for c in key_columns}
        found = (
            conn.execute(select(table).where(and_(*(table.c[k] == v for k, v in key.items()))))
            .mappings()
            .first()
        )
        where = f"{name} {key}"
        if found is None:
            problems.append(f"{where}: gone after {step}")
            continue
        for column, value in expected.items():
            if column not in found:
                problems.append(f"{where}: column {column} gone after {step}")
            elif _normal(found[column]) != _normal(value):
                problems.append(
                    f"{where}: {column} was {value!r}, is {found[column]!r} after {step}"
                )
    return problems
