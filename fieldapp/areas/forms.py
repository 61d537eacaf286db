"""The area form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from fieldapp.common.forms import FlaskForm, MultiCheckboxField, NoControlCharacters, strip


class AreaForm(FlaskForm):
    name = StringField(
        _l("Name of the area"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter a name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    slug = StringField(
        _l("Short name for web addresses"),
        description=_l("Lower-case letters, digits and dashes, for example heerlen-noord."),
        filters=[strip, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[
            InputRequired(_l("Enter a short name.")),
            Length(max=80, message=_l("Use at most %(max)d characters.")),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message=_l("Use only lower-case letters, digits and dashes."),
            ),
        ],
    )
    municipality = StringField(
        _l("Municipality"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter the municipality.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    cbs_codes = TextAreaField(
        _l("CBS neighbourhood codes (optional)"),
        description=_l("The buurtcodes in this area, like BU09170000, separated by commas."),
        validators=[Length(max=5000, message=_l("Use at most %(max)d characters."))],
    )
    cbs_names = TextAreaField(
        _l("Names of the neighbourhoods (optional)"),
        description=_l(
            "One per line: the code, then the name people use, like BU09170300 Centrum. "
            "Field workers choose from these names."
        ),
        validators=[Length(max=5000, message=_l("Use at most %(max)d characters."))],
    )
    coordinators = MultiCheckboxField(_l("Coordinators"), coerce=int)
