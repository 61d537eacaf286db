"""Form pieces shared by every domain."""

from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import SelectMultipleField, widgets
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
    """Refuse control characters (except newlines and tabs) in free text."""

    def __init__(self, message=None):
        self.message = message or _l("This field contains characters that are not allowed.")

    def __call__(self, form, field):
        value = field.data or ""
        if isinstance(value, str) and any(
            ord(ch) < 32 and ch not in "\n\r\t" or ord(ch) == 127 for ch in value
        ):
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
