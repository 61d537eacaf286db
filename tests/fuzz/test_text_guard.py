"""Control characters and bidi overrides are refused in every form, with a translated message,
so they never reach a stored record or the public report."""

from __future__ import annotations

import importlib
import pkgutil

import flask_wtf
import pytest
from sqlalchemy import func, select

import fieldapp
from fieldapp.analysis.models import Code
from fieldapp.extensions import db
from fieldapp.reports.models import Action, ActionUpdate
from fieldapp.studies.models import Study

REFUSED = {
    "NUL": "Veilig\x00heid",
    "ESC": "Veilig\x1b[31mheid",
    "BEL": "Veilig\x07heid",
    "form feed": "Veilig\x0cheid",
    "DEL": "Veilig\x7fheid",
    "C1 CSI": "Veilig\x9bheid",
}
MESSAGE_EN = "contains invisible control characters"


def _form_classes():
    for module in pkgutil.walk_packages(fieldapp.__path__, "fieldapp."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, todo = [], [flask_wtf.FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("fieldapp."):
                found.append(sub)
    return found


def test_every_form_of_fieldapp_derives_from_the_guarded_base():
    from fieldapp.common.forms import FlaskForm

    forms = _form_classes()
    assert len(forms) > 30
    unguarded = [f"{f.__module__}.{f.__name__}" for f in forms if not issubclass(f, FlaskForm)]
    assert unguarded == []


def _codes(app, study_id):
    with app.app_context():
        return set(db.session.scalars(select(Code.name).where(Code.study_id == study_id)))


@pytest.mark.parametrize("value", REFUSED.values(), ids=REFUSED.keys())
def test_code_names_with_control_characters_are_refused(app, as_coordinator, study, value):
    as_coordinator.get(f"/studies/{study.id}/codes")  # the agenda's codes
    before = _codes(app, study.id)
    response = as_coordinator.post(
        f"/studies/{study.id}/codes?lang=en", data={"name": value, "description": ""}
    )
    assert response.status_code == 400
    assert MESSAGE_EN in response.get_data(as_text=True)
    assert _codes(app, study.id) == before


def test_the_message_is_translated(app, as_coordinator, study):
    response = as_coordinator.post(f"/studies/{study.id}/codes?lang=nl", data={"name": "a\x1bb"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'lang="nl"' in html
    assert MESSAGE_EN not in html
    assert "besturingstekens" in html


def test_bidi_overrides_are_refused_in_a_one_line_name_but_arabic_is_welcome(
    app, as_coordinator, study
):
    spoof = as_coordinator.post(
        f"/studies/{study.id}/codes?lang=en", data={"name": "Veilig\u202eheid"}
    )
    assert spoof.status_code == 400
    isolate = as_coordinator.post(
        f"/studies/{study.id}/codes?lang=en", data={"name": "\u2067Veiligheid\u2069"}
    )
    assert isolate.status_code == 400
    arabic = "الأمان\u200f في الحي"  # with a right-to-left mark: allowed
    ok = as_coordinator.post(
        f"/studies/{study.id}/codes",
        data={"name": arabic, "description": "سطر أول\n\u202bسطر ثان\u202c"},
    )
    assert ok.status_code == 302
    assert arabic in _codes(app, study.id)
    assert not any("Veilig" in name for name in _codes(app, study.id))


def _action(app, as_coordinator, study):
    as_coordinator.post(
        f"/studies/{study.id}/actions", data={"title_nl": "Een bankje", "owner": "Gemeente"}
    )
    with app.app_context():
        return db.session.scalar(select(Action.id))


@pytest.mark.parametrize("value", REFUSED.values(), ids=REFUSED.keys())
def test_action_updates_with_control_characters_are_refused(
    app, as_coordinator, consent_study, value
):
    action_id = _action(app, as_coordinator, consent_study)
    response = as_coordinator.post(
        f"/actions/{action_id}/update?lang=en", data={"status": "started", "text": value}
    )
    assert response.status_code == 400
    assert MESSAGE_EN in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ActionUpdate.id))) == 0
        assert db.session.get(Action, action_id).status == "planned"


def test_action_titles_and_owner_with_escape_are_refused(app, as_coordinator, consent_study):
    refused = as_coordinator.post(
        f"/studies/{consent_study.id}/actions",
        data={"title_nl": "Een \x1b[2Jbankje", "owner": "Gemeente"},
    )
    assert refused.status_code == 400
    owner = as_coordinator.post(
        f"/studies/{consent_study.id}/actions",
        data={"title_nl": "Een bankje", "owner": "Gemeente\x00"},
    )
    assert owner.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Action.id))) == 0


def test_nothing_with_a_control_character_reaches_the_public_report(
    app, client, as_coordinator, consent_study
):
    action_id = _action(app, as_coordinator, consent_study)
    update = f"/actions/{action_id}/update"
    as_coordinator.post(update, data={"status": "started", "text": "a\x1b", "language": "nl"})
    as_coordinator.post(update, data={"status": "started", "text": "Besteld", "language": "nl"})
    sections = {
        f"section_{k}": "Tekst." for k in ("asked", "whom", "heard", "next", "involved", "contact")
    }
    sections["section_heard"] = "Veel\x00 mensen"
    builder = f"/studies/{consent_study.id}/report"
    assert as_coordinator.post(builder, data=sections).status_code == 400
    sections["section_heard"] = "Veel mensen"
    as_coordinator.post(f"/studies/{consent_study.id}/report", data=sections)
    as_coordinator.post(f"/studies/{consent_study.id}/report/publish")
    with app.app_context():
        slug = db.session.scalar(select(Study.slug).where(Study.id == consent_study.id))
        from fieldapp.reports.models import Report

        slug = db.session.scalar(select(Report.slug)) or slug
    page = client.get(f"/r/{slug}?lang=nl")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Besteld" in html
    assert "\x1b" not in html
    assert "\x00" not in html


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Een titel \x1b[0m", 400),  # a declared one-line field: the message at the field
        ("Een \u202etitel", 400),
        ("Een titel met عربي", 302),
    ],
)
def test_declared_fields_show_the_message_at_the_field(app, as_coordinator, area, text, status):
    import datetime as dt

    data = {
        "area_id": str(area.id),
        "title": text,
        "research_question": "Wat\u202b vinden bewoners\u202c?\nEn waarom?",
        "lead_organisation": "Programmabureau",
        "contact_email": "onderzoek@example.nl",
        "languages": ["nl"],
        "themes": ["community"],
        "retention_date": (dt.date.today() + dt.timedelta(400)).isoformat(),
    }
    response = as_coordinator.post("/studies/new?lang=en", data=data)
    assert response.status_code == status
    with app.app_context():
        count = db.session.scalar(select(func.count(Study.id)))
    if status == 400:
        html = response.get_data(as_text=True)
        assert "characters that are not allowed" in html
        assert 'class="error-message"' in html
        assert count == 0
    else:
        assert count == 1


@pytest.mark.parametrize(
    "body",
    ["[1, 2]", '"text"', "null", '{"title": {"a": 1}}', '{"title": 5, "languages": [null]}'],
)
def test_json_bodies_are_refused_without_a_500(app, as_coordinator, area, body):
    response = as_coordinator.post(
        "/studies/new", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Study.id))) == 0


def test_json_body_with_an_escape_is_refused(app, as_coordinator, study):
    response = as_coordinator.post(
        f"/studies/{study.id}/codes?lang=en",
        json={"name": "a\x1bb"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/r/a%00b", "/a/heerlen%1Bnoord", "/interviews/a%00b/page/0"])
def test_a_control_character_in_the_path_finds_no_page(as_coordinator, path):
    # PostgreSQL refuses NUL in a query: this answered 500 there.
    assert as_coordinator.get(path).status_code == 404


def test_a_control_character_in_a_query_string_is_refused(as_coordinator):
    response = as_coordinator.get("/studies?lang=en&group=a%1Bb")
    assert response.status_code == 400
    assert MESSAGE_EN in response.get_data(as_text=True)
    assert as_coordinator.get("/studies?lang=en&group=%E2%80%AE").status_code == 200
