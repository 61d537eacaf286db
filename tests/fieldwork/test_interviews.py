"""Running an interview: start by device id, pages with skip logic, validation, submit."""

from __future__ import annotations

import re
import uuid as uuid_module

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.fieldwork.models import Answer, Interview


def _start(client, participant, questionnaire, uid=None):
    uid = str(uuid_module.uuid4()) if uid is None else uid
    response = client.post(
        f"/participants/{participant.id}/interviews",
        data={"uuid": uid, "version_id": str(questionnaire.version_id)},
    )
    return uid, response


def _answers(app, uid):
    with app.app_context():
        interview = db.session.scalar(select(Interview).where(Interview.uuid == uid))
        return interview.answer_values() if interview else None


def test_start_is_idempotent_by_device_id(
    app, as_co_researcher, questionnaire, consented_participant
):
    uid, first = _start(as_co_researcher, consented_participant, questionnaire)
    assert first.status_code == 302
    _, again = _start(as_co_researcher, consented_participant, questionnaire, uid)
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Interview.id))) == 1


def test_same_id_for_something_else_is_409(
    app, as_co_researcher, questionnaire, consented_participant, make_participant, consent_study
):
    from tests.consent.fixtures import consent_post

    uid, _ = _start(as_co_researcher, consented_participant, questionnaire)
    other = make_participant(consent_study)
    as_co_researcher.post(f"/participants/{other.id}/consent", data=consent_post())
    _, response = _start(as_co_researcher, other, questionnaire, uid)
    assert response.status_code == 409


def test_no_interview_without_consent(
    app, as_co_researcher, questionnaire, make_participant, consent_study
):
    participant = make_participant(consent_study)  # no consent taken
    _, response = _start(as_co_researcher, participant, questionnaire)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Interview.id))) == 0


def test_bad_device_ids_are_refused(app, as_co_researcher, questionnaire, consented_participant):
    for bad in ("", "not-a-uuid", "x" * 500, "'; DROP TABLE interviews; --"):
        _start(as_co_researcher, consented_participant, questionnaire, bad)
    with app.app_context():
        assert db.session.scalar(select(func.count(Interview.id))) == 0


def test_a_whole_interview_with_skip_logic(
    app, as_co_researcher, questionnaire, consented_participant
):
    uid, response = _start(as_co_researcher, consented_participant, questionnaire)
    assert response.headers["Location"].endswith(f"/interviews/{uid}/page/0")
    page = as_co_researcher.get(f"/interviews/{uid}/page/0")
    html = page.get_data(as_text=True)
    assert "Fijn dat je meedoet." in html  # a note
    assert 'lang="nl"' in html
    # Page 0 is a note: next.
    nxt = as_co_researcher.post(f"/interviews/{uid}/page/0", data={"action": "next"})
    assert nxt.headers["Location"].endswith("/page/1")
    # Age: required, integer, constraint.
    bad = as_co_researcher.post(
        f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "twelve"}
    )
    assert bad.status_code == 400
    assert _message(app, "not_integer") in bad.get_data(as_text=True)
    low = as_co_researcher.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "9"})
    assert low.status_code == 400
    assert "Tussen 16 en 110." in low.get_data(as_text=True)
    empty = as_co_researcher.post(f"/interviews/{uid}/page/1", data={"action": "next"})
    assert empty.status_code == 400
    ok = as_co_researcher.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "42"})
    assert ok.headers["Location"].endswith("/page/2")
    # Owning a home skips the landlord question (page 3).
    own = as_co_researcher.post(
        f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "own"}
    )
    assert own.headers["Location"].endswith("/page/4")
    # Back goes to the tenure page; choosing rent shows the landlord question.
    back = as_co_researcher.post(f"/interviews/{uid}/page/4", data={"action": "back"})
    assert back.headers["Location"].endswith("/page/2")
    rent = as_co_researcher.post(
        f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "rent"}
    )
    assert rent.headers["Location"].endswith("/page/3")
    as_co_researcher.post(
        f"/interviews/{uid}/page/3", data={"action": "next", "q_landlord": "Woonpunt"}
    )
    # The group is one page: several questions at once.
    group_page = as_co_researcher.get(f"/interviews/{uid}/page/4").get_data(as_text=True)
    assert "Waar ontmoet je buren?" in group_page
    assert "Hoe voel je je hier?" in group_page
    assert "scale-1.svg" in group_page
    as_co_researcher.post(
        f"/interviews/{uid}/page/4",
        data={
            "action": "next",
            "q_places": ["park", "market"],
            "q_feeling": "4",
            "q_story": "Het park is fijn.",
        },
    )
    as_co_researcher.post(
        f"/interviews/{uid}/page/5", data={"action": "next", "q_moved_in": "2019-05-01"}
    )
    as_co_researcher.post(f"/interviews/{uid}/page/6", data={"action": "next", "q_safe": "yes"})
    location = as_co_researcher.post(
        f"/interviews/{uid}/page/7",
        data={
            "action": "next",
            "q_spot_lat": "50.912345",
            "q_spot_lon": "5.978912",
            "q_spot_accuracy": "12",
        },
    )
    assert location.headers["Location"].endswith("/page/8")
    last = as_co_researcher.post(f"/interviews/{uid}/page/8", data={"action": "next"})
    assert last.headers["Location"].endswith(f"/interviews/{uid}/submit")
    values = _answers(app, uid)
    assert values["age"] == "42"
    assert values["places"] == ["park", "market"]
    assert values["feeling"] == "4"
    # Homes are coarsened to about 100 m: the protocol is not about public space.
    assert values["spot"]["lat"] == 50.912
    assert values["spot"]["lon"] == 5.979
    summary = as_co_researcher.get(f"/interviews/{uid}/submit").get_data(as_text=True)
    assert "Woonpunt" in summary
    sent = as_co_researcher.post(f"/interviews/{uid}/submit", data={"notes": "Rustig gesprek."})
    assert sent.headers["Location"].endswith(f"/interviews/{uid}/done")
    with app.app_context():
        interview = db.session.scalar(select(Interview).where(Interview.uuid == uid))
        assert interview.state == "submitted"
        assert interview.revision == 1
        assert interview.revisions[0].answers["landlord"] == "Woonpunt"
    # A submitted interview cannot be changed by its pages any more.
    again = as_co_researcher.post(
        f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "43"}
    )
    assert again.status_code == 302
    assert _answers(app, uid)["age"] == "42"


def test_answers_that_became_irrelevant_are_dropped(
    app, as_co_researcher, questionnaire, consented_participant
):
    uid, _ = _start(as_co_researcher, consented_participant, questionnaire)
    as_co_researcher.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "30"})
    as_co_researcher.post(f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "rent"})
    as_co_researcher.post(
        f"/interviews/{uid}/page/3", data={"action": "next", "q_landlord": "Weller"}
    )
    as_co_researcher.post(f"/interviews/{uid}/page/2", data={"action": "next", "q_tenure": "own"})
    as_co_researcher.post(f"/interviews/{uid}/page/4", data={"action": "next", "q_feeling": "3"})
    as_co_researcher.post(f"/interviews/{uid}/submit", data={})
    assert "landlord" not in _answers(app, uid)


def test_submit_with_missing_required_goes_to_that_page(
    app, as_co_researcher, questionnaire, consented_participant
):
    uid, _ = _start(as_co_researcher, consented_participant, questionnaire)
    as_co_researcher.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "30"})
    response = as_co_researcher.post(f"/interviews/{uid}/submit", data={})
    assert response.headers["Location"].endswith("/page/2")


def _message(app, code: str, language: str = "nl") -> str:
    """The message as the participant reads it: the interview is in their language."""
    from flask_babel import force_locale

    from fieldapp.fieldwork.views import error_text

    with app.test_request_context(), force_locale(language):
        return error_text(code)


@pytest.mark.parametrize(
    ("index", "data", "code"),
    [
        (2, {"q_tenure": "castle"}, "invalid_choice"),
        (4, {"q_places": ["moon"], "q_feeling": "3"}, "invalid_choice"),
        (4, {"q_feeling": "9"}, "invalid_choice"),
        (4, {"q_feeling": "3", "q_story": "x" * 10001}, "too_long"),
        (4, {"q_feeling": "3", "q_story": "nul\x00byte"}, "invalid_text"),
        (5, {"q_moved_in": "31-02-2020"}, "not_date"),
        (5, {"q_moved_in": "1066-10-14"}, "not_date"),
        (7, {"q_spot_lat": "north", "q_spot_lon": "5"}, "invalid_location"),
        (7, {"q_spot_lat": "95", "q_spot_lon": "5"}, "invalid_location"),
    ],
)
def test_bad_answers_get_a_message_and_nothing_is_stored(
    app, as_co_researcher, questionnaire, consented_participant, index, data, code
):
    uid, _ = _start(as_co_researcher, consented_participant, questionnaire)
    as_co_researcher.post(f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "30"})
    before = _answers(app, uid)
    response = as_co_researcher.post(
        f"/interviews/{uid}/page/{index}", data={"action": "next", **data}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _message(app, code).replace("'", "&#39;") in html
    assert 'lang="nl"' in html
    assert _answers(app, uid) == before


def test_messages_in_the_interview_language(
    app, as_co_researcher, questionnaire, consent_study, make_participant
):
    from tests.consent.fixtures import consent_post

    participant = make_participant(consent_study, language="ar")
    as_co_researcher.post(f"/participants/{participant.id}/consent", data=consent_post())
    uid, _ = _start(as_co_researcher, participant, questionnaire)
    page = as_co_researcher.get(f"/interviews/{uid}/page/1").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "كم عمرك؟" in page
    wrong = as_co_researcher.post(
        f"/interviews/{uid}/page/1", data={"action": "next", "q_age": "3"}
    )
    assert "بين 16 و 110." in wrong.get_data(as_text=True)
    # Switching language mid-interview.
    as_co_researcher.post(
        f"/interviews/{uid}/page/1", data={"action": "language", "language": "nl"}
    )
    assert "Hoe oud ben je?" in as_co_researcher.get(f"/interviews/{uid}/page/1").get_data(
        as_text=True
    )


def test_photo_answer_needs_the_photo_item(
    app, as_co_researcher, questionnaire, consented_participant, jpeg_with_secrets
):
    import io

    uid, _ = _start(as_co_researcher, consented_participant, questionnaire)
    response = as_co_researcher.post(
        f"/interviews/{uid}/page/8",
        data={
            "action": "next",
            "q_picture": (io.BytesIO(jpeg_with_secrets), "me.jpg"),
            "q_picture_id": str(uuid_module.uuid4()),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert _message(app, "no_photo_consent") in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_progress_and_no_js_needed(app, as_co_researcher, questionnaire, consented_participant):
    uid, _ = _start(as_co_researcher, consented_participant, questionnaire)
    html = as_co_researcher.get(f"/interviews/{uid}/page/1").get_data(as_text=True)
    assert re.search(r"<progress max=\"\d+\" value=\"2\"", html)
    assert "<script" not in html  # no location question on this page: no script at all


def test_first_question_in_few_taps_from_home(app, as_co_researcher, questionnaire, consent_study):
    """Home → new participant → consent → start: the first question page."""
    from tests.consent.fixtures import PENDING_FIELD, consent_post

    home = as_co_researcher.get("/home").get_data(as_text=True)
    new_url = re.search(r'href="(/studies/\d+/participants/new)"', home).group(1)  # tap 1
    consent_page = as_co_researcher.post(
        new_url, data={"language": "nl", "age_band": "25_44"}
    ).get_data(as_text=True)  # tap 2
    pending = PENDING_FIELD.search(consent_page).group(1)
    receipt_url = as_co_researcher.post(
        new_url + "/consent", data=consent_post(pending=pending)
    ).headers["Location"]
    receipt = as_co_researcher.get(receipt_url).get_data(as_text=True)  # tap 3
    form = re.search(r'<form method="post" action="(/participants/\d+/interviews)"', receipt)
    uid = re.search(r'name="uuid" value="([0-9a-f-]{36})"', receipt).group(1)
    version = re.search(r'name="version_id" value="(\d+)"', receipt).group(1)
    started = as_co_researcher.post(form.group(1), data={"uuid": uid, "version_id": version})
    assert re.search(r"/interviews/[0-9a-f-]{36}/page/0$", started.headers["Location"])  # tap 4
