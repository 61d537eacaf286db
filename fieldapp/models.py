"""Imports every model module so that SQLAlchemy and Alembic know all tables."""

from fieldapp.accounts.models import Invitation, LoginAttempt, User, UserSession
from fieldapp.areas.models import Area, area_coordinators
from fieldapp.audit.models import AuditEntry
from fieldapp.studies.models import Study, StudyMember, StudyTheme

__all__ = [
    "Area",
    "AuditEntry",
    "Invitation",
    "LoginAttempt",
    "Study",
    "StudyMember",
    "StudyTheme",
    "User",
    "UserSession",
    "area_coordinators",
]
