"""Reports per study (sections per language, versions kept) and actions with their updates."""

from __future__ import annotations

import datetime as dt

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

SECTION_KINDS = ("asked", "whom", "heard", "next", "involved", "contact")
ACTION_STATES = ("planned", "started", "done", "dropped")


def title_language(titles: dict[str, str], language: str) -> str:
    """The language an action's title is shown in: the reader's, else Dutch, else the first
    one written. Pages mark a title in another language with its `lang`."""
    for candidate in (language, "nl", *titles):
        if titles.get(candidate):
            return candidate
    return language


class Report(TimestampMixin, db.Model):
    __tablename__ = "reports"
    __table_args__ = (CheckConstraint("state IN ('draft', 'published')", name="state_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="draft")
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Question names of the published questionnaire whose figures the report shows.
    figure_questions: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)

    study = relationship("Study")
    sections: Mapped[list[ReportSection]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )
    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportVersion.number"
    )

    @property
    def is_published(self) -> bool:
        return self.state == "published"

    def section(self, language: str, kind: str) -> str:
        for section in self.sections:
            if section.language == language and section.kind == kind:
                return section.body
        return ""

    def complete_languages(self) -> list[str]:
        """Languages in which every section has text: those are offered to readers."""
        languages = []
        for language in self.study.languages:
            if all(self.section(language, kind).strip() for kind in SECTION_KINDS):
                languages.append(language)
        return languages


class ReportSection(db.Model):
    __tablename__ = "report_sections"
    __table_args__ = (
        UniqueConstraint("report_id", "language", "kind"),
        CheckConstraint(
            "kind IN ('asked', 'whom', 'heard', 'next', 'involved', 'contact')", name="kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True
    )
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")

    report: Mapped[Report] = relationship(back_populates="sections")


class ReportVersion(db.Model):
    """What was published, kept each time the report is published. The newest version of a
    published report is what every public output shows (page, PDFs, figures CSV, area page);
    the report's own sections, figures and the live actions are the coordinator's draft.

    It holds what the coordinator writes and chooses, never what participants said: quotes
    by their id only, figures by their question only (counted from the data as it is when
    shown), so that a withdrawal still removes a participant from every public output.
    """

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # {language: {section kind: text}}, for the languages complete at publication
    sections: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # Question names whose figures are shown
    figure_questions: Mapped[list[str]] = mapped_column(
        JSON, nullable=False, default=list, server_default="[]"
    )
    # The uuids of the quotes that were in the report (their text stays with the quote)
    quotes: Mapped[list[str]] = mapped_column(
        JSON, nullable=False, default=list, server_default="[]"
    )
    # The actions as published: titles per language, owner, due date, status and dated
    # updates (see services.action_snapshot)
    actions: Mapped[list[dict]] = mapped_column(
        JSON, nullable=False, default=list, server_default="[]"
    )
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    report: Mapped[Report] = relationship(back_populates="versions")


class Action(TimestampMixin, db.Model):
    """What will be done with a finding, by whom: "you said, we did"."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'started', 'done', 'dropped')", name="status_known"),
        CheckConstraint("status != 'dropped' OR drop_reason IS NOT NULL", name="dropped_reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # {language: what will be done}
    titles: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    owner: Mapped[str] = mapped_column(String(200), nullable=False)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="planned")
    drop_reason: Mapped[str | None] = mapped_column(String(500))

    study = relationship("Study")
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionUpdate.at"
    )

    def title(self, language: str) -> str:
        return self.titles.get(self.title_language(language), "")

    def title_language(self, language: str) -> str:
        return title_language(self.titles, language)


class ActionUpdate(db.Model):
    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    at: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # The language the update is written in (pages mark it with its `lang`); None for
    # updates written before it was asked
    language: Mapped[str | None] = mapped_column(String(8))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    action: Mapped[Action] = relationship(back_populates="updates")
