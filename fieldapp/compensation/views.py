"""Money pages: hours and earnings on the phone, rates, approval, batches, bank files, limits."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice as Choice

from fieldapp.accounts.access import recent_login_required, role_required
from fieldapp.accounts.models import Role, User
from fieldapp.audit import services as audit
from fieldapp.common.forms import ActionForm
from fieldapp.compensation import services
from fieldapp.compensation.forms import (
    ACTIVITY_LABELS,
    BATCH_STATE_LABELS,
    ENTRY_STATE_LABELS,
    KIND_LABELS,
    AddWorkForm,
    ApproveForm,
    BankForm,
    CorrectionForm,
    HoursForm,
    LimitsForm,
    LimitsSettingForm,
    RatesForm,
    ReasonForm,
    ThankYouForm,
    ThankYouTypeForm,
)
from fieldapp.compensation.models import AllowanceLimit, PaymentBatch, WorkEntry
from fieldapp.extensions import db
from fieldapp.fieldwork.views import load_interview
from fieldapp.i18n import current_language
from fieldapp.studies.access import study_view
from fieldapp.studies.models import MemberRole
from fieldapp.studies.services import studies_for
from fieldapp.studies.services import studies_for as studies

bp = Blueprint("compensation", __name__)

ERRORS = {
    "not_allowed": _l("You cannot do this."),
    "amount_not_cents": _l("Enter an amount in euros, like 12,50."),
    "amount_out_of_range": _l("This amount is not possible."),
    "unknown_kind": _l("Choose a kind."),
    "bad_name": _l("Enter a name."),
    "bad_stock": _l("Enter a number."),
    "unknown_type": _l("Choose one."),
    "already_given": _l("A thank-you was already recorded for this interview."),
    "serial_needed": _l("Enter the serial number."),
    "serial_too_long": _l("The serial number is too long."),
    "out_of_stock": _l("None left. Ask the coordinator."),
    "unknown_activity": _l("Choose an activity."),
    "bad_minutes": _l("Choose how long."),
    "quarter_hours": _l("Choose how long, in quarter hours."),
    "future_date": _l("The date cannot be in the future."),
    "too_old": _l("This date is more than a year ago. Ask the coordinator."),
    "more_than_a_day": _l("That is more than 24 hours on one day."),
    "not_a_member": _l("This person does not work on this study."),
    "note_too_long": _l("The note is too long."),
    "reason_needed": _l("Give a reason."),
    "reason_too_long": _l("The reason is too long."),
    "already_paid": _l("This was paid already and cannot change."),
    "not_open": _l("This was already handled."),
    "nothing_to_pay": _l("There are no approved entries to pay."),
    "batch_not_draft": _l("This batch is approved already and cannot change."),
    "four_eyes": _l("Someone else must approve a batch you made."),
    "own_entry": _l("Someone else must approve your own hours and sessions."),
    "batch_not_approved": _l("The batch must be approved first."),
    "not_in_batch": _l("This entry is not in the batch."),
    "bad_age_band": _l("Choose an age."),
    "bad_date_of_birth": _l("This date of birth is not possible."),
    "bad_year": _l("Enter a year."),
    "month_over_year": _l("The month limit cannot be more than the year limit."),
    "iban_invalid": _l("This is not a valid IBAN. Check it against your bank card."),
    "iban_checksum": _l("This IBAN has a typing error. Check it against your bank card."),
    "iban_country": _l("Only accounts in the SEPA area can be paid."),
    "name_empty": _l("Enter the name of the account holder."),
}
PERIOD_LABELS = {
    "hour": _l("the hourly limit"),
    "month": _l("the monthly limit"),
    "year": _l("the yearly limit"),
    "missing": _l("the limits of this year (not entered yet)"),
}


# The largest id an integer column holds: a larger number in a URL finds nothing (a 404),
# where the database driver would fail on it.
MAX_ID = 2**31 - 1


def _by_id(model, key: int):
    return db.session.get(model, key) if 0 < key <= MAX_ID else None


def _error(code: str) -> str:
    return str(ERRORS.get(code, ERRORS["not_allowed"]))


def money(cents: int | None) -> str:
    # imported when needed: schwifty and sepaxml are slow to load
    from fieldapp.compensation.banking import format_cents

    return "–" if cents is None else format_cents(cents, current_language().code)


def month_name(month: int) -> str:
    return format_date(dt.date(2000, month, 1), "LLLL")


@bp.app_context_processor
def money_helpers():
    return {
        "money": money,
        "month_name": month_name,
        "current_year": dt.date.today().year,
        "activity_labels": ACTIVITY_LABELS,
        "entry_state_labels": ENTRY_STATE_LABELS,
        "batch_state_labels": BATCH_STATE_LABELS,
        "thank_you_kind_labels": KIND_LABELS,
        "period_labels": PERIOD_LABELS,
    }


def limits_missing_this_year() -> bool:
    return (
        db.session.scalar(
            select(AllowanceLimit.id).where(AllowanceLimit.year == dt.date.today().year)
        )
        is None
    )


# ---------------------------------------------------------------- co-researchers: own money


@bp.get("/money")
@login_required
def mine():
    """My entries and earnings per month, for a year."""
    year = request.args.get("year", dt.date.today().year, type=int) or dt.date.today().year
    year = min(max(year, 2000), 2100)
    return render_template(
        "compensation/mine.html",
        year=year,
        earnings=services.earnings(current_user, year),
        profile=db.session.get(services.PayeeProfile, current_user.id),
    )


@bp.route("/money/hours", methods=["GET", "POST"])
@login_required
def log_hours():
    """Log hours worked, in quarter hours."""
    form = HoursForm()
    studies = [s for s in studies_for(current_user) if s.member_role(current_user)]
    form.study_id.choices = [Choice(str(s.id), s.title) for s in studies]
    if not form.is_submitted():
        form.work_date.data = dt.date.today()
    if form.validate_on_submit():
        study = next((s for s in studies if str(s.id) == form.study_id.data), None)
        try:
            services.log_hours(
                current_user,
                study,
                activity=form.activity.data,
                work_date=form.work_date.data,
                minutes=int(form.minutes.data),
                note=form.note.data or "",
            )
        except services.CompensationError as error:
            db.session.rollback()
            field = {
                "future_date": form.work_date,
                "too_old": form.work_date,
                "more_than_a_day": form.minutes,
                "quarter_hours": form.minutes,
                "unknown_activity": form.activity,
            }.get(error.code, form.study_id)
            field.errors.append(_error(error.code))
        else:
            db.session.commit()
            flash(_("Your hours are saved. The coordinator approves them."), "success")
            return redirect(url_for("compensation.mine"))
    return render_template("compensation/hours.html", form=form), (
        400 if form.is_submitted() else 200
    )


def statement_labels() -> dict[str, str]:
    return {
        "title": _("Statement of volunteer allowances"),
        "intro": _(
            "What fieldapp recorded for you this year, per month. Paid means it was "
            "transferred; waiting means it is approved and will be paid."
        ),
        "month": _("Month"),
        "description": _("What"),
        "study": _("Study"),
        "amount": _("Amount"),
        "status": _("Status"),
        "paid": _("Paid"),
        "waiting": _("Waiting"),
        "total": _("Total"),
        "total_paid": _("Total paid"),
        "month_names": "|".join(format_date(dt.date(2000, m, 1), "LLLL") for m in range(1, 13)),
        "limit_note": _(
            "Allowances from all organisations together count towards the "
            "volunteer allowance limits of the tax authority."
        ),
        "generated": _("Made on %(date)s", date=format_date(dt.date.today(), "short")),
    }


@bp.get("/money/statement/<int:year>.pdf")
@login_required
def statement(year: int):
    """My yearly statement as a PDF, in my own language."""
    # imported when needed: schwifty and sepaxml are slow to load
    from fieldapp.compensation.banking import format_cents

    # imported when needed: reportlab and the fonts load only for a PDF
    from fieldapp.compensation.statement_pdf import Statement, StatementLine, render_statement

    if not 2000 <= year <= 2100:
        abort(404)
    language = current_language().code
    data = services.earnings(current_user, year)
    with force_locale(language):
        lines = [
            StatementLine(
                month=e.work_date.month,
                description=(
                    f"{ACTIVITY_LABELS[e.activity]}, {e.minutes // 60}:{e.minutes % 60:02d}"
                    if e.minutes
                    else str(ACTIVITY_LABELS[e.activity])
                ),
                study=e.study.title,
                amount_cents=e.amount_cents,
                paid=e.state == "paid",
            )
            for e in data["entries"]
            if e.state in ("approved", "paid")
        ]
        pdf = render_statement(
            Statement(
                person_name=current_user.display_name,
                year=year,
                language=language,
                lines=lines,
                labels=statement_labels(),
                amount_formatter=lambda cents: format_cents(cents, language),
            )
        )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="statement-{year}.pdf"'},
    )


@bp.route("/money/bank", methods=["GET", "POST"])
@login_required
def bank():
    """My bank details (only I and finance staff see them)."""
    # imported when needed: schwifty and sepaxml are slow to load
    from fieldapp.compensation.banking import format_iban

    profile = services.bank_details_for(current_user, current_user)
    form = BankForm()
    if not form.is_submitted() and profile is not None:
        form.account_name.data = profile.account_name
    if form.validate_on_submit():
        try:
            services.save_bank_details(
                current_user, account_name=form.account_name.data, iban=form.iban.data
            )
        except services.CompensationError as error:
            db.session.rollback()
            target = form.account_name if error.code == "name_empty" else form.iban
            target.errors.append(_error(error.code))
        else:
            db.session.commit()
            flash(_("Your bank details are saved."), "success")
            return redirect(url_for("compensation.bank"))
    db.session.commit()  # the audit entry of this look
    return render_template(
        "compensation/bank.html",
        form=form,
        profile=profile,
        iban=format_iban(profile.iban) if profile is not None and profile.iban else None,
    ), (400 if form.errors else 200)


# ---------------------------------------------------------------- thank-yous


@bp.route("/interviews/<uuid>/thank-you", methods=["GET", "POST"])
@login_required
def thank_you(uuid: str):
    """Record the thank-you given at the end of the interview."""
    interview = load_interview(uuid)
    types = [t for t in services.thank_you_types(interview.study, active_only=True)]
    form = ThankYouForm()
    form.type_id.choices = [
        Choice(str(t.id), f"{t.name} ({money(t.value_cents)}, {t.stock})") for t in types
    ]
    if form.validate_on_submit():
        chosen = next((t for t in types if str(t.id) == form.type_id.data), None)
        try:
            services.give_thank_you(current_user, interview, chosen, form.serial_number.data)
        except services.CompensationError as error:
            db.session.rollback()
            target = form.serial_number if "serial" in error.code else form.type_id
            target.errors.append(_error(error.code))
        else:
            db.session.commit()
            flash(_("The thank-you is recorded."), "success")
            return redirect(url_for("fieldwork.done", uuid=uuid))
    return render_template(
        "compensation/thank_you.html", form=form, interview=interview, types=types
    ), (400 if form.is_submitted() else 200)


# ---------------------------------------------------------------- coordinators: a study's money


def _people(study) -> list[User]:
    return sorted(
        (m.user for m in study.members if m.role == MemberRole.CO_RESEARCHER),
        key=lambda u: u.display_name,
    )


def _sent(form) -> bool:
    """This form was the one sent (a page holds several forms, each with its prefix)."""
    return form.is_submitted() and any(name.startswith(form._prefix) for name in request.form)


def _rates_form(study) -> RatesForm:
    # imported when needed: schwifty and sepaxml are slow to load
    from fieldapp.compensation.banking import format_cents

    form = RatesForm(prefix="rates")
    if not _sent(form):
        rates = services.rates_for(study)
        for field, cents in (
            (form.hourly, rates.hourly_cents),
            (form.per_interview, rates.per_interview_cents),
            (form.per_training, rates.per_training_cents),
            (form.per_analysis, rates.per_analysis_cents),
        ):
            field.data = format_cents(cents, "nl").replace("€", "").strip()
    return form


def _add_form(study) -> AddWorkForm:
    form = AddWorkForm(prefix="add")
    form.study_id.choices = [Choice(str(study.id), study.title)]
    form.study_id.data = str(study.id)
    form.user_id.choices = [Choice(str(u.id), u.display_name) for u in _people(study)]
    if not _sent(form):
        form.work_date.data = dt.date.today()
    return form


def _study_page(study, **forms):
    entries = db.session.scalars(
        select(WorkEntry)
        .where(WorkEntry.study_id == study.id)
        .order_by(WorkEntry.work_date.desc(), WorkEntry.id.desc())
    ).all()
    batches = db.session.scalars(
        select(PaymentBatch)
        .where(PaymentBatch.study_id == study.id)
        .order_by(PaymentBatch.id.desc())
    ).all()
    approvable = {
        e.id for e in entries if e.state == "open" and services.can_approve_entry(current_user, e)
    }
    approve_form = forms.pop("approve_form", None) or ApproveForm(prefix="approve")
    approve_form.entry_ids.choices = [Choice(i, str(i)) for i in sorted(approvable)]
    return render_template(
        "compensation/study.html",
        study=study,
        entries=entries,
        batches=batches,
        rates_form=forms.pop("rates_form", None) or _rates_form(study),
        type_form=forms.pop("type_form", None) or ThankYouTypeForm(prefix="type"),
        add_form=forms.pop("add_form", None) or _add_form(study),
        approve_form=approve_form,
        approvable=approvable,
        types=services.thank_you_types(study),
        people=_people(study),
        action_form=ActionForm(),
        limits_missing=limits_missing_this_year(),
        problems=forms.pop("problems", None),
    )


@bp.get("/studies/<int:study_id>/money")
@study_view(manage=True)
def study_money(study):
    """Rates, thank-you stock, entries to approve and payment batches of one study."""
    return _study_page(study)


@bp.post("/studies/<int:study_id>/money/rates")
@study_view(manage=True)
def save_rates(study):
    """Save the study's rates."""
    form = _rates_form(study)
    if form.validate_on_submit():
        services.save_rates(
            current_user,
            study,
            hourly_cents=form.hourly.cents,
            per_interview_cents=form.per_interview.cents,
            per_training_cents=form.per_training.cents,
            per_analysis_cents=form.per_analysis.cents,
        )
        db.session.commit()
        flash(_("The rates are saved."), "success")
        return redirect(url_for("compensation.study_money", study_id=study.id))
    return _study_page(study, rates_form=form), 400


@bp.post("/studies/<int:study_id>/money/thank-you-types")
@study_view(manage=True)
def add_thank_you_type(study):
    """Add a kind of thank-you with its value and stock."""
    form = ThankYouTypeForm(prefix="type")
    if form.validate_on_submit():
        try:
            services.save_thank_you_type(
                current_user,
                study,
                kind=form.kind.data,
                name=form.name.data,
                value_cents=form.value.cents,
                stock=form.stock.data,
                needs_serial=form.needs_serial.data,
            )
        except services.CompensationError as error:
            db.session.rollback()
            form.name.errors.append(_error(error.code))
        else:
            db.session.commit()
            return redirect(url_for("compensation.study_money", study_id=study.id))
    return _study_page(study, type_form=form), 400


@bp.post("/studies/<int:study_id>/money/work")
@study_view(manage=True)
def add_work(study):
    """Add hours or a session for a co-researcher, with a reason."""
    form = _add_form(study)
    if form.validate_on_submit():
        person = db.session.get(User, int(form.user_id.data))
        try:
            if form.activity.data in ("training_session", "analysis_session"):
                services.log_piece(
                    current_user,
                    study,
                    kind=form.activity.data,
                    work_date=form.work_date.data,
                    person=person,
                    reason=form.reason.data,
                )
            else:
                services.log_hours(
                    current_user,
                    study,
                    activity=form.activity.data,
                    work_date=form.work_date.data,
                    minutes=int(form.minutes.data),
                    note=form.note.data or "",
                    person=person,
                    reason=form.reason.data,
                )
        except services.CompensationError as error:
            db.session.rollback()
            form.activity.errors.append(_error(error.code))
        else:
            db.session.commit()
            return redirect(url_for("compensation.study_money", study_id=study.id))
    return _study_page(study, add_form=form), 400


@bp.post("/studies/<int:study_id>/money/approve")
@study_view(manage=True)
@recent_login_required
def approve(study):
    """Approve entries; a passed allowance limit needs a confirmation with a reason."""
    form = ApproveForm(prefix="approve")
    # Only the entries this approver may approve can be chosen: open ones of this study that
    # are not their own. Any other id makes the whole request fail, and nothing changes.
    approvable = [
        e.id
        for e in db.session.scalars(
            select(WorkEntry).where(WorkEntry.study_id == study.id, WorkEntry.state == "open")
        )
        if services.can_approve_entry(current_user, e)
    ]
    form.entry_ids.choices = [Choice(i, str(i)) for i in sorted(approvable)]
    if not form.validate_on_submit() or not form.entry_ids.data:
        flash(_("Choose the entries to approve."), "error")
        return redirect(url_for("compensation.study_money", study_id=study.id))
    entries = db.session.scalars(
        select(WorkEntry).where(WorkEntry.id.in_(form.entry_ids.data))
    ).all()
    try:
        count = services.approve_entries(
            current_user, list(entries), override_reason=form.override_reason.data
        )
    except services.LimitExceeded as exceeded:
        db.session.rollback()
        people = {u.id: u for u in _people(study)}
        return _study_page(
            study,
            approve_form=form,
            problems=[(people.get(p.user_id), p) for p in exceeded.problems],
        ), 409
    except services.CompensationError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
    else:
        db.session.commit()
        flash(_("%(count)s entries approved.", count=count), "success")
    return redirect(url_for("compensation.study_money", study_id=study.id))


def _entry(entry_id: int) -> WorkEntry:
    entry = _by_id(WorkEntry, entry_id)
    if entry is None or entry.study.member_role(current_user) != MemberRole.COORDINATOR:
        abort(404)
    return entry


@bp.route("/work-entries/<int:entry_id>/correct", methods=["GET", "POST"])
@login_required
def correct(entry_id: int):
    """Correct an entry that is not paid; the reason and the old values are kept."""
    # imported when needed: schwifty and sepaxml are slow to load
    from fieldapp.compensation.banking import format_cents

    entry = _entry(entry_id)
    form = CorrectionForm()
    if not form.is_submitted():
        form.minutes.data = str(entry.minutes) if entry.minutes else None
        form.amount.data = format_cents(entry.amount_cents, "nl").replace("€", "").strip()
        form.work_date.data = entry.work_date
        form.note.data = entry.note
    if form.validate_on_submit():
        try:
            services.correct_entry(
                current_user,
                entry,
                reason=form.reason.data,
                work_date=form.work_date.data,
                minutes=int(form.minutes.data) if entry.is_hours and form.minutes.data else None,
                amount_cents=getattr(form.amount, "cents", None) if not entry.is_hours else None,
                note=form.note.data,
            )
        except services.CompensationError as error:
            db.session.rollback()
            form.reason.errors.append(_error(error.code))
        else:
            db.session.commit()
            return redirect(url_for("compensation.study_money", study_id=entry.study_id))
    return render_template("compensation/correct.html", form=form, entry=entry), (
        400 if form.is_submitted() else 200
    )


@bp.post("/work-entries/<int:entry_id>/reject")
@login_required
def reject(entry_id: int):
    """Do not approve an entry, with a reason."""
    entry = _entry(entry_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.reject_entry(current_user, entry, form.reason.data)
        except services.CompensationError as error:
            db.session.rollback()
            flash(_error(error.code), "error")
        else:
            db.session.commit()
    else:
        flash(ERRORS["reason_needed"], "error")
    return redirect(url_for("compensation.study_money", study_id=entry.study_id))


# ---------------------------------------------------------------- batches


def _batch(batch_id: int) -> PaymentBatch:
    batch = _by_id(PaymentBatch, batch_id)
    if batch is None:
        abort(404)
    if not (current_user.finance or services.can_manage_money(current_user, batch.study)):
        abort(404)
    return batch


@bp.post("/studies/<int:study_id>/batches")
@study_view(manage=True)
def draft_batch(study):
    """Put every approved, unpaid entry in a new draft batch."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        batch = services.draft_batch(current_user, study)
    except services.CompensationError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
        return redirect(url_for("compensation.study_money", study_id=study.id))
    db.session.commit()
    return redirect(url_for("compensation.batch", batch_id=batch.id))


@bp.get("/batches/<int:batch_id>")
@login_required
def batch(batch_id: int):
    """A payment batch: its entries, total and state."""
    item = _batch(batch_id)
    return render_template(
        "compensation/batch.html",
        batch=item,
        action_form=ActionForm(),
        can_manage=services.can_manage_money(current_user, item.study),
    )


def _batch_step(batch_id: int, step, done_message: str):
    """Run one state change of a batch from a button, with its message."""
    item = _batch(batch_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        step(current_user, item)
    except services.CompensationError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
    else:
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("compensation.batch", batch_id=item.id))


@bp.post("/batches/<int:batch_id>/approve")
@login_required
@recent_login_required
def approve_batch(batch_id: int):
    """Approve a batch (not the one who drafted it)."""
    return _batch_step(batch_id, services.approve_batch, _("The batch is approved."))


@bp.post("/batches/<int:batch_id>/paid")
@login_required
@recent_login_required
def mark_paid(batch_id: int):
    """Mark an approved batch as paid."""
    return _batch_step(batch_id, services.mark_batch_paid, _("The batch is marked as paid."))


@bp.post("/batches/<int:batch_id>/entries/<int:entry_id>/remove")
@login_required
def remove_entry(batch_id: int, entry_id: int):
    """Take an entry out of a draft batch."""
    item = _batch(batch_id)
    entry = _by_id(WorkEntry, entry_id)
    if entry is None or not ActionForm().validate_on_submit():
        abort(404)
    try:
        services.remove_from_batch(current_user, item, entry)
    except services.CompensationError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
    else:
        db.session.commit()
    return redirect(url_for("compensation.batch", batch_id=item.id))


def _payments(item: PaymentBatch):
    """One payment per person in the batch; finance needs everyone's bank details."""
    # imported when needed: schwifty and sepaxml are slow to load
    from fieldapp.compensation.banking import Payment

    per_person: dict[int, int] = {}
    for entry in item.entries:
        per_person[entry.user_id] = per_person.get(entry.user_id, 0) + entry.amount_cents
    payments, missing = [], []
    for user_id, cents in per_person.items():
        person = db.session.get(User, user_id)
        profile = services.bank_details_for(current_user, person)
        if profile is None or not profile.iban:
            missing.append(person)
            continue
        payments.append(
            Payment(
                end_to_end_id=f"FA-{item.id}-{user_id}",
                name=profile.account_name or person.display_name,
                iban=profile.iban,
                bic=profile.bic,
                amount_cents=cents,
                description=f"Vrijwilligersvergoeding {item.study.slug} batch {item.id}",
            )
        )
    return payments, missing


def _finance_payments(batch_id: int, *, for_bank_file: bool = False):
    """(batch, payments) for finance staff, or (batch, None) after flashing who lacks details.

    Looking up the bank details is logged, so the audit entries are committed either way.
    """
    from flask import current_app

    item = _batch(batch_id)
    if not current_user.finance:
        abort(403)
    if item.state == "draft":
        abort(409)
    payments, missing = _payments(item)
    db.session.commit()
    names = [p.display_name for p in missing]
    if for_bank_file and not current_app.config.get("SEPA_DEBTOR_IBAN"):
        names.append("fieldapp (SEPA_DEBTOR_IBAN)")
    if names:
        flash(_("Bank details are missing for: %(names)s.", names=", ".join(names)), "error")
        return item, None
    return item, payments


@bp.get("/batches/<int:batch_id>.csv")
@login_required
@recent_login_required
def batch_csv(batch_id: int):
    """The batch as CSV for finance (with bank details)."""
    # imported when needed: schwifty and sepaxml are slow to load
    from fieldapp.compensation.banking import batch_csv_rows

    item, payments = _finance_payments(batch_id)
    if payments is None:
        return redirect(url_for("compensation.batch", batch_id=item.id))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(batch_csv_rows(payments))
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="batch-{item.id}.csv"'},
    )


@bp.get("/batches/<int:batch_id>/sepa.xml")
@login_required
@recent_login_required
def batch_sepa(batch_id: int):
    """The batch as a SEPA credit transfer file (pain.001.001.03) for the bank."""
    from flask import current_app

    # imported when needed: schwifty and sepaxml are slow to load
    from fieldapp.compensation.banking import BankingError, Debtor, credit_transfer_xml

    item, payments = _finance_payments(batch_id, for_bank_file=True)
    if payments is None:
        return redirect(url_for("compensation.batch", batch_id=item.id))
    config = current_app.config
    try:
        xml = credit_transfer_xml(
            Debtor(
                name=config["SEPA_DEBTOR_NAME"],
                iban=config["SEPA_DEBTOR_IBAN"],
                bic=config.get("SEPA_DEBTOR_BIC") or None,
            ),
            payments,
            message_id=f"FA{item.id}T{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}",
            execution_date=dt.date.today(),
        )
    except BankingError as error:
        db.session.rollback()
        flash(_error(error.code), "error")
        return redirect(url_for("compensation.batch", batch_id=item.id))
    audit.record("sepa_file_made", item, study_id=item.study_id, payments=len(payments))
    db.session.commit()
    return Response(
        xml,
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="sepa-batch-{item.id}.xml"'},
    )


# ---------------------------------------------------------------- limits


@bp.route("/people/<int:user_id>/limits", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.COORDINATOR)
def person_limits(user_id: int):
    """Whether the allowance limits apply to a co-researcher, and their age."""
    person = _by_id(User, user_id)
    if person is None or person.role != Role.CO_RESEARCHER:
        abort(404)
    if current_user.role != Role.ADMIN and not any(
        services.can_manage_money(current_user, s) and s.member_role(person) is not None
        for s in studies_for(current_user)
    ):
        abort(404)
    profile = db.session.get(services.PayeeProfile, person.id)
    form = LimitsSettingForm(obj=profile)
    if form.validate_on_submit():
        try:
            services.set_limits_apply(
                current_user,
                person,
                limits_apply=form.limits_apply.data,
                date_of_birth=form.date_of_birth.data,
                age_band=form.age_band.data or None,
            )
        except services.CompensationError as error:
            db.session.rollback()
            form.date_of_birth.errors.append(_error(error.code))
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("compensation.limits_overview"))
    return render_template("compensation/person_limits.html", form=form, person=person), (
        400 if form.is_submitted() else 200
    )


@bp.get("/money/limits")
@role_required(Role.ADMIN, Role.COORDINATOR)
def limits_overview():
    """People near or over a limit this month or this year, over all studies."""
    people = {}
    for study in studies(current_user):
        if services.can_manage_money(current_user, study):
            for user in _people(study):
                people[user.id] = user
    profiles = {
        p.user_id: p
        for p in db.session.scalars(
            select(services.PayeeProfile).where(services.PayeeProfile.user_id.in_(people))
        )
    }
    return render_template(
        "compensation/limits_overview.html",
        rows=services.people_near_limits(current_user),
        people=sorted(people.values(), key=lambda u: u.display_name),
        profiles=profiles,
        limits_missing=limits_missing_this_year(),
    )


@bp.route("/admin/limits", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def admin_limits():
    """The volunteer allowance limits per year."""
    form = LimitsForm()
    if not form.is_submitted():
        form.year.data = dt.date.today().year
    if form.validate_on_submit():
        try:
            services.save_limits(
                current_user,
                year=form.year.data,
                hourly_cents_21_plus=getattr(form.hourly_21_plus, "cents", None),
                hourly_cents_under_21=getattr(form.hourly_under_21, "cents", None),
                monthly_cents=form.monthly.cents,
                yearly_cents=form.yearly.cents,
            )
        except services.CompensationError as error:
            db.session.rollback()
            form.monthly.errors.append(_error(error.code))
        else:
            db.session.commit()
            flash(_("The limits are saved."), "success")
            return redirect(url_for("compensation.admin_limits"))
    rows = db.session.scalars(select(AllowanceLimit).order_by(AllowanceLimit.year.desc())).all()
    return render_template(
        "compensation/admin_limits.html",
        form=form,
        rows=rows,
        limits_missing=limits_missing_this_year(),
        this_year=dt.date.today().year,
    ), (400 if form.is_submitted() else 200)
