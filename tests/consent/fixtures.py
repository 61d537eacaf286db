"""Fixtures for consent, loaded for the whole suite by tests/conftest.py: a study in
fieldwork with a published consent form."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fieldapp.extensions import db

LABELS = {
    "nl": {
        "take_part": "Ik doe mee aan dit onderzoek.",
        "audio": "Het gesprek mag worden opgenomen.",
        "quote": "Mijn woorden mogen zonder naam worden geciteerd.",
        "photo": "Er mogen foto's van mij worden gemaakt.",
        "recontact": "Ik wil de uitkomsten ontvangen.",
        "reuse": "Mijn antwoorden mogen zonder naam opnieuw worden gebruikt.",
    },
    "ar": {
        "take_part": "أشارك في هذا البحث.",
        "audio": "يمكن تسجيل المحادثة.",
        "quote": "يمكن اقتباس كلماتي بدون اسمي.",
        "photo": "يمكن التقاط صور لي.",
        "recontact": "أريد أن أحصل على النتائج.",
        "reuse": "يمكن استخدام إجاباتي مرة أخرى بدون اسمي.",
    },
}
INFORMATION = {
    "nl": "We praten met bewoners over de buurt. Meedoen is vrij. U kunt altijd stoppen.",
    "ar": "نتحدث مع السكان عن الحي. المشاركة اختيارية. يمكنك التوقف في أي وقت.",
}


def publish_consent(study_id: int, actor_id: int, languages=("nl", "ar")):
    from fieldapp.accounts.models import User
    from fieldapp.consent import services
    from fieldapp.studies.models import Study

    study = db.session.get(Study, study_id)
    actor = db.session.get(User, actor_id)
    form = services.start_new_version(actor, study)
    for lang in languages:
        services.save_text(actor, form, lang, INFORMATION[lang], LABELS[lang])
    services.publish_form(actor, form)
    db.session.flush()
    return form


@pytest.fixture
def consent_study(app, study, coordinator):
    """The shared `study` (fieldwork, nl + ar) with consent version 1 published."""
    with app.app_context():
        form = publish_consent(study.id, coordinator.id)
        db.session.commit()
        return SimpleNamespace(id=study.id, form_id=form.id)


@pytest.fixture
def make_participant(app, co_researcher):
    def make(study, language="nl", age_band="25_44", by=None):
        from fieldapp.accounts.models import User
        from fieldapp.participants import services
        from fieldapp.studies.models import Study

        with app.app_context():
            participant = services.create_participant(
                db.session.get(User, (by or co_researcher).id),
                db.session.get(Study, study.id),
                language=language,
                age_band=age_band,
            )
            db.session.commit()
            return SimpleNamespace(id=participant.id, code=participant.code, uuid=participant.uuid)

    return make


def consent_post(**overrides):
    data = {
        "item_take_part": "yes",
        "item_audio": "yes",
        "item_quote": "no",
        "item_photo": "no",
        "item_recontact": "no",
        "item_reuse": "yes",
        "method": "spoken",
        "declaration": "y",
        "paper_reference": "",
        "signature": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
