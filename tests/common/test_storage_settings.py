"""SQLite keeps what it answered "received", overwrites what it deletes, and never reuses ids."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from fieldapp.extensions import db


def _sqlite_only():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")


def test_every_sqlite_connection_syncs_fully_and_deletes_securely(app):
    """Checked on live connections: a fresh one from the pool and a request's own."""
    with app.app_context():
        _sqlite_only()
        with db.engine.connect() as conn:
            # 2 = FULL, 3 = EXTRA; NORMAL (1) may lose committed transactions at a power cut
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() >= 2
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    with app.test_request_context("/", method="GET"):
        assert db.session.execute(text("PRAGMA synchronous")).scalar() >= 2
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
        db.session.rollback()


def test_every_integer_id_is_never_reused_in_the_schema(app):
    """Every table with an integer id is AUTOINCREMENT in SQLite (the audit log names ids)."""
    with app.app_context():
        _sqlite_only()
        rows = db.session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        ).all()
        db.session.rollback()
        sql = dict(rows)
        plain = []
        for table in db.metadata.sorted_tables:
            columns = list(table.primary_key.columns)
            # (a primary key that is another table's id, as payee_profiles.user_id, is not
            # made here)
            if len(columns) == 1 and columns[0].type.python_type is int:
                if columns[0].foreign_keys:
                    continue
                if "AUTOINCREMENT" not in sql[table.name].upper():
                    plain.append(table.name)
        assert plain == []


def test_an_erased_participants_id_is_not_given_again(app, consent_study, make_participant):
    """Create, erase, create again: the new participant gets a new id (and so do records)."""
    from fieldapp.consent import services
    from fieldapp.participants.models import Participant

    first = make_participant(consent_study)
    with app.app_context():
        services.withdraw_participant(db.session.get(Participant, first.id))
        db.session.commit()
    second = make_participant(consent_study)
    assert second.id != first.id
    assert second.id > first.id


def test_postgresql_connections_are_tested_before_use(monkeypatch, tmp_path):
    """pool_pre_ping: after a database restart the app reconnects by itself (see tests/faults)."""
    from fieldapp.config import load_config

    monkeypatch.setenv("DATABASE_URL", "postgresql://fieldapp@db.internal/fieldapp")
    monkeypatch.setenv("FIELDAPP_ENV", "testing")
    options = load_config(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    assert load_config(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"] == {"max_overflow": -1}
