"""Money pages: who sees what, the four-eyes rule by URL, bad input, thank-yous."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from fieldapp.accounts.models import User, UserSession
from fieldapp.compensation.models import PaymentBatch, StudyRates, WorkEntry
from fieldapp.extensions import db
from tests.compensation.conftest import DAY_2025, add_entry, set_limits
from tests.conftest import login


def test_co_researcher_logs_hours_on_the_phone(app, as_co_researcher, paid_study):
    response = as_co_researcher.post(
        "/money/hours",
        data={
            "study_id": str(paid_study.id),
            "activity": "fieldwork",
            "work_date": dt.date.today().isoformat(),
            "minutes": "90",
            "note": "Deur aan deur",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(WorkEntry))
        assert (entry.minutes, entry.amount_cents, entry.state) == (90, 1875, "open")
    page = as_co_researcher.get("/money?lang=en").get_data(as_text=True)
    assert "18.75" in page


@pytest.mark.parametrize(
    "data",
    [
        {"minutes": "-15"},
        {"minutes": "20"},
        {"minutes": "1500"},
        {"activity": "juggling"},
        {"work_date": "2099-01-01"},
        {"work_date": "not a date"},
        {"study_id": "999"},
        {"note": "x" * 301},
    ],
)
def test_bad_hours_get_a_message_and_nothing_is_stored(app, as_co_researcher, paid_study, data):
    form = {
        "study_id": str(paid_study.id),
        "activity": "fieldwork",
        "work_date": dt.date.today().isoformat(),
        "minutes": "60",
    }
    form.update(data)
    response = as_co_researcher.post("/money/hours", data=form)
    assert response.status_code == 400
    assert 'class="error-message"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(WorkEntry.id))) == 0


@pytest.mark.parametrize("amount", ["12,505", "-3", "abc", "", "12.5.5", "99999999"])
def test_rates_with_bad_amounts_are_refused(app, as_coordinator, paid_study, amount):
    response = as_coordinator.post(
        f"/studies/{paid_study.id}/money/rates",
        data={
            "rates-hourly": amount,
            "rates-per_interview": "15,00",
            "rates-per_training": "25",
            "rates-per_analysis": "25",
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(StudyRates, paid_study.id).hourly_cents == 1250


def test_rates_in_euros_become_cents(app, as_coordinator, paid_study):
    as_coordinator.post(
        f"/studies/{paid_study.id}/money/rates",
        data={
            "rates-hourly": "13,75",
            "rates-per_interview": "€ 20",
            "rates-per_training": "25.50",
            "rates-per_analysis": "0",
        },
    )
    with app.app_context():
        rates = db.session.get(StudyRates, paid_study.id)
        assert (
            rates.hourly_cents,
            rates.per_interview_cents,
            rates.per_training_cents,
            rates.per_analysis_cents,
        ) == (1375, 2000, 2550, 0)


def test_co_researcher_sees_only_own_money(app, paid_study, co_researcher, make_user, study):
    from fieldapp.studies.models import StudyMember

    other = make_user("co_researcher", display_name="Andere Collega")
    with app.app_context():
        db.session.add(
            StudyMember(
                study_id=study.id, user=db.session.get(User, other.id), role="co_researcher"
            )
        )
        db.session.commit()
    add_entry(app, paid_study.id, other, day=dt.date.today(), amount_cents=77_777)
    mine = login(app.test_client(), co_researcher)
    assert "777.77" not in mine.get("/money?lang=en").get_data(as_text=True)
    assert mine.get(f"/studies/{paid_study.id}/money").status_code == 403
    entry_id = db_entry_id(app)
    assert mine.get(f"/work-entries/{entry_id}/correct").status_code == 404
    assert mine.post(f"/work-entries/{entry_id}/reject", data={"reason": "x"}).status_code == 404


def db_entry_id(app):
    with app.app_context():
        return db.session.scalar(select(WorkEntry.id))


def test_coordinator_of_another_study_sees_nothing(
    app, paid_study, co_researcher, make_user, make_area, make_study
):
    stranger = make_user("coordinator")
    make_study(make_area(coordinators=[stranger]), coordinators=[stranger])
    add_entry(
        app, paid_study.id, co_researcher, day=dt.date.today(), amount_cents=1000, state="approved"
    )
    client = login(app.test_client(), stranger)
    assert client.get(f"/studies/{paid_study.id}/money").status_code == 404
    assert client.get(f"/work-entries/{db_entry_id(app)}/correct").status_code == 404
    assert client.get(f"/people/{co_researcher.id}/limits").status_code == 404


def test_four_eyes_cannot_be_bypassed_by_url(
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
    drafter = login(app.test_client(), coordinator)
    made = drafter.post(f"/studies/{paid_study.id}/batches")
    batch_id = int(made.headers["Location"].rsplit("/", 1)[1])
    drafter.post(f"/batches/{batch_id}/approve")
    drafter.post(f"/batches/{batch_id}/paid")
    with app.app_context():
        assert db.session.get(PaymentBatch, batch_id).state == "draft"
    # A co-researcher cannot approve either.
    worker = login(app.test_client(), co_researcher)
    assert worker.post(f"/batches/{batch_id}/approve").status_code == 404
    checker = login(app.test_client(), second)
    checker.post(f"/batches/{batch_id}/approve")
    checker.post(f"/batches/{batch_id}/approve")  # twice: the same
    with app.app_context():
        batch = db.session.get(PaymentBatch, batch_id)
        assert batch.state == "approved"
        assert batch.approved_by_id == second.id


def test_batch_approval_asks_for_the_password_again(
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
    drafter = login(app.test_client(), coordinator)
    batch_id = int(
        drafter.post(f"/studies/{paid_study.id}/batches").headers["Location"].rsplit("/", 1)[1]
    )
    checker = login(app.test_client(), second)
    with app.app_context():
        for s in db.session.scalars(select(UserSession)):
            s.authenticated_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
        db.session.commit()
    response = checker.post(f"/batches/{batch_id}/approve")
    assert "/reauthenticate" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(PaymentBatch, batch_id).state == "draft"


def test_approval_over_a_limit_asks_for_a_reason(
    app, as_coordinator, paid_study, limits, co_researcher
):
    set_limits(app, co_researcher, born=dt.date(1980, 1, 1))
    entry = add_entry(app, paid_study.id, co_researcher, day=DAY_2025, amount_cents=21_001)
    stopped = as_coordinator.post(
        f"/studies/{paid_study.id}/money/approve?lang=en",
        data={"approve-entry_ids": [str(entry.id)]},
    )
    assert stopped.status_code == 409
    html = stopped.get_data(as_text=True)
    assert "passes a volunteer allowance limit" in html
    assert "the monthly limit" in html
    with app.app_context():
        assert db.session.get(WorkEntry, entry.id).state == "open"
    as_coordinator.post(
        f"/studies/{paid_study.id}/money/approve",
        data={
            "approve-entry_ids": [str(entry.id)],
            "approve-override_reason": "Geen uitkering sinds maart",
        },
    )
    with app.app_context():
        assert db.session.get(WorkEntry, entry.id).state == "approved"


def test_approval_message_in_dutch(app, as_coordinator, paid_study, limits, co_researcher):
    set_limits(app, co_researcher, born=dt.date(1980, 1, 1))
    entry = add_entry(app, paid_study.id, co_researcher, day=DAY_2025, amount_cents=21_001)
    stopped = as_coordinator.post(
        f"/studies/{paid_study.id}/money/approve?lang=nl",
        data={"approve-entry_ids": [str(entry.id)]},
    )
    html = stopped.get_data(as_text=True)
    assert "passes a volunteer allowance limit" not in html
    assert 'lang="nl"' in html


def test_admin_keeps_the_limits_and_sees_a_missing_year(app, as_admin, limits):
    page = as_admin.get("/admin/limits?lang=en").get_data(as_text=True)
    this_year = dt.date.today().year
    if this_year > 2025:
        assert f"The limits of {this_year} are missing" in page
    response = as_admin.post(
        "/admin/limits",
        data={
            "year": str(this_year),
            "hourly_21_plus": "5,70",
            "hourly_under_21": "3,35",
            "monthly": "220",
            "yearly": "2200",
        },
    )
    assert response.status_code == 302
    bad = as_admin.post("/admin/limits", data={"year": "2027", "monthly": "3000", "yearly": "2000"})
    assert bad.status_code == 400


def test_only_admins_keep_the_limits(as_coordinator, as_co_researcher):
    assert as_coordinator.get("/admin/limits").status_code == 403
    assert as_co_researcher.get("/admin/limits").status_code == 403


def test_finance_flag_by_admin(app, as_admin, coordinator):
    response = as_admin.post(f"/admin/accounts/{coordinator.id}/finance")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, coordinator.id).finance is True
    assert re.search(
        "Accounts|Accounts", as_admin.get("/admin/accounts?lang=en").get_data(as_text=True)
    )
