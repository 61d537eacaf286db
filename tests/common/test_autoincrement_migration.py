"""The migration to AUTOINCREMENT ids keeps every row, and ids erased before it stay unused."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from fieldapp import create_app
from fieldapp.extensions import db
from tests.dbutil import fresh_database

BEFORE = "0010_participants_after_consent"  # the revision before AUTOINCREMENT


@pytest.fixture
def empty_app(tmp_path):
    with fresh_database(tmp_path, "autoincrement") as url:
        application = create_app(
            {"TESTING": True, "SECRET_KEY": "migration-tests", "SQLALCHEMY_DATABASE_URI": url}
        )
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def _rows_per_table() -> dict[str, list]:
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    with db.engine.connect() as conn:
        return {
            name: sorted(map(repr, conn.execute(text(f'SELECT * FROM "{name}"'))))  # noqa: S608
            for name in names
        }


def _autoincrement_tables() -> set[str]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        return {name for name, sql in rows if "AUTOINCREMENT" in (sql or "").upper()}


def test_upgrade_keeps_every_row_and_skips_ids_the_audit_log_names(empty_app):
    from fieldapp.audit.models import AuditEntry
    from fieldapp.demo import seed_demo
    from fieldapp.participants.models import Participant

    with empty_app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL sequences never reuse ids; the migration does nothing there")
        upgrade(revision=BEFORE)
        assert _autoincrement_tables() == set()
        seed_demo()
        db.session.commit()
        # A participant erased before the upgrade, whose id only the audit log remembers.
        highest = db.session.scalar(text("SELECT max(id) FROM participants"))
        erased_id = highest + 5
        db.session.add(
            AuditEntry(
                action="participant_created", object_type="Participant", object_id=str(erased_id)
            )
        )
        db.session.commit()
        db.session.remove()
        before = _rows_per_table()
        assert sum(len(rows) for rows in before.values()) > 100

        upgrade()

        assert _rows_per_table() == before  # children of copied tables were not cascaded away
        assert {"participants", "consent_records", "audit_entries", "studies"} <= (
            _autoincrement_tables()
        )
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        study_id = db.session.scalar(text("SELECT id FROM studies LIMIT 1"))
        participant = Participant(code="ZZZ-ZZZ", study_id=study_id, language="nl")
        db.session.add(participant)
        db.session.commit()
        assert participant.id > erased_id
        db.session.delete(participant)
        db.session.commit()
        db.session.remove()

        downgrade(revision=BEFORE)
        assert _autoincrement_tables() == set()
        assert _rows_per_table() == before
