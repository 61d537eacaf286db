"""Fixtures for fieldwork: a published questionnaire with skip logic in Dutch and Arabic."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fieldapp.extensions import db
from fieldapp.instruments.definition import Choice, FormDefinition, Group, Question


def sample_definition() -> FormDefinition:
    return FormDefinition(
        title="Buurtgesprek",
        default_language="nl",
        languages=["nl", "ar"],
        items=[
            Question("intro", "note", {"nl": "Fijn dat je meedoet.", "ar": "شكرا لمشاركتك."}),
            Question(
                "age",
                "integer",
                {"nl": "Hoe oud ben je?", "ar": "كم عمرك؟"},
                required=True,
                constraint=". >= 16 and . <= 110",
                constraint_messages={"nl": "Tussen 16 en 110.", "ar": "بين 16 و 110."},
            ),
            Question(
                "tenure",
                "select_one",
                {"nl": "Huur of koop je?", "ar": "هل تستأجر أم تملك؟"},
                required=True,
                choice_list="tenure",
            ),
            Question(
                "landlord",
                "text",
                {"nl": "Wie is je verhuurder?", "ar": "من هو المالك؟"},
                relevant="${tenure} = 'rent'",
            ),
            Group(
                "meeting",
                {"nl": "Ontmoeten", "ar": "اللقاء"},
                questions=[
                    Question(
                        "places",
                        "select_multiple",
                        {"nl": "Waar ontmoet je buren?", "ar": "أين تلتقي بالجيران؟"},
                        choice_list="places",
                    ),
                    Question(
                        "feeling",
                        "scale",
                        {"nl": "Hoe voel je je hier?", "ar": "كيف تشعر هنا؟"},
                        required=True,
                    ),
                    Question(
                        "story",
                        "long_text",
                        {"nl": "Vertel eens over je buurt.", "ar": "حدثنا عن حيك."},
                    ),
                ],
            ),
            Question("moved_in", "date", {"nl": "Sinds wanneer woon je hier?", "ar": "منذ متى؟"}),
            Question("safe", "yes_no", {"nl": "Voel je je veilig?", "ar": "هل تشعر بالأمان؟"}),
            Question("spot", "location", {"nl": "Je favoriete plek", "ar": "مكانك المفضل"}),
            Question("picture", "photo", {"nl": "Foto van jou bij je plek", "ar": "صورتك"}),
        ],
        choice_lists={
            "tenure": [
                Choice("rent", {"nl": "Ik huur", "ar": "أستأجر"}),
                Choice("own", {"nl": "Ik heb een koophuis", "ar": "أملك"}),
            ],
            "places": [
                Choice("park", {"nl": "Park", "ar": "الحديقة"}),
                Choice("market", {"nl": "Markt", "ar": "السوق"}),
                Choice("school", {"nl": "School", "ar": "المدرسة"}),
            ],
        },
    )


@pytest.fixture
def questionnaire(app, consent_study, coordinator):
    """A published questionnaire in the consent study (nl + ar)."""
    from fieldapp.accounts.models import User
    from fieldapp.instruments import services
    from fieldapp.studies.models import Study

    with app.app_context():
        actor = db.session.get(User, coordinator.id)
        study = db.session.get(Study, consent_study.id)
        instrument = services.create_instrument(
            actor,
            study,
            kind="questionnaire",
            title="Buurtgesprek",
            definition=sample_definition(),
        )
        services.publish_version(actor, instrument.versions[0])
        db.session.commit()
        return SimpleNamespace(id=instrument.id, version_id=instrument.versions[0].id)


@pytest.fixture
def consented_participant(app, as_co_researcher, consent_study, make_participant):
    """A participant who agreed to everything except photos."""
    from tests.consent.fixtures import consent_post

    participant = make_participant(consent_study)
    response = as_co_researcher.post(f"/participants/{participant.id}/consent", data=consent_post())
    assert response.status_code == 302
    return participant


@pytest.fixture
def jpeg_with_secrets() -> bytes:
    """A JPEG with GPS EXIF, a camera name, a comment and orientation 6 (turned)."""
    import io

    from PIL import Image

    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (50.0, 54.0, 44.0), 3: "E", 4: (5.0, 58.0, 44.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"secret comment")
    return buffer.getvalue()
