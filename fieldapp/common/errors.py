"""Error pages in the user's language; a 500 shows an error id, never a trace."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from fieldapp.extensions import db

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
}


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
        db.session.rollback()
        error_id = secrets.token_hex(6)
        # The log gets the exception type and where it happened; no request data.
        log.error("error %s on %s %s", error_id, request.method, request.url_rule, exc_info=error)
        return render_error(500, error_id=error_id)
