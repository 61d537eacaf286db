"""fieldapp: phone-first fieldwork for participatory action research in neighbourhoods."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, session

from fieldapp.config import engine_options, load_config
from fieldapp.extensions import babel, csrf, db, login_manager, migrate

# Templates, static files and translations are edited in the project's top-level folders;
# fieldapp/templates, fieldapp/static and fieldapp/translations point at them (symbolic
# links in the source tree, real folders in a wheel, which copies what the links point at).
# So Flask finds them beside this file in a checkout, an editable install and a wheel alike.
_PACKAGE = Path(__file__).resolve().parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("FIELDAPP_INSTANCE") or None,
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(_PACKAGE / "translations")
    if config:
        app.config.update(config)
        if "SQLALCHEMY_ENGINE_OPTIONS" not in config:  # options that suit the database given
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
                app.config["SQLALCHEMY_DATABASE_URI"]
            )

    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    logging.getLogger("fieldapp").setLevel(logging.INFO)
    # Imported when an app is built: every domain imports `fieldapp` (for its extensions).
    from fieldapp.common.logs import install_log_redaction

    install_log_redaction()

    from fieldapp import i18n
    from fieldapp.common.forms import DatabaseIdConverter

    # Before any route is made: every <int:...> in a URL is an id the database can hold.
    app.url_map.converters["int"] = DatabaseIdConverter

    i18n.check_catalogs(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_PACKAGE / "migrations"))
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    _init_login(app)

    from fieldapp import models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
    from fieldapp.common import errors, security, templating

    errors.register_error_handlers(app)
    security.register_security(app)
    templating.register_templating(app)
    app.after_request(i18n.remember_explicit_choice)
    from fieldapp.common.forms import refuse_control_characters_in_url

    app.before_request(refuse_control_characters_in_url)

    from fieldapp.accounts.audit_log import bp as audit_bp
    from fieldapp.accounts.views import bp as accounts_bp
    from fieldapp.analysis.views import bp as analysis_bp
    from fieldapp.areas.views import bp as areas_bp
    from fieldapp.common.views import bp as common_bp
    from fieldapp.compensation.views import bp as compensation_bp
    from fieldapp.consent.participant_views import bp as participants_bp
    from fieldapp.consent.views import bp as consent_bp
    from fieldapp.fieldwork.export_views import bp as exports_bp
    from fieldapp.fieldwork.views import bp as fieldwork_bp
    from fieldapp.instruments.views import bp as instruments_bp
    from fieldapp.public.views import bp as participant_page_bp
    from fieldapp.reports.views import bp as reports_bp
    from fieldapp.studies import invitation_views  # noqa: F401  (its route joins accounts_bp)
    from fieldapp.studies.views import bp as studies_bp

    for blueprint in (
        common_bp,
        accounts_bp,
        areas_bp,
        studies_bp,
        participants_bp,
        consent_bp,
        participant_page_bp,
        instruments_bp,
        fieldwork_bp,
        exports_bp,
        compensation_bp,
        analysis_bp,
        reports_bp,
        audit_bp,
    ):
        app.register_blueprint(blueprint)

    # Cross-domain reactions (fieldapp/common/signals.py): each domain connects its own
    # receivers here, not when a module is imported. Connecting again (tests build many
    # apps) keeps a single connection.
    from fieldapp.analysis import services as analysis_services
    from fieldapp.compensation import services as compensation_services
    from fieldapp.consent import services as consent_services
    from fieldapp.fieldwork import interviews
    from fieldapp.studies import services as studies_services

    studies_services.connect_signals()
    consent_services.connect_signals()
    interviews.connect_signals()
    analysis_services.connect_signals()
    compensation_services.connect_signals()

    from fieldapp.cli import register_cli

    register_cli(app)
    return app


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    # Imported when an app is built: every domain imports `fieldapp` (for its extensions).
    from fieldapp.accounts.services import user_for_session

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # Our own server-side sessions replace Flask-Login's session protection.
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(user_id: str):
        return user_for_session(user_id, session.get("sid"))
