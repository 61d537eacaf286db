"""Participant rules: creating participants at the door, finding them by code, who sees them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from fieldapp.accounts.models import Role, User
from fieldapp.audit import services as audit
from fieldapp.common import signals
from fieldapp.common.tokens import new_token, token_digest
from fieldapp.extensions import db
from fieldapp.participants.codes import CodeInvalid, new_code, normalise_code
from fieldapp.participants.models import (
    AGE_BANDS,
    Participant,
    ParticipantTombstone,
    new_uuid,
)
from fieldapp.studies.models import MemberRole, Study, StudyState


class ParticipantError(Exception):
    def __init__(self, reason: str, /, **params):
        super().__init__(reason)
        self.code = reason
        self.params = params


# ---------------------------------------------------------------- access


def can_take_participants(user: User, study: Study) -> bool:
    """Co-researchers and coordinators of a study in fieldwork meet participants."""
    return study.member_role(user) in (MemberRole.CO_RESEARCHER, MemberRole.COORDINATOR)


def can_see_participant(user: User, participant: Participant) -> bool:
    """A co-researcher sees the participants they met; a coordinator those of their studies.

    Administrators manage areas and accounts, not research data: they see no participant.
    """
    if not user.is_authenticated:
        return False
    role = participant.study.member_role(user)
    if role == MemberRole.COORDINATOR and user.role in (Role.COORDINATOR, Role.ADMIN):
        return True
    return role == MemberRole.CO_RESEARCHER and participant.created_by_id == user.id


def can_manage_participant(user: User, participant: Participant) -> bool:
    return participant.study.member_role(user) == MemberRole.COORDINATOR


def participants_visible_to(user: User, study: Study) -> list[Participant]:
    query = select(Participant).where(Participant.study_id == study.id)
    role = study.member_role(user)
    if role == MemberRole.CO_RESEARCHER:
        query = query.where(Participant.created_by_id == user.id)
    elif role != MemberRole.COORDINATOR:
        return []
    return list(db.session.scalars(query.order_by(Participant.created_at.desc())))


# ---------------------------------------------------------------- creating and finding


@dataclass(frozen=True)
class PendingParticipant:
    """Someone met at the door who has not consented yet.

    Rule 1 (no consent, no data): nothing about them is stored until they consent. Their
    choices travel with the consent form in a signed field (`seal_pending`); the participant
    and their consent record are stored together, in one transaction (`add_participant`,
    called by `record_consent`). `uuid` becomes the participant's id, so a consent form
    sent twice makes one participant, not two.
    """

    study_id: int
    met_by_id: int
    language: str
    age_band: str
    sub_area: str | None
    uuid: str

    @property
    def is_minor(self) -> bool:
        return self.age_band == "under_16"


PENDING_SALT = "fieldapp.pending-participant"
# Consent is taken at the door, right after the first screen: a day is plenty.
PENDING_MAX_AGE = 24 * 3600


def check_new_participant(
    actor: User,
    study: Study,
    *,
    language: str,
    age_band: str,
    sub_area: str | None = None,
    uuid: str | None = None,
) -> PendingParticipant:
    """Check the choices for a new participant; stores nothing (that waits for consent).

    `sub_area` is the CBS neighbourhood they live in, one of the area's codes, or None when
    not asked or not known.
    """
    if not can_take_participants(actor, study):
        raise ParticipantError("not_allowed")
    if study.state != StudyState.FIELDWORK:
        raise ParticipantError("not_in_fieldwork")
    if language not in study.languages:
        raise ParticipantError("unknown_language")
    if age_band not in AGE_BANDS:
        raise ParticipantError("unknown_age_band")
    sub_area = sub_area or None
    if sub_area is not None and sub_area not in (study.area.cbs_codes or []):
        raise ParticipantError("unknown_sub_area")
    # Consent answers whether it has a published text in this language (no_consent_text).
    for _receiver, problem in signals.new_participant_checking.send(study, language=language):
        if problem:
            raise ParticipantError(problem)
    return PendingParticipant(
        study_id=study.id,
        met_by_id=actor.id,
        language=language,
        age_band=age_band,
        sub_area=sub_area,
        uuid=uuid or new_uuid(),
    )


def _pending_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=PENDING_SALT)


def seal_pending(pending: PendingParticipant) -> str:
    """The pending participant as a signed (tamper-proof) string for a hidden form field."""
    return _pending_serializer().dumps(
        [pending.study_id, pending.met_by_id, pending.language, pending.age_band,
         pending.sub_area, pending.uuid]
    )  # fmt: skip


def open_pending(actor: User, study: Study, sealed: str) -> PendingParticipant:
    """The pending participant from a sealed string, checked again as when it was made.

    Only the co-researcher who met them, in the same study, within PENDING_MAX_AGE.
    """
    try:
        values = _pending_serializer().loads(sealed or "", max_age=PENDING_MAX_AGE)
        study_id, met_by_id, language, age_band, sub_area, uuid = values
    except SignatureExpired:
        raise ParticipantError("pending_expired") from None
    except (BadSignature, TypeError, ValueError):
        raise ParticipantError("pending_invalid") from None
    if study_id != study.id or met_by_id != actor.id or not isinstance(uuid, str):
        raise ParticipantError("pending_invalid")
    return check_new_participant(
        actor, study, language=language, age_band=age_band, sub_area=sub_area, uuid=uuid
    )


def enrolled_participant(pending: PendingParticipant) -> Participant | None:
    """The participant a pending one became, when their consent was saved already."""
    return db.session.scalar(
        select(Participant).where(
            Participant.uuid == pending.uuid, Participant.created_by_id == pending.met_by_id
        )
    )


def add_participant(actor: User, study: Study, pending: PendingParticipant) -> Participant:
    """Store a pending participant with a fresh code. Only `record_consent` calls this, in
    the transaction that stores their consent: a participant never exists without it."""
    if db.session.scalar(select(Participant.id).where(Participant.uuid == pending.uuid)):
        raise ParticipantError("already_enrolled")
    for _attempt in range(5):
        participant = Participant(
            uuid=pending.uuid,
            code=new_code(),
            study=study,
            language=pending.language,
            age_band=pending.age_band,
            sub_area=pending.sub_area,
            created_by_id=actor.id,
        )
        try:
            with db.session.begin_nested():
                db.session.add(participant)
                db.session.flush()
        except IntegrityError:
            if db.session.scalar(select(Participant.id).where(Participant.uuid == pending.uuid)):
                raise ParticipantError("already_enrolled") from None
            continue  # the code was taken (a one in millions chance): draw again
        audit.record("participant_created", participant, actor=actor, study_id=study.id)
        return participant
    raise ParticipantError("no_code")


def find_by_code(actor: User, study: Study, typed: str) -> Participant:
    """The participant with this code, if this user may see them.

    A mistyped code is caught by its check character ('mistyped'); a withdrawn
    participant is reported as such ('withdrawn'), never silently re-created.
    """
    try:
        code = normalise_code(typed)
    except CodeInvalid:
        raise ParticipantError("mistyped") from None
    participant = db.session.scalar(
        select(Participant).where(Participant.code == code, Participant.study_id == study.id)
    )
    if participant is None:
        tombstone = db.session.scalar(
            select(ParticipantTombstone.id).where(
                ParticipantTombstone.code == code, ParticipantTombstone.study_id == study.id
            )
        )
        raise ParticipantError("withdrawn" if tombstone else "not_found")
    if not can_see_participant(actor, participant):
        raise ParticipantError("not_found")
    return participant


# ---------------------------------------------------------------- the participant's own page


def issue_token(participant: Participant) -> str:
    """A new link for the participant's page; an older card stops working."""
    token = new_token(32)  # 256 bits
    participant.token_hash = token_digest(token)
    return token


def retire_card(participant: Participant) -> None:
    """The card (and link) stops working; a new one is shown once, on the next showing."""
    participant.token_hash = None


def show_card_once(participant: Participant) -> str | None:
    """A new link for a participant whose card is due, or None when it was shown already.

    The link is never kept (only its hash), so the card can be shown only here, once. The
    update claims the card atomically: of two requests at once, one gets it.
    """
    token = new_token(32)  # 256 bits
    claimed = db.session.execute(
        update(Participant)
        .where(Participant.id == participant.id, Participant.token_hash.is_(None))
        .values(token_hash=token_digest(token))
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return None
    db.session.refresh(participant)
    audit.record("participant_card_shown", participant, study_id=participant.study_id)
    return token


def participant_for_token(token: str) -> Participant | None:
    """Look a token up by its hash: a wrong, short or stale token costs the same one query."""
    digest = token_digest(token or "")
    return db.session.scalar(select(Participant).where(Participant.token_hash == digest))
