"""Media tests: the media table exists, MEDIA_ROOT starts and ends empty, images made in memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# Before the session app fixture runs db.create_all(), so media_files is created too.
import fieldapp.media.models  # noqa: F401


def _empty(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)


@pytest.fixture(autouse=True)
def media_root(app):
    """MEDIA_ROOT of the test app, emptied before and after each test."""
    root = Path(app.config["MEDIA_ROOT"])
    _empty(root)
    yield root
    _empty(root)


@pytest.fixture
def stored_files(media_root):
    """Every file under MEDIA_ROOT now (temporary files included)."""

    def files() -> list[Path]:
        return sorted(p for p in media_root.rglob("*") if p.is_file())

    return files
