"""Reading an untrusted .xlsx safely: size and zip checks, then the form's sheets as text.

Refused before parsing: more than max_bytes, a zip that unpacks to more than
max_uncompressed or has over 1,000 parts; while reading: more than max_rows non-blank rows
in a sheet, more than 256 columns. openpyxl's warnings never escape: harmless ones (styles,
extensions) are dropped, others become non-blocking "spreadsheet_warning".
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any

from fieldapp.instruments.definition import FormDefinition

FILE = ""  # the sheet of problems about the file as a whole
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_COLUMNS = 256
EXCEL_MAX_ROW = 1_048_576

_SURVEY, _CHOICES, _SETTINGS = "survey", "choices", "settings"
_SHEET_ORDER = {FILE: 0, _SETTINGS: 1, _SURVEY: 2, _CHOICES: 3}
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


def read_sheets(
    data: bytes | IO[bytes], *, max_bytes: int, max_rows: int, max_uncompressed: int
) -> tuple[dict[str, _Sheet] | None, list[ImportProblem]]:
    """The survey, choices and settings sheets as text; None (and why) when unusable."""
    raw, problem = _read_bytes(data, max_bytes)
    if problem is None:
        problem = _check_zip(raw, max_uncompressed)
    if problem is not None:
        return None, [problem]
    sheets, problems = _load_sheets(raw, max_rows)
    if sheets is None:
        return None, _sorted(problems)
    return sheets, problems


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


def _sorted(problems: list[ImportProblem]) -> list[ImportProblem]:
    return sorted(problems, key=lambda p: (_SHEET_ORDER.get(p.sheet.lower(), 4), p.row or 0))
