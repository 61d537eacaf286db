"""Consent rules: forms and versions, recording consent, the gate, withdrawal and erasure."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import delete, event, func, select

from fieldapp import i18n
from fieldapp.accounts.models import User
from fieldapp.audit import services as audit
from fieldapp.common import signals
from fieldapp.consent.models import (
    METHODS,
    STANDARD_ITEMS,
    ConsentDecision,
    ConsentForm,
    ConsentItem,
    ConsentRecord,
    ConsentText,
    Item,
    PendingFileRemoval,
)
from fieldapp.db import checkpoint_after_erasure, utcnow
from fieldapp.extensions import db
from fieldapp.media.models import MediaFile
from fieldapp.media.services import delete_media, media_path, store_image
from fieldapp.participants.models import (
    ErasedSubmission,
    Participant,
    ParticipantContact,
    ParticipantTombstone,
)
from fieldapp.participants.services import (
    ParticipantError,
    PendingParticipant,
    add_participant,
    can_see_participant,
    can_take_participants,
)
from fieldapp.studies.models import Study, StudyState
from fieldapp.studies.services import slugify

log = logging.getLogger("fieldapp.consent")


class ConsentError(Exception):
    def __init__(self, reason: str, /, **params):
        super().__init__(reason)
        self.code = reason
        self.params = params


class ConsentRequired(Exception):
    """Refusal of the gate: nothing about this participant may be stored."""

    def __init__(self, reason: str, item: str | None = None):
        super().__init__(f"{reason}: {item}" if item else reason)
        self.reason = reason
        self.item = item


# ---------------------------------------------------------------- forms and versions


def current_form(study: Study) -> ConsentForm | None:
    """The newest published version: the one participants consent to now."""
    return db.session.scalar(
        select(ConsentForm)
        .where(ConsentForm.study_id == study.id, ConsentForm.state == "published")
        .order_by(ConsentForm.version.desc())
        .limit(1)
    )


def draft_form(study: Study) -> ConsentForm | None:
    return db.session.scalar(
        select(ConsentForm).where(ConsentForm.study_id == study.id, ConsentForm.state == "draft")
    )


def forms_of(study: Study) -> list[ConsentForm]:
    return list(
        db.session.scalars(
            select(ConsentForm)
            .where(ConsentForm.study_id == study.id)
            .order_by(ConsentForm.version.desc())
        )
    )


def start_new_version(actor: User, study: Study) -> ConsentForm:
    """The draft to edit: the open draft, or a copy of the current version as the next one."""
    existing = draft_form(study)
    if existing is not None:
        return existing
    latest = current_form(study)
    last_version = db.session.scalar(
        select(func.max(ConsentForm.version)).where(ConsentForm.study_id == study.id)
    )
    form = ConsentForm(study=study, version=(last_version or 0) + 1, created_by_id=actor.id)
    if latest is None:
        form.items = [ConsentItem(key=key, position=n) for n, key in enumerate(STANDARD_ITEMS)]
    else:
        form.items = [
            ConsentItem(key=i.key, position=i.position, label=i.label) for i in latest.items
        ]
        form.texts = [
            ConsentText(
                language=t.language, information=t.information, item_labels=dict(t.item_labels)
            )
            for t in latest.texts
        ]
    db.session.add(form)
    db.session.flush()
    audit.record("consent_version_started", form, actor=actor, study_id=study.id)
    return form


def set_items(actor: User, form: ConsentForm, standard: list[str], custom: list[str]) -> None:
    """Choose the items of a draft. Taking part is always an item."""
    form.ensure_editable()
    keys: list[str] = [Item.TAKE_PART]
    for key in standard:
        if key not in STANDARD_ITEMS:
            raise ConsentError("unknown_item")
        if key not in keys:
            keys.append(key)
    custom_keys = {}
    for label in custom:
        label = " ".join(label.split())
        if not label:
            continue
        if len(label) > 80:
            raise ConsentError("item_too_long")
        custom_keys["custom:" + slugify(label)] = label
    keys.extend(k for k in custom_keys if k not in keys)
    existing = {item.key: item for item in form.items}
    for key, item in existing.items():
        if key not in keys:
            form.items.remove(item)
    for position, key in enumerate(keys):
        if key in existing:
            existing[key].position = position
            existing[key].label = custom_keys.get(key)
        else:
            form.items.append(ConsentItem(key=key, position=position, label=custom_keys.get(key)))
    # A new custom item starts with its name as the wording in every language.
    for text in form.texts:
        labels = {k: v for k, v in text.item_labels.items() if k in keys}
        for key, label in custom_keys.items():
            labels.setdefault(key, label)
        text.item_labels = labels
    audit.record("consent_items_changed", form, actor=actor, study_id=form.study_id)


def save_text(
    actor: User, form: ConsentForm, language: str, information: str, item_labels: dict[str, str]
) -> ConsentText:
    form.ensure_editable()
    if language not in form.study.languages:
        raise ConsentError("unknown_language")
    text = form.text_for(language)
    if text is None:
        text = ConsentText(language=language)
        form.texts.append(text)
    text.information = information.strip()
    text.item_labels = {
        key: " ".join((item_labels.get(key) or "").split()) for key in form.item_keys()
    }
    audit.record("consent_text_saved", form, actor=actor, study_id=form.study_id, language=language)
    return text


def publishing_problems(form: ConsentForm) -> list[tuple[str, str]]:
    """(language, problem) pairs that stop a version from being published."""
    problems = []
    for language in form.study.languages:
        text = form.text_for(language)
        if text is None or not text.information.strip():
            problems.append((language, "no_information"))
        elif text.missing_labels():
            problems.append((language, "missing_labels"))
    return problems


def publish_form(actor: User, form: ConsentForm) -> None:
    """Freeze a version. From now on participants consent to it, and it never changes."""
    form.ensure_editable()
    if publishing_problems(form):
        raise ConsentError("incomplete")
    form.state = "published"
    form.published_at = utcnow()
    audit.record("consent_version_published", form, actor=actor, study_id=form.study_id)


def missing_consent_languages(study: Study) -> list[str]:
    form = current_form(study)
    if form is None:
        return list(study.languages)
    return [
        lang
        for lang in study.languages
        if form.text_for(lang) is None or not form.text_for(lang).is_complete
    ]


def fieldwork_problems(study: Study, *, target: StudyState, **_kwargs) -> list[str]:
    """Receiver of `study_state_changing`: fieldwork needs a published consent text in
    every language of the study."""
    if target != StudyState.FIELDWORK:
        return []
    missing = missing_consent_languages(study)
    if not missing:
        return []
    names = ", ".join(i18n.language(code).native_name for code in missing)
    return [
        _(
            "Publish a consent text in every language of the study first. Missing: %(names)s.",
            names=names,
        )
    ]


def consent_text_problem(study: Study, *, language: str, **_kwargs) -> str | None:
    """Receiver of `new_participant_checking`: a participant is met only in a language
    the study's consent form has a published text in."""
    form = current_form(study)
    if form is None or form.text_for(language) is None:
        return "no_consent_text"
    return None


def connect_signals() -> None:
    """Connect consent's receivers (called by create_app; see fieldapp/common/signals.py)."""
    signals.study_state_changing.connect(fieldwork_problems)
    signals.new_participant_checking.connect(consent_text_problem)


# ---------------------------------------------------------------- recording consent

PAPER_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./_\-]{0,59}$")
GUARDIAN_RELATIONS = ("parent", "guardian")


def consent_record_for(participant: Participant, form: ConsentForm | None) -> ConsentRecord | None:
    if form is None:
        return None
    return db.session.scalar(
        select(ConsentRecord).where(
            ConsentRecord.participant_id == participant.id, ConsentRecord.form_id == form.id
        )
    )


def latest_record(participant: Participant) -> ConsentRecord | None:
    return db.session.scalar(
        select(ConsentRecord)
        .join(ConsentForm)
        .where(ConsentRecord.participant_id == participant.id)
        .order_by(ConsentForm.version.desc())
        .limit(1)
    )


def record_consent(
    actor: User,
    participant: Participant | PendingParticipant,
    *,
    decisions: dict[str, bool | None],
    method: str,
    language: str,
    paper_reference: str | None = None,
    declaration: bool = False,
    signature_png: bytes | None = None,
    guardian_consented: bool = False,
    guardian_relation: str | None = None,
    guardian_method: str | None = None,
    contact: dict[str, str] | None = None,
) -> ConsentRecord | None:
    """Record consent to the study's current version.

    For a new (pending) participant, the participant is stored here, with the record, in
    the same transaction: before consent nothing about them exists. Returns None when the
    participant does not want to take part: then nothing about them is kept.
    """
    pending = participant if isinstance(participant, PendingParticipant) else None
    if pending is not None:
        study = db.session.get(Study, pending.study_id)
        if study is None or pending.met_by_id != actor.id:
            raise ConsentError("not_allowed")
        if not can_take_participants(actor, study):
            raise ConsentError("not_allowed")
        if is_erased_submission(pending.uuid):
            raise ConsentError("already_recorded")
    else:
        study = participant.study
        if not can_see_participant(actor, participant) or study.member_role(actor) is None:
            raise ConsentError("not_allowed")
    if study.state != StudyState.FIELDWORK:
        raise ConsentError("not_in_fieldwork")
    form = current_form(study)
    if form is None or form.text_for(language) is None:
        raise ConsentError("no_consent_text")
    if pending is None and consent_record_for(participant, form) is not None:
        raise ConsentError("already_recorded")
    missing = [key for key in form.item_keys() if decisions.get(key) is None]
    if missing:
        raise ConsentError("missing_items", items=missing)
    if not decisions[Item.TAKE_PART]:
        if pending is None:
            _forget_new_participant(participant, actor)
        else:
            audit.record("consent_declined", actor=actor, study_id=study.id)
        return None
    if method not in METHODS:
        raise ConsentError("unknown_method")
    if method == "paper":
        paper_reference = (paper_reference or "").strip()
        if not PAPER_REFERENCE.match(paper_reference):
            raise ConsentError("paper_reference")
    else:
        paper_reference = None
    if method == "spoken" and not declaration:
        raise ConsentError("declaration")
    if method == "signature" and not signature_png:
        raise ConsentError("signature_missing")
    is_minor = participant.is_minor
    if is_minor:
        if not guardian_consented:
            raise ConsentError("guardian_missing")
        if guardian_relation not in GUARDIAN_RELATIONS or guardian_method not in METHODS:
            raise ConsentError("guardian_details")
    contact = {k: (v or "").strip() for k, v in (contact or {}).items() if (v or "").strip()}
    if contact and not decisions.get(Item.RECONTACT):
        raise ConsentError("contact_without_recontact")

    if pending is not None:
        try:
            participant = add_participant(actor, study, pending)
        except ParticipantError as error:
            raise ConsentError(
                "already_recorded" if error.code == "already_enrolled" else error.code
            ) from None
    record = ConsentRecord(
        participant_id=participant.id,
        form=form,
        language=language,
        method=method,
        paper_reference=paper_reference,
        declaration_confirmed=bool(declaration) if method == "spoken" else False,
        taken_by_id=actor.id,
        guardian_consented=is_minor and guardian_consented,
        guardian_relation=guardian_relation if is_minor else None,
        guardian_method=guardian_method if is_minor else None,
    )
    record.decisions = [
        ConsentDecision(item_key=key, granted=bool(decisions[key])) for key in form.item_keys()
    ]
    if method == "signature":
        record.signature = store_image(
            signature_png, kind="signature", created_by=actor, max_side=1200
        )
    db.session.add(record)
    if contact:
        participant.contact = ParticipantContact(
            name=contact.get("name"), email=contact.get("email"), phone=contact.get("phone")
        )
    # A new consent comes with a new card: the old one stops working, and the new one is
    # shown once, right after (see participants.services.show_card_once).
    participant.token_hash = None
    db.session.flush()
    audit.record(
        "consent_recorded",
        record,
        actor=actor,
        study_id=study.id,
        version=form.version,
        method=method,
    )
    return record


def _forget_new_participant(participant: Participant, actor: User) -> None:
    if db.session.scalar(
        select(func.count(ConsentRecord.id)).where(ConsentRecord.participant_id == participant.id)
    ):
        return  # an earlier consent stays until the participant withdraws it
    audit.record("consent_declined", actor=actor, study_id=participant.study_id)
    db.session.delete(participant)
    db.session.flush()


# ---------------------------------------------------------------- the gate


def require_consent(participant: Participant | None, item: str | None = None) -> ConsentRecord:
    """Every place that stores something about a participant passes here first.

    The participant must have consented to the study's current consent version (a new
    version asks returning participants again), and, when the data depends on an item
    (audio, quote, photo, re-contact, re-use), to that item. Raises ConsentRequired.
    """
    if participant is None or participant.id is None:
        raise ConsentRequired("withdrawn")
    form = current_form(participant.study)
    record = consent_record_for(participant, form)
    if record is None:
        raise ConsentRequired("outdated" if latest_record(participant) else "no_consent")
    if not record.granted(Item.TAKE_PART):
        raise ConsentRequired("no_consent")
    if item is not None and not record.granted(item):
        raise ConsentRequired("item_not_granted", item)
    return record


def is_erased_submission(submission_id: str) -> bool:
    """An id of erased data: a copy that arrives later is refused (410)."""
    return db.session.get(ErasedSubmission, submission_id) is not None


# ---------------------------------------------------------------- withdrawal and erasure

WITHDRAWAL_REASONS = ("participant", "request", "retention")
REQUEST_CATEGORIES = ("changed_mind", "privacy_worry", "never_agreed", "other")


def _erase_consent(participant: Participant) -> list[str]:
    ids = []
    records = db.session.scalars(
        select(ConsentRecord).where(ConsentRecord.participant_id == participant.id)
    ).all()
    for record in records:
        ids.append(record.uuid)
        if record.signature is not None:
            ids.append(record.signature.uuid)
            signature = record.signature
            record.signature = None
            db.session.flush()
            delete_media(signature)
        db.session.delete(record)
    return ids


def withdraw_participant(
    participant: Participant,
    *,
    actor: User | None = None,
    reason: str = "participant",
    category: str | None = None,
) -> ParticipantTombstone:
    """Erase everything about a participant; keep only a tombstone (code, date, ids).

    What is erased, in this order, all in the caller's transaction:
      1. every other domain's data, through the `participant_erasing` signal. Its receivers
         (fieldapp/common/signals.py lists them; tests/consent/test_signals.py keeps that
         list true) are today: fieldwork.interviews.erase_interviews (interviews, answers,
         photos). Quotes and observations that hang on
         an interview or the participant go with them (ON DELETE CASCADE).
      2. consent: the consent records and their signature images (_erase_consent);
      3. the participant row, and with it the contact details (cascade);
      4. the media files on disk, after the commit (see below).
    The tombstone keeps the code, the study and the erased submission ids (rule 2).

    Files go from disk after the commit. Each is first listed in `pending_file_removals`,
    in this transaction, so that a crash between the commit and the removal is finished by
    `finish_file_removals` (run by `flask purge`).
    """
    if reason not in WITHDRAWAL_REASONS:
        raise ConsentError("unknown_reason")
    if reason == "request" and category not in REQUEST_CATEGORIES:
        raise ConsentError("unknown_category")
    ids: list[str] = [participant.uuid]
    with _deleted_media_files() as storage_names:
        for _receiver, erased in signals.participant_erasing.send(participant):
            ids.extend(erased)
        ids.extend(_erase_consent(participant))
    _list_file_removals(storage_names)
    tombstone = ParticipantTombstone(
        code=participant.code,
        study_id=participant.study_id,
        reason="retention" if reason == "retention" else "withdrawn",
    )
    tombstone.erased = [ErasedSubmission(submission_id=i) for i in dict.fromkeys(ids)]
    db.session.add(tombstone)
    study_id = participant.study_id
    db.session.delete(participant)  # contact details go with it
    db.session.flush()
    checkpoint_after_erasure(db.session)  # no copy left in SQLite's WAL once committed
    audit.record(
        "participant_erased",
        tombstone,
        actor=actor,
        study_id=study_id,
        reason=reason,
        category=category,
    )
    return tombstone


@contextlib.contextmanager
def _deleted_media_files() -> Iterator[list[str]]:
    """The storage names of the media rows deleted (flushed) in this block, by any step."""
    names: list[str] = []
    session = db.session()

    def collect(_session, instance) -> None:
        if isinstance(instance, MediaFile):
            names.append(instance.storage_name)

    event.listen(session, "persistent_to_deleted", collect)
    try:
        yield names
    finally:
        event.remove(session, "persistent_to_deleted", collect)


def _list_file_removals(storage_names: list[str]) -> None:
    for name in dict.fromkeys(storage_names):
        db.session.add(PendingFileRemoval(storage_name=name))


def finish_file_removals() -> int:
    """Remove the files of erasures whose process stopped after the commit; returns how many
    rows were finished. Safe to run at any time: a file is removed only when no media row
    names it, and a file that is already gone just closes its row. The caller commits."""
    finished = 0
    rows = db.session.scalars(select(PendingFileRemoval).order_by(PendingFileRemoval.id)).all()
    for row in rows:
        still_named = db.session.scalar(
            select(MediaFile.id).where(MediaFile.storage_name == row.storage_name)
        )
        if still_named is None:
            try:
                media_path(MediaFile(storage_name=row.storage_name)).unlink(missing_ok=True)
            except OSError as exc:  # the disk says no: the row stays for the next run
                log.warning("erasure: could not remove a file yet: %s", exc.strerror)
                continue
        # A statement, not session.delete(): another process may have finished it already.
        db.session.execute(delete(PendingFileRemoval).where(PendingFileRemoval.id == row.id))
        finished += 1
    if finished:  # this commit comes after the erasure's: the WAL is emptied after it too
        checkpoint_after_erasure(db.session)
    return finished


def withdraw_item(participant: Participant, key: str, *, actor: User | None = None) -> None:
    """Withdraw one item: remove only what depended on it. Taking part means everything."""
    if key == Item.TAKE_PART:
        withdraw_participant(participant, actor=actor)
        return
    record = latest_record(participant)
    if record is None:
        raise ConsentError("no_consent")
    decision = next((d for d in record.decisions if d.item_key == key), None)
    if decision is None or not decision.granted:
        raise ConsentError("item_not_granted")
    decision.granted = False
    decision.withdrawn_at = utcnow()
    if key == Item.RECONTACT and participant.contact is not None:
        db.session.delete(participant.contact)
        participant.contact = None
        checkpoint_after_erasure(db.session)
    with _deleted_media_files() as storage_names:
        signals.consent_item_withdrawn.send(participant, item=key)
    _list_file_removals(storage_names)
    db.session.flush()
    audit.record(
        "consent_item_withdrawn", record, actor=actor, study_id=participant.study_id, item=key
    )


# ---------------------------------------------------------------- register and retention


def register_rows(study: Study) -> list[ConsentRecord]:
    """The latest consent record of every participant of the study."""
    records = db.session.scalars(
        select(ConsentRecord)
        .join(Participant)
        .join(ConsentForm)
        .where(Participant.study_id == study.id)
        .order_by(Participant.code, ConsentForm.version.desc())
    ).all()
    latest: dict[int, ConsentRecord] = {}
    for record in records:
        latest.setdefault(record.participant_id, record)
    return list(latest.values())


def register_counts(study: Study) -> dict:
    """Counts per item (granted) and per language, over every participant's latest record."""
    rows = register_rows(study)
    per_item: dict[str, int] = {}
    per_language: dict[str, int] = {}
    for record in rows:
        per_language[record.language] = per_language.get(record.language, 0) + 1
        for key in record.granted_keys():
            per_item[key] = per_item.get(key, 0) + 1
    return {"total": len(rows), "items": per_item, "languages": per_language}


def studies_past_retention(today: dt.date | None = None) -> list[Study]:
    today = today or dt.date.today()
    return list(db.session.scalars(select(Study).where(Study.retention_date < today)))


def purge_study(study: Study, *, dry_run: bool = False) -> int:
    """Erase the personal data of a study whose retention date has passed."""
    participants = db.session.scalars(
        select(Participant).where(Participant.study_id == study.id)
    ).all()
    if dry_run:
        return len(participants)
    for participant in participants:
        withdraw_participant(participant, reason="retention")
    audit.record("retention_purge", study, study_id=study.id, participants=len(participants))
    return len(participants)


UNCONSENTED_GRACE = dt.timedelta(days=1)


def purge_unconsented_participants(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete participants without any consent record, older than a day.

    Since participants are stored only together with their consent, these can only be left
    by an older version of fieldapp (which stored them before consent); this clears them.
    """
    cutoff = (now or utcnow()) - UNCONSENTED_GRACE
    has_record = select(ConsentRecord.id).where(ConsentRecord.participant_id == Participant.id)
    abandoned = db.session.scalars(
        select(Participant).where(~has_record.exists(), Participant.created_at < cutoff)
    ).all()
    if dry_run:
        return len(abandoned)
    for participant in abandoned:
        db.session.delete(participant)
    db.session.flush()
    if abandoned:
        audit.record("unconsented_participants_purged", count=len(abandoned))
    return len(abandoned)
