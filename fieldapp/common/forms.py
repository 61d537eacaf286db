"""Form pieces shared by every domain."""

from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm as _FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import IntegerConverter
from wtforms import SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import ValidationError

from fieldapp.i18n import LANGUAGES


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, usable without JavaScript and with a screen reader."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def language_choices():
    return [Choice(lang.code, lang.native_name) for lang in LANGUAGES]


class NoControlCharacters:
    """Refuse control characters (except newlines and tabs) in free text: the same set the
    base form refuses everywhere (`_CONTROL_CHARACTERS`, below)."""

    def __init__(self, message=None):
        self.message = message or _l("This field contains characters that are not allowed.")

    def __call__(self, form, field):
        value = field.data or ""
        if isinstance(value, str) and _CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message)


def strip(value):
    return value.strip() if isinstance(value, str) else value


# Every id column is an INTEGER, which PostgreSQL keeps in 32 bits (SQLite in 64): a number
# outside this range can name no row, and handing it to the database raises an error (an
# OverflowError in the SQLite driver, NumericValueOutOfRange in PostgreSQL) instead of "none".
DATABASE_ID_MAX = 2**31 - 1


def database_id(value) -> int:
    """An id as the database can hold it, for `request.form.get(..., type=database_id)`:
    raises ValueError (so the getter gives its default) for anything else, negative, signed,
    too large or not a plain decimal number."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        raise ValueError("not an id")
    number = int(text)
    if not 1 <= number <= DATABASE_ID_MAX:
        raise ValueError("not an id")
    return number


def form_id(name: str) -> int | None:
    """The id posted in the field `name`, or None when it is missing or cannot be one."""
    return request.form.get(name, type=database_id)


class DatabaseIdConverter(IntegerConverter):
    """Flask's `int` URL converter bounded to what an INTEGER column holds: a larger number
    (or a negative one) does not match the route, so it is a 404 before any query."""

    def __init__(self, map, fixed_digits=0, min=0, max=DATABASE_ID_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


SAFE_ANCHOR_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def safe_anchor(value) -> str:
    """A `#fragment` to add to a redirect, or "" when `value` (with or without its `#`) is not
    a short plain name: nothing posted reaches a Location header unchecked."""
    name = str(value or "").removeprefix("#")
    return "#" + name if SAFE_ANCHOR_RE.fullmatch(name) else ""


# ---------------------------------------------------------------- text every form refuses
#
# One check for every form of fieldapp, so that no domain can forget it: every form class
# derives from the FlaskForm below (tests/fuzz/test_text_guard.py walks them all). It checks
# every text field it declares (an error at the field) and every other value sent with it,
# which views such as the codebook or the report's actions read themselves (a 400 page with
# the reason, since there is no field to show it at).
#
# Refused everywhere: C0 control characters except tab, line feed and carriage return, DEL,
# and the C1 controls (U+0080-U+009F): none is typed, and NUL and ESC would reach the public
# report and the PDFs. Refused in single-line text only (an <input>, or a value without a
# line break): the bidi embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069,
# which can make a short name, code or title read as something else. Arabic letters and the
# direction marks LRM, RLM and ALM (U+200E, U+200F, U+061C) stay allowed everywhere.

_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
UNSAFE_TEXT_MESSAGE = _l(
    "What you sent contains invisible control characters or text direction overrides, "
    "which cannot be stored. Please remove them and try again."
)


def unsafe_text(value: str, *, single_line: bool) -> bool:
    """Whether text holds characters that fieldapp never stores (see above)."""
    if _CONTROL_CHARACTERS.search(value):
        return True
    return single_line and _BIDI_CONTROLS.search(value) is not None


class UnsafeText(BadRequest):
    """A value a view reads itself holds characters fieldapp never stores."""

    user_message = UNSAFE_TEXT_MESSAGE


def _refuse_unsafe_text(form, field) -> None:
    value = field.data
    if not isinstance(value, str):
        return
    single_line = not isinstance(field, TextAreaField)
    message = str(NoControlCharacters().message)
    if unsafe_text(value, single_line=single_line) and message not in map(str, field.errors):
        raise ValidationError(message)


def _json_formdata(body) -> ImmutableMultiDict:
    """A JSON object as form data: strings, numbers and lists of them; anything else is
    dropped, so a field never holds a list, an object or null."""
    pairs = []
    if isinstance(body, dict):
        for key, value in body.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, bool):
                    pairs.append((key, "y" if item else ""))
                elif isinstance(item, str | int | float):
                    pairs.append((key, str(item)))
    return ImmutableMultiDict(pairs)


class FlaskForm(_FlaskForm):
    """The base of every form in fieldapp: refuses unsafe text in everything it is sent."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto and form.is_submitted() and not request.form:
                if not request.files and request.is_json:
                    return _json_formdata(request.get_json(silent=True))
            return super().wrap_formdata(form, formdata)

    def validate(self, extra_validators=None) -> bool:
        extra = {name: list(v) for name, v in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField):
                extra.setdefault(name, []).append(_refuse_unsafe_text)
        valid = super().validate(extra_validators=extra)
        self._refuse_unsafe_undeclared_values()
        return valid

    def _refuse_unsafe_undeclared_values(self) -> None:
        formdata = self.meta.wrap_formdata(self, _Auto)
        if not formdata:
            return
        declared = {field.name for field in self._fields.values()}
        for key, value in formdata.items(multi=True):
            if key in declared or not isinstance(value, str):
                continue
            if unsafe_text(value, single_line="\n" not in value and "\r" not in value):
                raise UnsafeText()


def refuse_control_characters_in_url() -> None:
    """A request hook: a control character in the path finds no page (404), in a query string
    it is refused (400); neither reaches a database query (PostgreSQL refuses NUL)."""
    if _CONTROL_CHARACTERS.search(request.path):
        raise NotFound()
    for value in request.args.values():
        if _CONTROL_CHARACTERS.search(value):
            raise UnsafeText()


class ActionForm(FlaskForm):
    """A form with only the CSRF token: a button that changes something."""
