"""Instrument rules: creating, building, versioning, publishing and importing instruments."""

from __future__ import annotations

from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.audit import services as audit
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.instruments.definition import (
    CHOICE_TYPES,
    NAME_RE,
    QUESTION_TYPES,
    Choice,
    FormDefinition,
    Group,
    Question,
)
from fieldapp.instruments.expressions import ExpressionError, parse
from fieldapp.instruments.models import KINDS, Instrument, InstrumentVersion, VersionFrozen
from fieldapp.studies.models import Study
from fieldapp.studies.services import can_manage_study, slugify


class InstrumentError(Exception):
    def __init__(self, reason: str, /, **params):
        super().__init__(reason)
        self.code = reason
        self.params = params


def instruments_of(study: Study, kind: str | None = None) -> list[Instrument]:
    query = select(Instrument).where(Instrument.study_id == study.id).order_by(Instrument.id)
    if kind:
        query = query.where(Instrument.kind == kind)
    return list(db.session.scalars(query))


def published_instruments(study: Study, kind: str) -> list[Instrument]:
    return [i for i in instruments_of(study, kind) if i.current_version is not None]


def _default_language(study: Study) -> str:
    return "nl" if "nl" in study.languages else study.languages[0]


def create_instrument(
    actor: User,
    study: Study,
    *,
    kind: str,
    title: str,
    definition: FormDefinition | None = None,
    public_space: bool = False,
) -> Instrument:
    if not can_manage_study(actor, study):
        raise InstrumentError("not_allowed")
    if kind not in KINDS:
        raise InstrumentError("unknown_kind")
    title = " ".join(title.split())
    if not title:
        raise InstrumentError("no_title")
    instrument = Instrument(
        study=study, kind=kind, title=title, public_space=public_space, created_by_id=actor.id
    )
    definition = definition or FormDefinition(
        title=title, default_language=_default_language(study), languages=list(study.languages)
    )
    definition.title = title
    instrument.versions.append(InstrumentVersion(number=1, content=definition.to_json()))
    db.session.add(instrument)
    db.session.flush()
    audit.record("instrument_created", instrument, actor=actor, study_id=study.id, kind=kind)
    return instrument


def draft_for_editing(actor: User, instrument: Instrument) -> InstrumentVersion:
    """The draft to edit: the open draft, or a new version copied from the current one."""
    if not can_manage_study(actor, instrument.study):
        raise InstrumentError("not_allowed")
    draft = instrument.draft_version
    if draft is not None:
        return draft
    current = instrument.current_version
    draft = InstrumentVersion(
        number=max(v.number for v in instrument.versions) + 1,
        content=dict(current.content) if current else {},
    )
    instrument.versions.append(draft)
    db.session.flush()
    audit.record(
        "instrument_version_started",
        instrument,
        actor=actor,
        study_id=instrument.study_id,
        version=draft.number,
    )
    return draft


def _save(version: InstrumentVersion, definition: FormDefinition) -> None:
    try:
        version.set_definition(definition)
    except VersionFrozen:
        raise InstrumentError("frozen") from None


# ---------------------------------------------------------------- building


def _find_container(definition: FormDefinition, name: str):
    """(list holding the item, index) for a question or group name."""
    for index, item in enumerate(definition.items):
        if item.name == name:
            return definition.items, index
        if isinstance(item, Group):
            for inner_index, question in enumerate(item.questions):
                if question.name == name:
                    return item.questions, inner_index
    raise InstrumentError("unknown_question")


def _check_question(definition: FormDefinition, question: Question, old_name: str | None) -> None:
    if not NAME_RE.match(question.name):
        raise InstrumentError("bad_name")
    taken = {q.name for q in definition.questions()} | {
        i.name for i in definition.items if isinstance(i, Group)
    }
    taken.discard(old_name)
    if question.name in taken:
        raise InstrumentError("name_taken")
    if question.type not in QUESTION_TYPES:
        raise InstrumentError("unknown_type")
    if question.type in CHOICE_TYPES and question.choice_list not in definition.choice_lists:
        raise InstrumentError("no_choice_list")
    if not any((v or "").strip() for v in question.labels.values()):
        raise InstrumentError("no_label")
    _check_rules(question, taken | {question.name}, ("relevant", "constraint"))


def _check_rules(item: Question | Group, names: set[str], attributes: tuple[str, ...]) -> None:
    """Refuse a rule (relevance, constraint) that cannot be read or names an unknown item:
    the same check for questions and groups, when they are saved, not only at publishing."""
    for attribute in attributes:
        expression = getattr(item, attribute)
        if expression:
            try:
                parse(expression, known_names=names)
            except ExpressionError as error:
                raise InstrumentError(
                    "bad_expression", field=attribute, detail=error.message
                ) from None


def save_question(
    actor: User,
    version: InstrumentVersion,
    question: Question,
    *,
    old_name: str | None = None,
    group: str | None = None,
) -> None:
    """Add a question (old_name None) or replace one, at the end of a group or the form."""
    definition = version.definition
    _check_question(definition, question, old_name)
    if old_name is not None:
        container, index = _find_container(definition, old_name)
        current_group = next(
            (i.name for i in definition.items if isinstance(i, Group) and container is i.questions),
            None,
        )
        if (group or None) == current_group:
            container[index] = question
            _save(version, definition)
            return
        del container[index]
    if group:
        target = next(
            (i for i in definition.items if isinstance(i, Group) and i.name == group), None
        )
        if target is None:
            raise InstrumentError("unknown_group")
        target.questions.append(question)
    else:
        definition.items.append(question)
    _save(version, definition)


def save_group(
    actor: User, version: InstrumentVersion, group: Group, *, old_name: str | None = None
) -> None:
    definition = version.definition
    if not NAME_RE.match(group.name):
        raise InstrumentError("bad_name")
    taken = {q.name for q in definition.questions()} | {
        i.name for i in definition.items if isinstance(i, Group)
    }
    taken.discard(old_name)
    if group.name in taken:
        raise InstrumentError("name_taken")
    _check_rules(group, taken | {group.name}, ("relevant",))
    if old_name is None:
        definition.items.append(group)
    else:
        container, index = _find_container(definition, old_name)
        existing = container[index]
        group.questions = existing.questions
        container[index] = group
    _save(version, definition)


def delete_item(actor: User, version: InstrumentVersion, name: str) -> None:
    definition = version.definition
    container, index = _find_container(definition, name)
    del container[index]
    _save(version, definition)


def move_item(actor: User, version: InstrumentVersion, name: str, step: int) -> None:
    definition = version.definition
    container, index = _find_container(definition, name)
    target = index + step
    if 0 <= target < len(container):
        container[index], container[target] = container[target], container[index]
        _save(version, definition)


def parse_choice_lines(text: str) -> list[tuple[str, str]]:
    """'name = label' per line; a line with only a label gets a name made from it."""
    pairs = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if "=" in line:
            name, label = (part.strip() for part in line.split("=", 1))
        else:
            name, label = slugify(line).replace("-", "_"), line
        if not NAME_RE.match(name):
            raise InstrumentError("bad_choice_name", detail=name[:40])
        pairs.append((name, label))
    return pairs


def save_choice_list(
    actor: User, version: InstrumentVersion, list_name: str, labels_by_language: dict[str, str]
) -> None:
    """A choice list from 'name = label' lines per language; the first language sets the names."""
    if not NAME_RE.match(list_name):
        raise InstrumentError("bad_name")
    definition = version.definition
    choices: dict[str, Choice] = {}
    order: list[str] = []
    for language, text in labels_by_language.items():
        for name, label in parse_choice_lines(text):
            if name not in choices:
                if order and language != definition.default_language and choices:
                    raise InstrumentError("unknown_choice", detail=name[:40])
                choices[name] = Choice(name)
                order.append(name)
            choices[name].labels[language] = label
    if not choices:
        raise InstrumentError("empty_list")
    definition.choice_lists[list_name] = [choices[name] for name in order]
    _save(version, definition)


def delete_choice_list(actor: User, version: InstrumentVersion, list_name: str) -> None:
    definition = version.definition
    if any(q.choice_list == list_name for q in definition.questions()):
        raise InstrumentError("list_in_use")
    definition.choice_lists.pop(list_name, None)
    _save(version, definition)


# ---------------------------------------------------------------- publishing


def publishing_problems(version: InstrumentVersion) -> list[str]:
    definition = version.definition
    problems = list(definition.problems())
    if not definition.answered_questions():
        problems.append("no questions")
    for language in version.instrument.study.languages:
        missing = definition.missing_translations(language)
        if missing:
            problems.append(f"{language}: no text for {', '.join(missing[:5])}")
    return problems


def publish_version(actor: User, version: InstrumentVersion) -> None:
    if not can_manage_study(actor, version.instrument.study):
        raise InstrumentError("not_allowed")
    if version.state == "published":
        raise InstrumentError("frozen")
    if publishing_problems(version):
        raise InstrumentError("incomplete")
    definition = version.definition
    definition.languages = list(version.instrument.study.languages)
    version.content = definition.to_json()
    version.state = "published"
    version.published_at = utcnow()
    audit.record(
        "instrument_published",
        version.instrument,
        actor=actor,
        study_id=version.instrument.study_id,
        version=version.number,
    )


def import_definition(
    actor: User, study: Study, definition: FormDefinition, *, title: str, kind: str
) -> Instrument:
    """Make a new instrument from an imported XLSForm (its first version is a draft)."""
    definition.languages = [lang for lang in definition.languages if lang in study.languages] or [
        _default_language(study)
    ]
    return create_instrument(actor, study, kind=kind, title=title, definition=definition)
