"""Account rules: logging in and out, sessions, re-authentication, invitations."""

from __future__ import annotations

import datetime as dt
import re

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from fieldapp.accounts import passwords
from fieldapp.accounts.models import Invitation, LoginAttempt, Role, User, UserSession
from fieldapp.audit import services as audit
from fieldapp.common import signals
from fieldapp.common.tokens import keyed_hash, new_token, token_digest
from fieldapp.db import utcnow
from fieldapp.extensions import db

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@\-]{2,63}$")


class AccountError(Exception):
    """A refusal with a code the view turns into a message in the user's language."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# ---------------------------------------------------------------- login and sessions


def normalise_username(username: str) -> str:
    return username.strip().lower()


def _window_start() -> dt.datetime:
    return utcnow() - dt.timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def _recent_failures(column, key: str) -> int:
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            column == key, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= _window_start()
        )
    )


def is_throttled(username: str, address: str) -> bool:
    cfg = current_app.config
    account_key = keyed_hash("login-account", normalise_username(username))
    address_key = keyed_hash("login-address", address or "")
    return (
        _recent_failures(LoginAttempt.account_key, account_key)
        >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _recent_failures(LoginAttempt.address_key, address_key)
        >= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )


def authenticate(username: str, password: str, address: str) -> User:
    """Check a login. Failed attempts are counted per account and per address.

    Raises AccountError("throttled") when either has too many recent failures, and
    AccountError("invalid") for a wrong name or password (the same answer for both).
    The caller commits, also after a failure, so that the attempt is counted.
    """
    name = normalise_username(username)
    if is_throttled(name, address):
        audit.record("login_throttled")
        raise AccountError("throttled")
    user = db.session.scalar(select(User).where(User.username == name))
    if user is None:
        passwords.dummy_verify(password)
        ok = False
    else:
        ok = passwords.verify_password(user.password_hash, password) and user.active
    db.session.add(
        LoginAttempt(
            account_key=keyed_hash("login-account", name),
            address_key=keyed_hash("login-address", address or ""),
            succeeded=ok,
        )
    )
    if not ok:
        if user is not None:
            audit.record("login_failed", user, actor=user)
        raise AccountError("invalid")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def start_session(user: User) -> str:
    """Create a server-side session for a login and return its token for the cookie."""
    token = new_token()
    now = utcnow()
    lifetime = dt.timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
    db.session.add(
        UserSession(
            token_hash=token_digest(token),
            user=user,
            created_at=now,
            authenticated_at=now,
            expires_at=now + lifetime,
        )
    )
    audit.record("login", user, actor=user)
    return token


def session_for(token: str | None) -> UserSession | None:
    if not token:
        return None
    # One query for the session and its user: this runs on every request.
    found = db.session.scalar(
        select(UserSession)
        .options(joinedload(UserSession.user))
        .where(UserSession.token_hash == token_digest(token))
    )
    if found is None or found.expires_at <= utcnow():
        return None
    return found


def user_for_session(user_id: str, token: str | None) -> User | None:
    """The user behind a cookie, only while its server-side session exists."""
    found = session_for(token)
    if found is None or str(found.user_id) != str(user_id) or not found.user.active:
        return None
    return found.user


def end_session(token: str | None) -> None:
    if not token:
        return
    found = session_for(token)
    if found is not None:
        audit.record("logout", found.user, actor=found.user)
    db.session.execute(delete(UserSession).where(UserSession.token_hash == token_digest(token)))


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def login_is_recent(token: str | None) -> bool:
    found = session_for(token)
    if found is None:
        return False
    limit = dt.timedelta(minutes=current_app.config["REAUTH_AFTER_MINUTES"])
    return utcnow() - found.authenticated_at < limit


def reauthenticate(user: User, token: str | None, password: str, address: str) -> None:
    """Confirm the password again for a sensitive action; failures count as login failures."""
    found = session_for(token)
    if found is None or found.user_id != user.id:
        raise AccountError("invalid")
    authenticate(user.username, password, address)
    found.authenticated_at = utcnow()
    audit.record("reauthenticated", user, actor=user)


def purge_login_attempts(older_than_days: int = 30) -> int:
    cutoff = utcnow() - dt.timedelta(days=older_than_days)
    result = db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < cutoff))
    expired = db.session.execute(delete(UserSession).where(UserSession.expires_at < utcnow()))
    return result.rowcount + expired.rowcount


# ---------------------------------------------------------------- invitations


def roles_inviter_may_invite(inviter: User) -> tuple[str, ...]:
    if inviter.role == Role.ADMIN:
        return (Role.ADMIN, Role.COORDINATOR, Role.CO_RESEARCHER)
    if inviter.role == Role.COORDINATOR:
        return (Role.CO_RESEARCHER,)
    return ()


def username_taken(username: str) -> bool:
    name = normalise_username(username)
    user = db.session.scalar(select(User.id).where(User.username == name))
    if user is not None:
        return True
    open_invite = db.session.scalar(
        select(Invitation.id).where(
            Invitation.username == name,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )
    return open_invite is not None


def create_invitation(
    inviter: User,
    *,
    role: str,
    username: str,
    display_name: str,
    email: str | None = None,
    locale: str | None = None,
    languages_spoken: list[str] | None = None,
    study=None,
    area=None,
) -> tuple[Invitation, str]:
    """Invite someone. Returns the invitation and the token, which is shown once only."""
    if role not in roles_inviter_may_invite(inviter):
        raise AccountError("role_not_allowed")
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise AccountError("bad_username")
    if username_taken(name):
        raise AccountError("username_taken")
    if study is not None:
        # Studies answers whether the inviter may invite to this study (study_not_allowed).
        for _receiver, problem in signals.invitation_checking.send(inviter, study=study):
            if problem:
                raise AccountError(problem)
    if area is not None and inviter.role != Role.ADMIN:
        raise AccountError("area_not_allowed")
    token = new_token()
    invitation = Invitation(
        token_hash=token_digest(token),
        role=role,
        username=name,
        display_name=display_name.strip(),
        email=(email or "").strip() or None,
        locale=locale or None,
        languages_spoken=list(languages_spoken or []),
        study=study,
        area=area,
        invited_by=inviter,
        expires_at=utcnow() + dt.timedelta(days=current_app.config["INVITATION_VALID_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        "invitation_created",
        invitation,
        actor=inviter,
        study_id=study.id if study is not None else None,
        role=role,
    )
    return invitation, token


def find_usable_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


def accept_invitation(token: str, password: str) -> User:
    """Create the account of an invited person with the password they chose."""
    invitation = find_usable_invitation(token)
    if invitation is None:
        raise AccountError("invitation_unusable")
    problem = passwords.password_problem(password, invitation.username)
    if problem:
        raise AccountError(problem)
    if db.session.scalar(select(User.id).where(User.username == invitation.username)):
        raise AccountError("username_taken")
    user = User(
        username=invitation.username,
        display_name=invitation.display_name,
        email=invitation.email,
        role=invitation.role,
        password_hash=passwords.hash_password(password),
        locale=invitation.locale,
        languages_spoken=list(invitation.languages_spoken or []),
    )
    db.session.add(user)
    invitation.used_at = utcnow()
    invitation.user = user
    db.session.flush()
    invitation.user_id = user.id
    if invitation.study is not None:  # studies makes them a member of the study
        signals.invitation_accepted.send(invitation, user=user)
    if invitation.area is not None and user.role == Role.COORDINATOR:
        invitation.area.coordinators.append(user)
    audit.record("invitation_accepted", invitation, actor=user)
    return user


def revoke_invitation(invitation: Invitation, actor: User) -> None:
    if invitation.used_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record("invitation_revoked", invitation, actor=actor)


def invitations_visible_to(user: User):
    query = select(Invitation).order_by(Invitation.created_at.desc())
    if user.role != Role.ADMIN:
        query = query.where(Invitation.invited_by_id == user.id)
    return db.session.scalars(query).all()


def change_password(user: User, current: str, new: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("invalid")
    problem = passwords.password_problem(new, user.username)
    if problem:
        raise AccountError(problem)
    user.password_hash = passwords.hash_password(new)
    audit.record("password_changed", user, actor=user)


def set_profile(user: User, *, display_name: str, locale: str | None, languages: list[str]):
    user.display_name = display_name.strip()
    user.locale = locale or None
    user.languages_spoken = list(languages)
    audit.record("profile_changed", user, actor=user)


def toggle_flag(actor: User, user: User, flag: str) -> None:
    """An administrator switches finance duty, or blocks or unblocks an account."""
    if actor.role != Role.ADMIN:
        raise AccountError("role_not_allowed")
    if user.id == actor.id and flag == "active":
        raise AccountError("not_yourself")
    if flag == "finance":
        user.finance = not user.finance
    elif flag == "active":
        user.active = not user.active
        if not user.active:
            end_all_sessions(user)
    audit.record("account_" + flag + "_changed", user, actor=actor, value=getattr(user, flag))
