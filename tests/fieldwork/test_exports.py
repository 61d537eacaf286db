"""Research exports: responses, codebook and observations; access, audit, CLI and memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tracemalloc
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from fieldapp.extensions import db
from fieldapp.fieldwork import exports
from tests.conftest import login

DEFINITION = {
    "title": "Buurtgesprek",
    "default_language": "nl",
    "languages": ["nl", "ar"],
    "items": [
        {
            "kind": "question",
            "name": "remark",
            "type": "text",
            "labels": {"nl": "Opmerking", "ar": "ملاحظة"},
        },
        {
            "kind": "question",
            "name": "age_years",
            "type": "integer",
            "required": True,
            "labels": {"nl": "Leeftijd", "ar": "العمر"},
            "constraint": ". >= 0",
        },
        {
            "kind": "question",
            "name": "hours",
            "type": "decimal",
            "labels": {"nl": "Uren", "ar": "ساعات"},
        },
        {
            "kind": "question",
            "name": "tenure",
            "type": "select_one",
            "choice_list": "tenure",
            "labels": {"nl": "Woonvorm", "ar": "السكن"},
        },
        {
            "kind": "group",
            "name": "street",
            "labels": {"nl": "Straat", "ar": "الشارع"},
            "relevant": "${tenure} = 'rent'",
            "questions": [
                {
                    "kind": "question",
                    "name": "problems",
                    "type": "select_multiple",
                    "choice_list": "problems",
                    "labels": {"nl": "Problemen", "ar": "مشاكل"},
                },
                {
                    "kind": "question",
                    "name": "safety",
                    "type": "scale",
                    "labels": {"nl": "Veiligheid", "ar": "الأمان"},
                },
            ],
        },
        {
            "kind": "question",
            "name": "move",
            "type": "yes_no",
            "labels": {"nl": "Verhuizen?", "ar": "الانتقال؟"},
        },
        {
            "kind": "question",
            "name": "since",
            "type": "date",
            "labels": {"nl": "Sinds", "ar": "منذ"},
        },
        {
            "kind": "question",
            "name": "home",
            "type": "location",
            "labels": {"nl": "Plek", "ar": "المكان"},
        },
        {
            "kind": "question",
            "name": "front",
            "type": "photo",
            "labels": {"nl": "Foto", "ar": "صورة"},
        },
        {
            "kind": "question",
            "name": "thanks",
            "type": "note",
            "labels": {"nl": "Bedankt", "ar": "شكرا"},
        },
    ],
    "choice_lists": {
        "tenure": [
            {"name": "own", "labels": {"nl": "Koop", "ar": "ملك"}},
            {"name": "rent", "labels": {"nl": "Huur", "ar": "إيجار"}},
        ],
        "problems": [
            {"name": "litter", "labels": {"nl": "Zwerfafval", "ar": "القمامة"}},
            {"name": "noise", "labels": {"nl": "Lawaai", "ar": "الضوضاء"}},
            {"name": "traffic", "labels": {"nl": "Verkeer", "ar": ""}},
        ],
    },
}
PHOTO_UUID = "6f1c2d3e-4b5a-4c6d-8e7f-901234567890"
META = list(exports.RESPONSE_COLUMNS)
QUESTION_COLUMNS = [
    "remark",
    "age_years",
    "hours",
    "tenure",
    "problems",
    "safety",
    "move",
    "since",
    "home_lat",
    "home_lon",
    "home_accuracy",
    "front",
]


def _utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def _media(created_by_id=None, uuid=None):
    from fieldapp.media.models import MediaFile

    item = MediaFile(
        kind="photo",
        storage_name=f"ab/{(uuid or PHOTO_UUID).replace('-', '')}.jpg",
        content_type="image/jpeg",
        width=10,
        height=10,
        size_bytes=100,
        sha256="0" * 64,
        created_by_id=created_by_id,
    )
    if uuid:
        item.uuid = uuid
    db.session.add(item)
    db.session.flush()
    return item


def _version(study_id, number=1, content=None):
    from fieldapp.instruments.models import Instrument, InstrumentVersion

    instrument = Instrument(study_id=study_id, kind="questionnaire", title="Buurtgesprek")
    version = InstrumentVersion(
        number=number,
        state="published",
        published_at=_utc(2027, 1, 1),
        content=content or DEFINITION,
    )
    instrument.versions.append(version)
    db.session.add(instrument)
    db.session.flush()
    return version


def _participant(study_id, code):
    from fieldapp.participants.models import Participant

    participant = Participant(code=code, study_id=study_id, language="nl", age_band="25_44")
    db.session.add(participant)
    db.session.flush()
    return participant


def _interview(version, participant, co_researcher_id, state, answers, *, language="nl", n=1):
    from fieldapp.fieldwork.models import Answer, Interview

    interview = Interview(
        study_id=participant.study_id,
        participant_id=participant.id,
        co_researcher_id=co_researcher_id,
        version_id=version.id,
        language=language,
        state=state,
        started_at=_utc(2027, 3, n, 10),
        revision=1 if state != "draft" else 0,
        submitted_at=_utc(2027, 3, n, 11) if state != "draft" else None,
    )
    for name, value in answers.items():
        media_id = None
        if name == "front":
            media_id = _media(co_researcher_id, uuid=value).id
        interview.answers.append(Answer(question_name=name, value=value, media_id=media_id))
    db.session.add(interview)
    db.session.flush()
    return interview


@pytest.fixture
def data(app, study, co_researcher):
    """A published version with three exported interviews, a draft, and observations."""
    from fieldapp.fieldwork.models import Observation, ObservationPhoto

    with app.app_context():
        version = _version(study.id)
        first = _interview(
            version,
            _participant(study.id, "AAA-111"),
            co_researcher.id,
            "submitted",
            {
                "remark": '=HYPERLINK("x")',
                "age_years": "34",
                "hours": "-3.5",
                "tenure": "rent",
                "problems": ["litter", "traffic"],
                "safety": "4",
                "move": "yes",
                "since": "2020-05-01",
                "home": {"lat": 50.888, "lon": 5.979, "accuracy": 12.0},
                "front": PHOTO_UUID,
            },
            n=1,
        )
        second = _interview(
            version,
            _participant(study.id, "BBB-222"),
            co_researcher.id,
            "approved",
            {"remark": "+31 6 12345678", "age_years": "-3", "tenure": "own", "move": "no"},
            language="ar",
            n=2,
        )
        third = _interview(
            version,
            _participant(study.id, "CCC-333"),
            None,
            "needs_attention",
            {"remark": "@SUM(A1:A2)", "hours": "12"},
            n=3,
        )
        draft = _interview(
            version,
            _participant(study.id, "DDD-444"),
            co_researcher.id,
            "draft",
            {"remark": "not finished"},
            n=4,
        )
        with_photo = Observation(
            study_id=study.id,
            co_researcher_id=co_researcher.id,
            themes=["safety", "green"],
            category="Speelplek",
            note="=cmd|' /C calc'!A0",
            latitude=50.889,
            longitude=5.98,
            accuracy_m=8.0,
            location_coarsened=True,
            place_description="Bij de school",
            observed_at=_utc(2027, 3, 5, 9),
            state="approved",
        )
        with_photo.photos.append(
            ObservationPhoto(media_id=_media(uuid="11111111-2222-4333-8444-555555555555").id)
        )
        without_fix = Observation(
            study_id=study.id,
            co_researcher_id=co_researcher.id,
            themes=[],
            category="Geluid",
            note="Avond",
            observed_at=_utc(2027, 3, 6, 21),
            state="submitted",
        )
        hidden = Observation(
            study_id=study.id,
            co_researcher_id=co_researcher.id,
            note="draft",
            state="draft",
        )
        db.session.add_all([with_photo, without_fix, hidden])
        db.session.commit()
        return SimpleNamespace(
            study_id=study.id,
            slug=study.slug,
            version_id=version.id,
            interviews=[first.uuid, second.uuid, third.uuid],
            draft=draft.uuid,
            observations=[with_photo.uuid, without_fix.uuid],
            hidden=hidden.uuid,
        )


def _word(app, lazy, language):
    """The app's own translation of a built-in choice word (catalogs are kept elsewhere)."""
    from flask_babel import force_locale

    with app.app_context(), force_locale(language):
        return str(lazy)


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


def _by_column(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def _responses(app, data, **options):
    from fieldapp.instruments.models import InstrumentVersion

    with app.app_context():
        version = db.session.get(InstrumentVersion, data.version_id)
        return "".join(exports.responses_csv(version, **options))


# ---------------------------------------------------------------- responses


def test_columns_and_codes(app, data):
    rows = _rows(_responses(app, data))
    assert rows[0] == META + QUESTION_COLUMNS
    found = _by_column(rows)
    assert [r["interview_id"] for r in found] == data.interviews  # the draft is left out
    first, second, third = found
    assert first["participant_code"] == "AAA-111"
    assert first["co_researcher"] == "samira1"
    assert third["co_researcher"] == ""
    assert (first["language"], second["language"]) == ("nl", "ar")
    assert [r["state"] for r in found] == ["submitted", "approved", "needs_attention"]
    assert first["started_at"] == "2027-03-01T10:00:00+00:00"
    assert first["submitted_at"] == "2027-03-01T11:00:00+00:00"
    assert first["revision"] == "1"
    assert first["age_years"] == "34"
    assert first["hours"] == "-3.5"  # a numeric answer: a number, not neutralised
    assert second["age_years"] == "-3"
    assert first["tenure"] == "rent"
    assert first["problems"] == "litter traffic"  # XLSForm style
    assert first["safety"] == "4"
    assert (first["move"], second["move"]) == ("yes", "no")
    assert first["since"] == "2020-05-01"
    assert (first["home_lat"], first["home_lon"], first["home_accuracy"]) == (
        "50.888",
        "5.979",
        "12.0",
    )
    assert second["home_lat"] == second["problems"] == second["front"] == ""
    assert first["front"] == f"/media/{PHOTO_UUID}"
    assert "thanks" not in rows[0]


def test_labels_in_each_language_with_fallback(app, data):
    dutch = _by_column(_rows(_responses(app, data, values="labels", language="nl")))
    assert dutch[0]["tenure"] == "Huur"
    assert dutch[0]["problems"] == "Zwerfafval; Verkeer"
    assert (dutch[0]["move"], dutch[1]["move"]) == ("Ja", "Nee")
    assert dutch[0]["safety"] == _word(app, exports.SCALE_LABELS[3], "nl")
    arabic = _by_column(_rows(_responses(app, data, values="labels", language="ar")))
    assert arabic[0]["tenure"] == "إيجار"
    # "traffic" has no Arabic label: the Dutch one stands in.
    assert arabic[0]["problems"] == "القمامة; Verkeer"
    assert arabic[0]["move"] not in ("yes", "Ja", "")
    # Codes stay the column names; free answers are unchanged.
    assert _rows(_responses(app, data, values="labels", language="ar"))[0] == (
        META + QUESTION_COLUMNS
    )
    assert arabic[0]["age_years"] == "34"
    with pytest.raises(exports.ExportError):
        _responses(app, data, values="labels", language="tr")
    with pytest.raises(exports.ExportError):
        _responses(app, data, values="names")


def test_formulas_are_neutralised_and_numbers_are_not(app, data):
    found = _by_column(_rows(_responses(app, data)))
    assert [r["remark"] for r in found] == [
        '\'=HYPERLINK("x")',
        "'+31 6 12345678",
        "'@SUM(A1:A2)",
    ]
    assert found[1]["age_years"] == "-3"
    assert exports.neutralise("-2+3+cmd|' /C calc'!A0").startswith("'")
    assert exports.neutralise("\tx") == "'\tx"
    assert exports.neutralise("\rx") == "'\rx"
    assert exports.neutralise("K7Q-3MX") == "K7Q-3MX"
    assert exports.neutralise("") == ""


def test_only_numeric_answers_of_number_questions_are_numbers(app):
    from fieldapp.instruments.models import InstrumentVersion

    table = exports.ResponseTable(InstrumentVersion(content=DEFINITION))
    question = table.definition.question

    def cell(name, value):
        (only,) = table.cells(question(name), value, None)
        return only

    assert cell("age_years", "-3") == -3
    assert cell("hours", "-0.25") == Decimal("-0.25")
    assert cell("age_years", "-3+cmd") == "-3+cmd"  # not a number: text, neutralised on output
    assert exports._csv_cell(cell("age_years", "-3+cmd")) == "'-3+cmd"
    assert cell("hours", "1e999") == "1e999"
    assert cell("hours", "NaN") == "NaN"
    assert cell("remark", "-3") == "-3"
    assert exports._csv_cell(cell("remark", "-3")) == "'-3"  # text stays text
    assert exports._xlsx_cell(cell("remark", "=1+1")) == "'=1+1"
    assert exports._xlsx_cell("bell\x07") == "bell"
    assert cell("safety", "5") == 5
    assert cell("since", "not a date") == "not a date"
    assert table.cells(question("home"), {"lat": "x", "lon": None}, None) == [None, None, None]


def test_photo_links_absolute_with_a_base_url(app, data):
    found = _by_column(_rows(_responses(app, data, base_url="https://veld.example/")))
    assert found[0]["front"] == f"https://veld.example/media/{PHOTO_UUID}"


def test_csv_is_streamed_in_batches(app, data):
    from fieldapp.instruments.models import InstrumentVersion

    with app.app_context():
        version = db.session.get(InstrumentVersion, data.version_id)
        chunks = list(exports.responses_csv(version, batch_size=1))
    assert len(chunks) == 4  # the header with the first row, then one row a chunk
    assert _by_column(_rows("".join(chunks)))[2]["interview_id"] == data.interviews[2]


def test_xlsx_numbers_are_numbers_and_text_is_neutralised(app, data):
    from fieldapp.instruments.models import InstrumentVersion

    with app.app_context():
        version = db.session.get(InstrumentVersion, data.version_id)
        content = b"".join(exports.responses_xlsx(version))
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["responses", "codebook"]
    rows = list(workbook["responses"].iter_rows(values_only=True))
    assert list(rows[0]) == META + QUESTION_COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    second = dict(zip(rows[0], rows[2], strict=True))
    assert first["age_years"] == 34
    assert isinstance(first["age_years"], int)
    assert second["age_years"] == -3
    assert first["hours"] == -3.5
    assert first["safety"] == 4
    assert first["revision"] == 1
    assert (first["home_lat"], first["home_lon"], first["home_accuracy"]) == (50.888, 5.979, 12)
    assert first["since"] == dt.datetime(2020, 5, 1)
    assert first["remark"] == '\'=HYPERLINK("x")'
    assert second["remark"] == "'+31 6 12345678"
    assert first["problems"] == "litter traffic"
    assert first["front"] == f"/media/{PHOTO_UUID}"
    assert second["home_lat"] is None
    # No cell became a formula.
    formulas = [
        cell for row in workbook["responses"].iter_rows() for cell in row if cell.data_type == "f"
    ]
    assert formulas == []
    codebook = list(workbook["codebook"].iter_rows(values_only=True))
    assert codebook[0][0] == "name"
    assert any(row[0] == "problems" and row[9] == "litter" for row in codebook)


def test_xlsx_labels(app, data):
    from fieldapp.instruments.models import InstrumentVersion

    with app.app_context():
        version = db.session.get(InstrumentVersion, data.version_id)
        content = b"".join(exports.responses_xlsx(version, values="labels", language="nl"))
    rows = list(load_workbook(io.BytesIO(content))["responses"].iter_rows(values_only=True))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["tenure"], first["safety"]) == ("Huur", _word(app, exports.SCALE_LABELS[3], "nl"))


def test_codebook_rows_with_labels_in_every_language(app, data):
    from fieldapp.instruments.models import InstrumentVersion

    with app.app_context():
        version = db.session.get(InstrumentVersion, data.version_id)
        rows = _rows("".join(exports.codebook_csv(version)))
    assert rows[0] == [
        "name",
        "type",
        "required",
        "relevant",
        "constraint",
        "group",
        "label::nl",
        "label::ar",
        "choice_list",
        "choice_name",
        "choice_label::nl",
        "choice_label::ar",
    ]
    found = _by_column(rows)
    questions = [r for r in found if not r["choice_name"]]
    assert [r["name"] for r in questions] == [
        "remark",
        "age_years",
        "hours",
        "tenure",
        "problems",
        "safety",
        "move",
        "since",
        "home",
        "front",
        "thanks",
    ]
    age = questions[1]
    assert (age["type"], age["required"], age["constraint"]) == ("integer", "yes", ". >= 0")
    assert (age["label::nl"], age["label::ar"]) == ("Leeftijd", "العمر")
    problems = questions[4]
    assert (problems["group"], problems["choice_list"]) == ("street", "problems")
    choices = [r for r in found if r["name"] == "problems" and r["choice_name"]]
    assert [(c["choice_name"], c["choice_label::nl"], c["choice_label::ar"]) for c in choices] == [
        ("litter", "Zwerfafval", "القمامة"),
        ("noise", "Lawaai", "الضوضاء"),
        ("traffic", "Verkeer", ""),  # the codebook shows what is missing
    ]
    move = [
        (c["choice_name"], c["choice_label::nl"])
        for c in found
        if c["name"] == "move" and c["choice_name"]
    ]
    assert move == [("yes", "Ja"), ("no", "Nee")]
    safety = [c for c in found if c["name"] == "safety" and c["choice_name"]]
    assert [c["choice_name"] for c in safety] == ["1", "2", "3", "4", "5"]
    assert all(c["choice_label::nl"] and c["choice_label::ar"] for c in safety)


# ---------------------------------------------------------------- observations


def test_observations_csv(app, data):
    from fieldapp.studies.models import Study

    with app.app_context():
        text = "".join(exports.observations_csv(db.session.get(Study, data.study_id)))
    rows = _rows(text)
    assert rows[0] == list(exports.OBSERVATION_COLUMNS)
    found = _by_column(rows)
    assert [r["uuid"] for r in found] == data.observations  # not the draft
    first, second = found
    assert first["themes"] == "safety green"
    assert first["note"].startswith("'=")
    assert (first["latitude"], first["longitude"], first["accuracy_m"]) == ("50.889", "5.98", "8.0")
    assert first["location_coarsened"] == "true"
    assert first["photos"] == "/media/11111111-2222-4333-8444-555555555555"
    assert first["observed_at"] == "2027-03-05T09:00:00+00:00"
    assert (second["latitude"], second["photos"], second["themes"]) == ("", "", "")


def test_observations_geojson(app, data):
    from fieldapp.studies.models import Study

    with app.app_context():
        study = db.session.get(Study, data.study_id)
        collection = json.loads("".join(exports.observations_geojson(study, batch_size=1)))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 2
    with_fix, without = collection["features"]
    assert with_fix["geometry"] == {"type": "Point", "coordinates": [5.98, 50.889]}
    assert with_fix["properties"]["themes"] == ["safety", "green"]
    assert with_fix["properties"]["note"] == "=cmd|' /C calc'!A0"  # not a spreadsheet
    assert with_fix["properties"]["location_coarsened"] is True
    assert without["geometry"] is None
    assert without["id"] == data.observations[1]


def test_empty_geojson_is_valid(app, study):
    from fieldapp.studies.models import Study

    with app.app_context():
        text = "".join(exports.observations_geojson(db.session.get(Study, study.id)))
    assert json.loads(text) == {"type": "FeatureCollection", "features": []}


# ---------------------------------------------------------------- pages and access


def _audit(app, action):
    from fieldapp.audit.models import AuditEntry

    with app.app_context():
        return [
            (e.actor_id, e.study_id, e.details)
            for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        ]


def _urls(data):
    base = f"/studies/{data.study_id}/exports"
    return [
        f"{base}/responses/{data.version_id}.csv",
        f"{base}/responses/{data.version_id}.csv?values=labels&language=ar",
        f"{base}/responses/{data.version_id}.xlsx",
        f"{base}/codebook/{data.version_id}.csv",
        f"{base}/observations.csv",
        f"{base}/observations.geojson",
    ]


def test_index_lists_the_downloads(data, as_coordinator):
    response = as_coordinator.get(f"/studies/{data.study_id}/exports?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Buurtgesprek" in html
    for url in _urls(data):
        assert url.replace("&", "&amp;") in html
    assert "values=labels&amp;language=nl" in html


def test_downloads_for_the_coordinator(app, data, coordinator, as_coordinator):
    for url in _urls(data):
        response = as_coordinator.get(url)
        assert response.status_code == 200, url
        assert response.is_streamed, url
        assert response.headers["Content-Disposition"].startswith("attachment; filename="), url
        assert response.headers["Cache-Control"] == "no-store"
        assert response.get_data()
    csv_response = as_coordinator.get(_urls(data)[0])
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    found = _by_column(_rows(csv_response.get_data(as_text=True)))
    assert [r["interview_id"] for r in found] == data.interviews
    assert found[0]["front"] == f"http://localhost/media/{PHOTO_UUID}"
    labels = _by_column(_rows(as_coordinator.get(_urls(data)[1]).get_data(as_text=True)))
    assert labels[0]["tenure"] == "إيجار"
    workbook = load_workbook(io.BytesIO(as_coordinator.get(_urls(data)[2]).get_data()))
    assert workbook.sheetnames == ["responses", "codebook"]
    geojson = json.loads(as_coordinator.get(_urls(data)[5]).get_data(as_text=True))
    assert len(geojson["features"]) == 2

    entries = _audit(app, "export_responses")
    assert (coordinator.id, data.study_id) == entries[0][:2]
    assert entries[0][2] == {
        "instrument": entries[0][2]["instrument"],
        "version": 1,
        "format": "csv",
        "values": "codes",
        "language": None,
    }
    assert (entries[1][2]["values"], entries[1][2]["language"]) == ("labels", "ar")
    assert any(e[2]["format"] == "xlsx" for e in entries)
    assert _audit(app, "export_codebook")[0][2]["format"] == "csv"
    assert {e[2]["format"] for e in _audit(app, "export_observations")} == {"csv", "geojson"}


def test_the_label_language_does_not_change_the_interface_language(data, as_coordinator):
    as_coordinator.get(_urls(data)[1])
    html = as_coordinator.get(f"/studies/{data.study_id}/exports").get_data(as_text=True)
    assert 'lang="ar"' not in html.split(">", 2)[1]


def test_bad_options_and_other_versions(app, data, make_study, area, coordinator, as_coordinator):
    base = f"/studies/{data.study_id}/exports"
    assert as_coordinator.get(f"{base}/responses/{data.version_id}.csv?values=x").status_code == 400
    # A language with codes is ignored (and never reaches the audit log as free text).
    ignored = as_coordinator.get(f"{base}/responses/{data.version_id}.csv?language=Hi%20there")
    assert ignored.status_code == 200
    ignored.close()
    assert (
        as_coordinator.get(
            f"{base}/responses/{data.version_id}.csv?values=labels&language=tr"
        ).status_code
        == 400
    )
    other = make_study(area, coordinators=[coordinator], state="fieldwork")
    with app.app_context():
        other_version = _version(other.id).id
        db.session.commit()
    for path in ("responses/{}.csv", "responses/{}.xlsx", "codebook/{}.csv"):
        assert as_coordinator.get(f"{base}/{path.format(other_version)}").status_code == 404
        assert as_coordinator.get(f"{base}/{path.format(999_999)}").status_code == 404
    assert [e[2]["language"] for e in _audit(app, "export_responses")] == [None]


def test_co_researcher_gets_403(data, as_co_researcher):
    assert as_co_researcher.get(f"/studies/{data.study_id}/exports").status_code == 403
    for url in _urls(data):
        assert as_co_researcher.get(url).status_code == 403, url


def test_coordinator_of_another_study_gets_404(app, data, make_user, make_area, make_study):
    stranger = make_user("coordinator", username="coord9")
    make_study(make_area(coordinators=[stranger]), coordinators=[stranger])
    client = login(app.test_client(), stranger)
    assert client.get(f"/studies/{data.study_id}/exports").status_code == 404
    for url in _urls(data):
        assert client.get(url).status_code == 404, url
    assert _audit(app, "export_responses") == []


def test_anonymous_visitors_go_to_the_login_page(data, client):
    for url in [f"/studies/{data.study_id}/exports", *_urls(data)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"], url


def test_downloads_need_a_recent_login(app, data, as_coordinator):
    from fieldapp.accounts.models import UserSession

    with app.app_context():
        for s in db.session.scalars(select(UserSession)):
            s.authenticated_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
        db.session.commit()
    assert as_coordinator.get(f"/studies/{data.study_id}/exports").status_code == 200
    for url in _urls(data):
        response = as_coordinator.get(url)
        assert response.status_code == 302, url
        assert "/reauthenticate" in response.headers["Location"], url
    assert _audit(app, "export_responses") == []
    assert _audit(app, "export_observations") == []


# ---------------------------------------------------------------- command line


def test_cli_responses_csv(app, data, runner):
    result = runner.invoke(args=["export", "responses", "--study", data.slug, "--format", "csv"])
    assert result.exit_code == 0, result.output
    found = _by_column(_rows(result.stdout))
    assert [r["interview_id"] for r in found] == data.interviews
    assert found[0]["remark"] == '\'=HYPERLINK("x")'
    entries = _audit(app, "export_responses")
    assert entries[0][0] is None
    assert entries[0][2]["via"] == "cli"


def test_cli_labels_xlsx_and_observations(app, data, runner, tmp_path):
    result = runner.invoke(
        args=[
            "export",
            "responses",
            "--study",
            data.slug,
            "--version",
            str(data.version_id),
            "--values",
            "labels",
            "--lang",
            "ar",
        ]
    )
    assert result.exit_code == 0, result.output
    assert _by_column(_rows(result.stdout))[0]["tenure"] == "إيجار"

    refused = runner.invoke(args=["export", "responses", "--study", data.slug, "--format", "xlsx"])
    assert refused.exit_code != 0
    target = tmp_path / "answers.xlsx"
    result = runner.invoke(
        args=[
            "export",
            "responses",
            "--study",
            data.slug,
            "--format",
            "xlsx",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(target).sheetnames == ["responses", "codebook"]

    result = runner.invoke(
        args=["export", "observations", "--study", data.slug, "--format", "geojson"]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["features"]) == 2
    target = tmp_path / "observations.csv"
    result = runner.invoke(
        args=[
            "export",
            "observations",
            "--study",
            data.slug,
            "--format",
            "csv",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert len(_rows(target.read_text(encoding="utf-8"))) == 3

    unknown = runner.invoke(args=["export", "responses", "--study", "no-such-study"])
    assert unknown.exit_code != 0
    assert "no study" in unknown.output


# ---------------------------------------------------------------- memory


@pytest.fixture
def many_answers(app, study, co_researcher):
    """2,000 submitted interviews with 10 answers each: 20,000 answers."""
    from fieldapp.fieldwork.models import Answer, Interview
    from fieldapp.participants.models import Participant

    count = 2_000
    with app.app_context():
        version = _version(study.id)
        db.session.execute(
            insert(Participant),
            [
                {
                    "code": f"M{n:05d}",
                    "study_id": study.id,
                    "language": "nl",
                    "age_band": "25_44",
                    "uuid": f"00000000-0000-4000-8000-{n:012d}",
                }
                for n in range(count)
            ],
        )
        participants = db.session.scalars(
            select(Participant.id).where(Participant.code.like("M%")).order_by(Participant.id)
        ).all()
        db.session.execute(
            insert(Interview),
            [
                {
                    "uuid": f"10000000-0000-4000-8000-{n:012d}",
                    "study_id": study.id,
                    "participant_id": pid,
                    "co_researcher_id": co_researcher.id,
                    "version_id": version.id,
                    "language": "nl",
                    "state": "submitted",
                    "started_at": _utc(2027, 3, 1),
                    "submitted_at": _utc(2027, 3, 1),
                    "revision": 1,
                }
                for n, pid in enumerate(participants)
            ],
        )
        interview_ids = db.session.scalars(
            select(Interview.id).where(Interview.version_id == version.id)
        ).all()
        answers = {
            "remark": "Het is hier best gezellig, maar de stoep is slecht " * 2,
            "age_years": "47",
            "hours": "2.5",
            "tenure": "rent",
            "problems": ["litter", "noise"],
            "safety": "3",
            "move": "no",
            "since": "2019-01-01",
            "home": {"lat": 50.888, "lon": 5.979, "accuracy": 30.0},
            "front": PHOTO_UUID,
        }
        db.session.execute(
            insert(Answer),
            [
                {"interview_id": iid, "question_name": name, "value": value}
                for iid in interview_ids
                for name, value in answers.items()
            ],
        )
        db.session.commit()
        return version.id


def test_streaming_memory_stays_flat(app, many_answers):
    """Not timed (the 100,000-answer figure is the benchmark's): the peak stays small."""
    from fieldapp.instruments.models import InstrumentVersion

    with app.app_context():
        version = db.session.get(InstrumentVersion, many_answers)
        for _ in exports.responses_csv(version):  # warm caches (statements, imports) first
            pass
        tracemalloc.start()
        try:
            size = rows = chunks = 0
            for chunk in exports.responses_csv(version):
                size += len(chunk)
                rows += chunk.count("\r\n")
                chunks += 1
            _, streamed_peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            # The same export in one batch, kept whole: what building it in memory costs.
            whole = "".join(exports.responses_csv(version, batch_size=10**6))
            _, in_memory_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        db.session.rollback()
    assert rows == 2_001
    assert chunks == 5  # 2,001 lines, 500 a chunk
    assert len(whole) == size
    assert streamed_peak < 20 * 1024 * 1024
    assert streamed_peak * 2 < in_memory_peak, (streamed_peak, in_memory_peak)
