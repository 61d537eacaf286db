"""Withdrawal erases: every table and the media folder hold only the tombstone afterwards."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, text

from fieldapp.common import signals
from fieldapp.consent import services
from fieldapp.consent.models import ConsentRecord, Item
from fieldapp.extensions import db
from fieldapp.participants.models import Participant, ParticipantTombstone
from tests.consent.fixtures import consent_post


def _signature() -> str:
    image = Image.new("L", (300, 120), 255)
    for x in range(30, 270):
        image.putpixel((x, 50 + x % 17), 0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _consent_with_everything(client, participant):
    response = client.post(
        f"/participants/{participant.id}/consent",
        data=consent_post(
            item_quote="yes",
            item_recontact="yes",
            method="signature",
            declaration=None,
            signature=_signature(),
            contact_name="Fatima Bakker",
            contact_email="fatima.bakker@example.nl",
            contact_phone="+31 6 12345678",
        ),
    )
    assert response.status_code == 302
    html = client.get(f"/participants/{participant.id}/receipt").get_data(as_text=True)
    token = re.search(r"/p/([A-Za-z0-9_\-]{40,})", html).group(1)
    return token


def _dump_every_table() -> str:
    """Every row of every table as text."""
    chunks = []
    conn = db.session.connection()
    for table in db.metadata.sorted_tables:
        for row in conn.execute(table.select()):
            chunks.append(f"{table.name}: {tuple(row)}")
    return "\n".join(chunks)


def _media_files(app) -> list[Path]:
    root = Path(app.config["MEDIA_ROOT"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_withdrawal_from_the_participant_page_erases_everything(
    app, client, as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    token = _consent_with_everything(as_co_researcher, participant)
    with app.app_context():
        record = db.session.scalar(select(ConsentRecord))
        record_uuid, signature_uuid = record.uuid, record.signature.uuid
        dump = _dump_every_table()
        assert "fatima.bakker@example.nl" in dump  # present before
    files_before = _media_files(app)
    assert len(files_before) == 1

    page = client.get(f"/p/{token}")
    assert page.status_code == 200
    confirm = client.get(f"/p/{token}/withdraw")
    assert confirm.status_code == 200
    assert client.post(f"/p/{token}/withdraw").status_code == 200

    with app.app_context():
        dump = _dump_every_table()
        for secret in ("Fatima", "Bakker", "fatima.bakker@example.nl", "12345678"):
            assert secret not in dump
        # The code appears exactly once: in the tombstone.
        lines_with_code = [ln for ln in dump.splitlines() if participant.code in ln]
        assert len(lines_with_code) == 1
        assert lines_with_code[0].startswith("participant_tombstones:")
        tombstone = db.session.scalar(select(ParticipantTombstone))
        assert set(tombstone.submission_ids) >= {participant.uuid, record_uuid, signature_uuid}
        assert services.is_erased_submission(record_uuid)
        assert services.is_erased_submission(signature_uuid)
        assert db.session.get(Participant, participant.id) is None
    # The signature file is gone from disk too.
    assert _media_files(app) == []
    # The page and its token are gone.
    assert client.get(f"/p/{token}").status_code == 404


def test_coordinator_withdraws_on_request_with_reauth_and_audit(
    app, as_co_researcher, as_coordinator, consent_study, make_participant
):
    import datetime as dt

    from fieldapp.accounts.models import UserSession
    from fieldapp.audit.models import AuditEntry

    participant = make_participant(consent_study)
    _consent_with_everything(as_co_researcher, participant)
    with app.app_context():
        for s in db.session.scalars(select(UserSession)):
            s.authenticated_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
        db.session.commit()
    response = as_coordinator.get(f"/participants/{participant.id}/withdraw")
    assert "/reauthenticate" in response.headers["Location"]
    with app.app_context():
        for s in db.session.scalars(select(UserSession)):
            s.authenticated_at = dt.datetime.now(dt.UTC)
        db.session.commit()
    bad = as_coordinator.post(f"/participants/{participant.id}/withdraw", data={"category": "x"})
    assert bad.status_code == 400
    ok = as_coordinator.post(
        f"/participants/{participant.id}/withdraw", data={"category": "changed_mind"}
    )
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.get(Participant, participant.id) is None
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "participant_erased")
        )
        assert entry.details == {"reason": "request", "category": "changed_mind"}
        assert participant.code not in str(entry.details)
    assert _media_files(app) == []


def test_co_researcher_cannot_withdraw_on_request(
    as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    assert as_co_researcher.get(f"/participants/{participant.id}/withdraw").status_code == 403


def test_withdrawing_one_item_keeps_the_rest(
    app, client, as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    token = _consent_with_everything(as_co_researcher, participant)
    assert client.get(f"/p/{token}/items/recontact/withdraw").status_code == 200
    assert client.post(f"/p/{token}/items/recontact/withdraw").status_code == 302
    with app.app_context():
        p = db.session.get(Participant, participant.id)
        assert p is not None
        assert p.contact is None  # contact details went with the re-contact item
        assert "fatima.bakker@example.nl" not in _dump_every_table()
        record = services.require_consent(p, Item.AUDIO)  # still fine
        assert not record.granted(Item.RECONTACT)
    client.post(f"/p/{token}/items/quote/withdraw")
    with app.app_context(), pytest.raises(services.ConsentRequired):
        services.require_consent(db.session.get(Participant, participant.id), Item.QUOTE)
    # Items that were never granted or do not exist: 404.
    assert client.get(f"/p/{token}/items/photo/withdraw").status_code == 404
    assert client.get(f"/p/{token}/items/take_part/withdraw").status_code == 404
    assert client.get(f"/p/{token}/items/bogus/withdraw").status_code == 404


def test_item_steps_of_other_domains_run(app, as_co_researcher, consent_study, make_participant):
    called = []

    def remove_quotes(participant, *, item):
        if item == Item.QUOTE:
            called.append(participant.id)

    with signals.consent_item_withdrawn.connected_to(remove_quotes):
        participant = make_participant(consent_study)
        _consent_with_everything(as_co_researcher, participant)
        with app.app_context():
            services.withdraw_item(db.session.get(Participant, participant.id), Item.QUOTE)
            db.session.commit()
        assert called == [participant.id]


def test_rollback_during_erasure_keeps_data_and_file(
    app, as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    _consent_with_everything(as_co_researcher, participant)
    with app.app_context():
        services.withdraw_participant(db.session.get(Participant, participant.id))
        db.session.rollback()  # a crash before the commit
        assert db.session.get(Participant, participant.id) is not None
    assert len(_media_files(app)) == 1


def test_withdrawn_code_is_reported_when_searched(
    app, client, as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    token = _consent_with_everything(as_co_researcher, participant)
    client.post(f"/p/{token}/withdraw")
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/participants/find?lang=en", data={"code": participant.code}
    )
    assert "has withdrawn" in response.get_data(as_text=True)


def test_purge_after_retention_date(app, runner, as_co_researcher, consent_study, make_participant):
    import datetime as dt

    from fieldapp.studies.models import Study

    participant = make_participant(consent_study)
    _consent_with_everything(as_co_researcher, participant)
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0
    assert "nothing" in dry.output.lower()
    with app.app_context():
        db.session.get(Study, consent_study.id).retention_date = dt.date.today() - dt.timedelta(1)
        db.session.commit()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert "1 participant" in dry.output
    with app.app_context():
        assert db.session.get(Participant, participant.id) is not None
    real = runner.invoke(args=["purge"])
    assert real.exit_code == 0, real.output
    with app.app_context():
        assert db.session.get(Participant, participant.id) is None
        assert "fatima" not in _dump_every_table().lower()
        tombstone = db.session.scalar(select(ParticipantTombstone))
        assert tombstone.reason == "retention"
        actions = {r[0] for r in db.session.execute(text("SELECT action FROM audit_entries"))}
        assert "retention_purge" in actions
    assert _media_files(app) == []
