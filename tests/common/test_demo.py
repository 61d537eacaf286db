"""`flask demo` seeds the demo once, and running it again changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from fieldapp.accounts.models import User
from fieldapp.areas.models import Area
from fieldapp.extensions import db
from fieldapp.studies.models import Study, StudyMember


def _counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Area, Study, StudyMember)
    )


def test_demo_is_idempotent_and_prints_logins(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    for username in ("admin", "coordinator", "samira", "piotr"):
        assert username in first.output
    with app.app_context():
        counts = _counts()
        study = db.session.scalar(select(Study))
        assert study.state == "fieldwork"
        assert study.area.slug == "heerlen-noord"
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    with app.app_context():
        assert _counts() == counts == (4, 1, 1, 3)
        from fieldapp.participants.models import Participant, ParticipantTombstone

        assert db.session.scalar(select(func.count(Participant.id))) == 3
        assert db.session.scalar(select(func.count(ParticipantTombstone.id))) == 1


def test_demo_logins_work(app, runner, client):
    result = runner.invoke(args=["demo"])
    line = next(ln for ln in result.output.splitlines() if " samira " in ln)
    password = line.split()[-1]
    response = client.post("/login", data={"username": "samira", "password": password})
    assert response.status_code == 302
    assert "Samen in de buurt" in client.get("/home").get_data(as_text=True)


def test_demo_participant_page_works(app, runner, client):
    result = runner.invoke(args=["demo"])
    link = next(ln for ln in result.output.splitlines() if "/p/" in ln).split()[-1]
    response = client.get(link.replace("http://127.0.0.1:5000", ""))
    assert response.status_code == 200


def test_create_admin_command(app, runner):
    result = runner.invoke(
        args=["create-admin", "beheer"], input="zonnebloem in de tuin\nzonnebloem in de tuin\n"
    )
    assert result.exit_code == 0, result.output
    weak = runner.invoke(args=["create-admin", "beheer2"], input="1234567890\n1234567890\n")
    assert weak.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "beheer")).role == "admin"
        assert db.session.scalar(select(User).where(User.username == "beheer2")) is None
