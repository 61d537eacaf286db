"""Fieldwork pages: running an interview, observations, review, and serving photos."""

from __future__ import annotations

import uuid as uuid_module

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice as Choice

from fieldapp.common.errors import MESSAGES as ERROR_PAGES
from fieldapp.consent import services as consent
from fieldapp.consent.models import ConsentRecord
from fieldapp.extensions import db
from fieldapp.fieldwork import interviews as service
from fieldapp.fieldwork import observations as observation_service
from fieldapp.fieldwork import submissions
from fieldapp.fieldwork.forms import (
    ObservationForm,
    ReviewForm,
    StartInterviewForm,
    SubmitInterviewForm,
)
from fieldapp.fieldwork.models import Answer, Interview, Observation, ObservationPhoto
from fieldapp.i18n import current_language
from fieldapp.instruments.definition import SCALE_ICONS, Group
from fieldapp.instruments.models import InstrumentVersion
from fieldapp.instruments.services import published_instruments
from fieldapp.media.models import MediaFile
from fieldapp.media.services import MediaRejected, MediaStorageFailed, send_media
from fieldapp.participants.access import load_participant
from fieldapp.participants.services import can_manage_participant
from fieldapp.studies.access import study_view
from fieldapp.studies.models import MemberRole, Study

bp = Blueprint("fieldwork", __name__)

ERRORS = {
    "required": _l("Please answer this question."),
    "constraint": _l("This answer is not possible. Please check it."),
    "too_long": _l("This answer is too long."),
    "invalid_text": _l("This answer contains characters that are not allowed."),
    "not_integer": _l("Enter a whole number, like 12."),
    "not_decimal": _l("Enter a number, like 3.5."),
    "not_date": _l("Enter a date, like 2027-12-31."),
    "invalid_choice": _l("Choose one of the answers."),
    "invalid_location": _l("This location cannot be right."),
    "no_photo_consent": _l("The participant did not agree to photos."),
    "photo_empty": _l("The photo is empty."),
    "photo_too_large": _l("The photo is too large."),
    "photo_too_many_pixels": _l("The photo is too large."),
    "photo_bomb": _l("The photo is too large."),
    "photo_not_an_image": _l("This file is not a photo."),
    "photo_unsupported_format": _l("Use a JPEG, PNG or WebP photo."),
    "photo_storage": _l(
        "The photo could not be saved: the server's storage is full or not available. "
        "Nothing was saved. Please try again later."
    ),
    "bad_id": _l("Something in the request was wrong."),
    "erased": _l("This was erased because the participant withdrew."),
    "id_conflict": _l("This was already sent for something else."),
    "not_in_fieldwork": _l("This study is not in fieldwork."),
    "not_allowed": _l("You cannot do this."),
    "unknown_instrument": _l("Choose a questionnaire."),
    "no_consent": _l("There is no valid consent. Take consent first."),
    "incomplete": _l("Some questions still need an answer."),
    "not_editable": _l("This can no longer be changed."),
    "comment_needed": _l("Write what needs attention."),
    "wrong_state": _l("This was already reviewed."),
    "unknown_decision": _l("Choose a decision."),
    "no_theme": _l("Choose at least one theme."),
    "unknown_theme": _l("Choose themes from the list."),
    "no_place": _l("The phone has no location: describe the place."),
    "confirm_accuracy": _l(
        "The location is not precise (more than %(threshold)s metres). Confirm to use it."
    ),
    "too_many_photos": _l("At most %(max)s photos."),
}
# Refusals under rule 3 get a page of their own (409 or 410) that says what happened.
REFUSALS = {
    "erased": ERRORS["erased"],
    "id_conflict": ERRORS["id_conflict"],
    "observation_conflict": _l(
        "This observation was already sent with other content. "
        "The first version is kept; nothing was changed."
    ),
    "photo_conflict": _l(
        "This photo was already sent with other content, or for something else. "
        "The first one is kept; nothing was changed."
    ),
}
FIELDWORK_STATES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "approved": _l("Approved"),
    "needs_attention": _l("Needs attention"),
}


@bp.app_context_processor
def fieldwork_labels():
    return {"state_labels_fieldwork": FIELDWORK_STATES}


def error_text(code: str, params: dict | None = None) -> str:
    message = ERRORS.get(code, ERRORS["constraint"])
    return str(message) % params if params else str(message)


def refused(error: service.FieldworkError):
    """The page for a refused submission (409 same id, other content; 410 erased)."""
    db.session.rollback()
    kept = error.params.get("kept")
    kept_url = None
    if isinstance(kept, Observation) and observation_service.can_see_observation(
        current_user, kept
    ):
        kept_url = url_for("fieldwork.show_observation", uuid=kept.uuid)
    return render_template(
        "fieldwork/refused.html",
        title=ERROR_PAGES[error.status][0],
        text=REFUSALS.get(error.code, ERROR_PAGES[error.status][1]),
        kept_url=kept_url,
    ), error.status


def refuse_erased(*ids) -> None:
    """Answer 410 at once when an id belongs to erased data (the tombstone comes first)."""
    try:
        submissions.refuse_erased(*ids)
    except service.FieldworkError as error:
        abort(make_response(refused(error)))


# ---------------------------------------------------------------- loading with access checks


def load_interview(uuid: str) -> Interview:
    from sqlalchemy.orm import joinedload, selectinload

    # The study with its members (for the access check), the version and the answers: one
    # page needs them all, so they come in few queries.
    interview = db.session.scalar(
        select(Interview)
        .options(
            joinedload(Interview.study).selectinload(Study.members),
            joinedload(Interview.version),
            selectinload(Interview.answers),
        )
        .where(Interview.uuid == uuid[:36])
    )
    if interview is None:
        refuse_erased(uuid)
    if interview is None or not service.can_see_interview(current_user, interview):
        abort(404)
    return interview


def load_observation(uuid: str) -> Observation:
    observation = db.session.scalar(select(Observation).where(Observation.uuid == uuid[:36]))
    if observation is None:
        refuse_erased(uuid)
    if observation is None or not observation_service.can_see_observation(
        current_user, observation
    ):
        abort(404)
    return observation


# ---------------------------------------------------------------- starting


def start_form(participant) -> StartInterviewForm:
    form = StartInterviewForm()
    form.version_id.choices = [
        Choice(str(i.current_version.id), i.title)
        for i in published_instruments(participant.study, "questionnaire")
    ]
    if not form.is_submitted():
        form.uuid.data = str(uuid_module.uuid4())
        form.participant.data = participant.uuid
        if form.version_id.choices:
            form.version_id.data = form.version_id.choices[0].value
    return form


@bp.get("/participants/<int:participant_id>/interviews")
@login_required
def interviews_of(participant_id: int):
    """The participant's interviews, and the button to start one."""
    participant = load_participant(participant_id)
    found = [
        i
        for i in db.session.scalars(
            select(Interview)
            .where(Interview.participant_id == participant.id)
            .order_by(Interview.started_at.desc())
        )
        if service.can_see_interview(current_user, i)
    ]
    try:
        consent.require_consent(participant)
        consented = True
    except consent.ConsentRequired:
        consented = False
    return render_template(
        "fieldwork/participant_interviews.html",
        participant=participant,
        interviews=found,
        form=start_form(participant),
        consented=consented,
    )


@bp.post("/participants/<int:participant_id>/interviews")
@login_required
def start(participant_id: int):
    """Start an interview with a participant who consented (idempotent by its id)."""
    # The interview's id, or the participant's, may be of erased data: 410 before the
    # participant (who is gone then) is looked up.
    refuse_erased(request.form.get("uuid"), request.form.get("participant"))
    participant = load_participant(participant_id)
    form = start_form(participant)
    if not form.validate_on_submit():
        flash(ERRORS["unknown_instrument"], "error")
        return redirect(url_for("participants.show", participant_id=participant.id))
    version = db.session.get(InstrumentVersion, int(form.version_id.data))
    try:
        interview = service.start_interview(
            current_user,
            participant,
            version,
            uuid=form.uuid.data,
            participant_uuid=form.participant.data or None,
        )
    except service.FieldworkError as error:
        db.session.rollback()
        if error.status in (409, 410):
            return refused(error)
        flash(error_text(error.code), "error")
        return redirect(url_for("participants.show", participant_id=participant.id))
    db.session.commit()
    first = service.visible_pages(interview.version.definition, interview.answer_values())
    return redirect(url_for("fieldwork.page", uuid=interview.uuid, index=first[0] if first else 0))


# ---------------------------------------------------------------- running


def _page_input(questions) -> service.PageInput:
    values, files, file_ids = {}, {}, {}
    for question in questions:
        field = "q_" + question.name
        if question.type == "select_multiple":
            values[question.name] = request.form.getlist(field)
        elif question.type == "location":
            values[question.name] = {
                key: request.form.get(f"{field}_{key}", "").strip()[:40]
                for key in ("lat", "lon", "accuracy")
            }
        elif question.type == "photo":
            files[question.name] = request.files.get(field)
            file_ids[question.name] = request.form.get(field + "_id", "")
        else:
            values[question.name] = request.form.get(field, "")
    return service.PageInput(values=values, files=files, file_ids=file_ids)


def _photo_ids(questions) -> dict[str, str]:
    """A device id per photo question: the one sent, so a form sent again resends it."""
    ids = {}
    for question in questions:
        if question.type == "photo":
            sent = submissions.normal_id(request.form.get(f"q_{question.name}_id"))
            ids[question.name] = sent or str(uuid_module.uuid4())
    return ids


@bp.route("/interviews/<uuid>/page/<int:index>", methods=["GET", "POST"])
@login_required
def page(uuid: str, index: int):
    """One page of the interview: a question or a group, in the interview's language."""
    interview = load_interview(uuid)
    if not service.can_edit_interview(current_user, interview):
        return redirect(url_for("fieldwork.show", uuid=interview.uuid))
    definition = interview.version.definition
    pages = definition.pages()
    if not 0 <= index < len(pages):
        abort(404)
    values = interview.answer_values()
    item = pages[index]
    questions = service.relevant_questions(item, values)
    errors: dict = {}
    raw = values
    if request.method == "POST":
        if request.form.get("action") == "language":
            language = request.form.get("language", "")
            if language in interview.study.languages:
                interview.language = language
                db.session.commit()
            return redirect(url_for("fieldwork.page", uuid=uuid, index=index))
        if request.form.get("action") == "back":
            previous = service.previous_page(definition, values, index)
            target = (
                url_for("fieldwork.page", uuid=uuid, index=previous)
                if previous is not None
                else url_for("participants.show", participant_id=interview.participant_id)
            )
            return redirect(target)
        data = _page_input(questions)
        try:
            errors = service.save_page(current_user, interview, index, data)
        except service.FieldworkError as error:
            db.session.rollback()
            if error.status in (409, 410):
                return refused(error)
            flash(error_text(error.code), "error")
            return redirect(url_for("participants.show", participant_id=interview.participant_id))
        if not errors:
            values = interview.answer_values()
            following = service.next_page(definition, values, index)
            db.session.commit()
            if following is None:
                return redirect(url_for("fieldwork.submit", uuid=uuid))
            return redirect(url_for("fieldwork.page", uuid=uuid, index=following))
        db.session.rollback()
        raw = {**values, **data.values}
    visible = service.visible_pages(definition, values)
    position = visible.index(index) + 1 if index in visible else 1
    status = 200
    if errors:
        status = 503 if any(code == "photo_storage" for code, _p in errors.values()) else 400
    with force_locale(interview.language):
        return render_template(
            "fieldwork/page.html",
            interview=interview,
            definition=definition,
            item=item,
            group=item if isinstance(item, Group) else None,
            questions=questions,
            values=raw,
            errors={k: error_text(*v) for k, v in errors.items()},
            index=index,
            position=position,
            total=len(visible),
            language=interview.language,
            fallback=definition.default_language,
            scale_icons=SCALE_ICONS,
            photo_ids=_photo_ids(questions),
        ), status


@bp.route("/interviews/<uuid>/submit", methods=["GET", "POST"])
@login_required
def submit(uuid: str):
    """Check the interview over and send it."""
    interview = load_interview(uuid)
    if not service.can_edit_interview(current_user, interview):
        return redirect(url_for("fieldwork.show", uuid=interview.uuid))
    form = SubmitInterviewForm(obj=interview if request.method == "GET" else None)
    missing = service.missing_required(interview)
    if form.validate_on_submit():
        try:
            service.submit_interview(current_user, interview, notes=form.notes.data)
        except service.FieldworkError as error:
            db.session.rollback()
            if error.code == "incomplete":
                return redirect(url_for("fieldwork.page", uuid=uuid, index=error.params["page"]))
            flash(error_text(error.code), "error")
        else:
            db.session.commit()
            return redirect(url_for("fieldwork.done", uuid=uuid))
    definition = interview.version.definition
    with force_locale(interview.language):
        return render_template(
            "fieldwork/submit.html",
            interview=interview,
            definition=definition,
            values=interview.answer_values(),
            form=form,
            missing=missing,
            language=interview.language,
        )


@bp.get("/interviews/<uuid>/done")
@login_required
def done(uuid: str):
    """Thank the participant; lead to their card."""
    interview = load_interview(uuid)
    with force_locale(interview.language):
        return render_template("fieldwork/done.html", interview=interview)


def _review(record):
    """The review form of an interview or observation, for its study's coordinators only
    (None for anyone else), and the redirect once a posted review is saved."""
    if record.study.member_role(current_user) != MemberRole.COORDINATOR:
        return None, None
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            service.review(current_user, record, form.decision.data, form.comment.data)
        except service.FieldworkError as error:
            db.session.rollback()
            form.decision.errors.append(error_text(error.code))
        else:
            db.session.commit()
            flash(_("Your review is saved."), "success")
            return form, redirect(url_for("fieldwork.review_list", study_id=record.study_id))
    return form, None


@bp.route("/interviews/<uuid>", methods=["GET", "POST"])
@login_required
def show(uuid: str):
    """An interview with its answers, review notes and history; coordinators review here."""
    interview = load_interview(uuid)
    form, reviewed = _review(interview)
    if reviewed is not None:
        return reviewed
    return render_template(
        "fieldwork/interview.html",
        interview=interview,
        definition=interview.version.definition,
        values=interview.answer_values(),
        form=form,
    ), (400 if form is not None and form.errors else 200)


# ---------------------------------------------------------------- observations


def _observation_form(study) -> ObservationForm:
    form = ObservationForm()
    form.themes.choices = [
        Choice(key, label) for key, label in observation_service.theme_choices(study)
    ]
    if not form.is_submitted():
        form.uuid.data = str(uuid_module.uuid4())
    return form


def _sent_photo_ids() -> list[str]:
    """The device ids of the photo slots as the form sent them (one per slot, in order)."""
    return request.form.getlist("photo_id")[: observation_service.MAX_PHOTOS]


def _photo_slot_ids() -> list[str]:
    """A device id per photo slot for the form: those sent (valid ones), else new ones."""
    sent = [submissions.normal_id(i) for i in _sent_photo_ids()]
    sent += [None] * (observation_service.MAX_PHOTOS - len(sent))
    return [i or str(uuid_module.uuid4()) for i in sent]


def _observation_fields(form: ObservationForm) -> dict:
    def number(field):
        return float(field.data) if field.data is not None else None

    return {
        "themes": form.themes.data or [],
        "category": form.category.data or "",
        "note": form.note.data or "",
        "latitude": number(form.latitude),
        "longitude": number(form.longitude),
        "accuracy_m": number(form.accuracy),
        "accuracy_confirmed": bool(form.accuracy_confirmed.data),
        "place_description": form.place_description.data or "",
    }


def _protocol_input(instrument) -> dict:
    questions = observation_service.protocol_questions(instrument)
    return _page_input(questions).values


def _protocol_context(instrument, errors: dict, values: dict) -> dict:
    definition = (
        instrument.current_version.definition
        if instrument and (instrument.current_version)
        else None
    )
    return {
        "protocol_definition": definition,
        "protocol_questions": observation_service.protocol_questions(instrument),
        "protocol_errors": {k: error_text(v) for k, v in errors.items()},
        "protocol_values": values,
        "protocol_language": current_language().code,
        "scale_icons": SCALE_ICONS,
    }


def _observation_error(form: ObservationForm, error) -> None:
    field = {
        "no_theme": form.themes,
        "unknown_theme": form.themes,
        "no_place": form.place_description,
        "confirm_accuracy": form.accuracy_confirmed,
        "invalid_location": form.latitude,
        "too_many_photos": form.photos,
        "bad_id": form.photos,
    }.get(error.code, form.note)
    field.errors.append(error_text(error.code, error.params))


@bp.route("/studies/<int:study_id>/observations/new", methods=["GET", "POST"])
@login_required
@study_view()
def new_observation(study):
    """Quick capture of an observation on the street."""
    if study.member_role(current_user) is None:
        abort(403)
    if request.method == "POST":
        refuse_erased(request.form.get("uuid"), *_sent_photo_ids())
    instruments = published_instruments(study, "observation")
    instrument = instruments[0] if instruments else None
    form = _observation_form(study)
    values = _protocol_input(instrument) if form.is_submitted() else {}

    def save(photos, answers):
        return observation_service.record_observation(
            current_user,
            study,
            uuid=form.uuid.data,
            instrument=instrument,
            photos=photos,
            protocol_answers=answers,
            **_observation_fields(form),
        )

    return _observation_page(
        form, study, instrument, None, values, save, _("The observation is saved.")
    )


def _observation_page(form, study, instrument, observation, values, save, saved_message):
    """Check and save an observation form (new or corrected), or show it with its errors."""
    protocol_errors: dict = {}
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            photos = observation_service.read_observation_photos(
                request.files.getlist(form.photos.name), _sent_photo_ids()
            )
            saved = save(photos, values)
        except service.FieldworkError as error:
            db.session.rollback()
            if error.status in (409, 410):
                return refused(error)
            if error.code == "answers":
                protocol_errors = error.params["errors"]
            else:
                _observation_error(form, error)
        except MediaRejected as rejected:
            db.session.rollback()
            form.photos.errors.append(error_text("photo_" + rejected.code))
        except MediaStorageFailed:
            db.session.rollback()
            form.photos.errors.append(error_text("photo_storage"))
            status = 503
        else:
            db.session.commit()
            flash(saved_message, "success")
            return redirect(url_for("fieldwork.show_observation", uuid=saved.uuid))
    if submissions.normal_id(form.uuid.data) is None:
        form.uuid.data = str(uuid_module.uuid4())
    return render_template(
        "fieldwork/observation_form.html",
        form=form,
        study=study,
        instrument=instrument,
        observation=observation,
        photo_ids=_photo_slot_ids(),
        **_protocol_context(instrument, protocol_errors, values),
    ), status


@bp.route("/observations/<uuid>", methods=["GET", "POST"])
@login_required
def show_observation(uuid: str):
    """An observation with photos, review notes and history; coordinators review here."""
    observation = load_observation(uuid)
    form, reviewed = _review(observation)
    if reviewed is not None:
        return reviewed
    return render_template(
        "fieldwork/observation.html",
        observation=observation,
        form=form,
        definition=observation.version.definition if observation.version else None,
    ), (400 if form is not None and form.errors else 200)


@bp.route("/observations/<uuid>/edit", methods=["GET", "POST"])
@login_required
def edit_observation(uuid: str):
    """Correct an observation that needs attention: a new revision, the old one kept."""
    observation = load_observation(uuid)
    if request.method == "POST":
        refuse_erased(*_sent_photo_ids())
    if observation.co_researcher_id != current_user.id or not observation.editable:
        abort(403)
    form = _observation_form(observation.study)
    if form.is_submitted():
        values = _protocol_input(observation.instrument)
    else:
        values = dict(observation.answers or {})
        form.themes.data = list(observation.themes)
        form.category.data = observation.category
        form.note.data = observation.note
        form.place_description.data = observation.place_description

    def save(photos, answers):
        observation_service.correct_observation(
            current_user,
            observation,
            photos=photos,
            remove_photos=request.form.getlist("remove_photo"),
            protocol_answers=answers,
            **_observation_fields(form),
        )
        return observation

    return _observation_page(
        form,
        observation.study,
        observation.instrument,
        observation,
        values,
        save,
        _("The correction is sent."),
    )


# ---------------------------------------------------------------- lists


@bp.get("/studies/<int:study_id>/review")
@study_view(manage=True)
def review_list(study):
    """Submitted interviews and observations waiting for the coordinator."""
    state = request.args.get("state", "submitted")
    if state not in ("submitted", "needs_attention", "approved"):
        state = "submitted"
    found_interviews = db.session.scalars(
        select(Interview)
        .where(Interview.study_id == study.id, Interview.state == state)
        .order_by(Interview.submitted_at.desc())
    ).all()
    found_observations = db.session.scalars(
        select(Observation)
        .where(Observation.study_id == study.id, Observation.state == state)
        .order_by(Observation.observed_at.desc())
    ).all()
    return render_template(
        "fieldwork/review_list.html",
        study=study,
        interviews=found_interviews,
        observations=found_observations,
        state=state,
    )


@bp.get("/studies/<int:study_id>/my-work")
@login_required
@study_view()
def my_work(study):
    """A co-researcher's own interviews and observations, with the coordinator's comments."""
    found_interviews = db.session.scalars(
        select(Interview)
        .where(Interview.study_id == study.id, Interview.co_researcher_id == current_user.id)
        .order_by(Interview.started_at.desc())
    ).all()
    found_observations = db.session.scalars(
        select(Observation)
        .where(Observation.study_id == study.id, Observation.co_researcher_id == current_user.id)
        .order_by(Observation.observed_at.desc())
    ).all()
    return render_template(
        "fieldwork/my_work.html",
        study=study,
        interviews=found_interviews,
        observations=found_observations,
    )


# ---------------------------------------------------------------- photos


@bp.get("/media/<uuid>")
@login_required
def media(uuid: str):
    """A photo or signature, only for someone who may see what it belongs to."""
    item = db.session.scalar(select(MediaFile).where(MediaFile.uuid == uuid[:36]))
    if item is None:
        refuse_erased(uuid)
        abort(404)
    photo = db.session.scalar(select(ObservationPhoto).where(ObservationPhoto.media_id == item.id))
    if photo is not None:
        if not observation_service.can_see_observation(current_user, photo.observation):
            abort(404)
        return send_media(item)
    answer = db.session.scalar(select(Answer).where(Answer.media_id == item.id))
    if answer is not None and service.can_see_interview(current_user, answer.interview):
        return send_media(item)
    record = db.session.scalar(
        select(ConsentRecord).where(ConsentRecord.signature_media_id == item.id)
    )
    if record is not None and can_manage_participant(current_user, record.participant):
        return send_media(item)
    abort(404)
