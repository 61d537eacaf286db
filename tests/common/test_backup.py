"""flask backup and flask restore: every table and every media file come back as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from fieldapp.extensions import db
from tests.common.test_erasure_on_disk import _participant_with_everything, _secrets


def _every_table(app) -> dict[str, list[str]]:
    with app.app_context():
        with db.engine.connect() as conn:
            return {
                table.name: sorted(repr(tuple(row)) for row in conn.execute(table.select()))
                for table in db.metadata.sorted_tables
            }


def _every_media_file(app) -> dict[str, bytes]:
    root = Path(app.config["MEDIA_ROOT"])
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_and_restore_round_trip(
    app, runner, tmp_path, as_co_researcher, consent_study, questionnaire, make_participant
):
    _participant_with_everything(
        as_co_researcher, make_participant, consent_study, questionnaire, _secrets()
    )
    tables, media = _every_table(app), _every_media_file(app)
    assert media
    assert sum(map(len, tables.values())) > 20

    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert f"{len(media)} media files" in result.output

    # Everything changes after the backup: rows go, a file goes, another appears.
    with app.app_context():
        db.session.execute(text("DELETE FROM participant_contacts"))
        db.session.execute(text("DELETE FROM audit_entries"))
        db.session.commit()
    root = Path(app.config["MEDIA_ROOT"])
    shutil.rmtree(root)
    (root / "stray").mkdir(parents=True)
    (root / "stray" / "file.bin").write_bytes(b"not in the backup")
    assert _every_table(app) != tables

    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert _every_table(app) == tables
    assert _every_media_file(app) == media


def test_restore_refuses_a_damaged_backup(app, runner, tmp_path, consent_study):
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    database = next(p for p in (tmp_path / "b").iterdir() if p.name.startswith("database"))
    with open(database, "r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00garbage\x00")
    before = _every_table(app)
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "b")])
    assert result.exit_code != 0
    assert "damaged" in result.output
    assert _every_table(app) == before


def test_backup_refuses_a_folder_in_use(runner, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    result = runner.invoke(args=["backup", str(tmp_path / "used")])
    assert result.exit_code != 0
    assert "not empty" in result.output


def test_postgres_backup_without_pg_dump_names_the_documented_route(
    app, runner, tmp_path, monkeypatch
):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump to be found
    result = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code != 0
    assert "pg_dump is not installed" in result.output
    assert "README.md, section 'Backups'" in result.output
    assert not (tmp_path / "b").exists()


def test_a_restore_keeps_withdrawals_made_after_the_backup(
    app, runner, tmp_path, client, as_co_researcher, consent_study, questionnaire, make_participant
):
    """Rule 2 survives a restore: a participant who withdrew after the backup was made is
    erased again (rows, contact details, files), and their tombstone stays, so an offline
    copy of their interview is still refused."""
    from sqlalchemy import func, select

    from fieldapp.fieldwork.models import Interview
    from fieldapp.participants.models import (
        ErasedSubmission,
        Participant,
        ParticipantContact,
        ParticipantTombstone,
    )

    said = _secrets()
    made = _participant_with_everything(
        as_co_researcher, make_participant, consent_study, questionnaire, said
    )
    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    with app.app_context():
        participant = db.session.get(Participant, made["participant"].id)
        code, uuid = participant.code, participant.uuid
        interview_uuid = db.session.scalar(select(Interview.uuid))
    assert client.post(f"/p/{made['token']}/withdraw").status_code == 200
    assert _every_media_file(app) == {}

    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "Erased again 1 participant" in result.output

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 0
        assert db.session.scalar(select(func.count()).select_from(ParticipantContact)) == 0
        assert db.session.scalar(select(func.count()).select_from(Interview)) == 0
        tombstone = db.session.scalar(
            select(ParticipantTombstone).where(ParticipantTombstone.code == code)
        )
        assert tombstone is not None
        erased = set(db.session.scalars(select(ErasedSubmission.submission_id)))
        assert {uuid, interview_uuid} <= erased
    assert _every_media_file(app) == {}  # the signature the backup held is gone again
    replay = as_co_researcher.post(f"/interviews/{interview_uuid}/page/1", data={"action": "next"})
    assert replay.status_code == 410
