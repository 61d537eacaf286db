"""The study life cycle: draft → fieldwork → analysis → reporting → closed."""

from __future__ import annotations

import pytest

from fieldapp.common import signals
from fieldapp.extensions import db
from fieldapp.studies import services
from fieldapp.studies.models import InvalidTransition, Study, StudyState


def _study(state: str) -> Study:
    return Study(state=state)


@pytest.mark.parametrize(
    ("state", "method", "after"),
    [
        ("draft", "start_fieldwork", "fieldwork"),
        ("fieldwork", "start_analysis", "analysis"),
        ("analysis", "start_reporting", "reporting"),
        ("analysis", "start_fieldwork", "fieldwork"),
        ("reporting", "close", "closed"),
    ],
)
def test_allowed_transitions(state, method, after):
    study = _study(state)
    getattr(study, method)()
    assert study.state == after


@pytest.mark.parametrize(
    ("state", "method"),
    [
        ("draft", "start_analysis"),
        ("draft", "start_reporting"),
        ("draft", "close"),
        ("fieldwork", "start_fieldwork"),
        ("fieldwork", "start_reporting"),
        ("fieldwork", "close"),
        ("reporting", "start_fieldwork"),
        ("reporting", "start_analysis"),
        ("closed", "start_fieldwork"),
        ("closed", "start_analysis"),
        ("closed", "start_reporting"),
        ("closed", "close"),
    ],
)
def test_invalid_transitions_are_refused(state, method):
    study = _study(state)
    with pytest.raises(InvalidTransition):
        getattr(study, method)()
    assert study.state == state


def test_database_refuses_unknown_state(ctx, area, coordinator):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    insert = text(
        "INSERT INTO studies (slug, area_id, title, research_question, "
        "lead_organisation, state, retention_date, languages, created_at, updated_at) "
        "VALUES ('x', :area, 't', 'q', 'o', 'finished', '2030-01-01', '[]', "
        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    with pytest.raises(IntegrityError):
        db.session.execute(insert, {"area": area.id})


def test_transition_guard_blocks_with_its_messages(ctx, make_study, area, coordinator):
    from fieldapp.accounts.models import User
    from tests.consent.fixtures import publish_consent

    study_ns = make_study(area, coordinators=[coordinator], state="draft")
    study = db.session.get(Study, study_ns.id)
    actor = db.session.get(User, coordinator.id)
    publish_consent(study.id, coordinator.id)

    def guard(s, *, target):
        return ["consent text missing for ar"] if target == StudyState.FIELDWORK else []

    with signals.study_state_changing.connected_to(guard):
        with pytest.raises(services.StudyError) as raised:
            services.change_state(actor, study, "fieldwork")
        assert raised.value.params["problems"] == ["consent text missing for ar"]
        assert study.state == StudyState.DRAFT
    services.change_state(actor, study, "fieldwork")
    assert study.state == StudyState.FIELDWORK


def test_state_change_through_the_page(app, as_coordinator, make_study, area, coordinator):
    from tests.consent.fixtures import publish_consent

    study = make_study(area, coordinators=[coordinator], state="draft")
    with app.app_context():
        publish_consent(study.id, coordinator.id)
        db.session.commit()
    response = as_coordinator.post(f"/studies/{study.id}/state", data={"target": "fieldwork"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Study, study.id).state == "fieldwork"
    # Jumping ahead is refused with a message, and nothing changes.
    response = as_coordinator.post(
        f"/studies/{study.id}/state?lang=en", data={"target": "closed"}, follow_redirects=True
    )
    assert "The study cannot go to that stage from here." in response.get_data(as_text=True)
    response = as_coordinator.post(f"/studies/{study.id}/state", data={"target": "bogus"})
    with app.app_context():
        assert db.session.get(Study, study.id).state == "fieldwork"


def test_co_researcher_cannot_change_state(app, as_co_researcher, study):
    response = as_co_researcher.post(f"/studies/{study.id}/state", data={"target": "analysis"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Study, study.id).state == "fieldwork"


def test_state_change_is_audited(app, as_coordinator, study):
    from sqlalchemy import select

    from fieldapp.audit.models import AuditEntry

    as_coordinator.post(f"/studies/{study.id}/state", data={"target": "analysis"})
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "study_state_changed")
        )
        assert entry.study_id == study.id
        assert entry.details == {"before": "fieldwork", "after": "analysis"}
