"""Migrations: empty database → head → base on SQLite and PostgreSQL; models match them;
files listed in order; rows written at every revision survive every later upgrade and the
downgrades back (the rows are in tests/migrations/revisions/, one module per migration)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

import fieldapp
from fieldapp import create_app
from fieldapp.extensions import db
from tests.dbutil import engine_options_for_tests, scratch_database, wipe_database
from tests.migrations.rows import check_rows, insert_rows, load_revision_rows, reflect

CHECKOUT = Path(__file__).resolve().parents[2]
MIGRATIONS = Path(fieldapp.__file__).resolve().parent / "migrations"


@pytest.fixture(scope="module")
def migrations_database(database_url, tmp_path_factory):
    """One database for this module's tests; each test empties it first."""
    with scratch_database(database_url, tmp_path_factory.mktemp("migrations"), "migrations") as url:
        yield url


@pytest.fixture
def empty_app(migrations_database, tmp_path):
    wipe_database(migrations_database)
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "migration-tests",
            "SQLALCHEMY_DATABASE_URI": migrations_database,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options_for_tests(migrations_database),
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
    )
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _tables():
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def _chain() -> list[Script]:
    """The migrations from the first to the head, following down_revision."""
    scripts = ScriptDirectory(str(MIGRATIONS))
    heads = scripts.get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads ({heads}); chain them"
    return list(reversed(list(scripts.walk_revisions())))


def _name(script: Script) -> str:
    return f"{Path(script.path).stem} ({script.revision})"


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


def _snapshot(folder: Path) -> dict | None:
    if not folder.exists():
        return None
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def test_realistic_rows_survive_upgrade(empty_app, tmp_path):
    """The demo (realistic rows of every table so far) goes in after upgrading and reads back;
    its files (the signatures) go to the test's own folder, not into the checkout."""
    from fieldapp.demo import seed_demo
    from fieldapp.studies.models import Study

    checkout_instance = _snapshot(CHECKOUT / "instance")
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
    assert list((tmp_path / "media").rglob("*.png")), "the demo's signatures were not stored"
    assert _snapshot(CHECKOUT / "instance") == checkout_instance


def test_migration_files_are_numbered_in_the_order_they_run():
    """`ls fieldapp/migrations/versions` lists the migrations in the order they run."""
    for number, script in enumerate(_chain(), start=1):
        name = Path(script.path).name
        wanted = f"{number:04d}_"
        message = (
            f"{name} (revision {script.revision}, after {script.down_revision}) is migration "
            f"number {number}: name it {wanted}<what_it_does>.py"
        )
        assert name.startswith(wanted), message
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+\.py", name), message


def test_every_migration_has_a_data_test():
    rows = load_revision_rows()
    chain = _chain()
    missing = [s for s in chain if s.revision not in rows]
    assert not missing, "\n".join(
        f"migration {_name(s)} has no data test: add tests/migrations/revisions/"
        f"r{Path(s.path).stem}.py with REVISION = {s.revision!r} and ROWS = {{table: [rows]}}, "
        "realistic rows for the tables it adds or changes (see tests/migrations/rows.py)"
        for s in missing
    )
    unknown = set(rows) - {s.revision for s in chain}
    assert not unknown, f"data tests for revisions that are not migrations: {sorted(unknown)}"


def test_rows_survive_every_upgrade_and_downgrade(empty_app):
    """Upgrade one revision at a time, writing each revision's rows once it is reached and
    reading back every row written so far after each step; then downgrade one revision at a
    time, reading back the rows of the revisions still in place."""
    data = load_revision_rows()
    chain = _chain()
    missing = [_name(s) for s in chain if s.revision not in data]
    if missing:
        pytest.fail("no data test for " + ", ".join(missing), pytrace=False)
    applied = []  # the data of every revision the database is at or past, in order
    problems: list[str] = []

    def read_back(step: str) -> None:
        with db.engine.connect() as conn:
            schema = reflect(conn)
            for n, rows in enumerate(applied):
                problems.extend(
                    f"rows of {_name(chain[n])}: {line}"
                    for line in check_rows(conn, schema, rows, applied[n + 1 :], step)
                )
        assert not problems, "\n".join(problems)

    with empty_app.app_context():
        for script in chain:
            upgrade(revision=script.revision)
            applied.append(data[script.revision])
            read_back(f"the upgrade to {_name(script)}")
            with db.engine.begin() as conn:
                insert_rows(conn, applied[-1])
        read_back("writing the rows of every revision")
        for n in range(len(chain) - 1, 0, -1):
            if not data[chain[n].revision].downgrade:
                break
            downgrade(revision=chain[n - 1].revision)
            del applied[n:]
            read_back(f"the downgrade of {_name(chain[n])}")


def test_a_new_migration_gets_the_next_number(empty_app, tmp_path):
    """`make migration m="…"` names the file after the last one: 0008_… after 0007_…."""
    from flask_migrate import revision

    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, directory, ignore=shutil.ignore_patterns("__pycache__"))
    before = {p.name for p in (directory / "versions").glob("*.py")}
    with empty_app.app_context():
        upgrade(directory=str(directory))
        revision(directory=str(directory), message="Add the weather to observations")
    added = {p.name for p in (directory / "versions").glob("*.py")} - before
    assert added == {f"{len(_chain()) + 1:04d}_add_the_weather_to_observations.py"}
