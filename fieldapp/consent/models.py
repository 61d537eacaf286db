"""Consent forms (versioned, per language), their items, and consent records."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
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


class Item(enum.StrEnum):
    """The standard consent items; custom items have keys starting with 'custom:'."""

    TAKE_PART = "take_part"
    AUDIO = "audio"
    QUOTE = "quote"
    PHOTO = "photo"
    RECONTACT = "recontact"
    REUSE = "reuse"


STANDARD_ITEMS = tuple(Item)


class FormChanged(Exception):
    """A published consent form is frozen; changes go into a new version."""


class ConsentForm(TimestampMixin, db.Model):
    __tablename__ = "consent_forms"
    __table_args__ = (
        UniqueConstraint("study_id", "version"),
        CheckConstraint("state IN ('draft', 'published')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="draft")
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    study = relationship("Study")
    items: Mapped[list[ConsentItem]] = relationship(
        back_populates="form", cascade="all, delete-orphan", order_by="ConsentItem.position"
    )
    texts: Mapped[list[ConsentText]] = relationship(
        back_populates="form", cascade="all, delete-orphan", order_by="ConsentText.language"
    )

    @property
    def is_published(self) -> bool:
        return self.state == "published"

    def text_for(self, language: str) -> ConsentText | None:
        for text in self.texts:
            if text.language == language:
                return text
        return None

    def item_keys(self) -> list[str]:
        return [item.key for item in self.items]

    def ensure_editable(self) -> None:
        if self.is_published:
            raise FormChanged(f"consent form version {self.version} is published")


class ConsentItem(db.Model):
    __tablename__ = "consent_items"
    __table_args__ = (UniqueConstraint("form_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(
        ForeignKey("consent_forms.id", ondelete="CASCADE"), nullable=False, index=True
    )
    key: Mapped[str] = mapped_column(String(80), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The coordinator's name for a custom item (standard items are named by fieldapp)
    label: Mapped[str | None] = mapped_column(String(80))

    form: Mapped[ConsentForm] = relationship(back_populates="items")

    @property
    def is_custom(self) -> bool:
        return self.key.startswith("custom:")


class ConsentText(db.Model):
    """The information text and the item wording in one language."""

    __tablename__ = "consent_texts"
    __table_args__ = (UniqueConstraint("form_id", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(
        ForeignKey("consent_forms.id", ondelete="CASCADE"), nullable=False, index=True
    )
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    information: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # {item key: the question as the participant reads it}
    item_labels: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)

    form: Mapped[ConsentForm] = relationship(back_populates="texts")

    def missing_labels(self) -> list[str]:
        return [key for key in self.form.item_keys() if not self.item_labels.get(key, "").strip()]

    @property
    def is_complete(self) -> bool:
        return bool(self.information.strip()) and not self.missing_labels()


METHODS = ("signature", "spoken", "paper")


class ConsentRecord(TimestampMixin, db.Model):
    """A participant's consent to one form version: which items, how, by whom, when."""

    __tablename__ = "consent_records"
    __table_args__ = (
        UniqueConstraint("participant_id", "form_id"),
        CheckConstraint("method IN ('signature', 'spoken', 'paper')", name="method_known"),
        CheckConstraint(
            "method != 'paper' OR paper_reference IS NOT NULL", name="paper_has_reference"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False, default=new_uuid)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    form_id: Mapped[int] = mapped_column(
        ForeignKey("consent_forms.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    method: Mapped[str] = mapped_column(String(12), nullable=False)
    paper_reference: Mapped[str | None] = mapped_column(String(60))
    declaration_confirmed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    signature_media_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_files.id", ondelete="SET NULL")
    )
    taken_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    taken_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # Under 16: a parent or guardian consents too.
    guardian_consented: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    guardian_relation: Mapped[str | None] = mapped_column(String(20))
    guardian_method: Mapped[str | None] = mapped_column(String(12))

    participant = relationship("Participant")
    form: Mapped[ConsentForm] = relationship()
    taken_by = relationship("User")
    signature = relationship("MediaFile")
    decisions: Mapped[list[ConsentDecision]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="ConsentDecision.id"
    )

    def granted(self, key: str) -> bool:
        for decision in self.decisions:
            if decision.item_key == key:
                return decision.granted
        return False

    def granted_keys(self) -> list[str]:
        return [d.item_key for d in self.decisions if d.granted]


class ConsentDecision(db.Model):
    """Yes or no to one item; a later withdrawal of the item sets granted to False."""

    __tablename__ = "consent_decisions"
    __table_args__ = (UniqueConstraint("record_id", "item_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("consent_records.id", ondelete="CASCADE"), nullable=False, index=True
    )
    item_key: Mapped[str] = mapped_column(String(80), nullable=False)
    granted: Mapped[bool] = mapped_column(Boolean, nullable=False)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    record: Mapped[ConsentRecord] = relationship(back_populates="decisions")


class PendingFileRemoval(db.Model):
    """A file of erased data still to be removed from disk (by its random storage name).

    Written in the erasure's own transaction, so a crash between the commit and the removal
    of the file leaves this row behind, and the next run (`flask purge`) finishes the job.
    The row goes once its file is gone; it names no participant.
    """

    __tablename__ = "pending_file_removals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    storage_name: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
