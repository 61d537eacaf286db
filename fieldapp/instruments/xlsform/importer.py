"""Importing an XLSForm's sheets into a form definition, with a problem for everything
fieldapp does not support (see the package's docstring for the rules)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from fieldapp.instruments.definition import (
    NAME_RE,
    SCALE_POINTS,
    YES_NO,
    Choice,
    FormDefinition,
    Group,
    Item,
    Question,
)
from fieldapp.instruments.expressions import ExpressionError, parse
from fieldapp.instruments.xlsform.reader import (
    _CHOICES,
    _SETTINGS,
    _SURVEY,
    MAX_UNCOMPRESSED,
    ImportProblem,
    ImportResult,
    _Sheet,
    _sorted,
    read_sheets,
)

LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "pl": "Polski",
    "uk": "Українська",
}
_LANGUAGE_ALIASES = {
    **{code: code for code in LANGUAGE_NAMES},
    **{name.casefold(): code for code, name in LANGUAGE_NAMES.items()},
    "dutch": "nl",
    "english": "en",
    "arabic": "ar",
    "turkish": "tr",
    "polish": "pl",
    "ukrainian": "uk",
}
_CODE_IN_PARENS = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\s*\)\s*$")

_LANGUAGE_COLUMNS = ("label", "hint", "constraint_message")
_SURVEY_COLUMNS = ("type", "name", "required", "relevant", "constraint", "appearance")
# Columns whose filled cell would change the form if it were ignored.
_BEHAVIOUR_COLUMNS = (
    "calculation",
    "choice_filter",
    "repeat_count",
    "default",
    "read_only",
    "trigger",
    "parameters",
)
_BEHAVIOUR_PREFIXES = ("bind", "body")
_TRUE = ("yes", "true", "1", "true()")
_FALSE = ("no", "false", "0", "false()", "")

_SIMPLE_TYPES = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "note": "note",
    "geopoint": "location",
    "gps": "location",
    "location": "location",
    "image": "photo",
    "photo": "photo",
}
_SELECTS = ("select_one", "select_multiple")
_METADATA = (
    "start",
    "end",
    "today",
    "deviceid",
    "imei",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
    "background-geopoint",
    "uri:deviceid",
    "uri:subscriberid",
    "uri:simserial",
    "uri:phonenumber",
    "uri:username",
    "uri:email",
)
_KNOWN_UNSUPPORTED = {
    "calculate": "calculations are not supported",
    "select_one_from_file": "choices from a file are not supported",
    "select_multiple_from_file": "choices from a file are not supported",
    "select_one_external": "external choices are not supported",
    "rank": "ranking is not supported",
    "range": "range questions are not supported",
    "audio": "audio is not supported",
    "video": "video is not supported",
    "file": "file uploads are not supported",
    "barcode": "barcodes are not supported",
    "geotrace": "lines on a map are not supported",
    "geoshape": "shapes on a map are not supported",
    "time": "time questions are not supported",
    "datetime": "date-and-time questions are not supported",
    "acknowledge": "acknowledge questions are not supported",
    "hidden": "hidden fields are not supported",
    "xml-external": "external XML data is not supported",
    "csv-external": "external CSV data is not supported",
    "trigger": "trigger questions are not supported",
    "osm": "OpenStreetMap questions are not supported",
}
_BLOCKING_APPEARANCES = ("signature", "draw", "annotate", "month-year", "year")
_BLOCKING_APPEARANCE_PREFIXES = ("search(", "search ", "ex:", "printer")


def read_xlsform(
    data: bytes | IO[bytes],
    *,
    max_bytes: int = 5 * 1024 * 1024,
    max_rows: int = 2000,
    max_uncompressed: int = MAX_UNCOMPRESSED,
) -> ImportResult:
    """Read an XLSForm; never raises on bad input (the problems say what is wrong)."""
    sheets, problems = read_sheets(
        data, max_bytes=max_bytes, max_rows=max_rows, max_uncompressed=max_uncompressed
    )
    if sheets is None:
        return ImportResult(None, problems)
    return _Importer(sheets, problems).run()


def language_code(text: str) -> str | None:
    """The code in "Nederlands (nl)", "nl" or "Dutch"; None when it is not recognised."""
    text = text.strip()
    match = _CODE_IN_PARENS.search(text)
    candidate = match.group(1) if match else text
    return _LANGUAGE_ALIASES.get(candidate.casefold())


@dataclass
class _Column:
    index: int
    header: str
    base: str  # lower case, spaces as underscores
    suffix: str | None  # what follows "::", e.g. a language
    language: str | None = None


_Lists = dict[str, list[tuple[int, Choice]]]  # list name -> (choices row, choice)
_Expression = tuple[int, str, str]  # (survey row, column header, expression)


@dataclass
class _PendingSelect:
    question: Question
    row: int
    tokens: list[str]


class _Importer:
    """One import: reads the text of the sheets into a definition and a list of problems."""

    def __init__(self, sheets: dict[str, _Sheet], problems: list[ImportProblem]) -> None:
        self.sheets = sheets
        self.problems = problems
        self.languages: list[str] = []
        self.default_language: str | None = None
        self.title = ""
        self.type_column = "type"

    # ------------------------------------------------------------ helpers

    def problem(
        self,
        sheet: str,
        row: int | None,
        column: str | None,
        code: str,
        detail: str,
        *,
        blocking: bool = True,
    ) -> None:
        self.problems.append(ImportProblem(sheet, row, column, code, detail, blocking))

    def note(self, sheet: str, row: int | None, column: str | None, code: str, detail: str) -> None:
        self.problem(sheet, row, column, code, detail, blocking=False)

    def result(self, definition: FormDefinition | None) -> ImportResult:
        problems = _sorted(self.problems)
        ok = not any(p.blocking for p in problems)
        return ImportResult(definition if ok else None, problems)

    def _columns(self, sheet: _Sheet) -> list[_Column]:
        columns = []
        for index, header in enumerate(sheet.header):
            if not header:
                if any(index < len(cells) and cells[index] for _, cells in sheet.rows):
                    self.note(
                        sheet.title,
                        1,
                        None,
                        "unsupported_column",
                        f"column {_letter(index)} has values but no header; it is ignored",
                    )
                continue
            if "::" in header:
                base, suffix = header.split("::", 1)
            elif ":" in header:
                base, suffix = header.split(":", 1)
            else:
                base, suffix = header, None
            base = "_".join(base.lower().split())
            suffix = suffix.strip() if suffix is not None else None
            columns.append(_Column(index, header, base, suffix or None))
        return columns

    def _language_columns(
        self, sheet: _Sheet, columns: list[_Column], bases: Iterable[str]
    ) -> list[_Column]:
        """Resolve the language of label-like columns; the rest are returned unchanged."""
        kept = []
        seen: dict[tuple[str, str | None], _Column] = {}
        plain = self.default_language or "nl"
        for column in columns:
            if column.base in bases:
                if column.suffix is None or column.suffix.lower() == "default":
                    column.language = plain
                else:
                    column.language = language_code(column.suffix)
                    if column.language is None:
                        self.note(
                            sheet.title,
                            1,
                            column.header,
                            "unsupported_language",
                            f"{column.suffix!r} is not one of fieldapp's languages "
                            f"({', '.join(LANGUAGE_NAMES)}); this column is ignored",
                        )
                        continue
                if column.language not in self.languages:
                    self.languages.append(column.language)
            key = (column.base, column.language if column.base in bases else column.suffix)
            if key in seen:
                self.problem(
                    sheet.title,
                    1,
                    column.header,
                    "duplicate_column",
                    f"{column.header!r} says the same as {seen[key].header!r}",
                )
                continue
            seen[key] = column
            kept.append(column)
        return kept

    # ------------------------------------------------------------ the whole import

    def run(self) -> ImportResult:
        self._read_settings()
        survey = self.sheets.get(_SURVEY)
        if survey is None:
            self.problem(_SURVEY, None, None, "missing_sheet", "there is no survey sheet")
            return self.result(None)
        survey_columns = self._language_columns(survey, self._columns(survey), _LANGUAGE_COLUMNS)
        choices = self.sheets.get(_CHOICES)
        choice_columns = (
            self._language_columns(choices, self._columns(choices), ("label",))
            if choices is not None
            else []
        )
        if not self.languages:
            self.languages.append(self.default_language or "nl")
        default = self.default_language
        if default is None:
            default = "nl" if "nl" in self.languages else self.languages[0]

        by_base = {c.base for c in survey_columns if c.suffix is None}
        missing = [name for name in ("type", "name") if name not in by_base]
        if missing:
            for name in missing:
                self.problem(
                    survey.title, 1, name, "missing_column", f"the survey has no {name!r} column"
                )
            return self.result(None)

        items, pending, expressions = self._read_survey(survey, survey_columns)
        choice_lists, _rows = self._read_choices(choices, choice_columns, pending)
        self._resolve_selects(pending, choice_lists, choices)
        self._check_choice_labels(choice_lists, choices)
        self._check_expressions(items, expressions)

        definition = FormDefinition(
            title=self.title,
            default_language=default,
            languages=list(self.languages),
            items=items,
            choice_lists={name: [c for _, c in entries] for name, entries in choice_lists.items()},
        )
        if not any(p.blocking for p in self.problems):
            for message in definition.problems():
                self.problem(_SURVEY, None, None, "invalid_definition", message)
        return self.result(definition)

    # ------------------------------------------------------------ settings

    def _read_settings(self) -> None:
        sheet = self.sheets.get(_SETTINGS)
        if sheet is None:
            return
        row, values = sheet.rows[0] if sheet.rows else (2, [])
        for number, _cells in sheet.rows[1:]:
            self.note(
                sheet.title, number, None, "ignored_value", f"only row {row} of settings is read"
            )
        for column in self._columns(sheet):
            value = values[column.index] if column.index < len(values) else ""
            if column.base == "form_title" and column.suffix is None:
                self.title = value
            elif column.base == "default_language" and column.suffix is None:
                if not value:
                    continue
                code = language_code(value)
                if code is None:
                    self.note(
                        sheet.title,
                        row,
                        column.header,
                        "unsupported_language",
                        f"default language {value!r} is not one of fieldapp's languages "
                        f"({', '.join(LANGUAGE_NAMES)}); plain label columns are read as nl",
                    )
                else:
                    self.default_language = code
            else:
                detail = f"setting {column.header!r} is not supported and is ignored"
                if value:
                    detail += f" (value {value!r})"
                self.note(sheet.title, 1, column.header, "unsupported_column", detail)

    # ------------------------------------------------------------ survey

    def _read_survey(
        self, sheet: _Sheet, columns: list[_Column]
    ) -> tuple[list[Item], list[_PendingSelect], list[_Expression]]:
        survey = _SurveyReader(self, sheet, columns)
        self.type_column = survey.type_column
        return survey.read()

    # ------------------------------------------------------------ choices

    def _read_choices(
        self, sheet: _Sheet | None, columns: list[_Column], pending: list[_PendingSelect]
    ) -> tuple[_Lists, dict[str, list[int]]]:
        lists: _Lists = {}
        rows: dict[str, list[int]] = {}
        if sheet is None:
            if pending:
                first = pending[0]
                self.problem(
                    _CHOICES,
                    None,
                    None,
                    "missing_sheet",
                    f"there is no choices sheet, but {first.question.name!r} "
                    f"(survey row {first.row}) needs list {first.question.choice_list!r}",
                )
            return lists, rows
        title = sheet.title
        known, labels = self._choice_columns(sheet, columns)
        missing = [n for n in ("list_name", "name") if n not in known]
        for name in missing:
            self.problem(title, 1, name, "missing_column", f"the choices have no {name!r} column")
        if missing:
            return lists, rows
        for number, cells in sheet.rows:
            list_name = _cell(cells, known["list_name"])
            name = _cell(cells, known["name"])
            if not list_name or any(ch.isspace() for ch in list_name):
                self.problem(
                    title,
                    number,
                    known["list_name"].header,
                    "bad_name",
                    f"list name {list_name!r} is empty or has spaces",
                )
                continue
            entries = lists.setdefault(list_name, [])
            rows.setdefault(list_name, []).append(number)
            if not name or any(ch.isspace() for ch in name):
                self.problem(
                    title,
                    number,
                    known["name"].header,
                    "bad_name",
                    f"choice name {name!r} is empty or has spaces",
                )
                continue
            choice_labels = {c.language: _cell(cells, c) for c in labels if _cell(cells, c)}
            entries.append((number, Choice(name, choice_labels)))
        self._check_choice_lists(title, known, lists, rows)
        return lists, rows

    def _choice_columns(
        self, sheet: _Sheet, columns: list[_Column]
    ) -> tuple[dict[str, _Column], list[_Column]]:
        """The list_name and name (or value) columns, and the label columns per language."""
        aliases = {"list_name": "list_name", "name": "name", "value": "name"}
        known: dict[str, _Column] = {}
        labels = []
        for column in columns:
            target = aliases.get(column.base) if column.suffix is None else None
            if target and target not in known:
                known[target] = column
            elif column.base == "label" and column.language:
                labels.append(column)
            else:
                filled = [n for n, cells in sheet.rows if _cell(cells, column)]
                detail = f"column {column.header!r} is not supported and is ignored"
                if filled:
                    detail += f" (filled in row {_rows_text(filled)})"
                self.note(sheet.title, 1, column.header, "unsupported_column", detail)
        return known, labels

    def _check_choice_lists(
        self, title: str, known: dict[str, _Column], lists: _Lists, rows: dict[str, list[int]]
    ) -> None:
        """Empty lists, and a choice name used twice in one list."""
        for list_name, entries in lists.items():
            if not entries:
                self.problem(
                    title,
                    rows[list_name][0],
                    known["list_name"].header,
                    "empty_list",
                    f"list {list_name!r} has no usable choices",
                )
            seen: dict[str, list[int]] = {}
            for number, choice in entries:
                seen.setdefault(choice.name, []).append(number)
            for choice_name, numbers in seen.items():
                for number in numbers if len(numbers) > 1 else ():
                    others = [n for n in numbers if n != number]
                    self.problem(
                        title,
                        number,
                        known["name"].header,
                        "duplicate_name",
                        f"{choice_name!r} is used twice in list {list_name!r} "
                        f"(also row {_rows_text(others)})",
                    )

    def _resolve_selects(
        self, pending: list[_PendingSelect], lists: _Lists, sheet: _Sheet | None
    ) -> None:
        title = self.sheets[_SURVEY].title
        for item in pending:
            question = item.question
            tokens = item.tokens
            entries = lists.get(question.choice_list or "")
            if entries is None:
                if sheet is not None:
                    self.problem(
                        title,
                        item.row,
                        self.type_column,
                        "unknown_list",
                        f"list {question.choice_list!r} is not on the choices sheet",
                    )
            elif question.type == "select_one":
                names = tuple(c.name for _, c in entries)
                if "likert" in tokens and names == SCALE_POINTS:
                    question.type = "scale"
                    tokens.remove("likert")
                elif "yes-no" in tokens and names == YES_NO:
                    question.type = "yes_no"
                    tokens.remove("yes-no")
            question.appearance = " ".join(tokens) or None
        # A list without labels that holds only the built-in points is the built-in list.
        users: dict[str, list[Question]] = {}
        for item in pending:
            users.setdefault(item.question.choice_list or "", []).append(item.question)
        for list_name, questions in users.items():
            entries = lists.get(list_name)
            if not entries or any(c.labels for _, c in entries):
                continue
            names = tuple(c.name for _, c in entries)
            for kind, points in (("scale", SCALE_POINTS), ("yes_no", YES_NO)):
                if names == points and all(q.type == kind for q in questions):
                    for question in questions:
                        question.choice_list = None
                    del lists[list_name]
                    break

    def _check_choice_labels(self, lists: _Lists, sheet: _Sheet | None) -> None:
        if sheet is None:
            return
        for list_name, entries in lists.items():
            for number, choice in entries:
                if not choice.labels:
                    self.note(
                        sheet.title,
                        number,
                        "label",
                        "missing_label",
                        f"choice {choice.name!r} of list {list_name!r} has no label; "
                        "its name is shown",
                    )

    # ------------------------------------------------------------ expressions

    def _check_expressions(self, items: list[Item], expressions: list[_Expression]) -> None:
        known: set[str] = set()
        for item in items:
            known.add(item.name)
            if isinstance(item, Group):
                known.update(q.name for q in item.questions)
        known.discard("")
        title = self.sheets[_SURVEY].title
        for number, header, text in expressions:
            try:
                parse(text, known_names=known)
            except ExpressionError as error:
                self.problem(
                    title, number, header, "bad_expression", f"{text!r}: {_describe(error)}"
                )
            except RecursionError:
                self.problem(title, number, header, "bad_expression", f"{text!r}: too deep")


class _SurveyReader:
    """One pass over the survey sheet: its rows become questions and groups, and every row
    fieldapp cannot take becomes a problem (the rows' order is kept)."""

    def __init__(self, importer: _Importer, sheet: _Sheet, columns: list[_Column]) -> None:
        self.importer = importer
        self.sheet = sheet
        self.title = sheet.title
        self.known = {c.base: c for c in columns if c.base in _SURVEY_COLUMNS and c.suffix is None}
        self.type_column = self.known["type"].header
        self.name_column = self.known["name"].header
        self.texts = {base: [c for c in columns if c.base == base] for base in _LANGUAGE_COLUMNS}
        self.extra = [
            c
            for c in columns
            if c.base not in _LANGUAGE_COLUMNS and self.known.get(c.base) is not c
        ]
        self.behaviour = [c for c in self.extra if _changes_behaviour(c)]
        self.items: list[Item] = []
        self.pending: list[_PendingSelect] = []
        self.expressions: list[_Expression] = []
        self.names: dict[str, list[int]] = {}
        self.open_groups: list[tuple[Group, int]] = []
        self.repeat_depth = 0

    def read(self) -> tuple[list[Item], list[_PendingSelect], list[_Expression]]:
        self._read_unsupported_columns()
        for number, cells in self.sheet.rows:
            self._read_row(number, cells)
        self._check_unclosed_groups()
        self._check_duplicate_names()
        return self.items, self.pending, self.expressions

    # ------------------------------------------------------------ helpers

    def problem(self, number: int | None, column: str | None, code: str, detail: str) -> None:
        self.importer.problem(self.title, number, column, code, detail)

    def note(self, number: int | None, column: str | None, code: str, detail: str) -> None:
        self.importer.note(self.title, number, column, code, detail)

    def _value(self, cells: list[str], base: str) -> str:
        column = self.known.get(base)
        return _cell(cells, column) if column is not None else ""

    def _labels(self, cells: list[str], base: str) -> dict[str, str]:
        """The texts of one label-like column, per language."""
        return {c.language: _cell(cells, c) for c in self.texts[base] if _cell(cells, c)}

    def _remember(self, name: str, number: int) -> None:
        if name:
            self.names.setdefault(name, []).append(number)

    def _check_name(self, name: str, number: int) -> None:
        if not name:
            self.problem(number, self.name_column, "bad_name", "the name is empty")
        elif not NAME_RE.match(name):
            self.problem(
                number,
                self.name_column,
                "bad_name",
                f"{name!r} is not a valid name (letters, digits, _ . -; "
                "starting with a letter or _; at most 64)",
            )

    def _read_expression(self, cells: list[str], base: str, number: int) -> str | None:
        text = self._value(cells, base)
        if text:
            self.expressions.append((number, self.known[base].header, text))
        return text or None

    # ------------------------------------------------------------ columns

    def _read_unsupported_columns(self) -> None:
        for column in self.extra:
            filled = [n for n, cells in self.sheet.rows if _cell(cells, column)]
            detail = f"column {column.header!r} is not supported and is ignored"
            if filled:
                detail += f" (filled in row {_rows_text(filled)})"
            self.note(1, column.header, "unsupported_column", detail)

    def _check_behaviour(self, cells: list[str], number: int) -> None:
        for column in self.behaviour:
            text = _cell(cells, column)
            if not text:
                continue
            if column.base == "read_only" and text.lower() in _FALSE:
                continue
            self.problem(
                number,
                column.header,
                "unsupported_column",
                f"{column.header} {text!r} is not supported; "
                "importing without it would change the form",
            )

    # ------------------------------------------------------------ rows

    def _read_row(self, number: int, cells: list[str]) -> None:
        type_text = self._value(cells, "type")
        name = self._value(cells, "name")
        if not type_text:
            self.problem(
                number, self.type_column, "missing_type", "this row has no type and is not empty"
            )
            return
        kind, args = _parse_type(type_text)
        if self._read_repeat(number, kind, name, type_text):
            return
        if kind == "begin_group":
            self._read_group_begin(number, cells, name)
        elif kind == "end_group":
            self._read_group_end(number)
        else:
            self._remember(name, number)
            if self._read_type(number, kind, args, type_text):
                self._read_question(number, cells, name, kind, args)

    def _read_repeat(self, number: int, kind: str, name: str, type_text: str) -> bool:
        """Report a row of (or inside) a repeat; False when the row has nothing to do with one."""
        if self.repeat_depth or kind == "begin_repeat":
            if kind == "begin_repeat":
                self.repeat_depth += 1
            elif kind == "end_repeat":
                self.repeat_depth -= 1
            if not kind.startswith("end_"):
                self._remember(name, number)
            detail = (
                "repeats are not supported"
                if kind in ("begin_repeat", "end_repeat")
                else "questions inside a repeat are not supported"
            )
            self.problem(number, self.type_column, "unsupported_type", f"{type_text!r}: {detail}")
            return True
        if kind == "end_repeat":
            self.problem(
                number,
                self.type_column,
                "unsupported_type",
                f"{type_text!r}: repeats are not supported (and no repeat was begun)",
            )
            return True
        return False

    # ------------------------------------------------------------ groups

    def _read_group_begin(self, number: int, cells: list[str], name: str) -> None:
        self._remember(name, number)
        self._check_behaviour(cells, number)
        group = Group(name=name, labels=self._labels(cells, "label"))
        self._check_name(name, number)
        group.relevant = self._read_expression(cells, "relevant", number)
        self._check_group_extras(number, cells)
        if self.open_groups:
            outer, outer_row = self.open_groups[0]
            self.problem(
                number,
                self.type_column,
                "nested_group",
                f"group {name!r} is inside group {outer.name!r} (row {outer_row}); "
                "fieldapp groups are one level deep",
            )
        else:
            self.items.append(group)
        self.open_groups.append((group, number))

    def _read_group_end(self, number: int) -> None:
        if not self.open_groups:
            self.problem(
                number,
                self.type_column,
                "unexpected_end_group",
                "end_group without a begin_group",
            )
            return
        group, begun = self.open_groups.pop()
        if not self.open_groups and not group.questions:
            self.problem(begun, self.type_column, "empty_group", f"group {group.name!r} is empty")

    def _check_group_extras(self, number: int, cells: list[str]) -> None:
        for base in ("hint", "constraint_message"):
            for column in self.texts[base]:
                if _cell(cells, column):
                    self.note(
                        number,
                        column.header,
                        "ignored_value",
                        f"a group has no {base}; {_cell(cells, column)!r} is ignored",
                    )

        def filled(base: str) -> tuple[str, str]:
            column = self.known.get(base)
            return (column.header, _cell(cells, column)) if column else (base, "")

        header, text = filled("constraint")
        if text:
            self.problem(number, header, "unsupported_column", "a group cannot have a constraint")
        header, text = filled("required")
        if text and text.lower() not in _FALSE:
            self.problem(number, header, "unsupported_column", "a group cannot be required")
        header, text = filled("appearance")
        tokens = [t for t in text.split() if t != "field-list"]
        if tokens:
            self.note(
                number,
                header,
                "ignored_value",
                f"group appearance {' '.join(tokens)!r} is ignored; a group is one page",
            )

    def _check_unclosed_groups(self) -> None:
        for group, begun in self.open_groups:
            self.problem(
                begun,
                self.type_column,
                "unclosed_group",
                f"group {group.name!r} has no end_group",
            )

    def _check_duplicate_names(self) -> None:
        for name, rows in self.names.items():
            for row in rows if len(rows) > 1 else ():
                others = [r for r in rows if r != row]
                self.problem(
                    row,
                    self.name_column,
                    "duplicate_name",
                    f"{name!r} is also used in row {_rows_text(others)}",
                )

    # ------------------------------------------------------------ questions

    def _read_type(self, number: int, kind: str, args: list[str], type_text: str) -> bool:
        """Whether the row's type is a question fieldapp takes; a problem or note if not."""
        if kind in _METADATA:
            self.note(
                number,
                self.type_column,
                "ignored_metadata",
                f"{type_text!r} is metadata that fieldapp does not collect; row ignored",
            )
            return False
        if kind not in _SIMPLE_TYPES and kind not in _SELECTS:
            reason = _KNOWN_UNSUPPORTED.get(kind, "unknown question type")
            self.problem(number, self.type_column, "unsupported_type", f"{type_text!r}: {reason}")
            return False
        if kind in _SIMPLE_TYPES and args:
            self.problem(
                number, self.type_column, "unsupported_type", f"{type_text!r}: unknown type"
            )
            return False
        if kind in _SELECTS:
            return self._read_select_type(number, args, type_text)
        return True

    def _read_select_type(self, number: int, args: list[str], type_text: str) -> bool:
        if len(args) == 2 and args[1].lower() == "or_other":
            self.problem(
                number,
                self.type_column,
                "unsupported_type",
                f"{type_text!r}: or_other is not supported; add an 'other' choice "
                "and a text question instead",
            )
            return False
        if len(args) > 1:
            self.problem(
                number, self.type_column, "unsupported_type", f"{type_text!r}: unknown type"
            )
            return False
        if not args:
            self.problem(number, self.type_column, "unknown_list", f"{type_text!r} names no list")
            return False
        return True

    def _read_question(
        self, number: int, cells: list[str], name: str, kind: str, args: list[str]
    ) -> None:
        self._check_behaviour(cells, number)
        self._check_name(name, number)
        question = Question(
            name=name,
            type=_SIMPLE_TYPES.get(kind, kind),
            labels=self._labels(cells, "label"),
            hints=self._labels(cells, "hint"),
            constraint_messages=self._labels(cells, "constraint_message"),
        )
        self._read_rules(question, cells, number)
        self._read_appearance(question, cells, number, args)
        if not question.labels:
            self.problem(
                number,
                "label",
                "missing_label",
                f"{name or 'this question'} has no label in "
                f"{', '.join(self.importer.languages) or 'any language'}",
            )
        if self.open_groups:
            self.open_groups[0][0].questions.append(question)
        else:
            self.items.append(question)

    def _read_rules(self, question: Question, cells: list[str], number: int) -> None:
        """required, relevant and constraint."""
        required = self._value(cells, "required")
        if required.lower() in _TRUE:
            question.required = True
        elif required.lower() not in _FALSE:
            self.problem(
                number,
                self.known["required"].header,
                "bad_required",
                f"required {required!r} is not yes or no (conditions are not supported)",
            )
        question.relevant = self._read_expression(cells, "relevant", number)
        question.constraint = self._read_expression(cells, "constraint", number)

    def _read_appearance(
        self, question: Question, cells: list[str], number: int, args: list[str]
    ) -> None:
        """The appearance tokens; a select waits for its list before its type is final."""
        tokens = self._value(cells, "appearance").split()
        column = self.known.get("appearance")
        for token in tokens:
            lowered = token.lower()
            if lowered in _BLOCKING_APPEARANCES or lowered.startswith(
                _BLOCKING_APPEARANCE_PREFIXES
            ):
                self.problem(
                    number,
                    column.header if column else "appearance",
                    "unsupported_appearance",
                    f"appearance {token!r} changes what is collected and is not supported",
                )
        if question.type == "text" and "multiline" in tokens:
            question.type = "long_text"
            tokens.remove("multiline")
        if question.type in _SELECTS:
            question.choice_list = args[0]
            self.pending.append(_PendingSelect(question, number, tokens))
        else:
            question.appearance = " ".join(tokens) or None


def _describe(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error)
    position = getattr(error, "position", None)
    if isinstance(position, int):
        return f"{message} (at character {position + 1})"
    return message


def _parse_type(text: str) -> tuple[str, list[str]]:
    """("select_one", ["list"]) from "select one list"; the keyword in lower case."""
    tokens = text.split()
    lowered = [t.lower() for t in tokens]
    if lowered[:2] in (
        ["begin", "group"],
        ["end", "group"],
        ["begin", "repeat"],
        ["end", "repeat"],
    ):
        return "_".join(lowered[:2]), tokens[2:]
    if lowered[:4] == ["select", "all", "that", "apply"]:
        kind, args = "select_multiple", tokens[4:]
    elif lowered[:2] in (["select", "one"], ["select", "multiple"]):
        kind, args = "select_" + lowered[1], tokens[2:]
    else:
        kind, args = lowered[0], tokens[1:]
    if kind in _SELECTS and [a.lower() for a in args[:2]] == ["from", "file"]:
        return kind + "_from_file", args[2:]
    if kind in _SELECTS and args[:1] and args[0].lower() == "external":
        return kind + "_external", args[1:]
    return kind, args


def _cell(cells: list[str], column: _Column | None) -> str:
    if column is None or column.index >= len(cells):
        return ""
    return cells[column.index]


def _changes_behaviour(column: _Column) -> bool:
    if column.base in _BEHAVIOUR_COLUMNS and column.suffix is None:
        return True
    return column.base in _BEHAVIOUR_PREFIXES and column.suffix is not None


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
