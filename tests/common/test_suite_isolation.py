"""The suite runs in parallel (pytest-xdist, `make test`): each worker keeps its database,
instance folder and media to itself, and nothing lands in the checkout."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.run_suite import pytest_args

CHECKOUT = Path(__file__).resolve().parents[2]


def test_the_app_keeps_its_files_outside_the_checkout(app, instance_path, tmp_path_factory):
    base = tmp_path_factory.getbasetemp().resolve()
    for folder in (app.instance_path, app.config["MEDIA_ROOT"], os.environ["FIELDAPP_INSTANCE"]):
        resolved = Path(folder).resolve()
        assert not resolved.is_relative_to(CHECKOUT), folder
        assert resolved.is_relative_to(base), folder  # this worker's own temporary folder
    assert Path(app.instance_path) == instance_path


def test_each_worker_has_a_database_of_its_own(app, database_url, tmp_path_factory):
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database).resolve()
        assert path.is_relative_to(tmp_path_factory.getbasetemp().resolve())
    else:
        assert url.database.startswith("fieldapp_test_")
        assert url.database != make_url(os.environ["TEST_DATABASE_URL"]).database
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url


def test_make_test_runs_on_every_cpu_unless_told_otherwise():
    assert pytest_args([]) == ["--durations=20", "-n", "auto", "--dist", "loadfile"]
    assert pytest_args(["--dist", "load"]) == ["--durations=20", "-n", "auto", "--dist", "load"]
    assert pytest_args(["-n", "0", "tests/i18n"]) == ["--durations=20", "-n", "0", "tests/i18n"]
    assert pytest_args(["--durations=5", "-n2"]) == ["--durations=5", "-n2"]
