"""The front door, the health check and the language switch."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from fieldapp.common.errors import RETRY_AFTER, database_unreachable
from fieldapp.extensions import db

bp = Blueprint("common", __name__)


@bp.get("/")
def index():
    """Send people to their home screen, or to the login page."""
    if current_user.is_authenticated:
        return redirect(url_for("studies.home"))
    return redirect(url_for("accounts.login"))


@bp.get("/healthz")
def healthz():
    """Report whether the app can reach its database, as JSON for monitoring."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception as error:  # noqa: BLE001 - any failure means the database is not usable
        db.session.remove()
        reason = "unreachable" if database_unreachable(error) else "error"
        body = {"status": "degraded", "database": "unavailable", "reason": reason}
        return jsonify(body), 503, {"Retry-After": str(RETRY_AFTER)}
    return jsonify({"status": "ok", "database": "ok"}), 200


@bp.get("/languages")
def languages():
    """List the interface languages, each in its own script (the switcher without a menu)."""
    return render_template("common/languages.html")
