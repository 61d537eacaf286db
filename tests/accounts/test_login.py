"""Logging in and out: sessions on the server, throttling, re-authentication."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from fieldapp.accounts.models import LoginAttempt, UserSession
from fieldapp.extensions import db
from tests.conftest import login


def test_login_with_right_password_opens_home(client, co_researcher, study):
    response = client.post(
        "/login", data={"username": co_researcher.username, "password": co_researcher.password}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    home = client.get("/home")
    assert home.status_code == 200
    assert "Study 1" in home.get_data(as_text=True)


def test_username_is_case_insensitive(client, co_researcher):
    response = client.post(
        "/login",
        data={"username": co_researcher.username.upper(), "password": co_researcher.password},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("username", ["samira1", "nobody-here"])
def test_wrong_password_and_unknown_user_get_the_same_message(client, co_researcher, username):
    response = client.post(
        "/login?lang=en", data={"username": username, "password": "wrong password!"}
    )
    assert response.status_code == 200
    assert "The username or password is not correct." in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302  # still logged out


def test_session_id_changes_at_login(app, client, co_researcher):
    client.get("/login?lang=en")
    before = client.get_cookie("fieldapp_session").value
    login(client, co_researcher)
    after = client.get_cookie("fieldapp_session").value
    assert before != after
    with client.session_transaction() as sess:
        first_sid = sess["sid"]
    client.post("/logout")
    login(client, co_researcher)
    with client.session_transaction() as sess:
        assert sess["sid"] != first_sid


def test_logout_invalidates_the_session_on_the_server(app, client, co_researcher):
    login(client, co_researcher)
    stolen_cookie = client.get_cookie("fieldapp_session").value
    assert client.get("/home").status_code == 200
    client.post("/logout")
    # Replaying the cookie from before the logout must not work.
    replay = app.test_client()
    replay.set_cookie("fieldapp_session", stolen_cookie)
    response = replay.get("/home")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(UserSession.id))) == 0


def test_expired_session_is_refused(app, client, co_researcher):
    login(client, co_researcher)
    with app.app_context():
        for s in db.session.scalars(select(UserSession)):
            s.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.session.commit()
    assert client.get("/home").status_code == 302


def test_inactive_account_cannot_log_in(app, client, make_user):
    user = make_user("co_researcher", active=False)
    response = client.post("/login", data={"username": user.username, "password": user.password})
    assert response.status_code == 200
    assert client.get("/home").status_code == 302


def test_login_is_throttled_per_account(app, client, co_researcher):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        client.post("/login", data={"username": co_researcher.username, "password": "nope nope"})
    # Even the right password is refused now, with the waiting message.
    response = client.post(
        "/login?lang=en",
        data={"username": co_researcher.username, "password": co_researcher.password},
    )
    assert response.status_code == 200
    assert "Too many attempts" in response.get_data(as_text=True)
    # Another address trying the same account is refused too (per account).
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": co_researcher.username, "password": co_researcher.password},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert response.status_code == 200


def test_login_is_throttled_per_address(app, client, make_user):
    victim = make_user("co_researcher")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for n in range(limit):
        client.post(
            "/login",
            data={"username": f"guess{n}", "password": "nope nope"},
            environ_base={"REMOTE_ADDR": "10.0.0.66"},
        )
    response = client.post(
        "/login",
        data={"username": victim.username, "password": victim.password},
        environ_base={"REMOTE_ADDR": "10.0.0.66"},
    )
    assert response.status_code == 200
    # The same account from another address still works.
    assert (
        app.test_client()
        .post(
            "/login",
            data={"username": victim.username, "password": victim.password},
            environ_base={"REMOTE_ADDR": "10.0.0.67"},
        )
        .status_code
        == 302
    )


def test_login_attempts_store_no_names_or_addresses(app, client, co_researcher):
    client.post(
        "/login",
        data={"username": co_researcher.username, "password": "nope nope"},
        environ_base={"REMOTE_ADDR": "192.0.2.44"},
    )
    with app.app_context():
        attempt = db.session.scalar(select(LoginAttempt))
        assert co_researcher.username not in attempt.account_key
        assert "192.0.2.44" not in attempt.address_key
        assert len(attempt.account_key) == 64


def test_open_redirect_after_login_is_refused(client, co_researcher):
    response = client.post(
        "/login?next=https://evil.example/",
        data={"username": co_researcher.username, "password": co_researcher.password},
    )
    assert response.headers["Location"].endswith("/home")


def test_next_within_fieldapp_is_followed(client, coordinator, study):
    response = client.post(
        f"/login?next=/studies/{study.id}",
        data={"username": coordinator.username, "password": coordinator.password},
    )
    assert response.headers["Location"].endswith(f"/studies/{study.id}")


def test_logout_needs_post(as_co_researcher):
    assert as_co_researcher.get("/logout").status_code == 405
    assert as_co_researcher.get("/home").status_code == 200


def _age_login(app, minutes):
    with app.app_context():
        for s in db.session.scalars(select(UserSession)):
            s.authenticated_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)
        db.session.commit()


def test_sensitive_action_asks_for_password_after_15_minutes(app, client, co_researcher):
    login(client, co_researcher)
    assert client.get("/_test/sensitive").get_data(as_text=True) == "sensitive ok"
    _age_login(app, 16)
    response = client.get("/_test/sensitive")
    assert response.status_code == 302
    assert "/reauthenticate" in response.headers["Location"]
    wrong = client.post(
        "/reauthenticate?lang=en&next=/_test/sensitive", data={"password": "not it at all"}
    )
    assert "The username or password is not correct." in wrong.get_data(as_text=True)
    assert client.get("/_test/sensitive").status_code == 302
    right = client.post(
        "/reauthenticate?next=/_test/sensitive", data={"password": co_researcher.password}
    )
    assert right.headers["Location"].endswith("/_test/sensitive")
    assert client.get("/_test/sensitive").get_data(as_text=True) == "sensitive ok"


def test_recent_login_is_not_asked_again(app, client, co_researcher):
    from fieldapp.accounts.services import login_is_recent

    login(client, co_researcher)
    _age_login(app, 14)
    with client.session_transaction() as sess:
        sid = sess["sid"]
    with app.app_context():
        assert login_is_recent(sid)
    _age_login(app, 15)
    with app.app_context():
        assert not login_is_recent(sid)


@pytest.mark.parametrize(
    "data",
    [
        {"username": "", "password": ""},
        {"username": "samira1", "password": ""},
        {"username": "", "password": "something long"},
        {"username": "x" * 65, "password": "something long"},
        {"username": "samira1", "password": "p" * 300},
        {},
    ],
)
def test_bad_login_input_gets_a_message_and_writes_nothing(app, client, co_researcher, data):
    response = client.post("/login?lang=en", data=data)
    assert response.status_code == 200
    assert 'class="error-message"' in response.get_data(as_text=True)
    with app.app_context():
        # Nothing was even attempted: form errors do not count as login attempts.
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0
        assert db.session.scalar(select(func.count(UserSession.id))) == 0


def test_login_errors_are_in_the_users_language(client, co_researcher):
    english = client.post("/login?lang=en", data={"username": "", "password": ""})
    dutch = client.post("/login?lang=nl", data={"username": "", "password": ""})
    arabic = client.post("/login?lang=ar", data={"username": "", "password": ""})
    assert "Enter your username." in english.get_data(as_text=True)
    for response in (dutch, arabic):
        html = response.get_data(as_text=True)
        assert 'class="error-message"' in html
        assert "Enter your username." not in html
