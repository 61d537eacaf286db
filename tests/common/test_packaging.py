"""A wheel carries templates, static files, compiled translations and migrations."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import os, sys
from fieldapp import create_app
app = create_app({"TESTING": True, "SECRET_KEY": "k",
                  "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.environ["PROBE_DB"]})
assert "_shipped" in app.template_folder, app.template_folder
assert "_shipped" in app.static_folder, app.static_folder
html = app.test_client().get("/login?lang=nl").get_data(as_text=True)
assert '<html lang="nl" dir="ltr">' in html
assert "Inloggen" in html or "Log in" not in html
css = app.test_client().get("/static/css/app.css")
assert css.status_code == 200
css.close()
print("ok")
"""


def test_wheel_ships_resources_and_runs(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(wheel_dir.glob("fieldapp-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "fieldapp/_shipped/templates/base.html",
        "fieldapp/_shipped/static/css/app.css",
        "fieldapp/_shipped/translations/ar/LC_MESSAGES/messages.mo",
        "fieldapp/migrations/env.py",
        "fieldapp/migrations/alembic.ini",
    ):
        assert expected in names
    assert any(n.startswith("fieldapp/migrations/versions/") for n in names)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = dict(
        os.environ,
        PYTHONPATH=str(site),
        PROBE_DB=str(tmp_path / "probe.sqlite"),
        FIELDAPP_ENV="testing",
        FIELDAPP_INSTANCE=str(tmp_path / "instance"),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
