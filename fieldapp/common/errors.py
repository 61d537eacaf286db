"""Error pages in the user's language; a 500 shows an error id, never a trace."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, DisconnectionError
from werkzeug.exceptions import HTTPException

from fieldapp.extensions import db, login_manager

log = logging.getLogger("fieldapp.errors")

MESSAGES = {
    400: (_l("Something in the request was wrong"), _l("Please go back and try again.")),
    403: (
        _l("You do not have access to this page"),
        _l("If you think you should, ask the coordinator of your study."),
    ),
    404: (
        _l("Page not found"),
        _l("This page does not exist, or you do not have access to it."),
    ),
    405: (_l("That does not work here"), _l("Please go back and try again.")),
    409: (
        _l("This was already sent for something else"),
        _l("Nothing was stored. Please go back and try again."),
    ),
    410: (
        _l("This no longer exists"),
        _l("It was erased, for example because a participant withdrew."),
    ),
    413: (
        _l("What you sent is too large"),
        _l("Please send a smaller file or less text at once."),
    ),
    429: (_l("Too many attempts"), _l("Please wait a few minutes and try again.")),
    500: (
        _l("Something went wrong on our side"),
        _l("Your last action may not have been saved. Please try again later."),
    ),
    503: (
        _l("The database cannot be reached just now"),
        _l("Your last action was not saved. Please try again in a few minutes."),
    ),
}

# Seconds a client is asked to wait before trying again when the database is away.
RETRY_AFTER = 30


def database_unreachable(error: BaseException) -> bool:
    """The database server is down, unreachable, or dropped the connection."""
    if isinstance(error, DisconnectionError):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        orig = error.orig
        # psycopg: OperationalError for a refused, closed or timed-out connection
        return type(orig).__module__.startswith("psycopg") and type(orig).__name__ in (
            "OperationalError",
            "InterfaceError",
        )
    return False


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def render_error(status: int, detail=None, error_id: str | None = None):
    title, text = MESSAGES.get(status, MESSAGES[400])
    if _wants_json():
        body = {"error": status, "message": str(title)}
        if error_id:
            body["error_id"] = error_id
        return jsonify(body), status
    return (
        render_template(
            "errors/error.html", status=status, title=title, text=detail or text, error_id=error_id
        ),
        status,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400, _l("This form has expired or was sent from elsewhere. Please fill it in again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        # An exception may carry its own translated reason (common.forms.UnsafeText).
        detail = getattr(error, "user_message", None)
        return render_error(error.code if error.code in MESSAGES else 400, detail)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the database may be the thing that failed
            db.session.remove()
        error_id = secrets.token_hex(6)
        if database_unreachable(error):
            # The page must not ask the database who is logged in: it is not there.
            g._login_user = login_manager.anonymous_user()
            log.error(
                "error %s: database unreachable on %s %s",
                error_id,
                request.method,
                request.url_rule,
            )
            response, status = render_error(503, error_id=error_id)
            response = app.make_response((response, status))
            response.headers["Retry-After"] = str(RETRY_AFTER)
            return response
        # The log gets the exception type and where it happened; no request data.
        log.error("error %s on %s %s", error_id, request.method, request.url_rule, exc_info=error)
        return render_error(500, error_id=error_id)
