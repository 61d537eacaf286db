"""Study forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import Email, InputRequired, Length, Optional

from fieldapp.common.forms import (
    FlaskForm,
    MultiCheckboxField,
    NoControlCharacters,
    language_choices,
    strip,
)
from fieldapp.studies.themes import AGENDA_THEMES


class StudyForm(FlaskForm):
    area_id = SelectField(_l("Area"), coerce=str, validators=[InputRequired(_l("Choose an area."))])
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter a title.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    research_question = TextAreaField(
        _l("Research question"),
        description=_l("In plain words: what do you want to find out, and why?"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter the research question.")),
            Length(max=2000, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    lead_organisation = StringField(
        _l("Lead organisation"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter the lead organisation.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    contact_email = EmailField(
        _l("Contact e-mail for residents (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
            Email(
                message=_l("Enter an e-mail address like name@example.nl."),
                check_deliverability=False,
            ),
        ],
    )
    themes = MultiCheckboxField(
        _l("Themes of the research agenda"),
        choices=[Choice(key, label) for key, label in AGENDA_THEMES.items()],
    )
    custom_themes = StringField(
        _l("Other themes (optional)"),
        description=_l("Separate themes with commas."),
        filters=[strip],
        validators=[
            Length(max=500, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    languages = MultiCheckboxField(
        _l("Languages of the study"),
        description=_l("Languages in which residents are interviewed and read the results."),
        choices=language_choices(),
        validators=[InputRequired(_l("Choose at least one language."))],
    )
    retention_date = DateField(
        _l("Delete personal data on"),
        description=_l("On this date the personal data collected in this study is erased."),
        validators=[InputRequired(_l("Enter a date, like 2027-12-31."))],
    )


class StateForm(FlaskForm):
    target = HiddenField(validators=[InputRequired()])


class AddMemberForm(FlaskForm):
    user_id = SelectField(
        _l("Co-researcher"), coerce=str, validators=[InputRequired(_l("Choose a person."))]
    )


class RemoveMemberForm(FlaskForm):
    user_id = HiddenField(validators=[InputRequired()])
