"""PostgreSQL goes away while the app runs: a translated 503, /healthz says why, and the app
recovers by itself when the database is back (pool_pre_ping), without a restart."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from fieldapp import create_app
from fieldapp.config import engine_options
from fieldapp.extensions import db
from tests.conftest import login
from tests.faults.proxy import TcpForwarder

pytestmark = pytest.mark.slow


@pytest.fixture
def proxied(app, database_url):
    """A second app on the same database, reached through a forwarder the test controls."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only (SQLite is a file: it cannot become unreachable)")
    url = make_url(database_url)
    forwarder = TcpForwarder((url.host or "127.0.0.1", url.port or 5432))
    forwarder.start()
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": url.set(
                host="127.0.0.1", port=forwarder.port
            ).render_as_string(hide_password=False),
            # the production settings for PostgreSQL, plus a short connect timeout
            "SQLALCHEMY_ENGINE_OPTIONS": {
                **engine_options(database_url),
                "connect_args": {"connect_timeout": 3},
            },
            "WTF_CSRF_ENABLED": False,
            "MEDIA_ROOT": app.config["MEDIA_ROOT"],
        }
    )
    yield application, forwarder
    forwarder.stop()
    with application.app_context():
        db.engine.dispose()


def test_database_away_gives_503_and_the_app_recovers_on_its_own(proxied, coordinator, study):
    application, forwarder = proxied
    assert application.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    client = login(application.test_client(), coordinator)
    health = application.test_client()
    assert health.get("/healthz").status_code == 200
    assert client.get(f"/studies/{study.id}?lang=nl").status_code == 200

    forwarder.stop()  # the server "goes down": open connections cut, new ones refused

    down = health.get("/healthz")
    assert down.status_code == 503
    assert down.get_json() == {
        "status": "degraded",
        "database": "unavailable",
        "reason": "unreachable",
    }
    page = client.get(f"/studies/{study.id}?lang=nl")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    html = page.get_data(as_text=True)
    assert "De database is nu even niet bereikbaar" in html
    assert "Traceback" not in html
    english = client.get(f"/studies/{study.id}?lang=en")
    assert english.status_code == 503
    assert "The database cannot be reached just now" in english.get_data(as_text=True)
    arabic = client.get(f"/studies/{study.id}?lang=ar").get_data(as_text=True)
    assert "لا يمكن الوصول إلى قاعدة البيانات الآن" in arabic
    assert 'dir="rtl"' in arabic

    forwarder.start()  # back; the app is not restarted

    assert health.get("/healthz").status_code == 200
    assert client.get(f"/studies/{study.id}?lang=nl").status_code == 200
