"""Fixtures for compensation: a study with rates, people to whom the limits apply."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from fieldapp.extensions import db


@pytest.fixture
def limits(app):
    from fieldapp.compensation.services import seed_known_limits

    with app.app_context():
        seed_known_limits()
        db.session.commit()


@pytest.fixture
def paid_study(app, study, coordinator):
    """The shared study with rates: 12.50 an hour, 15.00 an interview, 25.00 a session."""
    from fieldapp.accounts.models import User
    from fieldapp.compensation import services
    from fieldapp.studies.models import Study

    with app.app_context():
        services.save_rates(
            db.session.get(User, coordinator.id),
            db.session.get(Study, study.id),
            hourly_cents=1250,
            per_interview_cents=1500,
            per_training_cents=2500,
            per_analysis_cents=2500,
        )
        db.session.commit()
    return study


def set_limits(app, person, *, applies=True, born=None, band=None):
    from fieldapp.compensation.models import PayeeProfile

    with app.app_context():
        profile = db.session.get(PayeeProfile, person.id) or PayeeProfile(user_id=person.id)
        profile.limits_apply = applies
        profile.date_of_birth = born
        profile.age_band = band
        db.session.add(profile)
        db.session.commit()


def add_entry(
    app,
    study_id,
    person,
    *,
    day,
    amount_cents,
    minutes=0,
    activity="analysis_session",
    state="open",
):
    """An entry straight in the table, for sums at exact amounts."""
    from fieldapp.compensation.models import WorkEntry

    with app.app_context():
        entry = WorkEntry(
            study_id=study_id,
            user_id=person.id,
            activity=activity,
            work_date=day,
            minutes=minutes,
            amount_cents=amount_cents,
            state=state,
        )
        db.session.add(entry)
        db.session.commit()
        return SimpleNamespace(id=entry.id)


DAY_2025 = dt.date(2025, 3, 10)
