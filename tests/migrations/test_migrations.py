"""Migrations: empty database → head → base on SQLite and PostgreSQL; models match them."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from fieldapp import create_app
from fieldapp.extensions import db
from tests.dbutil import fresh_database


@pytest.fixture
def empty_app(tmp_path):
    with fresh_database(tmp_path, "migrations") as url:
        application = create_app(
            {"TESTING": True, "SECRET_KEY": "migration-tests", "SQLALCHEMY_DATABASE_URI": url}
        )
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def _tables():
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_to_head_and_downgrade_to_base(empty_app):
    with empty_app.app_context():
        assert _tables() == set()
        upgrade()
        assert _tables() == {t.name for t in db.metadata.sorted_tables}
        downgrade(revision="base")
        assert _tables() == set()
        upgrade()  # and up again: the downgrade left nothing behind
        assert "studies" in _tables()


def test_models_and_migrations_agree(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == [], (
            "The models differ from the migrations; run `make migration m='…'`:\n"
            + "\n".join(map(str, differences))
        )


def test_realistic_rows_survive_upgrade(empty_app):
    """The demo (realistic rows of every table so far) goes in after upgrading and reads back."""
    from fieldapp.demo import seed_demo
    from fieldapp.studies.models import Study

    with empty_app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        study = db.session.scalar(select(Study))
        assert study.area.slug == "heerlen-noord"
        assert {m.user.username for m in study.members} == {"coordinator", "samira", "piotr"}
        db.session.remove()
        downgrade(revision="base")
        assert _tables() == set()
