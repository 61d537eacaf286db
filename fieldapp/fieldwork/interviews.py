"""Interview rules: starting (idempotent by device id), pages, answers, submitting, review."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fieldapp.accounts.models import User
from fieldapp.audit import services as audit
from fieldapp.common import signals
from fieldapp.consent import services as consent
from fieldapp.consent.models import Item
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.fieldwork.models import (
    Answer,
    Interview,
    InterviewRevision,
    InvalidReviewState,
    ReviewNote,
)
from fieldapp.fieldwork.submissions import (
    FieldworkError,
    PhotoUpload,
    normal_id,
    read_photo,
    refuse_erased,
    store_photo,
)
from fieldapp.instruments.definition import FormDefinition, Group, Question
from fieldapp.instruments.expressions import ExpressionError, evaluate_bool, parse
from fieldapp.instruments.models import InstrumentVersion
from fieldapp.media.services import MediaRejected, MediaStorageFailed, delete_media
from fieldapp.participants.models import Participant
from fieldapp.studies.models import MemberRole, StudyState

MAX_TEXT = {"text": 2000, "long_text": 10000}


# ---------------------------------------------------------------- access


def can_see_interview(user: User, interview: Interview) -> bool:
    role = interview.study.member_role(user)
    if role == MemberRole.COORDINATOR:
        return True
    return role == MemberRole.CO_RESEARCHER and interview.co_researcher_id == user.id


def can_edit_interview(user: User, interview: Interview) -> bool:
    return interview.co_researcher_id == user.id and interview.editable


# ---------------------------------------------------------------- starting


def start_interview(
    actor: User,
    participant: Participant,
    version: InstrumentVersion,
    *,
    uuid: str,
    language: str | None = None,
    participant_uuid: str | None = None,
) -> Interview:
    """Start an interview, or return the one already started with this device-made id.

    The same id with the same participant and instrument answers as the first time; the
    same id for something else is refused (409); an id of erased data is refused (410).
    participant_uuid is the participant's uuid as the start form carries it: an erased one is
    refused (410), another participant's (the form was made for someone else) too (409).
    """
    uuid = normal_id(uuid)
    if uuid is None:
        raise FieldworkError("bad_id")
    refuse_erased(uuid, participant_uuid)
    if participant_uuid and normal_id(participant_uuid) != participant.uuid:
        raise FieldworkError("id_conflict", status=409)
    existing = db.session.scalar(select(Interview).where(Interview.uuid == uuid))
    if existing is not None:
        return _same_or_conflict(existing, actor, participant, version)
    study = participant.study
    if study.state != StudyState.FIELDWORK:
        raise FieldworkError("not_in_fieldwork")
    if study.member_role(actor) is None or (
        study.member_role(actor) == MemberRole.CO_RESEARCHER
        and participant.created_by_id != actor.id
    ):
        raise FieldworkError("not_allowed", status=403)
    if version.instrument.study_id != study.id or version.state != "published":
        raise FieldworkError("unknown_instrument", status=404)
    if version.instrument.kind != "questionnaire":
        raise FieldworkError("unknown_instrument", status=404)
    try:
        record = consent.require_consent(participant)
    except consent.ConsentRequired as refused:
        raise FieldworkError("no_consent", reason=refused.reason) from None
    language = language if language in study.languages else participant.language
    interview = Interview(
        uuid=uuid,
        study_id=study.id,
        participant_id=participant.id,
        co_researcher_id=actor.id,
        version_id=version.id,
        consent_record_id=record.id,
        language=language,
    )
    try:
        with db.session.begin_nested():
            db.session.add(interview)
            db.session.flush()
    except IntegrityError:
        # Another request with the same id won the race: answer as it did.
        existing = db.session.scalar(select(Interview).where(Interview.uuid == uuid))
        return _same_or_conflict(existing, actor, participant, version)
    audit.record("interview_started", interview, actor=actor, study_id=study.id)
    return interview


def _same_or_conflict(existing, actor, participant, version) -> Interview:
    if (
        existing.participant_id == participant.id
        and existing.version_id == version.id
        and existing.co_researcher_id == actor.id
    ):
        return existing
    raise FieldworkError("id_conflict", status=409)


# ---------------------------------------------------------------- pages and skip logic


def evaluate_rule(expression: str | None, values: dict, current=None) -> bool:
    if not expression:
        return True
    try:
        return evaluate_bool(parse(expression), values, current)
    except ExpressionError:
        return False


def relevant_questions(item, values: dict) -> list[Question]:
    if isinstance(item, Group):
        if not evaluate_rule(item.relevant, values):
            return []
        return [q for q in item.questions if evaluate_rule(q.relevant, values)]
    return [item] if evaluate_rule(item.relevant, values) else []


def visible_pages(definition: FormDefinition, values: dict) -> list[int]:
    """Indexes of the pages that have at least one relevant question (the server decides)."""
    return [
        index for index, item in enumerate(definition.pages()) if relevant_questions(item, values)
    ]


def next_page(definition: FormDefinition, values: dict, current: int) -> int | None:
    later = [i for i in visible_pages(definition, values) if i > current]
    return later[0] if later else None


def previous_page(definition: FormDefinition, values: dict, current: int) -> int | None:
    earlier = [i for i in visible_pages(definition, values) if i < current]
    return earlier[-1] if earlier else None


# ---------------------------------------------------------------- answers


@dataclass
class PageInput:
    """What a page sent: text per question name, lists for multiple choice, files for photos
    with the device-made id of each (file_ids, by question name)."""

    values: dict[str, object]
    files: dict[str, object]
    file_ids: dict[str, object] = field(default_factory=dict)


def convert_answer(
    question: Question, definition: FormDefinition, raw
) -> tuple[object, str | None]:
    """(stored value, error code). Empty input gives (None, None)."""
    kind = question.type
    if kind == "select_multiple":
        chosen = [v for v in (raw or []) if v]
        if not chosen:
            return None, None
        names = {c.name for c in definition.choices_for(question)}
        if any(v not in names for v in chosen):
            return None, "invalid_choice"
        return [c.name for c in definition.choices_for(question) if c.name in chosen], None
    if kind == "location":
        if not raw or not any(raw.values()):
            return None, None
        try:
            lat, lon = float(raw.get("lat")), float(raw.get("lon"))
            accuracy = float(raw["accuracy"]) if raw.get("accuracy") else None
        except (TypeError, ValueError):
            return None, "invalid_location"
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (accuracy is not None and accuracy < 0):
            return None, "invalid_location"
        return {"lat": lat, "lon": lon, "accuracy": accuracy}, None
    text = (raw or "").strip() if isinstance(raw, str) else ""
    if not text:
        return None, None
    if kind in MAX_TEXT:
        if len(text) > MAX_TEXT[kind]:
            return None, "too_long"
        if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
            return None, "invalid_text"
        return text, None
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,12}", text):
            return None, "not_integer"
        return str(int(text)), None
    if kind == "decimal":
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return None, "not_decimal"
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            return None, "not_decimal"
        return format(number.normalize(), "f"), None
    if kind == "date":
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return None, "not_date"
        if not dt.date(1900, 1, 1) <= value <= dt.date(2100, 12, 31):
            return None, "not_date"
        return value.isoformat(), None
    if kind in ("select_one", "scale", "yes_no"):
        if text not in {c.name for c in definition.choices_for(question)}:
            return None, "invalid_choice"
        return text, None
    return None, None


def coarsen(lat: float, lon: float) -> tuple[float, float]:
    """About 100 m: three decimals is 111 m north-south and about 70 m east-west here."""
    return round(lat, 3), round(lon, 3)


def save_page(
    actor: User, interview: Interview, page_index: int, data: PageInput
) -> dict[str, tuple[str, dict]]:
    """Check and store the answers of one page. Returns {question name: (error code, params)}.

    Nothing is stored when a question on the page has an error. A photo comes under the id
    the device made for it: sent again with the same bytes it is the same answer and nothing
    new is stored; the id with other bytes, or used elsewhere, is refused (409); an id of
    erased data too (410). A disk that cannot take the photo gives ("photo_storage", {}).
    """
    refuse_erased(
        *(data.file_ids.get(name) for name, upload in data.files.items() if _chosen(upload))
    )
    if not can_edit_interview(actor, interview):
        raise FieldworkError("not_editable", status=403)
    participant = interview.participant
    try:
        consent.require_consent(participant)
    except consent.ConsentRequired as refused:
        raise FieldworkError("no_consent", reason=refused.reason) from None
    definition = interview.version.definition
    pages = definition.pages()
    if not 0 <= page_index < len(pages):
        raise FieldworkError("unknown_page", status=404)
    values = interview.answer_values()
    item = pages[page_index]
    questions = relevant_questions(item, values)
    errors: dict[str, tuple[str, dict]] = {}
    converted: dict[str, object] = {}
    photos: dict[str, PhotoUpload] = {}
    for question in questions:
        if not question.is_answered:
            continue
        if question.type == "photo":
            converted[question.name] = values.get(question.name)  # replaced below if sent
            upload = data.files.get(question.name)
            if _chosen(upload):
                try:
                    photos[question.name] = read_photo(upload, data.file_ids.get(question.name))
                except FieldworkError as refused:
                    errors[question.name] = (refused.code, {})
                except MediaRejected as rejected:
                    errors[question.name] = ("photo_" + rejected.code, {})
            continue
        value, error = convert_answer(question, definition, data.values.get(question.name))
        if error:
            errors[question.name] = (error, {})
        converted[question.name] = value
    # Required and constraints are checked against the page's answers and earlier ones.
    merged = {**values, **{k: v for k, v in converted.items() if v is not None}}
    for question in questions:
        if not question.is_answered or question.name in errors:
            continue
        value = converted.get(question.name)
        missing = value is None and question.name not in photos
        if question.required and missing:
            errors[question.name] = ("required", {})
        elif value is not None and question.constraint:
            current = value if not isinstance(value, dict) else None
            if not evaluate_rule(question.constraint, merged, current):
                errors[question.name] = ("constraint", {})
    if photos and not errors:
        try:
            consent.require_consent(participant, Item.PHOTO)
        except consent.ConsentRequired:
            for name in photos:
                errors[name] = ("no_photo_consent", {})
    if errors:
        return errors
    stored_media = {}
    answered = {a.question_name: a for a in interview.answers}
    for name, photo in photos.items():
        current = answered.get(name)

        def resend_of(media, current=current) -> bool:
            return current is not None and current.media_id == media.id

        try:
            media, resent = store_photo(actor, photo, resend_of=resend_of)
        except MediaRejected as rejected:
            return {name: ("photo_" + rejected.code, {})}
        except MediaStorageFailed:
            return {name: ("photo_storage", {})}
        converted[name] = media.uuid
        if not resent:
            _drop_photo(interview, name)
            stored_media[name] = media
    public = interview.version.instrument.public_space
    for question in questions:
        value = converted.get(question.name)
        if question.type == "location" and isinstance(value, dict) and not public:
            lat, lon = coarsen(value["lat"], value["lon"])
            converted[question.name] = {**value, "lat": lat, "lon": lon, "coarsened": True}
    existing = {a.question_name: a for a in interview.answers}
    for name, value in converted.items():
        if name in existing:
            if value is None:
                interview.answers.remove(existing[name])
            else:
                existing[name].value = value
                if name in stored_media:
                    existing[name].media = stored_media[name]
        elif value is not None:
            interview.answers.append(
                Answer(question_name=name, value=value, media=stored_media.get(name))
            )
    # Answers on this page that are no longer relevant go.
    relevant_names = {q.name for q in questions}
    page_names = {q.name for q in (item.questions if isinstance(item, Group) else [item])}
    for answer in list(interview.answers):
        if answer.question_name in page_names - relevant_names:
            interview.answers.remove(answer)
    db.session.flush()
    return {}


def _chosen(upload) -> bool:
    return upload is not None and bool(getattr(upload, "filename", ""))


def _drop_photo(interview: Interview, name: str) -> None:
    """A new photo for the same question replaces the old one, on disk too."""
    old = next((a for a in interview.answers if a.question_name == name), None)
    if old is not None and old.media is not None:
        media = old.media
        old.media = None
        db.session.flush()
        delete_media(media)


def missing_required(interview: Interview) -> int | None:
    """The first page with a required, relevant question left empty, or None."""
    definition = interview.version.definition
    values = interview.answer_values()
    for index, item in enumerate(definition.pages()):
        for question in relevant_questions(item, values):
            if question.required and question.is_answered and values.get(question.name) is None:
                return index
    return None


def submit_interview(actor: User, interview: Interview, *, notes: str | None = None) -> None:
    if not can_edit_interview(actor, interview):
        raise FieldworkError("not_editable", status=403)
    try:
        consent.require_consent(interview.participant)
    except consent.ConsentRequired as refused:
        raise FieldworkError("no_consent", reason=refused.reason) from None
    if missing_required(interview) is not None:
        raise FieldworkError("incomplete", page=missing_required(interview))
    if notes is not None:
        if len(notes) > 10000:
            raise FieldworkError("too_long")
        interview.notes = notes.strip()
    definition = interview.version.definition
    values = interview.answer_values()
    relevant = {q.name for item in definition.pages() for q in relevant_questions(item, values)}
    for answer in list(interview.answers):
        if answer.question_name not in relevant:
            interview.answers.remove(answer)
    interview.submit()
    interview.revision += 1
    interview.submitted_at = interview.submitted_at or utcnow()
    interview.ended_at = utcnow()
    interview.revisions.append(
        InterviewRevision(
            number=interview.revision,
            answers=interview.answer_values(),
            notes=interview.notes,
            submitted_by_id=actor.id,
        )
    )
    db.session.flush()
    audit.record(
        "interview_submitted",
        interview,
        actor=actor,
        study_id=interview.study_id,
        revision=interview.revision,
    )


def review(actor: User, target, decision: str, comment: str) -> ReviewNote:
    """Approve, or mark "needs attention" with a comment the co-researcher sees."""
    if target.study.member_role(actor) != MemberRole.COORDINATOR:
        raise FieldworkError("not_allowed", status=403)
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise FieldworkError("too_long")
    try:
        if decision == "approved":
            target.approve()
        elif decision == "needs_attention":
            if not comment:
                raise FieldworkError("comment_needed")
            target.ask_attention()
        else:
            raise FieldworkError("unknown_decision")
    except InvalidReviewState:
        raise FieldworkError("wrong_state") from None
    note = ReviewNote(decision=decision, comment=comment, author_id=actor.id)
    target.review_notes.append(note)
    db.session.flush()
    if decision == "approved" and isinstance(target, Interview):
        signals.interview_approved.send(target)  # compensation adds a payment line
    audit.record(
        "submission_reviewed", target, actor=actor, study_id=target.study_id, decision=decision
    )
    return note


# ---------------------------------------------------------------- erasure


def erase_interviews(participant: Participant, **_kwargs) -> list[str]:
    """Withdrawal: every interview of the participant goes, with its photos."""
    ids: list[str] = []
    interviews = db.session.scalars(
        select(Interview).where(Interview.participant_id == participant.id)
    ).all()
    for interview in interviews:
        ids.append(interview.uuid)
        for answer in interview.answers:
            if answer.media is not None:
                media = answer.media
                ids.append(media.uuid)
                answer.media = None
                db.session.flush()
                delete_media(media)
        db.session.delete(interview)
    db.session.flush()
    return ids


def erase_photos_of_participant(participant: Participant, *, item: str, **_kwargs) -> None:
    """The photo item was taken back: photo answers about this participant go."""
    if item != Item.PHOTO:
        return
    interviews = db.session.scalars(
        select(Interview).where(Interview.participant_id == participant.id)
    ).all()
    for interview in interviews:
        for answer in list(interview.answers):
            if answer.media is not None:
                media = answer.media
                interview.answers.remove(answer)
                db.session.flush()
                delete_media(media)
    db.session.flush()


def connect_signals() -> None:
    """Connect the interviews' receivers (called by create_app; see common/signals.py)."""
    signals.participant_erasing.connect(erase_interviews)
    signals.consent_item_withdrawn.connect(erase_photos_of_participant)
