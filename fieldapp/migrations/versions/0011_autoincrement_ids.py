"""Ids are never reused: every SQLite table with an integer id becomes AUTOINCREMENT.

Without it SQLite gives max(id) + 1 to a new row, so after an erasure the next participant
(consent record, interview...) gets the erased one's id and old audit entries, which name
objects by id, point at someone else. PostgreSQL sequences never go back: nothing to do
there.

SQLite cannot add AUTOINCREMENT to a table in place, so each table is copied (batch mode).
Dropping a table that others point at, with foreign keys on, would delete or null their rows
(ON DELETE CASCADE / SET NULL fire on DROP TABLE), and the foreign_keys pragma cannot change
inside a transaction; so the copies run in a transaction of their own with foreign keys off,
checked with foreign_key_check before the commit (SQLite's documented procedure for schema
changes, https://www.sqlite.org/lang_altertable.html#otheralter).

The tables are found in the database, not listed here, so tables added before this revision
by other migrations are covered too. Each table's counter starts above the highest id the
audit log names for it, so ids erased before this upgrade are not given again either.

Revision ID: b7e3a1d9c4f2
Revises: 0010_participants_after_consent
Create Date: 2026-12-04
"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3a1d9c4f2'
down_revision = '0010_participants_after_consent'
branch_labels = None
depends_on = None

# The audit log names objects by class; these are the tables whose rows an erasure deletes.
AUDITED_AS = {
    'participants': 'Participant',
    'participant_contacts': 'ParticipantContact',
    'consent_records': 'ConsentRecord',
    'interviews': 'Interview',
    'observations': 'Observation',
    'media_files': 'MediaFile',
}


def _integer_id_tables(bind, autoincrement):
    """Tables with a single integer primary key of their own, with or without AUTOINCREMENT."""
    inspector = sa.inspect(bind)
    sql = dict(
        bind.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all()
    )
    found = []
    for name in inspector.get_table_names():
        if name == 'alembic_version':
            continue
        key = inspector.get_pk_constraint(name)['constrained_columns']
        if len(key) != 1:
            continue
        column = next(c for c in inspector.get_columns(name) if c['name'] == key[0])
        referencing = {
            c for fk in inspector.get_foreign_keys(name) for c in fk['constrained_columns']
        }
        if not isinstance(column['type'], sa.Integer) or key[0] in referencing:
            continue
        if ('AUTOINCREMENT' in (sql.get(name) or '').upper()) == autoincrement:
            found.append(name)
    return found


@contextmanager
def _foreign_keys_off(bind):
    """A transaction of its own with foreign keys off, checked before it commits."""
    raw = bind.connection.driver_connection
    if raw.in_transaction:
        raw.execute('COMMIT')  # what ran before this revision (nothing else is pending)
    raw.execute('PRAGMA foreign_keys=OFF')
    raw.execute('BEGIN IMMEDIATE')
    try:
        yield
        problems = raw.execute('PRAGMA foreign_key_check').fetchall()
        if problems:
            raise RuntimeError(f'foreign keys broken by the table copies: {problems[:5]}')
        raw.execute('COMMIT')
    except BaseException:
        raw.execute('ROLLBACK')
        raise
    finally:
        raw.execute('PRAGMA foreign_keys=ON')
        raw.execute('BEGIN IMMEDIATE')  # Alembic records the revision and commits it


def _counter_floor(bind, table):
    """The highest id the audit log names for this table (erased rows included)."""
    object_type = AUDITED_AS.get(table)
    if object_type is None or 'audit_entries' not in sa.inspect(bind).get_table_names():
        return 0
    value = bind.exec_driver_sql(
        "SELECT max(CAST(object_id AS INTEGER)) FROM audit_entries "
        "WHERE object_type = ? AND object_id GLOB '[0-9]*'",
        (object_type,),
    ).scalar()
    return value or 0


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    tables = _integer_id_tables(bind, autoincrement=False)
    if not tables:
        return
    with _foreign_keys_off(bind):
        for name in tables:
            with op.batch_alter_table(
                name, recreate='always', table_kwargs={'sqlite_autoincrement': True}
            ):
                pass
        for name in tables:
            floor = _counter_floor(bind, name)
            highest = bind.exec_driver_sql(f'SELECT max(id) FROM "{name}"').scalar() or 0
            if floor > highest:
                bind.exec_driver_sql('DELETE FROM sqlite_sequence WHERE name = ?', (name,))
                bind.exec_driver_sql(
                    'INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', (name, floor)
                )


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    tables = _integer_id_tables(bind, autoincrement=True)
    if not tables:
        return
    with _foreign_keys_off(bind):
        for name in tables:
            with op.batch_alter_table(
                name, recreate='always', table_kwargs={'sqlite_autoincrement': False}
            ):
                pass
