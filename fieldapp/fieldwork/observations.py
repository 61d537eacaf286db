"""Observation rules: quick capture on the street, photos, location, corrections."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fieldapp.accounts.models import User
from fieldapp.audit import services as audit
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.fieldwork.interviews import coarsen, convert_answer, evaluate_rule
from fieldapp.fieldwork.models import Observation, ObservationPhoto
from fieldapp.fieldwork.submissions import (
    FieldworkError,
    PhotoUpload,
    chosen_files,
    normal_id,
    read_photos,
    refuse_erased,
    store_photo,
)
from fieldapp.instruments.models import Instrument
from fieldapp.media.services import delete_media
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


def read_observation_photos(uploads, photo_ids: list[object]) -> list[PhotoUpload]:
    """The photos chosen in the form, each under the device id of its slot."""
    files = chosen_files(uploads)
    if len(files) > MAX_PHOTOS:
        raise FieldworkError("too_many_photos", max=MAX_PHOTOS)
    return read_photos(files, photo_ids)


def _add_photos(actor: User, observation: Observation, photos: list[PhotoUpload]) -> None:
    """Add photos under their device ids; one this observation already has is not added again."""
    own = {p.media.uuid: p.media_id for p in observation.photos}
    if len(own) + len([p for p in photos if p.id not in own]) > MAX_PHOTOS:
        raise FieldworkError("too_many_photos", max=MAX_PHOTOS)
    position = len(observation.photos)
    for photo in photos:
        media, resent = store_photo(actor, photo, resend_of=lambda media: media.id in own.values())
        if not resent:
            observation.photos.append(ObservationPhoto(media=media, position=position))
            position += 1


FINGERPRINT_VERSION = 1


def _canonical_answer(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list | tuple):
        chosen = sorted({v.strip() for v in value if isinstance(v, str) and v.strip()})
        return chosen or None
    if isinstance(value, dict):
        parts = {str(k): _canonical_answer(v) for k, v in value.items()}
        parts = {k: v for k, v in parts.items() if v is not None}
        return parts or None
    return value


def _canonical_number(value: float | None) -> str | None:
    return None if value is None else repr(float(value))


def submission_fingerprint(
    study: Study,
    *,
    themes: list[str],
    category: str,
    note: str,
    latitude: float | None,
    longitude: float | None,
    accuracy_m: float | None,
    place_description: str,
    protocol_answers: dict,
    photos: list[PhotoUpload],
    **_instructions,
) -> str:
    """What the device sent for an observation, reduced to one SHA-256.

    Two submissions are the same content when, after the same tidying the stored record
    gets, they have the same study, the same set of themes, category and place (inner
    spaces collapsed), note (outer spaces stripped), latitude, longitude and accuracy as sent
    (before coarsening), protocol answers (empty ones dropped, multiple choices as a set)
    and the same photos in the same slots, each by its device id and the SHA-256 of its bytes
    as uploaded. Instructions that change nothing recorded (confirming an imprecise location)
    are not part of it.
    """
    canonical = {
        "version": FINGERPRINT_VERSION,
        "study": study.id,
        "themes": sorted(set(themes or ())),
        "category": " ".join((category or "").split()),
        "note": (note or "").strip(),
        "latitude": _canonical_number(latitude),
        "longitude": _canonical_number(longitude),
        "accuracy_m": _canonical_number(accuracy_m),
        "place_description": " ".join((place_description or "").split()),
        "answers": _canonical_answer(dict(protocol_answers or {})) or {},
        "photos": [[photo.id, photo.digest] for photo in photos],
    }
    encoded = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def find_observation(uuid: str) -> Observation | None:
    return db.session.scalar(select(Observation).where(Observation.uuid == uuid))


def _resent_or_conflict(
    existing: Observation, actor: User, study: Study, fingerprint: str
) -> Observation:
    """The observation already stored under the id: a resend answers with it, else 409."""
    if (
        existing.co_researcher_id == actor.id
        and existing.study_id == study.id
        and existing.fingerprint == fingerprint
    ):
        return existing
    raise FieldworkError("observation_conflict", status=409, kept=existing)


def record_observation(
    actor: User,
    study: Study,
    *,
    uuid: str,
    instrument: Instrument | None = None,
    photos: list[PhotoUpload] = (),
    protocol_answers: dict | None = None,
    **fields,
) -> Observation:
    """Record an observation under its device-made id (rule 3).

    The same id with the same content (submission_fingerprint) again answers with the first
    observation and stores nothing; with other content it is refused (409) and the first is
    kept unchanged; an id of erased data, the observation's or a photo's, is refused (410).
    """
    normal = normal_id(uuid)
    if normal is None:
        raise FieldworkError("bad_id")
    photos = list(photos)
    refuse_erased(normal, *(photo.id for photo in photos))
    fingerprint = submission_fingerprint(
        study, protocol_answers=protocol_answers or {}, photos=photos, **fields
    )
    existing = find_observation(normal)
    if existing is not None:
        return _resent_or_conflict(existing, actor, study, fingerprint)
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
        uuid=normal,
        study_id=study.id,
        co_researcher_id=actor.id,
        instrument=instrument,
        version=instrument.current_version if instrument is not None else None,
        answers=answers,
        state="submitted",
        fingerprint=fingerprint,
    )
    observation.study = study
    _apply(observation, study, instrument, **fields)
    try:
        with db.session.begin_nested():
            db.session.add(observation)
            db.session.flush()
    except IntegrityError:
        # The same id arrived twice at once; the unique constraint let one in.
        existing = find_observation(normal)
        if existing is None:
            raise
        return _resent_or_conflict(existing, actor, study, fingerprint)
    _add_photos(actor, observation, photos)
    observation.history = [_snapshot(observation)]
    db.session.flush()
    audit.record("observation_recorded", observation, actor=actor, study_id=study.id)
    return observation


def correct_observation(
    actor: User,
    observation: Observation,
    *,
    photos: list[PhotoUpload] = (),
    remove_photos=(),
    protocol_answers: dict | None = None,
    **fields,
) -> None:
    """A co-researcher's correction after review: a new revision; the history is kept.

    New photos come under their device ids as in record_observation.
    """
    photos = list(photos)
    refuse_erased(*(photo.id for photo in photos))
    if observation.co_researcher_id != actor.id or not observation.editable:
        raise FieldworkError("not_editable", status=403)
    answers, errors = check_protocol_answers(observation.instrument, protocol_answers or {})
    if errors:
        raise FieldworkError("answers", errors=errors)
    observation.answers = answers
    _apply(observation, observation.study, observation.instrument, **fields)
    removed = set(remove_photos)
    for photo in list(observation.photos):
        if photo.media.uuid in removed:
            media = photo.media
            observation.photos.remove(photo)
            db.session.flush()
            delete_media(media)
    _add_photos(actor, observation, photos)
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
