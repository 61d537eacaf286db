"""Invitations: no self-registration; single-use, expiring links; who may invite whom."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from fieldapp.accounts.models import Invitation, User
from fieldapp.extensions import db
from fieldapp.studies.models import StudyMember


def _invite(client, **overrides):
    data = {
        "role": "co_researcher",
        "display_name": "Fatma Yilmaz",
        "username": "fatma",
        "email": "",
        "locale": "tr",
        "languages_spoken": ["tr", "nl"],
        "study_id": "",
        "area_id": "",
    }
    data.update(overrides)
    return client.post("/invitations?lang=en", data=data)


def _link(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'value="(http://localhost/invite/[^"]+)"', html)
    assert match, html[:2000]
    return match.group(1).replace("http://localhost", "")


def test_there_is_no_self_registration(client):
    for path in ("/register", "/signup", "/accounts/new"):
        assert client.get(path).status_code == 404


def test_coordinator_invites_co_researcher_into_study(app, as_coordinator, study):
    response = _invite(as_coordinator, study_id=str(study.id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'src="data:image/png;base64,' in html  # the QR code to scan
    link = _link(response)

    newcomer = app.test_client()
    page = newcomer.get(link + "?lang=en")
    assert page.status_code == 200
    assert "fatma" in page.get_data(as_text=True)
    accepted = newcomer.post(
        link, data={"password": "zonnebloem in de tuin", "confirm": "zonnebloem in de tuin"}
    )
    assert accepted.status_code == 302
    assert newcomer.get("/home").status_code == 200

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "fatma"))
        assert user.role == "co_researcher"
        assert user.password_hash.startswith("$argon2id$")
        assert user.locale == "tr"
        assert user.languages_spoken == ["tr", "nl"]
        member = db.session.get(StudyMember, (study.id, user.id))
        assert member is not None
        assert member.role == "co_researcher"
        invitation = db.session.scalar(select(Invitation))
        assert invitation.used_at is not None
        # Only a hash of the token is stored.
        assert link.rsplit("/", 1)[1] not in invitation.token_hash


def test_invitation_link_works_once(app, as_coordinator):
    link = _link(_invite(as_coordinator))
    first = app.test_client()
    first.post(link, data={"password": "zonnebloem in de tuin", "confirm": "zonnebloem in de tuin"})
    second = app.test_client()
    assert second.get(link).status_code == 410
    replay = second.post(
        link, data={"password": "another good phrase", "confirm": "another good phrase"}
    )
    assert replay.status_code == 410
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.username == "fatma")) == 1


def test_expired_invitation_is_refused(app, as_coordinator):
    link = _link(_invite(as_coordinator))
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.session.commit()
    assert app.test_client().get(link).status_code == 410


def test_revoked_invitation_is_refused(app, as_coordinator):
    link = _link(_invite(as_coordinator))
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    as_coordinator.post(f"/invitations/{invitation_id}/revoke")
    assert app.test_client().get(link).status_code == 410


def test_unknown_token_is_refused(client):
    assert client.get("/invite/not-a-real-token").status_code == 410
    assert client.get("/invite/" + "x" * 500).status_code == 404


def test_weak_passwords_are_refused_with_a_message(app, as_coordinator):
    link = _link(_invite(as_coordinator))
    newcomer = app.test_client()
    cases = {
        "kort": "A password needs at least 10 characters.",
        "1234567890": "This password is too common",
        "fatma-rocks-2026": "must not contain your username",
    }
    for password, message in cases.items():
        response = newcomer.post(
            link + "?lang=en", data={"password": password, "confirm": password}
        )
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), password
    mismatch = newcomer.post(
        link + "?lang=en",
        data={"password": "zonnebloem in de tuin", "confirm": "zonnebloem in het park"},
    )
    assert "The two passwords are not the same." in mismatch.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "fatma")) is None
        assert db.session.scalar(select(Invitation)).used_at is None


def test_coordinator_cannot_invite_admins_or_coordinators(app, as_coordinator):
    for role in ("admin", "coordinator"):
        response = _invite(as_coordinator, role=role, username=f"new{role}")
        assert response.status_code == 200
        assert "not a valid choice" in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_coordinator_cannot_invite_into_someone_elses_study(
    app, as_coordinator, make_user, make_area, make_study
):
    other_coordinator = make_user("coordinator")
    other_area = make_area(coordinators=[other_coordinator])
    other_study = make_study(other_area, coordinators=[other_coordinator])
    response = _invite(as_coordinator, study_id=str(other_study.id))
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_co_researcher_cannot_invite(as_co_researcher):
    assert as_co_researcher.get("/invitations").status_code == 403
    assert _invite(as_co_researcher).status_code == 403


def test_admin_invites_a_coordinator_for_an_area(app, as_admin, area):
    response = _invite(
        as_admin, role="coordinator", username="newcoord", area_id=str(area.id), locale="nl"
    )
    link = _link(response)
    app.test_client().post(
        link, data={"password": "zonnebloem in de tuin", "confirm": "zonnebloem in de tuin"}
    )
    with app.app_context():
        from fieldapp.areas.models import Area

        user = db.session.scalar(select(User).where(User.username == "newcoord"))
        assert user.role == "coordinator"
        assert user in db.session.get(Area, area.id).coordinators


def test_username_already_taken_is_refused(app, as_coordinator, co_researcher):
    response = _invite(as_coordinator, username=co_researcher.username)
    assert "This username is already in use." in response.get_data(as_text=True)


def test_bad_input_on_the_invitation_form_writes_nothing(app, as_coordinator):
    bad = [
        {"display_name": ""},
        {"username": ""},
        {"username": "Has Spaces"},
        {"username": "ab"},
        {"username": "x" * 65},
        {"display_name": "x" * 121},
        {"display_name": "bad\x00name"},
        {"email": "not-an-email"},
        {"email": ("a" * 250) + "@example.nl"},
        {"locale": "xx"},
        {"languages_spoken": ["klingon"]},
        {"study_id": "999999"},
        {"study_id": "abc"},
    ]
    for overrides in bad:
        response = _invite(as_coordinator, **overrides)
        assert response.status_code == 200, overrides
        assert 'class="error-message"' in response.get_data(as_text=True), overrides
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_invitations_list_shows_only_own(app, as_coordinator, make_user):
    _invite(as_coordinator)
    other = make_user("coordinator")
    from tests.conftest import login

    other_client = login(app.test_client(), other)
    html = other_client.get("/invitations").get_data(as_text=True)
    assert "Fatma Yilmaz" not in html
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    assert other_client.post(f"/invitations/{invitation_id}/revoke").status_code == 404
