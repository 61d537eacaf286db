"""Taking consent on the phone: items, methods, under-16s, contact details, bad input."""

from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from fieldapp.consent.models import ConsentDecision, ConsentRecord
from fieldapp.extensions import db
from fieldapp.media.models import MediaFile
from fieldapp.participants.models import Participant, ParticipantContact
from tests.consent.fixtures import PENDING_FIELD, consent_post, enrol, start_new_participant

CODE_ON_CARD = re.compile(r"[A-Z0-9]{3}-[A-Z0-9]{4}")


def _png(size=(300, 120)) -> bytes:
    image = Image.new("L", size, 255)
    for x in range(20, 280):
        image.putpixel((x, 60 + (x % 20) - 10), 0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _data_url(raw: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(raw).decode()


def _in_dutch(app, code: str) -> str:
    """The consent page speaks the participant's language (Dutch here), whatever ?lang says."""
    from flask_babel import force_locale

    from fieldapp.consent.views import ERRORS

    with app.test_request_context(), force_locale("nl"):
        return str(ERRORS[code])


def _counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (ConsentRecord, ConsentDecision, MediaFile, ParticipantContact)
    )


def test_new_participant_then_consent_spoken(app, as_co_researcher, consent_study):
    page = start_new_participant(as_co_researcher, consent_study.id, language="ar")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # The page speaks the participant's language: Arabic, right to left, their text.
    assert '<html lang="ar" dir="rtl">' in html
    assert "نتحدث مع السكان عن الحي" in html
    assert "يمكن تسجيل المحادثة." in html
    pending = PENDING_FIELD.search(html)[1]
    done = as_co_researcher.post(
        f"/studies/{consent_study.id}/participants/new/consent",
        data=consent_post(pending=pending),
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/receipt")
    with app.app_context():
        record = db.session.scalar(select(ConsentRecord))
        assert record.language == "ar"
        assert record.method == "spoken"
        assert record.declaration_confirmed
        assert sorted(record.granted_keys()) == ["audio", "reuse", "take_part"]
        assert not record.granted("quote")
        assert record.participant.language == "ar"
        assert record.participant.age_band == "25_44"


def test_receipt_shows_card_with_qr_and_link(app, as_co_researcher, consent_study):
    participant = enrol(as_co_researcher, consent_study.id)
    assert CODE_ON_CARD.fullmatch(participant.code)
    pdf = as_co_researcher.post(
        f"/participants/{participant.id}/receipt.pdf", data={"token": participant.token}
    )
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")


def test_paper_method_needs_a_reference(app, as_co_researcher, consent_study, make_participant):
    participant = make_participant(consent_study)
    url = f"/participants/{participant.id}/consent"
    bad = as_co_researcher.post(url, data=consent_post(method="paper", declaration=None))
    assert bad.status_code == 400
    assert _in_dutch(app, "paper_reference") in bad.get_data(as_text=True)
    ok = as_co_researcher.post(
        url, data=consent_post(method="paper", declaration=None, paper_reference="PF-2026-0042")
    )
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ConsentRecord)).paper_reference == "PF-2026-0042"


def test_spoken_method_needs_the_declaration(
    app, as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    response = as_co_researcher.post(
        f"/participants/{participant.id}/consent", data=consent_post(declaration=None)
    )
    assert response.status_code == 400
    with app.app_context():
        assert _counts() == (0, 0, 0, 0)


def test_signature_is_stored_as_clean_media(app, as_co_researcher, consent_study, make_participant):
    participant = make_participant(consent_study)
    response = as_co_researcher.post(
        f"/participants/{participant.id}/consent",
        data=consent_post(method="signature", declaration=None, signature=_data_url(_png())),
    )
    assert response.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(ConsentRecord))
        assert record.signature is not None
        assert record.signature.kind == "signature"


@pytest.mark.parametrize(
    "signature",
    [
        "",  # nothing signed
        "data:image/png;base64,!!!notbase64",
        "data:text/html;base64," + base64.b64encode(b"<script>alert(1)</script>").decode(),
        _data_url(b"this is not an image at all"),
        _data_url(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        "data:image/png;base64," + "A" * (1024 * 1024),  # oversized
    ],
)
def test_bad_signatures_are_refused_and_nothing_is_written(
    app, as_co_researcher, consent_study, make_participant, signature
):
    participant = make_participant(consent_study)
    response = as_co_researcher.post(
        f"/participants/{participant.id}/consent?lang=en",
        data=consent_post(method="signature", declaration=None, signature=signature),
    )
    assert response.status_code == 400
    assert 'class="error-message"' in response.get_data(as_text=True)
    with app.app_context():
        assert _counts() == (0, 0, 0, 0)


def test_missing_items_are_refused(app, as_co_researcher, consent_study, make_participant):
    participant = make_participant(consent_study)
    response = as_co_researcher.post(
        f"/participants/{participant.id}/consent?lang=en", data=consent_post(item_audio=None)
    )
    assert response.status_code == 400
    assert "Choose yes or no." in response.get_data(as_text=True) or 'class="error-message"' in (
        response.get_data(as_text=True)
    )
    bogus = as_co_researcher.post(
        f"/participants/{participant.id}/consent", data=consent_post(item_audio="maybe")
    )
    assert bogus.status_code == 400
    with app.app_context():
        assert _counts() == (0, 0, 0, 0)


def test_saying_no_to_taking_part_keeps_nothing(
    app, as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    response = as_co_researcher.post(
        f"/participants/{participant.id}/consent", data=consent_post(item_take_part="no")
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Participant, participant.id) is None
        assert _counts() == (0, 0, 0, 0)


def test_under_16_needs_a_guardian(app, as_co_researcher, consent_study, make_participant):
    child = make_participant(consent_study, age_band="under_16")
    url = f"/participants/{child.id}/consent"
    refused = as_co_researcher.post(url, data=consent_post())
    assert refused.status_code == 400
    assert _in_dutch(app, "guardian_missing") in refused.get_data(as_text=True)
    with app.app_context():
        assert _counts() == (0, 0, 0, 0)
    accepted = as_co_researcher.post(
        url,
        data=consent_post(
            guardian_consented="y", guardian_relation="parent", guardian_method="spoken"
        ),
    )
    assert accepted.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(ConsentRecord))
        assert record.guardian_consented
        assert record.guardian_relation == "parent"


def test_contact_details_only_with_recontact(
    app, as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    url = f"/participants/{participant.id}/consent"
    refused = as_co_researcher.post(
        url, data=consent_post(item_recontact="no", contact_email="buur@example.nl")
    )
    assert refused.status_code == 400
    with app.app_context():
        assert _counts() == (0, 0, 0, 0)
    accepted = as_co_researcher.post(
        url, data=consent_post(item_recontact="yes", contact_email="buur@example.nl")
    )
    assert accepted.status_code == 302
    with app.app_context():
        contact = db.session.scalar(select(ParticipantContact))
        assert contact.email == "buur@example.nl"
        # Contact details are kept apart: the participant row holds no contact column.
        assert not {"email", "phone", "name"} & set(Participant.__table__.columns.keys())


def test_consent_twice_to_the_same_version_is_refused(
    app, as_co_researcher, consent_study, make_participant
):
    participant = make_participant(consent_study)
    url = f"/participants/{participant.id}/consent"
    assert as_co_researcher.post(url, data=consent_post()).status_code == 302
    again = as_co_researcher.post(url, data=consent_post())
    assert again.status_code == 302  # to the participant's page; nothing new stored
    with app.app_context():
        assert db.session.scalar(select(func.count(ConsentRecord.id))) == 1


def test_participant_in_unknown_language_is_refused(app, as_co_researcher, consent_study):
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/participants/new",
        data={"language": "tr", "age_band": "25_44"},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_participant_codes_look_right(app, make_participant, consent_study):
    from fieldapp.participants.codes import normalise_code

    participant = make_participant(consent_study)
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{4}", participant.code)
    assert normalise_code(participant.code.lower().replace("-", " ")) == participant.code


def test_no_fieldwork_without_consent(app, as_coordinator, make_study, area, coordinator):
    draft = make_study(area, coordinators=[coordinator], state="draft", languages=["nl", "ar"])
    response = as_coordinator.post(
        f"/studies/{draft.id}/state?lang=en", data={"target": "fieldwork"}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "Publish a consent text in every language of the study first." in html
    from fieldapp.studies.models import Study

    with app.app_context():
        assert db.session.get(Study, draft.id).state == "draft"
        from tests.consent.fixtures import publish_consent

        study = db.session.get(Study, draft.id)
        study.languages = ["nl"]
        publish_consent(draft.id, coordinator.id, languages=("nl",))
        study.languages = ["nl", "ar"]  # Arabic added after publishing: still missing
        db.session.commit()
    as_coordinator.post(f"/studies/{draft.id}/state", data={"target": "fieldwork"})
    with app.app_context():
        assert db.session.get(Study, draft.id).state == "draft"
        db.session.get(Study, draft.id).languages = ["nl"]
        db.session.commit()
    as_coordinator.post(f"/studies/{draft.id}/state", data={"target": "fieldwork"})
    with app.app_context():
        assert db.session.get(Study, draft.id).state == "fieldwork"


def test_receipt_pdf_of_a_study_with_a_very_long_title(app, as_co_researcher, consent_study):
    from fieldapp.studies.models import Study

    with app.app_context():
        db.session.get(Study, consent_study.id).title = ("Wonen, werken en ontmoeten " * 7).strip()
        db.session.commit()
    participant = enrol(as_co_researcher, consent_study.id)
    pdf = as_co_researcher.post(
        f"/participants/{participant.id}/receipt.pdf", data={"token": participant.token}
    )
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")


def test_no_consent_outside_fieldwork(app, as_co_researcher, consent_study, make_participant):
    from fieldapp.studies.models import Study

    participant = make_participant(consent_study)
    with app.app_context():
        db.session.get(Study, consent_study.id).state = "analysis"
        db.session.commit()
    response = as_co_researcher.post(f"/participants/{participant.id}/consent", data=consent_post())
    assert response.status_code == 400
    with app.app_context():
        assert _counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("fault", ["disk full", "unwritable"])
def test_a_signature_the_disk_cannot_take_stores_nothing(
    app, as_co_researcher, consent_study, make_participant, monkeypatch, tmp_path, fault
):
    """The media disk full or gone while a signature is saved: a clear message by the
    signature, and no consent record, decision, contact or file is kept."""
    import errno
    import os
    from pathlib import Path

    from fieldapp.media import services as media

    if fault == "disk full":

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(media.os, "fdopen", full)
    else:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("")
        monkeypatch.setitem(app.config, "MEDIA_ROOT", str(blocker / "media"))
    participant = make_participant(consent_study)
    signature = "data:image/png;base64," + base64.b64encode(_png()).decode()
    response = as_co_researcher.post(
        f"/participants/{participant.id}/consent?lang=en",
        data=consent_post(method="signature", declaration=None, signature=signature),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page_language = re.search(r'<html lang="([a-z]+)"', html)[1]  # the participant's
    from flask_babel import force_locale
    from markupsafe import escape

    from fieldapp.consent.views import MEDIA_ERRORS

    with app.test_request_context(), force_locale(page_language):
        message = str(MEDIA_ERRORS["storage"])
    assert str(escape(message)) in html
    with app.app_context():
        assert _counts() == (0, 0, 0, 0)
    media_root = Path(app.config["MEDIA_ROOT"])
    assert not media_root.is_dir() or not [p for p in media_root.rglob("*") if p.is_file()]
