"""The audit log records who did what, holds no personal data, and only admins read it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldapp.audit import services as audit
from fieldapp.audit.models import AuditEntry
from fieldapp.extensions import db
from tests.conftest import login


def test_actions_are_recorded_without_personal_data(app, client, make_user, area):
    user = make_user("coordinator", display_name="Johanna de Vries", email="johanna@example.nl")
    login(client, user)
    client.post(
        "/invitations",
        data={
            "role": "co_researcher",
            "display_name": "Mehmet Öztürk",
            "username": "mehmet",
            "email": "mehmet@example.nl",
            "locale": "tr",
            "study_id": "",
            "area_id": "",
        },
    )
    client.post("/logout")
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry)).all()
        actions = {e.action for e in entries}
        assert {"login", "invitation_created", "logout"} <= actions
        dump = " ".join(
            f"{e.action} {e.object_type} {e.object_id} {e.details}" for e in entries
        ).lower()
        for secret in ("johanna", "de vries", "mehmet", "öztürk", "example.nl", "password"):
            assert secret not in dump


def test_free_text_cannot_enter_the_audit_log(ctx):
    with pytest.raises(audit.AuditDetailRejected):
        audit.record("note_added", reason="Mevrouw Jansen belde")
    with pytest.raises(audit.AuditDetailRejected):
        audit.record("Something Happened")


def test_only_admins_read_the_audit_log(as_admin, as_coordinator, as_co_researcher):
    response = as_admin.get("/admin/audit/?lang=en")
    assert response.status_code == 200
    assert "login" in response.get_data(as_text=True)
    assert as_coordinator.get("/admin/audit/").status_code == 403
    assert as_co_researcher.get("/admin/audit/").status_code == 403


def test_audit_log_filters_and_pages(as_admin):
    assert as_admin.get("/admin/audit/?action=login&page=1").status_code == 200
    assert as_admin.get("/admin/audit/?page=abc").status_code == 200
    assert as_admin.get("/admin/audit/?page=-5").status_code == 200
