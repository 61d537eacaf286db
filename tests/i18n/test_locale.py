"""Choosing the interface language: ?lang → remembered choice → profile → browser → Dutch."""

from __future__ import annotations

import re

import pytest

from fieldapp.extensions import db
from tests.conftest import login


def _html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_default_is_dutch(client):
    assert _html_tag(client.get("/login")) == '<html lang="nl" dir="ltr">'


def test_accept_language_is_used(client):
    response = client.get("/login", headers={"Accept-Language": "tr-TR,tr;q=0.9,en;q=0.5"})
    assert _html_tag(response) == '<html lang="tr" dir="ltr">'


def test_unsupported_accept_language_falls_back_to_dutch(client):
    response = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert 'lang="nl"' in _html_tag(response)


@pytest.mark.parametrize(
    ("code", "direction"),
    [("nl", "ltr"), ("en", "ltr"), ("ar", "rtl"), ("tr", "ltr"), ("pl", "ltr"), ("uk", "ltr")],
)
def test_every_language_sets_lang_and_dir(client, code, direction):
    assert _html_tag(client.get(f"/login?lang={code}")) == f'<html lang="{code}" dir="{direction}">'


def test_explicit_choice_is_remembered_and_beats_the_browser(client):
    client.get("/login?lang=ar")
    response = client.get("/login", headers={"Accept-Language": "en"})
    assert 'lang="ar"' in _html_tag(response)


def test_unknown_lang_parameter_is_ignored(client):
    assert 'lang="nl"' in _html_tag(client.get("/login?lang=xx"))
    assert 'lang="nl"' in _html_tag(client.get("/login?lang=" + "a" * 5000))


def test_profile_language_beats_the_browser(app, client, make_user):
    user = make_user("co_researcher", locale="uk")
    login(client, user)
    with client.session_transaction() as sess:
        sess.pop("lang", None)
    response = client.get("/home", headers={"Accept-Language": "en"})
    assert 'lang="uk"' in _html_tag(response)


def test_explicit_choice_beats_the_profile(client, make_user):
    user = make_user("co_researcher", locale="uk")
    login(client, user)
    assert 'lang="pl"' in _html_tag(client.get("/home?lang=pl"))
    assert 'lang="pl"' in _html_tag(client.get("/home"))


def test_profile_change_sets_the_language(app, client, make_user):
    from fieldapp.accounts.models import User

    user = make_user("co_researcher")
    login(client, user)
    client.post(
        "/profile", data={"display_name": "Olena", "locale": "uk", "languages_spoken": ["uk"]}
    )
    with app.app_context():
        assert db.session.get(User, user.id).locale == "uk"
    assert 'lang="uk"' in _html_tag(client.get("/home"))


def test_language_switcher_shows_each_language_in_its_own_script(client):
    html = client.get("/login?lang=en").get_data(as_text=True)
    for name, code in [
        ("Nederlands", "nl"),
        ("English", "en"),
        ("العربية", "ar"),
        ("Türkçe", "tr"),
        ("Polski", "pl"),
        ("Українська", "uk"),
    ]:
        assert f'lang="{code}"' in html
        assert name in html
        assert f"lang={code}" in html


def test_language_switch_keeps_the_page(as_coordinator, study):
    html = as_coordinator.get(f"/studies/{study.id}?lang=en").get_data(as_text=True)
    assert f"/studies/{study.id}?lang=ar" in html


def test_logging_in_keeps_the_chosen_language(client, co_researcher):
    client.get("/login?lang=tr")
    login(client, co_researcher)
    assert 'lang="tr"' in _html_tag(client.get("/home"))


@pytest.mark.parametrize("code", ["nl", "ar", "tr", "pl", "uk"])
def test_pages_are_actually_translated(client, code):
    """The login page is not in English in another language (the catalogs are compiled)."""
    html = client.get(f"/login?lang={code}").get_data(as_text=True)
    assert "Log in" not in html
    assert "Password" not in html


def test_choice_on_a_redirect_is_remembered(client):
    response = client.get("/?lang=uk")
    assert response.status_code == 302
    assert 'lang="uk"' in _html_tag(client.get("/login"))
