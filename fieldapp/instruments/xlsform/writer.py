"""Writing a form definition as an XLSForm workbook (survey, choices, settings)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from fieldapp.instruments.definition import (
    SCALE_POINTS,
    YES_NO,
    Choice,
    FormDefinition,
    Group,
    Question,
)
from fieldapp.instruments.xlsform.importer import LANGUAGE_NAMES
from fieldapp.instruments.xlsform.reader import _CHOICES, _SETTINGS, _SURVEY


def language_header(code: str) -> str:
    """ "Nederlands (nl)" for "nl": how a language is named in column headers."""
    return f"{LANGUAGE_NAMES.get(code, code)} ({code})"


def write_xlsform(definition: FormDefinition) -> bytes:
    """The definition as an XLSForm workbook (survey, choices, settings)."""
    from openpyxl import Workbook

    languages = list(dict.fromkeys(definition.languages or [definition.default_language]))
    lists: dict[str, list[Choice]] = {
        name: list(choices) for name, choices in definition.choice_lists.items()
    }
    invented: dict[str, tuple[str, ...]] = {}

    def invent(name: str, points: tuple[str, ...]) -> str:
        candidate, number = name, 1
        while candidate in lists:
            if invented.get(candidate) == points:
                return candidate  # the built-in list already written for another question
            number += 1
            candidate = f"{name}_{number}"
        lists[candidate] = [Choice(point) for point in points]
        invented[candidate] = points
        return candidate

    def list_for(question: Question, points: tuple[str, ...], name: str) -> str:
        if question.choice_list:
            if question.choice_list not in lists:
                lists[question.choice_list] = [Choice(point) for point in points]
            return question.choice_list
        return invent(name, points)

    def texts(mapping: dict[str, str]) -> list[str]:
        return [mapping.get(language, "") for language in languages]

    header = [
        "type",
        "name",
        *(f"label::{language_header(code)}" for code in languages),
        *(f"hint::{language_header(code)}" for code in languages),
        "required",
        "relevant",
        "constraint",
        *(f"constraint_message::{language_header(code)}" for code in languages),
        "appearance",
    ]
    rows: list[list[str]] = []

    def question_row(q: Question) -> list[str]:
        appearance = [q.appearance] if q.appearance else []
        kind = {"long_text": "text", "location": "geopoint", "photo": "image"}.get(q.type, q.type)
        if q.type == "long_text":
            appearance.insert(0, "multiline")
        elif q.type in ("select_one", "select_multiple"):
            kind = f"{q.type} {q.choice_list or ''}".strip()
        elif q.type == "scale":
            kind = f"select_one {list_for(q, SCALE_POINTS, f'{q.name}_scale')}"
            appearance.insert(0, "likert")
        elif q.type == "yes_no":
            kind = f"select_one {list_for(q, YES_NO, 'yes_no')}"
            appearance.insert(0, "yes-no")
        return [
            kind,
            q.name,
            *texts(q.labels),
            *texts(q.hints),
            "yes" if q.required else "",
            q.relevant or "",
            q.constraint or "",
            *texts(q.constraint_messages),
            " ".join(appearance),
        ]

    blank = [""] * len(languages)
    for item in definition.items:
        if isinstance(item, Group):
            rows.append(
                [
                    "begin_group",
                    item.name,
                    *texts(item.labels),
                    *blank,
                    "",
                    item.relevant or "",
                    "",
                    *blank,
                    "field-list",
                ]
            )
            rows.extend(question_row(q) for q in item.questions)
            rows.append(["end_group", "", *blank, *blank, "", "", "", *blank, ""])
        else:
            rows.append(question_row(item))

    workbook = Workbook()
    survey = workbook.active
    survey.title = _SURVEY
    _fill(survey, header, rows)
    choices = workbook.create_sheet(_CHOICES)
    _fill(
        choices,
        ["list_name", "name", *(f"label::{language_header(code)}" for code in languages)],
        [
            [list_name, choice.name, *texts(choice.labels)]
            for list_name, entries in lists.items()
            for choice in entries
        ],
    )
    settings = workbook.create_sheet(_SETTINGS)
    _fill(
        settings,
        ["form_title", "default_language"],
        [[definition.title, definition.default_language]],
    )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _fill(worksheet: Any, header: list[str], rows: list[list[str]]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for values in [header, *rows]:
        worksheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if v else None for v in values])
        for cell in worksheet[worksheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, even when a label starts with "="
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    worksheet.freeze_panes = "A2"
    for index, text in enumerate(header):
        worksheet.column_dimensions[get_column_letter(index + 1)].width = max(
            12, min(40, len(text) + 2)
        )
