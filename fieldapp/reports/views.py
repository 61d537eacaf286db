"""Report pages: the builder, the public report /r/<slug> with its PDFs, the area page."""

from __future__ import annotations

import datetime as dt
import re

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from fieldapp.areas.models import Area
from fieldapp.common.forms import ActionForm
from fieldapp.common.readability import score
from fieldapp.db import writes_during_read
from fieldapp.extensions import db
from fieldapp.fieldwork.exports import csv_chunks
from fieldapp.i18n import LANGUAGE_CODES, current_language
from fieldapp.reports import services
from fieldapp.reports.models import ACTION_STATES, SECTION_KINDS, Action, Report
from fieldapp.studies.access import study_view

bp = Blueprint("reports", __name__)

SECTION_LABELS = {
    "asked": _l("What we asked, and why"),
    "whom": _l("Whom we spoke with"),
    "heard": _l("What we heard"),
    "next": _l("What happens next"),
    "involved": _l("How to stay involved"),
    "contact": _l("Contact"),
}
ACTION_LABELS = {
    "planned": _l("Planned"),
    "started": _l("Started"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}
GROUP_LABELS = {
    "language": _l("Language"),
    "age_band": _l("Age"),
    "sub_area": _l("Neighbourhood"),
}
ERRORS = {
    "not_allowed": _l("You cannot do this."),
    "unknown_language": _l("Choose one of the languages of the study."),
    "unknown_section": _l("Choose a section."),
    "too_long": _l("This text is too long."),
    "unknown_question": _l("Choose questions from the list."),
    "empty": _l("Write every section in at least one language before publishing."),
    "no_title": _l("Write what will be done."),
    "no_owner": _l("Say who does it (an organisation)."),
    "unknown_status": _l("Choose a status."),
    "reason_needed": _l("Say why the action was dropped."),
    "already_closed": _l("This action is closed."),
    "unknown_group": _l("Choose a group."),
}


def _error(code: str) -> str:
    return str(ERRORS.get(code, ERRORS["not_allowed"]))


EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _breakable(text: str) -> Markup:
    """`text` escaped, with a line-break opportunity after each @ and before each dot, so a
    long address wraps on a narrow screen with large text instead of widening the page."""
    parts = re.split(r"(?<=@)|(?=\.)", text)
    return Markup("<wbr>").join(escape(part) for part in parts)


@bp.app_template_filter("report_text")
def report_text(body: str) -> Markup:
    """A report's text for the page: escaped; e-mail addresses as links that can wrap."""
    pieces: list[Markup] = []
    last = 0
    for match in EMAIL.finditer(body or ""):
        pieces.append(escape(body[last : match.start()]))
        address = match.group(0)
        pieces.append(
            Markup('<a href="mailto:{}" dir="ltr">{}</a>').format(address, _breakable(address))
        )
        last = match.end()
    pieces.append(escape((body or "")[last:]))
    return Markup("").join(pieces)


@bp.app_context_processor
def report_labels():
    return {
        "section_labels": SECTION_LABELS,
        "action_labels": ACTION_LABELS,
        "section_kinds": SECTION_KINDS,
        "question_caption": services.question_caption,
    }


# ---------------------------------------------------------------- the builder


@bp.route("/studies/<int:study_id>/report", methods=["GET", "POST"])
@writes_during_read  # the draft report is made on the first visit
@study_view(manage=True)
def builder(study):
    """Write the report per language beside the Dutch text, choose figures, publish."""
    report = services.report_for(study)
    language = request.args.get("in", "nl" if "nl" in study.languages else study.languages[0])
    if language not in study.languages:
        abort(404)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        try:
            for kind in SECTION_KINDS:
                services.save_section(
                    current_user, report, language, kind, request.form.get(f"section_{kind}", "")
                )
            services.choose_figures(current_user, report, request.form.getlist("figures"))
        except services.ReportError as error:
            db.session.rollback()
            flash(_error(error.code), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
        return redirect(url_for("reports.builder", study_id=study.id, **{"in": language}))
    db.session.commit()
    readability = {kind: score(report.section(language, kind), language) for kind in SECTION_KINDS}
    group_by = request.args.get("group") or None
    if group_by not in (None, *services.GROUPS):
        group_by = None
    return render_template(
        "reports/builder.html",
        study=study,
        report=report,
        language=language,
        readability=readability,
        questions=services.figure_questions(study),
        figures=services.report_figures(study, report, group_by=group_by, public=False),
        group_by=group_by,
        group_labels=GROUP_LABELS,
        actions=services.actions_of(study),
        action_form=ActionForm(),
        action_states=ACTION_STATES,
        unpublished_changes=services.has_unpublished_changes(report),
    )


@bp.post("/studies/<int:study_id>/report/publish")
@study_view(manage=True)
def publish(study):
    """Publish the report (a version is kept), or take it offline again."""
    if not ActionForm().validate_on_submit():
        abort(400)
    report = services.report_for(study)
    try:
        if request.form.get("action") == "unpublish":
            services.unpublish(current_user, report)
        else:
            services.publish(current_user, report)
    except services.ReportError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
    else:
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("reports.builder", study_id=study.id))


@bp.post("/studies/<int:study_id>/actions")
@study_view(manage=True)
def add_action(study):
    """Add an action: what will be done, by which organisation, by when."""
    if not ActionForm().validate_on_submit():
        abort(400)
    due = None
    if request.form.get("due_date"):
        try:
            due = dt.date.fromisoformat(request.form["due_date"])
        except ValueError:
            flash(_("Enter a date, like 2027-12-31."), "error")
            return redirect(url_for("reports.builder", study_id=study.id))
    titles = {code: request.form.get(f"title_{code}", "") for code in study.languages}
    try:
        services.add_action(
            current_user, study, titles=titles, owner=request.form.get("owner", ""), due_date=due
        )
    except services.ReportError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
    else:
        db.session.commit()
    return redirect(url_for("reports.builder", study_id=study.id, _anchor="actions"))


def _editable_action(action_id: int) -> Action:
    """The action, if the user may edit its study's report (404 otherwise), after the CSRF
    check of its forms (400)."""
    action = db.session.get(Action, action_id)
    if (
        action is None
        or not current_user.is_authenticated
        or not services.can_edit(current_user, action.study)
    ):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    return action


@bp.post("/actions/<int:action_id>/update")
def update_action(action_id: int):
    """A dated update on an action, with its new status."""
    action = _editable_action(action_id)
    try:
        services.update_action(
            current_user,
            action,
            status=request.form.get("status", ""),
            text=request.form.get("text", ""),
            language=request.form.get("language", ""),
        )
    except services.ReportError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
    else:
        db.session.commit()
    return redirect(url_for("reports.builder", study_id=action.study_id, _anchor="actions"))


@bp.post("/actions/<int:action_id>/titles")
def action_titles(action_id: int):
    """The action's title in each of the study's languages."""
    action = _editable_action(action_id)
    titles = {code: request.form.get(f"title_{code}", "") for code in action.study.languages}
    try:
        services.set_action_titles(current_user, action, titles)
    except services.ReportError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
    else:
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("reports.builder", study_id=action.study_id, _anchor="actions"))


# ---------------------------------------------------------------- the public report
#
# Readers see only what was published: the report's newest version (services.ReportContent).
# The study's coordinators preview the draft the same way, under /studies/<id>/report/preview.


def _published(slug: str) -> services.ReportContent:
    content = services.published_content(services.report_by_slug(slug[:80]))
    if content is None:
        abort(404)
    return content


def _preview(study) -> services.ReportContent:
    try:
        return services.preview_content(current_user, study)
    except services.ReportError:
        abort(404)


def _wanted_language(content: services.ReportContent) -> str:
    """The language the reader asks the report in: the interface's (?lang=); in the draft
    preview, ?in= asks for a language without changing the coordinator's interface."""
    asked = request.args.get("in", "") if content.draft else ""
    return asked if asked in content.study.languages else current_language().code


def _links(content: services.ReportContent, language: str) -> dict[str, str]:
    """The report's printable and downloadable forms: the public's keep the reader's
    interface language, the preview's the language previewed."""
    if content.draft:
        study_id = content.study.id
        return {
            kind: url_for(f"reports.preview_{kind}", study_id=study_id, **{"in": language})
            for kind in ("report", "flyer", "poster", "figures")
        }
    slug, interface = content.report.slug, current_language().code
    return {
        "report": url_for("reports.report_pdf", slug=slug, lang=interface),
        "flyer": url_for("reports.flyer_pdf", slug=slug, lang=interface),
        "poster": url_for("reports.poster_pdf", slug=slug, lang=interface),
        "figures": url_for("reports.figures_csv", slug=slug, lang=interface),
    }


def _read_in(content: services.ReportContent) -> dict[str, str]:
    """Links to the report in each language it is written in."""
    if content.draft:
        return {
            code: url_for("reports.preview", study_id=content.study.id, **{"in": code})
            for code in content.languages()
        }
    return {
        code: url_for("reports.public", slug=content.report.slug, lang=code)
        for code in content.languages()
    }


def _report_page(content: services.ReportContent) -> str:
    """The report in the reader's interface language; its text in the language it is
    written in (the one asked for if it exists), marked with that language."""
    wanted = _wanted_language(content)
    language = content.reading_language(wanted)
    return render_template(
        "reports/public.html",
        content=content,
        study=content.study,
        wanted=wanted,
        language=language,
        figures=content.figures(),
        quotes=content.quotes(),
        actions=content.actions,
        read_in=_read_in(content),
        links=_links(content, language),
    )


@bp.get("/r/<slug>")
def public(slug: str):
    """The published report as an accessible web page, in the reader's language."""
    return _report_page(_published(slug))


@bp.get("/studies/<int:study_id>/report/preview")
@study_view(manage=True)
def preview(study):
    """The draft as readers would see it once published; for the study's coordinators."""
    return _report_page(_preview(study))


def _doc(content: services.ReportContent, language: str):
    """The report as the PDF module's plain data, in `language` (under force_locale)."""
    # imported when needed: reportlab and the fonts load only for a PDF
    from fieldapp.pdf.text import isolate

    # imported when needed: reportlab and the fonts load only for a PDF
    from fieldapp.reports.pdf import ActionItem, Figure, FigureRow, ReportDoc, Section

    figures = []
    hidden_note = _("Fewer than 5 people: not shown.")
    for fig in content.figures():
        title = fig.question.label(language, fig.definition.default_language)
        if fig.all_hidden:  # one sentence, as on the web page
            figures.append(Figure(title, (), hidden_note))
            continue
        if fig.kind != "choices":  # medians are shown on the web page only
            continue
        rows = tuple(
            FigureRow(
                fig.row_label(row.label_key, language),
                row.cells.get("", services.Cell(None, None)).count,
                row.cells.get("", services.Cell(None, None)).percent,
            )
            for row in fig.rows
        )
        hidden = any(row.count is None for row in rows)
        figures.append(Figure(title, rows, hidden_note if hidden else ""))
    actions = tuple(
        ActionItem(
            a.title(language),
            a.owner,
            format_date(a.due_date, "medium") if a.due_date else "–",
            str(ACTION_LABELS[a.status]),
            tuple(f"{format_date(u.at, 'short')}: {isolate(u.text)}" for u in a.updates if u.text),
        )
        for a in content.actions
    )
    report = content.report
    return ReportDoc(
        title=_("What we learned together"),
        study=report.study.title,
        area=report.study.area.name,
        language=language,
        url=url_for("reports.public", slug=report.slug, lang=language, _external=True),
        sections=tuple(
            Section(str(SECTION_LABELS[kind]), content.section(language, kind))
            for kind in SECTION_KINDS
            if content.section(language, kind).strip()
        ),
        figures=tuple(figures),
        # Quotes and updates keep their own writing direction inside another language.
        quotes=tuple(isolate(q.text) for q in content.quotes()),
        actions=actions,
        labels={
            "figures": _("Figures"),
            "quotes": _("What people said"),
            "actions": _("What is being done"),
            "owner": _("Who"),
            "due": _("When"),
            "status": _("Status"),
            "updates": _("Updates"),
            "scan": _("Scan to read the report online"),
            "page": _("Page"),
            "flyer_intro": _("Thank you for taking part. This is what we learned."),
            "poster_call": _("You told us. This is what happens now."),
            "table_label": _("Answer"),
            "table_count": _("People"),
            "table_percent": _("Percent"),
            "suppressed": _("fewer than 5"),
        },
    )


def _pdf(content: services.ReportContent, kind: str):
    """A PDF of the report. A printed document is in one language: the one the report is
    written in for this reader, its headings included."""
    # imported when needed: reportlab and the fonts load only for a PDF
    from fieldapp.reports import pdf

    language = content.reading_language(_wanted_language(content))
    with force_locale(language):
        doc = _doc(content, language)
        render = {
            "report": pdf.render_report,
            "flyer": pdf.render_flyer,
            "poster": pdf.render_poster,
        }[kind]
        data = render(doc)
    name = content.report.slug + ("-draft" if content.draft else "")
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}-{kind}-{language}.pdf"'},
    )


def _figures_csv(content: services.ReportContent):
    language = content.reading_language(_wanted_language(content))
    with force_locale(language):
        hidden = _("fewer than 5")
        rows = list(services.publication_rows(content.figures(), language, hidden))
    name = content.report.slug + ("-draft" if content.draft else "")
    return Response(
        "\ufeff" + "".join(csv_chunks(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}-figures-{language}.csv"'},
    )


@bp.get("/r/<slug>/report.pdf")
def report_pdf(slug: str):
    """The full report to print."""
    return _pdf(_published(slug), "report")


@bp.get("/r/<slug>/flyer.pdf")
def flyer_pdf(slug: str):
    """A one-page A4 flyer."""
    return _pdf(_published(slug), "flyer")


@bp.get("/r/<slug>/poster.pdf")
def poster_pdf(slug: str):
    """An A3 poster for a community centre window."""
    return _pdf(_published(slug), "poster")


@bp.get("/r/<slug>/figures.csv")
def figures_csv(slug: str):
    """The report's figures as a table for anyone to reuse: small cells hidden, as on the
    page."""
    return _figures_csv(_published(slug))


@bp.get("/studies/<int:study_id>/report/preview/report.pdf")
@study_view(manage=True)
def preview_report(study):
    """The draft's full report, to check before publishing."""
    return _pdf(_preview(study), "report")


@bp.get("/studies/<int:study_id>/report/preview/flyer.pdf")
@study_view(manage=True)
def preview_flyer(study):
    """The draft's flyer, to check before publishing."""
    return _pdf(_preview(study), "flyer")


@bp.get("/studies/<int:study_id>/report/preview/poster.pdf")
@study_view(manage=True)
def preview_poster(study):
    """The draft's poster, to check before publishing."""
    return _pdf(_preview(study), "poster")


@bp.get("/studies/<int:study_id>/report/preview/figures.csv")
@study_view(manage=True)
def preview_figures(study):
    """The draft's figures as a table, to check before publishing."""
    return _figures_csv(_preview(study))


# ---------------------------------------------------------------- the area page


@bp.get("/a/<slug>")
def area(slug: str):
    """An area's page: what research runs here, its results, and what is done with them."""
    found = db.session.scalar(select(Area).where(Area.slug == slug[:80]))
    if found is None:
        abort(404)
    published = [
        services.published_content(r)
        for r in db.session.scalars(select(Report).where(Report.state == "published"))
        if r.study.area_id == found.id
    ]
    published = [content for content in published if content is not None]
    return render_template(
        "reports/area.html",
        area=found,
        reports=[content.report for content in published],
        actions={content.report.id: content.actions for content in published},
        languages_codes=LANGUAGE_CODES,
    )
