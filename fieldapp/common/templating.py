"""Template globals and filters."""

from __future__ import annotations

import hashlib
from pathlib import Path

from babel.lists import format_list
from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from markupsafe import Markup, escape

from fieldapp import i18n


def url_with_lang(code: str) -> str:
    """The current page in another language (the switcher's links)."""
    args = request.args.to_dict(flat=True)
    args["lang"] = code
    if request.endpoint and request.endpoint != "static" and request.url_rule is not None:
        try:
            return url_for(request.endpoint, **(request.view_args or {}), **args)
        except Exception:  # noqa: BLE001, S110 - an error page for a bad URL: fall back to home
            pass
    return url_for("common.index", lang=code)


_asset_versions: dict[str, str] = {}


def static_url(filename: str) -> str:
    """A static file's URL with a hash of its content, so it can be cached for good."""
    version = _asset_versions.get(filename)
    if version is None or current_app.debug:
        path = Path(current_app.static_folder) / filename
        version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        _asset_versions[filename] = version
    return url_for("static", filename=filename, v=version)


def list_of(items, locale: str | None = None) -> Markup:
    """Items joined as the language joins a list ("A, B en C"; in Arabic "A وB وC"), never
    with a Latin comma in every language. Items are escaped unless they are markup already
    (a <bdi> around each, say); the separators come from CLDR."""
    parts = [escape(item) for item in items]
    if not parts:
        return Markup("")
    joined = format_list(parts, style="standard", locale=locale or get_locale() or "en")
    return Markup(joined)  # noqa: S704 - every part escaped above; separators are CLDR's


def isolate(text, lang: str | None = None) -> Markup:
    """Text that may be in another language or script than the page (a name, a code, an
    answer) in a <bdi>, so its direction neither follows nor disturbs the sentence around
    it; with lang= when its language is known."""
    if text is None or text == "":
        return Markup("")
    attribute = Markup(' lang="%s"') % lang if lang else Markup("")
    return Markup("<bdi%s>%s</bdi>") % (attribute, text)


def register_templating(app: Flask) -> None:
    app.jinja_env.globals["static_url"] = static_url
    app.context_processor(i18n.template_globals)
    app.jinja_env.globals["url_with_lang"] = url_with_lang
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else ""
    )
    app.jinja_env.filters["list_of"] = list_of
    app.jinja_env.filters["bdi"] = isolate
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
