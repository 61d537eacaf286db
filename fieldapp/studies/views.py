"""Study pages: the home screen, the study list, creating, editing, life cycle, members."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice as Choice

from fieldapp.accounts.access import role_required
from fieldapp.accounts.models import Role, User
from fieldapp.areas.models import Area
from fieldapp.common.forms import database_id
from fieldapp.extensions import db
from fieldapp.studies import services
from fieldapp.studies.access import study_view
from fieldapp.studies.forms import AddMemberForm, RemoveMemberForm, StateForm, StudyForm
from fieldapp.studies.models import InvalidTransition, MemberRole, StudyState
from fieldapp.studies.themes import AGENDA_THEMES

bp = Blueprint("studies", __name__)

STATE_LABELS = {
    "draft": _l("Draft"),
    "fieldwork": _l("Fieldwork"),
    "analysis": _l("Analysis"),
    "reporting": _l("Reporting"),
    "closed": _l("Closed"),
}
STATE_ACTIONS = {
    "fieldwork": _l("Start fieldwork"),
    "analysis": _l("Start analysis"),
    "reporting": _l("Start reporting"),
    "closed": _l("Close the study"),
}
ERRORS = {
    "area_not_allowed": _l("You can only create studies in your own areas."),
    "no_languages": _l("Choose at least one language."),
    "unknown_language": _l("Choose languages from the list."),
    "retention_in_past": _l("The date to delete personal data must be in the future."),
    "unknown_theme": _l("Choose themes from the list."),
    "theme_too_long": _l("A theme can have at most 80 characters."),
    "closed": _l("A closed study cannot be changed."),
    "not_allowed": _l("Only the coordinators of this study can do this."),
    "member_role_mismatch": _l("This person cannot take part in this role."),
    "last_coordinator": _l("A study needs at least one coordinator."),
}


@bp.app_context_processor
def study_labels():
    return {"state_labels": STATE_LABELS, "agenda_themes": AGENDA_THEMES}


@bp.get("/home")
@login_required
def home():
    """The home screen: a co-researcher's studies, or a coordinator's overview."""
    studies = services.studies_for(current_user)
    if current_user.role == Role.CO_RESEARCHER:
        active = [s for s in studies if s.state == StudyState.FIELDWORK]
        other = [s for s in studies if s.state != StudyState.FIELDWORK]
        return render_template("studies/home_co_researcher.html", active=active, other=other)
    return render_template("studies/home_coordinator.html", studies=studies)


@bp.get("/studies")
@role_required(Role.ADMIN, Role.COORDINATOR)
def index():
    """The studies a coordinator works on (all studies for an administrator)."""
    return render_template("studies/index.html", studies=services.studies_for(current_user))


def _study_form(study=None) -> StudyForm:
    form = StudyForm(obj=study)
    areas = services.areas_user_may_create_studies_in(current_user)
    if study is not None:
        del form.area_id  # a study stays in its area
        if not form.is_submitted():
            form.themes.data = [t.key for t in study.themes if not t.is_custom]
            form.custom_themes.data = ", ".join(t.label for t in study.themes if t.is_custom)
    else:
        form.area_id.choices = [Choice(str(a.id), a.name) for a in areas]
        if not form.is_submitted() and not form.languages.data:
            form.languages.data = ["nl"]
    return form


def _form_kwargs(form: StudyForm) -> dict:
    return {
        "title": form.title.data,
        "research_question": form.research_question.data,
        "lead_organisation": form.lead_organisation.data,
        "retention_date": form.retention_date.data,
        "languages": form.languages.data or [],
        "themes": form.themes.data or [],
        "custom_themes": [t for t in (form.custom_themes.data or "").split(",") if t.strip()],
        "contact_email": form.contact_email.data,
    }


def _error_field(form: StudyForm, code: str):
    return {
        "area_not_allowed": getattr(form, "area_id", form.title),
        "no_languages": form.languages,
        "unknown_language": form.languages,
        "retention_in_past": form.retention_date,
        "unknown_theme": form.themes,
        "theme_too_long": form.custom_themes,
    }.get(code, form.title)


@bp.route("/studies/new", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.COORDINATOR)
def create():
    """Create a study in one of your areas."""
    form = _study_form()
    if not form.area_id.choices:
        flash(_("You are not a coordinator of any area yet. Ask an administrator."), "warning")
        return redirect(url_for("studies.index"))
    if form.validate_on_submit():
        area = db.session.get(Area, int(form.area_id.data))
        try:
            study = services.create_study(current_user, area=area, **_form_kwargs(form))
        except services.StudyError as error:
            db.session.rollback()
            _error_field(form, error.code).errors.append(ERRORS[error.code])
        else:
            db.session.commit()
            flash(_("The study is created."), "success")
            return redirect(url_for("studies.show", study_id=study.id))
    status = 400 if form.is_submitted() else 200
    return render_template("studies/form.html", form=form, study=None), status


@bp.get("/studies/<int:study_id>")
@study_view()
def show(study):
    """A study: what it is about, its state and its people."""
    can_manage = services.can_manage_study(current_user, study)
    add_form = None
    if can_manage:
        add_form = AddMemberForm()
        add_form.user_id.choices = [
            Choice(str(u.id), f"{u.display_name} ({u.username})")
            for u in services.co_researchers_addable(current_user, study)
        ]
    return render_template(
        "studies/show.html",
        study=study,
        can_manage=can_manage,
        state_form=StateForm(),
        add_form=add_form,
        remove_form=RemoveMemberForm(),
        state_actions=STATE_ACTIONS,
        member_roles=MemberRole,
    )


@bp.route("/studies/<int:study_id>/edit", methods=["GET", "POST"])
@study_view(manage=True)
def edit(study):
    """Edit a study's description, themes, languages and retention date."""
    if study.state == StudyState.CLOSED:
        flash(ERRORS["closed"], "warning")
        return redirect(url_for("studies.show", study_id=study.id))
    form = _study_form(study)
    if form.validate_on_submit():
        try:
            services.update_study(current_user, study, **_form_kwargs(form))
        except services.StudyError as error:
            db.session.rollback()
            _error_field(form, error.code).errors.append(ERRORS[error.code])
        else:
            db.session.commit()
            flash(_("The study is saved."), "success")
            return redirect(url_for("studies.show", study_id=study.id))
    status = 400 if form.is_submitted() else 200
    return render_template("studies/form.html", form=form, study=study), status


@bp.post("/studies/<int:study_id>/state")
@study_view(manage=True)
def change_state(study):
    """Move the study to the next stage of its life cycle."""
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.change_state(current_user, study, form.target.data)
    except InvalidTransition:
        db.session.rollback()
        flash(_("The study cannot go to that stage from here."), "error")
    except services.StudyError as error:
        db.session.rollback()
        if error.code == "blocked":
            for problem in error.params["problems"]:
                flash(problem, "error")
        else:
            flash(ERRORS.get(error.code, _("That did not work.")), "error")
    else:
        db.session.commit()
        flash(
            _("The study is now in the stage: %(state)s.", state=STATE_LABELS[study.state]),
            "success",
        )
    return redirect(url_for("studies.show", study_id=study.id))


def _member_user(form_value: str) -> User:
    try:
        user = db.session.get(User, database_id(form_value))
    except ValueError:
        user = None
    if user is None:
        abort(404)
    return user


@bp.post("/studies/<int:study_id>/members")
@study_view(manage=True)
def add_member(study):
    """Add a co-researcher to the study."""
    form = AddMemberForm()
    form.user_id.choices = [
        Choice(str(u.id), u.username) for u in services.co_researchers_addable(current_user, study)
    ]
    if not form.validate_on_submit():
        flash(_("Choose a co-researcher from the list."), "error")
        return redirect(url_for("studies.show", study_id=study.id)), 303
    user = _member_user(form.user_id.data)
    try:
        services.add_member(study, user, MemberRole.CO_RESEARCHER, actor=current_user)
    except services.StudyError as error:
        db.session.rollback()
        flash(ERRORS[error.code], "error")
    else:
        db.session.commit()
        flash(_("%(name)s now works on this study.", name=user.display_name), "success")
    return redirect(url_for("studies.show", study_id=study.id))


@bp.post("/studies/<int:study_id>/members/remove")
@study_view(manage=True)
def remove_member(study):
    """Take someone off the study."""
    form = RemoveMemberForm()
    if not form.validate_on_submit():
        abort(400)
    user = _member_user(form.user_id.data)
    if study.member_role(user) is None:
        abort(404)
    try:
        services.remove_member(study, user, actor=current_user)
    except services.StudyError as error:
        db.session.rollback()
        flash(ERRORS[error.code], "error")
    else:
        db.session.commit()
        flash(_("%(name)s no longer works on this study.", name=user.display_name), "success")
    return redirect(url_for("studies.show", study_id=study.id))


@bp.get("/studies/<int:study_id>/invite")
@study_view(manage=True)
def invite(study):
    """Invite a new co-researcher straight into this study."""
    return redirect(url_for("accounts.invitations", study=study.id, _anchor="invite"))
