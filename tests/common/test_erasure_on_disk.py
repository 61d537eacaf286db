"""After an erasure the raw SQLite files (.sqlite and -wal) hold none of the erased bytes."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid as uuid_module
from pathlib import Path

import pytest

from fieldapp.extensions import db
from tests.consent.fixtures import consent_post
from tests.consent.test_withdrawal import _signature


def _database_files(app) -> list[Path]:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the raw files are SQLite's; PostgreSQL: see the README")
        path = Path(db.engine.url.database)
    return [path, path.with_name(path.name + "-wal")]


def _raw_bytes(files: list[Path]) -> bytes:
    return b"".join(p.read_bytes() for p in files if p.exists())


def _secrets() -> dict[str, str]:
    """Distinctive strings, so that no other test's data can match them."""
    tag = secrets.token_hex(4)
    return {
        "name": f"Fatima Erasetest{tag}",
        "email": f"fatima.{tag}@example.nl",
        "phone": f"+31 6 {int(tag, 16) % 10**8:08d}",
        "story": f"De buurvrouw op nummer {tag} helpt iedereen met de boodschappen.",
        "notes": f"Gesprek in de keuken, kenmerk {tag}.",
    }


def _participant_with_everything(client, make_participant, study, questionnaire, said) -> dict:
    """Consent with contact details and a signature, then a submitted interview."""
    import re

    participant = make_participant(study)
    response = client.post(
        f"/participants/{participant.id}/consent",
        data=consent_post(
            item_recontact="yes",
            method="signature",
            declaration=None,
            signature=_signature(),
            contact_name=said["name"],
            contact_email=said["email"],
            contact_phone=said["phone"],
        ),
    )
    assert response.status_code == 302
    html = client.get(f"/participants/{participant.id}/receipt").get_data(as_text=True)
    token = re.search(r"/p/([A-Za-z0-9_\-]{40,})", html).group(1)
    uid = str(uuid_module.uuid4())
    client.post(
        f"/participants/{participant.id}/interviews",
        data={"uuid": uid, "version_id": str(questionnaire.version_id)},
    )
    assert client.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "30"})
    client.post(f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "own"})
    page = client.post(
        f"/interviews/{uid}/page/4",
        data={"action": "next", "q_feeling": "4", "q_story": said["story"]},
    )
    assert page.status_code == 302
    submitted = client.post(f"/interviews/{uid}/submit", data={"notes": said["notes"]})
    assert submitted.status_code == 302
    return {"participant": participant, "token": token}


def _assert_in_files(files, said, present: bool):
    raw = _raw_bytes(files)
    for key, value in said.items():
        found = value.encode() in raw
        assert found is present, f"{key} {'missing from' if present else 'still in'} the files"


def test_withdrawal_leaves_no_erased_bytes_in_the_database_files(
    app, client, as_co_researcher, consent_study, questionnaire, make_participant
):
    files = _database_files(app)
    said = _secrets()
    made = _participant_with_everything(
        as_co_researcher, make_participant, consent_study, questionnaire, said
    )
    _assert_in_files(files, said, present=True)  # the test can see them before

    assert client.post(f"/p/{made['token']}/withdraw").status_code == 200

    _assert_in_files(files, said, present=False)
    wal = files[1]
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and truncated


def test_retention_purge_leaves_no_erased_bytes_in_the_database_files(
    app, runner, as_co_researcher, consent_study, questionnaire, make_participant
):
    from fieldapp.studies.models import Study

    files = _database_files(app)
    said = _secrets()
    _participant_with_everything(
        as_co_researcher, make_participant, consent_study, questionnaire, said
    )
    with app.app_context():
        study = db.session.get(Study, consent_study.id)
        study.retention_date = dt.date.today() - dt.timedelta(days=1)
        db.session.commit()
    _assert_in_files(files, said, present=True)

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "erased 1 participant" in result.output

    _assert_in_files(files, said, present=False)


def test_retention_purge_vacuums_postgresql(
    app, runner, as_co_researcher, consent_study, make_participant
):
    """On PostgreSQL the purge clears the dead rows out of the table files (VACUUM)."""
    from sqlalchemy import text

    from fieldapp.studies.models import Study

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only; SQLite: the raw-file tests above")
    make_participant(consent_study)
    with app.app_context():
        db.session.get(Study, consent_study.id).retention_date = dt.date.today() - dt.timedelta(1)
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "VACUUM done" in result.output
    with app.app_context():
        vacuumed = db.session.execute(
            text("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'participants'")
        ).scalar()
        db.session.rollback()
    assert vacuumed is not None
