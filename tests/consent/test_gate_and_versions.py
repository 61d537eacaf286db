"""The gate: nothing about a participant is stored without consent to the current version."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.consent import services
from fieldapp.consent.models import ConsentForm, FormChanged, Item
from fieldapp.extensions import db
from fieldapp.participants.models import Participant
from fieldapp.studies.models import Study
from tests.consent.fixtures import LABELS, consent_post


def _consent(client, participant, **overrides):
    response = client.post(
        f"/participants/{participant.id}/consent", data=consent_post(**overrides)
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


# What later domains store, and the item each depends on. The gate is the same function
# for all of them: an answer or a note needs taking part; audio, quotes and photos of a
# person need their own item.
STORED_DATA = {
    "answer": None,
    "note": None,
    "audio": Item.AUDIO,
    "photo_of_person": Item.PHOTO,
    "quote": Item.QUOTE,
    "contact_details": Item.RECONTACT,
}


@pytest.mark.parametrize("what", list(STORED_DATA))
def test_nothing_without_any_consent(app, consent_study, make_participant, what):
    participant = make_participant(consent_study)
    with app.app_context():
        p = db.session.get(Participant, participant.id)
        with pytest.raises(services.ConsentRequired) as refused:
            services.require_consent(p, STORED_DATA[what])
        assert refused.value.reason == "no_consent"


@pytest.mark.parametrize(
    ("what", "allowed"),
    [
        ("answer", True),
        ("note", True),
        ("audio", True),  # granted in consent_post
        ("photo_of_person", False),
        ("quote", False),
        ("contact_details", False),
    ],
)
def test_items_not_granted_are_enforced(
    app, as_co_researcher, consent_study, make_participant, what, allowed
):
    participant = make_participant(consent_study)
    _consent(as_co_researcher, participant)
    with app.app_context():
        p = db.session.get(Participant, participant.id)
        if allowed:
            assert services.require_consent(p, STORED_DATA[what]).granted(Item.TAKE_PART)
        else:
            with pytest.raises(services.ConsentRequired) as refused:
                services.require_consent(p, STORED_DATA[what])
            assert refused.value.reason == "item_not_granted"


def test_withdrawn_item_closes_the_gate(app, as_co_researcher, consent_study, make_participant):
    participant = make_participant(consent_study)
    _consent(as_co_researcher, participant)
    with app.app_context():
        p = db.session.get(Participant, participant.id)
        services.require_consent(p, Item.AUDIO)
        services.withdraw_item(p, Item.AUDIO)
        db.session.commit()
        with pytest.raises(services.ConsentRequired):
            services.require_consent(db.session.get(Participant, participant.id), Item.AUDIO)


def test_withdrawn_participant_is_refused(app):
    with app.app_context(), pytest.raises(services.ConsentRequired) as refused:
        services.require_consent(None)
    assert refused.value.reason == "withdrawn"


def test_a_new_version_asks_returning_participants_again(
    app, as_co_researcher, consent_study, make_participant, coordinator
):
    participant = make_participant(consent_study)
    _consent(as_co_researcher, participant)
    with app.app_context():
        actor = db.session.get(User, coordinator.id)
        study = db.session.get(Study, consent_study.id)
        draft = services.start_new_version(actor, study)
        assert draft.version == 2
        # The copy carries the texts over; change one and publish.
        services.save_text(actor, draft, "nl", "Nieuwe uitleg, korter.", LABELS["nl"])
        services.publish_form(actor, draft)
        db.session.commit()
        with pytest.raises(services.ConsentRequired) as refused:
            services.require_consent(db.session.get(Participant, participant.id))
        assert refused.value.reason == "outdated"
    # The co-researcher sees it and takes consent again.
    html = as_co_researcher.get(f"/participants/{participant.id}?lang=en").get_data(as_text=True)
    assert "ask again" in html
    _consent(as_co_researcher, participant)
    with app.app_context():
        record = services.require_consent(db.session.get(Participant, participant.id))
        assert record.form.version == 2


def test_published_version_is_frozen(app, consent_study, coordinator):
    with app.app_context():
        form = db.session.get(ConsentForm, consent_study.form_id)
        actor = db.session.get(User, coordinator.id)
        with pytest.raises(FormChanged):
            services.save_text(actor, form, "nl", "Stiekem veranderd.", LABELS["nl"])
        with pytest.raises(FormChanged):
            services.set_items(actor, form, ["audio"], [])
        with pytest.raises(FormChanged):
            services.publish_form(actor, form)


def test_publishing_needs_every_language(app, as_coordinator, make_study, area, coordinator):
    study = make_study(area, coordinators=[coordinator], state="draft", languages=["nl", "uk"])
    as_coordinator.post(f"/studies/{study.id}/consent/new")
    with app.app_context():
        form = db.session.scalar(select(ConsentForm).where(ConsentForm.study_id == study.id))
        form_id = form.id
    as_coordinator.post(
        f"/studies/{study.id}/consent/{form_id}/text/nl",
        data={"information": "Uitleg.", **{f"label_{k}": v for k, v in LABELS["nl"].items()}},
    )
    response = as_coordinator.post(
        f"/studies/{study.id}/consent/{form_id}/publish?lang=en", follow_redirects=True
    )
    assert "Every language needs an information text" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ConsentForm, form_id).state == "draft"


def test_coordinator_edits_items_and_custom_items(
    app, as_coordinator, make_study, area, coordinator
):
    study = make_study(area, coordinators=[coordinator], state="draft", languages=["nl"])
    as_coordinator.post(f"/studies/{study.id}/consent/new")
    with app.app_context():
        form_id = db.session.scalar(select(ConsentForm.id).where(ConsentForm.study_id == study.id))
    response = as_coordinator.post(
        f"/studies/{study.id}/consent/{form_id}/items",
        data={"standard": ["audio", "quote"], "custom": "Delen met de woningcorporatie\n"},
    )
    assert response.status_code == 302
    with app.app_context():
        keys = db.session.get(ConsentForm, form_id).item_keys()
        assert keys == ["take_part", "audio", "quote", "custom:delen-met-de-woningcorporatie"]
    page = as_coordinator.get(f"/studies/{study.id}/consent/{form_id}/text/nl")
    assert "Delen met de woningcorporatie" in page.get_data(as_text=True)
    bad = as_coordinator.post(
        f"/studies/{study.id}/consent/{form_id}/items", data={"standard": ["astrology"]}
    )
    assert bad.status_code == 400


def test_text_page_shows_readability_and_warns(app, as_coordinator, make_study, area, coordinator):
    study = make_study(area, coordinators=[coordinator], state="draft", languages=["nl"])
    as_coordinator.post(f"/studies/{study.id}/consent/new")
    with app.app_context():
        form_id = db.session.scalar(select(ConsentForm.id).where(ConsentForm.study_id == study.id))
    hard = (
        "De gemeentelijke beleidsvoornemens inzake de herstructurering van de "
        "wijkvoorzieningen worden in nauwe samenwerking met de betrokken maatschappelijke "
        "organisaties geëvalueerd."
    )
    response = as_coordinator.post(
        f"/studies/{study.id}/consent/{form_id}/text/nl?lang=en",
        data={"information": hard, **{f"label_{k}": v for k, v in LABELS["nl"].items()}},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "harder than B1" in html
