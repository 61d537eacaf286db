"""Loading a study for a view, checked against the current user on every request."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from fieldapp.extensions import db
from fieldapp.studies.models import Study
from fieldapp.studies.services import can_manage_study, can_view_study


def load_study(study_id: int, *, manage: bool = False) -> Study:
    """The study, if this user may see it (404 otherwise) and manage it (403 otherwise)."""
    study = db.session.get(Study, study_id)
    if study is None or not can_view_study(current_user, study):
        abort(404)
    if manage and not can_manage_study(current_user, study):
        abort(403)
    return study


def study_view(manage: bool = False):
    """Decorator: replaces the study_id argument with the checked study."""

    def decorator(view):
        @wraps(view)
        def wrapped(study_id: int, **kwargs):
            if not current_user.is_authenticated:
                abort(404)
            return view(load_study(study_id, manage=manage), **kwargs)

        return wrapped

    return decorator
