"""Security headers, cookies, CSRF, request size and error pages."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login


def test_security_headers_on_every_response(client):
    for path in ("/login", "/healthz", "/nope", "/static/css/app.css"):
        response = client.get(path)
        response.close()
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_are_not_cached_but_static_files_are(as_co_researcher, study):
    assert as_co_researcher.get("/home").headers["Cache-Control"] == "no-store"
    assert as_co_researcher.get(f"/studies/{study.id}").headers["Cache-Control"] == "no-store"
    html = as_co_researcher.get("/home").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app.css\?v=[0-9a-f]{12})"', html).group(1)
    with as_co_researcher.get(css) as response:
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]


def test_no_inline_scripts_or_styles_in_pages(as_coordinator, study):
    for path in ("/home", f"/studies/{study.id}", "/studies/new", "/invitations", "/profile"):
        html = as_coordinator.get(path).get_data(as_text=True)
        assert "<script>" not in html
        assert "style=" not in html
        assert "<style" not in html
        assert "onclick=" not in html


def test_session_cookie_flags(app, client, co_researcher):
    response = client.post(
        "/login", data={"username": co_researcher.username, "password": co_researcher.password}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookie_outside_development(monkeypatch, tmp_path):
    from fieldapp.config import load_config

    monkeypatch.setenv("FIELDAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    assert load_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("FIELDAPP_ENV", "development")
    assert load_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is False


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    from fieldapp.config import load_config

    monkeypatch.setenv("FIELDAPP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(str(tmp_path))


def test_post_without_csrf_token_is_refused(app, monkeypatch, co_researcher):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = app.test_client()
    response = client.post(
        "/login?lang=en",
        data={"username": co_researcher.username, "password": co_researcher.password},
    )
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302


def test_post_with_csrf_token_works(app, monkeypatch, co_researcher):
    import re

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(
        "/login",
        data={
            "username": co_researcher.username,
            "password": co_researcher.password,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302


def test_logout_without_csrf_is_refused(app, monkeypatch, co_researcher):
    client = login(app.test_client(), co_researcher)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/logout").status_code == 400
    assert client.get("/home").status_code == 200


def test_request_over_size_limit_gets_413_page(client):
    too_big = "x" * (16 * 1024 * 1024 + 10)
    response = client.post("/login?lang=en", data={"username": too_big, "password": "y"})
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "Page not found"), ("nl", 'lang="nl"'), ("ar", 'dir="rtl"')],
)
def test_404_page_is_translated(client, lang, text):
    response = client.get(f"/does-not-exist?lang={lang}")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_403_page(as_co_researcher):
    response = as_co_researcher.get("/studies?lang=en")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)


def test_405_is_a_page_not_a_crash(client):
    assert client.put("/login").status_code == 405


def test_500_shows_an_error_id_and_no_trace(client, caplog):
    response = client.get("/_test/boom?lang=en")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html
    assert "Error number:" in html
    assert "Traceback" not in html
    assert "K7Q-3MX" not in html
    assert "RuntimeError" not in html


def test_healthz_reports_a_database_that_is_down(tmp_path):
    from fieldapp import create_app

    broken = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing-dir/nope/db.sqlite",
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"
    with broken.app_context():
        from fieldapp.extensions import db

        db.engine.dispose()
