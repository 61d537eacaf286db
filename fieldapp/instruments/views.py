"""The instrument builder: questions, groups, choice lists, versions, XLSForm in and out."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import Length

from fieldapp.common.forms import ActionForm, NoControlCharacters
from fieldapp.extensions import db
from fieldapp.i18n import language as language_info
from fieldapp.instruments import services
from fieldapp.instruments.definition import SCALE_ICONS, Group, Question
from fieldapp.instruments.forms import (
    KIND_LABELS,
    TYPE_LABELS,
    ChoiceListForm,
    GroupForm,
    ImportForm,
    InstrumentSettingsForm,
    NewInstrumentForm,
    QuestionForm,
)
from fieldapp.instruments.models import Instrument
from fieldapp.studies.access import study_view
from fieldapp.studies.services import can_manage_study

bp = Blueprint("instruments", __name__)

ERRORS = {
    "not_allowed": _l("Only the coordinators of this study can do this."),
    "unknown_kind": _l("Choose a kind."),
    "no_title": _l("Enter a title."),
    "frozen": _l("A published version cannot change. Start a new version instead."),
    "unknown_question": _l("This question does not exist."),
    "bad_name": _l(
        "Letters, digits and _ only, starting with a letter; used in exports and rules."
    ),
    "name_taken": _l("This name is already used in this instrument."),
    "unknown_type": _l("Choose a type."),
    "no_choice_list": _l("Choose a choice list (make one first)."),
    "no_label": _l("Write the question in at least one language."),
    "bad_expression": _l("This rule cannot be read: %(detail)s"),
    "unknown_group": _l("Choose a group."),
    "bad_choice_name": _l("'%(detail)s' cannot be a name of an answer."),
    "unknown_choice": _l("'%(detail)s' is not in the list of the first language."),
    "empty_list": _l("Write at least one answer."),
    "list_in_use": _l("A question uses this list."),
    "incomplete": _l("Not ready to publish yet: see the list of problems."),
}


def _error(code: str, params: dict | None = None) -> str:
    message = ERRORS.get(code, ERRORS["not_allowed"])
    return str(message) % params if params else str(message)


def load_instrument(instrument_id: int) -> Instrument:
    instrument = db.session.get(Instrument, instrument_id)
    if instrument is None or instrument.study.member_role(current_user) is None:
        abort(404)
    if not can_manage_study(current_user, instrument.study):
        abort(403)
    return instrument


def _draft(instrument: Instrument):
    draft = instrument.draft_version
    if draft is None:
        flash(ERRORS["frozen"], "error")
    return draft


# ---------------------------------------------------------------- list, create, import


@bp.route("/studies/<int:study_id>/instruments", methods=["GET", "POST"])
@study_view(manage=True)
def index(study):
    """The study's instruments; make a new one or import an XLSForm."""
    form = NewInstrumentForm()
    if form.validate_on_submit():
        try:
            instrument = services.create_instrument(
                current_user,
                study,
                kind=form.kind.data,
                title=form.title.data,
                public_space=form.public_space.data,
            )
        except services.InstrumentError as error:
            db.session.rollback()
            form.title.errors.append(_error(error.code))
        else:
            db.session.commit()
            return redirect(url_for("instruments.show", instrument_id=instrument.id))
    return render_template(
        "instruments/index.html",
        study=study,
        form=form,
        import_form=ImportForm(prefix="x"),
        instruments=services.instruments_of(study),
        kind_labels=KIND_LABELS,
    ), (400 if form.errors else 200)


@bp.post("/studies/<int:study_id>/instruments/import")
@study_view(manage=True)
def import_xlsform(study):
    """Import an XLSForm; everything fieldapp does not support is listed with sheet and row."""
    # imported when needed: openpyxl loads only for a spreadsheet
    from fieldapp.instruments.xlsform import read_xlsform

    form = ImportForm(prefix="x")
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors.append(_("Choose a file."))
        else:
            result = read_xlsform(upload.stream)
            problems = result.problems
            if result.ok and result.definition is not None:
                instrument = services.import_definition(
                    current_user,
                    study,
                    result.definition,
                    title=form.title.data,
                    kind=form.kind.data,
                )
                db.session.commit()
                for problem in problems:
                    flash(
                        _(
                            "Not imported: %(sheet)s row %(row)s: %(detail)s",
                            sheet=problem.sheet,
                            row=problem.row or "-",
                            detail=problem.detail,
                        ),
                        "warning",
                    )
                flash(_("The XLSForm is imported as a draft."), "success")
                return redirect(url_for("instruments.show", instrument_id=instrument.id))
    return render_template(
        "instruments/index.html",
        study=study,
        form=NewInstrumentForm(formdata=None),
        import_form=form,
        instruments=services.instruments_of(study),
        kind_labels=KIND_LABELS,
        problems=problems,
    ), 400


# ---------------------------------------------------------------- the builder


@bp.route("/instruments/<int:instrument_id>", methods=["GET", "POST"])
@login_required
def show(instrument_id: int):
    """The instrument: its pages and questions, lists, versions and publishing."""
    instrument = load_instrument(instrument_id)
    version = instrument.draft_version or instrument.current_version
    settings_form = InstrumentSettingsForm(obj=instrument)
    if settings_form.validate_on_submit():
        instrument.accuracy_threshold_m = settings_form.accuracy_threshold_m.data
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("instruments.show", instrument_id=instrument.id))
    return render_template(
        "instruments/show.html",
        instrument=instrument,
        version=version,
        definition=version.definition,
        problems=services.publishing_problems(version) if version.state == "draft" else [],
        type_labels=TYPE_LABELS,
        action_form=ActionForm(),
        settings_form=settings_form,
    )


@bp.post("/instruments/<int:instrument_id>/new-version")
@login_required
def new_version(instrument_id: int):
    """Start editing: a draft copy of the published version."""
    instrument = load_instrument(instrument_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.draft_for_editing(current_user, instrument)
    db.session.commit()
    return redirect(url_for("instruments.show", instrument_id=instrument.id))


@bp.post("/instruments/<int:instrument_id>/publish")
@login_required
def publish(instrument_id: int):
    """Publish the draft: from now on it never changes."""
    instrument = load_instrument(instrument_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    draft = _draft(instrument)
    if draft is not None:
        try:
            services.publish_version(current_user, draft)
        except services.InstrumentError as error:
            db.session.rollback()
            flash(_error(error.code), "error")
        else:
            db.session.commit()
            flash(_("Version %(version)d is published.", version=draft.number), "success")
    return redirect(url_for("instruments.show", instrument_id=instrument.id))


def _per_language_fields(form_class, study_languages, extra_fields):
    class Form(form_class):
        pass

    for prefix, label, widget in extra_fields:
        for code in study_languages:
            setattr(
                Form,
                f"{prefix}_{code}",
                widget(
                    f"{label} ({language_info(code).native_name})",
                    validators=[Length(max=2000), NoControlCharacters()],
                    render_kw={"lang": code, "dir": language_info(code).direction},
                ),
            )
    return Form


QUESTION_TEXTS = (
    ("label", _l("Question"), TextAreaField),
    ("hint", _l("Hint"), StringField),
    ("message", _l("Message when the answer does not fit"), StringField),
)


@bp.route("/instruments/<int:instrument_id>/questions/new", methods=["GET", "POST"])
@bp.route("/instruments/<int:instrument_id>/questions/<name>", methods=["GET", "POST"])
@login_required
def question(instrument_id: int, name: str | None = None):
    """Add or edit a question, with its wording in every study language."""
    instrument = load_instrument(instrument_id)
    draft = _draft(instrument)
    if draft is None:
        return redirect(url_for("instruments.show", instrument_id=instrument.id))
    definition = draft.definition
    existing = definition.question(name) if name else None
    if name and existing is None:
        abort(404)
    languages = instrument.study.languages
    form_class = _per_language_fields(QuestionForm, languages, QUESTION_TEXTS)
    form = form_class()
    groups = [i for i in definition.items if isinstance(i, Group)]
    form.group.choices = [Choice("", _("No group: its own page"))] + [
        Choice(g.name, g.label(languages[0]) or g.name) for g in groups
    ]
    form.choice_list.choices = [Choice("", "–")] + [Choice(n, n) for n in definition.choice_lists]
    current_group = next(
        (g.name for g in groups if existing is not None and existing in g.questions), ""
    )
    if not form.is_submitted():
        form.group.data = request.args.get("group", current_group)
        if existing is not None:
            form.name.data = existing.name
            form.type.data = existing.type
            form.choice_list.data = existing.choice_list or ""
            form.required.data = existing.required
            form.relevant.data = existing.relevant or ""
            form.constraint.data = existing.constraint or ""
            for code in languages:
                form[f"label_{code}"].data = existing.labels.get(code, "")
                form[f"hint_{code}"].data = existing.hints.get(code, "")
                form[f"message_{code}"].data = existing.constraint_messages.get(code, "")
    if form.validate_on_submit():

        def texts(prefix):
            return {
                code: (form[f"{prefix}_{code}"].data or "").strip()
                for code in languages
                if (form[f"{prefix}_{code}"].data or "").strip()
            }

        new = Question(
            name=form.name.data,
            type=form.type.data,
            labels=texts("label"),
            hints=texts("hint"),
            required=form.required.data and form.type.data != "note",
            relevant=form.relevant.data or None,
            constraint=form.constraint.data or None,
            constraint_messages=texts("message"),
            choice_list=form.choice_list.data or None,
        )
        try:
            services.save_question(
                current_user, draft, new, old_name=name, group=form.group.data or None
            )
        except services.InstrumentError as error:
            db.session.rollback()
            field = {
                "bad_name": form.name,
                "name_taken": form.name,
                "unknown_type": form.type,
                "no_choice_list": form.choice_list,
                "no_label": form[f"label_{languages[0]}"],
                "unknown_group": form.group,
            }.get(error.code)
            if error.code == "bad_expression":
                field = form[error.params["field"]]
            (field or form.name).errors.append(_error(error.code, error.params))
        else:
            db.session.commit()
            return redirect(url_for("instruments.show", instrument_id=instrument.id))
    return render_template(
        "instruments/question.html",
        instrument=instrument,
        form=form,
        existing=existing,
        languages=languages,
    ), (400 if form.is_submitted() else 200)


@bp.route("/instruments/<int:instrument_id>/groups/new", methods=["GET", "POST"])
@bp.route("/instruments/<int:instrument_id>/groups/<name>", methods=["GET", "POST"])
@login_required
def group(instrument_id: int, name: str | None = None):
    """Add or edit a group: questions shown together on one page."""
    instrument = load_instrument(instrument_id)
    draft = _draft(instrument)
    if draft is None:
        return redirect(url_for("instruments.show", instrument_id=instrument.id))
    definition = draft.definition
    existing = next((i for i in definition.items if isinstance(i, Group) and i.name == name), None)
    if name and existing is None:
        abort(404)
    languages = instrument.study.languages
    form_class = _per_language_fields(GroupForm, languages, (("label", _l("Title"), StringField),))
    form = form_class()
    if not form.is_submitted() and existing is not None:
        form.name.data = existing.name
        form.relevant.data = existing.relevant or ""
        for code in languages:
            form[f"label_{code}"].data = existing.labels.get(code, "")
    if form.validate_on_submit():
        new = Group(
            name=form.name.data,
            relevant=form.relevant.data or None,
            labels={
                code: form[f"label_{code}"].data.strip()
                for code in languages
                if (form[f"label_{code}"].data or "").strip()
            },
        )
        try:
            services.save_group(current_user, draft, new, old_name=name)
        except services.InstrumentError as error:
            db.session.rollback()
            field = form.relevant if error.code == "bad_expression" else form.name
            field.errors.append(_error(error.code, error.params))
        else:
            db.session.commit()
            return redirect(url_for("instruments.show", instrument_id=instrument.id))
    return render_template(
        "instruments/group.html",
        instrument=instrument,
        form=form,
        existing=existing,
        languages=languages,
    ), (400 if form.is_submitted() else 200)


@bp.route("/instruments/<int:instrument_id>/lists/new", methods=["GET", "POST"])
@bp.route("/instruments/<int:instrument_id>/lists/<name>", methods=["GET", "POST"])
@login_required
def choice_list(instrument_id: int, name: str | None = None):
    """A list of answers, one per line as 'name = label', in every study language."""
    instrument = load_instrument(instrument_id)
    draft = _draft(instrument)
    if draft is None:
        return redirect(url_for("instruments.show", instrument_id=instrument.id))
    definition = draft.definition
    if name and name not in definition.choice_lists:
        abort(404)
    languages = instrument.study.languages
    form_class = _per_language_fields(
        ChoiceListForm, languages, (("choices", _l("Answers"), TextAreaField),)
    )
    form = form_class()
    if not form.is_submitted() and name:
        form.name.data = name
        for code in languages:
            form[f"choices_{code}"].data = "\n".join(
                f"{c.name} = {c.labels.get(code, '')}" for c in definition.choice_lists[name]
            )
    if form.validate_on_submit():
        ordered = [definition.default_language] + [
            c for c in languages if c != definition.default_language
        ]
        try:
            services.save_choice_list(
                current_user,
                draft,
                form.name.data,
                {code: form[f"choices_{code}"].data or "" for code in ordered if code in languages},
            )
        except services.InstrumentError as error:
            db.session.rollback()
            form.name.errors.append(_error(error.code, error.params))
        else:
            db.session.commit()
            return redirect(url_for("instruments.show", instrument_id=instrument.id))
    return render_template(
        "instruments/choice_list.html",
        instrument=instrument,
        form=form,
        name=name,
        languages=languages,
    ), (400 if form.is_submitted() else 200)


@bp.post("/instruments/<int:instrument_id>/items/<name>/<action>")
@login_required
def item_action(instrument_id: int, name: str, action: str):
    """Move an item up or down, or delete it."""
    instrument = load_instrument(instrument_id)
    if not ActionForm().validate_on_submit() or action not in ("up", "down", "delete"):
        abort(400)
    draft = _draft(instrument)
    if draft is not None:
        try:
            if action == "delete":
                services.delete_item(current_user, draft, name)
            else:
                services.move_item(current_user, draft, name, -1 if action == "up" else 1)
        except services.InstrumentError as error:
            db.session.rollback()
            flash(_error(error.code), "error")
        else:
            db.session.commit()
    return redirect(url_for("instruments.show", instrument_id=instrument.id))


@bp.get("/instruments/<int:instrument_id>/preview")
@login_required
def preview(instrument_id: int):
    """The questions as a participant sees them, at phone size, without saving anything."""
    instrument = load_instrument(instrument_id)
    version = instrument.draft_version or instrument.current_version
    definition = version.definition
    pages = definition.pages()
    language = request.args.get("in", definition.default_language)
    if language not in instrument.study.languages:
        language = definition.default_language
    index = max(0, min(request.args.get("page", 0, type=int) or 0, max(len(pages) - 1, 0)))
    with force_locale(language):
        return render_template(
            "instruments/preview.html",
            instrument=instrument,
            definition=definition,
            item=pages[index] if pages else None,
            questions=(
                (pages[index].questions if isinstance(pages[index], Group) else [pages[index]])
                if pages
                else []
            ),
            group=pages[index] if pages and isinstance(pages[index], Group) else None,
            index=index,
            total=len(pages),
            language=language,
            fallback=definition.default_language,
            values={},
            errors={},
            scale_icons=SCALE_ICONS,
        )


@bp.get("/instruments/<int:instrument_id>/xlsform.xlsx")
@login_required
def export_xlsform(instrument_id: int):
    """The instrument as an XLSForm, to edit in a spreadsheet or use in ODK."""
    # imported when needed: openpyxl loads only for a spreadsheet
    from fieldapp.instruments.xlsform import write_xlsform

    instrument = load_instrument(instrument_id)
    version = instrument.draft_version or instrument.current_version
    data = write_xlsform(version.definition)
    filename = f"{instrument.study.slug}-{instrument.id}-v{version.number}.xlsx"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
