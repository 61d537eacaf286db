"""Form pieces shared by every domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
