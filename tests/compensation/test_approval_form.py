"""The approval form: nothing is ticked in advance, and an approver approves only the entries
they may approve (open entries of that study, never their own pay)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.compensation import services
from fieldapp.compensation.models import WorkEntry
from fieldapp.extensions import db
from tests.compensation.conftest import add_entry
from tests.conftest import login

TODAY = dt.date.today()


def _boxes(html: str) -> dict[int, bool]:
    """Each approval checkbox on the page: entry id -> ticked."""
    found = {}
    for tag in re.findall(r'<input type="checkbox"[^>]*name="approve-entry_ids"[^>]*>', html):
        entry_id = int(re.search(r'value="(\d+)"', tag).group(1))
        found[entry_id] = " checked" in tag
    return found


def _state(app, entry_id):
    with app.app_context():
        return db.session.get(WorkEntry, entry_id).state


@pytest.fixture
def second_coordinator(app, make_user, paid_study):
    from fieldapp.studies.models import Study, StudyMember

    person = make_user("coordinator", username="coord2")
    with app.app_context():
        study = db.session.get(Study, paid_study.id)
        study.members.append(StudyMember(user=db.session.get(User, person.id), role="coordinator"))
        db.session.commit()
    return person


def test_nothing_is_ticked_in_advance(app, as_coordinator, paid_study, co_researcher, make_user):
    other = make_user("co_researcher")
    with app.app_context():
        from fieldapp.studies.models import Study, StudyMember

        study = db.session.get(Study, paid_study.id)
        study.members.append(StudyMember(user=db.session.get(User, other.id), role="co_researcher"))
        db.session.commit()
    first = add_entry(app, paid_study.id, co_researcher, day=TODAY, amount_cents=2500)
    second = add_entry(app, paid_study.id, other, day=TODAY, amount_cents=2500)
    html = as_coordinator.get(f"/studies/{paid_study.id}/money").get_data(as_text=True)
    assert _boxes(html) == {first.id: False, second.id: False}
    # Pressing "Approve" without choosing approves nothing.
    as_coordinator.post(f"/studies/{paid_study.id}/money/approve", data={})
    assert _state(app, first.id) == _state(app, second.id) == "open"


def test_after_a_limit_warning_only_the_chosen_entries_stay_ticked(
    app, as_coordinator, paid_study, limits, co_researcher
):
    from tests.compensation.conftest import DAY_2025, set_limits

    set_limits(app, co_researcher, born=dt.date(1980, 1, 1))
    over = add_entry(app, paid_study.id, co_researcher, day=DAY_2025, amount_cents=21_001)
    other = add_entry(app, paid_study.id, co_researcher, day=TODAY, amount_cents=100)
    stopped = as_coordinator.post(
        f"/studies/{paid_study.id}/money/approve", data={"approve-entry_ids": [str(over.id)]}
    )
    assert stopped.status_code == 409
    assert _boxes(stopped.get_data(as_text=True)) == {over.id: True, other.id: False}


def test_a_coordinator_cannot_approve_their_own_hours(
    app, as_coordinator, coordinator, paid_study, second_coordinator
):
    logged = as_coordinator.post(
        "/money/hours",
        data={
            "study_id": str(paid_study.id),
            "activity": "analysis",
            "work_date": TODAY.isoformat(),
            "minutes": "60",
        },
    )
    assert logged.status_code == 302
    with app.app_context():
        own = db.session.scalar(select(WorkEntry.id).where(WorkEntry.user_id == coordinator.id))
    page = as_coordinator.get(f"/studies/{paid_study.id}/money?lang=en").get_data(as_text=True)
    assert own not in _boxes(page)
    assert "Someone else must approve your own hours" in page
    refused = as_coordinator.post(
        f"/studies/{paid_study.id}/money/approve", data={"approve-entry_ids": [str(own)]}
    )
    assert refused.status_code == 302
    assert _state(app, own) == "open"
    # The other coordinator of the study may.
    colleague = login(app.test_client(), second_coordinator)
    assert _boxes(colleague.get(f"/studies/{paid_study.id}/money").get_data(as_text=True)) == {
        own: False
    }
    colleague.post(
        f"/studies/{paid_study.id}/money/approve", data={"approve-entry_ids": [str(own)]}
    )
    assert _state(app, own) == "approved"


def test_own_entry_among_others_fails_the_whole_request(
    app, as_coordinator, coordinator, paid_study, co_researcher
):
    own = add_entry(app, paid_study.id, coordinator, day=TODAY, amount_cents=1000)
    theirs = add_entry(app, paid_study.id, co_researcher, day=TODAY, amount_cents=1000)
    as_coordinator.post(
        f"/studies/{paid_study.id}/money/approve",
        data={"approve-entry_ids": [str(theirs.id), str(own.id)]},
    )
    assert _state(app, own.id) == _state(app, theirs.id) == "open"


def test_entries_of_another_study_are_not_approved_through_this_one(
    app, as_coordinator, coordinator, paid_study, co_researcher, make_study, make_area, make_user
):
    elsewhere_coordinator = make_user("coordinator")
    elsewhere = make_study(
        make_area(coordinators=[elsewhere_coordinator]),
        coordinators=[elsewhere_coordinator],
        co_researchers=[co_researcher],
        state="fieldwork",
    )
    foreign = add_entry(app, elsewhere.id, co_researcher, day=TODAY, amount_cents=1000)
    as_coordinator.post(
        f"/studies/{paid_study.id}/money/approve", data={"approve-entry_ids": [str(foreign.id)]}
    )
    assert _state(app, foreign.id) == "open"


def test_the_service_refuses_an_approvers_own_entry(app, coordinator, paid_study):
    own = add_entry(app, paid_study.id, coordinator, day=TODAY, amount_cents=1000)
    with app.app_context():
        actor = db.session.get(User, coordinator.id)
        entry = db.session.get(WorkEntry, own.id)
        assert not services.can_approve_entry(actor, entry)
        with pytest.raises(services.CompensationError) as refused:
            services.approve_entries(actor, [entry])
        assert refused.value.code == "own_entry"
        db.session.rollback()
    assert _state(app, own.id) == "open"
