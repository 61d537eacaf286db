"""The audit log, readable by administrators (blueprint "audit").

The page lives with accounts, not in audit: it needs the administrator role, and audit
sits below accounts so that every domain may record entries."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from fieldapp.accounts.access import role_required
from fieldapp.accounts.models import Role
from fieldapp.audit.models import AuditEntry
from fieldapp.common.forms import database_id
from fieldapp.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PAGE_SIZE = 50


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    """Show the audit log, newest first, optionally for one action."""
    # A page number the database cannot take as an offset is page 1 (no 500).
    page = request.args.get("page", 1, type=database_id)
    action = request.args.get("action", "").strip()[:64]
    query = select(AuditEntry)
    count_query = select(func.count(AuditEntry.id))
    if action:
        query = query.where(AuditEntry.action == action)
        count_query = count_query.where(AuditEntry.action == action)
    total = db.session.scalar(count_query)
    entries = db.session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return render_template(
        "audit/index.html",
        entries=entries,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        total=total,
        action=action,
        actions=list(actions),
    )
