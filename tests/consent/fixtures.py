"""Fixtures for consent, loaded for the whole suite by tests/conftest.py: a study in
fieldwork with a published consent form."""

from __future__ import annotations

import re
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
    "pl": {
        "take_part": "Biorę udział w tym badaniu.",
        "audio": "Rozmowa może być nagrywana.",
        "quote": "Moje słowa mogą być cytowane bez mojego nazwiska.",
        "photo": "Można robić mi zdjęcia.",
        "recontact": "Chcę otrzymać wyniki.",
        "reuse": "Moje odpowiedzi mogą być ponownie użyte bez mojego nazwiska.",
    },
}
INFORMATION = {
    "nl": "We praten met bewoners over de buurt. Meedoen is vrij. U kunt altijd stoppen.",
    "ar": "نتحدث مع السكان عن الحي. المشاركة اختيارية. يمكنك التوقف في أي وقت.",
    "pl": "Rozmawiamy z mieszkańcami o okolicy. Udział jest dobrowolny. Zawsze możesz przestać.",
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
    """A participant row without consent yet, to take consent through /participants/<id>/consent.

    fieldapp itself stores a participant only together with their consent (a new one goes
    through /studies/<id>/consent/new; see `enrol`); a row like this is what an older
    version left behind, or a participant asked again for a new version.
    """

    def make(study, language="nl", age_band="25_44", by=None):
        from fieldapp.accounts.models import User
        from fieldapp.participants import services
        from fieldapp.studies.models import Study

        with app.app_context():
            actor = db.session.get(User, (by or co_researcher).id)
            study_row = db.session.get(Study, study.id)
            pending = services.check_new_participant(
                actor, study_row, language=language, age_band=age_band
            )
            participant = services.add_participant(actor, study_row, pending)
            db.session.commit()
            return SimpleNamespace(id=participant.id, code=participant.code, uuid=participant.uuid)

    return make


PENDING_FIELD = re.compile(r'name="pending" value="([^"]+)"')
CARD_LINK = re.compile(r"/p/([A-Za-z0-9_\-]{40,})")


def start_new_participant(client, study_id: int, **choices):
    """The first screen for a new participant; returns the response (the consent page)."""
    data = {"language": "nl", "age_band": "25_44"}
    data.update(choices)
    return client.post(f"/studies/{study_id}/participants/new", data=data)


def enrol(client, study_id: int, *, choices=None, **consent):
    """A new participant through the co-researcher's screens: choices, consent, card.

    Returns the participant's id, code and the link token shown (once) on the card.
    """
    page = start_new_participant(client, study_id, **(choices or {}))
    assert page.status_code == 200, page.status_code
    pending = PENDING_FIELD.search(page.get_data(as_text=True))[1]
    done = client.post(
        f"/studies/{study_id}/participants/new/consent",
        data=consent_post(pending=pending, **consent),
    )
    assert done.status_code == 302, done.status_code
    pid = int(re.search(r"/participants/(\d+)/receipt$", done.headers["Location"])[1])
    card = client.get(f"/participants/{pid}/receipt").get_data(as_text=True)
    code = re.search(r'class="code big-code">([^<]+)<', card)[1]
    return SimpleNamespace(id=pid, code=code, token=CARD_LINK.search(card)[1])


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
