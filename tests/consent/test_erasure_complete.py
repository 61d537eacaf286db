"""Withdrawal erases everything rule 2 lists, and an erasure stopped by a crash between the
commit and the removal of its files is finished by the next `flask purge`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from fieldapp.consent import services
from fieldapp.consent.models import PendingFileRemoval
from fieldapp.extensions import db
from fieldapp.fieldwork.models import Answer, Interview
from fieldapp.participants.models import ErasedSubmission, Participant, ParticipantTombstone
from tests.consent.fixtures import enrol
from tests.consent.test_withdrawal import _dump_every_table, _signature
from tests.fieldwork.test_review_access_erasure import _complete_interview

STORY = "Mevrouw op de hoek helpt iedereen."
CONTACT = {
    "contact_name": "Fatima Bakker",
    "contact_email": "fatima.bakker@example.nl",
    "contact_phone": "+31 6 12345678",
}
SECRETS = ("Mevrouw op de hoek", "Goed gesprek", "Fatima", "Bakker", "fatima.bakker", "12345678")


class Crash(BaseException):
    """The process dies (kill -9, power cut): nothing after this point runs."""


def _media_files(app) -> list[Path]:
    root = Path(app.config["MEDIA_ROOT"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _participant_with_everything(app, client, study_id, questionnaire, photo, coordinator):
    """Signature, contact details, an interview with a story, notes and a photo, a quote
    and a coding of the story."""
    from fieldapp.accounts.models import User
    from fieldapp.analysis import services as analysis
    from fieldapp.studies.models import Study

    participant = enrol(
        client,
        study_id,
        item_quote="yes",
        item_photo="yes",
        item_recontact="yes",
        method="signature",
        declaration=None,
        signature=_signature(),
        **CONTACT,
    )
    uid = _complete_interview(client, participant, questionnaire, photo=photo)
    with app.app_context():
        actor = db.session.get(User, coordinator.id)
        study = db.session.get(Study, study_id)
        answer = db.session.scalar(
            select(Answer)
            .join(Interview)
            .where(Interview.uuid == uid, Answer.question_name == "story")
        )
        analysis.make_quote(actor, study, answer, passage="Mevrouw op de hoek", edited_text="")
        code = analysis.add_code(actor, study, name="Burenhulp")
        analysis.code_text(actor, study, code, answer=answer)
        db.session.commit()
        dump = _dump_every_table()
        assert all(secret in dump for secret in SECRETS)  # all there before
    participant.interview_uuid = uid
    return participant


def test_withdrawal_erases_answers_media_contact_and_signature(
    app, client, as_co_researcher, consent_study, questionnaire, jpeg_with_secrets, coordinator
):
    participant = _participant_with_everything(
        app, as_co_researcher, consent_study.id, questionnaire, jpeg_with_secrets, coordinator
    )
    assert len(_media_files(app)) == 2  # the signature and the photo
    with app.app_context():
        media_uuids = {
            uuid
            for (uuid,) in db.session.execute(
                select(Answer.value).join(Interview).where(Answer.question_name == "picture")
            )
        }
    assert client.post(f"/p/{participant.token}/withdraw").status_code == 200

    assert _media_files(app) == []
    with app.app_context():
        dump = _dump_every_table()
        for secret in SECRETS:
            assert secret not in dump, secret
        # The code is left once, in the tombstone, which holds nothing else about them.
        assert [ln for ln in dump.splitlines() if participant.code in ln] == [
            ln for ln in dump.splitlines() if ln.startswith("participant_tombstones:")
        ]
        assert set(ParticipantTombstone.__table__.columns.keys()) == {
            "id",
            "code",
            "study_id",
            "withdrawn_at",
            "reason",
        }
        assert set(ErasedSubmission.__table__.columns.keys()) == {"submission_id", "tombstone_id"}
        tombstone = db.session.scalar(select(ParticipantTombstone))
        assert tombstone.code == participant.code
        assert {participant.interview_uuid, *media_uuids} <= set(tombstone.submission_ids)
        assert db.session.scalar(select(func.count(PendingFileRemoval.id))) == 0
        assert db.session.scalar(select(func.count(Interview.id))) == 0


def test_crash_between_commit_and_file_removal_is_finished_by_purge(
    app,
    runner,
    as_co_researcher,
    consent_study,
    questionnaire,
    jpeg_with_secrets,
    coordinator,
    monkeypatch,
):
    from fieldapp.media import services as media

    participant = _participant_with_everything(
        app, as_co_researcher, consent_study.id, questionnaire, jpeg_with_secrets, coordinator
    )
    files = _media_files(app)
    assert len(files) == 2

    def crash(path):
        raise Crash(path)

    monkeypatch.setattr(media, "_remove_file", crash)  # dies right after the commit
    with app.app_context():
        services.withdraw_participant(db.session.get(Participant, participant.id))
        with pytest.raises(Crash):
            db.session.commit()
        db.session.remove()
    monkeypatch.undo()

    # The erasure is committed, but its files are still on disk, and listed.
    with app.app_context():
        assert db.session.get(Participant, participant.id) is None
        assert db.session.scalar(select(ParticipantTombstone.code)) == participant.code
        listed = set(db.session.scalars(select(PendingFileRemoval.storage_name)))
    assert _media_files(app) == files
    assert listed == {path.name for path in files}

    result = runner.invoke(args=["purge"])  # the re-run (scheduled daily)
    assert result.exit_code == 0, result.output
    assert "finished 2 file removals" in result.output
    assert _media_files(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(PendingFileRemoval.id))) == 0
    again = runner.invoke(args=["purge"])  # nothing left to do, and no error
    assert again.exit_code == 0, again.output
    assert "file removal" not in again.output


def test_rollback_of_an_erasure_lists_no_file_removals(
    app, as_co_researcher, consent_study, questionnaire, jpeg_with_secrets, coordinator
):
    participant = _participant_with_everything(
        app, as_co_researcher, consent_study.id, questionnaire, jpeg_with_secrets, coordinator
    )
    with app.app_context():
        services.withdraw_participant(db.session.get(Participant, participant.id))
        db.session.rollback()
        assert db.session.scalar(select(func.count(PendingFileRemoval.id))) == 0
        assert services.finish_file_removals() == 0
        db.session.commit()
    assert len(_media_files(app)) == 2


def test_withdrawing_the_photo_item_lists_its_file_too(
    app,
    client,
    as_co_researcher,
    consent_study,
    questionnaire,
    jpeg_with_secrets,
    coordinator,
    monkeypatch,
):
    from fieldapp.consent.models import Item
    from fieldapp.media import services as media

    participant = _participant_with_everything(
        app, as_co_researcher, consent_study.id, questionnaire, jpeg_with_secrets, coordinator
    )
    monkeypatch.setattr(media, "_remove_file", lambda path: (_ for _ in ()).throw(Crash(path)))
    with app.app_context():
        services.withdraw_item(db.session.get(Participant, participant.id), Item.PHOTO)
        with pytest.raises(Crash):
            db.session.commit()
        db.session.remove()
    monkeypatch.undo()
    assert len(_media_files(app)) == 2
    with app.app_context():
        assert services.finish_file_removals() == 1
        db.session.commit()
    assert len(_media_files(app)) == 1  # the signature stays: only the photo item went


def test_a_file_the_disk_refuses_to_remove_waits_for_the_next_run(
    app,
    as_co_researcher,
    consent_study,
    questionnaire,
    jpeg_with_secrets,
    coordinator,
    monkeypatch,
):
    from fieldapp.media import services as media

    participant = _participant_with_everything(
        app, as_co_researcher, consent_study.id, questionnaire, jpeg_with_secrets, coordinator
    )
    monkeypatch.setattr(media, "_remove_file", lambda path: (_ for _ in ()).throw(Crash(path)))
    with app.app_context():
        services.withdraw_participant(db.session.get(Participant, participant.id))
        with pytest.raises(Crash):
            db.session.commit()
        db.session.remove()
    monkeypatch.undo()

    def refuse(self, missing_ok=False):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    with app.app_context():
        assert services.finish_file_removals() == 0  # no error page, nothing lost
        db.session.commit()
        assert db.session.scalar(select(func.count(PendingFileRemoval.id))) == 2
    monkeypatch.undo()
    assert len(_media_files(app)) == 2
    with app.app_context():
        assert services.finish_file_removals() == 2
        db.session.commit()
    assert _media_files(app) == []
