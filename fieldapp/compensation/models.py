"""Rates, time and work entries with their history, thank-yous, payment batches, limits.

Every amount is an integer number of cents.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
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
from fieldapp.participants.models import new_uuid

ACTIVITIES = ("training", "fieldwork", "analysis", "meetings", "reporting")
PIECES = ("interview", "training_session", "analysis_session")
_ACTIVITY_CHECK = (
    "activity IN ('training', 'fieldwork', 'analysis', 'meetings', 'reporting', "
    "'interview', 'training_session', 'analysis_session')"
)


class InvalidBatchState(Exception):
    pass


class StudyRates(db.Model):
    """What a study pays: per hour, and per interview, training or analysis session."""

    __tablename__ = "study_rates"
    __table_args__ = (
        CheckConstraint(
            "hourly_cents >= 0 AND per_interview_cents >= 0 AND per_training_cents >= 0 "
            "AND per_analysis_cents >= 0",
            name="not_negative",
        ),
    )

    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True
    )
    hourly_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    per_interview_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    per_training_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    per_analysis_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def piece_cents(self, kind: str) -> int:
        return {
            "interview": self.per_interview_cents,
            "training_session": self.per_training_cents,
            "analysis_session": self.per_analysis_cents,
        }[kind]


class ThankYouType(TimestampMixin, db.Model):
    """A kind of thank-you for participants (gift card, voucher, cash) with value and stock."""

    __tablename__ = "thank_you_types"
    __table_args__ = (
        CheckConstraint("kind IN ('gift_card', 'voucher', 'cash')", name="kind_known"),
        CheckConstraint("value_cents > 0", name="value_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    value_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    stock: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    needs_serial: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ThankYou(db.Model):
    """A thank-you given at the end of an interview. Kept anonymous when data is erased."""

    __tablename__ = "thank_yous"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False, default=new_uuid)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    type_id: Mapped[int] = mapped_column(
        ForeignKey("thank_you_types.id", ondelete="RESTRICT"), nullable=False
    )
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="SET NULL"), unique=True
    )
    serial_number: Mapped[str | None] = mapped_column(String(60))
    value_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    type: Mapped[ThankYouType] = relationship()


class PayeeProfile(db.Model):
    """A co-researcher's payment details and whether the allowance limits apply to them."""

    __tablename__ = "payee_profiles"
    __table_args__ = (
        CheckConstraint(
            "age_band IS NULL OR age_band IN ('21_plus', 'under_21')", name="age_band_known"
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    limits_apply: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    age_band: Mapped[str | None] = mapped_column(String(10))
    account_name: Mapped[str | None] = mapped_column(String(70))
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    user = relationship("User")

    def age_band_on(self, day: dt.date) -> str:
        """'21_plus' or 'under_21' on a day: from the date of birth when known."""
        if self.date_of_birth is not None:
            birthday_passed = (day.month, day.day) >= (
                self.date_of_birth.month,
                self.date_of_birth.day,
            )
            age = day.year - self.date_of_birth.year - (0 if birthday_passed else 1)
            return "21_plus" if age >= 21 else "under_21"
        return self.age_band or "21_plus"


ENTRY_STATES = ("open", "approved", "rejected", "paid")


class WorkEntry(TimestampMixin, db.Model):
    """Hours (in quarter hours) or a piece of work, at the study's rate."""

    __tablename__ = "work_entries"
    __table_args__ = (
        CheckConstraint(_ACTIVITY_CHECK, name="activity_known"),
        CheckConstraint("state IN ('open', 'approved', 'rejected', 'paid')", name="state_known"),
        CheckConstraint(
            "minutes >= 0 AND minutes <= 1440 AND minutes % 15 = 0", name="quarter_hours"
        ),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False, default=new_uuid)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    activity: Mapped[str] = mapped_column(String(20), nullable=False)
    work_date: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    amount_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    # Per-interview entries come from an approved interview; one entry per interview.
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="SET NULL"), unique=True
    )
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    limit_override_reason: Mapped[str | None] = mapped_column(String(300))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment_batches.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])
    study = relationship("Study")
    batch: Mapped[PaymentBatch | None] = relationship(back_populates="entries")
    changes: Mapped[list[WorkEntryChange]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="WorkEntryChange.id"
    )

    @property
    def is_hours(self) -> bool:
        return self.activity in ACTIVITIES


class WorkEntryChange(db.Model):
    """Who changed an entry, when and why, with the values before and after."""

    __tablename__ = "work_entry_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("work_entries.id", ondelete="CASCADE"), nullable=False, index=True
    )
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    before: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    after: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    entry: Mapped[WorkEntry] = relationship(back_populates="changes")
    changed_by = relationship("User")


class PaymentBatch(TimestampMixin, db.Model):
    """draft → approved → paid; the approver is never the person who drafted the batch."""

    __tablename__ = "payment_batches"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'approved', 'paid')", name="state_known"),
        CheckConstraint(
            "approved_by_id IS NULL OR approved_by_id != drafted_by_id", name="four_eyes"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="draft")
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    paid_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    study = relationship("Study")
    drafted_by = relationship("User", foreign_keys=[drafted_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    entries: Mapped[list[WorkEntry]] = relationship(back_populates="batch", order_by="WorkEntry.id")

    @property
    def total_cents(self) -> int:
        return sum(entry.amount_cents for entry in self.entries)


class AllowanceLimit(db.Model):
    """The tax-free volunteer allowance limits of one year (kept by an admin)."""

    __tablename__ = "allowance_limits"
    __table_args__ = (
        CheckConstraint("monthly_cents > 0 AND yearly_cents > 0", name="positive"),
        UniqueConstraint("year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    hourly_cents_21_plus: Mapped[int | None] = mapped_column(Integer)
    hourly_cents_under_21: Mapped[int | None] = mapped_column(Integer)
    monthly_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    yearly_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    def hourly_cents(self, age_band: str) -> int | None:
        return self.hourly_cents_21_plus if age_band == "21_plus" else self.hourly_cents_under_21
