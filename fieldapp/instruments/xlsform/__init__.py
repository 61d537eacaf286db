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

from fieldapp.instruments.xlsform.importer import LANGUAGE_NAMES, language_code, read_xlsform
from fieldapp.instruments.xlsform.reader import (
    EXCEL_MAX_ROW,
    FILE,
    MAX_COLUMNS,
    MAX_MEMBERS,
    MAX_UNCOMPRESSED,
    ImportProblem,
    ImportResult,
)
from fieldapp.instruments.xlsform.writer import language_header, write_xlsform

__all__ = [
    "EXCEL_MAX_ROW",
    "FILE",
    "LANGUAGE_NAMES",
    "MAX_COLUMNS",
    "MAX_MEMBERS",
    "MAX_UNCOMPRESSED",
    "ImportProblem",
    "ImportResult",
    "language_code",
    "language_header",
    "read_xlsform",
    "write_xlsform",
]
