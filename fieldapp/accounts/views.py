"""Logging in and out, re-authentication, invitations and the profile."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from fieldapp.accounts import services
from fieldapp.accounts.access import recent_login_required, role_required
from fieldapp.accounts.forms import (
    ROLE_LABELS,
    AcceptInvitationForm,
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    ReauthenticateForm,
)
from fieldapp.accounts.models import Invitation, Role, User
from fieldapp.db import writes_during_read
from fieldapp.extensions import db

bp = Blueprint("accounts", __name__)

ERRORS = {
    "invalid": _l("The username or password is not correct."),
    "throttled": _l("Too many attempts. Please wait 15 minutes and try again."),
    "too_short": _l("A password needs at least 10 characters."),
    "too_long": _l("This password is too long."),
    "common": _l("This password is too common and easy to guess. Choose another one."),
    "contains_username": _l("The password must not contain your username."),
    "bad_username": _l("Use only lower-case letters, digits, dots and dashes."),
    "username_taken": _l("This username is already in use. Choose another one."),
    "role_not_allowed": _l("You cannot invite someone with this role."),
    "study_not_allowed": _l("You can only invite people to studies you coordinate."),
    "area_not_allowed": _l("Only an administrator can assign areas."),
    "invitation_unusable": _l("This invitation link has expired or was already used."),
    "not_yourself": _l("You cannot change this for your own account."),
}


def client_address() -> str:
    return request.remote_addr or ""


def safe_next(target: str | None, default: str) -> str:
    """Only redirect within fieldapp (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("studies.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data, client_address())
        except services.AccountError as error:
            db.session.commit()  # keep the failed attempt: it counts towards the limit
            form.password.errors.append(ERRORS[error.code])
            return render_template("accounts/login.html", form=form), 200
        lang = session.get("lang")
        session.clear()  # a new session at every login
        if lang:
            session["lang"] = lang
        session["sid"] = services.start_session(user)
        login_user(user)
        db.session.commit()
        return redirect(safe_next(request.args.get("next"), url_for("studies.home")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """End the session on this device; the cookie stops working everywhere."""
    services.end_session(session.get("sid"))
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    db.session.commit()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
def reauthenticate():
    """Ask for the password again before a sensitive action."""
    form = ReauthenticateForm()
    target = safe_next(request.args.get("next"), url_for("studies.home"))
    if form.validate_on_submit():
        try:
            services.reauthenticate(
                current_user, session.get("sid"), form.password.data, client_address()
            )
        except services.AccountError as error:
            db.session.commit()
            form.password.errors.append(ERRORS[error.code])
        else:
            db.session.commit()
            return redirect(target)
    return render_template("accounts/reauthenticate.html", form=form)


# ---------------------------------------------------------------- invitations


@bp.post("/invitations/<int:invitation_id>/revoke")
@role_required(Role.ADMIN, Role.COORDINATOR)
def revoke_invitation(invitation_id: int):
    """Withdraw an invitation that has not been used yet."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or (
        current_user.role != Role.ADMIN and invitation.invited_by_id != current_user.id
    ):
        abort(404)
    services.revoke_invitation(invitation, current_user)
    db.session.commit()
    flash(_("The invitation was withdrawn."), "info")
    return redirect(url_for("accounts.invitations"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@writes_during_read  # opening the link ends the session of whoever is logged in
def accept_invitation(token: str):
    """Set a password with an invitation link and log in."""
    if len(token) > 100:
        abort(404)
    invitation = services.find_usable_invitation(token)
    if invitation is None:
        return render_template("accounts/invitation_unusable.html"), 410
    if current_user.is_authenticated:
        services.end_session(session.get("sid"))
        logout_user()
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(ERRORS[error.code])
        else:
            session.clear()
            session["sid"] = services.start_session(user)
            login_user(user)
            if user.locale:
                session["lang"] = user.locale
            db.session.commit()
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("studies.home"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)


# ---------------------------------------------------------------- profile


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Change name, app language and languages spoken."""
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.locale.data = current_user.locale or "nl"
    if form.validate_on_submit():
        services.set_profile(
            current_user,
            display_name=form.display_name.data,
            locale=form.locale.data,
            languages=form.languages_spoken.data,
        )
        session["lang"] = form.locale.data
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile", lang=form.locale.data))
    return render_template(
        "accounts/profile.html", form=form, password_form=ChangePasswordForm(prefix="pw")
    )


@bp.post("/profile/password")
@login_required
def change_password():
    """Change the password; other devices are logged out."""
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            target = form.current if error.code == "invalid" else form.password
            target.errors.append(ERRORS[error.code])
        else:
            services.end_all_sessions(current_user)
            session["sid"] = services.start_session(current_user)
            db.session.commit()
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("accounts.profile"))
    profile_form = ProfileForm(obj=current_user)
    return render_template("accounts/profile.html", form=profile_form, password_form=form), 400


# ---------------------------------------------------------------- administrators


@bp.get("/admin/accounts")
@role_required(Role.ADMIN)
def admin_accounts():
    """Every account, with its role, whether it is active and whether it does finance."""
    from sqlalchemy import select

    users = db.session.scalars(select(User).order_by(User.role, User.display_name)).all()
    return render_template("accounts/admin_accounts.html", users=users, role_labels=ROLE_LABELS)


@bp.post("/admin/accounts/<int:user_id>/<flag>")
@role_required(Role.ADMIN)
@recent_login_required
def toggle_account(user_id: int, flag: str):
    """Switch an account's finance duty, or block and unblock it."""
    user = db.session.get(User, user_id)
    if user is None or flag not in ("finance", "active"):
        abort(404)
    try:
        services.toggle_flag(current_user, user, flag)
    except services.AccountError as error:
        db.session.rollback()
        flash(ERRORS.get(error.code, _("That did not work.")), "error")
    else:
        db.session.commit()
    return redirect(url_for("accounts.admin_accounts"))
