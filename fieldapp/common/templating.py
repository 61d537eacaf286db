"""Template globals and filters."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime

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


def register_templating(app: Flask) -> None:
    app.context_processor(i18n.template_globals)
    app.jinja_env.globals["url_with_lang"] = url_with_lang
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else ""
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
