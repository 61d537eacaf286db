"""A new participant is stored only together with their consent; the card's link is shown
once and never travels in a cookie; the first screen needs no tap for the language."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from fieldapp.audit.models import AuditEntry
from fieldapp.consent.models import ConsentDecision, ConsentRecord
from fieldapp.extensions import db
from fieldapp.media.models import MediaFile
from fieldapp.participants.models import Participant, ParticipantContact
from tests.consent.fixtures import (
    CARD_LINK,
    PENDING_FIELD,
    consent_post,
    enrol,
    start_new_participant,
)


def _rows() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Participant, ParticipantContact, ConsentRecord, ConsentDecision, MediaFile)
    }


NOTHING = dict.fromkeys(
    ("participants", "participant_contacts", "consent_records", "consent_decisions", "media_files"),
    0,
)


def _consent_url(study_id: int) -> str:
    return f"/studies/{study_id}/participants/new/consent"


def _pending(page) -> str:
    return PENDING_FIELD.search(page.get_data(as_text=True))[1]


# ---------------------------------------------------------------- 1. nothing before consent


def test_first_screen_stores_nothing_and_an_abandoned_participant_leaves_nothing(
    app, as_co_researcher, consent_study
):
    page = start_new_participant(
        as_co_researcher, consent_study.id, language="ar", age_band="45_64"
    )
    assert page.status_code == 200
    assert "نتحدث مع السكان عن الحي" in page.get_data(as_text=True)  # the consent page
    with app.app_context():
        assert _rows() == NOTHING
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert "participant_created" not in actions
    # The co-researcher walks away here: there is nothing to clean up.


def test_participant_and_consent_are_stored_together(app, as_co_researcher, consent_study):
    page = start_new_participant(
        as_co_researcher, consent_study.id, language="ar", age_band="65_plus"
    )
    done = as_co_researcher.post(
        _consent_url(consent_study.id), data=consent_post(pending=_pending(page))
    )
    assert done.status_code == 302
    with app.app_context():
        participant = db.session.scalar(select(Participant))
        record = db.session.scalar(select(ConsentRecord))
        assert record.participant_id == participant.id
        assert (participant.language, participant.age_band) == ("ar", "65_plus")
        assert done.headers["Location"].endswith(f"/participants/{participant.id}/receipt")


def test_declined_consent_leaves_nothing(app, as_co_researcher, consent_study):
    page = start_new_participant(as_co_researcher, consent_study.id)
    declined = as_co_researcher.post(
        _consent_url(consent_study.id),
        data=consent_post(pending=_pending(page), item_take_part="no"),
    )
    assert declined.status_code == 200
    with app.app_context():
        assert _rows() == NOTHING
        declined_entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "consent_declined")
        )
        assert declined_entry is not None
        assert declined_entry.object_id is None


def test_refused_consent_form_stores_nothing(app, as_co_researcher, consent_study):
    page = start_new_participant(as_co_researcher, consent_study.id)
    refused = as_co_researcher.post(
        _consent_url(consent_study.id),
        data=consent_post(pending=_pending(page), declaration=None),
    )
    assert refused.status_code == 400
    # The pending choices stay on the page, so the co-researcher can go on.
    assert PENDING_FIELD.search(refused.get_data(as_text=True))
    with app.app_context():
        assert _rows() == NOTHING


def test_consent_form_sent_twice_makes_one_participant(app, as_co_researcher, consent_study):
    page = start_new_participant(as_co_researcher, consent_study.id)
    data = consent_post(pending=_pending(page))
    first = as_co_researcher.post(_consent_url(consent_study.id), data=data)
    again = as_co_researcher.post(_consent_url(consent_study.id), data=data)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Participant.id))) == 1
        assert db.session.scalar(select(func.count(ConsentRecord.id))) == 1


@pytest.mark.parametrize("damage", ["tampered", "other_co_researcher", "expired", "missing"])
def test_damaged_pending_choices_are_refused(
    app, as_co_researcher, consent_study, make_user, damage, monkeypatch
):
    from fieldapp.accounts.models import User
    from fieldapp.participants import services
    from fieldapp.studies.models import Study, StudyMember

    page = start_new_participant(as_co_researcher, consent_study.id)
    pending = _pending(page)
    client = as_co_researcher
    if damage == "tampered":
        payload, rest = pending.split(".", 1)
        pending = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest
    elif damage == "other_co_researcher":
        from tests.conftest import login

        colleague = make_user("co_researcher")
        with app.app_context():
            db.session.add(
                StudyMember(
                    study_id=consent_study.id,
                    user=db.session.get(User, colleague.id),
                    role="co_researcher",
                )
            )
            db.session.commit()
        client = login(app.test_client(), colleague)
    elif damage == "expired":
        monkeypatch.setattr(services, "PENDING_MAX_AGE", -1)
    else:
        pending = ""
    response = client.post(
        _consent_url(consent_study.id) + "?lang=en", data=consent_post(pending=pending)
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/studies/{consent_study.id}/participants/new")
    with app.app_context():
        assert _rows() == NOTHING
        assert db.session.get(Study, consent_study.id) is not None


def test_switching_the_consent_language_keeps_the_choices_and_stores_nothing(
    app, as_co_researcher, consent_study
):
    page = start_new_participant(as_co_researcher, consent_study.id, language="nl")
    switched = as_co_researcher.post(
        _consent_url(consent_study.id),
        data={"pending": _pending(page), "participant_lang": "ar", "switch_language": "1"},
    )
    assert switched.status_code == 200
    html = switched.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "نتحدث مع السكان عن الحي" in html
    assert 'class="error-summary"' not in html
    done = as_co_researcher.post(
        _consent_url(consent_study.id) + "?participant_lang=ar",
        data=consent_post(pending=PENDING_FIELD.search(html)[1]),
    )
    assert done.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(ConsentRecord))
        assert record.language == "ar"
        assert record.participant.language == "nl"  # they speak Dutch, read consent in Arabic


def test_under_16_still_needs_a_guardian_before_anything_is_stored(
    app, as_co_researcher, consent_study
):
    page = start_new_participant(as_co_researcher, consent_study.id, age_band="under_16")
    assert 'name="guardian_consented"' in page.get_data(as_text=True)
    pending = _pending(page)
    refused = as_co_researcher.post(
        _consent_url(consent_study.id), data=consent_post(pending=pending)
    )
    assert refused.status_code == 400
    with app.app_context():
        assert _rows() == NOTHING
    accepted = as_co_researcher.post(
        _consent_url(consent_study.id),
        data=consent_post(
            pending=pending,
            guardian_consented="y",
            guardian_relation="guardian",
            guardian_method="spoken",
        ),
    )
    assert accepted.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(ConsentRecord))
        assert record.participant.is_minor
        assert record.guardian_consented


def test_purge_deletes_participants_an_older_version_stored_without_consent(
    app, runner, as_co_researcher, consent_study, make_participant
):
    old_unconsented = make_participant(consent_study)
    new_unconsented = make_participant(consent_study)
    consented = enrol(as_co_researcher, consent_study.id)
    with app.app_context():
        two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
        for pid in (old_unconsented.id, consented.id):
            db.session.get(Participant, pid).created_at = two_days_ago
        db.session.commit()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert "would delete 1 participants without consent" in dry.output
    with app.app_context():
        assert db.session.get(Participant, old_unconsented.id) is not None
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Participant, old_unconsented.id) is None
        # Younger than a day: perhaps consent is being taken right now.
        assert db.session.get(Participant, new_unconsented.id) is not None
        assert db.session.get(Participant, consented.id) is not None


# ---------------------------------------------------------------- 2. the card's link


def _session_cookies(app, responses) -> list[str]:
    """Every Set-Cookie header of the responses, and every Flask session decoded as JSON."""
    serializer = app.session_interface.get_signing_serializer(app)
    seen = []
    for response in responses:
        for header in response.headers.getlist("Set-Cookie"):
            seen.append(header)
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if name == app.config["SESSION_COOKIE_NAME"] and value:
                seen.append(json.dumps(serializer.loads(value)))
    return seen


def test_card_link_is_never_in_a_cookie(app, as_co_researcher, consent_study, make_participant):
    participant = make_participant(consent_study)
    responses = [
        as_co_researcher.post(f"/participants/{participant.id}/consent", data=consent_post())
    ]
    card = as_co_researcher.get(f"/participants/{participant.id}/receipt")
    responses.append(card)
    token = CARD_LINK.search(card.get_data(as_text=True))[1]
    new_card = as_co_researcher.post(f"/participants/{participant.id}/new-card")
    responses.append(new_card)
    second = as_co_researcher.get(f"/participants/{participant.id}/receipt")
    responses.append(second)
    second_token = CARD_LINK.search(second.get_data(as_text=True))[1]
    cookies = _session_cookies(app, responses)
    jar = as_co_researcher.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if jar is not None:
        serializer = app.session_interface.get_signing_serializer(app)
        cookies.append(json.dumps(serializer.loads(jar.value)))
    for text in cookies:
        assert token not in text
        assert second_token not in text


def test_card_is_shown_once_and_refused_later(
    app, client, as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    as_co_researcher.post(f"/participants/{participant.id}/consent", data=consent_post())
    first = as_co_researcher.get(f"/participants/{participant.id}/receipt")
    token = CARD_LINK.search(first.get_data(as_text=True))[1]
    assert first.headers["Cache-Control"] == "no-store"

    later = as_co_researcher.get(f"/participants/{participant.id}/receipt?lang=en")
    assert later.status_code == 200
    html = later.get_data(as_text=True)
    assert CARD_LINK.search(html) is None
    assert token not in html
    assert "The card is shown only right after consent." in html
    assert f"/participants/{participant.id}/new-card" in html
    # Refusing to show it again does not stop the card the participant has.
    assert client.get(f"/p/{token}").status_code == 200


def test_a_new_card_stops_the_old_one_and_is_shown_once(
    app, client, as_co_researcher, consent_study
):
    participant = enrol(as_co_researcher, consent_study.id)
    made = as_co_researcher.post(f"/participants/{participant.id}/new-card")
    assert made.status_code == 302
    assert client.get(f"/p/{participant.token}").status_code == 404  # the old card stopped
    card = as_co_researcher.get(made.headers["Location"]).get_data(as_text=True)
    token = CARD_LINK.search(card)[1]
    assert token != participant.token
    assert client.get(f"/p/{token}").status_code == 200
    again = as_co_researcher.get(f"/participants/{participant.id}/receipt")
    assert CARD_LINK.search(again.get_data(as_text=True)) is None


def test_card_pdf_only_for_the_link_just_shown(app, as_co_researcher, consent_study):
    participant = enrol(as_co_researcher, consent_study.id)
    url = f"/participants/{participant.id}/receipt.pdf"
    assert as_co_researcher.get(url).status_code == 405
    assert as_co_researcher.post(url, data={"token": "x" * 43}).status_code == 404
    assert as_co_researcher.post(url).status_code == 404
    pdf = as_co_researcher.post(url, data={"token": participant.token})
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")


def test_no_card_without_consent(app, as_co_researcher, consent_study, make_participant):
    participant = make_participant(consent_study)
    assert as_co_researcher.get(f"/participants/{participant.id}/receipt").status_code == 404
    with app.app_context():
        assert db.session.get(Participant, participant.id).token_hash is None


# ---------------------------------------------------------------- 3. fewer taps


@pytest.mark.parametrize(("interface", "expected"), [("ar", "ar"), ("nl", "nl"), ("tr", "nl")])
def test_language_is_preselected(app, as_co_researcher, consent_study, interface, expected):
    html = as_co_researcher.get(
        f"/studies/{consent_study.id}/participants/new?lang={interface}"
    ).get_data(as_text=True)
    checked = re.findall(r'<input[^>]*name="language"[^>]*>', html)
    chosen = [tag for tag in checked if "checked" in tag]
    assert len(chosen) == 1, checked
    assert f'value="{expected}"' in chosen[0]
    # The age band is asked, not guessed: nothing is preselected.
    ages = re.findall(r'<input[^>]*name="age_band"[^>]*>', html)
    assert ages
    assert not [tag for tag in ages if "checked" in tag]


# ---------------------------------------------------------------- 4. the error summary


@pytest.mark.parametrize("language", ["ar", "pl"])
def test_signature_error_is_named_in_the_participants_language(
    app, as_co_researcher, consent_study, coordinator, language
):
    from fieldapp.accounts.models import User
    from fieldapp.consent import services
    from fieldapp.studies.models import Study
    from tests.consent.fixtures import INFORMATION, LABELS

    with app.app_context():
        study = db.session.get(Study, consent_study.id)
        study.languages = ["nl", "ar", "pl"]
        actor = db.session.get(User, coordinator.id)
        form = services.start_new_version(actor, study)
        services.save_text(actor, form, "pl", INFORMATION["pl"], LABELS["pl"])
        services.publish_form(actor, form)
        db.session.commit()
    page = start_new_participant(as_co_researcher, consent_study.id, language=language)
    response = as_co_researcher.post(
        _consent_url(consent_study.id) + "?lang=en",
        data=consent_post(
            pending=_pending(page),
            method="signature",
            declaration=None,
            signature="data:image/png;base64,!!!notbase64",
        ),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    with app.test_request_context(), force_locale(language):
        from flask_babel import gettext

        label = gettext("Signature")
        message = gettext("The signature could not be read. Please sign again.")
    assert label != "Signature"
    assert f"{label}: {message}" in summary
    assert "Signature" not in summary
