"""Studies, their themes and members; the study life cycle is a state machine."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import TimestampMixin, UTCDateTime, utcnow
from fieldapp.extensions import db


class StudyState(enum.StrEnum):
    DRAFT = "draft"
    FIELDWORK = "fieldwork"
    ANALYSIS = "analysis"
    REPORTING = "reporting"
    CLOSED = "closed"


# Forward through the life cycle; analysis may reopen fieldwork when more interviews
# turn out to be needed. Closed is final.
TRANSITIONS: dict[StudyState, tuple[StudyState, ...]] = {
    StudyState.DRAFT: (StudyState.FIELDWORK,),
    StudyState.FIELDWORK: (StudyState.ANALYSIS,),
    StudyState.ANALYSIS: (StudyState.REPORTING, StudyState.FIELDWORK),
    StudyState.REPORTING: (StudyState.CLOSED,),
    StudyState.CLOSED: (),
}


class InvalidTransition(Exception):
    def __init__(self, current: str, target: str):
        super().__init__(f"a study cannot go from {current} to {target}")
        self.current = current
        self.target = target


class MemberRole(enum.StrEnum):
    COORDINATOR = "coordinator"
    CO_RESEARCHER = "co_researcher"


_STATE_CHECK = "state IN ('draft', 'fieldwork', 'analysis', 'reporting', 'closed')"


class Study(TimestampMixin, db.Model):
    __tablename__ = "studies"
    __table_args__ = (CheckConstraint(_STATE_CHECK, name="state_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    area_id: Mapped[int] = mapped_column(
        ForeignKey("areas.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    research_question: Mapped[str] = mapped_column(Text, nullable=False)
    lead_organisation: Mapped[str] = mapped_column(String(200), nullable=False)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=StudyState.DRAFT)
    retention_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # Languages in which participants are interviewed and read consent and reports
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    area = relationship("Area", back_populates="studies")
    themes: Mapped[list[StudyTheme]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="StudyTheme.id"
    )
    members: Mapped[list[StudyMember]] = relationship(
        back_populates="study", cascade="all, delete-orphan"
    )

    # The life cycle. Each method refuses a transition the life cycle does not allow.
    def can_become(self, target: str) -> bool:
        return StudyState(target) in TRANSITIONS[StudyState(self.state)]

    def _become(self, target: StudyState) -> None:
        if not self.can_become(target):
            raise InvalidTransition(self.state, target)
        self.state = target

    def start_fieldwork(self) -> None:
        self._become(StudyState.FIELDWORK)

    def start_analysis(self) -> None:
        self._become(StudyState.ANALYSIS)

    def start_reporting(self) -> None:
        self._become(StudyState.REPORTING)

    def close(self) -> None:
        self._become(StudyState.CLOSED)

    @property
    def next_states(self) -> tuple[StudyState, ...]:
        return TRANSITIONS[StudyState(self.state)]

    def member_role(self, user) -> str | None:
        for member in self.members:
            if member.user_id == user.id:
                return member.role
        return None

    def members_with_role(self, role: str):
        return [m.user for m in self.members if m.role == role]

    def __repr__(self) -> str:
        return f"<Study {self.slug} {self.state}>"


class StudyTheme(db.Model):
    """An agenda theme (key from AGENDA_THEMES) or a custom one (key 'custom:…' and a label)."""

    __tablename__ = "study_themes"
    __table_args__ = (UniqueConstraint("study_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    key: Mapped[str] = mapped_column(String(80), nullable=False)
    label: Mapped[str | None] = mapped_column(String(80))

    study: Mapped[Study] = relationship(back_populates="themes")

    @property
    def is_custom(self) -> bool:
        return self.key.startswith("custom:")


class StudyMember(db.Model):
    __tablename__ = "study_members"
    __table_args__ = (
        CheckConstraint("role IN ('coordinator', 'co_researcher')", name="role_known"),
    )

    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    study: Mapped[Study] = relationship(back_populates="members")
    user = relationship("User")
