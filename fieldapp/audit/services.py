"""Writing to the audit log."""

from __future__ import annotations

import re

from fieldapp.audit.models import AuditEntry
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
    """Add an audit entry to the current transaction (the caller commits)."""
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
    db.session.add(entry)
    return entry
