"""Creating, editing and seeing studies; members; who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.studies.models import Study, StudyMember
from tests.conftest import login


def _study_form(area, **overrides):
    data = {
        "area_id": str(area),
        "title": "Spelen op straat",
        "research_question": "Waar spelen kinderen in de wijk, en waar niet?",
        "lead_organisation": "Hogeschool Zuyd",
        "contact_email": "onderzoek@example.nl",
        "themes": ["growing_up", "physical"],
        "custom_themes": "Verkeer, Groen",
        "languages": ["nl", "ar", "tr"],
        "retention_date": (dt.date.today() + dt.timedelta(days=400)).isoformat(),
    }
    data.update(overrides)
    return data


def test_coordinator_creates_study_in_own_area(app, as_coordinator, area, coordinator):
    response = as_coordinator.post("/studies/new", data=_study_form(area.id))
    assert response.status_code == 302
    with app.app_context():
        study = db.session.scalar(select(Study).where(Study.title == "Spelen op straat"))
        assert study.state == "draft"
        assert study.slug == "spelen-op-straat"
        assert study.languages == ["nl", "ar", "tr"]
        keys = sorted(t.key for t in study.themes)
        assert keys == ["custom:groen", "custom:verkeer", "growing_up", "physical"]
        assert study.member_role(type("U", (), {"id": coordinator.id})()) == "coordinator"
    page = as_coordinator.get(response.headers["Location"] + "?lang=nl")
    html = page.get_data(as_text=True)
    assert "Spelen op straat" in html
    assert "Verkeer" in html


def test_coordinator_cannot_create_study_in_other_area(app, as_coordinator, make_area, area):
    other = make_area()
    response = as_coordinator.post("/studies/new", data=_study_form(other.id))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Study.id))) == 0


def test_coordinator_without_area_is_told_to_ask_admin(app, make_user):
    lonely = make_user("coordinator")
    client = login(app.test_client(), lonely)
    response = client.get("/studies/new?lang=en", follow_redirects=True)
    assert "You are not a coordinator of any area yet." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title."),
        ({"title": "x" * 201}, "Use at most 200 characters."),
        ({"title": "nul\x00byte"}, "characters that are not allowed"),
        ({"research_question": ""}, "Enter the research question."),
        ({"research_question": "x" * 2001}, "Use at most 2000 characters."),
        ({"lead_organisation": ""}, "Enter the lead organisation."),
        ({"contact_email": "nope"}, "Enter an e-mail address"),
        ({"languages": []}, "Choose at least one language."),
        ({"languages": ["xx"]}, "not a valid choice"),
        ({"themes": ["astrology"]}, "not a valid choice"),
        ({"retention_date": ""}, "Enter a date"),
        ({"retention_date": "31-31-2031"}, "Not a valid date"),
        ({"retention_date": "2001-01-01"}, "must be in the future"),
        ({"custom_themes": "x" * 90}, "at most 80 characters"),
        ({"area_id": "abc"}, "not a valid choice"),
    ],
)
def test_bad_study_input_gets_a_message_and_writes_nothing(
    app, as_coordinator, area, overrides, message
):
    response = as_coordinator.post("/studies/new?lang=en", data=_study_form(area.id, **overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message.lower() in html.lower()
    assert 'class="error-message"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Study.id))) == 0


def test_bad_study_input_message_in_dutch(app, as_coordinator, area):
    response = as_coordinator.post("/studies/new?lang=nl", data=_study_form(area.id, title=""))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter a title." not in html
    assert 'lang="nl"' in html


def test_edit_study(app, as_coordinator, study):
    response = as_coordinator.post(
        f"/studies/{study.id}/edit", data=_study_form(0, title="Nieuwe titel", languages=["nl"])
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Study, study.id)
        assert saved.title == "Nieuwe titel"
        assert saved.languages == ["nl"]
        assert saved.area.slug == "heerlen-noord"  # the area does not move with the form


def test_closed_study_cannot_be_edited(app, as_coordinator, make_study, area, coordinator):
    closed = make_study(area, coordinators=[coordinator], state="closed", title="Oud")
    as_coordinator.post(f"/studies/{closed.id}/edit", data=_study_form(0, title="Nieuw"))
    with app.app_context():
        assert db.session.get(Study, closed.id).title == "Oud"


def test_co_researcher_home_lists_own_studies_only(
    app, as_co_researcher, study, make_study, make_area, make_user
):
    other_coordinator = make_user("coordinator")
    other = make_study(
        make_area(coordinators=[other_coordinator]),
        coordinators=[other_coordinator],
        state="fieldwork",
        title="Geheim onderzoek",
    )
    html = as_co_researcher.get("/home").get_data(as_text=True)
    assert "Study 1" in html
    assert "Geheim onderzoek" not in html
    assert as_co_researcher.get(f"/studies/{other.id}").status_code == 404


def test_co_researcher_reaches_study_from_home(as_co_researcher, study):
    html = as_co_researcher.get("/home").get_data(as_text=True)
    assert f'href="/studies/{study.id}"' in html


def test_other_areas_study_is_invisible_to_coordinator(
    app, as_coordinator, make_user, make_area, make_study
):
    other_coordinator = make_user("coordinator")
    other = make_study(
        make_area(coordinators=[other_coordinator]),
        coordinators=[other_coordinator],
        title="Andermans onderzoek",
    )
    assert as_coordinator.get(f"/studies/{other.id}").status_code == 404
    assert as_coordinator.get(f"/studies/{other.id}/edit").status_code == 404
    assert (
        as_coordinator.post(f"/studies/{other.id}/state", data={"target": "fieldwork"}).status_code
        == 404
    )
    assert "Andermans onderzoek" not in as_coordinator.get("/studies").get_data(as_text=True)


def test_unknown_study_is_404(as_coordinator, as_admin):
    assert as_coordinator.get("/studies/987654").status_code == 404
    assert as_admin.get("/studies/987654").status_code == 404


def test_co_researcher_sees_but_cannot_edit(as_co_researcher, study):
    assert as_co_researcher.get(f"/studies/{study.id}").status_code == 200
    assert as_co_researcher.get(f"/studies/{study.id}/edit").status_code == 403
    assert as_co_researcher.get("/studies/new").status_code == 403


def test_co_researcher_does_not_see_fellow_co_researchers(app, study, make_user):
    from fieldapp.accounts.models import User

    fellow = make_user("co_researcher", display_name="Karel Collega")
    with app.app_context():
        db.session.add(
            StudyMember(
                study_id=study.id, user=db.session.get(User, fellow.id), role="co_researcher"
            )
        )
        db.session.commit()
    other = make_user("co_researcher")
    with app.app_context():
        db.session.add(
            StudyMember(
                study_id=study.id, user=db.session.get(User, other.id), role="co_researcher"
            )
        )
        db.session.commit()
    client = login(app.test_client(), other)
    html = client.get(f"/studies/{study.id}").get_data(as_text=True)
    assert "Karel Collega" not in html


def test_coordinator_adds_and_removes_co_researcher(app, as_coordinator, study, make_user):
    from fieldapp.accounts.models import Invitation

    newcomer = make_user("co_researcher", display_name="Nieuwe Collega")
    with app.app_context():
        # The coordinator invited this person earlier, so may add them.
        db.session.add(
            Invitation(
                token_hash="h" * 64,
                role="co_researcher",
                username=newcomer.username,
                display_name="Nieuwe Collega",
                invited_by_id=db.session.scalar(
                    select(StudyMember.user_id).where(StudyMember.role == "coordinator")
                ),
                expires_at=dt.datetime.now(dt.UTC),
                used_at=dt.datetime.now(dt.UTC),
                user_id=newcomer.id,
            )
        )
        db.session.commit()
    page = as_coordinator.get(f"/studies/{study.id}").get_data(as_text=True)
    assert "Nieuwe Collega" in page
    as_coordinator.post(f"/studies/{study.id}/members", data={"user_id": str(newcomer.id)})
    with app.app_context():
        assert db.session.get(StudyMember, (study.id, newcomer.id)) is not None
    as_coordinator.post(f"/studies/{study.id}/members/remove", data={"user_id": str(newcomer.id)})
    with app.app_context():
        assert db.session.get(StudyMember, (study.id, newcomer.id)) is None


def test_coordinator_cannot_add_strangers(app, as_coordinator, study, make_user):
    stranger = make_user("co_researcher")
    response = as_coordinator.post(
        f"/studies/{study.id}/members", data={"user_id": str(stranger.id)}
    )
    assert response.status_code in (302, 303)
    with app.app_context():
        assert db.session.get(StudyMember, (study.id, stranger.id)) is None


def test_last_coordinator_cannot_be_removed(app, as_admin, study, coordinator):
    response = as_admin.post(
        f"/studies/{study.id}/members/remove?lang=en",
        data={"user_id": str(coordinator.id)},
        follow_redirects=True,
    )
    assert "A study needs at least one coordinator." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StudyMember, (study.id, coordinator.id)) is not None


def test_member_ids_that_are_not_numbers_are_refused(as_coordinator, study):
    response = as_coordinator.post(f"/studies/{study.id}/members/remove", data={"user_id": "abc"})
    assert response.status_code == 404


def test_admin_sees_every_study(as_admin, study):
    assert as_admin.get(f"/studies/{study.id}").status_code == 200
    assert "Study 1" in as_admin.get("/studies").get_data(as_text=True)
