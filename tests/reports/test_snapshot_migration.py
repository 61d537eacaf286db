"""The migration that adds report snapshots: a report published before it keeps showing what
the public saw (its figures, quotes and actions), and the demo's rows survive the way down
and up again."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from fieldapp import create_app
from fieldapp.extensions import db
from tests.dbutil import fresh_database

BEFORE = "5a9e1c7d2b40"


@pytest.fixture
def empty_app(tmp_path):
    with fresh_database(tmp_path, "snapshots") as url:
        application = create_app(
            {"TESTING": True, "SECRET_KEY": "migration-tests", "SQLALCHEMY_DATABASE_URI": url}
        )
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def _columns(table: str) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns(table)}


def test_versions_published_before_snapshots_keep_what_the_public_saw(empty_app):
    from fieldapp.demo import seed_demo
    from fieldapp.reports import services
    from fieldapp.reports.models import Report, ReportVersion

    with empty_app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        report = db.session.scalar(select(Report))
        seen = services.draft_snapshot(report)
        assert seen["figure_questions"] == ["plekken", "gevoel"]
        assert len(seen["quotes"]) == 1
        assert len(seen["actions"]) == 3
        db.session.remove()

        downgrade(revision=BEFORE)
        assert "quotes" not in _columns("report_versions")
        assert "language" not in _columns("action_updates")
        upgrade()
        version = db.session.scalar(select(ReportVersion))
        assert version.sections == seen["sections"]
        assert version.figure_questions == seen["figure_questions"]
        assert version.quotes == seen["quotes"]
        # The updates' language was not known before the upgrade.
        for action in seen["actions"]:
            for update in action["updates"]:
                update["language"] = None
        assert version.actions == seen["actions"]
        content = services.published_content(db.session.scalar(select(Report)))
        assert [a.title("nl") for a in content.actions][0] == (
            "Het buurthuis gaat ook op zaterdag open"
        )
        assert len(content.quotes()) == 1
        db.session.remove()
        downgrade(revision="base")
