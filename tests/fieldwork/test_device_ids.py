"""Rule 3, one submission one record: device-made ids for interviews, observations and photos.

The same id with the same content answers as the first time and stores nothing; the same id
with other content is refused (409) and the first version is kept; an id of erased data is
refused (410) and nothing is stored. Photos are recognised by their device-made id.
"""

from __future__ import annotations

import io
import uuid as uuid_module
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.fieldwork.models import Answer, Interview, Observation, ObservationPhoto
from fieldapp.media.models import MediaFile
from fieldapp.participants.models import Participant
from tests.consent.fixtures import enrol


def new_id() -> str:
    return str(uuid_module.uuid4())


def image(colour=(10, 120, 10), size=(50, 40), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


RED, BLUE, GREEN = image((200, 20, 20)), image((20, 20, 200)), image((20, 200, 20))


def message(app, text, language="ar") -> str:
    """A user-facing text as the co-researcher (who reads Arabic) sees it in the page."""
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        return str(text).replace("'", "&#39;")


def stored_files(app) -> list[Path]:
    root = Path(app.config["MEDIA_ROOT"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def counts(app) -> dict[str, int]:
    with app.app_context():
        found = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Participant, Interview, Answer, Observation, ObservationPhoto, MediaFile)
        }
    found["files"] = len(stored_files(app))
    return found


# ---------------------------------------------------------------- observations


def observation_form(uuid=None, photos=(), **overrides) -> dict:
    """The observation form as the page sends it; photos as (device id, bytes) per slot."""
    data = {
        "uuid": uuid or new_id(),
        "themes": ["facilities"],
        "category": "bankje",
        "note": "Het bankje bij de speeltuin is kapot.",
        "latitude": "50.912345",
        "longitude": "5.978912",
        "accuracy": "8",
        "place_description": "",
        "photo_id": [photo_id for photo_id, _ in photos] + [new_id() for _ in range(5)],
        "photos": [(io.BytesIO(data), f"IMG_{n}.png") for n, (_, data) in enumerate(photos)],
    }
    data.update(overrides)
    return data


def post_observation(client, study_id, data):
    return client.post(
        f"/studies/{study_id}/observations/new", data=data, content_type="multipart/form-data"
    )


def test_the_observation_form_carries_a_device_id_per_photo_slot(
    app, as_co_researcher, consent_study
):
    import re

    html = as_co_researcher.get(f"/studies/{consent_study.id}/observations/new").get_data(
        as_text=True
    )
    ids = re.findall(r'<input type="hidden" name="photo_id" value="([0-9a-f-]{36})"', html)
    assert len(ids) == 5
    assert len(set(ids)) == 5
    # A form sent back with an error keeps its ids, so sending it again resends the same ones.
    sent = observation_form(photo_id=ids, note="")
    again = post_observation(as_co_researcher, consent_study.id, sent).get_data(as_text=True)
    assert re.findall(r'name="photo_id" value="([0-9a-f-]{36})"', again) == ids


def test_resending_an_observation_with_its_photos_stores_nothing_new(
    app, as_co_researcher, consent_study
):
    photos = [(new_id(), RED), (new_id(), BLUE)]
    data = observation_form(photos=photos)
    first = post_observation(as_co_researcher, consent_study.id, data)
    assert first.status_code == 302, first.get_data(as_text=True)[-2000:]
    before = counts(app)
    files = stored_files(app)
    assert before["MediaFile"] == 2
    assert len(files) == 2
    with app.app_context():
        observation = db.session.scalar(select(Observation))
        # The photos carry the ids the device made, in the order of their slots.
        assert [p.media.uuid for p in observation.photos] == [photos[0][0], photos[1][0]]

    # Sent again (no answer reached the phone): the same answer, nothing new, also when the
    # note's spacing or the order of the themes differ.
    again = post_observation(
        as_co_researcher,
        consent_study.id,
        observation_form(
            uuid=data["uuid"], photos=photos, note="  Het bankje bij de speeltuin is kapot.  "
        ),
    )
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert counts(app) == before
    assert stored_files(app) == files


@pytest.mark.parametrize(
    "change",
    [
        {"note": "Het bankje is gemaakt."},
        {"themes": ["facilities", "community"]},
        {"category": "lantaarn"},
        {"latitude": "50.999999"},
        {"place_description": "Hoek Akerstraat"},
        {"photos": "other bytes"},
        {"photos": "one more"},
        {"photos": "one fewer"},
    ],
    ids=lambda change: next(iter(change.items()))[0] + ":" + str(next(iter(change.values()))),
)
def test_same_observation_id_with_other_content_is_409_and_the_first_is_kept(
    app, as_co_researcher, consent_study, change
):
    from fieldapp.fieldwork.views import REFUSALS

    photos = [(new_id(), RED), (new_id(), BLUE)]
    data = observation_form(photos=photos)
    assert post_observation(as_co_researcher, consent_study.id, data).status_code == 302
    before = counts(app)
    files = {p: p.read_bytes() for p in stored_files(app)}
    with app.app_context():
        kept = db.session.scalar(select(Observation))
        kept_state = (kept.note, kept.themes, kept.category, kept.latitude, kept.history)

    what = change.get("photos")
    if what == "other bytes":
        changed = observation_form(uuid=data["uuid"], photos=[photos[0], (photos[1][0], GREEN)])
    elif what == "one more":
        changed = observation_form(uuid=data["uuid"], photos=[*photos, (new_id(), GREEN)])
    elif what == "one fewer":
        changed = observation_form(uuid=data["uuid"], photos=photos[:1])
    else:
        changed = observation_form(uuid=data["uuid"], photos=photos, **change)
    response = post_observation(as_co_researcher, consent_study.id, changed)

    assert response.status_code == 409
    assert message(app, REFUSALS["observation_conflict"]) in response.get_data(as_text=True)
    assert counts(app) == before
    assert {p: p.read_bytes() for p in stored_files(app)} == files
    with app.app_context():
        kept = db.session.scalar(select(Observation))
        assert (kept.note, kept.themes, kept.category, kept.latitude, kept.history) == kept_state


def test_a_photo_id_already_used_for_another_observation_is_409(
    app, as_co_researcher, consent_study
):
    photo_id = new_id()
    assert (
        post_observation(
            as_co_researcher, consent_study.id, observation_form(photos=[(photo_id, RED)])
        ).status_code
        == 302
    )
    before = counts(app)
    # Another observation, even with the very same picture, cannot take the photo's id.
    response = post_observation(
        as_co_researcher, consent_study.id, observation_form(photos=[(photo_id, RED)])
    )
    assert response.status_code == 409
    assert counts(app) == before


def test_photos_without_a_device_id_are_refused(app, as_co_researcher, consent_study):
    from fieldapp.fieldwork.views import ERRORS

    data = observation_form(photos=[(new_id(), RED)], photo_id=["not-an-id"])
    response = post_observation(as_co_researcher, consent_study.id, data)
    assert response.status_code == 400
    assert message(app, ERRORS["bad_id"]) in response.get_data(as_text=True)
    assert counts(app)["Observation"] == 0
    assert stored_files(app) == []


# ---------------------------------------------------------------- erased ids: 410


def erase(app, *submission_ids: str) -> None:
    """A tombstone naming these ids, as a withdrawal leaves it."""
    from fieldapp.participants.models import ErasedSubmission, ParticipantTombstone

    with app.app_context():
        tombstone = ParticipantTombstone(code="ZZZ-" + new_id()[:3].upper())
        tombstone.erased = [ErasedSubmission(submission_id=i) for i in submission_ids]
        db.session.add(tombstone)
        db.session.commit()


@pytest.mark.parametrize("erased", ["observation", "photo"])
def test_an_observation_or_photo_of_erased_data_is_410(
    app, as_co_researcher, consent_study, erased
):
    from fieldapp.fieldwork.views import ERRORS

    uuid, photo_id = new_id(), new_id()
    erase(app, uuid if erased == "observation" else photo_id)
    before = counts(app)
    response = post_observation(
        as_co_researcher, consent_study.id, observation_form(uuid, photos=[(photo_id, RED)])
    )
    assert response.status_code == 410
    assert message(app, ERRORS["erased"]) in response.get_data(as_text=True)
    assert counts(app) == before
    # The tombstone is looked at first: an erased id is 410 even when the form has errors.
    response = post_observation(
        as_co_researcher,
        consent_study.id,
        observation_form(uuid, photos=[(photo_id, RED)], note="", themes=[]),
    )
    assert response.status_code == 410
    assert counts(app) == before


def test_correcting_an_erased_observation_is_410(app, as_co_researcher, consent_study):
    uuid = new_id()
    erase(app, uuid)
    response = post_observation(as_co_researcher, consent_study.id, observation_form(uuid=uuid))
    assert response.status_code == 410
    edit = as_co_researcher.post(
        f"/observations/{uuid}/edit", data=observation_form(uuid=uuid), follow_redirects=False
    )
    assert edit.status_code == 410
    assert counts(app)["Observation"] == 0


# ---------------------------------------------------------------- interviews


def participant_with_photo_consent(app, client, study_id) -> tuple[int, str]:
    pid = enrol(client, study_id, item_photo="yes").id
    with app.app_context():
        return pid, db.session.get(Participant, pid).uuid


def start_post(uid, version_id, participant_uuid=None) -> dict:
    data = {"uuid": uid, "version_id": str(version_id)}
    if participant_uuid:
        data["participant"] = participant_uuid
    return data


def photo_post(photo_id, data: bytes) -> dict:
    return {
        "action": "next",
        "q_picture": (io.BytesIO(data), "IMG_0001.png"),
        "q_picture_id": photo_id,
    }


def post_photo(client, uid, photo_id, data):
    return client.post(
        f"/interviews/{uid}/page/8",
        data=photo_post(photo_id, data),
        content_type="multipart/form-data",
    )


def test_the_start_forms_carry_the_participant(app, as_co_researcher, questionnaire, consent_study):
    pid, participant_uuid = participant_with_photo_consent(app, as_co_researcher, consent_study.id)
    import re

    # The card is shown once; a new card shows it again, with its start button.
    assert as_co_researcher.post(f"/participants/{pid}/new-card").status_code == 302
    for page in (f"/participants/{pid}/receipt", f"/participants/{pid}/interviews"):
        html = as_co_researcher.get(page).get_data(as_text=True)
        fields = re.findall(r"<input [^>]*name=\"participant\"[^>]*>", html)
        assert len(fields) == 1, page
        assert f'value="{participant_uuid}"' in fields[0]
        assert 'type="hidden"' in fields[0]


def test_interview_photos_carry_their_device_id_and_a_resend_stores_nothing(
    app, as_co_researcher, questionnaire, consent_study
):
    import re

    from fieldapp.fieldwork.views import REFUSALS

    pid, _ = participant_with_photo_consent(app, as_co_researcher, consent_study.id)
    uid = new_id()
    as_co_researcher.post(
        f"/participants/{pid}/interviews", data=start_post(uid, questionnaire.version_id)
    )
    page = as_co_researcher.get(f"/interviews/{uid}/page/8").get_data(as_text=True)
    assert re.search(r'name="q_picture_id" value="[0-9a-f-]{36}"', page)

    photo_id = new_id()
    first = post_photo(as_co_researcher, uid, photo_id, RED)
    assert first.status_code == 302, first.get_data(as_text=True)[-2000:]
    with app.app_context():
        media = db.session.scalar(select(MediaFile))
        assert media.uuid == photo_id
        answer = db.session.scalar(select(Answer).where(Answer.question_name == "picture"))
        assert answer.value == photo_id
        assert answer.media_id == media.id
    before, files = counts(app), {p: p.read_bytes() for p in stored_files(app)}
    assert before["files"] == 1

    # The same photo with the same id again: the same answer, no new file or row.
    again = post_photo(as_co_researcher, uid, photo_id, RED)
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert counts(app) == before
    assert {p: p.read_bytes() for p in stored_files(app)} == files

    # The same id with other bytes: 409, the first photo kept as it was.
    conflict = post_photo(as_co_researcher, uid, photo_id, BLUE)
    assert conflict.status_code == 409
    assert message(app, REFUSALS["photo_conflict"]) in conflict.get_data(as_text=True)
    assert counts(app) == before
    assert {p: p.read_bytes() for p in stored_files(app)} == files

    # A new photo (a new id) replaces the old one, on disk too.
    replaced = post_photo(as_co_researcher, uid, new_id(), BLUE)
    assert replaced.status_code == 302
    assert counts(app) == before
    assert set(stored_files(app)).isdisjoint(files)


def test_an_interview_photo_without_a_device_id_is_refused(
    app, as_co_researcher, questionnaire, consent_study
):
    from fieldapp.fieldwork.views import ERRORS

    pid, _ = participant_with_photo_consent(app, as_co_researcher, consent_study.id)
    uid = new_id()
    as_co_researcher.post(
        f"/participants/{pid}/interviews", data=start_post(uid, questionnaire.version_id)
    )
    response = post_photo(as_co_researcher, uid, "", RED)
    assert response.status_code == 400
    assert message(app, ERRORS["bad_id"], "nl") in response.get_data(as_text=True)
    assert counts(app)["MediaFile"] == 0
    assert stored_files(app) == []


@pytest.fixture
def withdrawn(app, as_co_researcher, questionnaire, consent_study):
    """An interview with a photo, its participant withdrawn: what a phone could replay."""
    from fieldapp.consent.services import withdraw_participant

    pid, participant_uuid = participant_with_photo_consent(app, as_co_researcher, consent_study.id)
    uid, photo_id = new_id(), new_id()
    version = questionnaire.version_id
    assert (
        as_co_researcher.post(
            f"/participants/{pid}/interviews", data=start_post(uid, version, participant_uuid)
        ).status_code
        == 302
    )
    as_co_researcher.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "30"})
    as_co_researcher.post(f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "own"})
    as_co_researcher.post(f"/interviews/{uid}/page/4", data={"action": "next", "q_feeling": "4"})
    assert post_photo(as_co_researcher, uid, photo_id, RED).status_code == 302
    assert as_co_researcher.post(f"/interviews/{uid}/submit", data={}).status_code == 302
    with app.app_context():
        withdraw_participant(db.session.get(Participant, pid), reason="participant")
        db.session.commit()
    # Someone else's data stays, so that "nothing stored" is not "nothing there".
    other, _ = participant_with_photo_consent(app, as_co_researcher, consent_study.id)
    other_uid = new_id()
    as_co_researcher.post(f"/participants/{other}/interviews", data=start_post(other_uid, version))
    as_co_researcher.post(f"/interviews/{other_uid}/page/1", data={"action": "next", "q_age": "41"})
    return {
        "pid": pid,
        "participant": participant_uuid,
        "uid": uid,
        "photo": photo_id,
        "version": version,
        "other_pid": other,
        "other_uid": other_uid,
    }


REPLAYS = {
    "start the same interview": lambda w: (
        f"/participants/{w['pid']}/interviews",
        start_post(w["uid"], w["version"], w["participant"]),
    ),
    "start the same interview, old form": lambda w: (
        f"/participants/{w['pid']}/interviews",
        start_post(w["uid"], w["version"]),
    ),
    "start another interview with the erased participant": lambda w: (
        f"/participants/{w['pid']}/interviews",
        start_post(new_id(), w["version"], w["participant"]),
    ),
    "the same interview under another participant's id": lambda w: (
        f"/participants/{w['other_pid']}/interviews",
        start_post(w["uid"], w["version"]),
    ),
    "a page": lambda w: (f"/interviews/{w['uid']}/page/1", {"action": "next", "q_age": "30"}),
    "the photo page": lambda w: (f"/interviews/{w['uid']}/page/8", photo_post(w["photo"], RED)),
    "going back": lambda w: (f"/interviews/{w['uid']}/page/2", {"action": "back"}),
    "the language": lambda w: (
        f"/interviews/{w['uid']}/page/1",
        {"action": "language", "language": "ar"},
    ),
    "submit": lambda w: (f"/interviews/{w['uid']}/submit", {"notes": "Goed gesprek."}),
    "the erased photo in a live interview": lambda w: (
        f"/interviews/{w['other_uid']}/page/8",
        photo_post(w["photo"], RED),
    ),
}


@pytest.mark.parametrize("replay", list(REPLAYS))
def test_replaying_an_erased_interview_is_410_and_stores_nothing(
    app, as_co_researcher, withdrawn, replay
):
    from fieldapp.fieldwork.views import ERRORS

    before = counts(app)
    with app.app_context():
        answers_before = sorted(
            (a.interview_id, a.question_name, str(a.value))
            for a in db.session.scalars(select(Answer))
        )
    url, data = REPLAYS[replay](withdrawn)
    response = as_co_researcher.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 410, response.get_data(as_text=True)[-1500:]
    assert message(app, ERRORS["erased"]) in response.get_data(as_text=True)
    assert counts(app) == before
    with app.app_context():
        assert (
            sorted(
                (a.interview_id, a.question_name, str(a.value))
                for a in db.session.scalars(select(Answer))
            )
            == answers_before
        )
        assert (
            db.session.scalar(
                select(func.count(Interview.id)).where(Interview.uuid == withdrawn["uid"])
            )
            == 0
        )


def test_a_start_form_for_someone_else_is_409(app, as_co_researcher, questionnaire, consent_study):
    """The participant the form was made for is not the one at that address any more."""
    first, first_uuid = participant_with_photo_consent(app, as_co_researcher, consent_study.id)
    second, _ = participant_with_photo_consent(app, as_co_researcher, consent_study.id)
    before = counts(app)
    response = as_co_researcher.post(
        f"/participants/{second}/interviews",
        data=start_post(new_id(), questionnaire.version_id, first_uuid),
    )
    assert response.status_code == 409
    assert counts(app) == before


# ---------------------------------------------------------------- the media disk fails


def _no_space(monkeypatch, *, fail_from: int):
    """The disk fills up while a photo is written: its temporary file exists, then ENOSPC.

    Writes before the fail_from-th (counted from 0) go through.
    """
    import errno
    import os

    from fieldapp.media import services

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[:10])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self.fh, name)

    calls = iter(range(1000))

    def fdopen(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)
        return fh if next(calls) < fail_from else FullDisk(fh)

    monkeypatch.setattr(services.os, "fdopen", fdopen)


def _unwritable(monkeypatch, app, tmp_path):
    """MEDIA_ROOT cannot be created (a file stands where a folder should be)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(blocker / "media"))
    return blocker


@pytest.mark.parametrize("fault", ["disk full", "unwritable"])
def test_media_storage_failure_on_an_observation_stores_nothing(
    app, as_co_researcher, consent_study, monkeypatch, tmp_path, fault
):
    from fieldapp.fieldwork.views import ERRORS

    if fault == "disk full":
        _no_space(monkeypatch, fail_from=1)  # the first photo is written, the second fails
    else:
        blocker = _unwritable(monkeypatch, app, tmp_path)
    uuid, photos = new_id(), [(new_id(), RED), (new_id(), BLUE)]
    response = post_observation(as_co_researcher, consent_study.id, observation_form(uuid, photos))
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert message(app, ERRORS["photo_storage"]) in html
    assert 'name="note"' in html  # the form comes back, filled in
    assert set(counts(app).values()) == {0}
    assert stored_files(app) == []
    if fault == "unwritable":
        assert [p.name for p in tmp_path.rglob("*")] == [blocker.name]
    monkeypatch.undo()
    # Once the disk is back, the same form goes through.
    again = post_observation(as_co_researcher, consent_study.id, observation_form(uuid, photos))
    assert again.status_code == 302
    assert len(stored_files(app)) == 2


@pytest.mark.parametrize("fault", ["disk full", "unwritable"])
def test_media_storage_failure_on_an_interview_photo_stores_nothing(
    app, as_co_researcher, questionnaire, consent_study, monkeypatch, tmp_path, fault
):
    from fieldapp.fieldwork.views import ERRORS

    pid, _ = participant_with_photo_consent(app, as_co_researcher, consent_study.id)
    uid = new_id()
    as_co_researcher.post(
        f"/participants/{pid}/interviews", data=start_post(uid, questionnaire.version_id)
    )
    before = counts(app)
    if fault == "disk full":
        _no_space(monkeypatch, fail_from=0)
    else:
        _unwritable(monkeypatch, app, tmp_path)
    response = post_photo(as_co_researcher, uid, new_id(), RED)
    assert response.status_code == 503
    assert message(app, ERRORS["photo_storage"], "nl") in response.get_data(as_text=True)
    assert counts(app) == before
    monkeypatch.undo()
    assert stored_files(app) == []


# ---------------------------------------------------------------- races: the database decides


def _missed_once(monkeypatch, module, name):
    """The first look-up misses what is there, as when two requests check at the same time."""
    real = getattr(module, name)
    calls = iter(range(1000))
    monkeypatch.setattr(module, name, lambda *a: None if next(calls) == 0 else real(*a))


def test_an_observation_race_is_decided_by_the_unique_constraint(
    app, as_co_researcher, consent_study, monkeypatch
):
    from fieldapp.fieldwork import observations

    photos = [(new_id(), RED)]
    data = observation_form(photos=photos)
    first = post_observation(as_co_researcher, consent_study.id, data)
    before, files = counts(app), stored_files(app)

    # The check found nothing, the insert hits the unique constraint: a resend all the same.
    _missed_once(monkeypatch, observations, "find_observation")
    again = post_observation(
        as_co_researcher, consent_study.id, observation_form(uuid=data["uuid"], photos=photos)
    )
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert counts(app) == before
    assert stored_files(app) == files

    _missed_once(monkeypatch, observations, "find_observation")
    other = post_observation(
        as_co_researcher,
        consent_study.id,
        observation_form(uuid=data["uuid"], photos=photos, note="Iets anders."),
    )
    assert other.status_code == 409
    assert counts(app) == before
    assert stored_files(app) == files


def test_a_photo_race_is_decided_by_the_unique_constraint(
    app, as_co_researcher, questionnaire, consent_study, monkeypatch
):
    from fieldapp.fieldwork import submissions

    pid, _ = participant_with_photo_consent(app, as_co_researcher, consent_study.id)
    uid, photo_id = new_id(), new_id()
    as_co_researcher.post(
        f"/participants/{pid}/interviews", data=start_post(uid, questionnaire.version_id)
    )
    assert post_photo(as_co_researcher, uid, photo_id, RED).status_code == 302
    before, files = counts(app), stored_files(app)

    # The photo is re-encoded and written, the row is refused by the unique constraint: the
    # file goes at once and the answer is the first one's.
    _missed_once(monkeypatch, submissions, "find_media")
    assert post_photo(as_co_researcher, uid, photo_id, RED).status_code == 302
    assert counts(app) == before
    assert stored_files(app) == files

    _missed_once(monkeypatch, submissions, "find_media")
    assert post_photo(as_co_researcher, uid, photo_id, BLUE).status_code == 409
    assert counts(app) == before
    assert stored_files(app) == files
