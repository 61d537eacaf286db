"""Study rules: who may see and change a study, creating and editing, members, life cycle."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import select

from fieldapp.accounts.models import Invitation, Role, User
from fieldapp.areas.models import Area, area_coordinators
from fieldapp.audit import services as audit
from fieldapp.common import signals
from fieldapp.extensions import db
from fieldapp.i18n import LANGUAGE_CODES
from fieldapp.studies.models import (
    InvalidTransition,
    MemberRole,
    Study,
    StudyMember,
    StudyState,
    StudyTheme,
)
from fieldapp.studies.themes import AGENDA_THEMES


class StudyError(Exception):
    def __init__(self, reason: str, /, **params):
        super().__init__(reason)
        self.code = reason
        self.params = params


# ---------------------------------------------------------------- access


def can_view_study(user: User, study: Study) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    return study.member_role(user) is not None


def can_manage_study(user: User, study: Study) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.COORDINATOR and study.member_role(user) == MemberRole.COORDINATOR


def areas_user_may_create_studies_in(user: User) -> list[Area]:
    if user.role == Role.ADMIN:
        return list(db.session.scalars(select(Area).order_by(Area.name)))
    if user.role == Role.COORDINATOR:
        return list(
            db.session.scalars(
                select(Area)
                .join(area_coordinators, area_coordinators.c.area_id == Area.id)
                .where(area_coordinators.c.user_id == user.id)
                .order_by(Area.name)
            )
        )
    return []


def studies_for(user: User) -> list[Study]:
    """The studies a user works on: all for an admin, their own for everyone else."""
    query = select(Study).order_by(Study.title)
    if user.role != Role.ADMIN:
        query = query.join(StudyMember).where(StudyMember.user_id == user.id)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- creating and editing


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60] or "study"


def _unique_slug(base: str, exclude_id: int | None = None) -> str:
    candidate, n = base, 2
    while True:
        query = select(Study.id).where(Study.slug == candidate)
        found = db.session.scalar(query)
        if found is None or found == exclude_id:
            return candidate
        candidate = f"{base}-{n}"
        n += 1


def _set_themes(study: Study, agenda_keys: list[str], custom_labels: list[str]) -> None:
    wanted: dict[str, str | None] = {}
    for key in agenda_keys:
        if key not in AGENDA_THEMES:
            raise StudyError("unknown_theme")
        wanted[key] = None
    for label in custom_labels:
        label = " ".join(label.split())
        if not label:
            continue
        if len(label) > 80:
            raise StudyError("theme_too_long")
        wanted["custom:" + slugify(label)] = label
    existing = {t.key: t for t in study.themes}
    for key, theme in existing.items():
        if key not in wanted:
            study.themes.remove(theme)
    for key, label in wanted.items():
        if key in existing:
            existing[key].label = label
        else:
            study.themes.append(StudyTheme(key=key, label=label))


def _check_fields(languages: list[str], retention_date: dt.date) -> None:
    if not languages:
        raise StudyError("no_languages")
    if any(code not in LANGUAGE_CODES for code in languages):
        raise StudyError("unknown_language")
    if retention_date <= dt.date.today():
        raise StudyError("retention_in_past")


def create_study(
    actor: User,
    *,
    area: Area,
    title: str,
    research_question: str,
    lead_organisation: str,
    retention_date: dt.date,
    languages: list[str],
    themes: list[str] = (),
    custom_themes: list[str] = (),
    contact_email: str | None = None,
) -> Study:
    if area not in areas_user_may_create_studies_in(actor):
        raise StudyError("area_not_allowed")
    _check_fields(languages, retention_date)
    study = Study(
        area=area,
        slug=_unique_slug(slugify(title)),
        title=title.strip(),
        research_question=research_question.strip(),
        lead_organisation=lead_organisation.strip(),
        retention_date=retention_date,
        languages=list(dict.fromkeys(languages)),
        contact_email=(contact_email or "").strip() or None,
        state=StudyState.DRAFT,
        created_by_id=actor.id,
    )
    _set_themes(study, list(themes), list(custom_themes))
    db.session.add(study)
    if actor.role == Role.COORDINATOR:
        study.members.append(StudyMember(user=actor, role=MemberRole.COORDINATOR))
    db.session.flush()
    audit.record("study_created", study, actor=actor, study_id=study.id)
    return study


def update_study(
    actor: User,
    study: Study,
    *,
    title: str,
    research_question: str,
    lead_organisation: str,
    retention_date: dt.date,
    languages: list[str],
    themes: list[str] = (),
    custom_themes: list[str] = (),
    contact_email: str | None = None,
) -> Study:
    if not can_manage_study(actor, study):
        raise StudyError("not_allowed")
    if study.state == StudyState.CLOSED:
        raise StudyError("closed")
    _check_fields(languages, retention_date)
    study.title = title.strip()
    study.research_question = research_question.strip()
    study.lead_organisation = lead_organisation.strip()
    study.retention_date = retention_date
    study.languages = list(dict.fromkeys(languages))
    study.contact_email = (contact_email or "").strip() or None
    _set_themes(study, list(themes), list(custom_themes))
    audit.record("study_updated", study, actor=actor, study_id=study.id)
    return study


# ---------------------------------------------------------------- life cycle


def transition_problems(study: Study, target: str) -> list[str]:
    """What blocks `study` from entering `target`: other domains answer the
    `study_state_changing` signal (see fieldapp/common/signals.py) with their problems."""
    problems: list[str] = []
    for _receiver, found in signals.study_state_changing.send(study, target=StudyState(target)):
        problems.extend(found or [])
    return problems


_METHODS = {
    StudyState.FIELDWORK: Study.start_fieldwork,
    StudyState.ANALYSIS: Study.start_analysis,
    StudyState.REPORTING: Study.start_reporting,
    StudyState.CLOSED: Study.close,
}


def change_state(actor: User, study: Study, target: str) -> Study:
    if not can_manage_study(actor, study):
        raise StudyError("not_allowed")
    try:
        target_state = StudyState(target)
    except ValueError:
        raise StudyError("unknown_state") from None
    if target_state not in _METHODS or not study.can_become(target_state):
        raise InvalidTransition(study.state, target)
    problems = transition_problems(study, target_state)
    if problems:
        raise StudyError("blocked", problems=problems)
    previous = study.state
    _METHODS[target_state](study)
    audit.record(
        "study_state_changed", study, actor=actor, study_id=study.id, before=previous, after=target
    )
    return study


# ---------------------------------------------------------------- members


def invitation_problem(inviter: User, *, study: Study, **_kwargs) -> str | None:
    """Receiver of `invitation_checking`: only to a study the inviter may manage."""
    return None if can_manage_study(inviter, study) else "study_not_allowed"


def member_from_invitation(invitation, *, user: User, **_kwargs) -> None:
    """Receiver of `invitation_accepted`: the new account joins the invitation's study."""
    add_member(invitation.study, user, invitation.role, actor=invitation.invited_by)


def connect_signals() -> None:
    """Connect the studies' receivers (called by create_app; see common/signals.py)."""
    signals.invitation_checking.connect(invitation_problem)
    signals.invitation_accepted.connect(member_from_invitation)


def add_member(study: Study, user: User, role: str, *, actor: User) -> StudyMember:
    if role == MemberRole.COORDINATOR and user.role not in (Role.COORDINATOR, Role.ADMIN):
        raise StudyError("member_role_mismatch")
    if role == MemberRole.CO_RESEARCHER and user.role != Role.CO_RESEARCHER:
        raise StudyError("member_role_mismatch")
    for member in study.members:
        if member.user_id == user.id:
            return member
    member = StudyMember(user=user, role=role)
    study.members.append(member)
    db.session.flush()
    audit.record("study_member_added", study, actor=actor, study_id=study.id, role=role)
    return member


def remove_member(study: Study, user: User, *, actor: User) -> None:
    if not can_manage_study(actor, study):
        raise StudyError("not_allowed")
    for member in list(study.members):
        if member.user_id == user.id:
            if (
                member.role == MemberRole.COORDINATOR
                and len(study.members_with_role(MemberRole.COORDINATOR)) == 1
            ):
                raise StudyError("last_coordinator")
            study.members.remove(member)
            audit.record("study_member_removed", study, actor=actor, study_id=study.id)
            return


def co_researchers_addable(actor: User, study: Study) -> list[User]:
    """Co-researchers this coordinator invited or works with, not yet in the study."""
    in_study = {m.user_id for m in study.members}
    if actor.role == Role.ADMIN:
        query = select(User).where(User.role == Role.CO_RESEARCHER)
    else:
        invited = select(Invitation.user_id).where(
            Invitation.invited_by_id == actor.id, Invitation.user_id.is_not(None)
        )
        mine = (
            select(Study.id)
            .join(StudyMember)
            .where(StudyMember.user_id == actor.id, StudyMember.role == MemberRole.COORDINATOR)
        )
        colleagues = select(StudyMember.user_id).where(StudyMember.study_id.in_(mine))
        query = select(User).where(
            User.role == Role.CO_RESEARCHER,
            (User.id.in_(invited)) | (User.id.in_(colleagues)),
        )
    users = db.session.scalars(query.order_by(User.display_name)).all()
    return [u for u in users if u.id not in in_study]
