"""Review and corrections, who sees what, photos, and erasure of interviews on withdrawal."""

from __future__ import annotations

import io
import uuid as uuid_module
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.fieldwork.models import Interview
from fieldapp.media.models import MediaFile
from tests.conftest import login
from tests.consent.fixtures import enrol


def _complete_interview(client, participant, questionnaire, photo: bytes | None = None):
    uid = str(uuid_module.uuid4())
    client.post(
        f"/participants/{participant.id}/interviews",
        data={"uuid": uid, "version_id": str(questionnaire.version_id)},
    )
    client.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "30"})
    client.post(f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "own"})
    client.post(
        f"/interviews/{uid}/page/4",
        data={"action": "next", "q_feeling": "5", "q_story": "Mevrouw op de hoek helpt iedereen."},
    )
    if photo is not None:
        response = client.post(
            f"/interviews/{uid}/page/8",
            data={
                "action": "next",
                "q_picture": (io.BytesIO(photo), "IMG_0001.jpg"),
                "q_picture_id": str(uuid_module.uuid4()),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    response = client.post(f"/interviews/{uid}/submit", data={"notes": "Goed gesprek."})
    assert response.status_code == 302
    return uid


def test_review_needs_attention_then_correction_keeps_history(
    app, as_co_researcher, as_coordinator, questionnaire, consented_participant, consent_study
):
    uid = _complete_interview(as_co_researcher, consented_participant, questionnaire)
    listing = as_coordinator.get(f"/studies/{consent_study.id}/review").get_data(as_text=True)
    assert consented_participant.code in listing
    no_comment = as_coordinator.post(f"/interviews/{uid}", data={"decision": "needs_attention"})
    assert no_comment.status_code == 400
    as_coordinator.post(
        f"/interviews/{uid}",
        data={"decision": "needs_attention", "comment": "Vraag 2 klopt niet, check het."},
    )
    mine = as_co_researcher.get(f"/studies/{consent_study.id}/my-work").get_data(as_text=True)
    assert "Vraag 2 klopt niet, check het." in mine
    # The co-researcher corrects and sends again: a second revision.
    as_co_researcher.post(f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "rent"})
    as_co_researcher.post(
        f"/interviews/{uid}/page/3", data={"action": "next", "q_landlord": "Woonpunt"}
    )
    as_co_researcher.post(f"/interviews/{uid}/submit", data={})
    with app.app_context():
        interview = db.session.scalar(select(Interview).where(Interview.uuid == uid))
        assert interview.state == "submitted"
        assert [r.number for r in interview.revisions] == [1, 2]
        assert interview.revisions[0].answers["tenure"] == "own"
        assert interview.revisions[1].answers["tenure"] == "rent"
    as_coordinator.post(f"/interviews/{uid}", data={"decision": "approved"})
    with app.app_context():
        assert db.session.scalar(select(Interview.state).where(Interview.uuid == uid)) == (
            "approved"
        )
    # Approving twice is refused.
    twice = as_coordinator.post(f"/interviews/{uid}", data={"decision": "approved"})
    assert twice.status_code == 400


def test_co_researcher_cannot_review(
    as_co_researcher, questionnaire, consented_participant, consent_study
):
    uid = _complete_interview(as_co_researcher, consented_participant, questionnaire)
    response = as_co_researcher.post(f"/interviews/{uid}", data={"decision": "approved"})
    assert response.status_code == 200  # no review form for them: the post is ignored
    assert as_co_researcher.get(f"/studies/{consent_study.id}/review").status_code == 403


def test_co_researcher_b_sees_nothing_of_a(
    app, as_co_researcher, questionnaire, consent_study, make_user, jpeg_with_secrets
):
    from fieldapp.accounts.models import User
    from fieldapp.studies.models import StudyMember

    # A participant who agreed to photos too.
    pid = enrol(as_co_researcher, consent_study.id, item_photo="yes").id

    class P:
        id = pid

    uid = _complete_interview(as_co_researcher, P, questionnaire, photo=jpeg_with_secrets)
    with app.app_context():
        media_uuid = db.session.scalar(select(MediaFile.uuid))
    b = make_user("co_researcher")
    with app.app_context():
        db.session.add(
            StudyMember(
                study_id=consent_study.id, user=db.session.get(User, b.id), role="co_researcher"
            )
        )
        db.session.commit()
    client_b = login(app.test_client(), b)
    for path in (
        f"/interviews/{uid}",
        f"/interviews/{uid}/page/1",
        f"/interviews/{uid}/submit",
        f"/interviews/{uid}/done",
        f"/media/{media_uuid}",
        f"/participants/{pid}/interviews",
    ):
        assert client_b.get(path).status_code == 404, path
    assert client_b.post(f"/interviews/{uid}/page/1", data={"q_age": "99"}).status_code == 404
    assert client_b.post(f"/interviews/{uid}/submit").status_code == 404
    mine = client_b.get(f"/studies/{consent_study.id}/my-work").get_data(as_text=True)
    assert uid not in mine
    # Anonymous: to the login page.
    anonymous = app.test_client()
    assert anonymous.get(f"/media/{media_uuid}").status_code == 302
    # The owner and the coordinator do see the photo, served safely.
    with as_co_researcher.get(f"/media/{media_uuid}") as photo:
        assert photo.status_code == 200
        assert photo.mimetype == "image/jpeg"
        assert photo.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in photo.headers["Content-Security-Policy"]
        assert photo.headers["Content-Disposition"].startswith(("inline", "attachment"))
        data = photo.get_data()
    assert b"SecretCameraMaker" not in data
    assert b"secret comment" not in data
    assert b"Exif" not in data
    stored = Image.open(io.BytesIO(data))
    assert stored.size == (32, 64)  # turned upright: orientation applied
    assert "IMG_0001" not in str(Path(app.config["MEDIA_ROOT"]).rglob("*"))


def test_withdrawal_erases_interviews_and_photos(
    app, client, as_co_researcher, questionnaire, consent_study, jpeg_with_secrets
):
    enrolled = enrol(as_co_researcher, consent_study.id, item_photo="yes")
    pid, token = enrolled.id, enrolled.token

    class P:
        id = pid

    uid = _complete_interview(as_co_researcher, P, questionnaire, photo=jpeg_with_secrets)
    media_root = Path(app.config["MEDIA_ROOT"])
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 1
    client.post(f"/p/{token}/withdraw")
    with app.app_context():
        assert db.session.scalar(select(func.count(Interview.id))) == 0
        assert db.session.scalar(select(func.count(MediaFile.id))) == 0
        from fieldapp.consent.services import is_erased_submission

        assert is_erased_submission(uid)
        conn = db.session.connection()
        dump = " ".join(
            str(tuple(row)) for t in db.metadata.sorted_tables for row in conn.execute(t.select())
        )
        assert "Mevrouw op de hoek" not in dump
        assert "Goed gesprek" not in dump
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    # A copy of the interview that arrives later is refused: 410 Gone, also for another
    # participant the same co-researcher meets next.
    next_pid = enrol(as_co_researcher, consent_study.id).id
    again = as_co_researcher.post(
        f"/participants/{next_pid}/interviews",
        data={"uuid": uid, "version_id": str(questionnaire.version_id)},
    )
    assert again.status_code == 410


def test_taking_back_the_photo_item_removes_photos(
    app, client, as_co_researcher, questionnaire, consent_study, jpeg_with_secrets
):
    enrolled = enrol(as_co_researcher, consent_study.id, item_photo="yes")
    pid, token = enrolled.id, enrolled.token

    class P:
        id = pid

    uid = _complete_interview(as_co_researcher, P, questionnaire, photo=jpeg_with_secrets)
    client.post(f"/p/{token}/items/photo/withdraw")
    with app.app_context():
        interview = db.session.scalar(select(Interview).where(Interview.uuid == uid))
        assert "picture" not in interview.answer_values()
        assert interview.answer_values()["age"] == "30"  # the rest stays
        assert db.session.scalar(select(func.count(MediaFile.id))) == 0
    media_root = Path(app.config["MEDIA_ROOT"])
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
