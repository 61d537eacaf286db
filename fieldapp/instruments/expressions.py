"""A small, safe parser and evaluator for XLSForm-style skip logic and constraints.

Questionnaires say when a question is shown ("relevant") and which answers are
acceptable ("constraint") in XLSForm's subset of XPath, for example
``${age} >= 18 and ${tenure} = 'rent'`` or ``. >= 0 and . <= 120``. This module
tokenises and parses such a text into an immutable tree and walks that tree
itself: no Python code is ever generated or run from it, and nothing in a form
or an answer can reach an attribute, a module or a builtin.

Grammar (lowest precedence first, all binary operators left-associative)::

    or                      and                   =  !=
    <  <=  >  >=            +  -                  *  div  mod
    unary -                 ( ... )               function(args, ...)

Values: integers and decimals (``1``, ``1.5``, ``.5``; no exponents), strings in
single or double quotes (no escapes, as in XPath), ``${name}`` (a question's
answer; the name starts with a letter or ``_`` and goes on with letters, digits,
``_``, ``-`` and ``.``), ``.`` (the answer being checked by a constraint).
``and``, ``or``, ``div`` and ``mod`` are lower-case, as in XPath. Functions, with
their number of arguments checked when parsing: ``selected(a, b)``,
``count-selected(a)``, ``string-length(a)``, ``not(a)``, ``if(c, a, b)``,
``coalesce(a, b)``, ``int(a)``, ``number(a)``, ``string(a)``, ``concat(a, ...)``,
``contains(a, b)``, ``starts-with(a, b)``, ``regex(a, 'pattern')``, ``today()``,
``round(a, n)``, ``min(a, ...)``, ``max(a, ...)``, ``true()``, ``false()``.

Limits, refused by :func:`parse` with an :class:`ExpressionError`: more than
1,000 characters (``too_long``); more than 50 levels of nesting (``too_deep``;
parentheses, function calls, unary minus and operands of operators each count
as a level, so ``(((1)))`` is three levels deep and ``1 or 2 or 3`` one).

Semantics (close to ODK's; evaluation never raises, whatever the answers are):

* Values are empty (``None``), text (``str``), numbers (``Decimal``, 28
  significant digits, magnitudes up to 1e9999), booleans and dates
  (``datetime.date``). :meth:`Expression.evaluate` returns one of these.
* Answers are looked up by name in ``values``; a missing name is empty. ``None``
  and ``''`` are empty. ``int``, ``float`` and ``Decimal`` become numbers (NaN and
  infinities are empty), ``bool`` stays a boolean, ``date`` stays a date (a
  ``datetime`` becomes its date). A multiple-choice answer may be a list or
  tuple of choice names or XLSForm's space-separated string; a list becomes that
  string (an empty list is empty). Subclasses of ``str``, ``int``, ``float`` and
  ``date`` are read through the base type's own conversion, so none of their
  methods runs. Any other type counts as empty and is never touched: no method,
  attribute or operator of it is used.
* Text becomes a number when it looks like one (``'18'``, ``' -2.5 '``; ASCII
  digits and a decimal point only, so ``'1,5'`` is not a number) and a date
  when it is an ISO date (``'2026-01-31'``, optionally followed by a time). A
  date used as a number is its count of days since 1970-01-01, as in ODK, so
  ``today() - ${visit} <= 30`` works.
* ``=`` and ``!=``: if either side is a boolean both are compared as booleans;
  two empties are equal and empty equals nothing else (so ``${age} = 0`` is
  false when unanswered); if either side is a number both are compared as
  numbers (``'18' = 18``), or are unequal if the other is not a number; if
  either side is a date both are compared as dates; otherwise as text (two
  texts are compared as text even when both look like numbers, as in XPath, so
  the choice names ``'01'`` and ``'1'`` differ). ``!=`` is always ``not(=)``.
* ``<``, ``<=``, ``>``, ``>=`` compare numbers (numeric text, dates as days,
  booleans as 1 and 0); anything else, such as empty or ``'abc'``, makes them
  false.
* ``+ - * div mod`` and unary ``-`` work on numbers; an empty or non-numeric
  operand, division or ``mod`` by zero, or a result too large to represent
  gives empty. ``mod`` keeps the sign of the left side, as in XPath.
* Truthiness (``and``, ``or``, ``not``, ``if`` and :func:`evaluate_bool`) is
  XPath's: empty, ``''``, ``0`` and ``false()`` are false; any other text
  (including ``'0'`` and ``'false'``), number or date is true.
* ``selected``/``count-selected`` split their first argument on whitespace.
  ``string(number)`` has no exponent and no trailing zeros; ``string(date)`` is
  ISO; ``string(boolean)`` is ``'true'``/``'false'``; empty is ``''``.
  ``int`` truncates towards zero; ``round(a, n)`` rounds half away from zero to
  ``n`` places (``n`` is truncated and clamped to -28..28); ``min``/``max`` are
  empty if any argument is not a number; ``coalesce`` and ``if`` only evaluate
  the argument they return; ``and``/``or`` stop at the first deciding operand.
* ``regex(a, pattern)`` is true when the pattern matches anywhere in ``a`` (use
  ``^`` and ``$`` to anchor), as ODK's ``find()`` does. The pattern must be a
  quoted string, checked when parsing: at most 200 characters, no nested
  quantifiers (``(a+)+``, ``(a*){2}``), no alternation under an unbounded
  quantifier (``(a|ab)*``), no back-references or conditionals, no ambiguous
  character sets (``[[``, ``--``, ``&&``, ``~~``, ``||`` inside ``[...]``). These
  refuse the classic catastrophic-backtracking shapes; they cannot prove a
  pattern fast (``.*.*.*x`` is polynomial), so patterns stay the form author's
  responsibility. Patterns use ``re.ASCII``, like Java's defaults in ODK:
  ``\\d`` is ``[0-9]`` and ``\\w`` is ``[A-Za-z0-9_]``, so that ``\\d`` only accepts
  digits that ``number()`` understands; write letters with diacritics or
  other scripts as explicit ranges.
* ``today()`` is the ``today`` passed to :meth:`Expression.evaluate`, or the
  local date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from typing import Literal, TypeAlias

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_PATTERN_LENGTH",
    "ErrorCode",
    "Expression",
    "ExpressionError",
    "Value",
    "evaluate_bool",
    "parse",
]

MAX_LENGTH = 1000
MAX_DEPTH = 50
MAX_PATTERN_LENGTH = 200

ErrorCode: TypeAlias = Literal[
    "syntax", "unknown_function", "arity", "unknown_name", "too_long", "too_deep"
]
Value: TypeAlias = "str | bool | Decimal | dt.date | None"


class ExpressionError(ValueError):
    """An expression that cannot be parsed: what is wrong, where, and a stable code."""

    def __init__(self, code: ErrorCode, message: str, position: int | None = None) -> None:
        super().__init__(code, message, position)
        self.code: ErrorCode = code
        self.message = message
        self.position = position

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return f"{self.message} (at position {self.position})"


# Arithmetic never traps: overflow and invalid operations give non-finite values,
# which become empty. Only the flags of this context change, which nothing reads.
_DECIMAL = Context(prec=28, rounding=ROUND_HALF_EVEN, Emin=-9999, Emax=9999, traps=[])
_ZERO = Decimal(0)
_ONE = Decimal(1)
_EPOCH = dt.date(1970, 1, 1).toordinal()
_NUMBER_TEXT = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_DATE_TEXT = (
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_QUANTIFIER_BRACES = r"\{([0-9]*)(?:(,)([0-9]*))?\}"


# ---------------------------------------------------------------------------
# The tree
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Const:
    value: str | bool | Decimal
    position: int


@dataclass(frozen=True, slots=True)
class Ref:
    name: str
    position: int


@dataclass(frozen=True, slots=True)
class Dot:
    position: int


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Node
    position: int


@dataclass(frozen=True, slots=True)
class Logic:
    """``a and b and ...`` or ``a or b or ...``: one node, however long the chain."""

    operator: str
    operands: tuple[Node, ...]
    position: int


@dataclass(frozen=True, slots=True)
class Chain:
    """Operators of one precedence level applied left to right: ``a + b - c``."""

    first: Node
    rest: tuple[tuple[str, Node], ...]
    position: int


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    arguments: tuple[Node, ...]
    position: int


Node: TypeAlias = "Const | Ref | Dot | Neg | Logic | Chain | Call"


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed expression; immutable, so it can be cached and shared between threads."""

    text: str
    _tree: Node = field(repr=False, compare=False)
    _names: frozenset[str] = field(repr=False, compare=False)

    def references(self) -> frozenset[str]:
        """The question names used as ``${name}``."""
        return self._names

    def evaluate(
        self, values: Mapping[str, object], current: object = None, *, today: dt.date | None = None
    ) -> Value:
        """The value of the expression for these answers; ``current`` is ``.``."""
        env = _Env(values, _from_input(current), today)
        return _eval(self._tree, env)


def evaluate_bool(
    expression: Expression | str,
    values: Mapping[str, object],
    current: object = None,
    *,
    today: dt.date | None = None,
) -> bool:
    """Evaluate and apply XPath truthiness; a text is parsed first (and may raise)."""
    if type(expression) is not Expression:
        expression = parse(expression)
    return _truthy(expression.evaluate(values, current, today=today))


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number string ref current name op ( ) , end
    text: str
    position: int


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _is_name_start(char: str) -> bool:
    return char.isalpha() or char == "_"


def _is_name_char(char: str) -> bool:
    return char.isalnum() or char in "_-"


def _is_reference_char(char: str) -> bool:
    return char.isalnum() or char in "_-."


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "$":
            if text[i + 1 : i + 2] != "{":
                raise ExpressionError("syntax", "'$' must start a reference like ${name}", i)
            j = i + 2
            if text[j : j + 1] == "}":
                raise ExpressionError("syntax", "empty reference '${}'", i)
            if j >= n or not _is_name_start(text[j]):
                raise ExpressionError(
                    "syntax", "a question name must start with a letter or '_'", j
                )
            while j < n and _is_reference_char(text[j]):
                j += 1
            if text[j : j + 1] != "}":
                raise ExpressionError("syntax", "expected '}' to close the reference", j)
            tokens.append(_Token("ref", text[i + 2 : j], i))
            i = j + 1
        elif _is_digit(char) or (char == "." and _is_digit(text[i + 1 : i + 2] or "x")):
            j = i
            while j < n and _is_digit(text[j]):
                j += 1
            if text[j : j + 1] == ".":
                j += 1
                while j < n and _is_digit(text[j]):
                    j += 1
            tokens.append(_Token("number", text[i:j], i))
            i = j
        elif char == ".":
            tokens.append(_Token("current", char, i))
            i += 1
        elif char in "'\"":
            end = text.find(char, i + 1)
            if end < 0:
                raise ExpressionError("syntax", "text in quotes is not closed", i)
            tokens.append(_Token("string", text[i + 1 : end], i))
            i = end + 1
        elif _is_name_start(char):
            j = i + 1
            while j < n and _is_name_char(text[j]):
                j += 1
            # A prefixed name such as jr:choice-name, so that it is reported as a function.
            if text[j : j + 1] == ":" and _is_name_start(text[j + 1 : j + 2] or "0"):
                j += 2
                while j < n and _is_name_char(text[j]):
                    j += 1
            tokens.append(_Token("name", text[i:j], i))
            i = j
        elif text[i : i + 2] in ("!=", "<=", ">="):
            tokens.append(_Token("op", text[i : i + 2], i))
            i += 2
        elif char in "=<>+-*":
            tokens.append(_Token("op", char, i))
            i += 1
        elif char in "(),":
            tokens.append(_Token(char, char, i))
            i += 1
        else:
            raise ExpressionError("syntax", f"unexpected character {char!r}", i)
    tokens.append(_Token("end", "", n))
    return tokens


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "the end of the expression"
    if token.kind == "string":
        return "a quoted text"
    if token.kind == "ref":
        return f"${{{token.text}}}"
    return repr(token.text)


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_KEYWORDS = frozenset({"and", "or", "div", "mod"})
_BINARY = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}
_UNARY = 7


def parse(text: str, *, known_names: set[str] | frozenset[str] | None = None) -> Expression:
    """Parse an expression; raise ExpressionError if it is not valid.

    With ``known_names``, a ``${name}`` not among them is refused (``unknown_name``).
    """
    if type(text) is not str:
        raise TypeError("an expression is a str")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            "too_long", f"the expression is longer than {MAX_LENGTH} characters", MAX_LENGTH
        )
    parser = _Parser(_tokenise(text))
    tree = parser.parse()
    _check_depth(tree, 0)
    if known_names is not None:
        for ref in parser.references:
            if ref.name not in known_names:
                raise ExpressionError(
                    "unknown_name", f"no question is named {ref.name!r}", ref.position
                )
    return Expression(text, tree, frozenset(ref.name for ref in parser.references))


class _Parser:
    """Precedence climbing over the tokens; every nesting step is counted."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.references: list[Ref] = []

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExpressionError("syntax", "the expression is empty", 0)
        tree = self.expression(0, 0)
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError("syntax", f"unexpected {_describe(token)}", token.position)
        return tree

    @staticmethod
    def deeper(depth: int, position: int) -> int:
        if depth >= MAX_DEPTH:
            raise ExpressionError(
                "too_deep", f"the expression is nested more than {MAX_DEPTH} levels deep", position
            )
        return depth + 1

    def expression(self, min_power: int, depth: int) -> Node:
        left = self.prefix(depth)
        while True:
            token = self.peek()
            operator = self.infix_operator(token)
            if operator is None or _BINARY[operator] <= min_power:
                return left
            self.index += 1
            right = self.expression(_BINARY[operator], self.deeper(depth, token.position))
            left = _combine(left, operator, right, token.position)

    @staticmethod
    def infix_operator(token: _Token) -> str | None:
        if token.kind == "op":
            return token.text
        if token.kind == "name":
            if token.text in _KEYWORDS:
                return token.text
            hint = " (operators are lower-case)" if token.text.lower() in _KEYWORDS else ""
            raise ExpressionError(
                "syntax", f"expected an operator, found {token.text!r}{hint}", token.position
            )
        if token.kind in (")", ",", "end"):
            return None
        raise ExpressionError(
            "syntax", f"expected an operator, found {_describe(token)}", token.position
        )

    def prefix(self, depth: int) -> Node:
        token = self.advance()
        kind, position = token.kind, token.position
        if kind == "number":
            return Const(_DECIMAL.create_decimal(token.text), position)
        if kind == "string":
            return Const(token.text, position)
        if kind == "ref":
            ref = Ref(token.text, position)
            self.references.append(ref)
            return ref
        if kind == "current":
            return Dot(position)
        if kind == "op" and token.text == "-":
            operand = self.expression(_UNARY, self.deeper(depth, position))
            if type(operand) is Const and type(operand.value) is Decimal:
                return Const(_DECIMAL.minus(operand.value), position)
            return Neg(operand, position)
        if kind == "(":
            inner = self.expression(0, self.deeper(depth, position))
            closing = self.advance()
            if closing.kind != ")":
                raise ExpressionError(
                    "syntax",
                    f"expected ')' to close the '(' at {position}, found {_describe(closing)}",
                    closing.position,
                )
            return inner
        if kind == "name" and self.peek().kind == "(":
            return self.call(token, depth)
        if kind == "name" and token.text not in _KEYWORDS:
            raise ExpressionError(
                "syntax",
                f"{token.text!r} is not a value; a question's answer is written ${{name}}",
                position,
            )
        raise ExpressionError("syntax", f"expected a value, found {_describe(token)}", position)

    def call(self, name_token: _Token, depth: int) -> Node:
        name, position = name_token.text, name_token.position
        function = _FUNCTIONS.get(name)
        if function is None:
            raise ExpressionError("unknown_function", f"unknown function {name}()", position)
        self.index += 1  # the "("
        inner = self.deeper(depth, position)
        arguments: list[Node] = []
        if self.peek().kind == ")":
            self.index += 1
        else:
            while True:
                arguments.append(self.expression(0, inner))
                token = self.advance()
                if token.kind == ")":
                    break
                if token.kind != ",":
                    raise ExpressionError(
                        "syntax",
                        f"expected ',' or ')' in {name}(), found {_describe(token)}",
                        token.position,
                    )
        count = len(arguments)
        if count < function.minimum or (function.maximum is not None and count > function.maximum):
            if function.maximum is None:
                wanted = f"at least {function.minimum}"
            else:
                wanted = str(function.maximum)
            plural = "" if wanted == "1" else "s"
            raise ExpressionError(
                "arity", f"{name}() takes {wanted} argument{plural}, not {count}", position
            )
        if name in ("true", "false"):
            return Const(name == "true", position)
        if name == "regex":
            pattern = arguments[1]
            if type(pattern) is not Const or type(pattern.value) is not str:
                raise ExpressionError(
                    "syntax", "the pattern of regex() must be a quoted text", pattern.position
                )
            problem = _regex_problem(pattern.value)
            if problem is not None:
                raise ExpressionError("syntax", f"regex(): {problem}", pattern.position)
        return Call(name, tuple(arguments), position)


def _combine(left: Node, operator: str, right: Node, position: int) -> Node:
    """Join operands of one level into one flat node, so long chains stay shallow."""
    if operator in ("and", "or"):
        if type(left) is Logic and left.operator == operator:
            return Logic(operator, (*left.operands, right), left.position)
        return Logic(operator, (left, right), position)
    if type(left) is Chain and _BINARY[left.rest[0][0]] == _BINARY[operator]:
        return Chain(left.first, (*left.rest, (operator, right)), left.position)
    return Chain(left, ((operator, right),), position)


def _children(node: Node) -> tuple[Node, ...]:
    if type(node) is Neg:
        return (node.operand,)
    if type(node) is Logic:
        return node.operands
    if type(node) is Chain:
        return (node.first, *(operand for _, operand in node.rest))
    if type(node) is Call:
        return node.arguments
    return ()


def _check_depth(node: Node, level: int) -> None:
    """Refuse trees deeper than MAX_DEPTH (left-nested operators escape the parser's count)."""
    if level > MAX_DEPTH:
        raise ExpressionError(
            "too_deep", f"the expression is nested more than {MAX_DEPTH} levels deep", node.position
        )
    for child in _children(node):
        _check_depth(child, level + 1)


# ---------------------------------------------------------------------------
# Regular expressions
# ---------------------------------------------------------------------------


def _quantifier_at(pattern: str, i: int) -> tuple[int, bool] | None:
    """(length, unbounded) of the quantifier at ``i``, if there is one."""
    char = pattern[i]
    if char in "*+":
        return 1, True
    if char == "?":
        return 1, False
    if char == "{":
        match = re.match(_QUANTIFIER_BRACES, pattern[i : i + 40])
        if match and (match.group(1) or match.group(2)):
            return match.end(), match.group(2) is not None and not match.group(3)
    return None


def _skip_set(pattern: str, i: int) -> int | str:
    """The index after the character set starting at ``i``, or why it is refused."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        char = pattern[j]
        if char == "\\":
            j += 2
            continue
        if char == "[":
            return "nested character sets are not allowed"
        if char in "-&~|" and pattern[j + 1 : j + 2] == char:
            return f"{char}{char} inside [...] is ambiguous"
        j += 1
    return j + 1


def _regex_problem(pattern: str) -> str | None:
    """Why a regex() pattern is refused, or None if it is acceptable."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"the pattern is longer than {MAX_PATTERN_LENGTH} characters"
    # For each open group: [contains a quantifier, contains an alternation].
    groups: list[list[bool]] = [[False, False]]
    closed: list[bool] | None = None  # the group that ends just before pattern[i]
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            if pattern[i + 1 : i + 2] in tuple("123456789"):
                return "back-references are not allowed"
            i, closed = i + 2, None
            continue
        if char == "[":
            after = _skip_set(pattern, i)
            if isinstance(after, str):
                return after
            i, closed = after, None
            continue
        if char == "(":
            if pattern.startswith(("(?P=", "(?("), i):
                return "back-references and conditionals are not allowed"
            groups.append([False, False])
            i += 2 if pattern[i + 1 : i + 2] == "?" else 1
            closed = None
            continue
        if char == ")":
            if len(groups) > 1:
                closed = groups.pop()
                groups[-1][0] = groups[-1][0] or closed[0]
                groups[-1][1] = groups[-1][1] or closed[1]
            i += 1
            continue
        if char == "|":
            groups[-1][1] = True
        quantifier = _quantifier_at(pattern, i)
        if quantifier is not None:
            length, unbounded = quantifier
            if closed is not None:
                if closed[0] and char != "?":
                    return "nested quantifiers such as (a+)+ are not allowed"
                if closed[1] and unbounded:
                    return "a repeated alternation such as (a|ab)* is not allowed"
            groups[-1][0] = True
            i += length
            if pattern[i : i + 1] in ("?", "+"):  # lazy or possessive
                i += 1
            closed = None
            continue
        i, closed = i + 1, None
    try:
        re.search(pattern, "", re.ASCII)
    except (re.error, OverflowError, RecursionError, ValueError, Warning) as error:
        return f"invalid pattern: {error}"
    return None


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def _finite(number: Decimal) -> Decimal | None:
    return number if number.is_finite() else None


def _scalar_from_input(raw: object) -> Value:
    """Normalise one answer; only ``type()`` is asked of anything unknown."""
    if raw is None:
        return None
    kind = type(raw)
    if kind is str:
        return raw if raw else None
    if kind is bool:
        return raw
    if kind is Decimal:
        return _finite(_DECIMAL.create_decimal(raw)) if raw.is_finite() else None
    if kind is int:
        return _finite(_DECIMAL.create_decimal(raw))
    if kind is float:
        return _finite(_DECIMAL.create_decimal(repr(raw))) if math.isfinite(raw) else None
    if kind is dt.date:
        return raw
    # Subclasses are read through the base type's own C-level conversion, so that
    # no method they override ever runs.
    if issubclass(kind, dt.date):
        return dt.date.fromordinal(dt.date.toordinal(raw))
    if issubclass(kind, str):
        return str.__str__(raw) or None
    if issubclass(kind, int):
        return _finite(_DECIMAL.create_decimal(int.__index__(raw)))
    if issubclass(kind, float):
        number = float.__float__(raw)
        return _finite(_DECIMAL.create_decimal(repr(number))) if math.isfinite(number) else None
    return None


def _from_input(raw: object) -> Value:
    kind = type(raw)
    if kind is list or kind is tuple:
        names = []
        for item in raw:
            if type(item) is list or type(item) is tuple:
                continue
            name = _to_text(_scalar_from_input(item)).strip()
            if name:
                names.append(name)
        return " ".join(names) or None
    return _scalar_from_input(raw)


def _is_empty(value: Value) -> bool:
    return value is None or value == ""


def _truthy(value: Value) -> bool:
    if value is None:
        return False
    kind = type(value)
    if kind is bool:
        return value
    if kind is str:
        return value != ""
    if kind is Decimal:
        return not value.is_zero()
    return True  # a date


def _number_text(number: Decimal) -> str:
    if number.is_zero():
        return "0"
    return format(number.normalize(_DECIMAL), "f")


def _to_text(value: Value) -> str:
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind is Decimal:
        return _number_text(value)
    return value.isoformat()


def _date_from_text(text: str) -> dt.date | None:
    match = re.fullmatch(_DATE_TEXT, text.strip(), re.ASCII)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _to_date(value: Value) -> dt.date | None:
    if type(value) is dt.date:
        return value
    if type(value) is str:
        return _date_from_text(value)
    return None


def _days(date: dt.date) -> Decimal:
    return Decimal(date.toordinal() - _EPOCH)


def _to_number(value: Value) -> Decimal | None:
    if value is None:
        return None
    kind = type(value)
    if kind is Decimal:
        return value
    if kind is bool:
        return _ONE if value else _ZERO
    if kind is dt.date:
        return _days(value)
    text = value.strip()
    if re.fullmatch(_NUMBER_TEXT, text):
        return _finite(_DECIMAL.create_decimal(text))
    date = _date_from_text(text)
    return None if date is None else _days(date)


def _equal(left: Value, right: Value) -> bool:
    if type(left) is bool or type(right) is bool:
        return _truthy(left) == _truthy(right)
    left_empty, right_empty = _is_empty(left), _is_empty(right)
    if left_empty or right_empty:
        return left_empty and right_empty
    if type(left) is Decimal or type(right) is Decimal:
        a, b = _to_number(left), _to_number(right)
        return a is not None and b is not None and a == b
    if type(left) is dt.date or type(right) is dt.date:
        c, d = _to_date(left), _to_date(right)
        return c is not None and d is not None and c == d
    return _to_text(left) == _to_text(right)


def _compare(operator: str, left: Value, right: Value) -> bool:
    a, b = _to_number(left), _to_number(right)
    if a is None or b is None:
        return False
    if operator == "<":
        return a < b
    if operator == "<=":
        return a <= b
    if operator == ">":
        return a > b
    return a >= b


def _arithmetic(operator: str, left: Value, right: Value) -> Decimal | None:
    a, b = _to_number(left), _to_number(right)
    if a is None or b is None:
        return None
    if operator == "+":
        result = _DECIMAL.add(a, b)
    elif operator == "-":
        result = _DECIMAL.subtract(a, b)
    elif operator == "*":
        result = _DECIMAL.multiply(a, b)
    elif b.is_zero():
        return None
    elif operator == "div":
        result = _DECIMAL.divide(a, b)
    else:
        result = _DECIMAL.remainder(a, b)
    return _finite(result)


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


class _Env:
    __slots__ = ("values", "current", "today")

    def __init__(self, values: Mapping[str, object], current: Value, today: object) -> None:
        self.values = values
        self.current = current
        self.today = _from_input(today) if today is not None else None

    def lookup(self, name: str) -> Value:
        return _from_input(self.values.get(name))


def _eval(node: Node, env: _Env) -> Value:
    return _EVALUATORS[type(node)](node, env)


def _eval_const(node: Const, env: _Env) -> Value:
    return node.value


def _eval_ref(node: Ref, env: _Env) -> Value:
    return env.lookup(node.name)


def _eval_dot(node: Dot, env: _Env) -> Value:
    return env.current


def _eval_neg(node: Neg, env: _Env) -> Value:
    number = _to_number(_eval(node.operand, env))
    return None if number is None else _DECIMAL.minus(number)


def _eval_logic(node: Logic, env: _Env) -> Value:
    if node.operator == "and":
        return all(_truthy(_eval(operand, env)) for operand in node.operands)
    return any(_truthy(_eval(operand, env)) for operand in node.operands)


def _eval_chain(node: Chain, env: _Env) -> Value:
    value = _eval(node.first, env)
    for operator, operand in node.rest:
        other = _eval(operand, env)
        if operator == "=":
            value = _equal(value, other)
        elif operator == "!=":
            value = not _equal(value, other)
        elif _BINARY[operator] == _BINARY["<"]:
            value = _compare(operator, value, other)
        else:
            value = _arithmetic(operator, value, other)
    return value


def _eval_call(node: Call, env: _Env) -> Value:
    return _FUNCTIONS[node.name].handler(node.arguments, env)


_EVALUATORS: dict[type, Callable[..., Value]] = {
    Const: _eval_const,
    Ref: _eval_ref,
    Dot: _eval_dot,
    Neg: _eval_neg,
    Logic: _eval_logic,
    Chain: _eval_chain,
    Call: _eval_call,
}


# ---------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------

Arguments: TypeAlias = tuple[Node, ...]


def _text_of(node: Node, env: _Env) -> str:
    return _to_text(_eval(node, env))


def _fn_selected(args: Arguments, env: _Env) -> Value:
    choices = _text_of(args[0], env).split()
    wanted = _text_of(args[1], env).strip()
    return bool(wanted) and wanted in choices


def _fn_count_selected(args: Arguments, env: _Env) -> Value:
    return Decimal(len(_text_of(args[0], env).split()))


def _fn_string_length(args: Arguments, env: _Env) -> Value:
    return Decimal(len(_text_of(args[0], env)))


def _fn_not(args: Arguments, env: _Env) -> Value:
    return not _truthy(_eval(args[0], env))


def _fn_if(args: Arguments, env: _Env) -> Value:
    return _eval(args[1] if _truthy(_eval(args[0], env)) else args[2], env)


def _fn_coalesce(args: Arguments, env: _Env) -> Value:
    value = _eval(args[0], env)
    return _eval(args[1], env) if _is_empty(value) else value


def _fn_int(args: Arguments, env: _Env) -> Value:
    number = _to_number(_eval(args[0], env))
    if number is None:
        return None
    return number.to_integral_value(rounding=ROUND_DOWN, context=_DECIMAL)


def _fn_number(args: Arguments, env: _Env) -> Value:
    return _to_number(_eval(args[0], env))


def _fn_string(args: Arguments, env: _Env) -> Value:
    return _text_of(args[0], env)


def _fn_concat(args: Arguments, env: _Env) -> Value:
    return "".join(_text_of(arg, env) for arg in args)


def _fn_contains(args: Arguments, env: _Env) -> Value:
    return _text_of(args[1], env) in _text_of(args[0], env)


def _fn_starts_with(args: Arguments, env: _Env) -> Value:
    return _text_of(args[0], env).startswith(_text_of(args[1], env))


def _fn_regex(args: Arguments, env: _Env) -> Value:
    pattern = _text_of(args[1], env)  # a literal, checked by parse()
    try:
        return re.search(pattern, _text_of(args[0], env), re.ASCII) is not None
    except re.error:
        return False


def _fn_today(args: Arguments, env: _Env) -> Value:
    return env.today if type(env.today) is dt.date else dt.date.today()


def _fn_round(args: Arguments, env: _Env) -> Value:
    number = _to_number(_eval(args[0], env))
    places = _to_number(_eval(args[1], env))
    if number is None or places is None:
        return None
    places = max(min(places, Decimal(28)), Decimal(-28))
    digits = int(places.to_integral_value(rounding=ROUND_DOWN, context=_DECIMAL))
    if number.as_tuple().exponent >= -digits:  # already that precise
        return number
    step = Decimal((0, (1,), -digits))
    return _finite(number.quantize(step, rounding=ROUND_HALF_UP, context=_DECIMAL))


def _numbers(args: Arguments, env: _Env) -> list[Decimal] | None:
    numbers = []
    for arg in args:
        number = _to_number(_eval(arg, env))
        if number is None:
            return None
        numbers.append(number)
    return numbers


def _fn_min(args: Arguments, env: _Env) -> Value:
    numbers = _numbers(args, env)
    return None if numbers is None else min(numbers)


def _fn_max(args: Arguments, env: _Env) -> Value:
    numbers = _numbers(args, env)
    return None if numbers is None else max(numbers)


@dataclass(frozen=True, slots=True)
class _Function:
    minimum: int
    maximum: int | None
    handler: Callable[[Arguments, _Env], Value]


def _fn_true(args: Arguments, env: _Env) -> Value:  # parse() turns true() into a constant
    return True


def _fn_false(args: Arguments, env: _Env) -> Value:
    return False


_FUNCTIONS: dict[str, _Function] = {
    "selected": _Function(2, 2, _fn_selected),
    "count-selected": _Function(1, 1, _fn_count_selected),
    "string-length": _Function(1, 1, _fn_string_length),
    "not": _Function(1, 1, _fn_not),
    "if": _Function(3, 3, _fn_if),
    "coalesce": _Function(2, 2, _fn_coalesce),
    "int": _Function(1, 1, _fn_int),
    "number": _Function(1, 1, _fn_number),
    "string": _Function(1, 1, _fn_string),
    "concat": _Function(1, None, _fn_concat),
    "contains": _Function(2, 2, _fn_contains),
    "starts-with": _Function(2, 2, _fn_starts_with),
    "regex": _Function(2, 2, _fn_regex),
    "today": _Function(0, 0, _fn_today),
    "round": _Function(2, 2, _fn_round),
    "min": _Function(1, None, _fn_min),
    "max": _Function(1, None, _fn_max),
    "true": _Function(0, 0, _fn_true),
    "false": _Function(0, 0, _fn_false),
}
