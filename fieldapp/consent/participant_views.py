"""Meeting participants: a new participant at the door, or a returning one by code
(blueprint "participants").

These pages live with consent, not in participants: meeting someone new goes straight on to
the consent form, and the lists show each participant's consent. Participants sits below
consent, which keeps its records."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice as Choice

from fieldapp.consent.services import current_form, latest_record
from fieldapp.consent.views import start_consent
from fieldapp.i18n import language
from fieldapp.participants import services
from fieldapp.participants.access import load_participant
from fieldapp.participants.forms import FindParticipantForm, NewParticipantForm
from fieldapp.studies.access import study_view

bp = Blueprint("participants", __name__)

ERRORS = {
    "not_allowed": _l("Only people who work on this study can meet participants."),
    "not_in_fieldwork": _l("This study is not in fieldwork."),
    "unknown_language": _l("Choose one of the languages of the study."),
    "unknown_age_band": _l("Choose an age group."),
    "unknown_sub_area": _l("Choose a neighbourhood from the list."),
    "no_consent_text": _l("There is no published consent text in this language yet."),
    "no_code": _l("No free code could be found. Please try again."),
    "mistyped": _l("This code is not right. Check it against the card: one character is wrong."),
    "withdrawn": _l("This participant has withdrawn. Nothing about them is kept."),
    "not_found": _l("No participant of yours has this code in this study."),
}


@bp.route("/studies/<int:study_id>/participants/new", methods=["GET", "POST"])
@login_required
@study_view()
def new(study):
    """Start with a new participant: their language and age, then consent (stores nothing)."""
    if not services.can_take_participants(current_user, study):
        abort(403)
    form = NewParticipantForm()
    form.language.choices = [
        Choice(code, language(code).native_name, render_kw={"lang": code})
        for code in study.languages
    ]
    area = study.area
    form.sub_area.choices = [
        Choice(code, area.sub_area_name(code)) for code in area.cbs_codes or []
    ] + [Choice("", _("Not asked or not known"))]
    if not area.cbs_codes:
        del form.sub_area
    if not form.is_submitted():
        form.language.data = _default_language(study)
    if form.validate_on_submit():
        try:
            pending = services.check_new_participant(
                current_user,
                study,
                language=form.language.data,
                age_band=form.age_band.data,
                sub_area=form.sub_area.data if "sub_area" in form else None,
            )
        except services.ParticipantError as error:
            form.language.errors.append(ERRORS[error.code])
        else:
            # Nothing is stored yet: the choices go on with the consent form.
            return start_consent(study, pending)
    status = 400 if form.is_submitted() else 200
    return render_template("participants/new.html", form=form, study=study), status


def _default_language(study) -> str:
    """The participant's language, chosen for them to save a tap: the language the
    co-researcher uses the app in, when the study has it, else the study's first."""
    interface = str(get_locale() or "")
    return interface if interface in study.languages else study.languages[0]


@bp.route("/studies/<int:study_id>/participants/find", methods=["GET", "POST"])
@login_required
@study_view()
def find(study):
    """Find a returning participant by the code on their card."""
    form = FindParticipantForm()
    if form.validate_on_submit():
        try:
            participant = services.find_by_code(current_user, study, form.code.data)
        except services.ParticipantError as error:
            form.code.errors.append(ERRORS[error.code])
        else:
            return redirect(url_for("participants.show", participant_id=participant.id))
    status = 400 if form.is_submitted() else 200
    return render_template("participants/find.html", form=form, study=study), status


@bp.get("/studies/<int:study_id>/participants")
@login_required
@study_view()
def index(study):
    """The participants this user met (a coordinator: all of the study)."""
    participants = services.participants_visible_to(current_user, study)
    form = current_form(study)
    rows = []
    for participant in participants:
        record = latest_record(participant)
        rows.append(
            (
                participant,
                record,
                record is not None and record.form_id == getattr(form, "id", None),
            )
        )
    return render_template("participants/index.html", study=study, rows=rows)


@bp.get("/participants/<int:participant_id>")
@login_required
def show(participant_id: int):
    """One participant: code, language, and the state of their consent."""
    participant = load_participant(participant_id)
    record = latest_record(participant)
    form = current_form(participant.study)
    return render_template(
        "participants/show.html",
        participant=participant,
        record=record,
        up_to_date=record is not None and form is not None and record.form_id == form.id,
    )


def flash_error(code: str) -> None:
    flash(ERRORS.get(code, _("That did not work.")), "error")
