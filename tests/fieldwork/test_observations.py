"""Observations on the street: themes, note, photos, location with accuracy, corrections."""

from __future__ import annotations

import io
import uuid as uuid_module

import pytest
from PIL import Image
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.fieldwork.models import Observation
from fieldapp.media.models import MediaFile


def _form(**overrides):
    data = {
        "uuid": str(uuid_module.uuid4()),
        "themes": ["facilities"],
        "category": "bankje",
        "note": "Het bankje bij de speeltuin is kapot.",
        "latitude": "50.912345",
        "longitude": "5.978912",
        "accuracy": "8",
        "place_description": "",
    }
    data.update(overrides)
    # The form carries a device-made id per photo slot; the n-th photo goes under the n-th.
    data.setdefault(
        "photo_id", [str(uuid_module.uuid4()) for _ in range(max(5, len(data.get("photos", []))))]
    )
    return data


def _png(size=(50, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_record_an_observation_with_photos(app, as_co_researcher, consent_study, jpeg_with_secrets):
    data = _form()
    photos = [(jpeg_with_secrets, "a.jpg"), (_png(), "b.png")]
    data["photos"] = [(io.BytesIO(content), name) for content, name in photos]
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        observation = db.session.scalar(select(Observation))
        assert observation.uuid == data["uuid"]
        assert observation.themes == ["facilities"]
        assert len(observation.photos) == 2
        # Not a public-space protocol: coarsened to about 100 m.
        assert observation.latitude == 50.912
        assert observation.location_coarsened
    # The same device id with the same content (photos included) again stores nothing new
    # and answers as the first time.
    again = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new",
        data=_form(
            uuid=data["uuid"],
            photo_id=data["photo_id"],
            photos=[(io.BytesIO(content), name) for content, name in photos],
        ),
        content_type="multipart/form-data",
    )
    assert again.headers["Location"] == response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Observation.id))) == 1
        assert db.session.scalar(select(func.count(MediaFile.id))) == 2


def test_public_space_protocol_keeps_exact_location(
    app, as_co_researcher, consent_study, coordinator
):
    from fieldapp.accounts.models import User
    from fieldapp.instruments import services
    from fieldapp.instruments.definition import FormDefinition, Question
    from fieldapp.studies.models import Study

    with app.app_context():
        actor = db.session.get(User, coordinator.id)
        study = db.session.get(Study, consent_study.id)
        definition = FormDefinition(
            languages=["nl", "ar"],
            items=[Question("what", "text", {"nl": "Wat zie je?", "ar": "ماذا ترى؟"})],
        )
        instrument = services.create_instrument(
            actor,
            study,
            kind="observation",
            title="Straatschouw",
            definition=definition,
            public_space=True,
        )
        services.publish_version(actor, instrument.versions[0])
        db.session.commit()
    as_co_researcher.post(f"/studies/{consent_study.id}/observations/new", data=_form())
    with app.app_context():
        observation = db.session.scalar(select(Observation))
        assert observation.latitude == 50.912345
        assert not observation.location_coarsened


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"themes": []}, "themes"),
        ({"themes": ["astrology"]}, "themes"),
        ({"note": ""}, "note"),
        ({"note": "x" * 5001}, "note"),
        ({"category": "x" * 81}, "category"),
        (
            {"latitude": "", "longitude": "", "accuracy": "", "place_description": ""},
            "place_description",
        ),
        ({"accuracy": "250"}, "accuracy_confirmed"),
        ({"latitude": "91"}, "latitude"),
        ({"uuid": "not-a-uuid"}, None),
    ],
)
def test_bad_observations_are_refused_with_a_message(
    app, as_co_researcher, consent_study, overrides, field
):
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new?lang=en", data=_form(**overrides)
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error-message"' in html
    if field:
        assert f'id="{field}-error"' in html or 'id="obs_lat-error"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Observation.id))) == 0
        assert db.session.scalar(select(func.count(MediaFile.id))) == 0


def test_imprecise_location_can_be_confirmed(app, as_co_researcher, consent_study):
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new",
        data=_form(accuracy="250", accuracy_confirmed="y"),
    )
    assert response.status_code == 302


def test_place_description_without_a_fix(app, as_co_researcher, consent_study):
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new",
        data=_form(
            latitude="", longitude="", accuracy="", place_description="Hoek Akerstraat en de markt"
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        observation = db.session.scalar(select(Observation))
        assert observation.latitude is None
        assert observation.place_description == "Hoek Akerstraat en de markt"


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("page.jpg", b"<html><script>alert(1)</script></html>"),
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("empty.jpg", b""),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_written(
    app, as_co_researcher, consent_study, name, payload
):
    from pathlib import Path

    data = _form(photos=[(io.BytesIO(payload), name)])
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new",
        data=data,
        content_type="multipart/form-data",
    )
    if payload:
        assert response.status_code == 400
    with app.app_context():
        if payload:
            assert db.session.scalar(select(func.count(Observation.id))) == 0
        assert db.session.scalar(select(func.count(MediaFile.id))) == 0
    root = Path(app.config["MEDIA_ROOT"])
    assert not root.exists() or [p for p in root.rglob("*") if p.is_file()] == []


def test_png_bomb_is_refused(app, as_co_researcher, consent_study):
    import struct
    import zlib

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 50000, 50000, 8, 2, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100000))
        + chunk(b"IEND", b"")
    )
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new",
        data=_form(photos=[(io.BytesIO(bomb), "bomb.png")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Observation.id))) == 0


def test_at_most_five_photos(app, as_co_researcher, consent_study):
    data = _form(photos=[(io.BytesIO(_png()), f"{n}.png") for n in range(6)])
    response = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(MediaFile.id))) == 0


def test_review_and_correction_of_an_observation(
    app, as_co_researcher, as_coordinator, consent_study, make_user
):
    from tests.conftest import login

    data = _form()
    as_co_researcher.post(f"/studies/{consent_study.id}/observations/new", data=data)
    uid = data["uuid"]
    # Another co-researcher sees nothing.
    from fieldapp.accounts.models import User
    from fieldapp.studies.models import StudyMember

    b = make_user("co_researcher")
    with app.app_context():
        db.session.add(
            StudyMember(
                study_id=consent_study.id, user=db.session.get(User, b.id), role="co_researcher"
            )
        )
        db.session.commit()
    client_b = login(app.test_client(), b)
    assert client_b.get(f"/observations/{uid}").status_code == 404
    assert client_b.get(f"/observations/{uid}/edit").status_code == 404
    # Not editable until the coordinator asks for attention.
    assert as_co_researcher.get(f"/observations/{uid}/edit").status_code == 403
    as_coordinator.post(
        f"/observations/{uid}", data={"decision": "needs_attention", "comment": "Welke speeltuin?"}
    )
    response = as_co_researcher.post(
        f"/observations/{uid}/edit",
        data=_form(uuid=uid, note="Het bankje bij de speeltuin aan de Akerstraat is kapot."),
    )
    assert response.status_code == 302
    with app.app_context():
        observation = db.session.scalar(select(Observation).where(Observation.uuid == uid))
        assert observation.revision == 2
        assert observation.state == "submitted"
        assert len(observation.history) == 2
        assert observation.history[0]["note"] == "Het bankje bij de speeltuin is kapot."


def test_protocol_questions_are_asked_and_checked(
    app, as_co_researcher, consent_study, coordinator
):
    from fieldapp.accounts.models import User
    from fieldapp.instruments import services
    from fieldapp.instruments.definition import FormDefinition, Question
    from fieldapp.studies.models import Study

    with app.app_context():
        actor = db.session.get(User, coordinator.id)
        study = db.session.get(Study, consent_study.id)
        definition = FormDefinition(
            languages=["nl", "ar"],
            items=[
                Question(
                    "state", "scale", {"nl": "In welke staat?", "ar": "ما حالته؟"}, required=True
                ),
                Question("count", "integer", {"nl": "Hoeveel?", "ar": "كم؟"}, constraint=". >= 0"),
            ],
        )
        instrument = services.create_instrument(
            actor, study, kind="observation", title="Schouw", definition=definition
        )
        services.publish_version(actor, instrument.versions[0])
        db.session.commit()
    form_page = as_co_researcher.get(f"/studies/{consent_study.id}/observations/new?lang=nl")
    assert "In welke staat?" in form_page.get_data(as_text=True)
    missing = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new", data=_form(q_count="-3")
    )
    assert missing.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Observation.id))) == 0
    ok = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new", data=_form(q_state="2", q_count="4")
    )
    assert ok.status_code == 302
    with app.app_context():
        observation = db.session.scalar(select(Observation))
        assert observation.answers == {"state": "2", "count": "4"}
        assert observation.version is not None


def test_protocol_answers_are_exported(
    app, as_coordinator, as_co_researcher, consent_study, coordinator
):
    import csv
    import io
    import json

    from fieldapp.accounts.models import User
    from fieldapp.instruments import services
    from fieldapp.instruments.definition import FormDefinition, Question
    from fieldapp.studies.models import Study

    with app.app_context():
        actor = db.session.get(User, coordinator.id)
        study = db.session.get(Study, consent_study.id)
        definition = FormDefinition(
            languages=["nl", "ar"],
            items=[Question("state", "scale", {"nl": "Staat?", "ar": "حالة؟"})],
        )
        instrument = services.create_instrument(
            actor, study, kind="observation", title="Schouw", definition=definition
        )
        services.publish_version(actor, instrument.versions[0])
        db.session.commit()
    as_co_researcher.post(f"/studies/{consent_study.id}/observations/new", data=_form(q_state="3"))
    with as_coordinator.get(f"/studies/{consent_study.id}/exports/observations.csv") as response:
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert json.loads(rows[0]["protocol_answers"]) == {"state": "3"}
    with as_coordinator.get(
        f"/studies/{consent_study.id}/exports/observations.geojson"
    ) as response:
        feature = json.loads(response.get_data(as_text=True))["features"][0]
    assert feature["properties"]["protocol_answers"] == {"state": "3"}
