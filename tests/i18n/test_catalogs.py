"""The translation catalogs are complete, not fuzzy, up to date, and keep placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from fieldapp.i18n import LANGUAGE_CODES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]+\)[sdif]|%[sdif]")


def _catalog(code):
    with open(ROOT / "translations" / code / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=code)


def _ids(message):
    return message.id if isinstance(message.id, tuple | list) else (message.id,)


def _strings(message):
    return message.string if isinstance(message.string, tuple | list) else (message.string,)


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_no_empty_or_fuzzy_translations(code):
    problems = []
    for message in _catalog(code):
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {_ids(message)[0]}")
        if any(not s for s in _strings(message)):
            problems.append(f"empty: {_ids(message)[0]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_placeholders_match_the_source(code):
    problems = []
    for message in _catalog(code):
        if not message.id:
            continue
        ids = _ids(message)
        allowed = [set(PLACEHOLDER.findall(i)) for i in ids]
        for string in _strings(message):
            found = set(PLACEHOLDER.findall(string))
            # A plural form may drop the count a language does not need to say (e.g.
            # Arabic singular), but never invent or rename a placeholder.
            if len(ids) == 1 and found != allowed[0]:
                problems.append(f"{ids[0]!r} -> {string!r}")
            elif len(ids) > 1 and not found <= set().union(*allowed):
                problems.append(f"{ids[0]!r} -> {string!r}")
    assert not problems, "\n".join(problems)


def test_catalogs_hold_every_string_in_the_code(tmp_path):
    """Run the extraction; every string the code uses must be in every catalog."""
    pot = tmp_path / "messages.pot"
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".* .venv build",
            "-o",
            str(pot),
            "--no-location",
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with open(pot, "rb") as fh:
        wanted = {_ids(m)[0] for m in read_po(fh) if m.id}
    for code in LANGUAGE_CODES:
        have = {_ids(m)[0] for m in _catalog(code) if m.id}
        missing = sorted(wanted - have)
        assert not missing, f"{code} lacks {len(missing)} strings; run `make translations`: " + (
            "; ".join(missing[:5])
        )


def test_english_translations_equal_the_source():
    for message in _catalog("en"):
        if message.id and not isinstance(message.id, tuple | list):
            assert message.string == message.id
