"""Forms: taking consent on the phone, and writing consent versions."""

from __future__ import annotations

import base64
import binascii

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from fieldapp.common.forms import FlaskForm, MultiCheckboxField, NoControlCharacters, strip
from fieldapp.consent.models import STANDARD_ITEMS

ITEM_NAMES = {
    "take_part": _l("Take part"),
    "audio": _l("Audio recording"),
    "quote": _l("Quoting anonymously"),
    "photo": _l("Photos showing the participant"),
    "recontact": _l("Contact later with the results"),
    "reuse": _l("Re-use of anonymised data"),
}
METHOD_LABELS = {
    "signature": _l("Signed on the screen"),
    "spoken": _l("Said yes out loud; I confirm it"),
    "paper": _l("On a paper form"),
}
MAX_SIGNATURE_BYTES = 512 * 1024


def yes_no():
    return [Choice("yes", _l("Yes")), Choice("no", _l("No"))]


def decode_signature(data_url: str) -> bytes | None:
    """The PNG behind a data: URL from the signature pad; None when empty."""
    if not data_url:
        return None
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValueError("not a PNG data URL")
    if len(data_url) > MAX_SIGNATURE_BYTES * 4 // 3 + len(prefix) + 4:
        raise ValueError("too large")
    try:
        return base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None


class SignatureData:
    def __call__(self, form, field):
        try:
            decode_signature(field.data or "")
        except ValueError:
            raise ValidationError(
                _l("The signature could not be read. Please sign again.")
            ) from None


class TakeConsentForm(FlaskForm):
    """Fixed fields; one yes/no field per item is added in build_consent_form()."""

    method = RadioField(
        _l("How was consent given?"),
        choices=[Choice(k, v) for k, v in METHOD_LABELS.items()],
        validators=[InputRequired(_l("Choose how consent was given."))],
    )
    # Labelled, so the error summary names it in the participant's language
    signature = HiddenField(_l("Signature"), validators=[SignatureData()])
    declaration = BooleanField(
        _l("I read the information with the participant, and they said yes to the answers above.")
    )
    paper_reference = StringField(
        _l("Number of the paper form"),
        filters=[strip],
        validators=[Optional(), Length(max=60, message=_l("Use at most %(max)d characters."))],
    )
    guardian_consented = BooleanField(_l("A parent or guardian also agrees"))
    guardian_relation = SelectField(
        _l("Who agrees for the child?"),
        choices=[
            Choice("", _l("Choose")),
            Choice("parent", _l("Parent")),
            Choice("guardian", _l("Guardian")),
        ],
        validators=[Optional()],
    )
    guardian_method = SelectField(
        _l("How did the parent or guardian agree?"),
        choices=[Choice("", _l("Choose"))] + [Choice(k, v) for k, v in METHOD_LABELS.items()],
        validators=[Optional()],
    )
    contact_name = StringField(
        _l("Name (only to send the results)"),
        filters=[strip],
        validators=[Optional(), Length(max=120), NoControlCharacters()],
        render_kw={"autocomplete": "off"},
    )
    contact_email = EmailField(
        _l("E-mail (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message=_l("Enter an e-mail address like name@example.nl."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "off"},
    )
    contact_phone = TelField(
        _l("Phone (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=40)],
        render_kw={"autocomplete": "off"},
    )


def build_consent_form(item_keys: list[str], labels: dict[str, str], **kwargs) -> TakeConsentForm:
    """A consent form class with a yes/no question per item, in the order of the version."""

    class Form(TakeConsentForm):
        pass

    for key in item_keys:
        field_name = "item_" + key.replace(":", "__").replace("-", "_")
        setattr(
            Form,
            field_name,
            RadioField(
                labels.get(key) or key,
                choices=yes_no(),
                validators=[InputRequired(_l("Choose yes or no."))],
            ),
        )
    form = Form(**kwargs)
    form.item_fields = [
        (key, form["item_" + key.replace(":", "__").replace("-", "_")]) for key in item_keys
    ]
    return form


class ItemsForm(FlaskForm):
    standard = MultiCheckboxField(
        _l("Items"),
        choices=[Choice(key, ITEM_NAMES[key]) for key in STANDARD_ITEMS if key != "take_part"],
    )
    custom = TextAreaField(
        _l("Extra items (optional)"),
        description=_l("One per line, for example: Share my answers with the housing corporation."),
        validators=[Length(max=2000), NoControlCharacters()],
    )


class ConsentTextForm(FlaskForm):
    information = TextAreaField(
        _l("Information for the participant"),
        description=_l(
            "In plain words: what the study is, who runs it, what happens with the answers, "
            "how long data is kept, how to withdraw, and whom to contact."
        ),
        validators=[
            InputRequired(_l("Write the information text.")),
            Length(max=10000, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
