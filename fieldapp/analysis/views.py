"""Analysis pages: the codebook, coding texts, counts per code and group, quotes."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from fieldapp.accounts.access import recent_login_required
from fieldapp.accounts.models import User
from fieldapp.analysis import services
from fieldapp.analysis.exchange import study_qdc, study_qdpx
from fieldapp.analysis.models import Code, Coding, Quote
from fieldapp.audit import services as audit
from fieldapp.common.forms import ActionForm, form_id, safe_anchor
from fieldapp.db import writes_during_read
from fieldapp.extensions import db
from fieldapp.fieldwork.models import Answer, Observation
from fieldapp.i18n import language
from fieldapp.participants.forms import AGE_BAND_LABELS
from fieldapp.studies.access import study_view

bp = Blueprint("analysis", __name__)

ERRORS = {
    "not_allowed": _l("You cannot do this."),
    "bad_name": _l("Enter a name."),
    "one_level": _l("A sub-code cannot have sub-codes."),
    "name_taken": _l("This name is already used."),
    "unknown_code": _l("Choose a code."),
    "no_target": _l("Choose a text."),
    "no_passage": _l("Copy the words to code, or code the whole text."),
    "passage_not_found": _l("These words are not in the text. Copy them exactly."),
    "no_quote_consent": _l("This participant did not agree to be quoted."),
    "quote_too_long": _l("A quote can have at most 1000 characters."),
    "unknown_group": _l("Choose a group."),
    "not_a_member": _l("This person does not work on this study."),
}
GROUP_LABELS = {
    "language": _l("Language"),
    "age_band": _l("Age"),
    "sub_area": _l("Neighbourhood"),
}


@bp.app_template_global()
def group_name(study, group_by: str | None, value: str) -> str:
    """What a group is called in counts and figures: a language's own name, an age band,
    the neighbourhood's name."""
    if not value:
        return ""
    if value == "observation":
        return _("Observations")
    if group_by == "language":
        return language(value).native_name
    if group_by == "age_band":
        return str(AGE_BAND_LABELS.get(value, value))
    if group_by == "sub_area":
        if value == services.NOT_RECORDED:
            return _("Not recorded")
        return study.area.sub_area_name(value)
    return value


@bp.app_context_processor
def analysis_helpers():
    return {
        "can_code": lambda study: (
            current_user.is_authenticated and services.can_code(current_user, study)
        )
    }


def _error(code: str) -> str:
    return str(ERRORS.get(code, ERRORS["not_allowed"]))


def _posted(model, field: str):
    """The row whose id is posted in `field`, or None (also for an id no row can have)."""
    number = form_id(field)
    return db.session.get(model, number) if number is not None else None


def _coder_study(study):
    if not services.can_code(current_user, study):
        abort(403)
    return study


@bp.route("/studies/<int:study_id>/codes", methods=["GET", "POST"])
@writes_during_read  # the agenda's themes are added to the codebook on the first visit
@study_view()
def codebook(study):
    """The codebook: the agenda's themes and the study's own codes, with counts."""
    _coder_study(study)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        parent = _posted(Code, "parent_id")
        try:
            services.add_code(
                current_user,
                study,
                name=request.form.get("name", ""),
                description=request.form.get("description", ""),
                parent=parent,
            )
        except services.AnalysisError as error:
            db.session.rollback()
            flash(_error(error.code), "error")
        else:
            db.session.commit()
        return redirect(url_for("analysis.codebook", study_id=study.id))
    group_by = request.args.get("group") or None
    if group_by not in (None, *services.GROUPS):
        group_by = None
    codes = services.codebook(study)
    db.session.commit()  # the agenda's codes, made on the first visit
    return render_template(
        "analysis/codebook.html",
        study=study,
        codes=codes,
        counts=services.counts(study, group_by),
        group_by=group_by,
        group_labels=GROUP_LABELS,
        action_form=ActionForm(),
        is_coordinator=services.is_coordinator(current_user, study),
    )


@bp.get("/studies/<int:study_id>/codes/<int:code_id>")
@study_view()
def code_passages(study, code_id: int):
    """Every passage coded with one code (or its sub-codes)."""
    _coder_study(study)
    code = db.session.get(Code, code_id)
    if code is None or code.study_id != study.id:
        abort(404)
    ids = [code.id] + [c.id for c in code.children]
    codings = db.session.scalars(select(Coding).where(Coding.code_id.in_(ids))).all()
    return render_template(
        "analysis/passages.html",
        study=study,
        code=code,
        passages=[(c, services.passage_of(c)) for c in codings],
    )


@bp.route("/studies/<int:study_id>/coding", methods=["GET", "POST"])
@study_view()
def coding(study):
    """Code open answers and observation notes; coordinators also pick quotes."""
    _coder_study(study)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        code = _posted(Code, "code_id")
        answer = _posted(Answer, "answer_id")
        observation = _posted(Observation, "observation_id")
        try:
            if request.form.get("action") == "quote":
                services.make_quote(
                    current_user,
                    study,
                    answer,
                    passage=request.form.get("passage", ""),
                    edited_text=request.form.get("edited", ""),
                )
            else:
                if code is None:
                    raise services.AnalysisError("unknown_code")
                services.code_text(
                    current_user,
                    study,
                    code,
                    answer=answer,
                    observation=observation,
                    passage=request.form.get("passage", "").strip() or None,
                )
        except services.AnalysisError as error:
            db.session.rollback()
            flash(_error(error.code), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
        return redirect(
            url_for("analysis.coding", study_id=study.id) + safe_anchor(request.form.get("anchor"))
        )
    codes = services.codebook(study)
    db.session.commit()
    codings = db.session.scalars(select(Coding).where(Coding.study_id == study.id)).all()
    by_answer: dict[int, list] = {}
    by_observation: dict[int, list] = {}
    for item in codings:
        target = by_answer if item.answer_id else by_observation
        target.setdefault(item.answer_id or item.observation_id, []).append(item)
    return render_template(
        "analysis/coding.html",
        study=study,
        codes=codes,
        answers=services.coded_answers(study),
        observations=services.coded_observations(study),
        by_answer=by_answer,
        by_observation=by_observation,
        action_form=ActionForm(),
        is_coordinator=services.is_coordinator(current_user, study),
        quotes=services.quotes_of(study),
        passage_of=services.passage_of,
    )


@bp.post("/codings/<int:coding_id>/remove")
@login_required
def remove_coding(coding_id: int):
    """Take a coding away."""
    item = db.session.get(Coding, coding_id)
    if item is None or not ActionForm().validate_on_submit():
        abort(404)
    try:
        services.remove_coding(current_user, item)
    except services.AnalysisError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    return redirect(url_for("analysis.coding", study_id=item.study_id))


@bp.post("/quotes/<int:quote_id>/report")
@login_required
def mark_quote(quote_id: int):
    """Put a quote in the report, or take it out (it stays with the analysis)."""
    quote = db.session.get(Quote, quote_id)
    if quote is None or not ActionForm().validate_on_submit():
        abort(404)
    try:
        services.set_quote_in_report(current_user, quote, request.form.get("in_report") == "1")
    except services.AnalysisError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    return redirect(url_for("analysis.coding", study_id=quote.study_id, _anchor="quotes"))


@bp.post("/studies/<int:study_id>/coders")
@study_view(manage=True)
def invite_coder(study):
    """Invite a co-researcher to code (participatory analysis)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    person = _posted(User, "user_id")
    if person is None:
        abort(404)
    try:
        services.invite_coder(current_user, study, person)
    except services.AnalysisError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
    else:
        db.session.commit()
    return redirect(url_for("analysis.codebook", study_id=study.id))


@bp.get("/studies/<int:study_id>/exports/codings.qdpx")
@study_view(manage=True)
@recent_login_required
def export_qdpx(study):
    """The coded texts as a REFI-QDA project for ATLAS.ti, NVivo, MAXQDA or QualCoder."""
    data = study_qdpx(study, request.url_root)
    audit.record("export_qdpx", study, study_id=study.id)
    db.session.commit()
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{study.slug}.qdpx"'},
    )


@bp.get("/studies/<int:study_id>/exports/codebook.qdc")
@study_view(manage=True)
def export_qdc(study):
    """The codebook as a REFI-QDA codebook file."""
    return Response(
        study_qdc(study),
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{study.slug}-codebook.qdc"'},
    )
