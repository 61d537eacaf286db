"""Fixtures: the app on a clean database per test, clients logged in per role, factories."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

os.environ.setdefault("FIELDAPP_ENV", "testing")

from fieldapp import create_app  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from tests.dbutil import empty_tables, engine_options_for_tests, fresh_database  # noqa: E402

pytest_plugins = ["tests.consent.fixtures", "tests.fieldwork.fixtures"]

PASSWORD = "correct horse battery"


def pytest_report_header(config):
    from tests.dbutil import postgres_server_url

    return "database: " + ("PostgreSQL" if postgres_server_url() else "SQLite")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session", autouse=True)
def instance_path(tmp_path_factory):
    """An instance folder of this test session (of this xdist worker), never the checkout's.

    create_app keeps its secret key there and MEDIA_ROOT defaults to it, so every app a test
    makes (not only `app`) writes its files here instead of into the checkout's instance/.
    """
    path = tmp_path_factory.mktemp("instance")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIELDAPP_INSTANCE", str(path))
        yield path


@pytest.fixture(scope="session")
def app(database_url, instance_path):
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options_for_tests(database_url),
            "WTF_CSRF_ENABLED": False,
            "MEDIA_ROOT": str(instance_path / "media"),
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8 * 1024,
            "ARGON2_PARALLELISM": 1,
        }
    )
    _add_test_routes(application)
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _add_test_routes(application):
    """A stand-in for the sensitive actions later issues add (exports, payments, erasure)."""
    from fieldapp.accounts.access import recent_login_required

    application.add_url_rule(
        "/_test/sensitive", "sensitive_probe", recent_login_required(lambda: "sensitive ok")
    )

    def boom():
        raise RuntimeError("an unexpected failure with a secret: K7Q-3MX")

    application.add_url_rule("/_test/boom", "boom_probe", boom)


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    yield
    if "app" not in request.fixturenames:
        return
    with app.app_context():
        db.session.remove()
        empty_tables(db.engine, db.metadata)
    media = Path(app.config["MEDIA_ROOT"])
    if media.exists():
        shutil.rmtree(media)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context for tests that call services directly."""
    with app.app_context():
        yield
        db.session.rollback()


# ---------------------------------------------------------------- factories


@pytest.fixture
def make_user(app):
    """Create a user; returns its id, username and password."""
    counter = iter(range(1, 10_000))

    def make(role="co_researcher", username=None, password=PASSWORD, **fields):
        from fieldapp.accounts.models import User
        from fieldapp.accounts.passwords import hash_password

        n = next(counter)
        username = username or f"{role.replace('_', '')}{n}"
        with app.app_context():
            user = User(
                username=username,
                display_name=fields.pop("display_name", f"Test {role} {n}"),
                role=role,
                password_hash=hash_password(password),
                **fields,
            )
            db.session.add(user)
            db.session.commit()
            return SimpleNamespace(id=user.id, username=username, password=password, role=role)

    return make


@pytest.fixture
def make_area(app):
    counter = iter(range(1, 10_000))

    def make(coordinators=(), slug=None, name=None):
        from fieldapp.accounts.models import User
        from fieldapp.areas.models import Area

        n = next(counter)
        with app.app_context():
            area = Area(
                slug=slug or f"area-{n}",
                name=name or f"Area {n}",
                municipality="Heerlen",
                cbs_codes=[],
            )
            area.coordinators = [db.session.get(User, c.id) for c in coordinators]
            db.session.add(area)
            db.session.commit()
            return SimpleNamespace(id=area.id, slug=area.slug, name=area.name)

    return make


@pytest.fixture
def make_study(app):
    counter = iter(range(1, 10_000))

    def make(area, coordinators=(), co_researchers=(), state="draft", **fields):
        from fieldapp.accounts.models import User
        from fieldapp.studies.models import Study, StudyMember

        n = next(counter)
        with app.app_context():
            study = Study(
                slug=fields.pop("slug", f"study-{n}"),
                area_id=area.id,
                title=fields.pop("title", f"Study {n}"),
                research_question=fields.pop("research_question", "What matters here?"),
                lead_organisation=fields.pop("lead_organisation", "Programmabureau"),
                retention_date=fields.pop("retention_date", dt.date.today() + dt.timedelta(700)),
                languages=fields.pop("languages", ["nl", "ar"]),
                state=state,
                **fields,
            )
            for person in coordinators:
                study.members.append(
                    StudyMember(user=db.session.get(User, person.id), role="coordinator")
                )
            for person in co_researchers:
                study.members.append(
                    StudyMember(user=db.session.get(User, person.id), role="co_researcher")
                )
            db.session.add(study)
            db.session.commit()
            return SimpleNamespace(id=study.id, slug=study.slug, title=study.title)

    return make


def login(client, user, password=None):
    response = client.post(
        "/login", data={"username": user.username, "password": password or user.password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def admin(make_user):
    return make_user("admin", username="admin1")


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", username="coord1")


@pytest.fixture
def co_researcher(make_user):
    return make_user("co_researcher", username="samira1", locale="ar")


@pytest.fixture
def area(make_area, coordinator):
    return make_area(coordinators=[coordinator], slug="heerlen-noord", name="Heerlen-Noord")


@pytest.fixture
def study(make_study, area, coordinator, co_researcher):
    return make_study(
        area, coordinators=[coordinator], co_researchers=[co_researcher], state="fieldwork"
    )


@pytest.fixture
def as_admin(app, admin):
    return login(app.test_client(), admin)


@pytest.fixture
def as_coordinator(app, coordinator):
    return login(app.test_client(), coordinator)


@pytest.fixture
def as_co_researcher(app, co_researcher):
    return login(app.test_client(), co_researcher)
