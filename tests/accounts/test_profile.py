"""The profile: name, language, languages spoken and the password."""

from __future__ import annotations

from sqlalchemy import select

from fieldapp.accounts.models import User, UserSession
from fieldapp.extensions import db
from tests.conftest import login


def test_change_password_logs_out_other_devices(app, co_researcher):
    phone = login(app.test_client(), co_researcher)
    laptop = login(app.test_client(), co_researcher)
    response = phone.post(
        "/profile/password",
        data={
            "pw-current": co_researcher.password,
            "pw-password": "nieuwe zin voor mij",
            "pw-confirm": "nieuwe zin voor mij",
        },
    )
    assert response.status_code == 302
    assert phone.get("/home").status_code == 200
    assert laptop.get("/home").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(UserSession).where(UserSession.user_id == co_researcher.id))
    fresh = app.test_client()
    assert (
        fresh.post(
            "/login", data={"username": co_researcher.username, "password": "nieuwe zin voor mij"}
        ).status_code
        == 302
    )


def test_change_password_with_wrong_current_password(app, as_co_researcher, co_researcher):
    response = as_co_researcher.post(
        "/profile/password?lang=en",
        data={
            "pw-current": "not my password",
            "pw-password": "nieuwe zin voor mij",
            "pw-confirm": "nieuwe zin voor mij",
        },
    )
    assert response.status_code == 400
    assert "The username or password is not correct." in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, co_researcher.id)
        from fieldapp.accounts.passwords import verify_password

        assert verify_password(user.password_hash, co_researcher.password)


def test_profile_bad_input(app, as_co_researcher, co_researcher):
    for data in (
        {"display_name": "", "locale": "nl"},
        {"display_name": "x" * 121, "locale": "nl"},
        {"display_name": "Olena", "locale": "xx"},
        {"display_name": "Olena", "locale": "nl", "languages_spoken": ["zz"]},
    ):
        response = as_co_researcher.post("/profile", data=data)
        assert response.status_code == 200
        assert 'class="error-message"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, co_researcher.id).display_name.startswith("Test")
