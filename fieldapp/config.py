"""Settings, read from the environment; see the README for every variable."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def database_url(raw: str) -> str:
    """Accept the usual postgres:// spellings and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def engine_options(url: str) -> dict:
    """PostgreSQL: test a pooled connection before use, so the app recovers by itself after
    the server restarts. SQLite: no limit on connections (they are file handles), because
    an audited read holds its request's connection while it commits the audit entry on a
    second one; a capped pool could have every thread waiting for that second connection.
    """
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
        return {} if in_memory else {"max_overflow": -1}  # in memory: one shared connection
    return {"pool_pre_ping": True}


def _secret_key(instance_path: str, env: str) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise RuntimeError(
            "SECRET_KEY is not set. Set it to a long random value in production "
            "(python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    # Development and testing: one random key kept in the instance folder.
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str) -> dict:
    env = os.environ.get("FIELDAPP_ENV", "production").strip().lower()
    if env not in ("production", "development", "testing"):
        raise RuntimeError(f"FIELDAPP_ENV must be production, development or testing, not {env!r}")
    default_db = "sqlite:///" + str(Path(instance_path) / "fieldapp.sqlite")
    url = database_url(os.environ.get("DATABASE_URL", default_db))
    production = env == "production"
    return {
        "FIELDAPP_ENV": env,
        "SECRET_KEY": _secret_key(instance_path, env),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(Path(instance_path) / "media")),
        "MEDIA_MAX_BYTES": int(os.environ.get("MEDIA_MAX_BYTES", 10 * 1024 * 1024)),
        "MEDIA_MAX_PIXELS": int(os.environ.get("MEDIA_MAX_PIXELS", 40_000_000)),
        "MEDIA_MAX_SIDE": int(os.environ.get("MEDIA_MAX_SIDE", 2048)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), production),
        "SESSION_COOKIE_NAME": "fieldapp_session",
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("FIELDAPP_TIMEZONE", "Europe/Amsterdam"),
        # Accounts and sessions
        "SESSION_LIFETIME_HOURS": int(os.environ.get("SESSION_LIFETIME_HOURS", 12)),
        "REAUTH_AFTER_MINUTES": int(os.environ.get("REAUTH_AFTER_MINUTES", 15)),
        "INVITATION_VALID_DAYS": int(os.environ.get("INVITATION_VALID_DAYS", 7)),
        "LOGIN_WINDOW_MINUTES": 15,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)),
        # argon2id cost; the test configuration lowers it to keep the suite fast
        "ARGON2_TIME_COST": int(os.environ.get("ARGON2_TIME_COST", 3)),
        "ARGON2_MEMORY_COST": int(os.environ.get("ARGON2_MEMORY_COST", 64 * 1024)),
        "ARGON2_PARALLELISM": int(os.environ.get("ARGON2_PARALLELISM", 2)),
        # The account fieldapp's payments come from (for the SEPA file finance uploads)
        "SEPA_DEBTOR_NAME": os.environ.get(
            "SEPA_DEBTOR_NAME", "Programmabureau demo" if env == "development" else ""
        ),
        "SEPA_DEBTOR_IBAN": os.environ.get(
            "SEPA_DEBTOR_IBAN", "NL69INGB0123456789" if env == "development" else ""
        ),
        "SEPA_DEBTOR_BIC": os.environ.get("SEPA_DEBTOR_BIC", ""),
        # Behind a proxy: how many proxies set X-Forwarded-For / -Proto
        "PROXY_COUNT": int(os.environ.get("FIELDAPP_PROXY_COUNT", 0)),
    }
