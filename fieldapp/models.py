"""Imports every model module so that SQLAlchemy and Alembic know all tables."""

from fieldapp.accounts.models import Invitation, LoginAttempt, User, UserSession
from fieldapp.analysis.models import Code, Coder, Coding, Quote
from fieldapp.areas.models import Area, area_coordinators
from fieldapp.audit.models import AuditEntry
from fieldapp.compensation.models import (
    AllowanceLimit,
    PayeeProfile,
    PaymentBatch,
    StudyRates,
    ThankYou,
    ThankYouType,
    WorkEntry,
    WorkEntryChange,
)
from fieldapp.consent.models import (
    ConsentDecision,
    ConsentForm,
    ConsentItem,
    ConsentRecord,
    ConsentText,
)
from fieldapp.fieldwork.models import (
    Answer,
    Interview,
    InterviewRevision,
    Observation,
    ObservationPhoto,
    ReviewNote,
)
from fieldapp.instruments.models import Instrument, InstrumentVersion
from fieldapp.media.models import MediaFile
from fieldapp.participants.models import (
    ErasedSubmission,
    Participant,
    ParticipantContact,
    ParticipantTombstone,
)
from fieldapp.reports.models import Action, ActionUpdate, Report, ReportSection, ReportVersion
from fieldapp.studies.models import Study, StudyMember, StudyTheme

__all__ = [
    "Action",
    "ActionUpdate",
    "Report",
    "ReportSection",
    "ReportVersion",
    "Code",
    "Coder",
    "Coding",
    "Quote",
    "AllowanceLimit",
    "PayeeProfile",
    "PaymentBatch",
    "StudyRates",
    "ThankYou",
    "ThankYouType",
    "WorkEntry",
    "WorkEntryChange",
    "Answer",
    "Instrument",
    "InstrumentVersion",
    "Interview",
    "InterviewRevision",
    "Observation",
    "ObservationPhoto",
    "ReviewNote",
    "Area",
    "AuditEntry",
    "ConsentDecision",
    "ConsentForm",
    "ConsentItem",
    "ConsentRecord",
    "ConsentText",
    "ErasedSubmission",
    "MediaFile",
    "Participant",
    "ParticipantContact",
    "ParticipantTombstone",
    "Invitation",
    "LoginAttempt",
    "Study",
    "StudyMember",
    "StudyTheme",
    "User",
    "UserSession",
    "area_coordinators",
]
