"""Compensation rules: rates, hours and pieces, limits, approval, batches, thank-yous.

Money is integer cents everywhere. Rounding is written down once: an amount for time is
hourly rate × minutes ÷ 60, rounded half up to a whole cent (quarter hours of a rate in
cents can give half cents: 12.50/h × 15 min = 3.125 → 3.13).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select, update

from fieldapp.accounts.models import Role, User
from fieldapp.audit import services as audit
from fieldapp.common import signals
from fieldapp.compensation.models import (
    ACTIVITIES,
    PIECES,
    AllowanceLimit,
    PayeeProfile,
    PaymentBatch,
    StudyRates,
    ThankYou,
    ThankYouType,
    WorkEntry,
    WorkEntryChange,
)
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.fieldwork.interviews import can_see_interview
from fieldapp.studies.models import MemberRole, Study
from fieldapp.studies.services import studies_for

MAX_MINUTES_PER_DAY = 24 * 60
MAX_RATE_CENTS = 100_000  # 1,000 euro an hour or a piece is certainly a typing error
NEAR_LIMIT_SHARE = (8, 10)  # 80 %: "near the limit" on the overview


class CompensationError(Exception):
    def __init__(self, reason: str, /, **params):
        super().__init__(reason)
        self.code = reason
        self.params = params


@dataclass(frozen=True)
class LimitProblem:
    """One limit that approving would pass; `period` is 'hour', 'month', 'year' or 'missing'."""

    user_id: int
    period: str
    year: int
    month: int | None
    limit_cents: int | None
    total_cents: int


class LimitExceeded(Exception):
    def __init__(self, problems: list[LimitProblem]):
        super().__init__(f"{len(problems)} limit problem(s)")
        self.problems = problems


def amount_for_minutes(hourly_cents: int, minutes: int) -> int:
    """Hourly rate × minutes ÷ 60, half a cent and more rounds up."""
    return (hourly_cents * minutes * 2 + 60) // 120


# ---------------------------------------------------------------- access


def can_manage_money(user: User, study: Study) -> bool:
    return user.role == Role.ADMIN or study.member_role(user) == MemberRole.COORDINATOR


def can_approve_entry(user: User, entry: WorkEntry) -> bool:
    """A study's coordinators and admins approve entries, but never their own pay."""
    return entry.user_id != user.id and can_manage_money(user, entry.study)


def can_see_bank_details(viewer: User, person: User) -> bool:
    return viewer.id == person.id or bool(viewer.finance)


# ---------------------------------------------------------------- rates and thank-you types


def rates_for(study: Study) -> StudyRates:
    rates = db.session.get(StudyRates, study.id)
    if rates is None:
        rates = StudyRates(study_id=study.id)
        db.session.add(rates)
        db.session.flush()
    return rates


def _check_cents(*values: int) -> None:
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool):
            raise CompensationError("amount_not_cents")
        if value < 0 or value > MAX_RATE_CENTS:
            raise CompensationError("amount_out_of_range")


def save_rates(
    actor: User,
    study: Study,
    *,
    hourly_cents: int,
    per_interview_cents: int,
    per_training_cents: int,
    per_analysis_cents: int,
) -> StudyRates:
    if not can_manage_money(actor, study):
        raise CompensationError("not_allowed")
    _check_cents(hourly_cents, per_interview_cents, per_training_cents, per_analysis_cents)
    rates = rates_for(study)
    rates.hourly_cents = hourly_cents
    rates.per_interview_cents = per_interview_cents
    rates.per_training_cents = per_training_cents
    rates.per_analysis_cents = per_analysis_cents
    rates.updated_at = utcnow()
    rates.updated_by_id = actor.id
    audit.record("rates_changed", study, actor=actor, study_id=study.id)
    return rates


def save_thank_you_type(
    actor: User,
    study: Study,
    *,
    kind: str,
    name: str,
    value_cents: int,
    stock: int,
    needs_serial: bool,
    existing: ThankYouType | None = None,
) -> ThankYouType:
    if not can_manage_money(actor, study):
        raise CompensationError("not_allowed")
    if kind not in ("gift_card", "voucher", "cash"):
        raise CompensationError("unknown_kind")
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise CompensationError("bad_name")
    _check_cents(value_cents)
    if value_cents == 0:
        raise CompensationError("amount_out_of_range")
    if not isinstance(stock, int) or stock < 0 or stock > 100_000:
        raise CompensationError("bad_stock")
    item = existing or ThankYouType(study_id=study.id)
    if existing is not None and existing.study_id != study.id:
        raise CompensationError("not_allowed")
    item.kind, item.name, item.value_cents = kind, name, value_cents
    item.stock, item.needs_serial = stock, needs_serial
    db.session.add(item)
    db.session.flush()
    audit.record("thank_you_type_saved", item, actor=actor, study_id=study.id, stock=stock)
    return item


def thank_you_types(study: Study, *, active_only: bool = False) -> list[ThankYouType]:
    query = select(ThankYouType).where(ThankYouType.study_id == study.id)
    if active_only:
        query = query.where(ThankYouType.active.is_(True))
    return list(db.session.scalars(query.order_by(ThankYouType.id)))


def give_thank_you(
    actor: User, interview, thank_you_type: ThankYouType, serial_number: str | None
) -> ThankYou:
    """Record a thank-you at the end of an interview; the study's stock goes down by one."""
    if not can_see_interview(actor, interview) or interview.study.member_role(actor) is None:
        raise CompensationError("not_allowed")
    if thank_you_type.study_id != interview.study_id or not thank_you_type.active:
        raise CompensationError("unknown_type")
    if db.session.scalar(select(ThankYou.id).where(ThankYou.interview_id == interview.id)):
        raise CompensationError("already_given")
    serial = " ".join((serial_number or "").split()) or None
    if thank_you_type.needs_serial and not serial:
        raise CompensationError("serial_needed")
    if serial and len(serial) > 60:
        raise CompensationError("serial_too_long")
    # Take one from the stock in the database itself, so two phones cannot take the last one.
    taken = db.session.execute(
        update(ThankYouType)
        .where(ThankYouType.id == thank_you_type.id, ThankYouType.stock > 0)
        .values(stock=ThankYouType.stock - 1)
    )
    if taken.rowcount != 1:
        raise CompensationError("out_of_stock")
    db.session.refresh(thank_you_type)
    given = ThankYou(
        study_id=interview.study_id,
        type=thank_you_type,
        interview_id=interview.id,
        serial_number=serial,
        value_cents=thank_you_type.value_cents,
        given_by_id=actor.id,
    )
    db.session.add(given)
    db.session.flush()
    audit.record(
        "thank_you_given",
        given,
        actor=actor,
        study_id=interview.study_id,
        value_cents=given.value_cents,
    )
    return given


# ---------------------------------------------------------------- work entries


def _snapshot(entry: WorkEntry) -> dict:
    return {
        "activity": entry.activity,
        "work_date": entry.work_date.isoformat(),
        "minutes": entry.minutes,
        "amount_cents": entry.amount_cents,
        "note": entry.note,
        "state": entry.state,
    }


def _minutes_on_day(user_id: int, day: dt.date, exclude_id: int | None = None) -> int:
    query = select(func.coalesce(func.sum(WorkEntry.minutes), 0)).where(
        WorkEntry.user_id == user_id,
        WorkEntry.work_date == day,
        WorkEntry.state != "rejected",
    )
    if exclude_id is not None:
        query = query.where(WorkEntry.id != exclude_id)
    return int(db.session.scalar(query))


def _check_time(user_id: int, activity: str, day: dt.date, minutes: int, exclude_id=None):
    if activity not in ACTIVITIES:
        raise CompensationError("unknown_activity")
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise CompensationError("bad_minutes")
    if minutes <= 0 or minutes % 15:
        raise CompensationError("quarter_hours")
    if day > dt.date.today():
        raise CompensationError("future_date")
    if day < dt.date.today() - dt.timedelta(days=400):
        raise CompensationError("too_old")
    if _minutes_on_day(user_id, day, exclude_id) + minutes > MAX_MINUTES_PER_DAY:
        raise CompensationError("more_than_a_day")


def _member_for_pay(study: Study, person: User) -> None:
    if study.member_role(person) is None:
        raise CompensationError("not_a_member")


def log_hours(
    actor: User,
    study: Study,
    *,
    activity: str,
    work_date: dt.date,
    minutes: int,
    note: str = "",
    person: User | None = None,
    reason: str | None = None,
) -> WorkEntry:
    """Hours worked, in quarter hours. Co-researchers log their own; coordinators add for
    someone else with a reason."""
    person = person or actor
    if person.id != actor.id and not can_manage_money(actor, study):
        raise CompensationError("not_allowed")
    if person.id == actor.id and study.member_role(actor) is None:
        raise CompensationError("not_allowed")
    _member_for_pay(study, person)
    _check_time(person.id, activity, work_date, minutes)
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise CompensationError("note_too_long")
    entry = WorkEntry(
        study_id=study.id,
        user_id=person.id,
        activity=activity,
        work_date=work_date,
        minutes=minutes,
        amount_cents=amount_for_minutes(rates_for(study).hourly_cents, minutes),
        note=note,
        created_by_id=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    if person.id != actor.id:
        entry.changes.append(
            WorkEntryChange(changed_by_id=actor.id, reason=_reason(reason), after=_snapshot(entry))
        )
    audit.record("work_logged", entry, actor=actor, study_id=study.id, minutes=minutes)
    return entry


def log_piece(
    actor: User, study: Study, *, kind: str, work_date: dt.date, person: User, reason: str
) -> WorkEntry:
    """A training or analysis session (coordinators add these for the people who came)."""
    if not can_manage_money(actor, study):
        raise CompensationError("not_allowed")
    if kind not in PIECES or kind == "interview":
        raise CompensationError("unknown_activity")
    _member_for_pay(study, person)
    if work_date > dt.date.today():
        raise CompensationError("future_date")
    entry = WorkEntry(
        study_id=study.id,
        user_id=person.id,
        activity=kind,
        work_date=work_date,
        minutes=0,
        amount_cents=rates_for(study).piece_cents(kind),
        created_by_id=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    entry.changes.append(
        WorkEntryChange(changed_by_id=actor.id, reason=_reason(reason), after=_snapshot(entry))
    )
    audit.record("work_logged", entry, actor=actor, study_id=study.id)
    return entry


def entry_for_approved_interview(interview, **_kwargs) -> WorkEntry | None:
    """An approved interview earns its co-researcher the study's amount per interview."""
    if interview.co_researcher_id is None:
        return None
    if db.session.scalar(select(WorkEntry.id).where(WorkEntry.interview_id == interview.id)):
        return None
    amount = rates_for(interview.study).per_interview_cents
    if amount <= 0:
        return None
    entry = WorkEntry(
        study_id=interview.study_id,
        user_id=interview.co_researcher_id,
        activity="interview",
        work_date=(interview.submitted_at or interview.started_at).date(),
        minutes=0,
        amount_cents=amount,
        interview_id=interview.id,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise CompensationError("reason_needed")
    if len(reason) > 500:
        raise CompensationError("reason_too_long")
    return reason


def correct_entry(
    actor: User,
    entry: WorkEntry,
    *,
    reason: str,
    activity: str | None = None,
    work_date: dt.date | None = None,
    minutes: int | None = None,
    amount_cents: int | None = None,
    note: str | None = None,
) -> WorkEntry:
    """A coordinator corrects an entry that is not paid yet; the change keeps who, when, why."""
    if not can_manage_money(actor, entry.study):
        raise CompensationError("not_allowed")
    if entry.state == "paid" or (entry.batch is not None and entry.batch.state != "draft"):
        raise CompensationError("already_paid")
    reason = _reason(reason)
    before = _snapshot(entry)
    if entry.is_hours:
        new_activity = activity or entry.activity
        new_date = work_date or entry.work_date
        new_minutes = entry.minutes if minutes is None else minutes
        _check_time(entry.user_id, new_activity, new_date, new_minutes, exclude_id=entry.id)
        entry.activity, entry.work_date, entry.minutes = new_activity, new_date, new_minutes
        entry.amount_cents = amount_for_minutes(rates_for(entry.study).hourly_cents, new_minutes)
    elif amount_cents is not None:
        _check_cents(amount_cents)
        entry.amount_cents = amount_cents
    if note is not None:
        entry.note = " ".join(note.split())[:300]
    if entry.state == "approved":
        entry.state = "open"  # a changed entry is approved again
        entry.approved_by_id = entry.approved_at = None
        if entry.batch is not None:
            entry.batch = None
    entry.changes.append(
        WorkEntryChange(
            changed_by_id=actor.id, reason=reason, before=before, after=_snapshot(entry)
        )
    )
    audit.record("work_corrected", entry, actor=actor, study_id=entry.study_id)
    return entry


# ---------------------------------------------------------------- limits


def limits_for(year: int) -> AllowanceLimit | None:
    return db.session.scalar(select(AllowanceLimit).where(AllowanceLimit.year == year))


def profile_for(user: User) -> PayeeProfile:
    profile = db.session.get(PayeeProfile, user.id)
    if profile is None:
        profile = PayeeProfile(user_id=user.id)
        db.session.add(profile)
        db.session.flush()
    return profile


def _counted_total(user_id: int, start: dt.date, end: dt.date, exclude: set[int]) -> int:
    query = select(func.coalesce(func.sum(WorkEntry.amount_cents), 0)).where(
        WorkEntry.user_id == user_id,
        WorkEntry.state.in_(("approved", "paid")),
        WorkEntry.work_date >= start,
        WorkEntry.work_date < end,
    )
    if exclude:
        query = query.where(WorkEntry.id.not_in(exclude))
    return int(db.session.scalar(query))


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def limit_problems(entries: list[WorkEntry]) -> list[LimitProblem]:
    """What approving these entries would pass, summed over every study in fieldapp."""
    problems: list[LimitProblem] = []
    by_person: dict[int, list[WorkEntry]] = defaultdict(list)
    for entry in entries:
        by_person[entry.user_id].append(entry)
    ids = {e.id for e in entries if e.id is not None}
    for user_id, own in by_person.items():
        profile = db.session.get(PayeeProfile, user_id)
        if profile is None or not profile.limits_apply:
            continue
        months = sorted({(e.work_date.year, e.work_date.month) for e in own})
        years = sorted({year for year, _month in months})
        for year in years:
            limits = limits_for(year)
            if limits is None:
                problems.append(LimitProblem(user_id, "missing", year, None, None, 0))
                continue
            this_year = [e for e in own if e.work_date.year == year]
            for entry in this_year:
                hourly = limits.hourly_cents(profile.age_band_on(entry.work_date))
                if entry.is_hours and hourly is not None and entry.minutes:
                    # Compare cents per hour exactly: amount × 60 against limit × minutes.
                    if entry.amount_cents * 60 > hourly * entry.minutes:
                        per_hour = entry.amount_cents * 60 // entry.minutes
                        problems.append(
                            LimitProblem(
                                user_id, "hour", year, entry.work_date.month, hourly, per_hour
                            )
                        )
            for month in sorted({e.work_date.month for e in this_year}):
                start, end = _month_bounds(year, month)
                added = sum(e.amount_cents for e in this_year if e.work_date.month == month)
                total = _counted_total(user_id, start, end, ids) + added
                if total > limits.monthly_cents:
                    problems.append(
                        LimitProblem(user_id, "month", year, month, limits.monthly_cents, total)
                    )
            added = sum(e.amount_cents for e in this_year)
            total = _counted_total(user_id, dt.date(year, 1, 1), dt.date(year + 1, 1, 1), ids)
            total += added
            if total > limits.yearly_cents:
                problems.append(
                    LimitProblem(user_id, "year", year, None, limits.yearly_cents, total)
                )
    return problems


def approve_entries(
    actor: User, entries: list[WorkEntry], *, override_reason: str | None = None
) -> int:
    """Approve open entries. Passing a limit stops unless the approver confirms with a reason."""
    open_entries = [e for e in entries if e.state == "open"]
    for entry in open_entries:
        if not can_manage_money(actor, entry.study):
            raise CompensationError("not_allowed")
        if not can_approve_entry(actor, entry):
            raise CompensationError("own_entry")
    problems = limit_problems(open_entries)
    reason = None
    if problems:
        if not (override_reason or "").strip():
            raise LimitExceeded(problems)
        reason = _reason(override_reason)[:300]
    now = utcnow()
    for entry in open_entries:
        entry.state = "approved"
        entry.approved_by_id = actor.id
        entry.approved_at = now
        if reason and any(p.user_id == entry.user_id for p in problems):
            entry.limit_override_reason = reason
        audit.record(
            "work_approved",
            entry,
            actor=actor,
            study_id=entry.study_id,
            limit_override=bool(reason),
        )
    return len(open_entries)


def reject_entry(actor: User, entry: WorkEntry, reason: str) -> None:
    if not can_manage_money(actor, entry.study):
        raise CompensationError("not_allowed")
    if entry.state != "open":
        raise CompensationError("not_open")
    before = _snapshot(entry)
    entry.state = "rejected"
    entry.changes.append(
        WorkEntryChange(
            changed_by_id=actor.id, reason=_reason(reason), before=before, after=_snapshot(entry)
        )
    )
    audit.record("work_rejected", entry, actor=actor, study_id=entry.study_id)


# ---------------------------------------------------------------- batches


def draft_batch(actor: User, study: Study) -> PaymentBatch:
    """A draft batch of every approved entry of the study that is not in a batch yet."""
    if not can_manage_money(actor, study):
        raise CompensationError("not_allowed")
    entries = db.session.scalars(
        select(WorkEntry).where(
            WorkEntry.study_id == study.id,
            WorkEntry.state == "approved",
            WorkEntry.batch_id.is_(None),
        )
    ).all()
    if not entries:
        raise CompensationError("nothing_to_pay")
    batch = PaymentBatch(study_id=study.id, drafted_by_id=actor.id)
    batch.entries = list(entries)
    db.session.add(batch)
    db.session.flush()
    audit.record(
        "batch_drafted", batch, actor=actor, study_id=study.id, total_cents=batch.total_cents
    )
    return batch


def approve_batch(actor: User, batch: PaymentBatch) -> None:
    """Four eyes: someone other than the drafter approves. Approving twice changes nothing."""
    if not can_manage_money(actor, batch.study):
        raise CompensationError("not_allowed")
    if batch.state == "approved" and batch.approved_by_id == actor.id:
        return
    if batch.state != "draft":
        raise CompensationError("batch_not_draft")
    if batch.drafted_by_id == actor.id:
        raise CompensationError("four_eyes")
    if not batch.entries:
        raise CompensationError("nothing_to_pay")
    batch.state = "approved"
    batch.approved_by_id = actor.id
    batch.approved_at = utcnow()
    audit.record(
        "batch_approved",
        batch,
        actor=actor,
        study_id=batch.study_id,
        total_cents=batch.total_cents,
    )


def mark_batch_paid(actor: User, batch: PaymentBatch) -> None:
    if not (actor.finance or can_manage_money(actor, batch.study)):
        raise CompensationError("not_allowed")
    if batch.state == "paid":
        return
    if batch.state != "approved":
        raise CompensationError("batch_not_approved")
    batch.state = "paid"
    batch.paid_by_id = actor.id
    batch.paid_at = utcnow()
    for entry in batch.entries:
        entry.state = "paid"
    audit.record(
        "batch_paid", batch, actor=actor, study_id=batch.study_id, total_cents=batch.total_cents
    )


def remove_from_batch(actor: User, batch: PaymentBatch, entry: WorkEntry) -> None:
    if not can_manage_money(actor, batch.study):
        raise CompensationError("not_allowed")
    if batch.state != "draft":
        raise CompensationError("batch_not_draft")
    if entry.batch_id != batch.id:
        raise CompensationError("not_in_batch")
    entry.batch = None
    audit.record("batch_entry_removed", batch, actor=actor, study_id=batch.study_id)


# ---------------------------------------------------------------- what people see


def earnings(user: User, year: int) -> dict:
    """Per month: open, approved and paid cents; and the year's totals."""
    entries = db.session.scalars(
        select(WorkEntry)
        .where(
            WorkEntry.user_id == user.id,
            WorkEntry.work_date >= dt.date(year, 1, 1),
            WorkEntry.work_date < dt.date(year + 1, 1, 1),
        )
        .order_by(WorkEntry.work_date, WorkEntry.id)
    ).all()
    months: dict[int, dict[str, int]] = {}
    for entry in entries:
        if entry.state == "rejected":
            continue
        month = months.setdefault(entry.work_date.month, {"open": 0, "approved": 0, "paid": 0})
        month[entry.state] += entry.amount_cents
    totals = {k: sum(m[k] for m in months.values()) for k in ("open", "approved", "paid")}
    return {"entries": entries, "months": months, "totals": totals}


def people_near_limits(actor: User, today: dt.date | None = None) -> list[dict]:
    """People in the actor's studies to whom the limits apply, near (80 %) or over them."""
    today = today or dt.date.today()
    limits = limits_for(today.year)
    if limits is None:
        return []
    people: dict[int, User] = {}
    for study in studies_for(actor):
        if not can_manage_money(actor, study):
            continue
        for member in study.members:
            if member.role == MemberRole.CO_RESEARCHER:
                people[member.user_id] = member.user
    rows = []
    month_start, month_end = _month_bounds(today.year, today.month)
    for user_id, user in people.items():
        profile = db.session.get(PayeeProfile, user_id)
        if profile is None or not profile.limits_apply:
            continue
        month = _counted_total(user_id, month_start, month_end, set())
        year = _counted_total(
            user_id, dt.date(today.year, 1, 1), dt.date(today.year + 1, 1, 1), set()
        )
        near_month = month * NEAR_LIMIT_SHARE[1] >= limits.monthly_cents * NEAR_LIMIT_SHARE[0]
        near_year = year * NEAR_LIMIT_SHARE[1] >= limits.yearly_cents * NEAR_LIMIT_SHARE[0]
        if near_month or near_year:
            rows.append(
                {
                    "user": user,
                    "month_cents": month,
                    "year_cents": year,
                    "monthly_cents": limits.monthly_cents,
                    "yearly_cents": limits.yearly_cents,
                    "over_month": month > limits.monthly_cents,
                    "over_year": year > limits.yearly_cents,
                }
            )
    return sorted(rows, key=lambda r: r["user"].display_name)


# ---------------------------------------------------------------- bank details


def save_bank_details(person: User, *, account_name: str, iban: str) -> PayeeProfile:
    # imported when needed: schwifty and sepaxml are slow to load
    from fieldapp.compensation.banking import BankingError, bic_for, normalise_iban, sepa_name

    try:
        compact = normalise_iban(iban)
        name = sepa_name(account_name)
    except BankingError as error:
        raise CompensationError(error.code) from None
    profile = profile_for(person)
    profile.iban = compact
    profile.account_name = name
    profile.bic = bic_for(compact)
    profile.updated_at = utcnow()
    audit.record("bank_details_changed", profile.user, actor=person)
    return profile


def bank_details_for(viewer: User, person: User) -> PayeeProfile | None:
    """Bank details, for the person themselves and finance staff only; every look is logged."""
    if not can_see_bank_details(viewer, person):
        raise CompensationError("not_allowed")
    profile = db.session.get(PayeeProfile, person.id)
    audit.record("bank_details_viewed", person, actor=viewer)
    return profile


def set_limits_apply(
    actor: User,
    person: User,
    *,
    limits_apply: bool,
    date_of_birth: dt.date | None,
    age_band: str | None,
) -> PayeeProfile:
    """Coordinators of a study the person works on say whether the limits apply."""
    if actor.role != Role.ADMIN and not any(
        can_manage_money(actor, s) and s.member_role(person) is not None for s in studies_for(actor)
    ):
        raise CompensationError("not_allowed")
    if age_band not in (None, "21_plus", "under_21"):
        raise CompensationError("bad_age_band")
    if date_of_birth is not None and not (dt.date(1900, 1, 1) <= date_of_birth <= dt.date.today()):
        raise CompensationError("bad_date_of_birth")
    profile = profile_for(person)
    profile.limits_apply = limits_apply
    profile.date_of_birth = date_of_birth
    profile.age_band = age_band
    audit.record("limits_setting_changed", person, actor=actor, limits_apply=limits_apply)
    return profile


def save_limits(
    actor: User,
    *,
    year: int,
    hourly_cents_21_plus: int | None,
    hourly_cents_under_21: int | None,
    monthly_cents: int,
    yearly_cents: int,
) -> AllowanceLimit:
    if actor.role != Role.ADMIN:
        raise CompensationError("not_allowed")
    if not 2000 <= year <= 2100:
        raise CompensationError("bad_year")
    for value in (hourly_cents_21_plus, hourly_cents_under_21):
        if value is not None:
            _check_cents(value)
    for value in (monthly_cents, yearly_cents):
        if not isinstance(value, int) or value <= 0 or value > 10_000_000:
            raise CompensationError("amount_out_of_range")
    if monthly_cents > yearly_cents:
        raise CompensationError("month_over_year")
    row = limits_for(year) or AllowanceLimit(year=year)
    row.hourly_cents_21_plus = hourly_cents_21_plus
    row.hourly_cents_under_21 = hourly_cents_under_21
    row.monthly_cents, row.yearly_cents = monthly_cents, yearly_cents
    row.updated_by_id, row.updated_at = actor.id, utcnow()
    db.session.add(row)
    db.session.flush()
    audit.record("limits_saved", row, actor=actor, year=year)
    return row


# The figures of the research agenda's context page; 2023's hourly limits are not on it,
# so they are left for an admin to fill in (the check then skips the hourly limit).
KNOWN_LIMITS = {
    2023: (None, None, 19_000, 190_000),
    2024: (550, 325, 21_000, 210_000),
    2025: (560, 330, 21_000, 210_000),
}


def seed_known_limits() -> None:
    for year, (hourly, hourly_young, month, whole_year) in KNOWN_LIMITS.items():
        if limits_for(year) is None:
            db.session.add(
                AllowanceLimit(
                    year=year,
                    hourly_cents_21_plus=hourly,
                    hourly_cents_under_21=hourly_young,
                    monthly_cents=month,
                    yearly_cents=whole_year,
                )
            )
    db.session.flush()


def connect_signals() -> None:
    """Connect compensation's receivers (called by create_app; see common/signals.py)."""
    signals.interview_approved.connect(entry_for_approved_interview)
