"""The skip-logic and constraint language: parsing, evaluation, limits and safety."""

from __future__ import annotations

import ast
import builtins
import dataclasses
import datetime as dt
import pickle
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fieldapp.instruments import expressions
from fieldapp.instruments.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    Expression,
    ExpressionError,
    evaluate_bool,
    parse,
)

D = Decimal
TODAY = dt.date(2026, 3, 15)

# Shared by the property-based tests: no deadline and no "too slow" health check, so a
# busy CI machine cannot make them flaky; no example database, so nothing is written
# into the work tree; a failure prints the blob that reproduces it.
NOISY_MACHINE = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
    print_blob=True,
)


# ---------------------------------------------------------------------------
# Evaluation: a table of expressions, answers and results
# ---------------------------------------------------------------------------

CASES = [
    # precedence and associativity
    ("1 + 2 * 3 = 7", {}, None, True),
    ("(1 + 2) * 3", {}, None, D(9)),
    ("not(1 = 1) or 2 > 1", {}, None, True),
    ("1 or 0 and 0", {}, None, True),
    ("(1 or 0) and 0", {}, None, False),
    ("10 - 4 - 3", {}, None, D(3)),
    ("12 div 2 div 3", {}, None, D(2)),
    ("2 + 3 mod 2", {}, None, D(3)),
    ("1 < 2 = 2 > 1", {}, None, True),
    ("2 * -3", {}, None, D(-6)),
    ("- -2", {}, None, D(2)),
    ("-(${a})", {"a": "4"}, None, D(-4)),
    ("-${a} * 2", {"a": "4"}, None, D(-8)),
    # arithmetic and comparison operators
    ("7 mod 3", {}, None, D(1)),
    ("-7 mod 3", {}, None, D(-1)),
    ("1 div 4", {}, None, D("0.25")),
    ("1 div 0", {}, None, None),
    ("5 mod 0", {}, None, None),
    ("0.1 + 0.2 = 0.3", {}, None, True),
    (".5 + .5", {}, None, D(1)),
    ("1.50 = 1.5", {}, None, True),
    ("1 != 2", {}, None, True),
    ("'a' != 'a'", {}, None, False),
    ("3 >= 3 and 3 <= 3 and 2 < 3 and 3 > 2", {}, None, True),
    ("'abc' < 'abd'", {}, None, False),
    # answers arrive as text: numeric text compares as a number
    ("${age} >= 18", {"age": "18"}, None, True),
    ("${age} >= 18", {"age": "17"}, None, False),
    ("${age} >= 18", {"age": 18}, None, True),
    ("${age} >= 18", {"age": 18.5}, None, True),
    ("${age} >= 18", {"age": D("17.99")}, None, False),
    ("${age} >= 18", {"age": "abc"}, None, False),
    ("${age} = 18", {"age": " 18.0 "}, None, True),
    ("${age} >= 18 and ${tenure} = 'rent'", {"age": "34", "tenure": "rent"}, None, True),
    ("${age} >= 18 and ${tenure} = 'rent'", {"age": "34", "tenure": "own"}, None, False),
    ("${a} = ${b}", {"a": "01", "b": "1"}, None, False),
    ("${a} = ${b}", {"a": "x", "b": "x"}, None, True),
    ("${a} = '1,5'", {"a": "1,5"}, None, True),
    # empty answers
    ("${age} >= 18", {}, None, False),
    ("${age} < 18", {"age": None}, None, False),
    ("${a} = ''", {"a": None}, None, True),
    ("${a} = ''", {"a": ""}, None, True),
    ("${a} = ''", {"a": "x"}, None, False),
    ("${a} = 0", {}, None, False),
    ("${a} != 0", {}, None, True),
    ("${a} + 1", {}, None, None),
    ("${a} * 2", {"a": "twee"}, None, None),
    ("${a}", {"a": []}, None, None),
    # booleans and truthiness
    ("true() = 1", {}, None, True),
    ("true() and not(false())", {}, None, True),
    ("${flag} = true()", {"flag": True}, None, True),
    ("not(${flag})", {"flag": False}, None, True),
    ("not('')", {}, None, True),
    ("not('false')", {}, None, False),
    ("not(0)", {}, None, True),
    ("not(${consent} = 'no')", {"consent": "yes"}, None, True),
    ("not(${consent} = 'no')", {"consent": "no"}, None, False),
    # multiple choice: a list or XLSForm's space-separated text
    ("selected(${languages}, 'ar')", {"languages": ["nl", "ar"]}, None, True),
    ("selected(${languages}, 'ar')", {"languages": ("ar",)}, None, True),
    ("selected(${languages}, 'ar')", {"languages": "nl ar"}, None, True),
    ("selected(${languages}, 'ar')", {"languages": "nl arabic"}, None, False),
    ("selected(${languages}, 'ar')", {"languages": []}, None, False),
    ("selected(${languages}, 'ar')", {}, None, False),
    ("selected(${codes}, 2)", {"codes": ["1", "2"]}, None, True),
    ("${languages} = 'ar'", {"languages": ["ar"]}, None, True),
    ("count-selected(${problems}) < 4", {"problems": ["a", "b", "c", "d"]}, None, False),
    ("count-selected(${problems}) < 4", {"problems": "noise  litter\tparking"}, None, True),
    ("count-selected(${problems})", {"problems": ["a", " ", "", "b"]}, None, D(2)),
    ("count-selected(${problems})", {}, None, D(0)),
    # the current answer in constraints
    (". >= 0 and . <= 120", {}, "42", True),
    (". >= 0 and . <= 120", {}, "150", False),
    (". >= 0 and . <= 120", {}, -1, False),
    (". >= 0 and . <= 120", {}, None, False),
    ("string-length(.) <= 5", {}, "hallo", True),
    ("string-length(.) <= 5", {}, "hallo!", False),
    ("string-length(${name})", {"name": "Zoë"}, None, D(3)),
    ("regex(., '^[0-9]{4} ?[A-Z]{2}$')", {}, "3511 AB", True),
    ("regex(., '^[0-9]{4} ?[A-Z]{2}$')", {}, "3511ab", False),
    ('regex(., "^(\\+31|0)[0-9]{9}$")', {}, "0612345678", True),
    ("regex(., '\\d')", {}, "\u0663", False),  # ARABIC-INDIC DIGIT THREE: \d is ASCII
    ("regex(., 'straat')", {}, "Kerkstraat 1", True),
    # dates
    ("${visit} <= today()", {"visit": "2026-03-15"}, None, True),
    ("${visit} <= today()", {"visit": "2026-03-16"}, None, False),
    ("${visit} <= today()", {"visit": dt.date(2026, 1, 1)}, None, True),
    ("${visit} >= today() - 30", {"visit": "2026-02-20"}, None, True),
    ("${visit} = today()", {"visit": dt.datetime(2026, 3, 15, 10, 30)}, None, True),
    ("${visit} = '2026-03-15'", {"visit": dt.date(2026, 3, 15)}, None, True),
    ("${visit} < '2026-02-01'", {"visit": "2026-01-31"}, None, True),
    ("${visit} > today()", {"visit": "2026-02-30"}, None, False),
    ("${visit} > today()", {"visit": "soon"}, None, False),
    ("today() - ${visit}", {"visit": "2026-03-01"}, None, D(14)),
    ("int((today() - ${dob}) div 365.25) >= 18", {"dob": "2008-03-15"}, None, False),
    ("int((today() - ${dob}) div 365.25)", {"dob": "2000-03-14"}, None, D(26)),
    ("int((today() - ${dob}) div 365.25)", {"dob": "2000-03-16"}, None, D(25)),
    ("number(today())", {}, None, D(20527)),
    ("string(today())", {}, None, "2026-03-15"),
    ("today()", {}, None, TODAY),
    # functions
    ("if(${a} = 'x', 'yes', 'no')", {"a": "x"}, None, "yes"),
    ("if(${a} = 'x', 'yes', 'no')", {}, None, "no"),
    ("coalesce(${a}, 'default')", {}, None, "default"),
    ("coalesce(${a}, 'default')", {"a": "given"}, None, "given"),
    ("int('7.9')", {}, None, D(7)),
    ("int(-3.7)", {}, None, D(-3)),
    ("int(${a})", {}, None, None),
    ("number('  3.5 ')", {}, None, D("3.5")),
    ("number('1,5')", {}, None, None),
    ("number(true())", {}, None, D(1)),
    ("string(2.50)", {}, None, "2.5"),
    ("string(100)", {}, None, "100"),
    ("string(1 div 8)", {}, None, "0.125"),
    ("string(1 = 1)", {}, None, "true"),
    ("string(${a})", {}, None, ""),
    ("concat(${first}, ' ', ${last})", {"first": "Fatma", "last": "Yılmaz"}, None, "Fatma Yılmaz"),
    ("concat('a')", {}, None, "a"),
    ("concat('n=', 3, ', ', true())", {}, None, "n=3, true"),
    ("contains(${street}, 'straat')", {"street": "Kerkstraat 1"}, None, True),
    ("contains(${street}, 'weg')", {"street": "Kerkstraat 1"}, None, False),
    ("starts-with(${postcode}, '35')", {"postcode": "3511 AB"}, None, True),
    ("starts-with(${postcode}, '35')", {}, None, False),
    ("round(2.345, 2)", {}, None, D("2.35")),
    ("round(2.5, 0)", {}, None, D(3)),
    ("round(-2.5, 0)", {}, None, D(-3)),
    ("round(1234, -2)", {}, None, D(1200)),
    ("round(1.5, 5)", {}, None, D("1.5")),
    ("round(${a}, 1)", {}, None, None),
    ("min(3, ${a}, 1)", {"a": "2"}, None, D(1)),
    ("max(3, '7', 1)", {}, None, D(7)),
    ("max(2)", {}, None, D(2)),
    ("min(1, ${missing})", {}, None, None),
]


@pytest.mark.parametrize(
    ("text", "values", "current", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_evaluates(text, values, current, expected):
    result = parse(text).evaluate(values, current, today=TODAY)
    assert type(result) is type(expected)
    assert result == expected


def test_the_table_covers_every_operator_and_function():
    used = " ".join(case[0] for case in CASES)
    for operator in (" or ", " and ", " = ", "!=", " < ", "<=", " > ", ">=", "+", " - ", "*"):
        assert operator in used
    for keyword in (" div ", " mod "):
        assert keyword in used
    for name in expressions._FUNCTIONS:
        assert f"{name}(" in used
    assert len(CASES) >= 40


def test_today_defaults_to_the_local_date():
    before = dt.date.today()
    result = parse("today()").evaluate({})
    assert result in (before, dt.date.today())


def test_evaluate_bool_uses_xlsform_truthiness():
    assert evaluate_bool(parse("${a}"), {"a": "0"}) is True  # non-empty text, as in XPath
    assert evaluate_bool(parse("${a}"), {"a": 0}) is False
    assert evaluate_bool(parse("${a} + 1"), {}) is False
    assert evaluate_bool("${a} = 'x'", {"a": "x"}) is True
    assert evaluate_bool(". > 5", {}, "6") is True
    assert evaluate_bool("today() = '2026-03-15'", {}, today=TODAY) is True


def test_long_flat_chains_are_not_deep():
    text = " or ".join(f"${{a}} = {n}" for n in range(70))
    assert len(text) <= MAX_LENGTH
    assert parse(text).evaluate({"a": "69"}) is True
    assert parse(" + ".join(["1"] * 250)).evaluate({}) == 250


class RecordingAnswers(dict):
    """Answers that remember which names were looked up."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.asked: list[str] = []

    def get(self, key, default=None):
        self.asked.append(key)
        return super().get(key, default)


@pytest.mark.parametrize(
    "text",
    [
        "if(1 = 1, 'a', ${b})",
        "if(1 = 2, ${b}, 'a')",
        "coalesce('a', ${b})",
        "1 = 1 or ${b} = 1",
        "1 = 2 and ${b} = 1",
    ],
)
def test_only_what_decides_the_result_is_evaluated(text):
    answers = RecordingAnswers(b="x")
    parse(text).evaluate(answers)
    assert answers.asked == []


def test_huge_and_odd_numbers_become_empty_instead_of_raising():
    big = "9" * 200  # rounded to 28 significant digits: 1E+200
    assert parse(f"{big} * {big} * {big} * {big}").evaluate({}) == D("1E+800")
    assert parse("${a} * ${a}").evaluate({"a": 10**6000}) is None  # beyond 1e9999
    assert parse("${a} + 1").evaluate({"a": float("nan")}) is None
    assert parse("${a} + 1").evaluate({"a": float("inf")}) is None
    assert parse("${a} + 1").evaluate({"a": D("sNaN")}) is None
    assert parse("${a} = 0").evaluate({"a": -0.0}) is True
    assert parse("string(-0)").evaluate({}) == "0"


# ---------------------------------------------------------------------------
# Parse errors
# ---------------------------------------------------------------------------

ERRORS = [
    ("${age >= 18", "syntax", 5),
    ("${age} >=", "syntax", 9),
    ("foo(1)", "unknown_function", 0),
    ("selected(${a})", "arity", 0),
    ("1 +* 2", "syntax", 3),
    ("'unterminated", "syntax", 0),
    ("${}", "syntax", 0),
    ("__import__('os')", "unknown_function", 0),
    ("${a}.__class__", "syntax", 4),
    ("[1,2]", "syntax", 0),
    ("1 + 2" + " + 2" * 249, "too_long", MAX_LENGTH),
    ("(" * 60 + "1" + ")" * 60, "too_deep", MAX_DEPTH),
    ("", "syntax", 0),
    ("   ", "syntax", 0),
    ("1 2", "syntax", 2),
    ("(1 + 2", "syntax", 6),
    ("1 + 2)", "syntax", 5),
    ("age >= 18", "syntax", 0),
    ("$age", "syntax", 0),
    ("${1st}", "syntax", 2),
    ("${a b}", "syntax", 3),
    ("1 AND 2", "syntax", 2),
    ("1 & 2", "syntax", 2),
    ("..", "syntax", 1),
    ("and", "syntax", 0),
    ("selected(${a}, 'x'", "syntax", 18),
    ("concat()", "arity", 0),
    ("today(1)", "arity", 0),
    ("if(1, 2)", "arity", 0),
    ("count-selected(${a}, ${b})", "arity", 0),
    ("jr:choice-name(${a}, 'x')", "unknown_function", 0),
    ("ends-with(${a}, 'x')", "unknown_function", 0),
    ("Not(1)", "unknown_function", 0),
    ("eval('1')", "unknown_function", 0),
    ("regex(., ${pattern})", "syntax", 9),
    ("regex(., '(a+)+')", "syntax", 9),
    ("- " * 51 + "1", "too_deep", 100),
    ("not(" * 51 + "1" + ")" * 51, "too_deep", 200),
]


@pytest.mark.parametrize(("text", "code", "position"), ERRORS, ids=[e[0][:40] for e in ERRORS])
def test_refuses(text, code, position):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.code == code
    assert caught.value.position == position
    assert caught.value.message
    assert isinstance(caught.value, ValueError)


def test_the_length_limit_is_inclusive():
    text = ("1" + " + 1" * 249).ljust(MAX_LENGTH)
    assert len(text) == MAX_LENGTH
    assert parse(text).evaluate({}) == 250
    with pytest.raises(ExpressionError, match="longer"):
        parse(text + " ")


def test_fifty_levels_of_nesting_are_allowed_and_fifty_one_are_not():
    assert parse("(" * 50 + "1" + ")" * 50).evaluate({}) == 1
    assert parse("not(" * 50 + "1" + ")" * 50).evaluate({}) is True
    with pytest.raises(ExpressionError) as caught:
        parse("(" * 51 + "1" + ")" * 51)
    assert caught.value.code == "too_deep"


def test_operators_nested_to_the_left_count_as_levels_too():
    # Each parenthesis adds six levels of operators: the parser's own count stays
    # low, the tree does not.
    level = "1 * 1 + 1 < 1 = 1 and 1 or 1"
    text = level
    for _ in range(9):
        text = f"({text}) * 1 + 1 < 1 = 1 and 1 or 1"
    assert len(text) <= MAX_LENGTH
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.code == "too_deep"
    parse(f"({level}) * 1 + 1 < 1 = 1 and 1 or 1")


def test_known_names_rejects_references_to_questions_that_do_not_exist():
    assert parse("${age} >= 18", known_names={"age"}).references() == {"age"}
    with pytest.raises(ExpressionError) as caught:
        parse("${age} >= 18 and ${nope} = 1", known_names={"age"})
    assert caught.value.code == "unknown_name"
    assert caught.value.position == 17
    assert "nope" in caught.value.message
    # A syntax error is reported before an unknown name.
    with pytest.raises(ExpressionError) as caught:
        parse("${nope} +", known_names=set())
    assert caught.value.code == "syntax"


def test_expression_error_reads_well_and_pickles():
    error = ExpressionError("syntax", "expected a value", 3)
    assert str(error) == "expected a value (at position 3)"
    assert str(ExpressionError("too_long", "too long")) == "too long"
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (copy.code, copy.message, copy.position) == ("syntax", "expected a value", 3)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[0-9]{4} ?[A-Z]{2}$",
        r"^(\+31|0)[0-9]{9}$",
        r"^(06)?[0-9]{8}$",
        r"^[a-z.]+@[a-z]+\.nl$",
        r"^(?:ab){2,3}$",
        r"^[^\]]+$",
        r"^[a-z]+?x$",
        "{}",
        "a{,}b",
    ],
)
def test_safe_patterns_are_accepted(pattern):
    parse(f"regex(., '{pattern}')")


@pytest.mark.parametrize(
    "pattern",
    [
        "(a+)+",
        "(a*)*",
        "(a+){2}",
        "((ab)*c)+",
        "(?:x+y?)*",
        "(a|aa)+",
        "(a|b){1,}",
        r"(a)\1",
        "(?P<x>a)(?P=x)",
        "(a)?(?(1)b|c)",
        "x" * 201,
        "[[a]]",
        "[a--b]",
        "[a&&b]",
        "(",
        "*a",
        "(?u)a",
        "a{99999999999}",
    ],
)
def test_dangerous_or_invalid_patterns_are_refused(pattern):
    with pytest.raises(ExpressionError) as caught:
        parse(f"regex(., '{pattern}')")
    assert caught.value.code == "syntax"
    assert caught.value.position == 9


def test_an_accepted_pattern_stays_fast_on_a_long_answer():
    expression = parse(r"regex(., '^(\+31|0)?[0-9 -]{9,12}$')")
    assert expression.evaluate({}, "0" * 50_000 + "x") is False


# ---------------------------------------------------------------------------
# The Expression object
# ---------------------------------------------------------------------------


def test_expression_keeps_its_text_and_references():
    text = "${a} = 1 or selected(${b-1}, 'x') or ${a} > ${c.d} or . = ${_e}"
    expression = parse(text)
    assert expression.text == text
    assert expression.references() == frozenset({"a", "b-1", "c.d", "_e"})
    assert parse("1 + .").references() == frozenset()


def test_expression_is_immutable_and_compares_by_text():
    expression = parse("${a} = 1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        expression.text = "1"  # type: ignore[misc]
    assert expression == parse("${a} = 1")
    assert hash(expression) == hash(parse("${a} = 1"))
    assert expression != parse("${a} = 2")
    assert isinstance(expression, Expression)


def test_parse_refuses_what_is_not_text():
    with pytest.raises(TypeError):
        parse(b"1 = 1")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Safety: no Python evaluation, no reaching into answers
# ---------------------------------------------------------------------------

MODULE = Path(expressions.__file__)
BANNED_NAMES = {
    "eval",
    "exec",
    "compile",
    "__import__",
    "getattr",
    "setattr",
    "delattr",
    "globals",
    "locals",
    "vars",
    "open",
    "__builtins__",
    "literal_eval",
}
ALLOWED_IMPORTS = {
    "__future__",
    "collections.abc",
    "dataclasses",
    "datetime",
    "decimal",
    "math",
    "re",
    "typing",
}


def test_the_module_never_evaluates_python_or_looks_up_attributes_by_name():
    source = MODULE.read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            assert node.id not in BANNED_NAMES, f"line {node.lineno}: {node.id}"
        elif isinstance(node, ast.Attribute):
            assert node.attr not in BANNED_NAMES, f"line {node.lineno}: .{node.attr}"
        elif isinstance(node, ast.Import):
            assert {alias.name for alias in node.names} <= ALLOWED_IMPORTS
        elif isinstance(node, ast.ImportFrom):
            assert node.module in ALLOWED_IMPORTS
    for word in ("eval", "exec", "compile", "getattr"):
        assert not re.search(rf"\b{word}\s*\(", source), word
    for word in ("__import__", "literal_eval", "importlib"):
        assert word not in source


def test_parsing_and_evaluating_never_call_python_evaluation(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("Python evaluation was used")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)
    for text, values, current, expected in CASES:
        assert parse(text).evaluate(values, current, today=TODAY) == expected


TRIGGERED: list[str] = []


def _trap(name):
    def method(self, *args, **kwargs):
        TRIGGERED.append(name)
        raise AssertionError(f"the evaluator used {name} of an answer")

    return method


_TRAPPED_METHODS = [
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__bool__",
    "__len__",
    "__iter__",
    "__contains__",
    "__getitem__",
    "__str__",
    "__repr__",
    "__format__",
    "__int__",
    "__float__",
    "__index__",
    "__round__",
    "__trunc__",
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__mul__",
    "__rmul__",
    "__truediv__",
    "__mod__",
    "__neg__",
    "__getattr__",
    "__getattribute__",
]
_TEXT_METHODS = [
    "split",
    "strip",
    "startswith",
    "isoformat",
    "toordinal",
    "date",
    "is_finite",
    "is_zero",
    "__hash__",
]


def _booby_trapped(base: type) -> type:
    """A subclass of ``base`` whose every method records its use and fails."""
    methods = {name: _trap(name) for name in _TRAPPED_METHODS + _TEXT_METHODS}
    return type(f"Trapped{base.__name__.title()}", (base,), methods)


Trap = _booby_trapped(object)
TrapStr = _booby_trapped(str)
TrapInt = _booby_trapped(int)
TrapFloat = _booby_trapped(float)
TrapDate = _booby_trapped(dt.date)
TrapList = _booby_trapped(list)


def test_booby_traps_work():
    with pytest.raises(AssertionError):
        str(TrapStr("x"))
    with pytest.raises(AssertionError):
        Trap().anything  # noqa: B018
    TRIGGERED.clear()


def test_answers_of_other_types_count_as_empty_and_are_never_touched():
    TRIGGERED.clear()
    for value in (Trap(), TrapList(["ar"]), object(), {"a": 1}, {"ar"}, b"ar", 1j):
        values = {"a": value}
        assert parse("${a} = ''").evaluate(values) is True
        assert parse("selected(${a}, 'ar')").evaluate(values) is False
        assert parse("concat(${a}, .)").evaluate(values, value) == ""
    assert parse("count-selected(${a})").evaluate({"a": ["x", Trap(), ["y"], "z"]}) == 2
    assert TRIGGERED == []


def test_subclasses_of_plain_types_are_read_without_running_their_methods():
    TRIGGERED.clear()
    values = {
        "s": TrapStr("18"),
        "i": TrapInt(18),
        "f": TrapFloat(18.0),
        "d": TrapDate(2026, 3, 15),
    }
    assert evaluate_bool("${s} = ${i} and ${i} = ${f} and ${f} >= 18", values)
    assert evaluate_bool("${d} = today() and string(${d}) = '2026-03-15'", values, today=TODAY)
    assert evaluate_bool("selected(${l}, '18')", {"l": [TrapStr("18")]})
    assert TRIGGERED == []


# ---------------------------------------------------------------------------
# Property-based tests
# ---------------------------------------------------------------------------

NAMES = ("a", "b", "c_1", "d-2", "e.3")
TOKENS = [
    "${a}",
    "${",
    "}",
    "$",
    ".",
    "..",
    "(",
    ")",
    ",",
    "'",
    '"',
    "'x'",
    "1",
    "2.5",
    "-",
    "+",
    "*",
    "=",
    "!=",
    "<",
    ">=",
    "and",
    "or",
    "div",
    "mod",
    "AND",
    "not(",
    "selected(",
    "regex(",
    "'(a+)+'",
    "concat(",
    "if(",
    "today()",
    "foo(",
    "[",
    "]",
    "/",
    "@",
    "__class__",
]


@NOISY_MACHINE
@given(st.one_of(st.text(), st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join)))
def test_parse_either_succeeds_or_raises_expression_error(text):
    expression, error = _parse_or_error(text)
    if error is None:
        assert expression.text == text
    else:
        assert error.code in (
            "syntax",
            "unknown_function",
            "arity",
            "unknown_name",
            "too_long",
            "too_deep",
        )
        assert error.position is None or 0 <= error.position <= len(text)


def _parse_or_error(text: str) -> tuple[Expression | None, ExpressionError | None]:
    try:
        return parse(text), None
    except ExpressionError as error:  # anything else fails the test
        return None, error


STRING_CHARS = st.characters(blacklist_characters="'", blacklist_categories=("Cs",))
LEAVES = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.from_regex(r"[0-9]{1,4}\.[0-9]{0,4}", fullmatch=True),
    st.text(STRING_CHARS, max_size=6).map(lambda text: f"'{text}'"),
    st.sampled_from(NAMES).map(lambda name: "${" + name + "}"),
    st.sampled_from([".", "true()", "false()", "today()", "'2026-03-15'", "'1 2'"]),
)
BINARY = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]
ONE_ARGUMENT = ["count-selected", "string-length", "not", "int", "number", "string"]
TWO_ARGUMENTS = ["selected", "coalesce", "contains", "starts-with", "round"]
VARIADIC = ["concat", "min", "max"]
PATTERNS = ["'^[0-9]+$'", "'a'", "'^(\\+31|0)?[0-9]{9}$'", "'[a-z]{2,}'", "''"]


@st.composite
def valid_expressions(draw, depth: int = 0) -> str:
    if depth >= 4 or draw(st.integers(0, 3)) <= depth:
        return draw(LEAVES)
    child = valid_expressions(depth + 1)
    kind = draw(st.sampled_from(["binary", "paren", "minus", "one", "two", "if", "many", "re"]))
    if kind == "binary":
        text = f"{draw(child)} {draw(st.sampled_from(BINARY))} {draw(child)}"
        return f"({text})" if draw(st.booleans()) else text
    if kind == "paren":
        return f"({draw(child)})"
    if kind == "minus":
        return f"-{draw(child)}"
    if kind == "one":
        return f"{draw(st.sampled_from(ONE_ARGUMENT))}({draw(child)})"
    if kind == "two":
        return f"{draw(st.sampled_from(TWO_ARGUMENTS))}({draw(child)}, {draw(child)})"
    if kind == "if":
        return f"if({draw(child)}, {draw(child)}, {draw(child)})"
    if kind == "many":
        arguments = draw(st.lists(child, min_size=1, max_size=3))
        return f"{draw(st.sampled_from(VARIADIC))}({', '.join(arguments)})"
    return f"regex({draw(child)}, {draw(st.sampled_from(PATTERNS))})"


ANSWERS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=12),
    st.from_regex(r" ?-?[0-9]{1,6}(\.[0-9]{1,3})? ?", fullmatch=True),
    st.dates().map(dt.date.isoformat),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=5), max_size=4),
    st.lists(st.sampled_from(["1", "2", "a", "x y", ""]), max_size=4).map(tuple),
)
VALUES = st.dictionaries(st.sampled_from(NAMES), ANSWERS)
RESULT_TYPES = (type(None), str, bool, Decimal, dt.date)


@NOISY_MACHINE
@given(valid_expressions(), VALUES, ANSWERS, st.dates())
def test_valid_expressions_parse_and_never_raise_when_evaluated(text, values, current, today):
    assume(len(text) <= MAX_LENGTH)
    expression = parse(text, known_names=set(NAMES))
    assert expression.references() <= set(NAMES)
    result = expression.evaluate(values, current, today=today)
    assert type(result) in RESULT_TYPES
    if type(result) is Decimal:
        assert result.is_finite()
    assert type(evaluate_bool(expression, values, current, today=today)) is bool
    assert expression.evaluate(values, current, today=today) == result


def _trapped(value: object) -> object:
    """The same answer in booby-trapped clothes, or a trap where the answer is empty."""
    kind = type(value)
    if value is None:
        return Trap()
    if kind is str:
        return TrapStr(value)
    if kind is int:
        return TrapInt(value)
    if kind is float:
        return TrapFloat(value)
    if kind is dt.date:
        return TrapDate(value.year, value.month, value.day)
    if kind is list:
        return [TrapStr(item) for item in value] + [Trap()]
    return value


PLAIN_ANSWERS = st.one_of(
    st.none(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,3})?", fullmatch=True),
    st.dates().map(dt.date.isoformat),
    st.dates(),
    st.lists(st.text(max_size=5), max_size=4),
)


@NOISY_MACHINE
@given(
    valid_expressions(),
    st.dictionaries(st.sampled_from(NAMES), PLAIN_ANSWERS),
    PLAIN_ANSWERS,
)
def test_the_evaluator_never_touches_answers_beyond_their_plain_value(text, values, current):
    """Values of unsupported types are empty; subclasses of str, int, float and date are
    read through their base type. Either way no method of the answer ever runs."""
    assume(len(text) <= MAX_LENGTH)
    expression = parse(text)
    TRIGGERED.clear()
    trapped = {name: _trapped(value) for name, value in values.items()}
    expected = expression.evaluate(values, current, today=TODAY)
    assert expression.evaluate(trapped, _trapped(current), today=TODAY) == expected
    assert TRIGGERED == []
