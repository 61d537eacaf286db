"""Instruments and their versions; a version's content is a FormDefinition stored as JSON."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import TimestampMixin, UTCDateTime
from fieldapp.extensions import db
from fieldapp.instruments.definition import FormDefinition

KINDS = ("questionnaire", "observation")


class VersionFrozen(Exception):
    """A published version never changes; edits go into a new version."""


class Instrument(TimestampMixin, db.Model):
    """An interview guide, a questionnaire or an observation protocol of one study."""

    __tablename__ = "instruments"
    __table_args__ = (
        CheckConstraint("kind IN ('questionnaire', 'observation')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="questionnaire")
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    # An observation protocol about public space keeps exact locations (rule 5).
    public_space: Mapped[bool] = mapped_column(default=False, nullable=False)
    # A location fix worse than this (metres) must be confirmed by the co-researcher.
    accuracy_threshold_m: Mapped[int] = mapped_column(Integer, default=50, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    study = relationship("Study")
    versions: Mapped[list[InstrumentVersion]] = relationship(
        back_populates="instrument",
        cascade="all, delete-orphan",
        order_by="InstrumentVersion.number",
    )

    @property
    def current_version(self) -> InstrumentVersion | None:
        published = [v for v in self.versions if v.state == "published"]
        return published[-1] if published else None

    @property
    def draft_version(self) -> InstrumentVersion | None:
        return next((v for v in self.versions if v.state == "draft"), None)


class InstrumentVersion(TimestampMixin, db.Model):
    __tablename__ = "instrument_versions"
    __table_args__ = (
        UniqueConstraint("instrument_id", "number"),
        CheckConstraint("state IN ('draft', 'published')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="draft")
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    content: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    instrument: Mapped[Instrument] = relationship(back_populates="versions")

    @property
    def definition(self) -> FormDefinition:
        return FormDefinition.from_json(self.content or {})

    def set_definition(self, definition: FormDefinition) -> None:
        if self.state == "published":
            raise VersionFrozen(f"version {self.number} is published")
        self.content = definition.to_json()
