"""Thank-yous at the end of an interview draw down the study's stock; approval pays."""

from __future__ import annotations

import uuid as uuid_module

from sqlalchemy import func, select

from fieldapp.accounts.models import User
from fieldapp.compensation.models import ThankYou, ThankYouType, WorkEntry
from fieldapp.extensions import db
from fieldapp.studies.models import Study
from tests.consent.fixtures import consent_post


def _interview(client, participant, questionnaire):
    uid = str(uuid_module.uuid4())
    client.post(
        f"/participants/{participant.id}/interviews",
        data={"uuid": uid, "version_id": str(questionnaire.version_id)},
    )
    client.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "30"})
    client.post(f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "own"})
    client.post(f"/interviews/{uid}/page/4", data={"action": "next", "q_feeling": "4"})
    client.post(f"/interviews/{uid}/submit", data={})
    return uid


def _voucher(app, study_id, coordinator, stock=1, needs_serial=True):
    from fieldapp.compensation import services

    with app.app_context():
        kind = services.save_thank_you_type(
            db.session.get(User, coordinator.id),
            db.session.get(Study, study_id),
            kind="voucher",
            name="VVV-bon",
            value_cents=1000,
            stock=stock,
            needs_serial=needs_serial,
        )
        db.session.commit()
        return kind.id


def test_thank_you_with_serial_takes_one_from_stock(
    app,
    as_co_researcher,
    questionnaire,
    consented_participant,
    consent_study,
    coordinator,
    make_participant,
):
    kind_id = _voucher(app, consent_study.id, coordinator, stock=1)
    uid = _interview(as_co_researcher, consented_participant, questionnaire)
    no_serial = as_co_researcher.post(
        f"/interviews/{uid}/thank-you", data={"type_id": str(kind_id)}
    )
    assert no_serial.status_code == 400
    given = as_co_researcher.post(
        f"/interviews/{uid}/thank-you", data={"type_id": str(kind_id), "serial_number": "VVV-0042"}
    )
    assert given.status_code == 302
    with app.app_context():
        assert db.session.get(ThankYouType, kind_id).stock == 0
        thank_you = db.session.scalar(select(ThankYou))
        assert (thank_you.serial_number, thank_you.value_cents) == ("VVV-0042", 1000)
    twice = as_co_researcher.post(
        f"/interviews/{uid}/thank-you", data={"type_id": str(kind_id), "serial_number": "VVV-0043"}
    )
    assert twice.status_code == 400
    # The stock is empty now: the next participant's thank-you is refused.
    other = make_participant(consent_study)
    as_co_researcher.post(f"/participants/{other.id}/consent", data=consent_post())
    uid2 = _interview(as_co_researcher, other, questionnaire)
    empty = as_co_researcher.post(
        f"/interviews/{uid2}/thank-you", data={"type_id": str(kind_id), "serial_number": "VVV-0044"}
    )
    assert empty.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(ThankYou.id))) == 1
        assert db.session.get(ThankYouType, kind_id).stock == 0


def test_thank_you_stays_anonymous_after_withdrawal(
    app, client, as_co_researcher, questionnaire, consent_study, coordinator
):

    kind_id = _voucher(app, consent_study.id, coordinator, stock=3, needs_serial=False)
    from tests.consent.fixtures import enrol

    enrolled = enrol(as_co_researcher, consent_study.id)
    pid, token = enrolled.id, enrolled.token

    class P:
        id = pid

    uid = _interview(as_co_researcher, P, questionnaire)
    as_co_researcher.post(f"/interviews/{uid}/thank-you", data={"type_id": str(kind_id)})
    client.post(f"/p/{token}/withdraw")
    with app.app_context():
        thank_you = db.session.scalar(select(ThankYou))
        assert thank_you.interview_id is None  # the link to the person is gone
        assert db.session.get(ThankYouType, kind_id).stock == 2  # the stock still adds up


def test_approving_an_interview_creates_its_payment_entry(
    app,
    as_co_researcher,
    as_coordinator,
    questionnaire,
    consented_participant,
    consent_study,
    coordinator,
):
    from fieldapp.compensation import services

    with app.app_context():
        services.save_rates(
            db.session.get(User, coordinator.id),
            db.session.get(Study, consent_study.id),
            hourly_cents=1250,
            per_interview_cents=1500,
            per_training_cents=0,
            per_analysis_cents=0,
        )
        db.session.commit()
    uid = _interview(as_co_researcher, consented_participant, questionnaire)
    as_coordinator.post(f"/interviews/{uid}", data={"decision": "approved"})
    with app.app_context():
        entry = db.session.scalar(select(WorkEntry))
        assert (entry.activity, entry.amount_cents, entry.state) == ("interview", 1500, "open")
