"""Compensation rules: rounding, hours, the allowance limits at their edges, batches."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.compensation import services
from fieldapp.compensation.models import PaymentBatch, WorkEntry
from fieldapp.extensions import db
from fieldapp.studies.models import Study
from tests.compensation.conftest import DAY_2025, add_entry, set_limits


@pytest.mark.parametrize(
    ("hourly", "minutes", "cents"),
    [
        (1250, 60, 1250),
        (1250, 15, 313),
        (1250, 45, 938),
        (560, 60, 560),
        (330, 15, 83),
        (1001, 15, 250),
        (0, 120, 0),
        (1, 15, 0),
        (2, 15, 1),
    ],
)
def test_amount_for_minutes_rounds_half_up(hourly, minutes, cents):
    assert services.amount_for_minutes(hourly, minutes) == cents


def _entries(ids):
    return [db.session.get(WorkEntry, i) for i in ids]


def _person(user):
    return db.session.get(User, user.id)


def test_exactly_the_monthly_maximum_is_fine(app, paid_study, limits, co_researcher, coordinator):
    set_limits(app, co_researcher, born=dt.date(1980, 1, 1))
    a = add_entry(
        app, paid_study.id, co_researcher, day=DAY_2025, amount_cents=20_000, state="approved"
    )
    b = add_entry(app, paid_study.id, co_researcher, day=DAY_2025, amount_cents=1_000)
    with app.app_context():
        assert services.limit_problems(_entries([b.id])) == []
        assert services.approve_entries(_person(coordinator), _entries([b.id])) == 1
    assert a


def test_one_cent_over_the_month_stops(app, paid_study, limits, co_researcher, coordinator):
    set_limits(app, co_researcher, born=dt.date(1980, 1, 1))
    add_entry(app, paid_study.id, co_researcher, day=DAY_2025, amount_cents=20_000, state="paid")
    b = add_entry(app, paid_study.id, co_researcher, day=DAY_2025, amount_cents=1_001)
    with app.app_context():
        with pytest.raises(services.LimitExceeded) as stopped:
            services.approve_entries(_person(coordinator), _entries([b.id]))
        (problem,) = stopped.value.problems
        assert problem.period == "month"
        assert problem.limit_cents == 21_000
        assert problem.total_cents == 21_001
        assert db.session.get(WorkEntry, b.id).state == "open"


def test_confirming_with_a_reason_approves_and_is_kept(
    app, paid_study, limits, co_researcher, coordinator
):
    from fieldapp.audit.models import AuditEntry

    set_limits(app, co_researcher, born=dt.date(1980, 1, 1))
    b = add_entry(app, paid_study.id, co_researcher, day=DAY_2025, amount_cents=21_001)
    with app.app_context():
        with pytest.raises(services.LimitExceeded):  # a blank reason is no reason
            services.approve_entries(_person(coordinator), _entries([b.id]), override_reason="   ")
    with app.app_context():
        services.approve_entries(
            _person(coordinator),
            _entries([b.id]),
            override_reason="Geen uitkering meer sinds maart",
        )
        db.session.commit()
        entry = db.session.get(WorkEntry, b.id)
        assert entry.state == "approved"
        assert entry.limit_override_reason == "Geen uitkering meer sinds maart"
        audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "work_approved"))
        assert audit.details["limit_override"] is True


def test_over_the_year_through_two_studies(
    app, paid_study, limits, co_researcher, coordinator, make_area, make_study
):
    set_limits(app, co_researcher, born=dt.date(1980, 1, 1))
    other = make_study(
        make_area(coordinators=[coordinator]),
        coordinators=[coordinator],
        co_researchers=[co_researcher],
    )
    for month in range(1, 11):  # 10 × 210.00 = 2,100.00 in the first study
        add_entry(
            app,
            paid_study.id,
            co_researcher,
            day=dt.date(2025, month, 5),
            amount_cents=21_000,
            state="paid",
        )
    b = add_entry(app, other.id, co_researcher, day=dt.date(2025, 11, 5), amount_cents=1)
    with app.app_context():
        problems = services.limit_problems(_entries([b.id]))
        assert [p.period for p in problems] == ["year"]
        assert problems[0].total_cents == 210_001


def test_under_21_hourly_limit(app, paid_study, limits, co_researcher, make_user, study):
    from fieldapp.studies.models import StudyMember

    young = make_user("co_researcher")
    with app.app_context():
        db.session.add(
            StudyMember(
                study_id=study.id, user=db.session.get(User, young.id), role="co_researcher"
            )
        )
        db.session.commit()
    set_limits(app, young, born=dt.date(2006, 6, 1))  # 18 in March 2025
    set_limits(app, co_researcher, born=dt.date(1980, 1, 1))
    # 4.00 an hour: above 3.30 (under 21), below 5.60 (21 and older).
    young_entry = add_entry(
        app, paid_study.id, young, day=DAY_2025, amount_cents=400, minutes=60, activity="fieldwork"
    )
    adult_entry = add_entry(
        app,
        paid_study.id,
        co_researcher,
        day=DAY_2025,
        amount_cents=400,
        minutes=60,
        activity="fieldwork",
    )
    with app.app_context():
        problems = services.limit_problems(_entries([young_entry.id]))
        assert [(p.period, p.limit_cents, p.total_cents) for p in problems] == [("hour", 330, 400)]
        assert services.limit_problems(_entries([adult_entry.id])) == []
    # Exactly at the limit is fine: 3.30 an hour.
    at_limit = add_entry(
        app, paid_study.id, young, day=DAY_2025, amount_cents=330, minutes=60, activity="fieldwork"
    )
    with app.app_context():
        assert services.limit_problems(_entries([at_limit.id])) == []


def test_age_band_without_date_of_birth(app, paid_study, limits, co_researcher):
    set_limits(app, co_researcher, band="under_21")
    entry = add_entry(
        app,
        paid_study.id,
        co_researcher,
        day=DAY_2025,
        amount_cents=400,
        minutes=60,
        activity="fieldwork",
    )
    with app.app_context():
        assert [p.period for p in services.limit_problems(_entries([entry.id]))] == ["hour"]


def test_missing_limits_of_a_year_must_be_confirmed(app, paid_study, limits, co_researcher):
    set_limits(app, co_researcher, born=dt.date(1980, 1, 1))
    entry = add_entry(app, paid_study.id, co_researcher, day=dt.date(2026, 2, 2), amount_cents=100)
    with app.app_context():
        (problem,) = services.limit_problems(_entries([entry.id]))
        assert problem.period == "missing"
        assert problem.year == 2026


def test_limits_do_not_apply_to_everyone(app, paid_study, limits, co_researcher):
    entry = add_entry(app, paid_study.id, co_researcher, day=DAY_2025, amount_cents=999_999)
    with app.app_context():
        assert services.limit_problems(_entries([entry.id])) == []


@pytest.mark.parametrize(
    ("minutes", "activity", "day_offset", "code"),
    [
        (-15, "fieldwork", 0, "quarter_hours"),
        (0, "fieldwork", 0, "quarter_hours"),
        (20, "fieldwork", 0, "quarter_hours"),
        (25 * 60, "fieldwork", 0, "more_than_a_day"),
        (60, "juggling", 0, "unknown_activity"),
        (60, "fieldwork", 3, "future_date"),
        (60, "fieldwork", -500, "too_old"),
    ],
)
def test_bad_hours_are_refused(app, paid_study, co_researcher, minutes, activity, day_offset, code):
    with app.app_context():
        with pytest.raises(services.CompensationError) as refused:
            services.log_hours(
                _person(co_researcher),
                db.session.get(Study, paid_study.id),
                activity=activity,
                work_date=dt.date.today() + dt.timedelta(days=day_offset),
                minutes=minutes,
            )
        assert refused.value.code == code
        assert db.session.scalar(select(WorkEntry.id)) is None


def test_25_hours_over_two_entries_in_a_day(app, paid_study, co_researcher):
    with app.app_context():
        person, study = _person(co_researcher), db.session.get(Study, paid_study.id)
        today = dt.date.today()
        services.log_hours(person, study, activity="fieldwork", work_date=today, minutes=720)
        services.log_hours(person, study, activity="analysis", work_date=today, minutes=720)
        with pytest.raises(services.CompensationError) as refused:
            services.log_hours(person, study, activity="meetings", work_date=today, minutes=15)
        assert refused.value.code == "more_than_a_day"


def test_hours_follow_the_rate(app, paid_study, co_researcher):
    with app.app_context():
        entry = services.log_hours(
            _person(co_researcher),
            db.session.get(Study, paid_study.id),
            activity="fieldwork",
            work_date=dt.date.today(),
            minutes=135,
        )
        assert entry.amount_cents == 2813  # 12.50 × 2.25 = 28.125 → 28.13


def test_corrections_keep_who_when_why(app, paid_study, co_researcher, coordinator):
    with app.app_context():
        entry = services.log_hours(
            _person(co_researcher),
            db.session.get(Study, paid_study.id),
            activity="fieldwork",
            work_date=dt.date.today(),
            minutes=60,
        )
        with pytest.raises(services.CompensationError):
            services.correct_entry(_person(coordinator), entry, reason="", minutes=90)
        services.correct_entry(_person(coordinator), entry, reason="Was anderhalf uur", minutes=90)
        (change,) = entry.changes
        assert change.before["minutes"] == 60
        assert change.after["minutes"] == 90
        assert change.changed_by_id == coordinator.id
        assert entry.amount_cents == 1875
        with pytest.raises(services.CompensationError):
            services.correct_entry(_person(co_researcher), entry, reason="mag ik", minutes=600)


def test_four_eyes_and_idempotent_approval(
    app, paid_study, co_researcher, coordinator, make_user, study
):
    from fieldapp.studies.models import StudyMember

    second = make_user("coordinator")
    with app.app_context():
        db.session.add(
            StudyMember(study_id=study.id, user=db.session.get(User, second.id), role="coordinator")
        )
        db.session.commit()
    add_entry(
        app, paid_study.id, co_researcher, day=dt.date.today(), amount_cents=2500, state="approved"
    )
    with app.app_context():
        batch = services.draft_batch(_person(coordinator), db.session.get(Study, paid_study.id))
        with pytest.raises(services.CompensationError) as refused:
            services.approve_batch(_person(coordinator), batch)
        assert refused.value.code == "four_eyes"
        services.approve_batch(_person(second), batch)
        services.approve_batch(_person(second), batch)  # again: nothing changes
        assert batch.state == "approved"
        with pytest.raises(services.CompensationError):
            services.approve_batch(_person(coordinator), batch)
        services.mark_batch_paid(_person(coordinator), batch)
        services.mark_batch_paid(_person(coordinator), batch)
        assert {e.state for e in batch.entries} == {"paid"}
        entry = batch.entries[0]
        with pytest.raises(services.CompensationError):
            services.correct_entry(_person(coordinator), entry, reason="te laat", amount_cents=1)
        with pytest.raises(services.CompensationError):
            services.remove_from_batch(_person(coordinator), batch, entry)


def test_the_database_refuses_a_batch_approved_by_its_drafter(app, paid_study, coordinator):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(
            PaymentBatch(
                study_id=paid_study.id,
                drafted_by_id=coordinator.id,
                approved_by_id=coordinator.id,
                state="approved",
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amounts=st.lists(st.integers(min_value=1, max_value=500_000), min_size=1, max_size=12))
def test_batch_total_is_the_sum_of_its_entries(
    app, paid_study, co_researcher, coordinator, amounts
):
    with app.app_context():
        for entry in db.session.scalars(select(WorkEntry)).all():
            db.session.delete(entry)
        for batch in db.session.scalars(select(PaymentBatch)).all():
            db.session.delete(batch)
        db.session.commit()
    for cents in amounts:
        add_entry(
            app,
            paid_study.id,
            co_researcher,
            day=dt.date.today(),
            amount_cents=cents,
            state="approved",
        )
    with app.app_context():
        batch = services.draft_batch(_person(coordinator), db.session.get(Study, paid_study.id))
        assert batch.total_cents == sum(amounts)
        assert isinstance(batch.total_cents, int)
        db.session.rollback()


def test_approved_interview_earns_its_amount(app, paid_study, co_researcher, coordinator):
    from types import SimpleNamespace

    from fieldapp.compensation.services import entry_for_approved_interview

    interview = SimpleNamespace(
        id=None,
        co_researcher_id=co_researcher.id,
        study_id=paid_study.id,
        submitted_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
        started_at=None,
    )
    with app.app_context():
        interview.study = db.session.get(Study, paid_study.id)
        entry = entry_for_approved_interview(interview)
        assert entry.amount_cents == 1500
        assert entry.activity == "interview"
        assert entry.state == "open"
