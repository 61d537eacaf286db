"""Forms for hours, rates, thank-yous, approvals, batches, bank details and limits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from fieldapp.common.forms import FlaskForm, MultiCheckboxField, NoControlCharacters, strip

ACTIVITY_LABELS = {
    "training": _l("Training"),
    "fieldwork": _l("Fieldwork"),
    "analysis": _l("Analysis"),
    "meetings": _l("Meetings"),
    "reporting": _l("Reporting"),
    "interview": _l("Interview"),
    "training_session": _l("Training session"),
    "analysis_session": _l("Analysis session"),
}
KIND_LABELS = {
    "gift_card": _l("Gift card"),
    "voucher": _l("Voucher with serial number"),
    "cash": _l("Cash"),
}
ENTRY_STATE_LABELS = {
    "open": _l("Waiting for approval"),
    "approved": _l("Approved"),
    "rejected": _l("Not approved"),
    "paid": _l("Paid"),
}
BATCH_STATE_LABELS = {"draft": _l("Draft"), "approved": _l("Approved"), "paid": _l("Paid")}


def quarter_hour_choices():
    choices = [Choice("", _l("Choose"))]
    for quarters in range(1, 49):  # 15 minutes to 12 hours
        hours, rest = divmod(quarters * 15, 60)
        label = f"{hours}:{rest:02d}"
        choices.append(Choice(str(quarters * 15), label))
    return choices


class Amount:
    """Euros as typed ('12,50'); refused with a message when not whole cents."""

    def __init__(self, message=None):
        self.message = message or _l("Enter an amount in euros, like 12,50.")

    def __call__(self, form, field):
        # imported when needed: schwifty and sepaxml are slow to load
        from fieldapp.compensation.banking import BankingError, cents_from_text

        if field.data in (None, ""):
            return
        try:
            field.cents = cents_from_text(field.data)
        except BankingError:
            raise ValidationError(self.message) from None


def amount_field(label, required=True):
    # DataRequired too: a value of only spaces or a line break is empty once stripped.
    enter = _l("Enter an amount.")
    validators = [InputRequired(enter), DataRequired(enter)] if required else [Optional()]
    return StringField(
        label,
        filters=[strip],
        validators=[*validators, Length(max=20), Amount()],
        render_kw={"inputmode": "decimal"},
    )


class HoursForm(FlaskForm):
    study_id = SelectField(_l("Study"), validators=[InputRequired(_l("Choose a study."))])
    activity = SelectField(
        _l("What did you do?"),
        choices=[
            Choice(k, ACTIVITY_LABELS[k])
            for k in ("fieldwork", "training", "analysis", "meetings", "reporting")
        ],
        validators=[InputRequired(_l("Choose an activity."))],
    )
    work_date = DateField(
        _l("Date"), validators=[InputRequired(_l("Enter a date, like 2027-12-31."))]
    )
    minutes = SelectField(
        _l("How long? (hours:minutes)"),
        choices=quarter_hour_choices(),
        validators=[InputRequired(_l("Choose how long."))],
    )
    note = StringField(
        _l("Note (optional)"),
        filters=[strip],
        validators=[
            Length(max=300, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )


class AddWorkForm(HoursForm):
    """A coordinator adds hours or a session for someone, with a reason."""

    user_id = SelectField(_l("Person"), validators=[InputRequired(_l("Choose a person."))])
    activity = SelectField(
        _l("What"),
        choices=[
            Choice(k, ACTIVITY_LABELS[k])
            for k in (
                "fieldwork",
                "training",
                "analysis",
                "meetings",
                "reporting",
                "training_session",
                "analysis_session",
            )
        ],
        validators=[InputRequired(_l("Choose an activity."))],
    )
    reason = StringField(
        _l("Why are you adding this?"),
        filters=[strip],
        validators=[InputRequired(_l("Give a reason.")), Length(max=500), NoControlCharacters()],
    )


class RatesForm(FlaskForm):
    hourly = amount_field(_l("Per hour (euros)"))
    per_interview = amount_field(_l("Per approved interview (euros)"))
    per_training = amount_field(_l("Per training session (euros)"))
    per_analysis = amount_field(_l("Per analysis session (euros)"))


class ThankYouTypeForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[Choice(k, v) for k, v in KIND_LABELS.items()])
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[InputRequired(_l("Enter a name.")), Length(max=80), NoControlCharacters()],
    )
    value = amount_field(_l("Value (euros)"))
    stock = IntegerField(
        _l("How many are there?"),
        validators=[InputRequired(_l("Enter a number.")), NumberRange(0, 100000)],
    )
    needs_serial = BooleanField(_l("Each one has a serial number"))


class ThankYouForm(FlaskForm):
    type_id = SelectField(_l("What was given?"), validators=[InputRequired(_l("Choose one."))])
    serial_number = StringField(
        _l("Serial number (if there is one)"),
        filters=[strip],
        validators=[Length(max=60), NoControlCharacters()],
    )


class ApproveForm(FlaskForm):
    entry_ids = MultiCheckboxField(_l("Entries"), coerce=int)
    override_reason = TextAreaField(
        _l("Why approve even though a limit is passed?"),
        filters=[strip],
        validators=[Length(max=300), NoControlCharacters()],
    )


class CorrectionForm(FlaskForm):
    minutes = SelectField(
        _l("How long? (hours:minutes)"),
        choices=quarter_hour_choices(),
        filters=[strip],  # a line break alone means "unchanged", like an empty choice
        validators=[Optional()],
    )
    amount = amount_field(_l("Amount (euros)"), required=False)
    work_date = DateField(_l("Date"), validators=[Optional()])
    note = StringField(
        _l("Note"), filters=[strip], validators=[Length(max=300), NoControlCharacters()]
    )
    reason = StringField(
        _l("Why this change?"),
        filters=[strip],
        validators=[InputRequired(_l("Give a reason.")), Length(max=500), NoControlCharacters()],
    )


class ReasonForm(FlaskForm):
    reason = StringField(
        _l("Reason"),
        filters=[strip],
        validators=[InputRequired(_l("Give a reason.")), Length(max=500), NoControlCharacters()],
    )


class BankForm(FlaskForm):
    account_name = StringField(
        _l("Name of the account holder"),
        filters=[strip],
        validators=[InputRequired(_l("Enter the name.")), Length(max=70), NoControlCharacters()],
        render_kw={"autocomplete": "name"},
    )
    iban = StringField(
        _l("IBAN"),
        description=_l("For example NL91 ABNA 0417 1643 00."),
        filters=[strip],
        validators=[InputRequired(_l("Enter the IBAN.")), Length(max=50)],
        render_kw={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"},
    )


class LimitsSettingForm(FlaskForm):
    limits_apply = BooleanField(_l("The volunteer allowance limits apply to this person"))
    date_of_birth = DateField(_l("Date of birth (optional)"), validators=[Optional()])
    age_band = SelectField(
        _l("Age (when the date of birth is not given)"),
        choices=[
            Choice("", "–"),
            Choice("21_plus", _l("21 or older")),
            Choice("under_21", _l("Younger than 21")),
        ],
        validators=[Optional()],
    )


class LimitsForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    hourly_21_plus = amount_field(_l("Per hour, 21 or older (euros)"), required=False)
    hourly_under_21 = amount_field(_l("Per hour, younger than 21 (euros)"), required=False)
    monthly = amount_field(_l("Per month (euros)"))
    yearly = amount_field(_l("Per year (euros)"))
