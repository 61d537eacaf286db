"""Interviews with their answers and revisions, observations with photos, review notes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import TimestampMixin, UTCDateTime, utcnow
from fieldapp.extensions import db
from fieldapp.participants.models import new_uuid

STATES = ("draft", "submitted", "approved", "needs_attention")
_STATE_CHECK = "state IN ('draft', 'submitted', 'approved', 'needs_attention')"


class InvalidReviewState(Exception):
    pass


class ReviewStateMixin:
    """draft → submitted → approved | needs attention; a correction submits again."""

    state: Mapped[str]

    def submit(self) -> None:
        if self.state not in ("draft", "needs_attention"):
            raise InvalidReviewState(self.state)
        self.state = "submitted"

    def approve(self) -> None:
        if self.state != "submitted":
            raise InvalidReviewState(self.state)
        self.state = "approved"

    def ask_attention(self) -> None:
        if self.state not in ("submitted", "approved"):
            raise InvalidReviewState(self.state)
        self.state = "needs_attention"

    @property
    def editable(self) -> bool:
        return self.state in ("draft", "needs_attention")


class Interview(TimestampMixin, ReviewStateMixin, db.Model):
    __tablename__ = "interviews"
    __table_args__ = (CheckConstraint(_STATE_CHECK, name="state_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Made on the device (or in the start form): the same id again is the same interview.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False, default=new_uuid)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    co_researcher_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    version_id: Mapped[int] = mapped_column(
        ForeignKey("instrument_versions.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    consent_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent_records.id", ondelete="SET NULL")
    )
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    study = relationship("Study")
    participant = relationship("Participant")
    co_researcher = relationship("User")
    version = relationship("InstrumentVersion")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", order_by="Answer.id"
    )
    revisions: Mapped[list[InterviewRevision]] = relationship(
        back_populates="interview",
        cascade="all, delete-orphan",
        order_by="InterviewRevision.number",
    )
    review_notes: Mapped[list[ReviewNote]] = relationship(
        cascade="all, delete-orphan", order_by="ReviewNote.id"
    )

    def answer_values(self) -> dict[str, object]:
        return {a.question_name: a.value for a in self.answers}


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("interview_id", "question_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False, index=True
    )
    question_name: Mapped[str] = mapped_column(String(64), nullable=False)
    # str for text, date (ISO), numbers (as text, exact) and single choices; list for multiple
    # choices; {"lat", "lon", "accuracy"} for a location; the media uuid for a photo.
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    # For a photo answer: the stored image (its uuid is the value).
    media_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_files.id", ondelete="SET NULL"), index=True
    )

    interview: Mapped[Interview] = relationship(back_populates="answers")
    media = relationship("MediaFile")


class InterviewRevision(db.Model):
    """The answers as they were at each submission, so corrections keep their history."""

    __tablename__ = "interview_revisions"
    __table_args__ = (UniqueConstraint("interview_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    answers: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    interview: Mapped[Interview] = relationship(back_populates="revisions")


class Observation(TimestampMixin, ReviewStateMixin, db.Model):
    """A co-researcher's record of a place: themes, category, note, photos, location."""

    __tablename__ = "observations"
    __table_args__ = (CheckConstraint(_STATE_CHECK, name="state_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False, default=new_uuid)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    co_researcher_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    instrument_id: Mapped[int | None] = mapped_column(
        ForeignKey("instruments.id", ondelete="SET NULL")
    )
    themes: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    category: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    location_coarsened: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    place_description: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    observed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="submitted")
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    history: Mapped[list[dict]] = mapped_column(JSON, nullable=False, default=list)
    # Answers to the protocol's own questions, and the protocol version they belong to.
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("instrument_versions.id", ondelete="RESTRICT")
    )
    answers: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # The canonical fingerprint of what the device sent with this id (see
    # observations.submission_fingerprint): the same id again with the same fingerprint is a
    # resend, with another one a conflict (rule 3). Corrections leave it as it was.
    fingerprint: Mapped[str | None] = mapped_column(String(64))

    study = relationship("Study")
    co_researcher = relationship("User")
    instrument = relationship("Instrument")
    version = relationship("InstrumentVersion")
    photos: Mapped[list[ObservationPhoto]] = relationship(
        back_populates="observation",
        cascade="all, delete-orphan",
        order_by="ObservationPhoto.position",
    )
    review_notes: Mapped[list[ReviewNote]] = relationship(
        cascade="all, delete-orphan", order_by="ReviewNote.id"
    )


class ObservationPhoto(db.Model):
    __tablename__ = "observation_photos"
    __table_args__ = (UniqueConstraint("media_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    media_id: Mapped[int] = mapped_column(
        ForeignKey("media_files.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    observation: Mapped[Observation] = relationship(back_populates="photos")
    media = relationship("MediaFile")


class ReviewNote(db.Model):
    """A coordinator's decision on an interview or observation, with the comment.

    Tied by foreign key to what it is about, so erasing an interview erases its notes.
    """

    __tablename__ = "review_notes"
    __table_args__ = (
        CheckConstraint("(interview_id IS NULL) != (observation_id IS NULL)", name="one_target"),
        CheckConstraint("decision IN ('approved', 'needs_attention')", name="decision_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(String(20), nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    author = relationship("User")
