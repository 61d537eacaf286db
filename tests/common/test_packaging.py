"""A wheel and an editable install each find the templates, static files, compiled
translations, fonts and migrations, the same way (beside the package), from a copy of the
project as a fresh checkout has it (no compiled catalogs, no build folders)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

# Not part of a fresh checkout (or not needed to build one): left out of the copy.
NOT_IN_A_CHECKOUT = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "instance",
    "test-artifacts",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "*.mo",
    "tests",
    "bench",
)

PROBE = """
import os, sys
from pathlib import Path
import fieldapp
from fieldapp import create_app
from fieldapp.pdf.text import FONT_DIR, register_fonts

expected_root = Path(os.environ["EXPECTED_ROOT"]).resolve()
package = Path(fieldapp.__file__).resolve().parent
assert package.is_relative_to(expected_root), (package, expected_root)

app = create_app({"TESTING": True, "SECRET_KEY": "k",
                  "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.environ["PROBE_DB"]})
for folder in (app.template_folder, app.static_folder):
    assert (package / folder).resolve().is_dir(), folder
client = app.test_client()
for lang, direction in (("nl", "ltr"), ("ar", "rtl")):
    html = client.get("/login?lang=" + lang).get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html, html[:300]
    assert os.environ["LOG_IN_" + lang.upper()] in html, lang
css = client.get("/static/css/app.css")
assert css.status_code == 200
assert css.data == Path(os.environ["CHECKOUT_CSS"]).read_bytes()
css.close()
assert sorted(p.name for p in FONT_DIR.iterdir()) == [
    "DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "LICENSE-DejaVu.txt"]
register_fonts()
print("ok", package)
"""


def _translation(language: str, msgid: str) -> str:
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh)[msgid].string


def _fresh_checkout(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_IN_A_CHECKOUT)
    assert not list(source.rglob("*.mo"))
    return source


def _venv(path: Path) -> Path:
    """A virtualenv with nothing installed that sees this one's packages (Flask and the
    rest), but not its editable fieldapp: the folder is on the path, its .pth files are not
    run."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)  # noqa: S603
    python = path / "bin" / "python"
    purelib = subprocess.run(  # noqa: S603
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "shared_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _pip(python: Path, *args: str, cwd: Path) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pip", "--python", str(python), "--no-input", "-q", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def _probe(python: Path, tmp_path: Path, expected_root: Path) -> str:
    env = dict(
        os.environ,
        PROBE_DB=str(tmp_path / "probe.sqlite"),
        FIELDAPP_ENV="testing",
        FIELDAPP_INSTANCE=str(tmp_path / "instance"),
        EXPECTED_ROOT=str(expected_root),
        CHECKOUT_CSS=str(ROOT / "static" / "css" / "app.css"),
        LOG_IN_NL=_translation("nl", "Log in"),
        LOG_IN_AR=_translation("ar", "Log in"),
    )
    # -I: neither the working directory nor PYTHONPATH is on the path, so the checkout's own
    # fieldapp cannot stand in for the installed one.
    result = subprocess.run(  # noqa: S603
        [str(python), "-I", "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_wheel_ships_resources_and_runs(tmp_path):
    source = _fresh_checkout(tmp_path)
    wheel_dir = tmp_path / "wheel"
    _pip(
        Path(sys.executable),
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        str(wheel_dir),
        str(source),
        cwd=tmp_path,
    )
    wheel = next(wheel_dir.glob("fieldapp-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "fieldapp/templates/base.html",
        "fieldapp/static/css/app.css",
        "fieldapp/data/fonts/DejaVuSans.ttf",
        "fieldapp/migrations/env.py",
        "fieldapp/migrations/alembic.ini",
        "fieldapp/migrations/versions/0001_initial.py",
    ):
        assert expected in names
    for language in ("nl", "en", "ar", "tr", "pl", "uk"):
        assert f"fieldapp/translations/{language}/LC_MESSAGES/messages.mo" in names
    assert not [n for n in names if n.endswith((".po", ".pot")) or "_shipped" in n]

    python = _venv(tmp_path / "venv")
    _pip(python, "install", "--no-index", "--no-deps", str(wheel), cwd=tmp_path)
    site = python.parent.parent / "lib"
    assert _probe(python, tmp_path, site).startswith("ok")


def test_editable_install_finds_the_same_resources(tmp_path):
    """`make install` does this: an editable install compiles the catalogs in place."""
    source = _fresh_checkout(tmp_path)
    python = _venv(tmp_path / "venv")
    _pip(
        python,
        "install",
        "--no-index",
        "--no-deps",
        "--no-build-isolation",
        "-e",
        str(source),
        cwd=tmp_path,
    )
    assert (source / "translations" / "ar" / "LC_MESSAGES" / "messages.mo").is_file()
    assert _probe(python, tmp_path, source / "fieldapp").startswith("ok")
