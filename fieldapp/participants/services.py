"""Participant rules: creating participants at the door, finding them by code, who sees them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fieldapp.accounts.models import Role, User
from fieldapp.audit import services as audit
from fieldapp.common.tokens import new_token, token_digest
from fieldapp.extensions import db
from fieldapp.participants.codes import CodeInvalid, new_code, normalise_code
from fieldapp.participants.models import AGE_BANDS, Participant, ParticipantTombstone
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


def create_participant(
    actor: User, study: Study, *, language: str, age_band: str, sub_area: str | None = None
) -> Participant:
    """A new participant with a fresh code, before consent is taken.

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
    from fieldapp.consent.services import current_form

    form = current_form(study)
    if form is None or form.text_for(language) is None:
        raise ParticipantError("no_consent_text")
    for _attempt in range(5):
        participant = Participant(
            code=new_code(),
            study=study,
            language=language,
            age_band=age_band,
            sub_area=sub_area,
            created_by_id=actor.id,
        )
        try:
            with db.session.begin_nested():
                db.session.add(participant)
                db.session.flush()
        except IntegrityError:
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


def participant_for_token(token: str) -> Participant | None:
    """Look a token up by its hash: a wrong, short or stale token costs the same one query."""
    digest = token_digest(token or "")
    return db.session.scalar(select(Participant).where(Participant.token_hash == digest))
