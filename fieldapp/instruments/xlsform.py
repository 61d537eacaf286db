"""XLSForm (ODK, KoBoToolbox) import and export for form definitions.

Everything fieldapp does not support is reported as an ImportProblem with its sheet, row
(as Excel shows it, the header is row 1) and column header; nothing is dropped without a
problem. A problem is blocking when importing without it would change the form; any blocking
problem means no definition. File-level problems (not_xlsx, too_large, ...) have sheet "".
Refused before parsing: more than max_bytes, a zip that unpacks to more than
max_uncompressed or has over 1,000 parts; while reading: more than max_rows non-blank rows
in a sheet, more than 256 columns. openpyxl's warnings never escape: harmless ones (styles,
extensions) are dropped, others become non-blocking "spreadsheet_warning".

Sheets (names in any case): survey (required), choices (required when a select uses it;
columns list_name or "list name", name or value, label...), settings (optional: form_title,
default_language; other settings are noted and ignored). Other sheets: "unsupported_sheet".

Types, XLSForm -> fieldapp (the exporter writes the same in reverse):
  text -> text; text + appearance multiline -> long_text
  integer (int), decimal, date, note -> the same
  geopoint (gps) -> location; image -> photo
  select_one L / select_multiple L (also "select one L", "select all that apply L")
  select_one L + appearance likert, L's names exactly 1,2,3,4,5 -> scale (choice_list L)
  select_one L + appearance yes-no, L's names exactly yes,no -> yes_no (choice_list L)
  select_one L with names yes,no but without yes-no stays a select_one
  begin_group / end_group (also with a space), one level deep, = one page; the exporter
  gives groups appearance field-list, which is also accepted (other group appearances,
  hints and constraint messages are non-blocking "ignored_value")
The appearance tokens multiline, likert and yes-no are consumed by these mappings; other
appearance tokens are kept in Question.appearance. Appearances that change what is
collected (signature, draw, annotate, month-year, year, search(), ex:, printer) are
blocking "unsupported_appearance".
A choice list without any label whose names are the built-in points (1..5 for a scale,
yes,no for yes_no) and that only scale (yes_no) questions use is fieldapp's built-in list:
the questions get choice_list None and the list is left out. For a scale or yes_no without
choice_list the exporter writes such a list, "<question>_scale" or "yes_no" (with _2, _3...
when the name is taken). So a select_one with appearance likert over 1..5 (or yes-no over
yes,no) comes back as a scale (yes_no), and an unlabelled 1..5 (yes,no) list of a scale
(yes_no) comes back as no list; everything else round-trips, read_xlsform(write_xlsform(d))
.definition == d, for texts without surrounding white space (stripped on reading) or control
characters (not written), and labels only in d.languages (the columns written).

Metadata types (start, end, today, deviceid, username, audit, ...) are not questions: they
are skipped with a non-blocking "ignored_metadata" (fieldapp keeps its own metadata and
asks nobody anything more or less). Repeats, calculate, *_from_file, rank, range, audio,
video, file, barcode, geotrace, geoshape, time, dateTime, acknowledge, hidden,
xml-external, trigger, "or_other" and unknown types are blocking "unsupported_type"; every
row of a repeat is reported.

Columns. label, hint and constraint_message may carry a language: "label::Nederlands (nl)",
"label::nl" or "label::Dutch"; a plain "label" is in the settings' default_language (else
nl). Only fieldapp's languages nl, en, ar, tr, pl, uk are read; a column in another language
is skipped with a non-blocking "unsupported_language" (a question left without any label is
then blocking "missing_label"). The definition's languages are those found, in column order;
default_language is the settings' one (code or "Name (code)"), else nl if found, else the
first found. required: yes/true/1/true() or no/false/0/false()/empty, else "bad_required".
Every other column is noted once ("unsupported_column", row 1, non-blocking); a filled
calculation, choice_filter, repeat_count, default, read_only (when true), trigger,
parameters, bind::* or body::* cell in a question or group row is blocking, with its row.
relevant and constraint are checked with expressions.parse against the names of the
imported questions and groups. A choice without a label is a non-blocking "missing_label".

Problem codes: not_xlsx, too_large, too_many_rows, too_many_columns, spreadsheet_warning,
missing_sheet, duplicate_sheet, unsupported_sheet, missing_column, duplicate_column,
unsupported_column, unsupported_language, missing_type, unsupported_type, ignored_metadata,
unsupported_appearance, ignored_value, bad_name, duplicate_name, missing_label,
bad_required, bad_expression, unknown_list, empty_list, nested_group, unclosed_group,
unexpected_end_group, empty_group, invalid_definition (definition.problems()).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any

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

FILE = ""  # the sheet of problems about the file as a whole
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_COLUMNS = 256
EXCEL_MAX_ROW = 1_048_576

_SURVEY, _CHOICES, _SETTINGS = "survey", "choices", "settings"
_SHEET_ORDER = {FILE: 0, _SETTINGS: 1, _SURVEY: 2, _CHOICES: 3}
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
_HARMLESS_WARNINGS = (
    "no default style",
    "data validation extension",
    "conditional formatting extension",
    "unknown extension",
    "slicer list extension",
    "cannot parse header or footer",
)


@dataclass
class ImportProblem:
    sheet: str
    row: int | None
    column: str | None
    code: str
    detail: str
    blocking: bool = True


@dataclass
class ImportResult:
    definition: FormDefinition | None
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.blocking for p in self.problems)


# ====================================================================== reading


def read_xlsform(
    data: bytes | IO[bytes],
    *,
    max_bytes: int = 5 * 1024 * 1024,
    max_rows: int = 2000,
    max_uncompressed: int = MAX_UNCOMPRESSED,
) -> ImportResult:
    """Read an XLSForm; never raises on bad input (the problems say what is wrong)."""
    raw, problem = _read_bytes(data, max_bytes)
    if problem is None:
        problem = _check_zip(raw, max_uncompressed)
    if problem is not None:
        return ImportResult(None, [problem])
    sheets, problems = _load_sheets(raw, max_rows)
    if sheets is None:
        return ImportResult(None, _sorted(problems))
    return _Importer(sheets, problems).run()


def _file_problem(code: str, detail: str) -> ImportProblem:
    return ImportProblem(FILE, None, None, code, detail)


def _read_bytes(data: object, max_bytes: int) -> tuple[bytes, ImportProblem | None]:
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    elif hasattr(data, "read"):
        try:
            raw = data.read(max_bytes + 1)
        except (OSError, ValueError, TypeError) as error:
            return b"", _file_problem("not_xlsx", f"the file could not be read: {error}")
        if not isinstance(raw, bytes | bytearray):
            return b"", _file_problem("not_xlsx", "the upload is not a binary file")
        raw = bytes(raw)
    else:
        return b"", _file_problem("not_xlsx", "the upload is not a file")
    if len(raw) > max_bytes:
        return b"", _file_problem("too_large", f"the file is larger than {max_bytes} bytes")
    if not raw:
        return b"", _file_problem("not_xlsx", "the file is empty")
    return raw, None


def _check_zip(raw: bytes, max_uncompressed: int) -> ImportProblem | None:
    if raw.startswith(b"%PDF"):
        return _file_problem("not_xlsx", "this is a PDF file, not an .xlsx spreadsheet")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return _file_problem(
            "not_xlsx",
            "this is an old .xls file or a password-protected workbook; "
            "save it as an unprotected .xlsx",
        )
    try:
        with zipfile.ZipFile(BytesIO(raw)) as archive:
            members = archive.infolist()
    except Exception:  # zipfile raises many kinds of errors on broken input
        return _file_problem("not_xlsx", "this is not an .xlsx spreadsheet")
    if len(members) > MAX_MEMBERS:
        return _file_problem("too_large", f"the file has more than {MAX_MEMBERS} parts")
    if sum(m.file_size for m in members) > max_uncompressed:
        return _file_problem(
            "too_large", f"the spreadsheet unpacks to more than {max_uncompressed} bytes"
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        if "mimetype" in names:
            detail = "this is an OpenDocument spreadsheet; save it as .xlsx"
        else:
            detail = "this zip file is not an .xlsx spreadsheet"
        return _file_problem("not_xlsx", detail)
    return None


@dataclass
class _Sheet:
    title: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells as text)


def _load_sheets(raw: bytes, max_rows: int) -> tuple[dict[str, _Sheet] | None, list[ImportProblem]]:
    """The survey, choices and settings sheets as text; None when the file is unusable."""
    import openpyxl

    problems: list[ImportProblem] = []
    sheets: dict[str, _Sheet] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        workbook = None
        try:
            workbook = openpyxl.load_workbook(BytesIO(raw), read_only=True, data_only=True)
            for worksheet in workbook.worksheets:
                key = worksheet.title.strip().lower()
                if key not in (_SURVEY, _CHOICES, _SETTINGS):
                    problems.append(
                        ImportProblem(
                            worksheet.title,
                            None,
                            None,
                            "unsupported_sheet",
                            f"sheet {worksheet.title!r} is not part of a form and is ignored",
                            blocking=False,
                        )
                    )
                    continue
                if key in sheets:
                    problems.append(
                        ImportProblem(
                            worksheet.title,
                            None,
                            None,
                            "duplicate_sheet",
                            f"there is more than one {key!r} sheet",
                        )
                    )
                    continue
                sheet, problem = _read_sheet(worksheet, max_rows)
                if problem is not None:
                    return None, [*problems, problem]
                sheets[key] = sheet
        except Exception as error:  # openpyxl and the XML parsers raise anything on bad input
            return None, [_file_problem("not_xlsx", _unreadable(error))]
        finally:
            if workbook is not None:
                try:
                    workbook.close()
                except Exception:  # noqa: S110 - closing a broken archive must not raise
                    pass
    for warning in caught:
        message = str(warning.message)
        if not any(text in message.lower() for text in _HARMLESS_WARNINGS):
            problems.append(
                ImportProblem(FILE, None, None, "spreadsheet_warning", message, blocking=False)
            )
    return sheets, problems


def _unreadable(error: BaseException) -> str:
    seen: BaseException | None = error
    for _ in range(10):  # openpyxl wraps the XML parser's error in its own
        if seen is None:
            break
        if "Forbidden" in type(seen).__name__:  # defusedxml: entities, DTDs, external refs
            return "the spreadsheet contains unsafe XML (entities or external references)"
        seen = seen.__cause__ or seen.__context__
    return "the spreadsheet could not be read (it is damaged or not an .xlsx file)"


def _read_sheet(worksheet: Any, max_rows: int) -> tuple[_Sheet, ImportProblem | None]:
    worksheet.reset_dimensions()  # never trust the file's own idea of its size
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(
        worksheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1
    ):
        if number > EXCEL_MAX_ROW:
            problem = ImportProblem(
                worksheet.title,
                None,
                None,
                "too_many_rows",
                "the sheet has rows beyond Excel's last",
            )
            return _Sheet(worksheet.title, header, rows), problem
        if values.count(None) == len(values):
            continue
        cells = [_text(value) for value in values]
        if cells[MAX_COLUMNS:] and cells[MAX_COLUMNS]:
            problem = ImportProblem(
                worksheet.title,
                number,
                None,
                "too_many_columns",
                f"the sheet has more than {MAX_COLUMNS} columns",
            )
            return _Sheet(worksheet.title, header, rows), problem
        cells = cells[:MAX_COLUMNS]
        if number == 1:
            header = cells
            continue
        if not any(cells):
            continue
        if len(rows) >= max_rows:
            problem = ImportProblem(
                worksheet.title,
                number,
                None,
                "too_many_rows",
                f"the sheet has more than {max_rows} rows",
            )
            return _Sheet(worksheet.title, header, rows), problem
        rows.append((number, cells))
    return _Sheet(worksheet.title, header, rows), None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def language_code(text: str) -> str | None:
    """The code in "Nederlands (nl)", "nl" or "Dutch"; None when it is not recognised."""
    text = text.strip()
    match = _CODE_IN_PARENS.search(text)
    candidate = match.group(1) if match else text
    return _LANGUAGE_ALIASES.get(candidate.casefold())


def _sorted(problems: list[ImportProblem]) -> list[ImportProblem]:
    return sorted(problems, key=lambda p: (_SHEET_ORDER.get(p.sheet.lower(), 4), p.row or 0))


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
        title = sheet.title
        known = {c.base: c for c in columns if c.base in _SURVEY_COLUMNS and c.suffix is None}
        type_column, name_column = known["type"].header, known["name"].header
        self.type_column = type_column
        texts = {base: [c for c in columns if c.base == base] for base in _LANGUAGE_COLUMNS}
        extra = [
            c for c in columns if c.base not in _LANGUAGE_COLUMNS and known.get(c.base) is not c
        ]
        for column in extra:
            filled = [n for n, cells in sheet.rows if _cell(cells, column)]
            detail = f"column {column.header!r} is not supported and is ignored"
            if filled:
                detail += f" (filled in row {_rows_text(filled)})"
            self.note(title, 1, column.header, "unsupported_column", detail)
        behaviour = [c for c in extra if _changes_behaviour(c)]

        def value(cells: list[str], base: str) -> str:
            column = known.get(base)
            return _cell(cells, column) if column is not None else ""

        def per_language(cells: list[str], base: str) -> dict[str, str]:
            return {c.language: _cell(cells, c) for c in texts[base] if _cell(cells, c)}

        items: list[Item] = []
        pending: list[_PendingSelect] = []
        expressions: list[_Expression] = []
        names: dict[str, list[int]] = {}
        open_groups: list[tuple[Group, int]] = []
        repeat_depth = 0

        def remember(name: str, number: int) -> None:
            if name:
                names.setdefault(name, []).append(number)

        def check_name(name: str, number: int) -> bool:
            if not name:
                self.problem(title, number, name_column, "bad_name", "the name is empty")
                return False
            if not NAME_RE.match(name):
                self.problem(
                    title,
                    number,
                    name_column,
                    "bad_name",
                    f"{name!r} is not a valid name (letters, digits, _ . -; "
                    "starting with a letter or _; at most 64)",
                )
                return False
            return True

        def check_behaviour(cells: list[str], number: int) -> None:
            for column in behaviour:
                text = _cell(cells, column)
                if not text:
                    continue
                if column.base == "read_only" and text.lower() in _FALSE:
                    continue
                self.problem(
                    title,
                    number,
                    column.header,
                    "unsupported_column",
                    f"{column.header} {text!r} is not supported; "
                    "importing without it would change the form",
                )

        def expression(cells: list[str], base: str, number: int) -> str | None:
            text = value(cells, base)
            if text:
                expressions.append((number, known[base].header, text))
            return text or None

        for number, cells in sheet.rows:
            type_text = value(cells, "type")
            name = value(cells, "name")
            if not type_text:
                self.problem(
                    title,
                    number,
                    type_column,
                    "missing_type",
                    "this row has no type and is not empty",
                )
                continue
            kind, args = _parse_type(type_text)

            if repeat_depth or kind == "begin_repeat":
                if kind == "begin_repeat":
                    repeat_depth += 1
                elif kind == "end_repeat":
                    repeat_depth -= 1
                if not kind.startswith("end_"):
                    remember(name, number)
                detail = (
                    "repeats are not supported"
                    if kind in ("begin_repeat", "end_repeat")
                    else "questions inside a repeat are not supported"
                )
                self.problem(
                    title, number, type_column, "unsupported_type", f"{type_text!r}: {detail}"
                )
                continue
            if kind == "end_repeat":
                self.problem(
                    title,
                    number,
                    type_column,
                    "unsupported_type",
                    f"{type_text!r}: repeats are not supported (and no repeat was begun)",
                )
                continue

            if kind == "begin_group":
                remember(name, number)
                check_behaviour(cells, number)
                group = Group(name=name, labels=per_language(cells, "label"))
                check_name(name, number)
                group.relevant = expression(cells, "relevant", number)
                self._check_group_extras(title, number, cells, known, texts)
                if open_groups:
                    outer, outer_row = open_groups[0]
                    self.problem(
                        title,
                        number,
                        type_column,
                        "nested_group",
                        f"group {name!r} is inside group {outer.name!r} (row {outer_row}); "
                        "fieldapp groups are one level deep",
                    )
                else:
                    items.append(group)
                open_groups.append((group, number))
                continue
            if kind == "end_group":
                if not open_groups:
                    self.problem(
                        title,
                        number,
                        type_column,
                        "unexpected_end_group",
                        "end_group without a begin_group",
                    )
                    continue
                group, begun = open_groups.pop()
                if not open_groups and not group.questions:
                    self.problem(
                        title, begun, type_column, "empty_group", f"group {group.name!r} is empty"
                    )
                continue

            remember(name, number)
            if kind in _METADATA:
                self.note(
                    title,
                    number,
                    type_column,
                    "ignored_metadata",
                    f"{type_text!r} is metadata that fieldapp does not collect; row ignored",
                )
                continue
            if kind not in _SIMPLE_TYPES and kind not in _SELECTS:
                reason = _KNOWN_UNSUPPORTED.get(kind, "unknown question type")
                self.problem(
                    title, number, type_column, "unsupported_type", f"{type_text!r}: {reason}"
                )
                continue
            if kind in _SIMPLE_TYPES and args:
                self.problem(
                    title, number, type_column, "unsupported_type", f"{type_text!r}: unknown type"
                )
                continue
            if kind in _SELECTS:
                if len(args) == 2 and args[1].lower() == "or_other":
                    self.problem(
                        title,
                        number,
                        type_column,
                        "unsupported_type",
                        f"{type_text!r}: or_other is not supported; add an 'other' choice "
                        "and a text question instead",
                    )
                    continue
                if len(args) > 1:
                    self.problem(
                        title,
                        number,
                        type_column,
                        "unsupported_type",
                        f"{type_text!r}: unknown type",
                    )
                    continue
                if not args:
                    self.problem(
                        title, number, type_column, "unknown_list", f"{type_text!r} names no list"
                    )
                    continue

            check_behaviour(cells, number)
            check_name(name, number)
            question = Question(
                name=name,
                type=_SIMPLE_TYPES.get(kind, kind),
                labels=per_language(cells, "label"),
                hints=per_language(cells, "hint"),
                constraint_messages=per_language(cells, "constraint_message"),
            )
            required = value(cells, "required")
            if required.lower() in _TRUE:
                question.required = True
            elif required.lower() not in _FALSE:
                self.problem(
                    title,
                    number,
                    known["required"].header,
                    "bad_required",
                    f"required {required!r} is not yes or no (conditions are not supported)",
                )
            question.relevant = expression(cells, "relevant", number)
            question.constraint = expression(cells, "constraint", number)
            tokens = value(cells, "appearance").split()
            self._check_appearance(title, number, known.get("appearance"), tokens)
            if question.type == "text" and "multiline" in tokens:
                question.type = "long_text"
                tokens.remove("multiline")
            if question.type in _SELECTS:
                question.choice_list = args[0]
                pending.append(_PendingSelect(question, number, tokens))
            else:
                question.appearance = " ".join(tokens) or None
            if not question.labels:
                self.problem(
                    title,
                    number,
                    "label",
                    "missing_label",
                    f"{name or 'this question'} has no label in "
                    f"{', '.join(self.languages) or 'any language'}",
                )
            if open_groups:
                open_groups[0][0].questions.append(question)
            else:
                items.append(question)

        for group, begun in open_groups:
            self.problem(
                title,
                begun,
                type_column,
                "unclosed_group",
                f"group {group.name!r} has no end_group",
            )
        for name, rows in names.items():
            for row in rows if len(rows) > 1 else ():
                others = [r for r in rows if r != row]
                self.problem(
                    title,
                    row,
                    name_column,
                    "duplicate_name",
                    f"{name!r} is also used in row {_rows_text(others)}",
                )
        return items, pending, expressions

    def _check_group_extras(
        self,
        title: str,
        number: int,
        cells: list[str],
        known: dict[str, _Column],
        texts: dict[str, list[_Column]],
    ) -> None:
        for base in ("hint", "constraint_message"):
            for column in texts[base]:
                if _cell(cells, column):
                    self.note(
                        title,
                        number,
                        column.header,
                        "ignored_value",
                        f"a group has no {base}; {_cell(cells, column)!r} is ignored",
                    )

        def filled(base: str) -> tuple[str, str]:
            column = known.get(base)
            return (column.header, _cell(cells, column)) if column else (base, "")

        header, text = filled("constraint")
        if text:
            self.problem(
                title, number, header, "unsupported_column", "a group cannot have a constraint"
            )
        header, text = filled("required")
        if text and text.lower() not in _FALSE:
            self.problem(title, number, header, "unsupported_column", "a group cannot be required")
        header, text = filled("appearance")
        tokens = [t for t in text.split() if t != "field-list"]
        if tokens:
            self.note(
                title,
                number,
                header,
                "ignored_value",
                f"group appearance {' '.join(tokens)!r} is ignored; a group is one page",
            )

    def _check_appearance(
        self, title: str, number: int, column: _Column | None, tokens: list[str]
    ) -> None:
        for token in tokens:
            lowered = token.lower()
            if lowered in _BLOCKING_APPEARANCES or lowered.startswith(
                _BLOCKING_APPEARANCE_PREFIXES
            ):
                self.problem(
                    title,
                    number,
                    column.header if column else "appearance",
                    "unsupported_appearance",
                    f"appearance {token!r} changes what is collected and is not supported",
                )

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
                self.note(title, 1, column.header, "unsupported_column", detail)
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
        return lists, rows

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
        from fieldapp.instruments.expressions import ExpressionError, parse

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


# ====================================================================== writing


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
