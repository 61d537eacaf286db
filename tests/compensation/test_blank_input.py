"""Blank input (only spaces or a line break) in money forms gets a message, never a 500."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fieldapp.compensation.models import StudyRates, WorkEntry
from fieldapp.extensions import db
from tests.compensation.conftest import add_entry


def test_rates_made_of_line_breaks_are_refused(app, as_coordinator, paid_study):
    response = as_coordinator.post(
        f"/studies/{paid_study.id}/money/rates?lang=en",
        data={
            "rates-hourly": "\r\n",
            "rates-per_interview": " ",
            "rates-per_training": "25,00",
            "rates-per_analysis": "25,00",
        },
    )
    assert response.status_code == 400
    assert "Enter an amount." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StudyRates, paid_study.id).hourly_cents == 1250


def test_a_correction_with_blank_minutes_and_date_keeps_them(
    app, as_coordinator, paid_study, co_researcher
):
    entry = add_entry(
        app,
        paid_study.id,
        co_researcher,
        day=dt.date.today(),
        amount_cents=1250,
        minutes=60,
        activity="fieldwork",
    )
    response = as_coordinator.post(
        f"/work-entries/{entry.id}/correct",
        data={"minutes": "\r\n", "work_date": "\r\n", "note": "Overleg", "reason": "Notitie"},
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(WorkEntry).where(WorkEntry.id == entry.id))
        assert (saved.minutes, saved.work_date, saved.note) == (60, dt.date.today(), "Overleg")
