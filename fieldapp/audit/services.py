"""Writing to the audit log."""

from __future__ import annotations

import re

from sqlalchemy import insert

from fieldapp.audit.models import AuditEntry
from fieldapp.db import IMMEDIATE, in_read_request, utcnow, wrote_in_transaction
from fieldapp.extensions import db

# Details are codes and numbers only, so free text (a name, an answer) cannot slip in.
_CODE = re.compile(r"^[a-z0-9_:.\-]{0,64}$")


class AuditDetailRejected(ValueError):
    pass


def _check_details(details: dict) -> dict:
    for key, value in details.items():
        if isinstance(value, bool) or isinstance(value, int) or value is None:
            continue
        if isinstance(value, str) and _CODE.match(value):
            continue
        raise AuditDetailRejected(f"audit detail {key!r} must be a code or a number")
    return details


def record(
    action: str,
    obj=None,
    *,
    actor=None,
    study_id: int | None = None,
    **details,
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits).

    During a read (GET) on SQLite, the entry is written and committed at once in a short
    transaction of its own instead; see _write_at_once. (PostgreSQL has no lock upgrade to
    fail: there the entry is committed with the view's own commit, as for a write.)
    """
    if not _CODE.match(action):
        raise AuditDetailRejected("audit action must be a code")
    if actor is None:
        from flask import has_request_context
        from flask_login import current_user

        if has_request_context() and current_user and current_user.is_authenticated:
            actor = current_user
    entry = AuditEntry(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None and getattr(obj, "id", None) else None,
        study_id=study_id,
        details=_check_details(details),
    )
    if (
        in_read_request()
        and db.engine.dialect.name == "sqlite"
        # A read that has written holds the write lock already: a second connection
        # would wait for it until the busy timeout, so the entry joins that transaction.
        and not wrote_in_transaction(db.session)
    ):
        _write_at_once(entry)
    else:
        db.session.add(entry)
    return entry


def _write_at_once(entry: AuditEntry) -> None:
    """Commit an audit entry of a read on a connection of its own, with BEGIN IMMEDIATE.

    A read begins deferred so that it never waits for writers (WAL). Writing the entry in
    that same transaction means upgrading its lock, and SQLite refuses the upgrade at once,
    busy timeout or not, when another writer committed since the read began ("database is
    locked"). Beginning every audited read IMMEDIATE instead would queue readers behind
    every writer. So the read stays deferred and the entry gets its own tiny transaction,
    which waits for the write lock like any other write. It is committed before the view
    goes on to send anything: when it cannot be written, the read fails and nothing is
    shown unaccounted for.
    """
    entry.at = entry.at or utcnow()
    values = {column.key: getattr(entry, column.key) for column in AuditEntry.__table__.columns}
    values.pop("id")
    with db.engine.connect() as connection:
        connection = connection.execution_options(**IMMEDIATE)
        with connection.begin():
            entry.id = connection.execute(
                insert(AuditEntry.__table__).values(**values).returning(AuditEntry.__table__.c.id)
            ).scalar_one()
