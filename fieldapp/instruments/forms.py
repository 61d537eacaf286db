"""Forms of the instrument builder."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from fieldapp.common.forms import FlaskForm, NoControlCharacters, strip

TYPE_LABELS = {
    "text": _l("Short text"),
    "long_text": _l("Long text"),
    "integer": _l("Whole number"),
    "decimal": _l("Number with decimals"),
    "select_one": _l("Choose one"),
    "select_multiple": _l("Choose several"),
    "scale": _l("Scale 1 to 5 (with pictures)"),
    "yes_no": _l("Yes or no"),
    "date": _l("Date"),
    "photo": _l("Photo"),
    "location": _l("Location"),
    "note": _l("Text to show (no answer)"),
}
KIND_LABELS = {
    "questionnaire": _l("Questionnaire or interview guide"),
    "observation": _l("Observation protocol"),
}
NAME_HELP = _l("Letters, digits and _ only, starting with a letter; used in exports and rules.")
NAME_VALIDATORS = [
    InputRequired(_l("Enter a name.")),
    Length(max=64, message=_l("Use at most %(max)d characters.")),
    Regexp(r"^[A-Za-z_][A-Za-z0-9_.\-]*$", message=NAME_HELP),
]


class NewInstrumentForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter a title.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    kind = SelectField(
        _l("Kind"), choices=[Choice(k, v) for k, v in KIND_LABELS.items()], default="questionnaire"
    )
    public_space = BooleanField(
        _l("About public space: keep exact locations (otherwise about 100 m)")
    )


class ImportForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter a title.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    kind = SelectField(
        _l("Kind"), choices=[Choice(k, v) for k, v in KIND_LABELS.items()], default="questionnaire"
    )
    file = FileField(
        _l("XLSForm file (.xlsx)"),
        description=_l("The spreadsheet format of ODK and KoBoToolbox."),
        render_kw={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )


class QuestionForm(FlaskForm):
    """Fixed fields; labels, hints and messages per study language are added per form."""

    name = StringField(
        _l("Name"), description=NAME_HELP, filters=[strip], validators=NAME_VALIDATORS
    )
    type = SelectField(_l("Type"), choices=[Choice(k, v) for k, v in TYPE_LABELS.items()])
    group = SelectField(_l("On the page of group"), validators=[Optional()])
    choice_list = SelectField(_l("Answers (choice list)"), validators=[Optional()])
    required = BooleanField(_l("An answer is required"))
    relevant = StringField(
        _l("Only ask when (optional)"),
        description=_l("A rule like ${age} >= 18 and ${tenure} = 'rent'"),
        filters=[strip],
        validators=[Length(max=1000), NoControlCharacters()],
    )
    constraint = StringField(
        _l("The answer must fit (optional)"),
        description=_l("A rule about the answer itself, written with a dot: . >= 0 and . <= 120"),
        filters=[strip],
        validators=[Length(max=1000), NoControlCharacters()],
    )


class GroupForm(FlaskForm):
    name = StringField(
        _l("Name"), description=NAME_HELP, filters=[strip], validators=NAME_VALIDATORS
    )
    relevant = StringField(
        _l("Only show when (optional)"),
        filters=[strip],
        validators=[Length(max=1000), NoControlCharacters()],
    )


class ChoiceListForm(FlaskForm):
    name = StringField(
        _l("Name of the list"), description=NAME_HELP, filters=[strip], validators=NAME_VALIDATORS
    )


class InstrumentSettingsForm(FlaskForm):
    accuracy_threshold_m = IntegerField(
        _l("Ask to confirm a location less precise than (metres)"),
        validators=[InputRequired(), NumberRange(1, 10000)],
    )
