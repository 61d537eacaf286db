"""Access decorators for views: logged in, a role, a recent login."""

from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, session, url_for
from flask_login import current_user

from fieldapp.accounts.services import login_is_recent


def role_required(*roles: str):
    """Only users with one of these roles; others get 403, anonymous users the login page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def recent_login_required(view):
    """Sensitive actions ask for the password again when the login is older than 15 minutes."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path))
        if not login_is_recent(session.get("sid")):
            target = request.full_path if request.method == "GET" else request.referrer
            return redirect(url_for("accounts.reauthenticate", next=target or "/"))
        return view(*args, **kwargs)

    return wrapped
