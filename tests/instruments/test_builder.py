"""The instrument builder in the browser: questions, groups, lists, versions, XLSForm."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.instruments.models import Instrument, InstrumentVersion


def _new(client, study_id, title="Buurtgesprek", kind="questionnaire"):
    response = client.post(f"/studies/{study_id}/instruments", data={"title": title, "kind": kind})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _question(client, instrument_id, edit=None, **data):
    base = {
        "type": "text",
        "name": "q1",
        "label_nl": "Vraag",
        "label_ar": "سؤال",
        "group": "",
        "choice_list": "",
    }
    base.update(data)
    url = f"/instruments/{instrument_id}/questions/" + (edit or "new") + "?lang=en"
    return client.post(url, data=base)


def _definition(app, instrument_id):
    with app.app_context():
        instrument = db.session.get(Instrument, instrument_id)
        version = instrument.draft_version or instrument.current_version
        return version.definition


def test_build_publish_and_version(app, as_coordinator, consent_study):
    iid = _new(as_coordinator, consent_study.id)
    assert (
        _question(
            as_coordinator,
            iid,
            type="integer",
            name="age",
            label_nl="Hoe oud ben je?",
            label_ar="كم عمرك؟",
            required="y",
            constraint=". >= 16",
        ).status_code
        == 302
    )
    assert (
        as_coordinator.post(
            f"/instruments/{iid}/lists/new",
            data={
                "name": "tenure",
                "choices_nl": "rent = Ik huur\nown = Koophuis",
                "choices_ar": "rent = أستأجر\nown = أملك",
            },
        ).status_code
        == 302
    )
    assert (
        _question(
            as_coordinator,
            iid,
            type="select_one",
            name="tenure",
            label_nl="Huur of koop?",
            label_ar="إيجار أم ملك؟",
            choice_list="tenure",
        ).status_code
        == 302
    )
    assert (
        as_coordinator.post(
            f"/instruments/{iid}/groups/new",
            data={"name": "meeting", "label_nl": "Ontmoeten", "label_ar": "اللقاء"},
        ).status_code
        == 302
    )
    assert (
        _question(
            as_coordinator,
            iid,
            type="scale",
            name="feeling",
            label_nl="Gevoel",
            label_ar="شعور",
            group="meeting",
            relevant="${tenure} = 'rent'",
        ).status_code
        == 302
    )
    definition = _definition(app, iid)
    assert [i.name for i in definition.items] == ["age", "tenure", "meeting"]
    assert definition.question("feeling").relevant == "${tenure} = 'rent'"
    # Move tenure up, then publish.
    as_coordinator.post(f"/instruments/{iid}/items/tenure/up")
    assert [i.name for i in _definition(app, iid).items] == ["tenure", "age", "meeting"]
    as_coordinator.post(f"/instruments/{iid}/publish")
    with app.app_context():
        version = db.session.scalar(select(InstrumentVersion))
        assert version.state == "published"
    # A published version does not change: editing asks for a new version.
    blocked = _question(as_coordinator, iid, type="text", name="extra", label_nl="x", label_ar="x")
    assert blocked.status_code == 302
    assert "extra" not in [q.name for q in _definition(app, iid).questions()]
    as_coordinator.post(f"/instruments/{iid}/new-version")
    _question(
        as_coordinator, iid, type="text", name="extra", label_nl="Nog iets?", label_ar="شيء آخر؟"
    )
    with app.app_context():
        versions = db.session.scalars(
            select(InstrumentVersion).order_by(InstrumentVersion.number)
        ).all()
        assert [v.number for v in versions] == [1, 2]
        assert "extra" not in [q.name for q in versions[0].definition.questions()]
        assert "extra" in [q.name for q in versions[1].definition.questions()]


def test_builder_bad_input(app, as_coordinator, consent_study):
    iid = _new(as_coordinator, consent_study.id)
    _question(as_coordinator, iid, name="age", type="integer")
    cases = [
        ({"name": "age"}, "already used"),
        ({"name": "2bad"}, "Letters, digits and _ only"),
        ({"name": "x" * 65}, "at most 64"),
        ({"label_nl": "", "label_ar": ""}, "at least one language"),
        ({"type": "select_one", "name": "sel"}, "choice list"),
        ({"type": "laser", "name": "zap"}, "not a valid choice"),
        ({"name": "rule", "relevant": "${age >= 18"}, "cannot be read"),
        ({"name": "rule2", "relevant": "${nope} = 1"}, "cannot be read"),
        ({"name": "rule3", "constraint": "__import__('os')"}, "cannot be read"),
    ]
    for data, message in cases:
        response = _question(as_coordinator, iid, **data)
        assert response.status_code == 400, data
        assert message.lower() in response.get_data(as_text=True).lower(), data
    assert [q.name for q in _definition(app, iid).questions()] == ["age"]


def test_publishing_needs_every_study_language(app, as_coordinator, consent_study):
    iid = _new(as_coordinator, consent_study.id)
    _question(as_coordinator, iid, name="only_dutch", label_nl="Alleen Nederlands", label_ar="")
    page = as_coordinator.get(f"/instruments/{iid}").get_data(as_text=True)
    assert "ar: no text for only_dutch" in page
    as_coordinator.post(f"/instruments/{iid}/publish")
    with app.app_context():
        assert db.session.scalar(select(InstrumentVersion.state)) == "draft"


def test_preview_and_xlsform_round_trip(app, as_coordinator, consent_study):
    from fieldapp.instruments.xlsform import read_xlsform

    iid = _new(as_coordinator, consent_study.id)
    _question(as_coordinator, iid, name="age", type="integer", label_nl="Hoe oud?", label_ar="كم؟")
    preview = as_coordinator.get(f"/instruments/{iid}/preview?in=ar")
    assert preview.status_code == 200
    assert "كم؟" in preview.get_data(as_text=True)
    exported = as_coordinator.get(f"/instruments/{iid}/xlsform.xlsx")
    assert exported.status_code == 200
    result = read_xlsform(io.BytesIO(exported.data))
    assert result.ok
    assert result.definition.question("age").labels == {"nl": "Hoe oud?", "ar": "كم؟"}
    # Upload it again as a new instrument.
    uploaded = as_coordinator.post(
        f"/studies/{consent_study.id}/instruments/import",
        data={
            "x-title": "Opnieuw",
            "x-kind": "questionnaire",
            "x-file": (io.BytesIO(exported.data), "form.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Instrument.id))) == 2


def test_xlsform_upload_with_problems_lists_them_and_stores_nothing(
    app, as_coordinator, consent_study
):
    from openpyxl import Workbook

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label::Nederlands (nl)", "calculation"])
    survey.append(["integer", "age", "Leeftijd", ""])
    survey.append(["begin_repeat", "kids", "Kinderen", ""])
    survey.append(["text", "kid_name", "Naam", ""])
    survey.append(["end_repeat", "", "", ""])
    survey.append(["calculate", "double", "", "${age} * 2"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = as_coordinator.post(
        f"/studies/{consent_study.id}/instruments/import?lang=en",
        data={
            "x-title": "Met herhaling",
            "x-kind": "questionnaire",
            "x-file": (io.BytesIO(buffer.getvalue()), "form.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "row 3" in html
    assert "row 6" in html
    assert "unsupported_type" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Instrument.id))) == 0
    not_xlsx = as_coordinator.post(
        f"/studies/{consent_study.id}/instruments/import?lang=en",
        data={
            "x-title": "Kapot",
            "x-kind": "questionnaire",
            "x-file": (io.BytesIO(b"%PDF-1.4 not a spreadsheet"), "form.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert not_xlsx.status_code == 400
    assert "not_xlsx" in not_xlsx.get_data(as_text=True)


def test_cli_import(app, runner, consent_study, tmp_path):
    from fieldapp.instruments.definition import FormDefinition, Question
    from fieldapp.instruments.xlsform import write_xlsform
    from fieldapp.studies.models import Study

    definition = FormDefinition(
        title="Via de commandoregel",
        languages=["nl"],
        items=[Question("q", "text", {"nl": "Vraag?"})],
    )
    path = tmp_path / "form.xlsx"
    path.write_bytes(write_xlsform(definition))
    with app.app_context():
        slug = db.session.get(Study, consent_study.id).slug
    result = runner.invoke(args=["instruments", "import-xlsform", str(path), "--study", slug])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(Instrument.title)) == "Via de commandoregel"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    failed = runner.invoke(args=["instruments", "import-xlsform", str(bad), "--study", slug])
    assert failed.exit_code != 0


def test_only_coordinators_build(as_co_researcher, as_coordinator, consent_study):
    iid = _new(as_coordinator, consent_study.id)
    assert as_co_researcher.get(f"/studies/{consent_study.id}/instruments").status_code == 403
    assert as_co_researcher.get(f"/instruments/{iid}").status_code == 403
    assert _question(as_co_researcher, iid).status_code == 403
    assert as_co_researcher.get(f"/instruments/{iid}/xlsform.xlsx").status_code == 403
