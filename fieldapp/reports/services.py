"""Report rules: figures with small cells hidden, sections per language, publishing, actions."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.analysis.services import GROUPS, group_of, quotes_of
from fieldapp.audit import services as audit
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.fieldwork.models import Answer, Interview
from fieldapp.i18n import current_language
from fieldapp.instruments.definition import Question
from fieldapp.instruments.services import published_instruments
from fieldapp.reports.models import (
    ACTION_STATES,
    SECTION_KINDS,
    Action,
    ActionUpdate,
    Report,
    ReportSection,
    ReportVersion,
    title_language,
)
from fieldapp.studies.models import MemberRole, Study
from fieldapp.studies.services import _unique_slug

SMALL_CELL = 5  # fewer people than this are never shown outside the coordinator's screens
COUNTED_STATES = ("submitted", "approved")
FIGURE_TYPES = ("select_one", "select_multiple", "scale", "yes_no", "integer", "decimal")


class ReportError(Exception):
    def __init__(self, reason: str, /, **params):
        super().__init__(reason)
        self.code = reason
        self.params = params


def can_edit(user: User, study: Study) -> bool:
    return study.member_role(user) == MemberRole.COORDINATOR


# ---------------------------------------------------------------- figures


@dataclass
class Cell:
    count: int | None  # None: hidden, fewer than SMALL_CELL people
    percent: int | None


@dataclass
class FigureRow:
    label_key: str  # a choice name; the page turns it into words
    cells: dict[str, Cell]  # per group ("" when not split)


@dataclass
class Figure:
    question: Question
    kind: str  # "choices" or "numbers"
    groups: list[str]
    totals: dict[str, int | None]
    rows: list[FigureRow]
    numbers: dict[str, dict[str, float | None]]  # per group: median, q1, q3 (numbers only)
    definition: object = None

    @property
    def all_hidden(self) -> bool:
        """Every number is hidden: the page says so in one sentence instead of a table."""
        if self.kind == "numbers":
            return all(n["median"] is None for n in self.numbers.values())
        return all(cell.count is None for row in self.rows for cell in row.cells.values())

    def caption(self, language: str, fallback: str | None = None) -> tuple[str, str]:
        return question_caption(self.definition, self.question, language, fallback)

    def row_caption(self, key: str, language: str, fallback: str | None = None) -> tuple[str, str]:
        """An answer's words and the language they are in (as caption())."""
        for choice in self.definition.choices_for(self.question):
            if choice.name == key and choice.labels and self.question.type != "yes_no":
                text, code = _with_language(
                    choice.labels, language, fallback, self.definition.default_language
                )
                if text:
                    return text, code
        # Yes/no and unlabelled scale points are the interface's own words.
        return self.row_label(key, language), current_language().code

    def row_label(self, key: str, language: str) -> str:
        """The words of an answer, as the interview showed them."""
        if self.question.type == "yes_no":
            from flask_babel import gettext as _

            return _("Yes") if key == "yes" else _("No")
        for index, choice in enumerate(self.definition.choices_for(self.question)):
            if choice.name == key:
                if choice.labels:
                    return choice.label(language, self.definition.default_language)
                if self.question.type == "scale" and index < 5:
                    from flask_babel import gettext as _

                    return [_("Very bad"), _("Bad"), _("In between"), _("Good"), _("Very good")][
                        index
                    ]
        return key


def question_caption(
    definition, question: Question, language: str, fallback: str | None = None
) -> tuple[str, str]:
    """A question's words and the language they are in: `language` if the questionnaire
    has it, else `fallback`, else its own default language."""
    text, code = _with_language(question.labels, language, fallback, definition.default_language)
    return text or question.name, code


def _with_language(texts: dict[str, str], *languages: str | None) -> tuple[str, str]:
    """The first of `languages` that `texts` has, else any; with the language it is in."""
    for code in languages:
        if code and (texts.get(code) or "").strip():
            return texts[code].strip(), code
    for code, text in texts.items():
        if (text or "").strip():
            return text.strip(), code
    return "", next((code for code in languages if code), "")


def _answers_by_interview(study: Study, question_name: str):
    """(interview, value) of every counted interview that answered the question."""
    rows = db.session.execute(
        select(Interview, Answer.value)
        .join(Answer, Answer.interview_id == Interview.id)
        .where(
            Interview.study_id == study.id,
            Interview.state.in_(COUNTED_STATES),
            Answer.question_name == question_name,
        )
    ).all()
    return rows


def _hide(count: int, public: bool) -> int | None:
    return None if public and count < SMALL_CELL else count


def figure(
    study: Study,
    question: Question,
    definition,
    *,
    group_by: str | None = None,
    public: bool = True,
) -> Figure:
    """Counts and percentages of a choice or scale; median and quartiles of a number.

    With `public`, every count of fewer than five people is hidden, and so is any total or
    statistic of a group that small, so that nobody can be recognised.
    """
    if group_by not in (None, *GROUPS):
        raise ReportError("unknown_group")
    values_by_group: dict[str, list] = {}
    for interview, value in _answers_by_interview(study, question.name):
        values_by_group.setdefault(group_of(interview, group_by), []).append(value)
    groups = sorted(values_by_group)
    totals = {g: _hide(len(v), public) for g, v in values_by_group.items()}
    if question.type in ("integer", "decimal"):
        numbers: dict[str, dict[str, float | None]] = {}
        for group, values in values_by_group.items():
            parsed = sorted(float(v) for v in values if v not in (None, ""))
            if len(parsed) < (SMALL_CELL if public else 1):
                numbers[group] = {"median": None, "q1": None, "q3": None}
                continue
            q1, median, q3 = (
                statistics.quantiles(parsed, n=4, method="inclusive")
                if len(parsed) > 1
                else (parsed[0], parsed[0], parsed[0])
            )
            numbers[group] = {"median": median, "q1": q1, "q3": q3}
        return Figure(question, "numbers", groups, totals, [], numbers, definition)
    rows = []
    for choice in definition.choices_for(question):
        cells = {}
        for group, values in values_by_group.items():
            count = sum(
                1 for v in values if (choice.name in v if isinstance(v, list) else v == choice.name)
            )
            shown = _hide(count, public)
            total = len(values)
            cells[group] = Cell(
                shown,
                None if shown is None or totals[group] is None else round(100 * count / total),
            )
        rows.append(FigureRow(choice.name, cells))
    return Figure(question, "choices", groups, totals, rows, {}, definition)


def figure_questions(study: Study) -> list[tuple[object, Question]]:
    """(definition, question) of every question of the published questionnaires with figures."""
    found = []
    for instrument in published_instruments(study, "questionnaire"):
        definition = instrument.current_version.definition
        for question in definition.questions():
            if question.type in FIGURE_TYPES:
                found.append((definition, question))
    return found


def figures_of(study: Study, names: list[str], *, group_by=None, public=True) -> list[Figure]:
    """The figures of the named questions, counted from the data as it is now."""
    chosen = set(names)
    return [
        figure(study, question, definition, group_by=group_by, public=public)
        for definition, question in figure_questions(study)
        if question.name in chosen
    ]


def report_figures(study: Study, report: Report, *, group_by=None, public=True) -> list[Figure]:
    """The figures the draft chose (the builder's view)."""
    return figures_of(study, report.figure_questions, group_by=group_by, public=public)


def publication_rows(figures: list[Figure], language: str, hidden: str):
    """Figures as rows for a CSV anyone may download: question, answer, people, percent; a
    count of fewer than five people is `hidden`, never the number."""
    yield ["question", "answer", "people", "percent", "median", "lower_quartile", "upper_quartile"]
    for fig in figures:
        label = fig.question.label(language, fig.definition.default_language)
        if fig.kind == "numbers":
            n = fig.numbers.get("", {})
            total = fig.totals.get("")
            if n.get("median") is None:
                yield [label, "", hidden, "", "", "", ""]
            else:
                yield [label, "", total, "", n["median"], n["q1"], n["q3"]]
            continue
        for row in fig.rows:
            cell = row.cells.get("", Cell(None, None))
            answer = fig.row_label(row.label_key, language)
            if cell.count is None:
                yield [label, answer, hidden, "", "", "", ""]
            else:
                yield [label, answer, cell.count, cell.percent, "", "", ""]


# ---------------------------------------------------------------- the report


def report_for(study: Study) -> Report:
    report = db.session.scalar(select(Report).where(Report.study_id == study.id))
    if report is None:
        slug = study.slug
        if db.session.scalar(select(Report.id).where(Report.slug == slug)):
            slug = _unique_slug(study.slug + "-report")
        report = Report(study_id=study.id, slug=slug)
        report.study = study
        db.session.add(report)
        db.session.flush()
    return report


def save_section(actor: User, report: Report, language: str, kind: str, body: str) -> None:
    if not can_edit(actor, report.study):
        raise ReportError("not_allowed")
    if language not in report.study.languages:
        raise ReportError("unknown_language")
    if kind not in SECTION_KINDS:
        raise ReportError("unknown_section")
    body = (body or "").strip()
    if len(body) > 20_000:
        raise ReportError("too_long")
    section = next((s for s in report.sections if s.language == language and s.kind == kind), None)
    if section is None:
        section = ReportSection(language=language, kind=kind)
        report.sections.append(section)
    section.body = body


def choose_figures(actor: User, report: Report, names: list[str]) -> None:
    if not can_edit(actor, report.study):
        raise ReportError("not_allowed")
    known = {q.name for _d, q in figure_questions(report.study)}
    if any(n not in known for n in names):
        raise ReportError("unknown_question")
    report.figure_questions = list(dict.fromkeys(names))


def publish(actor: User, report: Report) -> None:
    """Publish (again): the draft as it is now becomes what every reader sees, and a version
    is kept each time. Needs at least one complete language."""
    if not can_edit(actor, report.study):
        raise ReportError("not_allowed")
    snapshot = draft_snapshot(report)
    if not snapshot["sections"]:
        raise ReportError("empty")
    report.state = "published"
    report.published_at = utcnow()
    number = (report.versions[-1].number + 1) if report.versions else 1
    report.versions.append(ReportVersion(number=number, published_by_id=actor.id, **snapshot))
    audit.record("report_published", report, actor=actor, study_id=report.study_id, version=number)


def unpublish(actor: User, report: Report) -> None:
    if not can_edit(actor, report.study):
        raise ReportError("not_allowed")
    report.state = "draft"
    audit.record("report_unpublished", report, actor=actor, study_id=report.study_id)


def report_by_slug(slug: str) -> Report | None:
    return db.session.scalar(select(Report).where(Report.slug == slug))


def existing_report(study: Study) -> Report | None:
    return db.session.scalar(select(Report).where(Report.study_id == study.id))


# ---------------------------------------------------------------- what readers see


@dataclass(frozen=True)
class PublishedUpdate:
    at: dt.date
    status: str
    text: str
    language: str | None


@dataclass(frozen=True)
class PublishedAction:
    """An action as it was published; reads like an Action in the templates."""

    id: int
    titles: dict[str, str]
    owner: str
    due_date: dt.date | None
    status: str
    updates: tuple[PublishedUpdate, ...]

    def title(self, language: str) -> str:
        return self.titles.get(self.title_language(language), "")

    def title_language(self, language: str) -> str:
        return title_language(self.titles, language)


def action_snapshot(action: Action) -> dict:
    """An action and its updates as plain data, for a published version."""
    return {
        "id": action.id,
        "titles": dict(action.titles),
        "owner": action.owner,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "status": action.status,
        "updates": [
            {
                "at": update.at.isoformat(),
                "status": update.status,
                "text": update.text,
                "language": update.language,
            }
            for update in action.updates
        ],
    }


def _published_action(data: dict) -> PublishedAction:
    return PublishedAction(
        id=data["id"],
        titles=dict(data.get("titles") or {}),
        owner=data.get("owner") or "",
        due_date=dt.date.fromisoformat(data["due_date"]) if data.get("due_date") else None,
        status=data.get("status") or "planned",
        updates=tuple(
            PublishedUpdate(
                at=dt.date.fromisoformat(u["at"]),
                status=u["status"],
                text=u.get("text") or "",
                language=u.get("language"),
            )
            for u in data.get("updates") or ()
        ),
    )


def draft_snapshot(report: Report) -> dict:
    """What publishing the draft now would make public: the sections of every complete
    language, the chosen figures, the quotes in the report (by id: their words stay with the
    quote, so a withdrawal removes them) and the actions with their updates."""
    return {
        "sections": {
            language: {kind: report.section(language, kind) for kind in SECTION_KINDS}
            for language in report.complete_languages()
        },
        "figure_questions": list(report.figure_questions),
        "quotes": [quote.uuid for quote in quotes_of(report.study, for_report=True)],
        "actions": [action_snapshot(action) for action in actions_of(report.study)],
    }


def has_unpublished_changes(report: Report) -> bool:
    """The draft differs from what readers see (always true for a report never published)."""
    if not report.is_published or not report.versions:
        return True
    version = report.versions[-1]
    published = {
        "sections": version.sections,
        "figure_questions": version.figure_questions,
        "quotes": version.quotes,
        "actions": version.actions,
    }
    return draft_snapshot(report) != published


@dataclass
class ReportContent:
    """What a report shows its readers: its last published version, or (for the
    coordinators' preview) the draft. Figures are counted and quotes read from the data as it
    is now, so a withdrawn participant is in neither."""

    report: Report
    sections: dict[str, dict[str, str]]
    figure_questions: list[str]
    quote_ids: list[str] | None  # None: the draft, every quote marked for the report
    actions: list
    draft: bool

    @property
    def study(self) -> Study:
        return self.report.study

    def section(self, language: str, kind: str) -> str:
        return (self.sections.get(language) or {}).get(kind, "")

    def languages(self) -> list[str]:
        """The languages the report can be read in, in the study's order."""
        written = [code for code, texts in self.sections.items() if any(texts.values())]
        order = {code: index for index, code in enumerate(self.study.languages)}
        return sorted(written, key=lambda code: order.get(code, len(order)))

    def reading_language(self, wanted: str) -> str:
        """The reader's language if the report is written in it, else Dutch, else the first
        it is written in. (A draft with no text yet: the study's first language.)"""
        languages = self.languages()
        if wanted in languages:
            return wanted
        if not languages:
            return wanted if wanted in self.study.languages else self.study.languages[0]
        return "nl" if "nl" in languages else languages[0]

    def figures(self, *, group_by: str | None = None) -> list[Figure]:
        """Public figures: small cells hidden, also in the draft preview."""
        return figures_of(self.study, self.figure_questions, group_by=group_by, public=True)

    def quotes(self) -> list:
        """The quotes in the report that may still be shown: a quote taken out of the
        report, or gone with a withdrawal, leaves at once; one added waits for publication."""
        live = quotes_of(self.study, for_report=True)
        if self.quote_ids is None:
            return live
        published = set(self.quote_ids)
        return [quote for quote in live if quote.uuid in published]


def draft_content(report: Report) -> ReportContent:
    """The draft as it would look once published (for the coordinators' preview)."""
    return ReportContent(
        report=report,
        sections={
            language: {kind: report.section(language, kind) for kind in SECTION_KINDS}
            for language in report.study.languages
        },
        figure_questions=list(report.figure_questions),
        quote_ids=None,
        actions=actions_of(report.study),
        draft=True,
    )


def published_content(report: Report | None) -> ReportContent | None:
    """What the public sees of the report: its newest version, or None while unpublished."""
    if report is None or not report.is_published or not report.versions:
        return None
    version = report.versions[-1]
    return ReportContent(
        report=report,
        sections={code: dict(texts) for code, texts in (version.sections or {}).items()},
        figure_questions=list(version.figure_questions or []),
        quote_ids=list(version.quotes or []),
        actions=[_published_action(data) for data in version.actions or []],
        draft=False,
    )


def preview_content(actor: User, study: Study) -> ReportContent:
    """The draft, for the study's coordinators only."""
    report = existing_report(study)
    if report is None or not can_edit(actor, study):
        raise ReportError("not_allowed")
    return draft_content(report)


# ---------------------------------------------------------------- actions


def _clean_titles(study: Study, titles: dict[str, str]) -> dict[str, str]:
    """The titles in the study's languages, spaces tidied; at least one, none too long."""
    titles = {
        k: " ".join(v.split())
        for k, v in titles.items()
        if k in study.languages and (v or "").strip()
    }
    if not titles:
        raise ReportError("no_title")
    if any(len(t) > 500 for t in titles.values()):
        raise ReportError("too_long")
    return titles


def set_action_titles(actor: User, action: Action, titles: dict[str, str]) -> None:
    """Rewrite an action's titles, for instance to add a language once it is translated.
    Also for finished actions: their history stays on the report in every language."""
    if not can_edit(actor, action.study):
        raise ReportError("not_allowed")
    action.titles = _clean_titles(action.study, titles)
    audit.record("action_titles_changed", action, actor=actor, study_id=action.study_id)


def add_action(
    actor: User,
    study: Study,
    *,
    titles: dict[str, str],
    owner: str,
    due_date: dt.date | None,
) -> Action:
    if not can_edit(actor, study):
        raise ReportError("not_allowed")
    titles = _clean_titles(study, titles)
    owner = " ".join((owner or "").split())
    if not owner:
        raise ReportError("no_owner")
    if len(owner) > 200:
        raise ReportError("too_long")
    action = Action(study_id=study.id, titles=titles, owner=owner, due_date=due_date)
    db.session.add(action)
    db.session.flush()
    audit.record("action_added", action, actor=actor, study_id=study.id)
    return action


def update_action(
    actor: User,
    action: Action,
    *,
    status: str,
    text: str,
    language: str,
    on: dt.date | None = None,
) -> ActionUpdate:
    """A dated update in one of the study's languages; 'dropped' needs a reason, and the
    history is kept."""
    if not can_edit(actor, action.study):
        raise ReportError("not_allowed")
    if status not in ACTION_STATES:
        raise ReportError("unknown_status")
    if language not in action.study.languages:
        raise ReportError("unknown_language")
    text = (text or "").strip()
    if len(text) > 2000:
        raise ReportError("too_long")
    if status == "dropped" and not text:
        raise ReportError("reason_needed")
    if action.status in ("done", "dropped") and status != action.status:
        raise ReportError("already_closed")
    action.status = status
    if status == "dropped":
        action.drop_reason = text[:500]
    update = ActionUpdate(
        at=on or dt.date.today(), status=status, text=text, language=language, author_id=actor.id
    )
    action.updates.append(update)
    audit.record("action_updated", action, actor=actor, study_id=action.study_id, status=status)
    return update


def actions_of(study: Study) -> list[Action]:
    return list(
        db.session.scalars(select(Action).where(Action.study_id == study.id).order_by(Action.id))
    )
