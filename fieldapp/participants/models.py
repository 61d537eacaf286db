"""Participants (pseudonymous), their contact details (kept apart) and tombstones."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import TimestampMixin, UTCDateTime, utcnow
from fieldapp.extensions import db

AGE_BANDS = ("under_16", "16_17", "18_24", "25_44", "45_64", "65_plus", "unknown")
_AGE_CHECK = "age_band IN (" + ", ".join(f"'{a}'" for a in AGE_BANDS) + ")"


def new_uuid() -> str:
    return str(uuid_module.uuid4())


class Participant(TimestampMixin, db.Model):
    """A resident who takes part. Never a name here: a code, a language, an age band."""

    __tablename__ = "participants"
    __table_args__ = (CheckConstraint(_AGE_CHECK, name="age_band_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False, default=new_uuid)
    code: Mapped[str] = mapped_column(String(12), unique=True, nullable=False)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    age_band: Mapped[str] = mapped_column(String(10), nullable=False, default="unknown")
    # The CBS neighbourhood (one of the area's buurtcodes) they live in, if asked
    sub_area: Mapped[str | None] = mapped_column(String(10))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The participant's own page: /p/<token>. Only a hash is kept; a new card makes a new token.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    study = relationship("Study")
    created_by = relationship("User")
    contact: Mapped[ParticipantContact | None] = relationship(
        back_populates="participant", cascade="all, delete-orphan", uselist=False
    )

    @property
    def is_minor(self) -> bool:
        return self.age_band == "under_16"

    def __repr__(self) -> str:
        return f"<Participant {self.id}>"


class ParticipantContact(TimestampMixin, db.Model):
    """How to reach a participant with the results. Only with the re-contact item granted."""

    __tablename__ = "participant_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))

    participant: Mapped[Participant] = relationship(back_populates="contact")


class ParticipantTombstone(db.Model):
    """What remains after a withdrawal: the code, the date and the ids of what was erased.

    The ids let the server refuse an offline copy that arrives later (410 Gone).
    """

    __tablename__ = "participant_tombstones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, nullable=False)
    study_id: Mapped[int | None] = mapped_column(
        ForeignKey("studies.id", ondelete="SET NULL"), index=True
    )
    withdrawn_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # "withdrawn" by the participant, or "retention" when the study's retention date passed
    reason: Mapped[str] = mapped_column(String(20), nullable=False, default="withdrawn")

    erased: Mapped[list[ErasedSubmission]] = relationship(
        back_populates="tombstone", cascade="all, delete-orphan"
    )

    @property
    def submission_ids(self) -> list[str]:
        return [e.submission_id for e in self.erased]


class ErasedSubmission(db.Model):
    """One id of erased data per row, so a returning submission is found by an index."""

    __tablename__ = "erased_submissions"

    submission_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tombstone_id: Mapped[int] = mapped_column(
        ForeignKey("participant_tombstones.id", ondelete="CASCADE"), nullable=False, index=True
    )

    tombstone: Mapped[ParticipantTombstone] = relationship(back_populates="erased")
