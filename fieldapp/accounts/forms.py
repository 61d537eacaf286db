"""Forms for logging in, invitations, passwords and the profile."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, Regexp

from fieldapp.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from fieldapp.common.forms import (
    FlaskForm,
    MultiCheckboxField,
    NoControlCharacters,
    language_choices,
    strip,
)

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "coordinator": _l("Coordinator"),
    "co_researcher": _l("Co-researcher"),
}


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        filters=[strip],
        validators=[InputRequired(_l("Enter your username.")), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class ReauthenticateForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


def _new_password_field(label):
    return PasswordField(
        label,
        description=_l(
            "At least %(count)s characters. A few words together are easy to remember.",
            count=MIN_LENGTH,
        ),
        validators=[
            InputRequired(_l("Choose a password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("A password needs at least %(count)s characters.", count=MIN_LENGTH),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class AcceptInvitationForm(FlaskForm):
    password = _new_password_field(_l("Choose a password"))
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[
            InputRequired(_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            InputRequired(_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class InvitationForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[InputRequired()])
    display_name = StringField(
        _l("Name"),
        description=_l("How the person is called in fieldapp. Only coordinators see it."),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter a name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    username = StringField(
        _l("Username"),
        description=_l("Lower-case letters, digits, dots, dashes; 3 to 64 characters."),
        filters=[strip, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[
            InputRequired(_l("Enter a username.")),
            Length(min=3, max=64, message=_l("Use 3 to 64 characters.")),
            Regexp(
                r"^[a-z0-9][a-z0-9._@\-]*$",
                message=_l("Use only lower-case letters, digits, dots and dashes."),
            ),
        ],
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    email = EmailField(
        _l("E-mail (optional)"),
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
    locale = SelectField(_l("Language of the app"), choices=language_choices(), default="nl")
    languages_spoken = MultiCheckboxField(
        _l("Languages the person speaks"), choices=language_choices()
    )
    study_id = SelectField(_l("Study"), coerce=str, validators=[Optional()])
    area_id = SelectField(_l("Area (for coordinators)"), coerce=str, validators=[Optional()])


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter a name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )
    locale = SelectField(_l("Language of the app"), choices=language_choices())
    languages_spoken = MultiCheckboxField(_l("Languages you speak"), choices=language_choices())
