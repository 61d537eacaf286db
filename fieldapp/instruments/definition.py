"""An instrument version's content as plain data: questions, groups, choice lists, languages.

This is the one shape that the builder, the XLSForm importer and exporter, the interview
runner and the exports share. It is stored as JSON on the version, and a version that has
answers never changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fieldapp.instruments.expressions import ExpressionError, parse

QUESTION_TYPES = (
    "text",
    "long_text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "scale",
    "yes_no",
    "date",
    "photo",
    "location",
    "note",
)
CHOICE_TYPES = ("select_one", "select_multiple")
# Types whose answers are stored (a note is only shown).
ANSWERED_TYPES = tuple(t for t in QUESTION_TYPES if t != "note")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")
SCALE_POINTS = ("1", "2", "3", "4", "5")
# The picture shown for each scale point (static/img), on the phone and in the preview.
SCALE_ICONS = ("scale-1.svg", "scale-2.svg", "scale-3.svg", "scale-4.svg", "scale-5.svg")
YES_NO = ("yes", "no")


@dataclass
class Choice:
    name: str
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, language: str, fallback: str | None = None) -> str:
        return _pick(self.labels, language, fallback) or self.name


@dataclass
class Question:
    name: str
    type: str
    labels: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    required: bool = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_messages: dict[str, str] = field(default_factory=dict)
    choice_list: str | None = None
    appearance: str | None = None

    kind = "question"

    def label(self, language: str, fallback: str | None = None) -> str:
        return _pick(self.labels, language, fallback) or self.name

    def hint(self, language: str, fallback: str | None = None) -> str:
        return _pick(self.hints, language, fallback) or ""

    def constraint_message(self, language: str, fallback: str | None = None) -> str:
        return _pick(self.constraint_messages, language, fallback) or ""

    @property
    def is_answered(self) -> bool:
        return self.type in ANSWERED_TYPES


@dataclass
class Group:
    """Questions shown together on one page."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)
    relevant: str | None = None
    questions: list[Question] = field(default_factory=list)

    kind = "group"

    def label(self, language: str, fallback: str | None = None) -> str:
        return _pick(self.labels, language, fallback) or ""


Item = Question | Group


@dataclass
class FormDefinition:
    title: str = ""
    default_language: str = "nl"
    languages: list[str] = field(default_factory=lambda: ["nl"])
    items: list[Item] = field(default_factory=list)
    choice_lists: dict[str, list[Choice]] = field(default_factory=dict)

    # ------------------------------------------------------------ reading

    def questions(self) -> list[Question]:
        """Every question in order, groups opened up."""
        found: list[Question] = []
        for item in self.items:
            if isinstance(item, Group):
                found.extend(item.questions)
            else:
                found.append(item)
        return found

    def answered_questions(self) -> list[Question]:
        return [q for q in self.questions() if q.is_answered]

    def question(self, name: str) -> Question | None:
        for q in self.questions():
            if q.name == name:
                return q
        return None

    def choices_for(self, question: Question) -> list[Choice]:
        if question.type == "scale":
            return self.choice_lists.get(question.choice_list or "", []) or [
                Choice(point) for point in SCALE_POINTS
            ]
        if question.type == "yes_no":
            return [Choice(value) for value in YES_NO]
        return self.choice_lists.get(question.choice_list or "", [])

    def pages(self) -> list[Item]:
        """One page per top-level question or group."""
        return list(self.items)

    # ------------------------------------------------------------ JSON

    def to_json(self) -> dict:
        def question(q: Question) -> dict:
            data = {"kind": "question", "name": q.name, "type": q.type, "labels": q.labels}
            for key in ("hints", "constraint_messages"):
                if getattr(q, key):
                    data[key] = getattr(q, key)
            for key in ("relevant", "constraint", "choice_list", "appearance"):
                if getattr(q, key):
                    data[key] = getattr(q, key)
            if q.required:
                data["required"] = True
            return data

        items = []
        for item in self.items:
            if isinstance(item, Group):
                group = {"kind": "group", "name": item.name, "labels": item.labels}
                if item.relevant:
                    group["relevant"] = item.relevant
                group["questions"] = [question(q) for q in item.questions]
                items.append(group)
            else:
                items.append(question(item))
        return {
            "title": self.title,
            "default_language": self.default_language,
            "languages": list(self.languages),
            "items": items,
            "choice_lists": {
                name: [{"name": c.name, "labels": c.labels} for c in choices]
                for name, choices in self.choice_lists.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> FormDefinition:
        def question(d: dict) -> Question:
            return Question(
                name=d["name"],
                type=d["type"],
                labels=dict(d.get("labels") or {}),
                hints=dict(d.get("hints") or {}),
                required=bool(d.get("required")),
                relevant=d.get("relevant"),
                constraint=d.get("constraint"),
                constraint_messages=dict(d.get("constraint_messages") or {}),
                choice_list=d.get("choice_list"),
                appearance=d.get("appearance"),
            )

        items: list[Item] = []
        for d in data.get("items") or []:
            if d.get("kind") == "group":
                items.append(
                    Group(
                        name=d["name"],
                        labels=dict(d.get("labels") or {}),
                        relevant=d.get("relevant"),
                        questions=[question(q) for q in d.get("questions") or []],
                    )
                )
            else:
                items.append(question(d))
        return cls(
            title=data.get("title") or "",
            default_language=data.get("default_language") or "nl",
            languages=list(data.get("languages") or ["nl"]),
            items=items,
            choice_lists={
                name: [Choice(c["name"], dict(c.get("labels") or {})) for c in choices]
                for name, choices in (data.get("choice_lists") or {}).items()
            },
        )

    # ------------------------------------------------------------ checking

    def problems(self) -> list[str]:
        """What is wrong with this definition, in English for the importer and the tests.

        The builder and the importer turn these into messages for people.
        """
        found: list[str] = []
        names: set[str] = set()
        all_names = {q.name for q in self.questions()} | {
            i.name for i in self.items if isinstance(i, Group)
        }
        for item in self.items:
            if isinstance(item, Group):
                if not NAME_RE.match(item.name):
                    found.append(f"group {item.name!r}: not a valid name")
                if item.name in names:
                    found.append(f"{item.name!r}: name used twice")
                names.add(item.name)
                if not item.questions:
                    found.append(f"group {item.name!r}: has no questions")
                if item.relevant:
                    try:
                        parse(item.relevant, known_names=all_names)
                    except ExpressionError as error:
                        found.append(f"group {item.name!r}: relevant: {error.message}")
        for q in self.questions():
            where = f"question {q.name!r}"
            if not NAME_RE.match(q.name):
                found.append(f"{where}: not a valid name")
            if q.name in names:
                found.append(f"{q.name!r}: name used twice")
            names.add(q.name)
            if q.type not in QUESTION_TYPES:
                found.append(f"{where}: unknown type {q.type!r}")
            if q.type in CHOICE_TYPES and not self.choice_lists.get(q.choice_list or ""):
                found.append(f"{where}: choice list {q.choice_list!r} does not exist or is empty")
            if not any((q.labels.get(lang) or "").strip() for lang in self.languages):
                found.append(f"{where}: has no label")
            for attribute in ("relevant", "constraint"):
                expression = getattr(q, attribute)
                if expression:
                    try:
                        parse(expression, known_names=all_names)
                    except ExpressionError as error:
                        found.append(f"{where}: {attribute}: {error.message}")
        for list_name, choices in self.choice_lists.items():
            seen: set[str] = set()
            for choice in choices:
                if choice.name in seen:
                    found.append(f"choice list {list_name!r}: {choice.name!r} used twice")
                seen.add(choice.name)
        return found

    def missing_translations(self, language: str) -> list[str]:
        """Names of questions and choices without a label in this language."""
        missing = [q.name for q in self.questions() if not (q.labels.get(language) or "").strip()]
        for list_name, choices in self.choice_lists.items():
            missing.extend(
                f"{list_name}/{c.name}"
                for c in choices
                if not (c.labels.get(language) or "").strip()
            )
        return missing


def _pick(texts: dict[str, str], language: str, fallback: str | None) -> str:
    text = (texts.get(language) or "").strip()
    if not text and fallback:
        text = (texts.get(fallback) or "").strip()
    if not text:
        text = next((v for v in texts.values() if (v or "").strip()), "")
    return text
