"""Forms for meeting a participant: a new participant, or finding one by code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import InputRequired, Length

from fieldapp.common.forms import FlaskForm, strip

AGE_BAND_LABELS = {
    "under_16": _l("Younger than 16"),
    "16_17": _l("16 or 17"),
    "18_24": _l("18 to 24"),
    "25_44": _l("25 to 44"),
    "45_64": _l("45 to 64"),
    "65_plus": _l("65 or older"),
    "unknown": _l("Rather not say"),
}


class NewParticipantForm(FlaskForm):
    language = RadioField(
        _l("Language of the interview"),
        validators=[InputRequired(_l("Choose the language of the participant."))],
    )
    age_band = RadioField(
        _l("Age"),
        choices=[Choice(key, label) for key, label in AGE_BAND_LABELS.items()],
        validators=[InputRequired(_l("Choose an age group."))],
    )
    # Only shown when the study's area lists its neighbourhoods; choices set by the view
    sub_area = RadioField(
        _l("Neighbourhood where they live"),
        validate_choice=True,
        default="",
    )


class FindParticipantForm(FlaskForm):
    code = StringField(
        _l("Participant code"),
        description=_l("As on the participant's card, for example K7Q-3MXA."),
        filters=[strip],
        validators=[InputRequired(_l("Enter the code.")), Length(max=20)],
        render_kw={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"},
    )


class CoordinatorWithdrawForm(FlaskForm):
    category = SelectField(
        _l("Why does the participant withdraw?"),
        choices=[
            Choice("changed_mind", _l("Changed their mind")),
            Choice("privacy_worry", _l("Worried about privacy")),
            Choice("never_agreed", _l("Says they never agreed")),
            Choice("other", _l("Other reason")),
        ],
        validators=[InputRequired(_l("Choose a reason."))],
    )
