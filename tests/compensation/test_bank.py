"""Bank details: only the person and finance see them, every look is logged; bank files."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.audit.models import AuditEntry
from fieldapp.compensation.models import PayeeProfile
from fieldapp.extensions import db
from tests.compensation.conftest import add_entry
from tests.conftest import login


def test_bad_iban_is_refused_with_a_message(app, as_co_researcher, co_researcher):
    response = as_co_researcher.post(
        "/money/bank?lang=en", data={"account_name": "S. El Idrissi", "iban": "NL91ABNA0417164301"}
    )
    assert response.status_code == 400
    assert "typing error" in response.get_data(as_text=True)
    with app.app_context():
        profile = db.session.get(PayeeProfile, co_researcher.id)
        assert profile is None or profile.iban is None


def test_own_bank_details_are_saved_and_each_look_is_logged(app, as_co_researcher, co_researcher):
    as_co_researcher.post(
        "/money/bank", data={"account_name": "Samira El Idrissi", "iban": "nl91 abna 0417 1643 00"}
    )
    page = as_co_researcher.get("/money/bank").get_data(as_text=True)
    assert "NL91 ABNA 0417 1643 00" in page
    with app.app_context():
        assert db.session.get(PayeeProfile, co_researcher.id).iban == "NL91ABNA0417164300"
        looks = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "bank_details_viewed")
        ).all()
        assert len(looks) >= 2
        assert all("NL91" not in str(entry.details) for entry in looks)


def _batch_ready(app, paid_study, co_researcher, coordinator, make_user, study):
    from fieldapp.compensation import services
    from fieldapp.studies.models import Study, StudyMember

    second = make_user("coordinator")
    with app.app_context():
        db.session.add(
            StudyMember(study_id=study.id, user=db.session.get(User, second.id), role="coordinator")
        )
        services.save_bank_details(
            db.session.get(User, co_researcher.id),
            account_name="Samira El Idrissi",
            iban="NL91ABNA0417164300",
        )
        db.session.commit()
    add_entry(
        app, paid_study.id, co_researcher, day=dt.date.today(), amount_cents=2813, state="approved"
    )
    with app.app_context():
        batch = services.draft_batch(
            db.session.get(User, coordinator.id), db.session.get(Study, paid_study.id)
        )
        services.approve_batch(db.session.get(User, second.id), batch)
        db.session.commit()
        return batch.id


def test_bank_files_are_for_finance_only(
    app, paid_study, co_researcher, coordinator, make_user, study
):
    batch_id = _batch_ready(app, paid_study, co_researcher, coordinator, make_user, study)
    coordinator_client = login(app.test_client(), coordinator)
    assert coordinator_client.get(f"/batches/{batch_id}.csv").status_code == 403
    assert coordinator_client.get(f"/batches/{batch_id}/sepa.xml").status_code == 403
    worker = login(app.test_client(), co_researcher)
    assert worker.get(f"/batches/{batch_id}.csv").status_code == 404


def test_finance_downloads_a_valid_sepa_file(
    app, paid_study, co_researcher, coordinator, make_user, study, monkeypatch
):
    from fieldapp.compensation.banking import validate_pain001

    batch_id = _batch_ready(app, paid_study, co_researcher, coordinator, make_user, study)
    finance = make_user("admin", finance=True)
    monkeypatch.setitem(app.config, "SEPA_DEBTOR_NAME", "Programmabureau Heerlen-Noord")
    monkeypatch.setitem(app.config, "SEPA_DEBTOR_IBAN", "NL69INGB0123456789")
    client = login(app.test_client(), finance)
    response = client.get(f"/batches/{batch_id}/sepa.xml")
    assert response.status_code == 200
    validate_pain001(response.data)
    assert b'<InstdAmt Ccy="EUR">28.13</InstdAmt>' in response.data
    assert b"NL91ABNA0417164300" in response.data
    csv_response = client.get(f"/batches/{batch_id}.csv")
    assert "28.13" in csv_response.get_data(as_text=True)
    with app.app_context():
        actions = {e.action for e in db.session.scalars(select(AuditEntry))}
        assert {"sepa_file_made", "bank_details_viewed"} <= actions


def test_approving_entries_asks_for_the_password_after_15_minutes(
    app, as_coordinator, paid_study, co_researcher
):
    from fieldapp.accounts.models import UserSession
    from fieldapp.compensation.models import WorkEntry

    entry = add_entry(app, paid_study.id, co_researcher, day=dt.date.today(), amount_cents=500)
    with app.app_context():
        for s in db.session.scalars(select(UserSession)):
            s.authenticated_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
        db.session.commit()
    response = as_coordinator.post(
        f"/studies/{paid_study.id}/money/approve", data={"approve-entry_ids": [str(entry.id)]}
    )
    assert "/reauthenticate" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(WorkEntry, entry.id).state == "open"


def test_statement_pdf_in_my_language(app, as_co_researcher, paid_study, co_researcher):
    add_entry(
        app, paid_study.id, co_researcher, day=dt.date(2025, 6, 3), amount_cents=4500, state="paid"
    )
    response = as_co_researcher.get("/money/statement/2025.pdf?lang=ar")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert b"/Lang (ar)" in response.data
    assert as_co_researcher.get("/money/statement/1800.pdf").status_code == 404
    assert io.BytesIO(response.data).read(4) == b"%PDF"
