"""Observation rules: quick capture on the street, photos, location, corrections."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fieldapp.accounts.models import User
from fieldapp.audit import services as audit
from fieldapp.consent import services as consent
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.fieldwork.interviews import (
    UUID_RE,
    FieldworkError,
    coarsen,
    convert_answer,
    evaluate_rule,
)
from fieldapp.fieldwork.models import Observation, ObservationPhoto
from fieldapp.instruments.models import Instrument
from fieldapp.studies.models import MemberRole, Study, StudyState
from fieldapp.studies.themes import AGENDA_THEMES

MAX_PHOTOS = 5
DEFAULT_ACCURACY_THRESHOLD_M = 50


def can_see_observation(user: User, observation: Observation) -> bool:
    role = observation.study.member_role(user)
    if role == MemberRole.COORDINATOR:
        return True
    return role == MemberRole.CO_RESEARCHER and observation.co_researcher_id == user.id


# An observation has its own photos and location; a protocol's photo and location
# questions would ask the same again, so the observation form leaves them out.
PROTOCOL_SKIPPED_TYPES = ("photo", "location")


def protocol_questions(instrument: Instrument | None):
    """The questions of the protocol's current version that the observation form asks."""
    if instrument is None or instrument.current_version is None:
        return []
    definition = instrument.current_version.definition
    return [q for q in definition.questions() if q.type not in PROTOCOL_SKIPPED_TYPES]


def check_protocol_answers(instrument: Instrument | None, raw: dict) -> tuple[dict, dict]:
    """(answers, {question name: error code}) for the protocol questions of an observation."""
    questions = protocol_questions(instrument)
    if not questions:
        return {}, {}
    definition = instrument.current_version.definition
    answers: dict = {}
    errors: dict = {}
    for question in questions:
        if not question.is_answered:
            continue
        value, error = convert_answer(question, definition, raw.get(question.name))
        if error:
            errors[question.name] = error
        elif value is not None:
            answers[question.name] = value
    for question in questions:
        if not question.is_answered or question.name in errors:
            continue
        if not evaluate_rule(question.relevant, answers):
            answers.pop(question.name, None)
            continue
        value = answers.get(question.name)
        if value is None and question.required:
            errors[question.name] = "required"
        elif value is not None and question.constraint:
            if not evaluate_rule(question.constraint, answers, value):
                errors[question.name] = "constraint"
    return answers, errors


def theme_keys(study: Study) -> list[str]:
    return [t.key for t in study.themes] if study.themes else list(AGENDA_THEMES)


def theme_choices(study: Study) -> list[tuple[str, str]]:
    """The study's themes (agenda and custom); all nine agenda themes when it has none."""
    if study.themes:
        return [(t.key, t.label or str(AGENDA_THEMES.get(t.key, t.key))) for t in study.themes]
    return [(key, str(label)) for key, label in AGENDA_THEMES.items()]


def _snapshot(observation: Observation) -> dict:
    return {
        "revision": observation.revision,
        "themes": list(observation.themes),
        "category": observation.category,
        "note": observation.note,
        "latitude": observation.latitude,
        "longitude": observation.longitude,
        "accuracy_m": observation.accuracy_m,
        "place_description": observation.place_description,
        "photos": [p.media.uuid for p in observation.photos],
        "answers": dict(observation.answers or {}),
        "at": utcnow().isoformat(timespec="seconds"),
    }


def _apply(
    observation: Observation,
    study: Study,
    instrument: Instrument | None,
    *,
    themes: list[str],
    category: str,
    note: str,
    latitude: float | None,
    longitude: float | None,
    accuracy_m: float | None,
    accuracy_confirmed: bool,
    place_description: str,
) -> None:
    allowed = set(theme_keys(study))
    if not themes:
        raise FieldworkError("no_theme")
    if any(t not in allowed for t in themes):
        raise FieldworkError("unknown_theme")
    category = " ".join((category or "").split())
    if len(category) > 80:
        raise FieldworkError("too_long")
    note = (note or "").strip()
    if len(note) > 5000:
        raise FieldworkError("too_long")
    place_description = " ".join((place_description or "").split())
    if len(place_description) > 300:
        raise FieldworkError("too_long")
    has_fix = latitude is not None and longitude is not None
    if has_fix:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise FieldworkError("invalid_location")
        if accuracy_m is not None and accuracy_m < 0:
            raise FieldworkError("invalid_location")
        threshold = instrument.accuracy_threshold_m if instrument else DEFAULT_ACCURACY_THRESHOLD_M
        if (accuracy_m is None or accuracy_m > threshold) and not accuracy_confirmed:
            raise FieldworkError("confirm_accuracy", threshold=threshold)
    elif not place_description:
        raise FieldworkError("no_place")
    public = bool(instrument and instrument.public_space)
    if has_fix and not public:
        latitude, longitude = coarsen(latitude, longitude)
    observation.themes = list(dict.fromkeys(themes))
    observation.category = category
    observation.note = note
    observation.latitude = latitude if has_fix else None
    observation.longitude = longitude if has_fix else None
    observation.accuracy_m = accuracy_m if has_fix else None
    observation.location_coarsened = has_fix and not public
    observation.place_description = place_description


def _add_photos(actor: User, observation: Observation, uploads: list) -> None:
    from fieldapp.media.services import store_image

    uploads = [u for u in uploads if u is not None and getattr(u, "filename", "")]
    if len(observation.photos) + len(uploads) > MAX_PHOTOS:
        raise FieldworkError("too_many_photos", max=MAX_PHOTOS)
    position = len(observation.photos)
    for upload in uploads:
        media = store_image(upload.stream, kind="photo", created_by=actor)
        observation.photos.append(ObservationPhoto(media=media, position=position))
        position += 1


def record_observation(
    actor: User,
    study: Study,
    *,
    uuid: str,
    instrument: Instrument | None = None,
    photos: list = (),
    protocol_answers: dict | None = None,
    **fields,
) -> Observation:
    """Record an observation; the same device id again returns the first one (rule 3)."""
    uuid = (uuid or "").strip().lower()
    if not UUID_RE.match(uuid):
        raise FieldworkError("bad_id")
    if consent.is_erased_submission(uuid):
        raise FieldworkError("erased", status=410)
    existing = db.session.scalar(select(Observation).where(Observation.uuid == uuid))
    if existing is not None:
        if existing.co_researcher_id == actor.id and existing.study_id == study.id:
            return existing
        raise FieldworkError("id_conflict", status=409)
    if study.member_role(actor) is None:
        raise FieldworkError("not_allowed", status=403)
    if study.state != StudyState.FIELDWORK:
        raise FieldworkError("not_in_fieldwork")
    if instrument is not None and (
        instrument.study_id != study.id or instrument.kind != "observation"
    ):
        raise FieldworkError("unknown_instrument", status=404)
    answers, errors = check_protocol_answers(instrument, protocol_answers or {})
    if errors:
        raise FieldworkError("answers", errors=errors)
    observation = Observation(
        uuid=uuid,
        study_id=study.id,
        co_researcher_id=actor.id,
        instrument=instrument,
        version=instrument.current_version if instrument is not None else None,
        answers=answers,
        state="submitted",
    )
    observation.study = study
    _apply(observation, study, instrument, **fields)
    try:
        with db.session.begin_nested():
            db.session.add(observation)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(select(Observation).where(Observation.uuid == uuid))
        if existing is not None and existing.co_researcher_id == actor.id:
            return existing
        raise FieldworkError("id_conflict", status=409) from None
    _add_photos(actor, observation, list(photos))
    observation.history = [_snapshot(observation)]
    db.session.flush()
    audit.record("observation_recorded", observation, actor=actor, study_id=study.id)
    return observation


def correct_observation(
    actor: User,
    observation: Observation,
    *,
    photos: list = (),
    remove_photos=(),
    protocol_answers: dict | None = None,
    **fields,
) -> None:
    """A co-researcher's correction after review: a new revision; the history is kept."""
    from fieldapp.media.services import delete_media

    if observation.co_researcher_id != actor.id or not observation.editable:
        raise FieldworkError("not_editable", status=403)
    answers, errors = check_protocol_answers(observation.instrument, protocol_answers or {})
    if errors:
        raise FieldworkError("answers", errors=errors)
    observation.answers = answers
    _apply(observation, observation.study, observation.instrument, **fields)
    for photo in list(observation.photos):
        if photo.media.uuid in set(remove_photos):
            media = photo.media
            observation.photos.remove(photo)
            db.session.flush()
            delete_media(media)
    _add_photos(actor, observation, list(photos))
    observation.revision += 1
    observation.submit()
    observation.history = [*observation.history, _snapshot(observation)]
    db.session.flush()
    audit.record(
        "observation_corrected",
        observation,
        actor=actor,
        study_id=observation.study_id,
        revision=observation.revision,
    )
