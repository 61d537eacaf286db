"""Fixtures for PDF tests."""

from __future__ import annotations

import pytest

from tests.pdf.poppler import require_poppler


@pytest.fixture(scope="session")
def poppler() -> None:
    """Skip PDF-rendering checks without poppler-utils (fail instead when CI is set)."""
    require_poppler()
