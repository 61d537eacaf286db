"""Interface languages, locale selection and text direction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_login import current_user


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    direction: str  # "ltr" or "rtl"


# Dutch first: it is the default. Each name is written in its own script.
LANGUAGES: tuple[Language, ...] = (
    Language("nl", "Nederlands", "ltr"),
    Language("en", "English", "ltr"),
    Language("ar", "العربية", "rtl"),
    Language("tr", "Türkçe", "ltr"),
    Language("pl", "Polski", "ltr"),
    Language("uk", "Українська", "ltr"),
)
LANGUAGE_CODES = tuple(lang.code for lang in LANGUAGES)
DEFAULT_LANGUAGE = "nl"
_BY_CODE = {lang.code: lang for lang in LANGUAGES}
SESSION_KEY = "lang"


def language(code: str) -> Language:
    return _BY_CODE.get(code, _BY_CODE[DEFAULT_LANGUAGE])


def select_locale() -> str:
    """Explicit choice (?lang= or remembered) → user profile → Accept-Language → Dutch."""
    if not has_request_context():
        return DEFAULT_LANGUAGE  # commands: Dutch unless force_locale says otherwise
    explicit = _explicit_choice()
    if explicit:
        return explicit
    remembered = session.get(SESSION_KEY)
    if remembered in _BY_CODE:
        return remembered
    if current_user and current_user.is_authenticated and current_user.locale in _BY_CODE:
        return current_user.locale
    best = request.accept_languages.best_match(LANGUAGE_CODES)
    return best or DEFAULT_LANGUAGE


def _explicit_choice() -> str | None:
    code = request.args.get("lang", "").strip().lower()
    return code if code in _BY_CODE else None


def remember_explicit_choice(response):
    """Keep a ?lang= choice in the session so the next page stays in that language."""
    chosen = _explicit_choice()
    if chosen and session.get(SESSION_KEY) != chosen:
        session[SESSION_KEY] = chosen
    return response


def check_catalogs(app: Flask) -> None:
    """Refuse to start when a language has no compiled catalog: users would get English."""
    missing = []
    for directory in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"):
        base = Path(directory)
        for code in LANGUAGE_CODES:
            if code == "en":
                continue
            if not (base / code / "LC_MESSAGES" / "messages.mo").exists():
                missing.append(code)
    if missing:
        raise RuntimeError(
            "Compiled translations are missing for: "
            + ", ".join(sorted(set(missing)))
            + ". Run `make translations` (or `pybabel compile -d translations`)."
        )


def current_language() -> Language:
    from flask_babel import get_locale

    locale = get_locale()
    return language(str(locale.language) if locale else DEFAULT_LANGUAGE)


def template_globals() -> dict:
    lang = current_language()
    return {
        "current_language": lang,
        "languages": LANGUAGES,
        "lang_code": lang.code,
        "text_direction": lang.direction,
    }
