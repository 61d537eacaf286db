"""XLSForm import and export: what is supported, what is reported, and the round trip."""

from __future__ import annotations

import io
import random
import tempfile
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from fieldapp.instruments.definition import (
    QUESTION_TYPES,
    Choice,
    FormDefinition,
    Group,
    Question,
)
from fieldapp.instruments.xlsform import (
    ImportProblem,
    ImportResult,
    language_code,
    read_xlsform,
    write_xlsform,
)

LANGS = ("nl", "ar", "en")
HEAD = {"nl": "Nederlands (nl)", "ar": "العربية (ar)", "en": "English (en)"}


def xlsx(survey=None, choices=None, settings=None, **extra_sheets) -> bytes:
    """A workbook from lists of rows; a sheet given as None is left out."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {"survey": survey, "choices": choices, "settings": settings, **extra_sheets}
    for title, rows in sheets.items():
        if rows is None:
            continue
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def codes(result: ImportResult) -> list[str]:
    return [p.code for p in result.problems]


def only(result: ImportResult, code: str) -> list[ImportProblem]:
    found = [p for p in result.problems if p.code == code]
    assert found, f"no {code!r} in {result.problems}"
    return found


SURVEY_HEAD = ["type", "name"]


def simple(*rows, head=("type", "name", "label")) -> list:
    return [list(head), *[list(r) for r in rows]]


# ---------------------------------------------------------------- the complete form


def full_workbook() -> bytes:
    head = [
        "type",
        "name",
        *(f"label::{HEAD[c]}" for c in LANGS),
        *(f"hint::{HEAD[c]}" for c in LANGS),
        "required",
        "relevant",
        "constraint",
        *(f"constraint_message::{HEAD[c]}" for c in LANGS),
        "appearance",
    ]

    def row(
        type_,
        name,
        labels=("", "", ""),
        hints=("", "", ""),
        required=None,
        relevant=None,
        constraint=None,
        messages=("", "", ""),
        appearance=None,
    ):
        return [type_, name, *labels, *hints, required, relevant, constraint, *messages, appearance]

    survey = [
        head,
        row("note", "intro", ("Welkom", "أهلا", "Welcome")),
        row("text", "naam", ("Naam", "الاسم", "Name"), ("Voornaam", "", "First name"), "yes"),
        row(
            "integer",
            "age",
            ("Leeftijd", "العمر", "Age"),
            required="TRUE()",
            constraint=". >= 0 and . < 120",
            messages=("Tussen 0 en 120", "بين 0 و 120", "Between 0 and 120"),
        ),
        [None] * len(head),  # a blank row is skipped
        row("decimal", "length", ("Lengte", "الطول", "Length"), required="no"),
        row("date", "visit", ("Datum", "التاريخ", "Date"), required=0),
        row(
            "begin_group",
            "buurt",
            ("De buurt", "الحي", "The neighbourhood"),
            relevant="${age} >= 18",
            appearance="field-list",
        ),
        row("select_one feelings", "feeling", ("Gevoel", "الشعور", "Feeling"), required="1"),
        row(
            "select_multiple facilities",
            "facilities",
            ("Voorzieningen", "المرافق", "Facilities"),
            relevant="${feeling} = 'good'",
        ),
        row("select_one likert", "safety", ("Veiligheid", "الأمان", "Safety"), appearance="likert"),
        row("end_group", None),
        row("geopoint", "place", ("Plek", "المكان", "Place")),
        row("image", "photo", ("Foto", "صورة", "Photo")),
        row("text", "story", ("Verhaal", "قصة", "Story"), appearance="multiline"),
        row("begin group", "extra", ("Extra", "إضافي", "Extra")),
        row("select_one yn", "agree", ("Eens?", "موافق؟", "Agree?"), appearance="yes-no"),
        row("select_one yn", "plain_yes", ("Ja of nee", "نعم أو لا", "Yes or no")),
        row("select_one feelings", "mood", ("Stemming", "", ""), appearance="minimal"),
        row("end group", None),
    ]
    choices = [
        ["list_name", "name", *(f"label::{HEAD[c]}" for c in LANGS)],
        ["feelings", "good", "Goed", "جيد", "Good"],
        ["feelings", "bad", "Slecht", "سيء", "Bad"],
        ["facilities", "park", "Park", "حديقة", "Park"],
        ["facilities", "shop", "Winkel", "متجر", "Shop"],
        ["likert", 1, "Helemaal niet", "أبدا", "Not at all"],
        ["likert", 2, "Niet", "لا", "No"],
        ["likert", 3, "Neutraal", "محايد", "Neutral"],
        ["likert", 4, "Wel", "نعم", "Yes"],
        ["likert", 5, "Helemaal", "تماما", "Completely"],
        ["yn", "yes", "Ja", "نعم", "Yes"],
        ["yn", "no", "Nee", "لا", "No"],
    ]
    settings = [["form_title", "default_language"], ["Buurtonderzoek", "Nederlands (nl)"]]
    return xlsx(survey, choices, settings)


def labels(nl, ar, en) -> dict[str, str]:
    return {k: v for k, v in (("nl", nl), ("ar", ar), ("en", en)) if v}


def expected_full() -> FormDefinition:
    return FormDefinition(
        title="Buurtonderzoek",
        default_language="nl",
        languages=["nl", "ar", "en"],
        items=[
            Question("intro", "note", labels("Welkom", "أهلا", "Welcome")),
            Question(
                "naam",
                "text",
                labels("Naam", "الاسم", "Name"),
                hints={"nl": "Voornaam", "en": "First name"},
                required=True,
            ),
            Question(
                "age",
                "integer",
                labels("Leeftijd", "العمر", "Age"),
                required=True,
                constraint=". >= 0 and . < 120",
                constraint_messages=labels("Tussen 0 en 120", "بين 0 و 120", "Between 0 and 120"),
            ),
            Question("length", "decimal", labels("Lengte", "الطول", "Length")),
            Question("visit", "date", labels("Datum", "التاريخ", "Date")),
            Group(
                "buurt",
                labels("De buurt", "الحي", "The neighbourhood"),
                relevant="${age} >= 18",
                questions=[
                    Question(
                        "feeling",
                        "select_one",
                        labels("Gevoel", "الشعور", "Feeling"),
                        required=True,
                        choice_list="feelings",
                    ),
                    Question(
                        "facilities",
                        "select_multiple",
                        labels("Voorzieningen", "المرافق", "Facilities"),
                        relevant="${feeling} = 'good'",
                        choice_list="facilities",
                    ),
                    Question(
                        "safety",
                        "scale",
                        labels("Veiligheid", "الأمان", "Safety"),
                        choice_list="likert",
                    ),
                ],
            ),
            Question("place", "location", labels("Plek", "المكان", "Place")),
            Question("photo", "photo", labels("Foto", "صورة", "Photo")),
            Question("story", "long_text", labels("Verhaal", "قصة", "Story")),
            Group(
                "extra",
                labels("Extra", "إضافي", "Extra"),
                questions=[
                    Question(
                        "agree", "yes_no", labels("Eens?", "موافق؟", "Agree?"), choice_list="yn"
                    ),
                    Question(
                        "plain_yes",
                        "select_one",
                        labels("Ja of nee", "نعم أو لا", "Yes or no"),
                        choice_list="yn",
                    ),
                    Question(
                        "mood",
                        "select_one",
                        {"nl": "Stemming"},
                        choice_list="feelings",
                        appearance="minimal",
                    ),
                ],
            ),
        ],
        choice_lists={
            "feelings": [
                Choice("good", labels("Goed", "جيد", "Good")),
                Choice("bad", labels("Slecht", "سيء", "Bad")),
            ],
            "facilities": [
                Choice("park", labels("Park", "حديقة", "Park")),
                Choice("shop", labels("Winkel", "متجر", "Shop")),
            ],
            "likert": [
                Choice("1", labels("Helemaal niet", "أبدا", "Not at all")),
                Choice("2", labels("Niet", "لا", "No")),
                Choice("3", labels("Neutraal", "محايد", "Neutral")),
                Choice("4", labels("Wel", "نعم", "Yes")),
                Choice("5", labels("Helemaal", "تماما", "Completely")),
            ],
            "yn": [
                Choice("yes", labels("Ja", "نعم", "Yes")),
                Choice("no", labels("Nee", "لا", "No")),
            ],
        },
    )


def test_the_complete_form_is_imported_exactly():
    result = read_xlsform(full_workbook())
    assert result.problems == []
    assert result.ok
    assert result.definition == expected_full()
    assert result.definition.problems() == []


def test_a_stream_is_read_like_bytes():
    with tempfile.SpooledTemporaryFile() as upload:
        upload.write(full_workbook())
        upload.seek(0)
        result = read_xlsform(upload)
    assert result.ok
    assert result.definition == expected_full()


def test_round_trip_of_the_complete_form():
    definition = expected_full()
    again = read_xlsform(write_xlsform(definition))
    assert again.problems == []
    assert again.definition == definition


def every_type() -> FormDefinition:
    languages = ["nl", "en", "ar", "tr", "pl", "uk"]
    texts = {
        "nl": "Vraag",
        "en": "Question",
        "ar": "سؤال",
        "tr": "Soru",
        "pl": "Pytanie",
        "uk": "Питання",
    }
    return FormDefinition(
        title="Alles =1+1",
        default_language="en",
        languages=languages,
        items=[
            Question("t", "text", dict(texts), hints={"tr": "İpucu"}, required=True),
            Question("lt", "long_text", {"nl": "=SUM(A1:A3)"}, appearance="minimal"),
            Question(
                "i",
                "integer",
                {"uk": "Скільки?"},
                constraint=". > 0",
                constraint_messages={"uk": "Більше нуля", "pl": "Więcej niż zero"},
            ),
            Question("d", "decimal", {"en": "Length"}, relevant="${i} > 2"),
            Question("s1", "select_one", {"en": "One"}, choice_list="colours"),
            Question("sm", "select_multiple", {"en": "Many"}, choice_list="colours", required=True),
            Group(
                "g",
                {"en": "Page", "ar": "صفحة"},
                relevant="${s1} = 'red'",
                questions=[
                    Question("sc", "scale", {"en": "Scale"}),
                    Question("sc2", "scale", {"en": "Labelled scale"}, choice_list="agree5"),
                    Question("yn", "yes_no", {"en": "Yes?"}),
                    Question("yn2", "yes_no", {"en": "Also yes?"}),
                    Question("yn3", "yes_no", {"nl": "Ja?"}, choice_list="janee"),
                ],
            ),
            Group("g2", {}, questions=[Question("dt", "date", {"pl": "Data"})]),
            Question("ph", "photo", {"en": "Photo"}, hints={"en": "Line one\nline two"}),
            Question("loc", "location", {"en": "Where"}),
            Question("n", "note", {"en": "Thanks"}),
        ],
        choice_lists={
            "colours": [Choice("red", {"en": "Red", "nl": "Rood"}), Choice("blue", {})],
            "agree5": [Choice(str(p), {"en": f"Point {p}"}) for p in range(1, 6)],
            "janee": [Choice("yes", {"nl": "Ja"}), Choice("no", {"nl": "Nee"})],
            "yes_no": [Choice("yes", {"en": "Sure"}), Choice("no", {"en": "Nope"})],
            "unused": [Choice("x", {"en": "X"})],
        },
    )


def test_round_trip_of_every_fieldapp_type():
    definition = every_type()
    assert definition.problems() == []
    result = read_xlsform(write_xlsform(definition))
    assert result.ok, result.problems
    assert result.definition == definition
    # Only the unlabelled choice is mentioned (its name is shown instead).
    assert [(p.code, p.blocking) for p in result.problems] == [("missing_label", False)]


def test_export_writes_plain_xlsform():
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(write_xlsform(every_type())), read_only=True)
    survey = [list(r) for r in workbook["survey"].iter_rows(values_only=True)]
    head = survey[0]
    assert head[:3] == ["type", "name", "label::Nederlands (nl)"]
    assert "label::العربية (ar)" in head
    assert "hint::Türkçe (tr)" in head
    assert "constraint_message::Українська (uk)" in head
    assert head[-1] == "appearance"
    rows = {r[1]: dict(zip(head, r, strict=True)) for r in survey[1:] if r[1]}
    assert rows["lt"]["type"] == "text"
    assert rows["lt"]["appearance"] == "multiline minimal"
    assert rows["lt"]["label::Nederlands (nl)"] == "=SUM(A1:A3)"  # text, not a formula
    assert rows["sc"]["type"] == "select_one sc_scale"
    assert rows["sc"]["appearance"] == "likert"
    assert rows["yn"]["type"] == "select_one yes_no_2"  # yes_no is the file's own list
    assert rows["yn2"]["type"] == "select_one yes_no_2"
    assert rows["loc"]["type"] == "geopoint"
    assert rows["ph"]["type"] == "image"
    assert rows["g"]["type"] == "begin_group"
    assert rows["g"]["appearance"] == "field-list"
    assert rows["sm"]["required"] == "yes"
    choices = [list(r) for r in workbook["choices"].iter_rows(values_only=True)]
    assert ["sc_scale", "1"] == [str(v) for v in choices[-7][:2]]
    settings = [list(r) for r in workbook["settings"].iter_rows(values_only=True)]
    assert settings == [["form_title", "default_language"], ["Alles =1+1", "en"]]
    workbook.close()


def test_round_trip_of_an_empty_definition():
    definition = FormDefinition()
    result = read_xlsform(write_xlsform(definition))
    assert result.definition == definition


# ---------------------------------------------------------------- columns and languages


def test_languages_plain_label_and_short_codes():
    data = xlsx(
        simple(
            ["text", "a", "Vraag", "Question", "Soru"],
            head=("TYPE", "Name", "Label", "label::en", "label::Turkish"),
        ),
    )
    result = read_xlsform(data)
    assert result.problems == []
    assert result.definition.languages == ["nl", "en", "tr"]
    assert result.definition.default_language == "nl"
    assert result.definition.items[0].labels == {"nl": "Vraag", "en": "Question", "tr": "Soru"}


def test_plain_label_follows_the_default_language_setting():
    data = xlsx(
        simple(["text", "a", "Question", "Vraag"], head=("type", "name", "label", "label::nl")),
        settings=[["default_language", "form_id", "version"], ["English (en)", "f1", "2024"]],
    )
    result = read_xlsform(data)
    assert result.ok
    assert result.definition.default_language == "en"
    assert result.definition.items[0].labels == {"en": "Question", "nl": "Vraag"}
    notes = only(result, "unsupported_column")
    assert {(p.sheet, p.row, p.column, p.blocking) for p in notes} == {
        ("settings", 1, "form_id", False),
        ("settings", 1, "version", False),
    }


def test_a_language_fieldapp_does_not_speak_is_skipped_with_a_note():
    data = xlsx(
        simple(
            ["text", "a", "Vraag", "Question"],
            head=("type", "name", "label::Nederlands (nl)", "label::Français (fr)"),
        )
    )
    result = read_xlsform(data)
    assert result.ok
    (problem,) = only(result, "unsupported_language")
    assert (problem.sheet, problem.row, problem.column, problem.blocking) == (
        "survey",
        1,
        "label::Français (fr)",
        False,
    )
    assert result.definition.languages == ["nl"]


def test_only_an_unsupported_language_leaves_questions_without_label():
    result = read_xlsform(
        xlsx(simple(["text", "a", "Question"], head=("type", "name", "label::French (fr)")))
    )
    assert not result.ok
    assert result.definition is None
    assert only(result, "missing_label")[0].row == 2


def test_the_same_language_twice_is_a_duplicate_column():
    result = read_xlsform(
        xlsx(
            simple(
                ["text", "a", "x", "y"], head=("type", "name", "label", "label::Nederlands (nl)")
            )
        )
    )
    problem = only(result, "duplicate_column")[0]
    assert (problem.row, problem.column, problem.blocking) == (1, "label::Nederlands (nl)", True)


def test_unsupported_columns_are_noted_once_and_block_where_filled():
    head = (
        "type",
        "name",
        "label",
        "choice_filter",
        "calculation",
        "default",
        "media::image",
        "guidance_hint",
        "read_only",
        "bind::jr:preload",
        "required_message",
        "whatever",
    )
    data = xlsx(
        simple(
            ["text", "a", "A", None, None, None, "a.png", "Ask slowly", "no", None, "Please", "x"],
            [
                "select_one l",
                "b",
                "B",
                "${a} = 'x'",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            ["integer", "c", "C", None, None, 5, None, None, "yes", None, None, None],
            ["text", "d", "D", None, None, None, None, None, None, "uid", None, None],
            head=head,
        ),
        [["list_name", "name", "label", "media::image"], ["l", "x", "X", "x.png"]],
    )
    result = read_xlsform(data)
    header_notes = [p for p in result.problems if p.row == 1 and p.sheet == "survey"]
    assert sorted(p.column for p in header_notes) == sorted(head[3:])
    assert all(p.code == "unsupported_column" and not p.blocking for p in header_notes)
    blocking = {(p.row, p.column) for p in result.problems if p.blocking}
    assert blocking == {
        (3, "choice_filter"),
        (4, "default"),
        (4, "read_only"),
        (5, "bind::jr:preload"),
    }
    assert "${a} = 'x'" in next(p.detail for p in result.problems if p.row == 3)
    choice_note = [p for p in result.problems if p.sheet == "choices"]
    assert [(p.code, p.row, p.column, p.blocking) for p in choice_note] == [
        ("unsupported_column", 1, "media::image", False)
    ]
    assert result.definition is None


def test_a_filled_choice_filter_blocks():
    data = xlsx(
        simple(
            ["select_one l", "b", "B", "${a} = 1"], head=("type", "name", "label", "choice_filter")
        ),
        [["list_name", "name", "label"], ["l", "x", "X"]],
    )
    result = read_xlsform(data)
    problems = [p for p in result.problems if p.blocking]
    assert [(p.sheet, p.row, p.column, p.code) for p in problems] == [
        ("survey", 2, "choice_filter", "unsupported_column")
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("Yes", True),
        ("TRUE()", True),
        ("true", True),
        (1, True),
        (True, True),
        ("no", False),
        ("FALSE", False),
        (0, False),
        (None, False),
        ("false()", False),
    ],
)
def test_required_values(value, expected):
    result = read_xlsform(
        xlsx(simple(["text", "a", "A", value], head=("type", "name", "label", "required")))
    )
    assert result.ok, result.problems
    assert result.definition.items[0].required is expected


@pytest.mark.parametrize("value", ["maybe", "${a} > 1", "2"])
def test_bad_required(value):
    result = read_xlsform(
        xlsx(simple(["text", "a", "A", value], head=("type", "name", "label", "required")))
    )
    problem = only(result, "bad_required")[0]
    assert (problem.sheet, problem.row, problem.column, problem.blocking) == (
        "survey",
        2,
        "required",
        True,
    )


def test_sheet_names_in_any_case_and_other_sheets_noted():
    data = xlsx(None, None, None, SURVEY=simple(["text", "a", "A"]), Notes=[["my notes"]])
    result = read_xlsform(data)
    assert result.ok
    assert result.definition.items == [Question("a", "text", {"nl": "A"})]
    (problem,) = result.problems
    assert (problem.code, problem.sheet, problem.blocking) == ("unsupported_sheet", "Notes", False)


def test_metadata_is_ignored_with_a_note():
    result = read_xlsform(
        xlsx(simple(["start", "start"], ["deviceid", "device"], ["text", "a", "A"]))
    )
    assert result.ok
    assert [(p.code, p.row, p.blocking) for p in result.problems] == [
        ("ignored_metadata", 2, False),
        ("ignored_metadata", 3, False),
    ]
    assert [q.name for q in result.definition.questions()] == ["a"]


def test_a_row_without_type_is_reported():
    result = read_xlsform(xlsx(simple(["text", "a", "A"], [None, "b", "B"])))
    assert [(p.code, p.row) for p in result.problems] == [("missing_type", 3)]


def test_aliases_for_types():
    data = xlsx(
        simple(
            ["select one l", "a", "A"],
            ["select all that apply l", "b", "B"],
            ["int", "c", "C"],
            ["begin group", "g", "G"],
            ["gps", "d", "D"],
            ["end group"],
        ),
        [["list name", "value", "label"], ["l", "x", "X"]],
    )
    result = read_xlsform(data)
    assert result.ok, result.problems
    assert [q.type for q in result.definition.questions()] == [
        "select_one",
        "select_multiple",
        "integer",
        "location",
    ]


def test_unlabelled_scale_and_yes_no_lists_are_the_built_in_ones():
    data = xlsx(
        simple(
            ["select_one five", "s", "S", "likert"],
            ["select_one yesno", "y", "Y", "yes-no"],
            ["select_one rev", "r", "R", "likert"],
            head=("type", "name", "label", "appearance"),
        ),
        [
            ["list_name", "name", "label"],
            *[["five", p, None] for p in range(1, 6)],
            ["yesno", "yes"],
            ["yesno", "no"],
            *[["rev", p, None] for p in range(5, 0, -1)],
        ],
    )
    result = read_xlsform(data)
    assert result.ok
    s, y, r = result.definition.questions()
    assert (s.type, s.choice_list, y.type, y.choice_list) == ("scale", None, "yes_no", None)
    assert (r.type, r.choice_list, r.appearance) == ("select_one", "rev", "likert")
    assert list(result.definition.choice_lists) == ["rev"]
    assert {p.row for p in result.problems if p.code == "missing_label"} == {9, 10, 11, 12, 13}


def test_language_code():
    assert language_code("Nederlands (nl)") == "nl"
    assert language_code("العربية (ar)") == "ar"
    assert language_code("Українська(uk)") == "uk"
    assert language_code("polish") == "pl"
    assert language_code("Français (fr)") is None


# ---------------------------------------------------------------- malformed forms


def test_missing_survey_sheet():
    result = read_xlsform(xlsx(None, [["list_name", "name", "label"]], Sheet1=[["a"]]))
    assert not result.ok
    assert result.definition is None
    problem = only(result, "missing_sheet")[0]
    assert (problem.sheet, problem.row, problem.blocking) == ("survey", None, True)


def test_missing_columns():
    result = read_xlsform(xlsx([["type", "label"], ["text", "A"]]))
    problem = only(result, "missing_column")[0]
    assert (problem.sheet, problem.row, problem.column) == ("survey", 1, "name")


def test_missing_choices_sheet():
    result = read_xlsform(xlsx(simple(["text", "a", "A"], ["select_one colours", "c", "C"])))
    assert not result.ok
    problem = only(result, "missing_sheet")[0]
    assert problem.sheet == "choices"
    assert "row 3" in problem.detail
    assert "colours" in problem.detail


def test_duplicate_names_report_both_rows():
    data = xlsx(simple(["text", "a", "A"], ["text", "b", "B"], ["integer", "a", "A again"]))
    result = read_xlsform(data)
    problems = only(result, "duplicate_name")
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("survey", 2, "name"),
        ("survey", 4, "name"),
    ]
    assert "row 4" in problems[0].detail
    assert "row 2" in problems[1].detail


def test_duplicate_choice_names_and_empty_lists():
    data = xlsx(
        simple(["select_one l", "a", "A"], ["select_one e", "b", "B"]),
        [
            ["list_name", "name", "label"],
            ["l", "x", "X"],
            ["l", "y", "Y"],
            ["l", "x", "X2"],
            ["e", None, "nothing"],
        ],
    )
    result = read_xlsform(data)
    assert [(p.sheet, p.row) for p in only(result, "duplicate_name")] == [
        ("choices", 2),
        ("choices", 4),
    ]
    assert [(p.sheet, p.row) for p in only(result, "empty_list")] == [("choices", 5)]
    assert [(p.sheet, p.row, p.column) for p in only(result, "bad_name")] == [
        ("choices", 5, "name")
    ]


def test_unknown_list():
    data = xlsx(
        simple(["select_one nope", "a", "A"]), [["list_name", "name", "label"], ["l", "x", "X"]]
    )
    result = read_xlsform(data)
    (problem,) = result.problems
    assert (problem.code, problem.sheet, problem.row, problem.column) == (
        "unknown_list",
        "survey",
        2,
        "type",
    )
    assert "nope" in problem.detail


def test_broken_expression():
    data = xlsx(
        simple(
            ["integer", "age", "Age", None],
            ["text", "b", "B", "${age >= 18"],
            head=("type", "name", "label", "relevant"),
        )
    )
    result = read_xlsform(data)
    (problem,) = result.problems
    assert (problem.code, problem.sheet, problem.row, problem.column, problem.blocking) == (
        "bad_expression",
        "survey",
        3,
        "relevant",
        True,
    )
    assert "${age >= 18" in problem.detail


def test_reference_to_a_question_that_does_not_exist():
    data = xlsx(
        simple(
            ["integer", "age", "Age", None],
            ["text", "b", "B", ". > ${agee}"],
            head=("type", "name", "label", "constraint"),
        )
    )
    result = read_xlsform(data)
    (problem,) = result.problems
    assert (problem.code, problem.row, problem.column) == ("bad_expression", 3, "constraint")
    assert "agee" in problem.detail


def test_unclosed_group():
    result = read_xlsform(
        xlsx(simple(["text", "a", "A"], ["begin_group", "g", "G"], ["text", "b", "B"]))
    )
    assert [(p.code, p.row) for p in result.problems] == [("unclosed_group", 3)]


def test_stray_end_group():
    result = read_xlsform(xlsx(simple(["text", "a", "A"], ["end_group"])))
    assert [(p.code, p.row) for p in result.problems] == [("unexpected_end_group", 3)]


def test_nested_group():
    data = xlsx(
        simple(
            ["begin_group", "outer", "O"],
            ["begin_group", "inner", "I"],
            ["text", "a", "A"],
            ["end_group"],
            ["end_group"],
        )
    )
    result = read_xlsform(data)
    assert [(p.code, p.row) for p in result.problems] == [("nested_group", 3)]


def test_empty_group():
    result = read_xlsform(xlsx(simple(["begin_group", "g", "G"], ["end_group"])))
    assert [(p.code, p.row) for p in result.problems] == [("empty_group", 2)]


def test_a_repeat_is_reported_row_by_row():
    data = xlsx(
        simple(
            ["text", "a", "A"],
            ["begin_repeat", "kids", "Kids"],
            ["text", "kid", "Name"],
            ["integer", "kid_age", "Age"],
            ["end_repeat"],
            ["text", "z", "Z"],
        )
    )
    result = read_xlsform(data)
    problems = only(result, "unsupported_type")
    assert [(p.sheet, p.row, p.column, p.blocking) for p in problems] == [
        ("survey", row, "type", True) for row in (3, 4, 5, 6)
    ]
    assert codes(result) == ["unsupported_type"] * 4


@pytest.mark.parametrize(
    "type_",
    [
        "calculate",
        "select_one_from_file x.csv",
        "rank l",
        "range",
        "audio",
        "video",
        "file",
        "barcode",
        "geotrace",
        "geoshape",
        "time",
        "dateTime",
        "acknowledge",
        "hidden",
        "xml-external",
        "trigger",
        "select_one l or_other",
        "wibble",
        "text extra",
    ],
)
def test_unsupported_types(type_):
    data = xlsx(
        simple(["text", "a", "A"], [type_, "b", "B"]),
        [["list_name", "name", "label"], ["l", "x", "X"]],
    )
    result = read_xlsform(data)
    (problem,) = result.problems
    assert (problem.code, problem.sheet, problem.row, problem.column, problem.blocking) == (
        "unsupported_type",
        "survey",
        3,
        "type",
        True,
    )
    assert type_ in problem.detail


def test_calculate_with_its_calculation():
    data = xlsx(
        simple(
            ["integer", "a", "A", None],
            ["calculate", "b", None, "${a} * 2"],
            head=("type", "name", "label", "calculation"),
        )
    )
    result = read_xlsform(data)
    assert [(p.code, p.row, p.blocking) for p in result.problems] == [
        ("unsupported_column", 1, False),
        ("unsupported_type", 3, True),
    ]


def test_bad_names_and_missing_labels():
    data = xlsx(
        simple(
            ["text", "1st", "A"],
            ["text", None, "B"],
            ["note", "n", None],
            ["text", "has space", "C"],
        )
    )
    result = read_xlsform(data)
    assert [(p.code, p.row) for p in result.problems] == [
        ("bad_name", 2),
        ("bad_name", 3),
        ("missing_label", 4),
        ("bad_name", 5),
    ]


def test_appearances_that_change_what_is_collected_block():
    data = xlsx(
        simple(
            ["image", "sig", "Sign", "signature"],
            ["date", "d", "D", "month-year"],
            ["select_one l", "s", "S", "search('shops')"],
            ["select_one l", "m", "M", "minimal"],
            head=("type", "name", "label", "appearance"),
        ),
        [["list_name", "name", "label"], ["l", "x", "X"]],
    )
    result = read_xlsform(data)
    assert [(p.code, p.row, p.column) for p in result.problems] == [
        ("unsupported_appearance", row, "appearance") for row in (2, 3, 4)
    ]


def test_group_extras():
    data = xlsx(
        simple(
            ["begin_group", "g", "G", "Hint", "table-list", "yes"],
            ["text", "a", "A", None, None, None],
            ["end_group"],
            head=("type", "name", "label", "hint", "appearance", "required"),
        )
    )
    result = read_xlsform(data)
    assert [(p.code, p.row, p.column, p.blocking) for p in result.problems] == [
        ("ignored_value", 2, "hint", False),
        ("unsupported_column", 2, "required", True),
        ("ignored_value", 2, "appearance", False),
    ]


# ---------------------------------------------------------------- files that are not forms


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        random.Random(1).randbytes(3000),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        b"type,name,label\ntext,a,A\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        b"PK\x03\x04",
    ],
    ids=["empty", "random", "pdf", "csv", "xls", "zip-header"],
)
def test_not_an_xlsx(data):
    result = read_xlsform(data)
    assert result.definition is None
    assert not result.ok
    (problem,) = result.problems
    assert (problem.code, problem.sheet, problem.row, problem.blocking) == (
        "not_xlsx",
        "",
        None,
        True,
    )


def test_broken_xlsx_never_raises():
    good = xlsx(simple(["text", "a", "A"]))
    members = _members(good)
    variants = {
        "truncated": good[: len(good) // 2],
        "truncated-end": good[:-30],
        "no workbook": _zip({k: v for k, v in members.items() if k != "xl/workbook.xml"}),
        "garbage sheet": _zip({**members, "xl/worksheets/sheet1.xml": b"<not xml"}),
        "garbage workbook": _zip({**members, "xl/workbook.xml": b"\x00\x01"}),
        "plain zip": _zip({"hello.txt": b"hello"}),
        "ods": _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        "entities": _zip(
            {
                **members,
                "xl/worksheets/sheet1.xml": (
                    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>'
                ),
            }
        ),
    }
    for name, data in variants.items():
        result = read_xlsform(data)
        assert result.definition is None, name
        assert codes(result) == ["not_xlsx"], (name, result.problems)

    result = read_xlsform(variants["entities"])
    assert "unsafe XML" in result.problems[0].detail

    # openpyxl skips a sheet whose part is missing: then the survey sheet is missing.
    gone = _zip({k: v for k, v in members.items() if k != "xl/worksheets/sheet1.xml"})
    result = read_xlsform(gone)
    assert (result.definition, codes(result)) == (None, ["missing_sheet"])


def test_too_large_before_parsing():
    data = full_workbook()
    result = read_xlsform(data, max_bytes=len(data) - 1)
    assert [(p.code, p.sheet, p.blocking) for p in result.problems] == [("too_large", "", True)]
    assert read_xlsform(io.BytesIO(data), max_bytes=len(data) - 1).problems[0].code == "too_large"
    assert read_xlsform(data, max_bytes=len(data)).ok


def test_zip_bomb():
    members = _members(xlsx(simple(["text", "a", "A"])))
    sheet = members["xl/worksheets/sheet1.xml"]
    head, _, tail = sheet.partition(b"</sheetData>")
    padding = b'<row r="9"><c r="A9" t="inlineStr"><is><t>x</t></is></c></row>' * 10
    bomb = _zip(
        {
            **members,
            "xl/worksheets/sheet1.xml": head + padding + b"</sheetData>" + tail,
            "xl/media/filler.bin": bytes(60 * 1024 * 1024),
        }
    )
    assert len(bomb) < 5 * 1024 * 1024
    result = read_xlsform(bomb)
    assert codes(result) == ["too_large"]
    small = _zip({**members, "xl/worksheets/sheet1.xml": sheet + b" " * 100_000})
    assert codes(read_xlsform(small, max_uncompressed=50_000)) == ["too_large"]
    assert read_xlsform(small).ok


def test_too_many_rows():
    rows = [["text", f"q{n}", f"Q{n}"] for n in range(30)]
    result = read_xlsform(xlsx(simple(*rows)), max_rows=20)
    assert not result.ok
    assert result.definition is None
    (problem,) = result.problems
    assert (problem.code, problem.sheet, problem.row) == ("too_many_rows", "survey", 22)
    assert read_xlsform(xlsx(simple(*rows)), max_rows=30).ok


def test_blank_rows_do_not_count_and_far_rows_are_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    sheet.append(["text", "a", "A"])
    sheet["A5000"] = "text"
    sheet["B5000"] = "b"
    sheet["C5000"] = "B"
    out = io.BytesIO()
    workbook.save(out)
    result = read_xlsform(out.getvalue(), max_rows=5)
    assert result.ok
    assert [q.name for q in result.definition.questions()] == ["a", "b"]


def test_openpyxl_warnings_become_notes_and_never_escape():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "hint"])
    sheet.append(["text", "a", "A", 1])
    sheet["D2"].number_format = "yyyy-mm-dd"  # a date cell ...
    out = io.BytesIO()
    workbook.save(out)
    members = _members(out.getvalue())
    xml = members["xl/worksheets/sheet1.xml"]
    assert b"<v>1</v>" in xml
    members["xl/worksheets/sheet1.xml"] = xml.replace(b"<v>1</v>", b"<v>99999999999</v>")
    result = read_xlsform(_zip(members))  # ... whose serial is no date: openpyxl warns
    (problem,) = result.problems
    assert (problem.code, problem.sheet, problem.blocking) == ("spreadsheet_warning", "", False)
    assert "D2" in problem.detail

    # A workbook without styles makes openpyxl warn too; that one is harmless and not shown.
    members = _members(xlsx(simple(["text", "a", "A"])))
    del members["xl/styles.xml"]
    result = read_xlsform(_zip(members))
    assert result.ok
    assert result.problems == []


# ---------------------------------------------------------------- any definition round-trips

_LANGUAGES = ["nl", "en", "ar", "tr", "pl", "uk"]
_TEXT = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
_APPEARANCE = st.sampled_from([None, "minimal", "horizontal-compact", "quick", "w2 minimal"])


@st.composite
def definitions(draw) -> FormDefinition:
    languages = draw(st.lists(st.sampled_from(_LANGUAGES), min_size=1, max_size=6, unique=True))
    texts = st.dictionaries(st.sampled_from(languages), _TEXT, max_size=3)
    labelled = st.dictionaries(st.sampled_from(languages), _TEXT, min_size=1, max_size=3)
    names = iter(
        draw(
            st.lists(
                st.from_regex(r"[a-z_][a-z0-9_.-]{0,8}", fullmatch=True),
                min_size=30,
                max_size=30,
                unique=True,
            )
        )
    )
    lists: dict[str, list[Choice]] = {}
    for index in range(draw(st.integers(0, 3))):
        values = draw(
            st.lists(
                st.from_regex(r"[A-Za-z0-9_]{1,6}", fullmatch=True),
                min_size=1,
                max_size=4,
                unique=True,
            )
        )
        lists[f"list{index}"] = [Choice(v, draw(labelled)) for v in values]
    lists["five"] = [Choice(str(p), draw(labelled)) for p in range(1, 6)]
    lists["yn"] = [Choice(v, draw(labelled)) for v in ("yes", "no")]
    previous: list[str] = []

    def question() -> Question:
        kind = draw(st.sampled_from(QUESTION_TYPES))
        choice_list = None
        appearance = draw(_APPEARANCE)
        if kind in ("select_one", "select_multiple"):
            choice_list = draw(
                st.sampled_from([n for n in lists if n.startswith("list")] or ["five"])
            )
            if choice_list in ("five", "yn"):
                appearance = None
        elif kind in ("scale", "yes_no"):
            choice_list = draw(st.sampled_from([None, "five" if kind == "scale" else "yn"]))
        q = Question(
            name=next(names),
            type=kind,
            labels=draw(labelled),
            hints=draw(texts),
            required=draw(st.booleans()),
            relevant=f"${{{previous[-1]}}} != ''" if previous and draw(st.booleans()) else None,
            constraint=draw(st.sampled_from([None, ". != ''", "string-length(.) < 5"])),
            constraint_messages=draw(texts),
            choice_list=choice_list,
            appearance=appearance,
        )
        previous.append(q.name)
        return q

    items: list[Question | Group] = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            items.append(question())
        else:
            group = Group(next(names), draw(texts), relevant=None)
            group.questions = [question() for _ in range(draw(st.integers(1, 3)))]
            items.append(group)
    return FormDefinition(
        title=draw(st.one_of(st.just(""), _TEXT)),
        default_language=draw(st.sampled_from(languages)),
        languages=languages,
        items=items,
        choice_lists=lists,
    )


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(definitions())
def test_any_definition_round_trips(definition):
    assert definition.problems() == []
    result = read_xlsform(write_xlsform(definition))
    assert result.ok, result.problems
    assert result.definition == definition


def test_too_many_columns_and_rows_beyond_excel():
    head = ["type", "name", "label", *(f"extra{n}" for n in range(300))]
    result = read_xlsform(xlsx([head, ["text", "a", "A"]]))
    assert [(p.code, p.row) for p in result.problems] == [("too_many_columns", 1)]

    members = _members(xlsx(simple(["text", "a", "A"])))
    sheet = members["xl/worksheets/sheet1.xml"]
    start, _, end = sheet.partition(b"</sheetData>")
    far = b'<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>text</t></is></c></row>'
    members["xl/worksheets/sheet1.xml"] = start + far + b"</sheetData>" + end
    result = read_xlsform(_zip(members))
    assert codes(result) == ["too_many_rows"]
