"""Forms for fieldwork: starting an interview, observations, review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from fieldapp.common.forms import FlaskForm, MultiCheckboxField, NoControlCharacters, strip


class StartInterviewForm(FlaskForm):
    uuid = HiddenField(validators=[InputRequired()])
    # The participant the form was made for (their uuid): a form sent again after they
    # withdrew is refused (410) even though they can no longer be looked up.
    participant = HiddenField()
    version_id = SelectField(_l("Questionnaire"), coerce=str, validators=[InputRequired()])


class ObservationForm(FlaskForm):
    uuid = HiddenField(validators=[InputRequired()])
    themes = MultiCheckboxField(
        _l("Themes"), validators=[InputRequired(_l("Choose at least one theme."))]
    )
    category = StringField(
        _l("What is it? (one or two words)"),
        description=_l("For example: rubbish, playground, bench, lighting."),
        filters=[strip],
        validators=[
            Length(max=80, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    note = TextAreaField(
        _l("What do you see?"),
        filters=[strip],
        validators=[
            InputRequired(_l("Write what you see.")),
            Length(max=5000, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    photos = MultipleFileField(
        _l("Photos (at most 5)"),
        description=_l("No recognisable people in the photos."),
        render_kw={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"},
    )
    latitude = DecimalField(
        id="obs_lat",
        label=_l("Latitude"),
        places=None,
        validators=[Optional(), NumberRange(-90, 90)],
    )
    longitude = DecimalField(
        id="obs_lon",
        label=_l("Longitude"),
        places=None,
        validators=[Optional(), NumberRange(-180, 180)],
    )
    accuracy = DecimalField(
        id="obs_accuracy",
        label=_l("Accuracy in metres"),
        places=None,
        validators=[Optional(), NumberRange(0, 100000)],
    )
    accuracy_confirmed = BooleanField(_l("The location is not precise; use it anyway"))
    place_description = StringField(
        _l("Where is it? (when the phone has no location)"),
        description=_l("For example: corner of Akerstraat and the market."),
        filters=[strip],
        validators=[
            Length(max=300, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            Choice("approved", _l("Approve")),
            Choice("needs_attention", _l("Needs attention")),
        ],
        validators=[InputRequired(_l("Choose a decision."))],
    )
    comment = TextAreaField(
        _l("Comment for the co-researcher"),
        filters=[strip],
        validators=[
            Length(max=5000, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )


class SubmitInterviewForm(FlaskForm):
    notes = TextAreaField(
        _l("Notes (optional)"),
        description=_l("What you noticed during the interview. Never the participant's name."),
        filters=[strip],
        validators=[
            Length(max=10000, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
